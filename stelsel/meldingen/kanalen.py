"""The channels: e-mail (SMTP, or one .eml file per message in a folder) and signed webhooks.

Each takes exactly what it sends, so a second delivery of a message sends the same bytes: the
same idempotency key (`Idempotency-Key` header, e-mail Message-ID, .eml file name), the same
body and so the same signature.
"""

import hashlib
import hmac
import json
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path

import httpx
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from stelsel.config import get_settings

WEBHOOK_TIMEOUT = 10  # seconds; well inside the lease, which is renewed meanwhile as well
SMTP_TIMEOUT = 30

_teksten = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=False,  # plain text mail  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def mailtekst(onderwerp: str, inhoud: str) -> str:
    """The text of an e-mail: the template of its kind (`type` in the JSON content), most
    specific first: `doorverwijzing.nieuw.txt`, then `doorverwijzing.txt`."""
    gegevens = json.loads(inhoud)
    soort = str(gegevens.get("type", ""))
    sjabloon = _teksten.select_template([f"{soort}.txt", f"{soort.split('.')[0]}.txt"])
    return sjabloon.render({**gegevens, "onderwerp": onderwerp})


def email(*, sleutel: str, ontvanger: str, onderwerp: str, tekst: str) -> None:
    s = get_settings()
    msg = EmailMessage()
    msg["From"] = s.mail_afzender
    msg["To"] = ontvanger
    msg["Subject"] = onderwerp
    msg["Message-ID"] = f"<{hashlib.sha256(sleutel.encode()).hexdigest()}@stelsel>"
    msg.set_content(tekst)
    if s.smtp_host:
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_gebruiker:
                smtp.login(s.smtp_gebruiker, s.smtp_wachtwoord)
            smtp.send_message(msg)
        return
    map_ = Path(s.mail_map)
    map_.mkdir(parents=True, exist_ok=True)
    naam = hashlib.sha256(sleutel.encode()).hexdigest()[:32] + ".eml"
    (map_ / naam).write_bytes(bytes(msg))


def handtekening(geheim: str, body: bytes) -> str:
    """HMAC-SHA256 signature of a webhook body, as sent in X-Stelsel-Signature."""
    return "sha256=" + hmac.new(geheim.encode(), body, hashlib.sha256).hexdigest()


def webhook(*, url: str, geheim: str, sleutel: str, body: bytes) -> None:
    """POST the body, signed; any answer but 2xx is a failure (retried later)."""
    r = httpx.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": sleutel,
            "X-Stelsel-Signature": handtekening(geheim, body),
        },
        timeout=WEBHOOK_TIMEOUT,
    )
    r.raise_for_status()
