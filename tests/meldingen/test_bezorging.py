"""Delivery of the outbox: replaced koppelingen, short leases renewed while delivering, and the
same idempotency key on every delivery of a message (real loopback receivers, both databases)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from stelsel.config import get_settings
from stelsel.db import session_scope
from stelsel.meldingen import bezorging, kanalen, service
from stelsel.meldingen.models import Bericht
from tests.meldingen.conftest import maak_zaak

WEBHOOK = "webhook"
LEASE = timedelta(seconds=60)


class Klok:
    """An injectable clock the test moves by hand."""

    def __init__(self) -> None:
        self.tijd = datetime.now(UTC) + timedelta(seconds=5)  # after what was just queued

    def __call__(self) -> datetime:
        return self.tijd

    def verzet(self, **kw) -> None:
        self.tijd += timedelta(**kw)


@pytest.fixture
def mailmap(tmp_path, monkeypatch):
    monkeypatch.setenv("STELSEL_MAIL_MAP", str(tmp_path / "mail"))
    get_settings.cache_clear()
    yield tmp_path / "mail"
    get_settings.cache_clear()


def _webhook_bericht(engine) -> Bericht:
    with session_scope(engine) as s:
        (b,) = s.scalars(select(Bericht).where(Bericht.kanaal == "webhook")).all()
        s.expunge(b)
        return b


def test_queued_webhook_follows_a_replaced_koppeling(databases, mailmap, ontvanger_maker):
    """Replacing the URL (and so the key) of a koppeling: what is still queued goes to the new
    URL, signed with the new key; the old URL gets nothing."""
    engine = databases.engine(with_register=True)
    oud, nieuw = ontvanger_maker(), ontvanger_maker()
    with session_scope(engine) as s:
        service.koppel(session=s, aanbieder="qredits", webhook_url=oud.url)
    maak_zaak(engine)
    with session_scope(engine) as s:
        geheim = service.koppel(session=s, aanbieder="qredits", webhook_url=nieuw.url)
    assert bezorging.verwerk(engine) == {"verzonden": 3, "mislukt": 0}
    assert oud.verzoeken == []  # before: the old URL got it, signed with an empty key
    (verzoek,) = nieuw.verzoeken
    assert verzoek.headers["X-Stelsel-Signature"] == kanalen.handtekening(geheim, verzoek.body)


def test_a_killed_workers_message_goes_out_after_a_short_lease_with_the_same_key(
    databases, mailmap, ontvanger, monkeypatch
):
    """kill -9 between sending and recording: after the (short) lease the message is sent again,
    with the identical idempotency key, body and signature, so the receiver can drop it."""
    engine = databases.engine(with_register=True)
    klok = Klok()
    with session_scope(engine) as s:
        geheim = service.koppel(session=s, aanbieder="qredits", webhook_url=ontvanger.url)
    maak_zaak(engine)
    echt = getattr(kanalen, WEBHOOK)

    def sterf_na_verzenden(*args, **kw):
        echt(*args, **kw)
        raise SystemExit(137)  # the process dies before it records the delivery

    monkeypatch.setattr(kanalen, WEBHOOK, sterf_na_verzenden)
    with pytest.raises(SystemExit):
        for _ in range(3):  # the webhook may be claimed after the e-mails
            bezorging.verwerk(engine, nu=klok)
    monkeypatch.undo()
    monkeypatch.setenv("STELSEL_MAIL_MAP", str(mailmap))
    assert len(ontvanger.verzoeken) == 1

    klok.verzet(seconds=30)
    bezorging.verwerk(engine, nu=klok)
    assert len(ontvanger.verzoeken) == 1, "the lease still runs"

    klok.verzet(seconds=31)  # 61 s after the claim
    bezorging.verwerk(engine, nu=klok)
    eerste, tweede = ontvanger.verzoeken
    assert eerste.headers["Idempotency-Key"] == tweede.headers["Idempotency-Key"]
    assert eerste.body == tweede.body
    for v in (eerste, tweede):
        assert v.headers["X-Stelsel-Signature"] == kanalen.handtekening(geheim, v.body)
    b = _webhook_bericht(engine)
    assert (b.status, b.pogingen, b.sleutel) == (
        "verzonden",
        2,
        eerste.headers["Idempotency-Key"],
    )


def test_a_retried_message_carries_the_same_key_body_and_signature(databases, mailmap, ontvanger):
    engine = databases.engine(with_register=True)
    klok = Klok()
    ontvanger.antwoorden = [500]
    with session_scope(engine) as s:
        geheim = service.koppel(session=s, aanbieder="qredits", webhook_url=ontvanger.url)
    maak_zaak(engine)
    assert bezorging.verwerk(engine, nu=klok) == {"verzonden": 2, "mislukt": 1}
    klok.verzet(hours=1)  # past the backoff
    assert bezorging.verwerk(engine, nu=klok) == {"verzonden": 1, "mislukt": 0}
    eerste, tweede = ontvanger.verzoeken
    assert eerste.headers["Idempotency-Key"] == tweede.headers["Idempotency-Key"]
    assert eerste.body == tweede.body
    assert eerste.headers["X-Stelsel-Signature"] == tweede.headers["X-Stelsel-Signature"]
    assert tweede.headers["X-Stelsel-Signature"] == kanalen.handtekening(geheim, tweede.body)


def test_the_lease_is_renewed_while_a_slow_delivery_runs(databases, mailmap, ontvanger):
    """A worker that is alive keeps its lease: a second worker does not send the message again
    while the first is still waiting for the receiver."""
    engine = databases.engine(with_register=True)
    klok = Klok()
    begin = klok()
    with session_scope(engine) as s:
        service.koppel(session=s, aanbieder="qredits", webhook_url=ontvanger.url)
    maak_zaak(engine)
    ontvanger.vasthouden = True
    eerste = threading.Thread(
        target=bezorging.verwerk, args=(engine,), kwargs={"nu": klok, "verleng_elke": 0.05}
    )
    eerste.start()
    assert ontvanger.binnen.wait(10)
    for _ in range(8):  # 400 s of delivery, past any lease that is not renewed
        klok.verzet(seconds=50)
        deadline = time.monotonic() + 5
        while _webhook_bericht(engine).volgende_poging.replace(tzinfo=UTC) < klok() + LEASE / 2:
            assert time.monotonic() < deadline, f"the lease was not renewed at {klok() - begin}"
            time.sleep(0.02)
    bezorging.verwerk(engine, nu=klok)
    assert len(ontvanger.verzoeken) == 1
    ontvanger.los.set()
    eerste.join(10)
    b = _webhook_bericht(engine)
    assert (b.status, b.pogingen) == ("verzonden", 1)


def test_sigkill_of_a_real_worker_mid_delivery(databases, mailmap, ontvanger):
    """`stelsel outbox verwerk` in its own process is killed (SIGKILL) while the receiver holds
    the webhook request; after the lease another worker delivers it, with the same key."""
    engine = databases.engine(with_register=True)
    with session_scope(engine) as s:
        geheim = service.koppel(session=s, aanbieder="qredits", webhook_url=ontvanger.url)
    maak_zaak(engine)
    ontvanger.vasthouden = True
    env = {
        **os.environ,
        "STELSEL_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "STELSEL_MAIL_MAP": str(mailmap),
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "stelsel"), "outbox", "verwerk"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert ontvanger.binnen.wait(60), "the worker did not send the webhook"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    assert worker.returncode == -signal.SIGKILL
    ontvanger.vasthouden = False
    ontvanger.los.set()
    assert _webhook_bericht(engine).status == "bezig"

    nu = datetime.now(UTC)
    bezorging.verwerk(engine, nu=lambda: nu + timedelta(seconds=30))
    assert len(ontvanger.verzoeken) == 1, "the dead worker's lease still runs"
    bezorging.verwerk(engine, nu=lambda: nu + LEASE + timedelta(seconds=1))
    eerste, tweede = ontvanger.verzoeken
    assert eerste.headers["Idempotency-Key"] == tweede.headers["Idempotency-Key"]
    assert eerste.body == tweede.body
    assert tweede.headers["X-Stelsel-Signature"] == kanalen.handtekening(geheim, tweede.body)
    b = _webhook_bericht(engine)
    assert (b.status, b.pogingen) == ("verzonden", 2)
