"""A regiocoördinator walks one region in a browser: picker, scan, vraag-aanbod and a toets;
every page passes the accessibility scan."""

import pytest
from playwright.sync_api import expect

from stelsel.accounts import service as accounts
from stelsel.db import make_engine, session_scope

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
WACHTWOORD = "een-lang-wachtwoord-123"


def test_walk_one_region(browser, base_url, live_database_url, axe_check):
    engine = make_engine(live_database_url)
    with session_scope(engine) as s:
        accounts.create(
            session=s,
            email="rc@zeeland.e2e.nl",
            rol="regiocoordinator",
            regio="PV29",
            wachtwoord=WACHTWOORD,
        )
    engine.dispose()
    page = browser.new_context(base_url=base_url).new_page()
    page.goto("/analyse")
    page.get_by_label("E-mailadres").fill("rc@zeeland.e2e.nl")
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/analyse")
    assert axe_check(page) == []
    page.locator("#regio").select_option("AM24")
    page.get_by_role("button", name="Scan bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeeland")
    expect(
        page.get_by_role("table", name="Basisinfrastructuur per gemeente in Zeeland")
    ).to_be_visible()
    assert axe_check(page) == []
    page.set_viewport_size({"width": 320, "height": 800})  # tables scroll in their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Vraag en aanbod in Zeeland").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vraag en aanbod")
    assert axe_check(page) == []
    page.goto("/analyse/toets")
    page.get_by_label("Naam").fill("Exportlab voor Zeeuwse mosselkwekers")
    page.get_by_label("Internationalisering").check()
    page.get_by_label("Werkgebied").fill("PV29")
    page.get_by_role("button", name="Toetsen", exact=True).click()
    expect(page.get_by_role("heading", name="Uitslag", exact=False)).to_be_visible()
    assert axe_check(page) == []
