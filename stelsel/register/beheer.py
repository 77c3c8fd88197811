"""Editing the register (registerbeheer): drafts, review, publication, history and restore.

The live tables (aanbieder, dienst, …) hold only the published state, which is all the public
API, the pages and the wegwijzer read. A change is a version in `register_wijziging`: a
*concept*, then *ter_beoordeling*, then *gepubliceerd* (applied to the live tables in the same
transaction, which gives the register a new version: every wegwijzer process rebuilds its index
at the next question). Archiving is a version too: the entry is kept but hidden.

At most one version per entry is open (concept or ter beoordeling). Every write names the state
it was based on (its ETag, see `etag`): a stale one is refused with 412, and the open-version
unique key makes two editors starting a draft at once clash in the database as well.

Who may do what is decided by the caller (accounts.registerbeheer, which knows roles and keeps
the audit log); this module records who did it. Called through register/service.py.
"""

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stelsel.db import utcnow
from stelsel.errors import Conflict, NietGevonden, Ongeldig, StelselFout
from stelsel.geo import service as geo
from stelsel.register import csvformaat
from stelsel.register.csvformaat import AanbiederRecord, DienstRecord, Rij
from stelsel.register.models import Aanbieder, Dienst, RegisterWijziging

AANBIEDER = "aanbieder"
DIENST = "dienst"
SOORTEN = (AANBIEDER, DIENST)

CONCEPT = "concept"
TER_BEOORDELING = "ter_beoordeling"
GEPUBLICEERD = "gepubliceerd"
GEARCHIVEERD = "gearchiveerd"  # the state of an entry whose archiving was published
STATUSSEN = (CONCEPT, TER_BEOORDELING, GEPUBLICEERD)

AANMAKEN, WIJZIGEN, ARCHIVEREN, HERSTELLEN, BEGIN = (
    "aanmaken",
    "wijzigen",
    "archiveren",
    "herstellen",
    "begin",  # the published state before the first edit, kept so it can be restored
)


class Verouderd(Conflict):
    """The edit was based on a state that has changed since (If-Match does not match)."""

    status = 412
    titel = "Verouderde versie"


class VersieNodig(StelselFout):
    """A change of an existing entry must say which state it is based on (If-Match)."""

    status = 428
    titel = "Versie ontbreekt"


class VeldenOngeldig(Ongeldig):
    """Several fields are wrong; `velden` names each (the first is also `veld`/`reden`)."""

    def __init__(self, velden: list[tuple[str, str]]):
        self.velden = velden
        super().__init__(velden[0][0], velden[0][1])
        self.detail = "; ".join(f"{v}: {r}" for v, r in velden)


@dataclass(frozen=True)
class Versie:
    """One version of an entry, as plain values."""

    id: uuid.UUID
    soort: str
    slug: str
    aanbieder_slug: str
    nummer: int
    actie: str
    status: str
    gegevens: dict[str, str]
    basis_revisie: int
    auteur_id: uuid.UUID | None
    auteur_rol: str
    aangemaakt_op: Any
    gewijzigd_op: Any
    beoordelaar_id: uuid.UUID | None
    beoordeeld_op: Any
    toelichting: str
    etag: str

    @property
    def naam(self) -> str:
        return self.gegevens.get("naam", self.slug)


@dataclass(frozen=True)
class Verschil:
    veld: str
    oud: str
    nieuw: str


# --- records as cells (the CSV's own representation, validated by csvformaat) ----------------


def cellen(record: AanbiederRecord | DienstRecord) -> dict[str, str]:
    """A record as its CSV cells (no formula guard: that is for files only)."""
    kolommen = (
        csvformaat.AANBIEDER_KOLOMMEN
        if isinstance(record, AanbiederRecord)
        else csvformaat.DIENST_KOLOMMEN
    )
    uit: dict[str, str] = {}
    for k in kolommen:
        v = getattr(record, k)
        if k == "werkgebied":
            uit[k] = ";".join(f"{s}:{c}" for s, c in v) if v else "landelijk"
        elif isinstance(v, list):
            uit[k] = ";".join(v)
        elif isinstance(v, bool):
            uit[k] = "ja" if v else "nee"
        elif isinstance(v, date):
            uit[k] = "" if v == date.min else v.isoformat()
        else:
            uit[k] = "" if v is None else str(v)
    return uit


