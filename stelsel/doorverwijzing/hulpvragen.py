"""Hulpvragen: a case taken by an adviser, with the entrepreneur's consent."""

import re
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten
from stelsel.doorverwijzing.models import (
    CONTACT,
    DELEN,
    ENQUETE,
    ENQUETE_DOEL,
    ENQUETE_WAT,
    Doorverwijzing,
    Hulpvraag,
    Toestemming,
)
from stelsel.doorverwijzing.toegang import (
    CONTACT_DOEL,
    CONTACT_WAT,
    GEEN_HULPVRAAG,
    TOESTEMMING_DOEL,
    TOESTEMMING_WAT,
    _adviseur,
    _geweigerd,
    _hash,
    _now,
    houdt,
    op_keten,
    telefoon_geldig,
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
    berichten: bool = False  # consent to be kept informed by e-mail
    enquete: bool = False  # consent to be sent a questionnaire once the case is closed


def create_hulpvraag(
    *, session: Session, actor: Actor, data: NieuweHulpvraag
) -> tuple[Hulpvraag, str]:
    """Record a case with its consent; returns it and the entrepreneur's private access code."""
    _adviseur(session, actor, "hulpvraag")
    if not data.naam.strip():
        raise Ongeldig("ondernemer.naam", "verplicht")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", data.email.strip()):
        raise Ongeldig("ondernemer.email", "geen geldig e-mailadres")
    if data.telefoon and data.telefoon.strip() and not telefoon_geldig(data.telefoon):
        raise Ongeldig("ondernemer.telefoon", "een telefoonnummer heeft 10 tot 15 cijfers")
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
    # the intake consent to share (bound to its first recipient later), and the optional
    # consents to be contacted by e-mail and to get a questionnaire
    soorten = [(DELEN, data.delen_met_ontvanger, TOESTEMMING_WAT, TOESTEMMING_DOEL)]
    if data.berichten:
        soorten.append((CONTACT, True, CONTACT_WAT, CONTACT_DOEL))
    if data.enquete:
        soorten.append((ENQUETE, True, ENQUETE_WAT, ENQUETE_DOEL))
    nu = _now()
    for soort, ja, wat, doel in soorten:
        h.toestemmingen.append(
            Toestemming(
                soort=soort,
                delen_met_ontvanger=ja,
                wat=wat,
                doel=doel,
                tekst_versie=data.tekst_versie.strip(),
                vastgelegd_door=actor.id,
                gegeven_op=nu,
            )
        )
    session.add(h)
    session.flush()
    berichten.aan_ondernemer(
        session,
        h,
        "bevestiging",
        "Uw vraag is genoteerd",
        {
            "organisatie": berichten.register_naam(session, h.aanbieder_id),
            "link": f"{get_settings().base_url.rstrip('/')}/mijn-hulpvraag/{code}",
        },
        h.id,
    )
    accounts.audit(
        session=session,
        actor=actor,
        actie="aanmaken",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel="hulpvraag vastleggen",
    )
    return h, code


# Built once: building a statement with its loader options costs more than running it. The
# referrals' one case is not joined in again: the callers hold it already (it is taken from
# the session, or loaded once when first used).
_KETEN = (
    select(Doorverwijzing)
    .where(Doorverwijzing.hulpvraag_id == bindparam("hulpvraag_id"))
    .order_by(Doorverwijzing.aangemaakt_op, Doorverwijzing.id)
    .options(lazyload(Doorverwijzing.hulpvraag))
)


def keten(*, session: Session, hulpvraag_id: uuid.UUID) -> list[Doorverwijzing]:
    """All referrals of a case in order."""
    return list(session.scalars(_KETEN, {"hulpvraag_id": hulpvraag_id}))


def get_hulpvraag(
    *,
    session: Session,
    actor: Actor,
    hulpvraag_id: uuid.UUID,
    doel: str,
    alleen_houder: bool = False,
) -> Hulpvraag:
    """A case, for an adviser of a provider on its chain (audited); with `alleen_houder`
    only for the one that holds it now (toegang.houdt): that is who sees personal data."""
    h = session.get(Hulpvraag, hulpvraag_id)
    verwijzingen = keten(session=session, hulpvraag_id=hulpvraag_id) if h else []
    if (
        h is None
        or actor.rol != rollen.ADVISEUR
        or not op_keten(h, verwijzingen, actor.aanbieder_id)
        or (alleen_houder and not houdt(h, verwijzingen, actor.aanbieder_id))
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
