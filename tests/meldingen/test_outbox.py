"""The outbox: delivery after a crash, leases, signed webhooks, SMTP, koppelingen (moved from
tests/doorverwijzing/test_doorverwijzing_data.py, assertions unchanged)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from stelsel.config import get_settings
from stelsel.db import session_scope
from stelsel.errors import Ongeldig
from stelsel.meldingen import bezorging, kanalen, service
from stelsel.meldingen.models import Bericht, Koppeling
from stelsel.register import service as register
from tests.meldingen.conftest import maak_zaak


def test_outbox_survives_a_crash_and_delivers_once(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
    get_settings.cache_clear()
    engine = databases.engine(with_register=True)
    try:
        maak_zaak(engine)
        with session_scope(engine) as s:
            berichten = s.scalars(select(Bericht)).all()
            assert len(berichten) == 2 and {b.status for b in berichten} == {"wachtend"}

        def crash(**_):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(kanalen, "email", crash)
        assert bezorging.verwerk(engine) == {"verzonden": 0, "mislukt": 2}
        monkeypatch.undo()
        monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
        later = lambda: datetime.now(UTC) + timedelta(hours=1)  # noqa: E731 - after the backoff
        assert bezorging.verwerk(engine, nu=later) == {"verzonden": 2, "mislukt": 0}
        assert bezorging.verwerk(engine, nu=later) == {"verzonden": 0, "mislukt": 0}
        assert len(list(Path(tmp_path / "mail").glob("*.eml"))) == 2
        with session_scope(engine) as s:
            assert {(b.status, b.pogingen, b.laatste_fout) for b in s.scalars(select(Bericht))} == {
                ("verzonden", 2, "ConnectionError")
            }
    finally:
        get_settings.cache_clear()


def test_lease_expired_message_from_a_crashed_worker_is_retried(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
    get_settings.cache_clear()
    engine = databases.engine(with_register=True)
    try:
        maak_zaak(engine)
        with session_scope(engine) as s:  # a worker claimed everything, then died
            for b in s.scalars(select(Bericht)):
                b.status, b.volgende_poging = "bezig", datetime.now(UTC) + bezorging.lease()
        assert bezorging.verwerk(engine) == {"verzonden": 0, "mislukt": 0}  # lease still running
        later = lambda: datetime.now(UTC) + bezorging.lease() + timedelta(seconds=1)  # noqa: E731
        assert bezorging.verwerk(engine, nu=later)["verzonden"] == 2
    finally:
        get_settings.cache_clear()


def test_signed_webhook(databases, monkeypatch):
    engine = databases.engine(with_register=True)
    gezien = []

    class Antwoord:
        def raise_for_status(self):
            pass

    def post(url, content, headers, timeout):
        gezien.append((url, content, headers))
        return Antwoord()

    with session_scope(engine) as s:
        geheim = service.koppel(
            session=s, aanbieder="qredits", webhook_url="https://qredits.example.nl/hook"
        )
    maak_zaak(engine)
    monkeypatch.setattr(kanalen.httpx, "post", post)
    monkeypatch.setattr(kanalen, "email", lambda **_: None)
    bezorging.verwerk(engine)
    ((url, body, headers),) = gezien
    assert url == "https://qredits.example.nl/hook"
    assert headers["X-Stelsel-Signature"] == kanalen.handtekening(geheim, body)
    assert headers["Idempotency-Key"].endswith(":nieuw:webhook")
    assert b"Jan" not in body  # notifications carry no personal data


@pytest.mark.parametrize(
    ("aanbieder", "url", "veld"),
    [
        ("bestaat-niet", "https://x.example.nl/hook", "aanbieder"),
        ("qredits", "http://x.example.nl/hook", "webhook_url"),  # not encrypted
        ("qredits", "https://x.example.nl/" + "a" * 300, "webhook_url"),
    ],
)
def test_koppeling_refuses_bad_input_naming_the_field(session, aanbieder, url, veld):
    with pytest.raises(Ongeldig) as e:
        service.koppel(session=session, aanbieder=aanbieder, webhook_url=url)
    assert e.value.veld == veld


def test_cli_links_a_providers_system_and_prints_the_secret_once(databases, monkeypatch):
    from typer.testing import CliRunner

    from stelsel.cli import app

    engine = databases.engine(with_register=True)
    monkeypatch.setattr("stelsel.meldingen.cli.get_engine", lambda: engine)
    url = "https://qredits.example.nl/hook"
    eerste = CliRunner().invoke(app, ["koppeling", "maak", "--aanbieder", "qredits", "--url", url])
    tweede = CliRunner().invoke(app, ["koppeling", "maak", "--aanbieder", "qredits", "--url", url])
    assert eerste.exit_code == tweede.exit_code == 0, eerste.output
    geheimen = [r.output.strip().splitlines()[-1] for r in (eerste, tweede)]
    with session_scope(engine) as s:
        qredits = register.aanbieder_rij(session=s, aanbieder_id="qredits")
        assert qredits is not None
        koppeling = s.get(Koppeling, qredits.id)
        assert koppeling is not None and koppeling.webhook_url == url
        assert koppeling.geheim == geheimen[1] != geheimen[0]  # a second call rotates it
    fout = CliRunner().invoke(
        app, ["koppeling", "maak", "--aanbieder", "qredits", "--url", "ftp://x"]
    )
    assert fout.exit_code == 1 and "webhook_url" in fout.output


def test_email_goes_out_over_smtp_with_login(databases, monkeypatch):
    """A real SMTP server on loopback (aiosmtpd): login, one message per adviser, no
    personal data of the entrepreneur in it."""
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    ontvangen, logins = [], []

    class Handler:
        async def handle_DATA(self, server, sessie, envelope):  # noqa: N802 - aiosmtpd's name
            ontvangen.append((envelope.rcpt_tos, envelope.content.decode()))
            return "250 OK"

    def authenticator(server, sessie, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"goed-wachtwoord")

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    server.start()
    for naam, waarde in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_GEBRUIKER": "stelsel",
        "SMTP_WACHTWOORD": "goed-wachtwoord",
    }.items():
        monkeypatch.setenv(f"STELSEL_{naam}", waarde)
    get_settings.cache_clear()
    try:
        engine = databases.engine(with_register=True)
        maak_zaak(engine)
        assert bezorging.verwerk(engine) == {"verzonden": 2, "mislukt": 0}
    finally:
        server.stop()
        get_settings.cache_clear()
    assert logins == [(b"stelsel", b"goed-wachtwoord")] * 2
    assert len(ontvangen) == 2 and all(len(ontvangers) == 1 for ontvangers, _ in ontvangen)
    assert all("/doorverwijzingen/" in tekst and "Jan" not in tekst for _, tekst in ontvangen)