def _rij(soort: str, velden: dict[str, str]) -> Rij:
    naam = csvformaat.AANBIEDERS_CSV if soort == AANBIEDER else csvformaat.DIENSTEN_CSV
    kolommen = csvformaat.AANBIEDER_KOLOMMEN if soort == AANBIEDER else csvformaat.DIENST_KOLOMMEN
    return Rij(naam, 2, {k: velden.get(k, "") for k in kolommen})


def controleer(
    *, session: Session, soort: str, velden: dict[str, str]
) -> AanbiederRecord | DienstRecord:
    """Validate an entry's cells by the CSV's rules (csvformaat.valideer, the one validator) and
    against the register (the aanbieder of a dienst exists; an aanbieder's name is free).
    Raises VeldenOngeldig naming every bad field."""
    aanbieders = []
    diensten = []
    if soort == AANBIEDER:
        aanbieders.append(_rij(AANBIEDER, velden))
    else:
        diensten.append(_rij(DIENST, velden))
        eigenaar = session.scalar(
            select(Aanbieder).where(Aanbieder.slug == velden.get("aanbieder"))
        )
        if eigenaar is not None:
            from stelsel.register.service import aanbieder_record

            aanbieders.append(_rij(AANBIEDER, cellen(aanbieder_record(eigenaar))))
    try:
        register = csvformaat.valideer(aanbieders, diensten, geo.known_codes(session=session), [])
    except csvformaat.ImportFout as e:
        eigen = csvformaat.AANBIEDERS_CSV if soort == AANBIEDER else csvformaat.DIENSTEN_CSV
        velden_fout = [
            ("id" if p.veld == "id" else p.veld, p.reden) for p in e.problemen if p.bestand == eigen
        ] or [("aanbieder", "de gegevens van de aanbieder zijn ongeldig")]
        raise VeldenOngeldig(velden_fout) from None
    if soort == AANBIEDER:
        a = register.aanbieders[0]
        ander = session.scalar(
            select(Aanbieder.slug).where(
                func.lower(Aanbieder.naam) == a.naam.lower(), Aanbieder.slug != a.id
            )
        )
        if ander is not None:
            raise VeldenOngeldig([("naam", f"'{a.naam}' is al de naam van '{ander}'")])
        return a
    return register.diensten[0]


def problemen(*, session: Session, soort: str, velden: dict[str, str]) -> list[tuple[str, str]]:
    """Every problem of an entry's cells as (field, reason), or none (see controleer)."""
    try:
        controleer(session=session, soort=soort, velden=velden)
    except VeldenOngeldig as e:
        return e.velden
    return []


# --- reading ------------------------------------------------------------------------------------


def _live(session: Session, soort: str, slug: str, *, voor_update: bool = False):
    model = Aanbieder if soort == AANBIEDER else Dienst
    stmt = select(model).where(model.slug == slug)
    if voor_update:
        stmt = stmt.with_for_update(of=model)  # not the joined aanbieder (an outer join)
    return session.scalar(stmt)


def _open(session: Session, soort: str, slug: str) -> RegisterWijziging | None:
    return session.scalar(
        select(RegisterWijziging).where(
            RegisterWijziging.soort == soort,
            RegisterWijziging.slug == slug,
            RegisterWijziging.open.is_(True),
        )
    )


def _etag(revisie: int, open_: RegisterWijziging | None) -> str:
    if open_ is None:
        return f'"{revisie}"'
    return f'"{revisie}-{open_.nummer}.{open_.teller}"'


def etag(*, session: Session, soort: str, slug: str, revisie: int | None = None) -> str:
    """The ETag of an entry: its published revision and its open draft, if any (so it changes
    with every edit of the draft too). A caller that has read the live row passes its
    `revisie` (then the row is not loaded again)."""
    if revisie is None:
        live = _live(session, soort, slug)
        revisie = live.revisie if live is not None else 0
    return _etag(revisie, _open(session, soort, slug))


