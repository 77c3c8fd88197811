"""Register service: the dienstenregister's public face.

Other domains (wegwijzer, doorverwijzing, analyse) call these functions; they never query the
register's tables themselves.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date
from pathlib import Path
from typing import Any

from sqlalchemy import (
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    union,
    union_all,
    update,
)
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import CompoundSelect

from stelsel.db import utcnow
from stelsel.errors import Ongeldig
from stelsel.geo import service as geo
from stelsel.register import actualiteit, beheer, csvformaat, taxonomie
from stelsel.register import analysebron as analysebron
from stelsel.register.csvformaat import AanbiederRecord, DienstRecord, Register
from stelsel.register.models import (
    Aanbieder,
    Dienst,
    DienstKenmerk,
    DienstWerkgebied,
    RegisterVersie,
    slug_uuid,
)
from stelsel.register.versie import NIET_GEINDEXEERD
from stelsel.register.versie import nieuwe_versie as nieuwe_versie
from stelsel.register.versie import versie as versie
from stelsel.register.versie import versie_kolom as versie_kolom
from stelsel.register.waarden import CONTACTVELDEN as CONTACTVELDEN
from stelsel.register.waarden import Contact as Contact
from stelsel.register.waarden import ZoekDienst as ZoekDienst
from stelsel.register.waarden import contact as contact
from stelsel.register.waarden import contact_uit as contact_uit
from stelsel.register.waarden import contacten as contacten
from stelsel.register.waarden import zoekdiensten as zoekdiensten

# Editing (registerbeheer): drafts, review, publication, history; see beheer.py.
Versie = beheer.Versie
Werkversie = beheer.Werkversie
Verschil = beheer.Verschil
VersieVerouderd = beheer.Verouderd
VersieNodig = beheer.VersieNodig
VeldenOngeldig = beheer.VeldenOngeldig
WORKFLOW_STATUSSEN = beheer.STATUSSEN
cellen = beheer.cellen
controleer = beheer.controleer
problemen = beheer.problemen
etag = beheer.etag
werkversie = beheer.werkversie
eigenaar = beheer.eigenaar
get_versie = beheer.get_versie
geschiedenis = beheer.geschiedenis
versies = beheer.versies
verschillen = beheer.verschillen
vorige = beheer.vorige
bewaar = beheer.bewaar
archiveer = beheer.archiveer
herstel = beheer.herstel
dien_in = beheer.dien_in
wijs_af = beheer.wijs_af
publiceer = beheer.publiceer

# Keeping it current; see actualiteit.py.
Verouderd = actualiteit.Verouderd
Actualiteit = actualiteit.Actualiteit
REGIO_SOORTEN = actualiteit.REGIO_SOORTEN
grens_actueel = actualiteit.grens
verouderd = actualiteit.verouderd
actualiteit_per_regio = actualiteit.actualiteit_per_regio
bevestig = actualiteit.bevestig
aanbieders_met_verouderd = actualiteit.aanbieders_met_verouderd
herinnering_nieuw = actualiteit.herinnering_nieuw


def aanbieder_uuid(slug: str) -> uuid.UUID:
    """The stable UUID of an aanbieder slug."""
    return slug_uuid("aanbieder", slug)


def entry_uuid(soort: str, slug: str) -> uuid.UUID:
    """The stable UUID of an aanbieder or dienst slug."""
    return slug_uuid(soort, slug)


_DATUMVELDEN = ("geldig_van", "geldig_tot", "gecontroleerd_op")
# Label kinds stored in dienst_kenmerk, with the record attribute they come from.
KENMERK_VELDEN = {
    "thema": "themas",
    "transitiethema": "transitiethemas",
    "fase": "fasen",
    "doelgroep": "doelgroepen",
    "kanaal": "kanalen",
    "taal": "talen",
}
# Plain-value fields a dienst has in the CSV and in the table alike.
_DIENST_TEKSTVELDEN = (
    "naam",
    "omschrijving",
    "soort",
    "kosten",
    "website",
    "telefoon",
    "email",
    "adres",
    "openingstijden",
    "kosten_toelichting",
    "wachttijd",
    "upl_uri",
    "bron",
)


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
    # Regions (provincie, arbeidsmarktregio, corop), each as the set of areas that overlap it
    # (see regio_gebieden): a dienst must be national or serve one of each set's areas.
    regios: list[frozenset[tuple[str, str]]] = field(default_factory=list)


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
    voeg_diensten_toe(session=session, diensten=register.diensten, voortgang=tick)
    return len(register.aanbieders), len(register.diensten)


_BLOK = 5000  # rows per bulk statement


def _labels(d: DienstRecord) -> list[tuple[str, str, int]]:
    """A record's labels as (soort, code, volgorde), as dienst_kenmerk holds them."""
    return [
        (soort, code, i)
        for soort, attr in KENMERK_VELDEN.items()
        for i, code in enumerate(getattr(d, attr))
    ]


