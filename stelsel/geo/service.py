"""Geography service: load reference data and resolve what a user types to a gemeente.

This module is the geo domain's public face: other domains call these functions and never
query the geo tables themselves.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stelsel.errors import NietGevonden, Ongeldig
from stelsel.geo.models import Arbeidsmarktregio, Corop, Plaatsnaam, Postcodegebied, Provincie
from stelsel.geo.models import Gemeente as GemeenteRij

_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


class GemeenteOnbekend(Ongeldig):
    """The text does not identify exactly one gemeente."""

    def __init__(self, tekst: str, kandidaten: list[str] | None = None, veld: str = "gemeente"):
        self.tekst = tekst
        self.kandidaten = kandidaten or []
        if self.kandidaten:
            msg = f"'{tekst}' past bij meerdere gemeenten: {', '.join(self.kandidaten)}"
        else:
            msg = f"'{tekst}' is geen bekende gemeente, woonplaats, CBS-code of postcode"
        super().__init__(veld, msg)

    def __str__(self) -> str:
        return self.reden


@dataclass(frozen=True, slots=True)
class RegioWaarde:
    """A provincie, COROP-gebied or arbeidsmarktregio a gemeente lies in."""

    code: str
    naam: str


@dataclass(frozen=True, slots=True)
class GemeenteWaarde:
    """A gemeente as other domains see it: its code, name, population and the regions it lies
    in. A value, not the ORM row: the geo tables stay inside this domain."""

    code: str
    naam: str
    provincie: RegioWaarde
    corop: RegioWaarde
    arbeidsmarktregio: RegioWaarde
    inwoners: int | None

    @property
    def provincie_code(self) -> str:
        return self.provincie.code

    @property
    def corop_code(self) -> str:
        return self.corop.code

    @property
    def arbeidsmarktregio_code(self) -> str:
        return self.arbeidsmarktregio.code


def _waarde(g: GemeenteRij) -> GemeenteWaarde:
    return GemeenteWaarde(
        code=g.code,
        naam=g.naam,
        provincie=RegioWaarde(g.provincie.code, g.provincie.naam),
        corop=RegioWaarde(g.corop.code, g.corop.naam),
        arbeidsmarktregio=RegioWaarde(g.arbeidsmarktregio.code, g.arbeidsmarktregio.naam),
        inwoners=g.inwoners,
    )


@dataclass(frozen=True)
class Gebied:
    """The areas a gemeente lies in, by kind: used to match a dienst's werkgebied."""

    gemeente: str
    provincie: str
    corop: str
    arbeidsmarktregio: str

    def codes(self) -> list[tuple[str, str]]:
        return [
            ("gemeente", self.gemeente),
            ("provincie", self.provincie),
            ("corop", self.corop),
            ("arbeidsmarktregio", self.arbeidsmarktregio),
        ]


def normaliseer(naam: str) -> str:
    """Lower-case, accents removed, punctuation folded: 'Súdwest-Fryslân' → 'sudwest fryslan'."""
    text = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return text.strip()


def is_loaded(*, session: Session) -> bool:
    """Whether the geography reference data is present."""
    return session.execute(select(func.count()).select_from(GemeenteRij)).scalar_one() > 0