def _versie(w: RegisterWijziging, revisie: int) -> Versie:
    return Versie(
        id=w.id,
        soort=w.soort,
        slug=w.slug,
        aanbieder_slug=w.aanbieder_slug,
        nummer=w.nummer,
        actie=w.actie,
        status=w.status,
        gegevens=json.loads(w.gegevens),
        basis_revisie=w.basis_revisie,
        auteur_id=w.auteur_id,
        auteur_rol=w.auteur_rol,
        aangemaakt_op=w.aangemaakt_op,
        gewijzigd_op=w.gewijzigd_op,
        beoordelaar_id=w.beoordelaar_id,
        beoordeeld_op=w.beoordeeld_op,
        toelichting=w.toelichting,
        etag=_etag(revisie, w if w.open else None),
    )


@dataclass(frozen=True)
class Werkversie:
    """What an editor works on: the open draft's cells, or the published ones."""

    soort: str
    slug: str
    aanbieder_slug: str
    gegevens: dict[str, str]
    status: str  # concept | ter_beoordeling | gepubliceerd | gearchiveerd
    etag: str
    open: Versie | None
    gepubliceerd: dict[str, str] | None  # the live cells (None: never published)


def _live_cellen(session: Session, soort: str, live) -> dict[str, str]:
    from stelsel.register.service import aanbieder_record, dienst_record

    return cellen(aanbieder_record(live) if soort == AANBIEDER else dienst_record(live))


def werkversie(*, session: Session, soort: str, slug: str) -> Werkversie:
    """The entry as an editor sees it (raises NietGevonden)."""
    live = _live(session, soort, slug)
    open_ = _open(session, soort, slug)
    if live is None and open_ is None:
        raise NietGevonden(f"{soort.capitalize()} '{slug}'")
    revisie = live.revisie if live is not None else 0
    gepubliceerd = _live_cellen(session, soort, live) if live is not None else None
    versie = _versie(open_, revisie) if open_ is not None else None
    if versie is not None:
        status, gegevens = versie.status, versie.gegevens
    else:
        assert gepubliceerd is not None
        status, gegevens = (GEARCHIVEERD if live.gearchiveerd else GEPUBLICEERD), gepubliceerd
    return Werkversie(
        soort=soort,
        slug=slug,
        aanbieder_slug=_eigenaar(soort, slug, gegevens),
        gegevens=gegevens,
        status=status,
        etag=_etag(revisie, open_),
        open=versie,
        gepubliceerd=gepubliceerd,
    )


def _eigenaar(soort: str, slug: str, gegevens: dict[str, str]) -> str:
    return slug if soort == AANBIEDER else gegevens.get("aanbieder", "")


def eigenaar(*, session: Session, soort: str, slug: str) -> str | None:
    """The slug of the aanbieder an entry belongs to, or None when the entry is unknown."""
    try:
        return werkversie(session=session, soort=soort, slug=slug).aanbieder_slug
    except NietGevonden:
        return None


def get_versie(*, session: Session, versie_id: uuid.UUID) -> Versie:
    """One version by id (raises NietGevonden)."""
    w = session.get(RegisterWijziging, versie_id)
    if w is None:
        raise NietGevonden(f"Versie '{versie_id}'")
    live = _live(session, w.soort, w.slug)
    return _versie(w, live.revisie if live is not None else 0)


def geschiedenis(*, session: Session, soort: str, slug: str) -> list[Versie]:
    """Every version of an entry, newest first."""
    live = _live(session, soort, slug)
    revisie = live.revisie if live is not None else 0
    rows = session.scalars(
        select(RegisterWijziging)
        .where(RegisterWijziging.soort == soort, RegisterWijziging.slug == slug)
        .order_by(RegisterWijziging.nummer.desc())
    )
    return [_versie(w, revisie) for w in rows]


def versies(
    *,
    session: Session,
    status: str | None = None,
    aanbieder_slug: str | None = None,
    offset: int = 0,
    limit: int | None = 100,
) -> tuple[list[Versie], int]:
    """Versions by status (the review queue: ter_beoordeling), optionally of one aanbieder's
    entries, oldest first; returns (page, total)."""
    stmt = select(RegisterWijziging).where(RegisterWijziging.actie != BEGIN)
    if status:
        stmt = stmt.where(RegisterWijziging.status == status)
    if aanbieder_slug:
        stmt = stmt.where(RegisterWijziging.aanbieder_slug == aanbieder_slug)
    totaal = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(RegisterWijziging.gewijzigd_op, RegisterWijziging.id)
        .offset(offset)
        .limit(limit)
    ).all()
    revisies = _revisies(session, rows)
    return [_versie(w, revisies.get((w.soort, w.slug), 0)) for w in rows], totaal