def _dienst_kolommen(d: DienstRecord) -> dict:
    """A dienst row's column values from a record (not its id, slug, revisie, gearchiveerd)."""
    return {
        "aanbieder_id": slug_uuid("aanbieder", d.aanbieder),
        **{k: getattr(d, k) for k in _DIENST_TEKSTVELDEN},
        "landelijk": not d.werkgebied,
        "geldig_van": d.geldig_van,
        "geldig_tot": d.geldig_tot,
        "gecontroleerd_op": d.gecontroleerd_op,
        "trefwoorden": ";".join(d.trefwoorden),
    }


def _voeg_labels_toe(session: Session, diensten: list[DienstRecord]) -> None:
    kenmerken = [
        {"dienst_id": slug_uuid("dienst", d.id), "soort": s, "code": c, "volgorde": v}
        for d in diensten
        for s, c, v in _labels(d)
    ]
    gebieden = [
        {"dienst_id": slug_uuid("dienst", d.id), "soort": s, "code": c}
        for d in diensten
        for s, c in d.werkgebied
    ]
    for tabel, rijen in ((DienstKenmerk, kenmerken), (DienstWerkgebied, gebieden)):
        for i in range(0, len(rijen), _BLOK):
            session.execute(insert(tabel), rijen[i : i + _BLOK])


def voeg_diensten_toe(
    *,
    session: Session,
    diensten: list[DienstRecord],
    voortgang: Callable[[int], None] | None = None,
) -> None:
    """Insert new diensten (validated records, ids not yet taken) with their labels and areas,
    in bulk statements of a few thousand rows (not one ORM object each: a merge import of
    100,000 diensten), and give the register a new version."""
    if not diensten:
        return
    for i in range(0, len(diensten), _BLOK):
        blok = diensten[i : i + _BLOK]
        session.execute(
            insert(Dienst),
            [{"id": slug_uuid("dienst", d.id), "slug": d.id, **_dienst_kolommen(d)} for d in blok],
        )
        _voeg_labels_toe(session, blok)
        if voortgang:
            voortgang(len(blok))
    nieuwe_versie(session)


@dataclass(frozen=True)
class BestaandeDienst:
    """A dienst in the register as a merge compares it: its record and its row's state."""

    record: DienstRecord
    id: uuid.UUID
    revisie: int
    gearchiveerd: bool


def bestaande_diensten(*, session: Session) -> dict[str, BestaandeDienst]:
    """Every dienst (archived ones too) as a record, by slug, in three plain queries (Core
    rows, not ORM ones: a tenth of the time at 100,000 diensten)."""
    c = session.connection()
    labels: dict[uuid.UUID, dict[str, list[str]]] = {}
    for dienst_id, soort, code in c.execute(
        select(DienstKenmerk.dienst_id, DienstKenmerk.soort, DienstKenmerk.code).order_by(
            DienstKenmerk.dienst_id, DienstKenmerk.soort, DienstKenmerk.volgorde
        )
    ):
        labels.setdefault(dienst_id, {}).setdefault(soort, []).append(code)
    gebieden: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for dienst_id, soort, code in c.execute(
        select(DienstWerkgebied.dienst_id, DienstWerkgebied.soort, DienstWerkgebied.code)
    ):
        gebieden.setdefault(dienst_id, []).append((soort, code))
    kolommen = [k for k in Dienst.__table__.c if k.key != "bijgewerkt_op"]
    namen = [k.key for k in kolommen]
    uit = {}
    for *waarden, aanbieder_slug in c.execute(
        select(*kolommen, Aanbieder.slug).join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
    ):
        r = dict(zip(namen, waarden, strict=True))
        record = _record(
            r.__getitem__, aanbieder_slug, labels.get(r["id"], {}), gebieden.get(r["id"], ())
        )
        uit[r["slug"]] = BestaandeDienst(record, r["id"], r["revisie"] or 0, r["gearchiveerd"])
    return uit


