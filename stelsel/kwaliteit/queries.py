"""Read side of the kwaliteit domain: the statistics of a group, and breakdowns, in SQL that runs
on SQLite and PostgreSQL.

Totals, and breakdowns by aanbieder, thema, region and month, quarter or year, read the monthly
rollup `kwaliteit_maand`; dienst, segment and the breakdown per day are not in it and read the
raw responses (`bron="ruw"` forces the raw rows for any query: the tests compare both). Regions
are sets of gemeenten (the geo domain's mapping), so a gemeente, arbeidsmarktregio, COROP or
provincie is filtered the same way on the rollup and on the raw rows. Periods are UTC days,
`tot` inclusive: the whole months of a period come from the rollup, the days of a partial
first or last month from the raw rows (`maanden_en_randen`), and the two add up exactly. A
breakdown per month, quarter or year groups the months (and edge days) in Python.

Then the minimum group rule (cijfers.py) is applied: R1 and R2 in every breakdown, R3 against
each parent that drops one filter.
"""

import uuid
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.errors import Ongeldig, Verboden
from stelsel.geo import service as geo
from stelsel.kwaliteit import cijfers
from stelsel.kwaliteit.models import (
    EnqueteAntwoord,
    EnqueteAntwoordThema,
    EnqueteUitnodiging,
    EnqueteUitnodigingThema,
)
from stelsel.kwaliteit.rollup import ALLE, AT, A, R, dag_expressie, sommen_uit_rijen

REGIO_SOORTEN = {
    "GM": "gemeente",
    "AM": "arbeidsmarktregio",
    "CR": "corop",
    "PV": "provincie",
}
REGIO_DIMENSIES = ("gemeente", "arbeidsmarktregio", "corop", "provincie")
PERIODE_DIMENSIES = ("dag", "maand", "kwartaal", "jaar")
DIMENSIES = ("aanbieder", "dienst", "thema", "segment", *REGIO_DIMENSIES, *PERIODE_DIMENSIES)
ALLEEN_RUW = ("dienst", "segment", "dag")
Bron = Literal["auto", "rollup", "ruw"]


@dataclass(frozen=True)
class Filter:
    """Which responses a figure is about. `tot` is inclusive."""

    regio: str | None = None
    thema: str | None = None
    aanbieder_id: uuid.UUID | None = None
    dienst_id: uuid.UUID | None = None
    segment: str | None = None
    van: date | None = None
    tot: date | None = None

    def ouders(self) -> list[tuple[str, "Filter"]]:
        """R3: this filter with one of its group filters removed (the period is kept)."""
        uit = []
        for veld in ("regio", "thema", "aanbieder_id", "dienst_id", "segment"):
            if getattr(self, veld) is not None:
                uit.append((veld, replace(self, **{veld: None})))
        return uit


@dataclass
class Geografie:
    """gemeente code → its regions, and the names of all areas."""

    gemeenten: dict[str, dict[str, str]] = field(default_factory=dict)
    namen: dict[tuple[str, str], str] = field(default_factory=dict)
    # query results of this request, keyed by (kind, filter, dim, bron)
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def soort(self, code: str) -> str:
        soort = REGIO_SOORTEN.get(code[:2].upper())
        if soort is None or (soort, code) not in self.namen:
            raise Ongeldig(
                "regio",
                f"'{code}' is geen bekende code van een gemeente (GM…), arbeidsmarktregio "
                "(AM…), COROP-gebied (CR…) of provincie (PV…)",
            )
        return soort

    def gemeenten_in(self, code: str) -> list[str]:
        soort = self.soort(code)
        return sorted(g for g, r in self.gemeenten.items() if r[soort] == code)

    def naam(self, soort: str, code: str) -> str:
        return self.namen.get((soort, code), code or "onbekend")


# Geography is reference data loaded with the schema: read once per database.
_GEO: dict[str, tuple[dict[str, dict[str, str]], dict[tuple[str, str], str]]] = {}