def load(*, session: Session, geo_dir: Path) -> int:
    """Load gemeenten, regions, postcodes and place names from CSV; returns gemeenten loaded."""
    with open(geo_dir / "gemeenten.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    provincies = {r["provinciecode"]: r["provincie"] for r in rows}
    corops = {r["corop_code"]: r["corop"] for r in rows}
    amrs = {r["arbeidsmarktregio_code"]: r["arbeidsmarktregio"] for r in rows}
    session.add_all(Provincie(code=c, naam=n) for c, n in sorted(provincies.items()))
    session.add_all(Corop(code=c, naam=n) for c, n in sorted(corops.items()))
    session.add_all(Arbeidsmarktregio(code=c, naam=n) for c, n in sorted(amrs.items()))
    session.flush()
    plaatsnamen: set[tuple[str, int, str]] = set()
    for r in rows:
        session.add(
            GemeenteRij(
                code=r["gemeentecode"],
                naam=r["gemeentenaam"],
                provincie_code=r["provinciecode"],
                corop_code=r["corop_code"],
                arbeidsmarktregio_code=r["arbeidsmarktregio_code"],
                inwoners=int(r["inwoners_2022_01_01"]) if r["inwoners_2022_01_01"] else None,
            )
        )
        plaatsnamen.add((r["gemeentenaam"], 0, r["gemeentecode"]))
        plaatsnamen.add((_SUFFIX.sub("", r["gemeentenaam"]), 0, r["gemeentecode"]))
    session.flush()
    with open(geo_dir / "aliassen.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            plaatsnamen.add((r["naam"], 1, r["gemeentecode"]))
    with open(geo_dir / "woonplaatsen.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            plaatsnamen.add((r["woonplaatsnaam"], 2, r["gemeentecode"]))
    session.add_all(
        Plaatsnaam(naam=n, naam_genormaliseerd=normaliseer(n), rang=rang, gemeente_code=code)
        for n, rang, code in sorted(plaatsnamen)
    )
    with open(geo_dir / "pc4_gemeente.csv", encoding="utf-8") as f:
        session.add_all(
            Postcodegebied(pc4=r["pc4"], gemeente_code=r["gemeentecode"]) for r in csv.DictReader(f)
        )
    session.flush()
    return len(rows)


def get(*, session: Session, code: str) -> GemeenteWaarde | None:
    """A gemeente by CBS code (GM0014)."""
    g = session.get(GemeenteRij, code.upper())
    return _waarde(g) if g is not None else None


def get_all(*, session: Session, provincie: str | None = None) -> list[GemeenteWaarde]:
    """All gemeenten sorted by name, optionally of one provincie (code or name)."""
    stmt = _ALLE_GEMEENTEN
    if provincie:
        stmt = stmt.where(
            (Provincie.code == provincie.upper())
            | (func.lower(Provincie.naam) == provincie.lower())
        )
    return [
        GemeenteWaarde(
            code=r[0],
            naam=r[1],
            provincie=RegioWaarde(r[2], r[3]),
            corop=RegioWaarde(r[4], r[5]),
            arbeidsmarktregio=RegioWaarde(r[6], r[7]),
            inwoners=r[8],
        )
        for r in session.execute(stmt)
    ]


# Columns, not ORM rows with their three regions loaded: 342 gemeenten as ORM objects took 20 of
# the 25 ms of GET /gemeenten.
_ALLE_GEMEENTEN = (
    select(
        GemeenteRij.code,
        GemeenteRij.naam,
        Provincie.code,
        Provincie.naam,
        Corop.code,
        Corop.naam,
        Arbeidsmarktregio.code,
        Arbeidsmarktregio.naam,
        GemeenteRij.inwoners,
    )
    .join(Provincie, Provincie.code == GemeenteRij.provincie_code)
    .join(Corop, Corop.code == GemeenteRij.corop_code)
    .join(Arbeidsmarktregio, Arbeidsmarktregio.code == GemeenteRij.arbeidsmarktregio_code)
    .order_by(GemeenteRij.naam)
)


def resolve(*, session: Session, tekst: str, veld: str = "gemeente") -> GemeenteWaarde:
    """Find the gemeente meant by a CBS code, a 4-digit postcode, a gemeente or woonplaats name.

    Raises GemeenteOnbekend (for the field `veld`) when nothing or more than one gemeente fits.
    """
    try:
        return _waarde(_resolve(session, tekst))
    except GemeenteOnbekend as e:
        e.veld = veld
        raise


def _resolve(session: Session, tekst: str) -> GemeenteRij:
    text = tekst.strip()
    if re.fullmatch(r"(?i)gm\d{4}", text):
        gemeente = session.get(GemeenteRij, text.upper())
        if gemeente:
            return gemeente
        raise GemeenteOnbekend(tekst)
    postcode = re.fullmatch(r"(\d{4})\s*(?:[a-zA-Z]{2})?", text)
    if postcode:
        pc = session.get(Postcodegebied, postcode.group(1))
        if pc:
            return session.get_one(GemeenteRij, pc.gemeente_code)
        raise GemeenteOnbekend(tekst)
    key = normaliseer(text)
    if not key:
        raise GemeenteOnbekend(tekst)
    matches = session.execute(
        select(Plaatsnaam.rang, Plaatsnaam.gemeente_code)
        .where(Plaatsnaam.naam_genormaliseerd == key)
        .order_by(Plaatsnaam.rang)
    ).all()
    if not matches:
        raise GemeenteOnbekend(tekst)
    best = matches[0].rang
    codes = sorted({m.gemeente_code for m in matches if m.rang == best})
    if len(codes) > 1:
        namen = [session.get_one(GemeenteRij, c).naam for c in codes]
        raise GemeenteOnbekend(tekst, namen)
    return session.get_one(GemeenteRij, codes[0])


def vind(*, session: Session, tekst: str) -> GemeenteWaarde:
    """resolve(), for a path that names a gemeente: when none fits, it does not exist (404)."""
    try:
        return resolve(session=session, tekst=tekst)
    except GemeenteOnbekend as e:
        raise NietGevonden(e.reden) from None


def gebied(gemeente: GemeenteWaarde) -> Gebied:
    """The areas a gemeente lies in."""
    return Gebied(
        gemeente=gemeente.code,
        provincie=gemeente.provincie_code,
        corop=gemeente.corop_code,
        arbeidsmarktregio=gemeente.arbeidsmarktregio_code,
    )


def known_codes(*, session: Session) -> dict[str, set[str]]:
    """All valid area codes per werkgebied kind, for validating imports."""
    return {
        "provincie": set(session.scalars(select(Provincie.code))),
        "arbeidsmarktregio": set(session.scalars(select(Arbeidsmarktregio.code))),
        "corop": set(session.scalars(select(Corop.code))),
        "gemeente": set(session.scalars(select(GemeenteRij.code))),
    }


def area_names(*, session: Session) -> dict[tuple[str, str], str]:
    """Display names of all areas, keyed by (kind, code)."""
    names: dict[tuple[str, str], str] = {}
    for kind, model in (
        ("provincie", Provincie),
        ("arbeidsmarktregio", Arbeidsmarktregio),
        ("corop", Corop),
        ("gemeente", GemeenteRij),
    ):
        for code, naam in session.execute(select(model.code, model.naam)):
            names[(kind, code)] = naam
    return names


# --- regions as resources ---------------------------------------------------------------------

# The kinds of region above the gemeente: API resource -> (model, the gemeente's column).
REGIO_SOORTEN: dict[str, tuple[Any, Any]] = {
    "provincie": (Provincie, GemeenteRij.provincie_code),
    "arbeidsmarktregio": (Arbeidsmarktregio, GemeenteRij.arbeidsmarktregio_code),
    "corop": (Corop, GemeenteRij.corop_code),
}


@dataclass(frozen=True)
class RegioSamenvatting:
    """A region and how many gemeenten it holds."""

    soort: str
    code: str
    naam: str
    aantal_gemeenten: int


@dataclass(frozen=True)
class RegioMetGemeenten:
    """A region with its gemeenten (code, naam), sorted by name."""

    soort: str
    code: str
    naam: str
    gemeenten: tuple[tuple[str, str], ...]


def _regios_met_aantallen(soort: str):
    model, kolom = REGIO_SOORTEN[soort]
    aantal = select(kolom.label("code"), func.count().label("n")).group_by(kolom).subquery("aantal")
    return (
        select(model.code, model.naam, func.coalesce(aantal.c.n, 0))
        .outerjoin(aantal, aantal.c.code == model.code)
        .order_by(model.code)
    )


# One statement per kind, built once: building it again for each request took most of the
# request's time in SQLAlchemy (its cache key is worked out once per statement object).
_REGIOS_MET_AANTALLEN = {soort: _regios_met_aantallen(soort) for soort in REGIO_SOORTEN}


def get_all_regios(
    *, session: Session, soort: str, offset: int = 0, limit: int | None = None
) -> tuple[list[RegioSamenvatting], int]:
    """The regions of a kind sorted by code, with their number of gemeenten; (page, total).
    There are at most a few dozen of a kind (CBS), so all are read and the page is cut here."""
    alle = [
        RegioSamenvatting(soort, c, n, int(a))
        for c, n, a in session.execute(_REGIOS_MET_AANTALLEN[soort])
    ]
    return alle[offset : None if limit is None else offset + limit], len(alle)


def get_regio(*, session: Session, soort: str, code: str) -> RegioMetGemeenten:
    """One region by code (PV21, AM18, CR23) or name, in any case; NietGevonden otherwise."""
    model, kolom = REGIO_SOORTEN[soort]
    regio = session.get(model, code.upper()) or session.scalar(
        select(model).where(func.lower(model.naam) == code.strip().lower())
    )
    if regio is None:
        raise NietGevonden(f"Geen {soort} met code of naam '{code[:60]}'")
    gemeenten = session.execute(
        select(GemeenteRij.code, GemeenteRij.naam)
        .where(kolom == regio.code)
        .order_by(GemeenteRij.naam)
    )
    return RegioMetGemeenten(soort, regio.code, regio.naam, tuple((c, n) for c, n in gemeenten))