def werk_diensten_bij(
    *,
    session: Session,
    wijzigingen: list[tuple[BestaandeDienst, DienstRecord]],
    archiveer: Sequence[BestaandeDienst] = (),
) -> None:
    """Bulk counterpart of werk_dienst_bij for a merge: give existing diensten the values of
    their new records (and restore them), archive others; revisie +1 on each. A dienst whose
    labels or areas differ gets them replaced; the others keep theirs. Gives the register a
    new version when anything a cache holds changed (see NIET_GEINDEXEERD)."""
    nu = utcnow()
    rijen = [
        {
            "id": oud.id,
            **_dienst_kolommen(d),
            "revisie": oud.revisie + 1,
            "gearchiveerd": False,
            "bijgewerkt_op": nu,
        }
        for oud, d in wijzigingen
    ] + [
        {"id": oud.id, "revisie": oud.revisie + 1, "gearchiveerd": True, "bijgewerkt_op": nu}
        for oud in archiveer
    ]
    for i in range(0, len(rijen), _BLOK):
        blok = rijen[i : i + _BLOK]
        # one executemany per shape of row (all changed rows alike, all archived rows alike)
        for vorm in {tuple(r) for r in blok}:
            session.execute(update(Dienst), [r for r in blok if tuple(r) == vorm])
    labels = [
        (oud, d)
        for oud, d in wijzigingen
        if _labels(oud.record) != _labels(d) or oud.record.werkgebied != d.werkgebied
    ]
    for i in range(0, len(labels), _BLOK):
        ids = [oud.id for oud, _ in labels[i : i + _BLOK]]
        session.execute(delete(DienstKenmerk).where(DienstKenmerk.dienst_id.in_(ids)))
        session.execute(delete(DienstWerkgebied).where(DienstWerkgebied.dienst_id.in_(ids)))
        _voeg_labels_toe(session, [d for _, d in labels[i : i + _BLOK]])
    geindexeerd = [f.name for f in fields(DienstRecord) if f.name not in NIET_GEINDEXEERD[Dienst]]
    if (
        archiveer
        or labels
        or any(
            oud.gearchiveerd or any(getattr(oud.record, v) != getattr(d, v) for v in geindexeerd)
            for oud, d in wijzigingen
        )
    ):
        nieuwe_versie(session)


# Fields an aanbieder has in the CSV and in the table alike (the slug is the CSV's id).
_AANBIEDER_VELDEN = [k for k in csvformaat.AANBIEDER_KOLOMMEN if k != "id"]


def _aanbieder_from_record(a: AanbiederRecord) -> Aanbieder:
    return Aanbieder(
        id=slug_uuid("aanbieder", a.id),
        slug=a.id,
        **{k: getattr(a, k) for k in _AANBIEDER_VELDEN},
    )


def _dienst_from_record(d: DienstRecord) -> Dienst:
    dienst = Dienst(id=slug_uuid("dienst", d.id), slug=d.id)
    _dienst_velden(dienst, d)
    return dienst


def werk_aanbieder_bij(a: Aanbieder, record: AanbiederRecord) -> bool:
    """Give an existing aanbieder row the values of a record (same slug); only what differs is
    written, so an unchanged row stays clean and the register keeps its version. Returns
    whether anything changed (then its revisie goes up)."""
    gewijzigd = False
    for k in _AANBIEDER_VELDEN:
        if getattr(a, k) != getattr(record, k):
            setattr(a, k, getattr(record, k))
            gewijzigd = True
    if gewijzigd:
        a.revisie = (a.revisie or 0) + 1
    return gewijzigd


def werk_dienst_bij(dienst: Dienst, d: DienstRecord) -> bool:
    """Give an existing dienst row the values of a record (same slug): fields, labels and
    areas, touching only what differs (labels kept, added or removed one by one, so the unique
    (dienst, soort, code) rows never clash within a flush). Returns whether anything changed
    (then its revisie goes up)."""
    nieuw = _dienst_from_record(d)
    gewijzigd = False
    for veld in (
        *_DIENST_TEKSTVELDEN,
        "aanbieder_id",
        "landelijk",
        "geldig_van",
        "geldig_tot",
        "gecontroleerd_op",
        "trefwoorden",
    ):
        if getattr(dienst, veld) != getattr(nieuw, veld):
            setattr(dienst, veld, getattr(nieuw, veld))
            gewijzigd = True
    gewenst = {(k.soort, k.code): k.volgorde for k in nieuw.kenmerken}
    for kenmerk in list(dienst.kenmerken):
        sleutel = (kenmerk.soort, kenmerk.code)
        if sleutel not in gewenst:
            dienst.kenmerken.remove(kenmerk)
            gewijzigd = True
        elif kenmerk.volgorde != gewenst[sleutel]:
            kenmerk.volgorde = gewenst[sleutel]
            gewijzigd = True
    heeft = {(k.soort, k.code) for k in dienst.kenmerken}
    for (soort, code), volgorde in gewenst.items():
        if (soort, code) not in heeft:
            dienst.kenmerken.append(DienstKenmerk(soort=soort, code=code, volgorde=volgorde))
            gewijzigd = True
    gebieden = {(w.soort, w.code) for w in nieuw.werkgebied}
    for w in list(dienst.werkgebied):
        if (w.soort, w.code) not in gebieden:
            dienst.werkgebied.remove(w)
            gewijzigd = True
    heeft = {(w.soort, w.code) for w in dienst.werkgebied}
    for soort, code in sorted(gebieden - heeft):
        dienst.werkgebied.append(DienstWerkgebied(soort=soort, code=code))
        gewijzigd = True
    if gewijzigd:
        dienst.revisie = (dienst.revisie or 0) + 1
    return gewijzigd