def geografie(session: Session) -> Geografie:
    """The gemeente → region mapping and area names (read once per database URL), with an
    empty per-request query cache."""
    sleutel = str(session.get_bind().engine.url)
    if sleutel not in _GEO:
        gemeenten = {gm.code: dict(geo.gebied(gm).codes()) for gm in geo.get_all(session=session)}
        if not gemeenten:
            return Geografie(namen=geo.area_names(session=session))  # not loaded yet: no cache
        _GEO[sleutel] = (gemeenten, geo.area_names(session=session))
    gemeenten, namen = _GEO[sleutel]
    return Geografie(gemeenten=gemeenten, namen=namen)


def periode_van(dag: date, soort: str) -> str:
    """The period a day falls in: 2026-07-14 → '2026-07' (maand), '2026-Q3', '2026'."""
    if soort == "dag":
        return dag.isoformat()
    if soort == "maand":
        return f"{dag.year}-{dag.month:02d}"
    if soort == "kwartaal":
        return f"{dag.year}-Q{(dag.month - 1) // 3 + 1}"
    if soort == "jaar":
        return str(dag.year)
    raise ValueError(soort)


def periode_grenzen(periode: str) -> tuple[date, date]:
    """'2026-Q3' → (2026-07-01, 2026-09-30); also '2026-07' and '2026'."""
    import calendar

    try:
        if "-Q" in periode:
            jaar, k = periode.split("-Q")
            j, kw = int(jaar), int(k)
            if not 1 <= kw <= 4:
                raise ValueError
            eind = kw * 3
            return date(j, eind - 2, 1), date(j, eind, calendar.monthrange(j, eind)[1])
        if "-" in periode:
            jaar, m = periode.split("-")
            j, mm = int(jaar), int(m)
            return date(j, mm, 1), date(j, mm, calendar.monthrange(j, mm)[1])
        j = int(periode)
        return date(j, 1, 1), date(j, 12, 31)
    except ValueError:
        raise Ongeldig(
            "periode", f"'{periode}' is geen periode; gebruik bijvoorbeeld 2026-Q3, 2026-07 of 2026"
        ) from None


def vorige_periode(periode: str) -> str:
    van, _ = periode_grenzen(periode)
    if "-Q" in periode:
        k = (van.month - 1) // 3 + 1
        return f"{van.year - 1}-Q4" if k == 1 else f"{van.year}-Q{k - 1}"
    if "-" in periode:
        return f"{van.year - 1}-12" if van.month == 1 else f"{van.year}-{van.month - 1:02d}"
    return str(van.year - 1)


# --------------------------------------------------------------------------- statistics


def _waar(q: Any, c: Any, f: Filter, g: Geografie) -> Any:
    """The filter's aanbieder, dienst, segment and regio as WHERE clauses on the columns `c`
    of a table (rollup, responses, invitations); each filters period and thema its own way."""
    if f.aanbieder_id is not None:
        q = q.where(c.aanbieder_id == f.aanbieder_id)
    if f.dienst_id is not None:
        q = q.where(c.dienst_id == f.dienst_id)
    if f.segment is not None:
        q = q.where(c.segment == f.segment)
    if f.regio is not None:
        q = q.where(c.gemeente_code.in_(g.gemeenten_in(f.regio)))
    return q


def _rollup_query(
    session: Session, f: Filter, g: Geografie, dim: str | None
) -> tuple[Select[Any], ColumnElement[Any] | None]:
    kolom: ColumnElement[Any] | None = None
    if dim == "thema":
        kolom = R.c.thema
    elif dim == "aanbieder":
        kolom = R.c.aanbieder_id
    elif dim in REGIO_DIMENSIES:
        kolom = R.c.gemeente_code
    elif dim in PERIODE_DIMENSIES:
        kolom = R.c.maand
    stats = [func.coalesce(func.sum(R.c[k]), 0).label(k) for k in cijfers.KOLOMMEN]
    q = select(*([kolom] if kolom is not None else []), *stats).select_from(R)
    if f.thema is not None:
        q = q.where(R.c.thema == f.thema)
    elif dim == "thema":
        q = q.where(R.c.thema != ALLE)
    else:
        q = q.where(R.c.thema == ALLE)
    q = _waar(q, R.c, f, g)  # never dienst or segment: those are read from the rows (_kies)
    # `van` and `tot` are first days of months here (maanden_en_randen)
    if f.van is not None:
        q = q.where(R.c.maand >= f.van)
    if f.tot is not None:
        q = q.where(R.c.maand <= f.tot)
    if kolom is not None:
        q = q.group_by(kolom)
    return q, kolom


