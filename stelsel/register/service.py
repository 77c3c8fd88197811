"""Register service: the dienstenregister's public face.

Other domains (wegwijzer, doorverwijzing, analyse) call these functions; they never query the
register's tables themselves.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path

from sqlalchemy import event, exists, func, inspect, or_, select, update
from sqlalchemy.orm import Session, selectinload

from stelsel.geo import service as geo
from stelsel.register import analysebron as analysebron
from stelsel.register import csvformaat, taxonomie
from stelsel.register.csvformaat import AanbiederRecord, DienstRecord, Register
from stelsel.register.models import (
    Aanbieder,
    Dienst,
    DienstKenmerk,
    DienstWerkgebied,
    RegisterVersie,
    slug_uuid,
)

# Label kinds stored in dienst_kenmerk, with the record attribute they come from.
KENMERK_VELDEN = {
    "thema": "themas",
    "transitiethema": "transitiethemas",
    "fase": "fasen",
    "doelgroep": "doelgroepen",
    "kanaal": "kanalen",
}


@dataclass
class DienstFilter:
    """Filters for listing diensten; every field optional."""

    thema: str | None = None
    soort: str | None = None
    fase: str | None = None
    doelgroep: str | None = None
    gebied: geo.Gebied | None = None
    aanbieder_id: uuid.UUID | None = None
    q: str | None = None
    peildatum: date | None = None


def is_empty(*, session: Session) -> bool:
    """Whether the register holds no aanbieders."""
    return session.scalar(select(func.count()).select_from(Aanbieder)) == 0


def read_csv(*, session: Session, map_: Path) -> Register:
    """Read and validate a register folder against the loaded geography (raises ImportFout)."""
    return csvformaat.read_dir(map_, geo.known_codes(session=session))


def load(
    *, session: Session, register: Register, voortgang: Callable[[int], None] | None = None
) -> tuple[int, int]:
    """Add validated records to the register in the caller's transaction; returns counts.

    Fails (ImportFout) when an id or naam already exists in the database, so an import into a
    filled register never half-overwrites it.
    """
    tick = voortgang or (lambda n: None)
    bestaand = set(session.scalars(select(Aanbieder.slug))) | set(
        session.scalars(select(Dienst.slug))
    )
    # lower-cased in Python: SQLite's lower() leaves non-ASCII letters alone, PostgreSQL's not
    namen = {n.lower(): n for n in session.scalars(select(Aanbieder.naam))}
    A, D = csvformaat.AANBIEDERS_CSV, csvformaat.DIENSTEN_CSV

    def probleem(bestand: str, id_: str, i: int, veld: str, reden: str) -> csvformaat.Probleem:
        waar, regel = register.waar(bestand, id_, i)
        return csvformaat.Probleem(waar, regel, veld, reden)

    botsingen = (
        [
            probleem(A, a.id, i, "id", f"'{a.id}' bestaat al")
            for i, a in enumerate(register.aanbieders)
            if a.id in bestaand
        ]
        + [
            probleem(A, a.id, i, "naam", f"'{a.naam}' bestaat al (als '{namen[a.naam.lower()]}')")
            for i, a in enumerate(register.aanbieders)
            if a.naam.lower() in namen
        ]
        + [
            probleem(D, d.id, i, "id", f"'{d.id}' bestaat al")
            for i, d in enumerate(register.diensten)
            if d.id in bestaand
        ]
    )
    if botsingen:
        raise csvformaat.ImportFout(sorted(botsingen, key=lambda p: (p.bestand, p.regel)))
    for a in register.aanbieders:
        session.add(_aanbieder_from_record(a))
        tick(1)
    session.flush()
    for d in register.diensten:
        session.add(_dienst_from_record(d))
        tick(1)
    session.flush()
    return len(register.aanbieders), len(register.diensten)


# Fields an aanbieder has in the CSV and in the table alike (the slug is the CSV's id).
_AANBIEDER_VELDEN = [k for k in csvformaat.AANBIEDER_KOLOMMEN if k != "id"]


def _aanbieder_from_record(a: AanbiederRecord) -> Aanbieder:
    return Aanbieder(
        id=slug_uuid("aanbieder", a.id),
        slug=a.id,
        **{k: getattr(a, k) for k in _AANBIEDER_VELDEN},
    )


def _dienst_from_record(d: DienstRecord) -> Dienst:
    dienst = Dienst(
        id=slug_uuid("dienst", d.id),
        slug=d.id,
        aanbieder_id=slug_uuid("aanbieder", d.aanbieder),
        naam=d.naam,
        omschrijving=d.omschrijving,
        soort=d.soort,
        kosten=d.kosten,
        landelijk=not d.werkgebied,
        geldig_van=d.geldig_van,
        geldig_tot=d.geldig_tot,
        trefwoorden=";".join(d.trefwoorden),
        website=d.website,
    )
    dienst.kenmerken = [
        DienstKenmerk(soort=soort, code=code, volgorde=i)
        for soort, attr in KENMERK_VELDEN.items()
        for i, code in enumerate(getattr(d, attr))
    ]
    dienst.werkgebied = [DienstWerkgebied(soort=s, code=c) for s, c in d.werkgebied]
    return dienst


def to_register(*, session: Session) -> Register:
    """The whole register as records (for export)."""
    aanbieders = session.scalars(select(Aanbieder).order_by(Aanbieder.slug)).all()
    diensten = session.scalars(select(Dienst).order_by(Dienst.slug)).all()
    return Register(
        aanbieders=[
            AanbiederRecord(id=a.slug, **{k: getattr(a, k) for k in _AANBIEDER_VELDEN})
            for a in aanbieders
        ],
        diensten=[dienst_record(d) for d in diensten],
    )


def dienst_record(d: Dienst) -> DienstRecord:
    """A dienst as a plain record (no ORM), for export and for pure logic such as matching."""
    return DienstRecord(
        id=d.slug,
        aanbieder=d.aanbieder.slug,
        naam=d.naam,
        omschrijving=d.omschrijving,
        themas=d.codes("thema"),
        transitiethemas=d.codes("transitiethema"),
        soort=d.soort,
        fasen=d.codes("fase"),
        doelgroepen=d.codes("doelgroep"),
        kanalen=d.codes("kanaal"),
        kosten=d.kosten,
        werkgebied=csvformaat.sort_werkgebied((w.soort, w.code) for w in d.werkgebied),
        geldig_van=d.geldig_van,
        geldig_tot=d.geldig_tot,
        trefwoorden=[t for t in d.trefwoorden.split(";") if t],
        website=d.website,
    )


# --- queries -------------------------------------------------------------------------------


def _by_id_or_slug(model, value: str):
    try:
        return model.id == uuid.UUID(value)
    except ValueError:
        return model.slug == value


def get_aanbieder(*, session: Session, aanbieder_id: str) -> Aanbieder | None:
    """An aanbieder by UUID or slug."""
    return session.scalar(select(Aanbieder).where(_by_id_or_slug(Aanbieder, aanbieder_id)))


def get_dienst(*, session: Session, dienst_id: str) -> Dienst | None:
    """A dienst by UUID or slug."""
    return session.scalar(select(Dienst).where(_by_id_or_slug(Dienst, dienst_id)))


def get_all_aanbieders(
    *,
    session: Session,
    niveau: str | None = None,
    soort: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[Aanbieder], int]:
    """Aanbieders sorted by name, filtered; returns (page, total)."""
    stmt = select(Aanbieder)
    if niveau:
        stmt = stmt.where(Aanbieder.niveau == niveau)
    if soort:
        stmt = stmt.where(Aanbieder.soort == soort)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(Aanbieder.naam).like(like), func.lower(Aanbieder.korte_naam).like(like))
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    # Callers show each aanbieder's number of diensten: load them in one go, not per row, and
    # without the diensten's own labels and areas (12k rows for the whole register).
    page = session.scalars(
        stmt.options(selectinload(Aanbieder.diensten).lazyload("*"))
        .order_by(Aanbieder.naam)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(page), total or 0


@dataclass(frozen=True)
class AanbiederKort:
    """An aanbieder as a choice list shows it: who, what kind, and its desk address."""

    id: uuid.UUID
    slug: str
    naam: str
    soort: str
    email: str


def aanbieder_keuzes(*, session: Session) -> list[AanbiederKort]:
    """Every aanbieder by name, as plain values (one query, no diensten loaded)."""
    rijen = session.execute(
        select(
            Aanbieder.id, Aanbieder.slug, Aanbieder.naam, Aanbieder.soort, Aanbieder.email
        ).order_by(Aanbieder.naam)
    )
    return [AanbiederKort(*r) for r in rijen]


def _has_kenmerk(soort: str, code: str):
    return exists().where(
        DienstKenmerk.dienst_id == Dienst.id,
        DienstKenmerk.soort == soort,
        DienstKenmerk.code == code,
    )


def beschikbaar_in(gebied: geo.Gebied):
    """SQL condition: the dienst is national or its werkgebied covers the gebied."""
    area = or_(
        *(
            (DienstWerkgebied.soort == soort) & (DienstWerkgebied.code == code)
            for soort, code in gebied.codes()
        )
    )
    return or_(
        Dienst.landelijk.is_(True),
        exists().where(DienstWerkgebied.dienst_id == Dienst.id, area),
    )


def _diensten_stmt(f: DienstFilter):
    stmt = select(Dienst)
    if f.thema:
        stmt = stmt.where(_has_kenmerk("thema", f.thema))
    if f.fase:
        stmt = stmt.where(_has_kenmerk("fase", f.fase))
    if f.doelgroep:
        stmt = stmt.where(_has_kenmerk("doelgroep", f.doelgroep))
    if f.soort:
        stmt = stmt.where(Dienst.soort == f.soort)
    if f.aanbieder_id:
        stmt = stmt.where(Dienst.aanbieder_id == f.aanbieder_id)
    if f.gebied:
        stmt = stmt.where(beschikbaar_in(f.gebied))
    if f.peildatum:
        stmt = stmt.where(
            or_(Dienst.geldig_van.is_(None), Dienst.geldig_van <= f.peildatum),
            or_(Dienst.geldig_tot.is_(None), Dienst.geldig_tot >= f.peildatum),
        )
    if f.q:
        for word in f.q.lower().split():
            like = f"%{word}%"
            stmt = stmt.where(
                or_(
                    func.lower(Dienst.naam).like(like),
                    func.lower(Dienst.omschrijving).like(like),
                    func.lower(Dienst.trefwoorden).like(like),
                    Dienst.aanbieder_id.in_(
                        select(Aanbieder.id).where(
                            or_(
                                func.lower(Aanbieder.naam).like(like),
                                func.lower(Aanbieder.korte_naam).like(like),
                            )
                        )
                    ),
                )
            )
    return stmt


def get_all_diensten(
    *, session: Session, filter: DienstFilter, offset: int = 0, limit: int | None = None
) -> tuple[list[Dienst], int]:
    """Diensten matching the filter, national ones last within a region; returns (page, total)."""
    stmt = _diensten_stmt(filter)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    order = [Dienst.landelijk, Dienst.naam] if filter.gebied else [Dienst.naam]
    page = session.scalars(stmt.order_by(*order, Dienst.slug).offset(offset).limit(limit)).all()
    return list(page), total or 0


def counts(*, session: Session) -> dict[str, int]:
    """Headline counts of the register."""
    return {
        "aanbieders": session.scalar(select(func.count()).select_from(Aanbieder)) or 0,
        "diensten": session.scalar(select(func.count()).select_from(Dienst)) or 0,
    }


def versie(*, session: Session) -> str:
    """A value that changes whenever the register's searchable content changes (for caches
    such as the wegwijzer's index): one primary-key read, bumped by every flush that writes a
    register row (_bump_versie). A change of an aanbieder's contact data alone (e-mail,
    telephone, website) does not count: nothing cached holds it, it is always read live."""
    return session.scalar(select(RegisterVersie.versie).where(RegisterVersie.id == 1)) or ""


_REGISTER_RIJEN = (Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied)
_CONTACT = frozenset({"email", "telefoon", "website", "bijgewerkt_op"})


def _alleen_contact(rij: object) -> bool:
    """A changed aanbieder of which only contact data changed."""
    if not isinstance(rij, Aanbieder):
        return False
    staat = inspect(rij)
    gewijzigd = {a.key for a in staat.attrs if a.history.has_changes()}
    return gewijzigd <= _CONTACT


@event.listens_for(Session, "before_flush")
def _bump_versie(session: Session, _context, _instances) -> None:
    """Any register row added, changed or removed gives the register a new version, in the same
    transaction (so a rolled-back change leaves the version as it was)."""
    gewijzigd = [r for r in session.dirty if not _alleen_contact(r)]
    rijen = (*session.new, *gewijzigd, *session.deleted)
    if any(isinstance(r, _REGISTER_RIJEN) for r in rijen):
        session.execute(
            update(RegisterVersie)
            .where(RegisterVersie.id == 1)
            .values(versie=uuid.uuid4().hex, gewijzigd_op=func.now())
        )


def diensten_per_thema(*, session: Session, gebied: geo.Gebied) -> dict[str, list[Dienst]]:
    """Diensten available in an area, grouped per thema (regional and local first)."""
    diensten, _ = get_all_diensten(session=session, filter=DienstFilter(gebied=gebied))
    groups: dict[str, list[Dienst]] = {code: [] for code in taxonomie.codes(taxonomie.THEMAS)}
    for d in diensten:
        for code in d.codes("thema"):
            groups[code].append(d)
    return {code: items for code, items in groups.items() if items}


def last_modified(*, session: Session) -> dict[str, str]:
    """When each dienst last changed (RFC 3339, UTC, e.g. 2026-11-23T02:03:21.123Z), by slug."""
    # SQLite hands back naive datetimes; every stored timestamp is UTC.
    return {
        slug: (ts if ts.tzinfo else ts.replace(tzinfo=UTC))
        .astimezone(UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
        for slug, ts in session.execute(select(Dienst.slug, Dienst.bijgewerkt_op))
    }