def _dienst_velden(dienst: Dienst, d: DienstRecord) -> None:
    """Set a new dienst row's fields, labels and areas from a record."""
    for k, v in _dienst_kolommen(d).items():
        setattr(dienst, k, v)
    dienst.kenmerken = [DienstKenmerk(soort=s, code=c, volgorde=v) for s, c, v in _labels(d)]
    dienst.werkgebied = [DienstWerkgebied(soort=s, code=c) for s, c in d.werkgebied]


def to_register(*, session: Session) -> Register:
    """The whole published register as records (for export); archived entries left out."""
    aanbieders = session.scalars(
        select(Aanbieder).where(Aanbieder.gearchiveerd.is_(False)).order_by(Aanbieder.slug)
    ).all()
    diensten = session.scalars(
        select(Dienst).where(Dienst.gearchiveerd.is_(False)).order_by(Dienst.slug)
    ).all()
    return Register(
        aanbieders=[
            AanbiederRecord(id=a.slug, **{k: getattr(a, k) for k in _AANBIEDER_VELDEN})
            for a in aanbieders
        ],
        diensten=[dienst_record(d) for d in diensten],
    )


def aanbieder_record(a: Aanbieder) -> AanbiederRecord:
    """An aanbieder as a plain record (no ORM)."""
    return AanbiederRecord(id=a.slug, **{k: getattr(a, k) for k in _AANBIEDER_VELDEN})


def dienst_record(d: Dienst) -> DienstRecord:
    """A dienst as a plain record (no ORM), for export and for pure logic such as matching."""
    labels: dict[str, list[str]] = {}
    for k in sorted(d.kenmerken, key=lambda k: k.volgorde):
        labels.setdefault(k.soort, []).append(k.code)
    return _record(
        lambda k: getattr(d, k), d.aanbieder.slug, labels, [(w.soort, w.code) for w in d.werkgebied]
    )


def _record(
    waarde: Callable[[str], object],
    aanbieder_slug: str,
    labels: dict[str, list[str]],
    gebieden: Iterable[tuple[str, str]],
) -> DienstRecord:
    """A dienst record from its row's values (`waarde(kolom)`), its labels per kind in order
    and its areas: for an ORM row and for a plain one alike."""
    velden: dict[str, Any] = {k: waarde(k) for k in (*_DIENST_TEKSTVELDEN, *_DATUMVELDEN)}
    velden.update({attr: list(labels.get(soort, ())) for soort, attr in KENMERK_VELDEN.items()})
    return DienstRecord(
        id=str(waarde("slug")),
        aanbieder=aanbieder_slug,
        werkgebied=csvformaat.sort_werkgebied(gebieden),
        trefwoorden=[t for t in str(waarde("trefwoorden")).split(";") if t],
        **velden,
    )


# --- queries -------------------------------------------------------------------------------


def _by_id_or_slug(model, value: str):
    try:
        return model.id == uuid.UUID(value)
    except ValueError:
        return model.slug == value


def aanbieder_rij(
    *, session: Session, aanbieder_id: str, ook_gearchiveerd: bool = True
) -> Aanbieder | None:
    """An aanbieder by UUID or slug, as its ORM row: for the register's own modules only
    (other domains get values: get_aanbieder). An archived one too by default: referrals keep
    naming it; the public API and pages pass ook_gearchiveerd=False."""
    stmt = select(Aanbieder).where(_by_id_or_slug(Aanbieder, aanbieder_id))
    if not ook_gearchiveerd:
        stmt = stmt.where(Aanbieder.gearchiveerd.is_(False))
    return session.scalar(stmt)


def dienst_rij(
    *, session: Session, dienst_id: str, ook_gearchiveerd: bool = False
) -> Dienst | None:
    """A published dienst by UUID or slug, as its ORM row (the register's own modules only);
    an archived one only with ook_gearchiveerd."""
    stmt = select(Dienst).where(_by_id_or_slug(Dienst, dienst_id))
    if not ook_gearchiveerd:
        stmt = stmt.where(Dienst.gearchiveerd.is_(False))
    return session.scalar(stmt)


