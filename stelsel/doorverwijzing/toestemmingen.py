"""Consent per recipient and purpose: recorded by an adviser (given by phone or in person),
asked of and answered by the entrepreneur on their private page, and withdrawn at once."""

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten
from stelsel.doorverwijzing.hulpvragen import get_hulpvraag
from stelsel.doorverwijzing.models import Hulpvraag, Toestemming, schrijf_direct
from stelsel.doorverwijzing.toegang import _now, delen_met
from stelsel.errors import Ongeldig
from stelsel.register import service as register

KANALEN = ("telefoon", "gesprek", "schriftelijk")  # how an adviser heard the entrepreneur's yes
PRIVE_PAGINA = "prive_pagina"


def _ontvanger(session: Session, naar_aanbieder: str):
    naar = register.get_aanbieder(session=session, aanbieder_id=naar_aanbieder)
    if naar is None:
        raise Ongeldig("naar_aanbieder", "onbekende aanbieder")
    return naar


def leg_vast(
    *,
    session: Session,
    actor: Actor,
    hulpvraag: Hulpvraag,
    naar_aanbieder_id: uuid.UUID,
    naar_naam: str,
    tekst_versie: str,
    kanaal: str,
    direct: bool = False,
    auditregels: list[dict] | None = None,
) -> Toestemming:
    """Record the entrepreneur's consent to hand the case to one aanbieder, as the adviser
    heard it (the caller checked that this adviser holds the case). `direct`: the consent is
    written at once (models.schrijf_direct). The audit entry is written at once too,
    or, given `auditregels`, added to that list for the caller to write with the other entries
    of its transaction (accounts.schrijf_audit)."""
    if kanaal not in KANALEN:
        raise Ongeldig("toestemming.kanaal", f"kies uit {', '.join(KANALEN)}")
    if not tekst_versie.strip():
        raise Ongeldig("toestemming.tekst_versie", "verplicht: welke toestemmingstekst is getoond")
    t = delen_met(
        naar_aanbieder_id,
        naar_naam,
        tekst_versie=tekst_versie.strip()[:40],
        kanaal=kanaal,
        vastgelegd_door=actor.id,
        gegeven_op=_now(),
    )
    t.hulpvraag_id = hulpvraag.id
    if direct:
        # written now, before the referral that points to it, without a flush
        schrijf_direct(session, t)
        set_committed_value(hulpvraag, "toestemmingen", [*hulpvraag.toestemmingen, t])
    else:
        hulpvraag.toestemmingen.append(t)
        session.flush()  # before the referral that points to it
    regels = [] if auditregels is None else auditregels
    regels.append(
        accounts.audit_regel(
            actor=actor,
            actie="toestemming_vastleggen",
            object_type="hulpvraag",
            object_id=str(hulpvraag.id),
            doel=f"toestemming via {kanaal}",
        )
    )
    if auditregels is None:
        accounts.schrijf_audit(session=session, regels=regels)
    return t


def vraag(
    *, session: Session, actor: Actor, hulpvraag_id: uuid.UUID, naar_aanbieder: str
) -> Toestemming:
    """Ask the entrepreneur, on their private page, for consent to hand the case to one
    aanbieder; they get an e-mail if they agreed to be contacted."""
    h = get_hulpvraag(
        session=session,
        actor=actor,
        hulpvraag_id=hulpvraag_id,
        doel="toestemming vragen",
        alleen_houder=True,
    )
    naar = _ontvanger(session, naar_aanbieder)
    bestaand = next(
        (
            t
            for t in h.toestemmingen
            if t.naar_aanbieder_id == naar.id and (t.open_verzoek() or t.geldig())
        ),
        None,
    )
    if bestaand is not None:
        return bestaand
    t = delen_met(
        naar.id,
        naar.naam,
        tekst_versie="",
        kanaal=PRIVE_PAGINA,
        vastgelegd_door=actor.id,
        gevraagd_op=_now(),
        gegeven_op=None,
    )
    h.toestemmingen.append(t)
    session.flush()
    berichten.aan_ondernemer(
        session,
        h,
        "toestemmingsverzoek",
        "Mogen wij uw vraag doorgeven?",
        {
            "organisatie": naar.naam,
            "link": f"{get_settings().base_url.rstrip('/')}/mijn-hulpvraag",
        },
        t.id,
    )
    accounts.audit(
        session=session,
        actor=actor,
        actie="toestemming_vragen",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel="toestemming vragen aan ondernemer",
    )
    return t


def beantwoord(
    *,
    session: Session,
    hulpvraag: Hulpvraag,
    toestemming_id: uuid.UUID,
    ja: bool,
    tekst_versie: str,
) -> Toestemming:
    """The entrepreneur answers a request on their private page."""
    t = next((t for t in hulpvraag.toestemmingen if t.id == toestemming_id), None)
    if t is None or not t.open_verzoek():
        raise Ongeldig("toestemming", "deze vraag om toestemming is al beantwoord of bestaat niet")
    nu = _now()
    if ja:
        t.gegeven_op, t.tekst_versie = nu, tekst_versie
        hulpvraag.ingetrokken_op = None  # a new yes after a withdrawal counts for this one
    else:
        t.ingetrokken_op = nu
    accounts.audit(
        session=session,
        actor=None,
        actie="toestemming_gegeven" if ja else "toestemming_geweigerd",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel="antwoord ondernemer",
    )
    return t


def trek_in(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None) -> None:
    """Withdraw every consent of the case: from now on nobody but the entrepreneur sees their
    data, and nobody can refer the case on."""
    nu = _now()
    for t in hulpvraag.toestemmingen:
        if t.ingetrokken_op is None:
            t.ingetrokken_op = nu
    hulpvraag.ingetrokken_op = nu
    accounts.audit(
        session=session,
        actor=door,
        actie="toestemming_intrekken",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel="verzoek ondernemer",
    )
