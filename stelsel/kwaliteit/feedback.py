"""The anonymous one-question feedback ("Heeft dit u geholpen?") on every wegwijzer answer and
dienst page, as the EU Single Digital Gateway asks of procedure pages.

Stored: when, where (wegwijzer or dienst; the dienst, thema and gemeente the page was about),
yes or no, and an optional reason of at most 500 characters. Never an IP address, a session, a
user or the question the visitor typed.
"""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from stelsel.db import utcnow
from stelsel.errors import Ongeldig
from stelsel.geo import service as geo
from stelsel.kwaliteit.models import FEEDBACK_SOORTEN, WAAROM_MAX, Feedback
from stelsel.register import service as register
from stelsel.register import taxonomie as tx


@dataclass(frozen=True)
class FeedbackIn:
    """The form as posted: strings, empty when not given."""

    soort: str
    geholpen: str
    waarom: str = ""
    dienst: str = ""
    thema: str = ""
    gemeente: str = ""


@dataclass(frozen=True)
class Gegeven:
    """Where the visitor goes back to after giving feedback."""

    soort: str
    dienst_slug: str | None


def geef(*, session: Session, invoer: FeedbackIn) -> Gegeven:
    """Validate and store one feedback; Ongeldig names the field, and nothing is written."""
    if invoer.soort not in FEEDBACK_SOORTEN:
        raise Ongeldig("soort", f"kies uit {', '.join(FEEDBACK_SOORTEN)}")
    if invoer.geholpen not in ("ja", "nee"):
        raise Ongeldig("geholpen", "kies ja of nee")
    waarom = invoer.waarom.strip() or None
    if waarom is not None and len(waarom) > WAAROM_MAX:
        raise Ongeldig("waarom", f"hooguit {WAAROM_MAX} tekens")
    dienst_id, slug = None, None
    if invoer.dienst.strip():
        d = register.get_dienst(session=session, dienst_id=invoer.dienst.strip()[:100])
        if d is None:
            raise Ongeldig("dienst", "onbekende dienst")
        dienst_id, slug = d.id, d.slug
    elif invoer.soort == "dienst":
        raise Ongeldig("dienst", "verplicht bij feedback op een dienst")
    thema = invoer.thema.strip() or None
    if thema is not None and thema not in tx.codes(tx.THEMAS):
        raise Ongeldig("thema", "onbekend thema")
    gemeente = invoer.gemeente.strip().upper() or None
    if gemeente is not None and geo.get(session=session, code=gemeente[:6]) is None:
        raise Ongeldig("gemeente", "onbekende gemeentecode")
    session.add(
        Feedback(
            id=uuid.uuid4(),
            ontvangen_op=utcnow(),
            soort=invoer.soort,
            dienst_id=dienst_id,
            thema=thema,
            gemeente_code=gemeente,
            geholpen=invoer.geholpen == "ja",
            waarom=waarom,
        )
    )
    return Gegeven(invoer.soort, slug)