@dataclass(frozen=True)
class AanbiederWaarde:
    """An aanbieder as other domains see it: plain values, no ORM row to lazy-load from or
    write through."""

    id: uuid.UUID
    slug: str
    naam: str
    korte_naam: str
    soort: str
    niveau: str
    eerstelijns: bool
    tweedelijns: bool
    website: str
    email: str
    telefoon: str
    gearchiveerd: bool


@dataclass(frozen=True)
class DienstWaarde:
    """A dienst as other domains see it (plain values)."""

    id: uuid.UUID
    slug: str
    naam: str
    aanbieder_id: uuid.UUID
    soort: str
    landelijk: bool
    gearchiveerd: bool


def _waarde(soort: type, rij: object) -> Any:
    return soort(**{f.name: getattr(rij, f.name) for f in fields(soort)})


def get_aanbieder(
    *, session: Session, aanbieder_id: str, ook_gearchiveerd: bool = True
) -> AanbiederWaarde | None:
    """An aanbieder by UUID or slug, as values. An archived one too by default: referrals
    keep naming it."""
    a = aanbieder_rij(session=session, aanbieder_id=aanbieder_id, ook_gearchiveerd=ook_gearchiveerd)
    return _waarde(AanbiederWaarde, a) if a is not None else None


def dienst_slugs(*, session: Session, aanbieder_id: uuid.UUID) -> list[str]:
    """The slugs of an aanbieder's diensten (archived ones too), by name."""
    return list(
        session.scalars(
            select(Dienst.slug).where(Dienst.aanbieder_id == aanbieder_id).order_by(Dienst.naam)
        )
    )


def get_dienst(
    *, session: Session, dienst_id: str, ook_gearchiveerd: bool = False
) -> DienstWaarde | None:
    """A published dienst by UUID or slug, as values; an archived one only with
    ook_gearchiveerd."""
    d = dienst_rij(session=session, dienst_id=dienst_id, ook_gearchiveerd=ook_gearchiveerd)
    return _waarde(DienstWaarde, d) if d is not None else None


def get_all_aanbieders(
    *,
    session: Session,
    niveau: str | None = None,
    soort: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[Aanbieder], int]:
    """Aanbieders sorted by name, filtered, archived ones left out; returns (page, total)."""
    stmt = select(Aanbieder).where(Aanbieder.gearchiveerd.is_(False))
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
        stmt.options(
            selectinload(Aanbieder.diensten.and_(Dienst.gearchiveerd.is_(False))).lazyload("*")
        )
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
    return _landelijk_of(
        or_(
            *(
                (DienstWerkgebied.soort == soort) & (DienstWerkgebied.code == code)
                for soort, code in gebied.codes()
            )
        )
    )


def _landelijk_of(area):
    """SQL condition: the dienst is national or serves an area matching `area`. As one IN over
    a UNION of two index lookups (the national diensten; the diensten with such an area), not
    `landelijk OR EXISTS (...)`: PostgreSQL ran that as a filter on every row of the table (at
    100,000 diensten a sequential scan, a cost estimate that set off JIT compilation)."""
    return Dienst.id.in_(
        union(
            select(Dienst.id).where(Dienst.landelijk.is_(True)),
            select(DienstWerkgebied.dienst_id).where(area),
        )
    )


def in_regio(gebieden: frozenset[tuple[str, str]]):
    """SQL condition: the dienst is national or serves one of these areas."""
    per_soort: dict[str, list[str]] = {}
    for soort, code in gebieden:
        per_soort.setdefault(soort, []).append(code)
    area = or_(
        *(
            (DienstWerkgebied.soort == soort) & DienstWerkgebied.code.in_(sorted(codes))
            for soort, codes in sorted(per_soort.items())
        )
    )
    return _landelijk_of(area)


_GEMEENTE_GEBIEDEN: dict[tuple[str, str], geo.Gebied] = {}


def gemeente_gebied(*, session: Session, tekst: str) -> geo.Gebied:
    """The areas of the gemeente meant by a code, postcode or name (geo.resolve; raises
    GemeenteOnbekend). Geography is reference data: an answer is kept per database (at most a
    few thousand), two statements less per request of a list by gemeente."""
    sleutel = (str(session.get_bind().engine.url), tekst)
    gebied = _GEMEENTE_GEBIEDEN.get(sleutel)
    if gebied is None:
        gebied = geo.gebied(geo.resolve(session=session, tekst=tekst))
        if len(_GEMEENTE_GEBIEDEN) < 5000:
            _GEMEENTE_GEBIEDEN[sleutel] = gebied
    return gebied


