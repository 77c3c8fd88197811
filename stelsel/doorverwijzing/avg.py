"""The entrepreneur's rights under the AVG: inzage, removal, retention that cannot be blocked.
(Consent and its withdrawal: toestemmingen.py.)"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten, toestemmingen
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.doorverwijzingen import _zet, aanbieder_naam, tijdlijn
from stelsel.doorverwijzing.hulpvragen import keten
from stelsel.doorverwijzing.models import (
    AanbiederLink,
    Doorverwijzing,
    Gebeurtenis,
    Hulpvraag,
)
from stelsel.doorverwijzing.toegang import _now


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def inzage(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None) -> dict:
    """Everything stored about the entrepreneur of a case (AVG inzage): their data and
    question, every consent, every hand-over with its notes, the timeline, and every access
    to the case from the audit log (by organisation and role)."""
    accounts.audit(
        session=session,
        actor=door,
        actie="inzage",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel="inzageverzoek",
    )
    verwijzingen = keten(session=session, hulpvraag_id=hulpvraag.id)
    namen: dict = {}

    def naam(i) -> str:
        if i not in namen:
            namen[i] = aanbieder_naam(session=session, aanbieder_id=i)
        return namen[i]

    toegang = accounts.audit_van(
        session=session, object_ids=[str(hulpvraag.id)] + [str(d.id) for d in verwijzingen]
    )
    # a person who worked through a provider link acted for that link's provider
    via_link: dict[uuid.UUID | None, uuid.UUID] = {
        link.id: link.aanbieder_id
        for d in verwijzingen
        for link in berichten.links_van(session, d.id)
    }

    def organisatie(r: accounts.Inzagelog) -> str | None:
        wie = r.aanbieder_id or via_link.get(r.actor_id)
        return naam(wie) if wie else None

    return {
        "hulpvraag": {
            "id": str(hulpvraag.id),
            "genoteerd_door": naam(hulpvraag.aanbieder_id),
            "ondernemer": {
                "naam": hulpvraag.ondernemer_naam,
                "email": hulpvraag.ondernemer_email,
                "telefoon": hulpvraag.ondernemer_telefoon,
                "kvk_nummer": hulpvraag.kvk_nummer,
            },
            "vraag": hulpvraag.vraag,
            "themas": hulpvraag.themas,
            "gemeente_code": hulpvraag.gemeente_code,
            "urgentie": hulpvraag.urgentie,
            "aangemaakt_op": hulpvraag.aangemaakt_op.isoformat(),
            "toestemming_ingetrokken_op": _iso(hulpvraag.ingetrokken_op),
            "gegevens_verwijderd_op": _iso(hulpvraag.geanonimiseerd_op),
        },
        "toestemmingen": [
            {
                "soort": t.soort,
                "met": naam(t.naar_aanbieder_id) if t.naar_aanbieder_id else None,
                "delen_met_ontvanger": t.delen_met_ontvanger,
                "wat": t.wat,
                "doel": t.doel,
                "tekst_versie": t.tekst_versie,
                "kanaal": t.kanaal,
                "gevraagd_op": _iso(t.gevraagd_op),
                "gegeven_op": _iso(t.gegeven_op),
                "ingetrokken_op": _iso(t.ingetrokken_op),
            }
            for t in hulpvraag.toestemmingen
        ],
        "doorverwijzingen": [
            {
                "id": str(d.id),
                "van_aanbieder": naam(d.van_aanbieder_id),
                "naar_aanbieder": naam(d.naar_aanbieder_id),
                "status": d.status,
                "reden_code": d.reden_code,
                "reden": d.reden,
                "uitkomst": d.uitkomst,
                "notitie": d.notitie,
                "eerste_contact_voor": d.eerste_contact_voor.isoformat(),
                "aangemaakt_op": d.aangemaakt_op.isoformat(),
            }
            for d in verwijzingen
        ],
        "tijdlijn": [
            {
                "tijdstip": m.tijdstip.isoformat(),
                "doorverwijzing": str(m.doorverwijzing_id),
                "soort": m.soort,
                "status": m.naar_status,
                "door": m.aanbieder,
                "reden_code": m.reden_code,
                "toelichting": m.toelichting,
            }
            for m in tijdlijn(
                session=session, hulpvraag=hulpvraag, verwijzingen=verwijzingen, met_notities=True
            )
        ],
        "toegang": [
            {
                "tijdstip": r.tijdstip.isoformat(),
                "organisatie": organisatie(r),
                "rol": r.rol,
                "actie": r.actie,
                "doel": r.doel,
                "toegestaan": r.toegestaan,
            }
            for r in toegang
        ],
    }


def trek_in(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None) -> None:
    """Withdraw every consent of the case, and close its open referrals (`sluit_open`)."""
    toestemmingen.trek_in(session=session, hulpvraag=hulpvraag, door=door)
    sluit_open(session, hulpvraag, "toestemming ingetrokken")


def sluit_open(session: Session, hulpvraag: Hulpvraag, doel: str) -> None:
    """Close the case's open referrals as geannuleerd (`ingetrokken`): once the entrepreneur
    withdrew consent or had their data deleted, nobody may act on data they can no longer
    see, nobody is to contact them, and no deadline, reminder or escalation runs on. The
    chain hears it; a new consent lets the provider that took the question refer anew."""
    for d in keten(session=session, hulpvraag_id=hulpvraag.id):
        if d.status in lc.OPEN_STATUSSEN:
            _zet(session, None, d, lc.GEANNULEERD, reden_code=lc.INGETROKKEN, doel=doel)


def anonimiseer(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None, doel: str) -> None:
    """Remove the entrepreneur's personal data; aggregates (thema, gemeente, status) remain.
    Notes, reasons in free text, messages to them and the names on provider links go too.
    Referrals still open are closed (`sluit_open`; retention closes them as verlopen first)."""
    sluit_open(session, hulpvraag, doel)
    nu = _now()
    hulpvraag.ondernemer_naam = None
    hulpvraag.ondernemer_email = None
    hulpvraag.ondernemer_telefoon = None
    hulpvraag.kvk_nummer = None
    hulpvraag.vraag = None
    hulpvraag.geanonimiseerd_op = nu
    hulpvraag.ingetrokken_op = hulpvraag.ingetrokken_op or nu
    for t in hulpvraag.toestemmingen:
        t.ingetrokken_op = t.ingetrokken_op or nu
    ids = select(Doorverwijzing.id).where(Doorverwijzing.hulpvraag_id == hulpvraag.id)
    session.execute(
        update(Doorverwijzing)
        .where(Doorverwijzing.hulpvraag_id == hulpvraag.id)
        .values(notitie=None, reden=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Gebeurtenis)
        .where(Gebeurtenis.doorverwijzing_id.in_(ids))
        .values(toelichting=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(AanbiederLink)
        .where(AanbiederLink.doorverwijzing_id.in_(ids))
        .values(ingetrokken_op=func.coalesce(AanbiederLink.ingetrokken_op, nu))
        .execution_options(synchronize_session=False)
    )
    berichten.vergeet_ondernemer(session, hulpvraag)
    accounts.audit(
        session=session,
        actor=door,
        actie="anonimiseren",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel=doel,
    )


def opschonen(*, session: Session, nu: datetime | None = None) -> int:
    """Remove the personal data of cases whose last change is older than the retention
    period. A case whose referrals are still open then gets the grace period on top; after
    that its open referrals are closed as mislukt (`verlopen`) and its data is removed as
    well, so a forgotten referral cannot keep personal data forever. Returns how many."""
    nu = nu or _now()
    s = get_settings()
    grens = nu - timedelta(days=s.bewaartermijn_dagen)
    grens_open = grens - timedelta(days=s.bewaartermijn_extra_dagen)
    nog_open = select(Doorverwijzing.hulpvraag_id).where(
        Doorverwijzing.status.in_(lc.OPEN_STATUSSEN)
    )
    laatst = (
        select(Doorverwijzing.hulpvraag_id, func.max(Doorverwijzing.bijgewerkt_op).label("laatst"))
        .group_by(Doorverwijzing.hulpvraag_id)
        .subquery()
    )
    wanneer = func.coalesce(laatst.c.laatst, Hulpvraag.aangemaakt_op)
    kandidaten = session.scalars(
        select(Hulpvraag)
        .outerjoin(laatst, laatst.c.hulpvraag_id == Hulpvraag.id)
        .where(
            Hulpvraag.geanonimiseerd_op.is_(None),
            ((Hulpvraag.id.not_in(nog_open)) & (wanneer < grens)) | (wanneer < grens_open),
        )
    ).all()
    for h in kandidaten:
        for d in keten(session=session, hulpvraag_id=h.id):
            if d.status in lc.OPEN_STATUSSEN:
                _zet(session, None, d, lc.MISLUKT, reden_code=lc.VERLOPEN)
        anonimiseer(session=session, hulpvraag=h, door=None, doel="bewaartermijn verstreken")
    return len(kandidaten)