def _revisies(session: Session, rows) -> dict[tuple[str, str], int]:
    uit: dict[tuple[str, str], int] = {}
    for soort, model in ((AANBIEDER, Aanbieder), (DIENST, Dienst)):
        slugs = {w.slug for w in rows if w.soort == soort}
        if slugs:
            for slug, revisie in session.execute(
                select(model.slug, model.revisie).where(model.slug.in_(slugs))
            ):
                uit[(soort, slug)] = revisie
    return uit


def verschillen(oud: dict[str, str] | None, nieuw: dict[str, str]) -> list[Verschil]:
    """What changed between two states of an entry, field by field (pure)."""
    oud = oud or {}
    return [
        Verschil(k, oud.get(k, ""), nieuw.get(k, ""))
        for k in nieuw
        if oud.get(k, "") != nieuw.get(k, "")
    ]


def vorige(*, session: Session, versie: Versie) -> dict[str, str] | None:
    """The state a version changes: the live one for an open version, else the published
    version before it (None for a new entry)."""
    if versie.status != GEPUBLICEERD:
        live = _live(session, versie.soort, versie.slug)
        return _live_cellen(session, versie.soort, live) if live is not None else None
    w = session.scalar(
        select(RegisterWijziging)
        .where(
            RegisterWijziging.soort == versie.soort,
            RegisterWijziging.slug == versie.slug,
            RegisterWijziging.status == GEPUBLICEERD,
            RegisterWijziging.nummer < versie.nummer,
        )
        .order_by(RegisterWijziging.nummer.desc())
        .limit(1)
    )
    return json.loads(w.gegevens) if w is not None else None


# --- writing ------------------------------------------------------------------------------------


def _volgend_nummer(session: Session, soort: str, slug: str) -> int:
    n = session.scalar(
        select(func.max(RegisterWijziging.nummer)).where(
            RegisterWijziging.soort == soort, RegisterWijziging.slug == slug
        )
    )
    return (n or 0) + 1


def _controleer_etag(huidig: str, verwacht: str | None, *, nodig: bool) -> None:
    if verwacht is None:
        if nodig:
            raise VersieNodig(
                "Stuur de ETag van de versie die u wijzigt mee in If-Match (haal hem op met GET)."
            )
        return
    kandidaten = {t.strip().removeprefix("W/") for t in verwacht.split(",")}
    if "*" not in kandidaten and huidig not in kandidaten:
        raise Verouderd(
            "Iemand anders heeft dit item intussen gewijzigd. Haal de nieuwe versie op en "
            "breng uw wijziging daarin aan."
        )