_REGIO_GEBIEDEN: dict[tuple[str, str, str], frozenset[tuple[str, str]]] = {}


def regio_gebieden(*, session: Session, soort: str, tekst: str) -> frozenset[tuple[str, str]]:
    """The areas that overlap a provincie, arbeidsmarktregio or COROP-gebied given by code or
    name: the region itself, its gemeenten, and every other region one of them lies in. Raises
    Ongeldig (for the parameter `soort`) when no region of that kind has this code or name.
    Geography is reference data: an answer is kept per database (at most a few hundred)."""
    sleutel = (str(session.get_bind().engine.url), soort, tekst.strip().lower())
    gebieden = _REGIO_GEBIEDEN.get(sleutel)
    if gebieden is None:
        gebieden = _regio_gebieden(session, soort, tekst)
        if len(_REGIO_GEBIEDEN) < 2000:
            _REGIO_GEBIEDEN[sleutel] = gebieden
    return gebieden


def _regio_gebieden(session: Session, soort: str, tekst: str) -> frozenset[tuple[str, str]]:
    attr = {
        "provincie": "provincie_code",
        "arbeidsmarktregio": "arbeidsmarktregio_code",
        "corop": "corop_code",
    }[soort]
    namen = gebiedsnamen(session=session)
    gezocht = tekst.strip()
    code = next(
        (
            c
            for (s, c), naam in namen.items()
            if s == soort and gezocht.lower() in (c.lower(), naam.lower())
        ),
        None,
    )
    if code is None:
        raise Ongeldig(
            soort, f"'{csvformaat.kort(gezocht)}' is geen bekende {soort} (code of naam)"
        )
    gebieden = {(soort, code)}
    for g in geo.get_all(session=session):
        if getattr(g, attr) == code:
            gebieden.update(geo.gebied(g).codes())
    return frozenset(gebieden)


def zoektekst():
    """The searchable text of a dienst as one lower-cased expression (name, description and
    keywords, separated by a space, which no search word holds): one trigram index on PostgreSQL
    (ix_dienst_zoektekst, migration 0009) answers `LIKE '%woord%'` on it."""
    spatie = literal_column("' '")
    return func.lower(Dienst.naam + spatie + Dienst.omschrijving + spatie + Dienst.trefwoorden)


def _diensten_stmt(f: DienstFilter):
    stmt = select(Dienst).where(Dienst.gearchiveerd.is_(False))
    for regio in f.regios:
        stmt = stmt.where(in_regio(regio))
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
            # one IN over a UNION (as for areas): each half can use its index (the trigram
            # index on the text; aanbieder_id), where an OR made PostgreSQL scan every row
            stmt = stmt.where(
                Dienst.id.in_(
                    union(
                        select(Dienst.id).where(zoektekst().like(like)),
                        select(Dienst.id).where(
                            Dienst.aanbieder_id.in_(
                                select(Aanbieder.id).where(
                                    or_(
                                        func.lower(Aanbieder.naam).like(like),
                                        func.lower(Aanbieder.korte_naam).like(like),
                                    )
                                )
                            )
                        ),
                    )
                )
            )
    return stmt


def get_all_diensten(
    *, session: Session, filter: DienstFilter, offset: int = 0, limit: int | None = None
) -> tuple[list[Dienst], int]:
    """Diensten matching the filter, national ones last within a region; returns (page, total).

    The ordered ids of a filter's matches are kept per register state (_lijst_ids), so a next
    page, the total and the same filter again cost a few primary-key reads, not a count and a
    sort over every match (at 100,000 diensten: 0.3-1 s on PostgreSQL under load)."""
    ids = _lijst_ids(session, filter)
    deel = ids[offset:] if limit is None else ids[offset : offset + limit]
    if not deel:
        return [], len(ids)
    # one statement for the page, labels and areas with it (not three); a whole list (no
    # limit) in blocks, within the databases' limits on bound parameters
    rijen: dict[uuid.UUID, Dienst] = {}
    for i in range(0, len(deel), _BLOK):
        pagina = (
            select(Dienst)
            .where(Dienst.id.in_(deel[i : i + _BLOK]))
            .options(joinedload(Dienst.kenmerken), joinedload(Dienst.werkgebied))
        )
        rijen.update((d.id, d) for d in session.scalars(pagina).unique())
    return [rijen[i] for i in deel if i in rijen], len(ids)


