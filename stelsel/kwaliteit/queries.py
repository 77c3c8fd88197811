"""Read side of the kwaliteit domain: the statistics of a group, and breakdowns, in SQL that runs
on SQLite and PostgreSQL.

Totals, and breakdowns by aanbieder, thema, region and period, read `kwaliteit_rollup`; dienst
and segment are not in the rollup and read the raw responses (`bron="ruw"` forces the raw rows
for any query: the tests compare both). Regions are sets of gemeenten (the geo domain's
mapping), so a gemeente, arbeidsmarktregio, COROP or provincie is filtered the same way on the
rollup and on the raw rows. Periods are whole UTC days; a breakdown per month, quarter or year
groups the days in Python (at most a few thousand rows).

Then the minimum group rule (cijfers.py) is applied: R1 and R2 in every breakdown, R3 against
each parent that drops one filter.
"""

import uuid
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from stelsel.errors import Ongeldig
from stelsel.geo import service as geo
from stelsel.kwaliteit import cijfers
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema
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
ALLEEN_RUW = ("dienst", "segment")
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


def geografie(session: Session) -> Geografie:
    g = Geografie(namen=geo.area_names(session=session))
    for gm in geo.get_all(session=session):
        gebied = geo.gebied(gm)
        g.gemeenten[gm.code] = dict(gebied.codes())
    return g


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
        kolom = R.c.dag
    stats = [func.coalesce(func.sum(R.c[k]), 0).label(k) for k in cijfers.KOLOMMEN]
    q = select(*([kolom] if kolom is not None else []), *stats).select_from(R)
    if f.thema is not None:
        q = q.where(R.c.thema == f.thema)
    elif dim == "thema":
        q = q.where(R.c.thema != ALLE)
    else:
        q = q.where(R.c.thema == ALLE)
    if f.aanbieder_id is not None:
        q = q.where(R.c.aanbieder_id == f.aanbieder_id)
    if f.regio is not None:
        q = q.where(R.c.gemeente_code.in_(g.gemeenten_in(f.regio)))
    if f.van is not None:
        q = q.where(R.c.dag >= f.van)
    if f.tot is not None:
        q = q.where(R.c.dag <= f.tot)
    if kolom is not None:
        q = q.group_by(kolom)
    return q, kolom


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
    if f.aanbieder_id is not None:
        q = q.where(A.aanbieder_id == f.aanbieder_id)
    if f.dienst_id is not None:
        q = q.where(A.dienst_id == f.dienst_id)
    if f.segment is not None:
        q = q.where(A.segment == f.segment)
    if f.regio is not None:
        q = q.where(A.gemeente_code.in_(g.gemeenten_in(f.regio)))
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


def sommen(
    session: Session, f: Filter, *, g: Geografie | None = None, bron: Bron = "auto"
) -> cijfers.Sommen:
    """The statistics of the responses `f` selects."""
    g = g or geografie(session)
    bouw = _ruw_query if _kies(f, None, bron) == "ruw" else _rollup_query
    q, _ = bouw(session, f, g, None)
    return _sommen(session.execute(q).one())


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
    bouw = _ruw_query if _kies(f, dim, bron) == "ruw" else _rollup_query
    q, _ = bouw(session, f, g, dim)
    uit: dict[str, cijfers.Sommen] = {}
    for rij in session.execute(q):
        waarde = rij[0]
        if dim in REGIO_DIMENSIES:
            sleutel = g.gemeenten.get(waarde or "", {}).get(dim, "")
        elif dim in PERIODE_DIMENSIES:
            if isinstance(waarde, str):
                waarde = date.fromisoformat(waarde[:10])
            sleutel = periode_van(waarde, dim)
        else:
            sleutel = "" if waarde is None else str(waarde)
        s = _sommen(rij)
        if s.n:
            uit[sleutel] = uit[sleutel] + s if sleutel in uit else s
    return dict(sorted(uit.items()))


# --------------------------------------------------------------------------- figures, hidden


def cijfers_van(
    session: Session, f: Filter, *, minimum: int, g: Geografie | None = None, bron: Bron = "auto"
) -> cijfers.Kerncijfers:
    """The figures of one group, with R1 and R3 applied."""
    g = g or geografie(session)
    s = sommen(session, f, g=g, bron=bron)
    reden = None
    if s.n >= minimum:
        for _, ouder in f.ouders():
            if cijfers.rest_te_klein(
                s.n, sommen(session, ouder, g=g, bron=bron).n, minimum=minimum
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
    for _, ouder in f.ouders():
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
