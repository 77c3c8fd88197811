"""Hulpvragen: a case taken by an adviser, with the entrepreneur's consent."""

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing.models import (
    Doorverwijzing,
    Hulpvraag,
    Toestemming,
)
from stelsel.doorverwijzing.toegang import (
    GEEN_HULPVRAAG,
    TOESTEMMING_DOEL,
    TOESTEMMING_WAT,
    _adviseur,
    _geweigerd,
    _hash,
)
from stelsel.errors import NietGevonden, Ongeldig
from stelsel.geo import service as geo


@dataclass
class NieuweHulpvraag:
    naam: str
    email: str
    vraag: str
    gemeente: str | None
    delen_met_ontvanger: bool
    tekst_versie: str
    telefoon: str | None = None
    kvk_nummer: str | None = None
    urgentie: str = "normaal"
    themas: list[str] | None = None


def create_hulpvraag(
    *, session: Session, actor: Actor, data: NieuweHulpvraag
) -> tuple[Hulpvraag, str]:
    """Record a case with its consent; returns it and the entrepreneur's private access code."""
    _adviseur(session, actor, "hulpvraag")
    if not data.naam.strip():
        raise Ongeldig("ondernemer.naam", "verplicht")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", data.email.strip()):
        raise Ongeldig("ondernemer.email", "geen geldig e-mailadres")
    if data.kvk_nummer and not re.fullmatch(r"\d{8}", data.kvk_nummer):
        raise Ongeldig("ondernemer.kvk_nummer", "een KVK-nummer heeft 8 cijfers")
    if not data.vraag.strip() or len(data.vraag) > 5000:
        raise Ongeldig("vraag", "verplicht, hooguit 5000 tekens")
    if data.urgentie not in ("normaal", "hoog"):
        raise Ongeldig("urgentie", "normaal of hoog")
    if not data.tekst_versie.strip():
        raise Ongeldig("toestemming.tekst_versie", "verplicht: welke toestemmingstekst is getoond")
    g = None
    if data.gemeente:
        g = geo.resolve(session=session, tekst=data.gemeente)
    themas = data.themas
    if themas is None:
        from stelsel.wegwijzer import service as wegwijzer

        themas = wegwijzer.advies(session=session, vraag=data.vraag[:1000], registreer=False).themas
    code = secrets.token_urlsafe(24)
    h = Hulpvraag(
        id=uuid.uuid4(),
        aanbieder_id=actor.aanbieder_id,
        aangemaakt_door=actor.id,
        ondernemer_naam=data.naam.strip(),
        ondernemer_email=data.email.strip().lower(),
        ondernemer_telefoon=(data.telefoon or "").strip() or None,
        kvk_nummer=data.kvk_nummer or None,
        vraag=data.vraag.strip(),
        themas=themas,
        gemeente_code=g.code if g else None,
        provincie_code=g.provincie_code if g else None,
        arbeidsmarktregio_code=g.arbeidsmarktregio_code if g else None,
        urgentie=data.urgentie,
        toegangscode_hash=_hash(code),
    )
    h.toestemmingen.append(
        Toestemming(
            delen_met_ontvanger=data.delen_met_ontvanger,
            wat=TOESTEMMING_WAT,
            doel=TOESTEMMING_DOEL,
            tekst_versie=data.tekst_versie.strip(),
        )
    )
    session.add(h)
    session.flush()
    accounts.audit(
        session=session,
        actor=actor,
        actie="aanmaken",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel="hulpvraag vastleggen",
    )
    return h, code


def _betrokken(session: Session, h: Hulpvraag) -> set[uuid.UUID]:
    """Providers involved in a case: who took it and everyone it was referred to or from."""
    ids = {h.aanbieder_id}
    for van, naar in session.execute(
        select(Doorverwijzing.van_aanbieder_id, Doorverwijzing.naar_aanbieder_id).where(
            Doorverwijzing.hulpvraag_id == h.id
        )
    ):
        ids |= {van, naar}
    return ids


def get_hulpvraag(
    *, session: Session, actor: Actor, hulpvraag_id: uuid.UUID, doel: str
) -> Hulpvraag:
    """A case, for an adviser of a provider involved in it (audited)."""
    h = session.get(Hulpvraag, hulpvraag_id)
    if (
        h is None
        or actor.rol != rollen.ADVISEUR
        or actor.aanbieder_id not in _betrokken(session, h)
    ):
        fout = NietGevonden(GEEN_HULPVRAAG)
        raise _geweigerd(session, actor, fout, "hulpvraag", hulpvraag_id)
    accounts.audit(
        session=session,
        actor=actor,
        actie="lezen",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel=doel,
    )
    return h


def by_toegangscode(*, session: Session, code: str) -> Hulpvraag | None:
    """The case behind an entrepreneur's private link."""
    h = session.scalar(select(Hulpvraag).where(Hulpvraag.toegangscode_hash == _hash(code)))
    if h is not None:
        accounts.audit(
            session=session,
            actor=None,
            actie="lezen",
            object_type="hulpvraag",
            object_id=str(h.id),
            doel="ondernemer bekijkt eigen hulpvraag",
        )
    return h
