"""The public face of the outbox: queue a message, link a provider's own system.

A message is queued in the caller's transaction, with the change it announces, so it is never
lost and never sent for a change that was rolled back. `stelsel outbox verwerk` delivers it
(bezorging.py).
"""

import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from stelsel.db import utcnow
from stelsel.errors import Ongeldig
from stelsel.meldingen.models import Bericht, Koppeling
from stelsel.register import service as register

WEBHOOK_BESTEMMING = "aanbieder:"


def zet_klaar(
    *,
    session: Session,
    soort: str,
    sleutel: str,
    onderwerp: str,
    gegevens: dict[str, Any],
    emails: Iterable[str] = (),
    aanbieder_id: uuid.UUID | None = None,
    webhook: bool | None = None,
    direct: bool = False,
) -> None:
    """Queue a message of a kind (`doorverwijzing.nieuw`): an e-mail to each address, and a
    webhook to the aanbieder's own system when it has one.

    `sleutel` names the event once (`<id>:<event>`); each message's idempotency key adds the
    channel. `gegevens` is the template context and the webhook's JSON body (after `type`):
    never personal data of the entrepreneur. The e-mail text comes from templates/<kind>.txt
    (or templates/<domain>.txt, the part before the dot). `webhook`: whether the aanbieder has
    a linked system, when the caller already knows (`heeft_koppeling`); None looks it up.
    `direct`: the rows are written at once with one Core INSERT instead of as ORM objects
    (cheaper; for a caller that reads none of them back)."""
    inhoud = json.dumps({"type": soort, **gegevens})
    rijen = [
        {
            "sleutel": _sleutel(f"{sleutel}:email:{email}"),
            "kanaal": "email",
            "bestemming": email,
            "onderwerp": onderwerp,
            "inhoud": inhoud,
        }
        for email in emails
    ]
    if webhook is None:
        webhook = aanbieder_id is not None and heeft_koppeling(
            session=session, aanbieder_id=aanbieder_id
        )
    if aanbieder_id is not None and webhook:
        rijen.append(
            {
                "sleutel": f"{sleutel}:webhook",
                "kanaal": "webhook",
                "bestemming": f"{WEBHOOK_BESTEMMING}{aanbieder_id}",
                "onderwerp": onderwerp,
                "inhoud": inhoud,
            }
        )
    if direct:
        if rijen:
            session.connection().execute(_BERICHT_INSERT, rijen)
    else:
        session.add_all(Bericht(**r) for r in rijen)


_BERICHT_INSERT = insert(Bericht)


def _sleutel(sleutel: str) -> str:
    """The key as stored: a long one (a long e-mail address) keeps its prefix and is hashed."""
    if len(sleutel) <= 120:
        return sleutel
    return f"{sleutel[:55]}#{hashlib.sha256(sleutel.encode()).hexdigest()}"


# Prepared once; a Core read of one key, no ORM object made.
_HEEFT_KOPPELING = select(Koppeling.aanbieder_id).where(
    Koppeling.aanbieder_id == bindparam("aanbieder_id")
)


def heeft_koppeling(*, session: Session, aanbieder_id: uuid.UUID) -> bool:
    """The aanbieder receives webhooks in its own system (as stored: flush first a link
    added in this session)."""
    rij = session.connection().execute(_HEEFT_KOPPELING, {"aanbieder_id": aanbieder_id})
    return rij.first() is not None


def gekoppelde_aanbieders(*, session: Session) -> set[uuid.UUID]:
    """The aanbieders that receive webhooks in their own system."""
    return set(session.scalars(select(Koppeling.aanbieder_id)))


def vergeet(*, session: Session, sleutel_begin: str) -> int:
    """Forget messages whose key starts with this (e.g. all messages to one entrepreneur):
    undelivered ones are dropped, delivered ones keep no address or content. Returns how many.
    `sleutel_begin` must not contain SQL LIKE wildcards (ids and ':' only)."""
    patroon = f"{sleutel_begin}%"
    weg = session.execute(
        delete(Bericht)
        .where(Bericht.sleutel.like(patroon), Bericht.status.in_(("wachtend", "bezig", "mislukt")))
        .execution_options(synchronize_session=False)
    )
    leeg = session.execute(
        update(Bericht)
        .where(Bericht.sleutel.like(patroon))
        .values(bestemming="verwijderd", inhoud="{}")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(weg, "rowcount", 0) or 0) + int(getattr(leeg, "rowcount", 0) or 0)


def koppel(*, session: Session, aanbieder: str, webhook_url: str) -> str:
    """Send this aanbieder's notifications also as signed webhooks to its own system; returns
    the new signing secret (shown once; a second call replaces URL and secret, also for what is
    still queued)."""
    a = register.get_aanbieder(session=session, aanbieder_id=aanbieder)
    if a is None:
        raise Ongeldig("aanbieder", f"'{aanbieder}' is geen bekende aanbieder")
    url = webhook_url.strip()
    lokaal = re.match(r"http://(localhost|127\.0\.0\.1)(:\d+)?/", url)
    if not (url.startswith("https://") or lokaal) or len(url) > 300 or " " in url:
        raise Ongeldig("webhook_url", "moet een https-adres zijn van hoogstens 300 tekens")
    geheim = secrets.token_urlsafe(32)
    koppeling = session.get(Koppeling, a.id) or Koppeling(aanbieder_id=a.id)
    koppeling.webhook_url, koppeling.geheim = url, geheim
    session.add(koppeling)
    session.flush()
    return geheim


def wachtrij(*, session: Session, nu: datetime | None = None) -> tuple[int, float]:
    """The outbox's backlog: messages not yet delivered (waiting or being sent), and how many
    seconds the most overdue one has been due (0 when none is overdue). For /metrics."""
    nu = nu or utcnow()
    aantal, oudste = session.execute(
        select(func.count(), func.min(Bericht.volgende_poging)).where(
            Bericht.status.in_(("wachtend", "bezig"))
        )
    ).one()
    if oudste is None:
        return aantal, 0.0
    oudste = oudste if oudste.tzinfo else oudste.replace(tzinfo=UTC)  # SQLite: naive UTC
    return aantal, max(0.0, (nu - oudste).total_seconds())