def maand_van_dag(d: date) -> date:
    return d.replace(day=1)


def _volgende_maand(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def maanden_en_randen(f: Filter) -> tuple[Filter | None, list[Filter]]:
    """Split the period of `f` into the whole months the rollup holds (a filter whose `van` and
    `tot` are the first days of the first and last whole month; None when there is none) and
    the partial months at either end, read from the raw rows (filters with exact days)."""
    randen: list[Filter] = []
    van = None if f.van is None else maand_van_dag(f.van)
    if f.van is not None and f.van.day != 1:
        van = _volgende_maand(f.van)
        eind = van - timedelta(days=1)
        randen.append(replace(f, van=f.van, tot=eind if f.tot is None else min(eind, f.tot)))
    tot = None
    if f.tot is not None:
        na = f.tot + timedelta(days=1)
        if na.day == 1:  # the last day of its month
            tot = maand_van_dag(f.tot)
        else:
            begin = maand_van_dag(f.tot)
            tot = maand_van_dag(begin - timedelta(days=1))
            if van is None or begin >= van:
                randen.append(replace(f, van=begin if f.van is None else max(begin, f.van)))
    if van is not None and tot is not None and van > tot:
        return None, randen
    return replace(f, van=van, tot=tot), randen


def _ruw_query(
    session: Session, f: Filter, g: Geografie, dim: str | None
) -> tuple[Select[Any], ColumnElement[Any] | None]:
    kolom: ColumnElement[Any] | None = None
    dag = dag_expressie(session)
    van: Any = EnqueteAntwoord.__table__
    if dim == "thema":
        # a response without thema's is in the '' row, as in the rollup
        kolom = func.coalesce(AT.thema, "")
        van = van.outerjoin(EnqueteAntwoordThema.__table__)
    elif dim == "aanbieder":
        kolom = A.aanbieder_id
    elif dim == "dienst":
        kolom = A.dienst_id
    elif dim == "segment":
        kolom = A.segment
    elif dim in REGIO_DIMENSIES:
        kolom = A.gemeente_code
    elif dim in PERIODE_DIMENSIES:
        kolom = dag
    q = select(*([kolom] if kolom is not None else []), *sommen_uit_rijen()).select_from(van)
    if f.thema is not None:
        if dim == "thema":
            q = q.where(func.coalesce(AT.thema, "") == f.thema)
        else:
            q = q.where(
                select(AT.antwoord_id).where(AT.antwoord_id == A.id, AT.thema == f.thema).exists()
            )
    q = _waar(q, A, f, g)
    if f.van is not None:
        q = q.where(dag >= f.van)
    if f.tot is not None:
        q = q.where(dag <= f.tot)
    if kolom is not None:
        q = q.group_by(kolom)
    return q, kolom


def _kies(f: Filter, dim: str | None, bron: Bron) -> str:
    nodig_ruw = dim in ALLEEN_RUW or f.dienst_id is not None or f.segment is not None
    if bron == "rollup" and nodig_ruw:
        raise ValueError("dienst and segment are not in the rollup")
    return "ruw" if bron == "ruw" or nodig_ruw else "rollup"


def _sommen(rij: Any) -> cijfers.Sommen:
    return cijfers.Sommen(**{k: int(getattr(rij, k) or 0) for k in cijfers.KOLOMMEN})


def _groepen(
    session: Session, f: Filter, dim: str, g: Geografie, bron: Bron
) -> list[tuple[Any, cijfers.Sommen]]:
    """The statistics per raw value of the grouping column of `dim`: a gemeente for every
    region level, a day for every period, so one statement (cached per request) serves the
    total and every region or period breakdown of the same filter."""
    basis = "gemeente" if dim in REGIO_DIMENSIES else dim
    route = _kies(f, basis, bron)
    if basis in PERIODE_DIMENSIES:
        basis = "dag" if route == "ruw" else "maand"
    sleutel = ("groepen", f, basis, route)
    if sleutel not in g.cache:
        delen: list[tuple[Filter, Any, str]] = [(f, _ruw_query, basis)]
        if route == "rollup":
            heel, randen = maanden_en_randen(f)
            # the edge days grouped by day, so a period breakdown puts each in its month
            rand_basis = "dag" if basis == "maand" else basis
            delen = [(r, _ruw_query, rand_basis) for r in randen]
            if heel is not None:
                delen.insert(0, (heel, _rollup_query, basis))
        uit: list[tuple[Any, cijfers.Sommen]] = []
        for deel, bouw, b in delen:
            q, _ = bouw(session, deel, g, b)
            uit.extend((rij[0], _sommen(rij)) for rij in session.execute(q))
        g.cache[sleutel] = uit
    return g.cache[sleutel]


def sommen(
    session: Session, f: Filter, *, g: Geografie | None = None, bron: Bron = "auto"
) -> cijfers.Sommen:
    """The statistics of the responses `f` selects. From the rollup: the sum of its
    per-gemeente groups (the same statement the region breakdowns use)."""
    g = g or geografie(session)
    sleutel = ("sommen", f, None, bron)
    if sleutel not in g.cache:
        if _kies(f, None, bron) == "rollup":
            g.cache[sleutel] = cijfers.optellen(
                [s for _, s in _groepen(session, f, "gemeente", g, bron)]
            )
        else:
            q, _ = _ruw_query(session, f, g, None)
            g.cache[sleutel] = _sommen(session.execute(q).one())
    return g.cache[sleutel]


def sommen_per(
    session: Session,
    f: Filter,
    dim: str,
    *,
    g: Geografie | None = None,
    bron: Bron = "auto",
) -> dict[str, cijfers.Sommen]:
    """The statistics per value of `dim` (a key '' is 'unknown'), empty groups left out."""
    if dim not in DIMENSIES:
        raise Ongeldig("per", f"'{dim}' is geen indeling; kies uit {', '.join(DIMENSIES)}")
    g = g or geografie(session)
    sleutel_cache = ("per", f, dim, bron)
    if sleutel_cache in g.cache:
        return g.cache[sleutel_cache]
    uit: dict[str, cijfers.Sommen] = {}
    for waarde, s in _groepen(session, f, dim, g, bron):
        if dim in REGIO_DIMENSIES:
            sleutel = g.gemeenten.get(waarde or "", {}).get(dim, "")
        elif dim in PERIODE_DIMENSIES:
            if isinstance(waarde, str):
                waarde = date.fromisoformat(waarde[:10])
            sleutel = periode_van(waarde, dim)
        else:
            sleutel = "" if waarde is None else str(waarde)
        if s.n:
            uit[sleutel] = uit[sleutel] + s if sleutel in uit else s
    g.cache[sleutel_cache] = dict(sorted(uit.items()))
    return g.cache[sleutel_cache]


# --------------------------------------------------------------------------- figures, hidden


def _breedte(f: Filter, veld: str, g: Geografie) -> tuple[str, str]:
    """The breakdown a filter field belongs to, and this filter's key in it."""
    if veld == "regio":
        assert f.regio is not None
        return g.soort(f.regio), f.regio
    dim = {"aanbieder_id": "aanbieder", "dienst_id": "dienst"}.get(veld, veld)
    return dim, str(getattr(f, veld))


def cijfers_van(
    session: Session, f: Filter, *, minimum: int, g: Geografie | None = None, bron: Bron = "auto"
) -> cijfers.Kerncijfers:
    """The figures of one group, with R1 applied, and R2/R3: for each filter, the group is
    shown only when it is shown in the breakdown it is a child of (the same filter with that
    one field varying: a provincie among the provincies, ...). So a figure asked for on its
    own is hidden exactly when the breakdown on the dashboard hides it, and no set of single
    queries reveals more than the breakdowns do."""
    g = g or geografie(session)
    s = sommen(session, f, g=g, bron=bron)
    reden = None
    if s.n >= minimum:
        for veld, ouder in f.ouders():
            dim, sleutel = _breedte(f, veld, g)
            delen = sommen_per(session, ouder, dim, g=g, bron=bron)
            overlap = dim == "thema"
            totaal = sommen(session, ouder, g=g, bron=bron).n
            redenen, _ = cijfers.onderdruk(
                {k: d.n for k, d in delen.items()},
                minimum=minimum,
                totaal=None if overlap else totaal,
            )
            if redenen.get(sleutel) is not None or cijfers.rest_te_klein(
                s.n, totaal, minimum=minimum
            ):
                reden = cijfers.AFGELEID
                break
    return cijfers.kerncijfers(s, minimum=minimum, reden=reden)


@dataclass(frozen=True)
class Groep:
    sleutel: str
    cijfers: cijfers.Kerncijfers


@dataclass(frozen=True)
class Uitsplitsing:
    dimensie: str
    totaal: cijfers.Kerncijfers
    groepen: list[Groep]


def uitsplitsing(
    session: Session,
    f: Filter,
    dim: str,
    *,
    minimum: int,
    g: Geografie | None = None,
    bron: Bron = "auto",
) -> Uitsplitsing:
    """The figures per value of `dim` with R1, R2 and R3 applied, and their total (which is the
    group `f`, also for thema's, where one response may be in several children)."""
    g = g or geografie(session)
    delen = sommen_per(session, f, dim, g=g, bron=bron)
    totaal = cijfers_van(session, f, minimum=minimum, g=g, bron=bron)
    # R3 for each child: its parent along each filter is the same child with that filter off
    al: dict[Hashable, str] = {}
    for veld, ouder in f.ouders():
        if veld == "regio" and f.regio and dim in ("gemeente", g.soort(f.regio)):
            continue  # a child lies inside the region: without the region it is the same group
        ouder_delen = sommen_per(session, ouder, dim, g=g, bron=bron)
        for k, s in delen.items():
            if cijfers.rest_te_klein(s.n, ouder_delen.get(k, s).n, minimum=minimum):
                al[k] = cijfers.AFGELEID
    overlap = dim == "thema"
    redenen, totaal_reden = cijfers.onderdruk(
        {k: s.n for k, s in delen.items()},
        minimum=minimum,
        totaal=None if overlap else totaal.n,
        al_verborgen=al,
    )
    if overlap:
        totaal_reden = None  # thema's overlap: the total minus the others is no group
    if totaal_reden and not totaal.verborgen:
        totaal = cijfers.kerncijfers(
            sommen(session, f, g=g, bron=bron), minimum=minimum, reden=totaal_reden
        )
    groepen = [
        Groep(k, cijfers.kerncijfers(s, minimum=minimum, reden=redenen[k]))
        for k, s in delen.items()
    ]
    return Uitsplitsing(dim, totaal, groepen)


# --------------------------------------------------------------------------- scope and overview


def binnen_bereik(actor: Actor, f: Filter, g: Geografie) -> Filter:
    """The filter narrowed to what this role may see: a stelselregisseur and beheerder the
    nation, a regiocoördinator their own region (another region: Verboden), a manager their own
    aanbieder. Other roles see no figures. A bad region code is Ongeldig (checked first)."""
    if f.regio is not None:
        g.soort(f.regio)
    if actor.rol in (rollen.STELSELREGISSEUR, rollen.BEHEERDER):
        return f
    if actor.rol == rollen.REGIOCOORDINATOR and actor.regio_code:
        if f.regio is None:
            return replace(f, regio=actor.regio_code)
        if not set(g.gemeenten_in(f.regio)) <= set(g.gemeenten_in(actor.regio_code)):
            raise Verboden("U ziet alleen de cijfers van uw eigen regio.")
        return f
    if actor.rol == rollen.MANAGER and actor.aanbieder_id:
        if f.aanbieder_id not in (None, actor.aanbieder_id):
            raise Verboden("U ziet alleen de cijfers van uw eigen organisatie.")
        return replace(f, aanbieder_id=actor.aanbieder_id)
    raise Verboden("Deze cijfers zijn voor regisseurs, regiocoördinatoren en managers.")


def mag_cijfers_zien(actor: Actor) -> bool:
    if actor.rol in (rollen.STELSELREGISSEUR, rollen.BEHEERDER):
        return True
    if actor.rol == rollen.REGIOCOORDINATOR:
        return bool(actor.regio_code)
    return actor.rol == rollen.MANAGER and actor.aanbieder_id is not None


def uitnodigingen(session: Session, f: Filter, g: Geografie) -> tuple[int, int]:
    """(invitations made, invitations answered) in the period of `f`, for the response rate."""
    U = EnqueteUitnodiging.__table__.c
    UT = EnqueteUitnodigingThema.__table__.c
    q = _waar(select(func.count(), func.count(U.beantwoord_op)), U, f, g)
    if f.thema is not None:
        q = q.where(
            select(UT.uitnodiging_id).where(UT.uitnodiging_id == U.id, UT.thema == f.thema).exists()
        )
    if f.van is not None:
        q = q.where(U.aangemaakt_op >= datetime.combine(f.van, time(), UTC))
    if f.tot is not None:
        q = q.where(U.aangemaakt_op < datetime.combine(f.tot + timedelta(days=1), time(), UTC))
    n, beantwoord = session.execute(q).one()
    return int(n), int(beantwoord)


@dataclass(frozen=True)
class Overzicht:
    """Every figure of one group: the survey's, the referral chains', the response rate."""

    filter: Filter
    kern: cijfers.Kerncijfers
    keten: cijfers.Ketencijfers
    respons: cijfers.Aandeel


def ketensommen(session: Session, f: Filter, g: Geografie, vandaag: date) -> cijfers.Ketensommen:
    k = doorverwijzing.kwaliteit_cijfers.ketensommen(
        session=session,
        vandaag=vandaag,
        gemeenten=None if f.regio is None else g.gemeenten_in(f.regio),
        aanbieder_id=f.aanbieder_id,
        thema=f.thema,
        van=f.van,
        tot=f.tot,
    )
    return cijfers.Ketensommen(**asdict(k))


def _zonder_keten(f: Filter, kern: cijfers.Kerncijfers, minimum: int) -> Overzicht:
    leeg = cijfers.ketencijfers(cijfers.Ketensommen(), minimum=minimum)
    return Overzicht(f, kern, leeg, leeg.te_laat)


def overzicht(
    session: Session,
    f: Filter,
    *,
    minimum: int,
    vandaag: date,
    g: Geografie | None = None,
    met_keten: bool = True,
) -> Overzicht:
    """Every figure of the group `f`; with met_keten=False the survey figures only (the
    referral figures and the response rate left empty: they read raw rows)."""
    g = g or geografie(session)
    kern = cijfers_van(session, f, minimum=minimum, g=g)
    if not met_keten:
        return _zonder_keten(f, kern, minimum)
    n, beantwoord = uitnodigingen(session, f, g)
    return Overzicht(
        filter=f,
        kern=kern,
        keten=cijfers.ketencijfers(ketensommen(session, f, g, vandaag), minimum=minimum),
        respons=cijfers.responspercentage(beantwoord, n, minimum=minimum),
    )


def reeks(
    session: Session,
    f: Filter,
    per: str,
    *,
    minimum: int,
    vandaag: date,
    g: Geografie | None = None,
    met_keten: bool = True,
) -> list[tuple[str, Overzicht]]:
    """The overview per period (maand, kwartaal, jaar) over the periods that have responses.
    The survey figures are one breakdown (R2 over the periods); the referral figures and the
    response rate are computed per period (left empty with met_keten=False)."""
    g = g or geografie(session)
    u = uitsplitsing(session, f, per, minimum=minimum, g=g)
    uit = []
    for groep in u.groepen:
        van, tot = periode_grenzen(groep.sleutel)
        fp = replace(f, van=max(van, f.van or van), tot=min(tot, f.tot or tot))
        if not met_keten:
            uit.append((groep.sleutel, _zonder_keten(fp, groep.cijfers, minimum)))
            continue
        n, beantwoord = uitnodigingen(session, fp, g)
        uit.append(
            (
                groep.sleutel,
                Overzicht(
                    filter=fp,
                    kern=groep.cijfers,
                    keten=cijfers.ketencijfers(
                        ketensommen(session, fp, g, vandaag), minimum=minimum
                    ),
                    respons=cijfers.responspercentage(beantwoord, n, minimum=minimum),
                ),
            )
        )
    return uit
