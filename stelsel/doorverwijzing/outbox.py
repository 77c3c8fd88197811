"""Delivering the outbox: e-mail (SMTP, or files in a folder) and signed webhooks.

Messages are written in the same transaction as the change they announce, so none is lost.
Delivery claims a message with a conditional UPDATE and a lease, so two workers never send the
same message; a worker that crashes mid-way leaves the lease to expire and the message is
retried. Every message carries its idempotency key (e-mail Message-ID, webhook
`Idempotency-Key` header), so a retry after a crash between sending and recording cannot be
taken twice by the receiver; e-mail to a folder is one file per key.
"""

import hashlib
import hmac
import json
import smtplib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import httpx
from sqlalchemy import CursorResult, Engine, select, update

from stelsel.config import get_settings
from stelsel.db import session_factory
from stelsel.doorverwijzing.models import Bericht, Koppeling

LEASE = timedelta(minutes=5)
MAX_POGINGEN = 10


def _email(bericht: Bericht) -> None:
    s = get_settings()
    msg = EmailMessage()
    msg["From"] = s.mail_afzender
    msg["To"] = bericht.bestemming
    msg["Subject"] = bericht.onderwerp
    msg["Message-ID"] = f"<{hashlib.sha256(bericht.sleutel.encode()).hexdigest()}@stelsel>"
    inhoud = json.loads(bericht.inhoud)
    msg.set_content(f"{bericht.onderwerp}.\n\nBekijk de doorverwijzing: {inhoud['link']}\n")
    if s.smtp_host:
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_gebruiker:
                smtp.login(s.smtp_gebruiker, s.smtp_wachtwoord)
            smtp.send_message(msg)
        return
    map_ = Path(s.mail_map)
    map_.mkdir(parents=True, exist_ok=True)
    naam = hashlib.sha256(bericht.sleutel.encode()).hexdigest()[:32] + ".eml"
    (map_ / naam).write_bytes(bytes(msg))


def handtekening(geheim: str, body: bytes) -> str:
    """HMAC-SHA256 signature of a webhook body, as sent in X-Stelsel-Signature."""
    return "sha256=" + hmac.new(geheim.encode(), body, hashlib.sha256).hexdigest()


def _webhook(bericht: Bericht, geheim: str) -> None:
    body = bericht.inhoud.encode()
    r = httpx.post(
        bericht.bestemming,
        content=body,
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": bericht.sleutel,
            "X-Stelsel-Signature": handtekening(geheim, body),
        },
        timeout=10,
    )
    r.raise_for_status()


def verwerk(bind: Engine, nu: Callable[[], datetime] = lambda: datetime.now(UTC)) -> dict[str, int]:
    """Deliver every due message once; returns counts of sent and failed attempts."""
    sessions = session_factory(bind)
    result = {"verzonden": 0, "mislukt": 0}
    with sessions() as s:
        ids = s.scalars(
            select(Bericht.id)
            .where(Bericht.status.in_(("wachtend", "bezig")), Bericht.volgende_poging <= nu())
            .order_by(Bericht.volgende_poging)
            .limit(500)
        ).all()
    for bericht_id in ids:
        with sessions() as s:
            # an UPDATE without RETURNING gives a CursorResult; Session.execute is typed as Result
            claim = cast(
                "CursorResult[Any]",
                s.execute(
                    update(Bericht)
                    .where(
                        Bericht.id == bericht_id,
                        Bericht.status.in_(("wachtend", "bezig")),
                        Bericht.volgende_poging <= nu(),
                    )
                    .values(
                        status="bezig", volgende_poging=nu() + LEASE, pogingen=Bericht.pogingen + 1
                    )
                ),
            )
            s.commit()
            if claim.rowcount != 1:
                continue  # another worker has it
            bericht = s.get(Bericht, bericht_id)
            if bericht is None:
                continue  # deleted since it was claimed: nothing left to deliver
            try:
                if bericht.kanaal == "email":
                    _email(bericht)
                else:
                    koppeling = s.scalar(
                        select(Koppeling).where(Koppeling.webhook_url == bericht.bestemming)
                    )
                    _webhook(bericht, koppeling.geheim if koppeling else "")
            except Exception as e:  # noqa: BLE001 - any failure means: retry later
                wacht = timedelta(seconds=30 * 2 ** min(bericht.pogingen, 10))
                bericht.status = "mislukt" if bericht.pogingen >= MAX_POGINGEN else "wachtend"
                bericht.volgende_poging = nu() + wacht
                bericht.laatste_fout = type(e).__name__  # no message text: it may hold addresses
                result["mislukt"] += 1
            else:
                bericht.status = "verzonden"
                bericht.verzonden_op = nu()
                result["verzonden"] += 1
            s.commit()
    return result