@dataclass(frozen=True)
class DienstGegevens:
    """A dienst as the API shows it, read as plain values (Core rows, no ORM objects): its
    row's columns by name, its aanbieder's (id, slug, naam, korte_naam and contact fields),
    its labels per kind in order, and its areas in canonical order."""

    kolommen: dict[str, Any]
    aanbieder: dict[str, Any]
    labels: dict[str, list[str]]
    werkgebied: list[tuple[str, str]]

    def codes(self, soort: str) -> list[str]:
        """The codes of one kind of label, in order (as Dienst.codes)."""
        return self.labels.get(soort, [])

    @property
    def contact(self) -> "Contact":
        a = self.aanbieder
        return contact_uit(self.kolommen, {**a, "adres": a["bezoekadres"]})


_DIENST_KOLOMMEN = tuple(Dienst.__table__.c)
_AANBIEDER_KOLOMMEN = (
    Aanbieder.id,
    Aanbieder.slug,
    Aanbieder.naam,
    Aanbieder.korte_naam,
    Aanbieder.website,
    Aanbieder.telefoon,
    Aanbieder.email,
    Aanbieder.bezoekadres,
    Aanbieder.openingstijden,
)
# The page's two statements, built once (their ids an expanding bound parameter).
_IDS: BindParameter[list[uuid.UUID]] = bindparam("ids", expanding=True)
_GEGEVENS_RIJEN = (
    select(*_DIENST_KOLOMMEN, *(k.label(f"a_{k.key}") for k in _AANBIEDER_KOLOMMEN))
    .join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
    .where(Dienst.id.in_(_IDS))
)
# labels (gebied 0) and areas (gebied 1) of the same diensten together
_KOPPELINGEN: CompoundSelect[Any] = union_all(
    select(
        DienstKenmerk.dienst_id,
        literal_column("0").label("gebied"),
        DienstKenmerk.soort,
        DienstKenmerk.code,
        DienstKenmerk.volgorde,
    ).where(DienstKenmerk.dienst_id.in_(_IDS)),
    select(
        DienstWerkgebied.dienst_id,
        literal_column("1"),
        DienstWerkgebied.soort,
        DienstWerkgebied.code,
        literal_column("0"),
    ).where(DienstWerkgebied.dienst_id.in_(_IDS)),
)
_D_NAMEN = tuple(k.key for k in _DIENST_KOLOMMEN)
_A_NAMEN = tuple(k.key for k in _AANBIEDER_KOLOMMEN)


def dienst_gegevens(*, session: Session, ids: Sequence[uuid.UUID]) -> list[DienstGegevens]:
    """The diensten with these ids as plain values, in the order of `ids` (unknown ones left
    out): two statements per block of ids, the rows with their aanbieder, and their labels
    and areas together. Building ORM objects with their relationships (and then pydantic
    models) took most of a list request's time."""
    c = session.connection()
    n = len(_D_NAMEN)
    rijen: dict[uuid.UUID, tuple[dict[str, Any], dict[str, Any]]] = {}
    labels: dict[uuid.UUID, dict[str, list[str]]] = {}
    gebieden: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for i in range(0, len(ids), _BLOK):
        blok = {"ids": list(ids[i : i + _BLOK])}
        for r in c.execute(_GEGEVENS_RIJEN, blok).all():
            rijen[r[0]] = (
                dict(zip(_D_NAMEN, r[:n], strict=True)),
                dict(zip(_A_NAMEN, r[n:], strict=True)),
            )
        for dienst_id, gebied, soort, code, _ in sorted(
            c.execute(_KOPPELINGEN, blok).all(), key=lambda r: (r[1], r[4], r[3])
        ):
            if gebied:
                gebieden.setdefault(dienst_id, []).append((soort, code))
            else:
                labels.setdefault(dienst_id, {}).setdefault(soort, []).append(code)
    return [
        DienstGegevens(
            kolommen=rijen[i][0],
            aanbieder=rijen[i][1],
            labels=labels.get(i, {}),
            werkgebied=csvformaat.sort_werkgebied(gebieden.get(i, ())),
        )
        for i in ids
        if i in rijen
    ]


def dienst_pagina(
    *, session: Session, filter: DienstFilter, offset: int = 0, limit: int | None = None
) -> tuple[list[DienstGegevens], int]:
    """As get_all_diensten, as plain values (for the API): returns (page, total)."""
    ids = _lijst_ids(session, filter)
    deel = ids[offset:] if limit is None else ids[offset : offset + limit]
    return (dienst_gegevens(session=session, ids=deel) if deel else []), len(ids)


def get_dienst_gegevens(
    *, session: Session, dienst_id: str, ook_gearchiveerd: bool = False
) -> DienstGegevens | None:
    """As get_dienst, as plain values (for the API)."""
    stmt = select(Dienst.id).where(_by_id_or_slug(Dienst, dienst_id))
    if not ook_gearchiveerd:
        stmt = stmt.where(Dienst.gearchiveerd.is_(False))
    gevonden = session.scalar(stmt)
    if gevonden is None:
        return None
    return next(iter(dienst_gegevens(session=session, ids=[gevonden])), None)


