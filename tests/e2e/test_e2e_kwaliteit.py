"""End to end in a real browser: an invitation, the answer on the questionnaire, the figure on
the stelselregisseur's dashboard, the PDF report downloaded; the questionnaire and the dashboard
pass the accessibility scan. On the SQLite live server of conftest.py, and on a live server of
its own on a scratch PostgreSQL database (STELSEL_TEST_POSTGRES_URL; skipped without it)."""

import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from stelsel.accounts import service as accounts
from stelsel.db import make_engine, session_scope
from stelsel.kwaliteit import rollup
from stelsel.kwaliteit.models import EnqueteAntwoord
from stelsel.register import service as register
from tests.e2e.conftest import REPO, _free_port
from tests.e2e.test_e2e_kwaliteit_enquete import _uitnodiging

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
WACHTWOORD = "een-lang-wachtwoord-123"


def _tien_antwoorden_en_regisseur(url: str) -> None:
    """Ten earlier responses (8 each) so the group reaches the minimum, and a stelselregisseur."""
    engine = make_engine(url)
    with session_scope(engine) as s:
        for _ in range(10):
            a = EnqueteAntwoord(
                id=uuid.uuid4(),
                bron="import",
                csat=8,
                ces=4,
                nps=9,
                opgelost="volledig",
                aanbieder_id=register.aanbieder_uuid("qredits"),
                gemeente_code="GM0080",
            )
            s.add(a)
            s.flush()
            rollup.tel_op(s, a.id)
        accounts.create(
            session=s, email="regisseur@e2e.nl", rol="stelselregisseur", wachtwoord=WACHTWOORD
        )
    engine.dispose()


def _n(page) -> int:
    tekst = page.locator(".kerncijfers").inner_text()
    return int(re.search(r"n = (\d+)", tekst).group(1))


def test_invitation_to_report(page, live_database_url, axe_check):
    _invitation_to_report(page, live_database_url, axe_check)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    """A scratch PostgreSQL database, dropped afterwards."""
    admin = os.environ.get("STELSEL_TEST_POSTGRES_URL")
    if not admin:
        pytest.skip("STELSEL_TEST_POSTGRES_URL is not set")
    naam = f"stelsel_e2e_{uuid.uuid4().hex[:8]}"
    beheer = create_engine(admin, isolation_level="AUTOCOMMIT")
    with beheer.connect() as c:
        c.execute(text(f'CREATE DATABASE "{naam}"'))
    yield admin.rsplit("/", 1)[0] + f"/{naam}"
    with beheer.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
    beheer.dispose()


@pytest.fixture(scope="module")
def pg_base_url(pg_url, server_env, tmp_path_factory) -> Iterator[str]:
    """A live server on the PostgreSQL database (the SMTP settings of conftest's server)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**server_env, "STELSEL_DATABASE_URL": pg_url, "STELSEL_BASE_URL": url}
    log = tmp_path_factory.mktemp("e2e-pg-log") / "server.log"
    with open(log, "w") as uit:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "stelsel.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=uit,
        )
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"live server stopped; see {log}"
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "live server did not start"
            time.sleep(0.3)
        yield url
        proc.terminate()
        proc.wait(timeout=20)


def test_invitation_to_report_on_postgresql(browser, pg_base_url, pg_url, axe_check):
    context = browser.new_context(base_url=pg_base_url, locale="nl-NL")
    try:
        _invitation_to_report(context.new_page(), pg_url, axe_check)
    finally:
        context.close()


def _invitation_to_report(page: Page, url: str, axe_check) -> None:
    _tien_antwoorden_en_regisseur(url)
    pad = _uitnodiging(url)

    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill("regisseur@e2e.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/kwaliteit$"))
    expect(page.locator("h1")).to_have_text("Kwaliteit van de dienstverlening")
    voor = _n(page)
    assert voor >= 10
    # the referral figures, one link away
    page.get_by_role("link", name="Cijfers over doorverwijzingen").click()
    expect(page.locator("h1")).to_have_text("Cijfers over doorverwijzingen")
    assert axe_check(page) == []

    page.goto(pad)
    assert axe_check(page) == []
    page.get_by_role("group", name="Welk cijfer geeft u de hulp die u kreeg?").get_by_label(
        "2", exact=True
    ).check()
    page.get_by_label("Makkelijk", exact=True).check()
    page.get_by_label("Ja, helemaal").check()
    page.get_by_role(
        "group", name="Zou u deze hulp aanraden aan een andere ondernemer?"
    ).get_by_label("9", exact=True).check()
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    expect(page.locator("h1")).to_have_text("Bedankt voor uw antwoorden")

    # the answer is in the figures at once (the rollup counts it as it is stored)
    page.goto("/kwaliteit")
    assert _n(page) == voor + 1
    expect(page.locator(".kerncijfers")).to_contain_text("95%-interval")
    assert axe_check(page) == []
    with page.expect_download() as d:
        page.get_by_role("link", name="Staat van de dienstverlening als PDF").click()
    pdf = d.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
