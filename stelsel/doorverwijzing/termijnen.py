"""Deadlines that act: a reminder to the receiver the working day before first contact is due,
an escalation to the sender, the first sender and the region's coordinators once it is overdue,
and expiry (mislukt, reason `verlopen`) of a referral nobody answered. Run by
`stelsel doorverwijzing termijnen` (cron, e.g. every hour); each step happens once."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.doorverwijzingen import _zet
from stelsel.doorverwijzing.models import Doorverwijzing
from stelsel.doorverwijzing.toegang import _now


@dataclass
class Bewaakt:
    herinnerd: int = 0
    geescaleerd: int = 0
    verlopen: int = 0


def bewaak(*, session: Session, vandaag: date | None = None) -> Bewaakt:
    """Remind, escalate and expire the unanswered referrals; returns how many of each."""
    vandaag = vandaag or date.today()
    nu = _now()
    uit = Bewaakt()
    verloop = get_settings().verloop_werkdagen
    for dv in session.scalars(
        select(Doorverwijzing)
        .where(Doorverwijzing.status.in_(lc.ONBEANTWOORD))
        .order_by(Doorverwijzing.eerste_contact_voor, Doorverwijzing.id)
    ):
        termijn = dv.eerste_contact_voor
        h = dv.hulpvraag
        if termijn < vandaag and lc.werkdagen_tussen(termijn, vandaag) >= verloop:
            _zet(session, None, dv, lc.MISLUKT, reden_code=lc.VERLOPEN)
            uit.verlopen += 1
            continue
        if termijn < vandaag and dv.geescaleerd_op is None:
            dv.geescaleerd_op = nu
            onderwerp = "Doorverwijzing zonder antwoord na de termijn"
            for aanbieder_id in dict.fromkeys((dv.van_aanbieder_id, h.aanbieder_id)):
                berichten.aan_aanbieder(
                    session, aanbieder_id, dv, "escalatie", onderwerp, f"{dv.id}:{aanbieder_id}"
                )
            berichten.aan_regio(session, h, dv, onderwerp, dv.id)
            uit.geescaleerd += 1
        elif (
            vandaag <= termijn
            and dv.herinnerd_op is None
            and (lc.werkdagen_tussen(vandaag, termijn) <= 1)
        ):
            dv.herinnerd_op = nu
            berichten.aan_ontvanger(
                session,
                dv,
                "herinnering",
                f"Herinnering: neem uiterlijk {termijn.strftime('%d-%m-%Y')} contact op",
                f"{dv.id}:herinnering",
            )
            uit.herinnerd += 1
    session.flush()
    return uit
