"""Concurrency, outbox delivery after a crash, and retention (real, committed databases)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from stelsel.accounts import service as accounts
from stelsel.config import get_settings
from stelsel.db import session_factory, session_scope
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import outbox, service
from stelsel.doorverwijzing.models import Bericht, Doorverwijzing, Hulpvraag, Koppeling
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer


def _hulpvraag(session, actor, vraag="lening nodig", gemeente="Leeuwarden", **kw) -> Hulpvraag:
    """A hulpvraag of Jan, with consent to share, taken by the actor."""
    h, _ = service.create_hulpvraag(
        session=session,
        actor=actor,
        data=service.NieuweHulpvraag(
            naam="Jan",
            email="jan@example.nl",
            vraag=vraag,
            gemeente=gemeente,
            delen_met_ontvanger=True,
            tekst_versie="v1",
            **kw,
        ),
    )
    return h


def _adviseur_kvk(session):
    email = f"a{uuid.uuid4().hex[:6]}@kvk.example.nl"
    return accounts.actor(
        accounts.create(session=session, email=email, rol="adviseur", aanbieder="kvk")
    )


def _zaak(engine, naar="qredits") -> tuple[uuid.UUID, list, list]:
    """Committed: users of KVK and the receiver, and one referral from KVK."""
    with session_scope(engine) as s:
        a = _adviseur_kvk(s)
        ontvangers = [
            accounts.actor(
                accounts.create(
                    session=s,
                    email=f"b{i}{uuid.uuid4().hex[:6]}@x.example.nl",
                    rol="adviseur",
                    aanbieder=naar,
                )
            )
            for i in range(2)
        ]
        h = _hulpvraag(s, a, themas=["financiering"])
        dv = service.create_doorverwijzing(
            session=s, actor=a, hulpvraag_id=h.id, naar_aanbieder=naar
        )
        return dv.id, [a], ontvangers


def test_two_advisers_accept_at_once_exactly_one_wins(databases, backend):
    engine = databases.engine(with_register=True)
    dv_id, _, (b1, b2) = _zaak(engine)
    barrier = threading.Barrier(2, timeout=20)
    uitkomsten: list[str] = []

    def accepteer(actor):
        if backend == "sqlite":
            barrier.wait()  # SQLite serialises writers: the race is decided by its write lock
        s = session_factory(engine)()
        try:
            s.get(Doorverwijzing, dv_id)
            if backend == "postgresql":
                barrier.wait()  # both have read status 'verzonden' before either writes
            service.wijzig_status(
                session=s, actor=actor, doorverwijzing_id=dv_id, status=lc.GEACCEPTEERD
            )
            s.commit()
            uitkomsten.append("gewonnen")
        except lc.OngeldigeOvergang:
            s.rollback()
            uitkomsten.append("409")
        finally:
            s.close()

    threads = [threading.Thread(target=accepteer, args=(b,)) for b in (b1, b2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(uitkomsten) == ["409", "gewonnen"]
    with session_scope(engine) as s:
        assert s.get(Doorverwijzing, dv_id).status == lc.GEACCEPTEERD


def test_outbox_survives_a_crash_and_delivers_once(databases, tmp_path, monkeypatch):
    monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
    get_settings.cache_clear()
    engine = databases.engine(with_register=True)
    try:
        dv_id, _, _ = _zaak(engine)
        with session_scope(engine) as s:
            berichten = s.scalars(select(Bericht)).all()
            assert len(berichten) == 2 and {b.status for b in berichten} == {"wachtend"}

        def crash(_):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(outbox, "_email", crash)
        assert outbox.verwerk(engine) == {"verzonden": 0, "mislukt": 2}
        monkeypatch.undo()
        monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
        later = lambda: datetime.now(UTC) + timedelta(hours=1)  # noqa: E731 - after the backoff
        assert outbox.verwerk(engine, nu=later) == {"verzonden": 2, "mislukt": 0}
        assert outbox.verwerk(engine, nu=later) == {"verzonden": 0, "mislukt": 0}
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
        _zaak(engine)
        with session_scope(engine) as s:  # a worker claimed everything, then died
            for b in s.scalars(select(Bericht)):
                b.status, b.volgende_poging = "bezig", datetime.now(UTC) + outbox.LEASE
        assert outbox.verwerk(engine) == {"verzonden": 0, "mislukt": 0}  # lease still running
        later = lambda: datetime.now(UTC) + outbox.LEASE + timedelta(seconds=1)  # noqa: E731
        assert outbox.verwerk(engine, nu=later)["verzonden"] == 2
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
    _zaak(engine)
    monkeypatch.setattr(outbox.httpx, "post", post)
    monkeypatch.setattr(outbox, "_email", lambda b: None)
    outbox.verwerk(engine)
    ((url, body, headers),) = gezien
    assert url == "https://qredits.example.nl/hook"
    assert headers["X-Stelsel-Signature"] == outbox.handtekening(geheim, body)
    assert headers["Idempotency-Key"].endswith(":nieuw:webhook")
    assert b"Jan" not in body  # notifications carry no personal data


def test_retention_anonymises_closed_cases_only(databases):
    engine = databases.engine(with_register=True)
    dv_id, _, (b1, _) = _zaak(engine)
    open_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        service.wijzig_status(session=s, actor=b1, doorverwijzing_id=dv_id, status=lc.GEACCEPTEERD)
        service.wijzig_status(
            session=s, actor=b1, doorverwijzing_id=dv_id, status=lc.AFGEROND, uitkomst="opgelost"
        )
    nu = datetime.now(UTC)
    with session_scope(engine) as s:
        assert service.opschonen(session=s, nu=nu) == 0  # retention period not over
    with session_scope(engine) as s:
        assert service.opschonen(session=s, nu=nu + timedelta(days=366)) == 1
    with session_scope(engine) as s:
        gesloten = s.get(Doorverwijzing, dv_id).hulpvraag
        assert (
            gesloten.ondernemer_naam is None
            and gesloten.vraag is None
            and gesloten.geanonimiseerd_op
        )
        assert gesloten.themas == "financiering" and gesloten.gemeente_code == "GM0080"
        assert s.get(Doorverwijzing, open_id).hulpvraag.ondernemer_naam == "Jan"
        assert (
            s.scalar(select(Hulpvraag).where(Hulpvraag.geanonimiseerd_op.is_not(None))) is not None
        )


def test_inzage_exports_everything_about_the_entrepreneur(databases):
    engine = databases.engine(with_register=True)
    dv_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        h = s.get(Doorverwijzing, dv_id).hulpvraag
        data = service.inzage(session=s, hulpvraag=h, door=None)
    assert data["hulpvraag"]["ondernemer"]["naam"] == "Jan"
    assert data["toestemmingen"][0]["tekst_versie"] == "v1"
    assert data["doorverwijzingen"][0]["naar_aanbieder"].startswith("Qredits")


@pytest.mark.parametrize("rol", ["regiocoordinator", "stelselregisseur"])
def test_aggregate_roles_cannot_open_cases(databases, rol):
    engine = databases.engine(with_register=True)
    dv_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        g = accounts.create(
            session=s,
            email=f"{rol}@example.nl",
            rol=rol,
            regio="PV21" if rol == "regiocoordinator" else None,
        )
        actor = accounts.actor(g)
        with pytest.raises(service.NietGevonden):
            service.get(session=s, actor=actor, doorverwijzing_id=dv_id)


def test_suggestions_are_partner_providers_other_than_ones_own(session):
    kvk = _adviseur_kvk(session)
    vraag = "Mijn bank wil niet meer lenen voor een nieuwe bakoven, wie kan helpen?"
    h = _hulpvraag(session, kvk, vraag, "Sneek")
    namen = []
    for r in service.suggesties(session=session, actor=kvk, hulpvraag=h):
        a = register.get_aanbieder(session=session, aanbieder_id=r.aanbieder_id)
        assert a is not None and a.id != kvk.aanbieder_id
        assert a.soort in ("publiek", "semipubliek", "non-profit"), a.naam
        namen.append(a.naam)
    # the wegwijzer lists the banks for this question, but they cannot take over a case
    advies = wegwijzer.advies(
        session=session, vraag=h.vraag, gemeente="Sneek", aantal=15, registreer=False
    )
    assert "Banken" in [r.aanbieder_naam for r in advies.resultaten]
    assert "Banken" not in namen and len(namen) == 5


def test_no_suggestion_is_a_stand_in_for_the_desk_in_some_region(session):
    kvk = _adviseur_kvk(session)
    vraag = "Mijn vacatures blijven open staan, wie helpt mij aan personeel?"
    h = _hulpvraag(session, kvk, vraag, gemeente=None)
    advies = wegwijzer.advies(session=session, vraag=vraag, aantal=15, registreer=False)
    staand = {r.aanbieder_id for r in advies.resultaten if r.regio_nodig}
    assert staand  # the wegwijzer offers "the werkgeversservicepunt in your region"
    gekozen = {r.aanbieder_id for r in service.suggesties(session=session, actor=kvk, hulpvraag=h)}
    assert gekozen and not gekozen & staand


@pytest.mark.parametrize(
    ("aanbieder", "url", "veld"),
    [
        ("bestaat-niet", "https://x.example.nl/hook", "aanbieder"),
        ("qredits", "http://x.example.nl/hook", "webhook_url"),  # not encrypted
        ("qredits", "https://x.example.nl/" + "a" * 300, "webhook_url"),
    ],
)
def test_koppeling_refuses_bad_input_naming_the_field(session, aanbieder, url, veld):
    with pytest.raises(service.Ongeldig) as e:
        service.koppel(session=session, aanbieder=aanbieder, webhook_url=url)
    assert e.value.veld == veld


def test_cli_links_a_providers_system_and_prints_the_secret_once(databases, monkeypatch):
    from typer.testing import CliRunner

    from stelsel.cli import app

    engine = databases.engine(with_register=True)
    monkeypatch.setattr("stelsel.doorverwijzing.cli.get_engine", lambda: engine)
    url = "https://qredits.example.nl/hook"
    eerste = CliRunner().invoke(app, ["koppeling", "maak", "--aanbieder", "qredits", "--url", url])
    tweede = CliRunner().invoke(app, ["koppeling", "maak", "--aanbieder", "qredits", "--url", url])
    assert eerste.exit_code == tweede.exit_code == 0, eerste.output
    geheimen = [r.output.strip().splitlines()[-1] for r in (eerste, tweede)]
    with session_scope(engine) as s:
        qredits = register.get_aanbieder(session=s, aanbieder_id="qredits")
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
        _zaak(engine)
        assert outbox.verwerk(engine) == {"verzonden": 2, "mislukt": 0}
    finally:
        server.stop()
        get_settings.cache_clear()
    assert logins == [(b"stelsel", b"goed-wachtwoord")] * 2
    assert len(ontvangen) == 2 and all(len(ontvangers) == 1 for ontvangers, _ in ontvangen)
    assert all("/doorverwijzingen/" in tekst and "Jan" not in tekst for _, tekst in ontvangen)