def bewaar(
    *,
    session: Session,
    soort: str,
    slug: str | None,
    gegevens: dict[str, str],
    verwacht_etag: str | None,
    auteur_id: uuid.UUID | None,
    auteur_rol: str,
    actie: str | None = None,
) -> Versie:
    """Store a proposed state of an entry as its open draft (creating or updating it).

    `slug` None: a new entry (its id is in the cells). Validated like a CSV row; for an
    existing entry `verwacht_etag` (If-Match) is required and must be current."""
    if soort not in SOORTEN:
        raise Ongeldig("soort", f"kies uit {', '.join(SOORTEN)}")
    nieuw = slug is None
    slug = gegevens.get("id", "") if nieuw else slug
    assert slug is not None
    if not nieuw and gegevens.get("id", slug) != slug:
        raise VeldenOngeldig([("id", "de id van een item verandert niet")])
    gegevens = {**gegevens, "id": slug}
    live = _live(session, soort, slug, voor_update=True)
    if nieuw and (live is not None or _open(session, soort, slug) is not None):
        raise VeldenOngeldig([("id", f"'{slug}' bestaat al")])
    if not nieuw and live is None and _open(session, soort, slug) is None:
        raise NietGevonden(f"{soort.capitalize()} '{slug}'")
    if actie != ARCHIVEREN:
        record = controleer(session=session, soort=soort, velden=gegevens)
        gegevens = cellen(record)
    revisie = live.revisie if live is not None else 0
    open_ = _open(session, soort, slug)
    _controleer_etag(_etag(revisie, open_), verwacht_etag, nodig=not nieuw)
    if live is not None and open_ is None and _volgend_nummer(session, soort, slug) == 1:
        _begin(session, soort, slug, live)
    eigen = _eigenaar(soort, slug, gegevens)
    actie = actie or (AANMAKEN if live is None else WIJZIGEN)
    if open_ is not None:
        # compare-and-set on the draft's counter: of two edits of the same draft, one wins
        n = session.execute(
            update(RegisterWijziging)
            .where(RegisterWijziging.id == open_.id, RegisterWijziging.teller == open_.teller)
            .values(
                gegevens=json.dumps(gegevens, ensure_ascii=False),
                teller=open_.teller + 1,
                status=CONCEPT,
                actie=actie if open_.actie != AANMAKEN else AANMAKEN,
                aanbieder_slug=eigen,
                auteur_id=auteur_id,
                auteur_rol=auteur_rol,
                gewijzigd_op=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if n != 1:
            raise Verouderd("Iemand anders heeft dit concept intussen gewijzigd.")
        session.expire(open_)
        w = open_
    else:
        w = RegisterWijziging(
            soort=soort,
            slug=slug,
            aanbieder_slug=eigen,
            nummer=_volgend_nummer(session, soort, slug),
            actie=actie,
            status=CONCEPT,
            open=True,
            gegevens=json.dumps(gegevens, ensure_ascii=False),
            basis_revisie=revisie,
            teller=1,
            auteur_id=auteur_id,
            auteur_rol=auteur_rol,
            toelichting="",
        )
        try:
            with session.begin_nested():
                session.add(w)
        except IntegrityError:  # another editor opened a draft of this entry just now
            raise Verouderd(
                "Iemand anders is intussen een concept van dit item begonnen."
            ) from None
    session.flush()
    return _versie(w, revisie)


def _begin(session: Session, soort: str, slug: str, live) -> None:
    """Keep the published state from before the first edit as version 1."""
    session.add(
        RegisterWijziging(
            soort=soort,
            slug=slug,
            aanbieder_slug=slug if soort == AANBIEDER else live.aanbieder.slug,
            nummer=1,
            actie=BEGIN,
            status=GEPUBLICEERD,
            open=None,
            gegevens=json.dumps(_live_cellen(session, soort, live), ensure_ascii=False),
            basis_revisie=live.revisie,
            teller=1,
            auteur_rol="",
            toelichting="de gepubliceerde versie van voor de eerste bewerking",
        )
    )
    session.flush()


def archiveer(
    *,
    session: Session,
    soort: str,
    slug: str,
    verwacht_etag: str | None,
    auteur_id: uuid.UUID | None,
    auteur_rol: str,
) -> Versie:
    """Propose archiving a published entry (a draft like any other change)."""
    live = _live(session, soort, slug)
    if live is None or live.gearchiveerd:
        raise NietGevonden(f"{soort.capitalize()} '{slug}'")
    return bewaar(
        session=session,
        soort=soort,
        slug=slug,
        gegevens=_live_cellen(session, soort, live),
        verwacht_etag=verwacht_etag,
        auteur_id=auteur_id,
        auteur_rol=auteur_rol,
        actie=ARCHIVEREN,
    )


def herstel(
    *,
    session: Session,
    soort: str,
    slug: str,
    nummer: int,
    verwacht_etag: str | None,
    auteur_id: uuid.UUID | None,
    auteur_rol: str,
) -> Versie:
    """Make an earlier version the open draft again (published through the same workflow)."""
    w = session.scalar(
        select(RegisterWijziging).where(
            RegisterWijziging.soort == soort,
            RegisterWijziging.slug == slug,
            RegisterWijziging.nummer == nummer,
        )
    )
    if w is None:
        raise NietGevonden(f"Versie {nummer} van '{slug}'")
    return bewaar(
        session=session,
        soort=soort,
        slug=slug,
        gegevens=json.loads(w.gegevens),
        verwacht_etag=verwacht_etag,
        auteur_id=auteur_id,
        auteur_rol=auteur_rol,
        actie=HERSTELLEN,
    )


def _open_versie(session: Session, versie_id: uuid.UUID) -> RegisterWijziging:
    w = session.get(RegisterWijziging, versie_id, with_for_update=True)
    if w is None:
        raise NietGevonden(f"Versie '{versie_id}'")
    if not w.open:
        raise Conflict(f"Versie {w.nummer} van '{w.slug}' is al {w.status}.")
    return w


def _stap(session: Session, w: RegisterWijziging, verwacht_etag: str | None) -> int:
    live = _live(session, w.soort, w.slug, voor_update=True)
    revisie = live.revisie if live is not None else 0
    _controleer_etag(_etag(revisie, w), verwacht_etag, nodig=False)
    return revisie


def dien_in(*, session: Session, versie_id: uuid.UUID, verwacht_etag: str | None = None) -> Versie:
    """Submit a draft for review."""
    w = _open_versie(session, versie_id)
    revisie = _stap(session, w, verwacht_etag)
    if w.status != CONCEPT:
        raise Conflict("Deze versie wacht al op beoordeling.")
    w.status, w.teller = TER_BEOORDELING, w.teller + 1
    session.flush()
    return _versie(w, revisie)


def wijs_af(
    *,
    session: Session,
    versie_id: uuid.UUID,
    beoordelaar_id: uuid.UUID | None,
    toelichting: str,
    verwacht_etag: str | None = None,
) -> Versie:
    """Send a version under review back to its editor as a concept, with the reason."""
    if not toelichting.strip():
        raise Ongeldig("toelichting", "zeg waarom, zodat de redacteur het kan verbeteren")
    w = _open_versie(session, versie_id)
    revisie = _stap(session, w, verwacht_etag)
    if w.status != TER_BEOORDELING:
        raise Conflict("Alleen een versie die ter beoordeling ligt kan worden afgewezen.")
    w.status, w.teller = CONCEPT, w.teller + 1
    w.beoordelaar_id, w.beoordeeld_op = beoordelaar_id, utcnow()
    w.toelichting = toelichting.strip()[:2000]
    session.flush()
    return _versie(w, revisie)


def publiceer(
    *,
    session: Session,
    versie_id: uuid.UUID,
    beoordelaar_id: uuid.UUID | None,
    verwacht_etag: str | None = None,
    vandaag: date | None = None,
) -> Versie:
    """Publish a version under review: apply it to the live tables (checked today)."""
    from stelsel.register.service import (
        _aanbieder_from_record,
        _dienst_from_record,
        werk_aanbieder_bij,
        werk_dienst_bij,
    )

    w = _open_versie(session, versie_id)
    revisie = _stap(session, w, verwacht_etag)
    if w.status != TER_BEOORDELING:
        raise Conflict("Dien de versie eerst in ter beoordeling.")
    live = _live(session, w.soort, w.slug, voor_update=True)
    if revisie != w.basis_revisie:
        raise Conflict(
            "Het item is gewijzigd sinds deze versie werd begonnen; maak de wijziging opnieuw."
        )
    gegevens = json.loads(w.gegevens)
    if w.actie == ARCHIVEREN:
        assert live is not None
        live.gearchiveerd = True
        live.revisie = revisie + 1
    else:
        gegevens["gecontroleerd_op"] = (vandaag or date.today()).isoformat()
        record = controleer(session=session, soort=w.soort, velden=gegevens)
        gegevens = cellen(record)
        if live is None:
            if isinstance(record, AanbiederRecord):
                session.add(_aanbieder_from_record(record))
            else:
                session.add(_dienst_from_record(record))
        else:
            if isinstance(record, AanbiederRecord):
                werk_aanbieder_bij(live, record)
            else:
                assert isinstance(record, DienstRecord)
                werk_dienst_bij(live, record)
            if live.gearchiveerd:
                live.gearchiveerd = False
            live.revisie = revisie + 1
    w.gegevens = json.dumps(gegevens, ensure_ascii=False)
    w.status, w.open, w.teller = GEPUBLICEERD, None, w.teller + 1
    w.beoordelaar_id, w.beoordeeld_op = beoordelaar_id, utcnow()
    session.flush()
    live = _live(session, w.soort, w.slug)
    return _versie(w, live.revisie if live is not None else 0)