# Geography is reference data loaded with the schema (as kwaliteit/queries.py): per database.
_GEBIEDSNAMEN: dict[str, dict[tuple[str, str], str]] = {}


def gebiedsnamen(*, session: Session) -> dict[tuple[str, str], str]:
    """geo.area_names, read once per database URL (four statements less per request)."""
    sleutel = str(session.get_bind().engine.url)
    namen = _GEBIEDSNAMEN.get(sleutel)
    if namen is None:
        namen = geo.area_names(session=session)
        if namen:  # not loaded yet: no cache
            _GEBIEDSNAMEN[sleutel] = namen
    return namen


def lijst_vragen(f: DienstFilter, *, offset: int = 0, limit: int | None = None) -> dict:
    """The statements of a filtered list: its ordered ids (what get_all_diensten runs on a
    cache miss), the register state it checks on every call, and the count and page as one
    would ask them directly (for EXPLAIN)."""
    stmt = _diensten_stmt(f)
    order = [Dienst.landelijk, Dienst.naam] if f.gebied else [Dienst.naam]
    return {
        "ids": stmt.with_only_columns(Dienst.id).order_by(*order, Dienst.slug),
        "stand": _stand_vraag(),
        "telling": select(func.count()).select_from(stmt.subquery()),
        "pagina": stmt.order_by(*order, Dienst.slug).offset(offset).limit(limit),
    }


# The ordered ids of recent filters, by (database, register state, filter). The state is the
# register's version (bumped by every ORM flush of a register row and by the bulk writes) and
# the latest bijgewerkt_op of dienst and aanbieder (set by every UPDATE and INSERT, Core ones
# too): one round trip of three index probes. Bounded in entries and in ids held.
_LIJSTEN: OrderedDict[tuple, list[uuid.UUID]] = OrderedDict()
_LIJSTEN_SLOT = threading.Lock()
_LIJSTEN_MAX = 128
_LIJSTEN_MAX_IDS = 1_000_000


_STAND = select(
    select(RegisterVersie.versie).where(RegisterVersie.id == 1).scalar_subquery(),
    select(func.max(Dienst.bijgewerkt_op)).scalar_subquery(),
    select(func.max(Aanbieder.bijgewerkt_op)).scalar_subquery(),
)


def _stand_vraag():
    return _STAND


def _stand(session: Session) -> tuple:
    """The register's state as the list cache keys it (see _LIJSTEN)."""
    return tuple(session.connection().execute(_STAND).one())


def _filter_sleutel(f: DienstFilter) -> tuple:
    return (
        f.thema,
        f.soort,
        f.fase,
        f.doelgroep,
        tuple(sorted(f.gebied.codes())) if f.gebied else None,
        f.aanbieder_id,
        f.q,
        f.peildatum,
        tuple(tuple(sorted(r)) for r in f.regios),
    )


def _lijst_ids(session: Session, f: DienstFilter) -> list[uuid.UUID]:
    bind = session.get_bind()
    sleutel = (str(bind.engine.url), _stand(session), _filter_sleutel(f))
    with _LIJSTEN_SLOT:
        ids = _LIJSTEN.get(sleutel)
        if ids is not None:
            _LIJSTEN.move_to_end(sleutel)
            return ids
    ids = list(session.scalars(lijst_vragen(f)["ids"]))
    with _LIJSTEN_SLOT:
        _LIJSTEN[sleutel] = ids
        while len(_LIJSTEN) > _LIJSTEN_MAX or (
            len(_LIJSTEN) > 1 and sum(map(len, _LIJSTEN.values())) > _LIJSTEN_MAX_IDS
        ):
            _LIJSTEN.popitem(last=False)
    return ids


def counts(*, session: Session) -> dict[str, int]:
    """Headline counts of the register."""
    return {
        "aanbieders": session.scalar(
            select(func.count()).select_from(Aanbieder).where(Aanbieder.gearchiveerd.is_(False))
        )
        or 0,
        "diensten": session.scalar(
            select(func.count()).select_from(Dienst).where(Dienst.gearchiveerd.is_(False))
        )
        or 0,
    }


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


def contact_van_dienst(*, session: Session, dienst_id: str) -> Contact | None:
    """How to reach a published dienst (by UUID or slug), or None when it is not known."""
    d = dienst_rij(session=session, dienst_id=dienst_id)
    return contact(d) if d is not None else None
