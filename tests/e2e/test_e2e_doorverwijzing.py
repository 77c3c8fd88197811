"""The whole referral flow in a browser: adviser A refers, adviser B accepts and closes,
A sees the outcome; every page passes the accessibility scan."""

import pytest
from playwright.sync_api import expect

from stelsel.accounts import service as accounts
from stelsel.db import make_engine, session_scope

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
WACHTWOORD = "een-lang-wachtwoord-123"


def maak_adviseur(url: str, email: str, aanbieder: str) -> None:
    engine = make_engine(url)
    with session_scope(engine) as s:
        accounts.create(
            session=s, email=email, rol="adviseur", aanbieder=aanbieder, wachtwoord=WACHTWOORD
        )
    engine.dispose()


def inloggen(page, email):
    page.goto("/doorverwijzingen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/doorverwijzingen")


def test_refer_accept_close_and_see_outcome(browser, base_url, live_database_url, axe_check):
    maak_adviseur(live_database_url, "a@kvk.e2e.nl", "kvk")
    a = browser.new_context(base_url=base_url).new_page()
    inloggen(a, "a@kvk.e2e.nl")
    assert axe_check(a) == []
    a.get_by_role("link", name="Nieuwe hulpvraag vastleggen").click()
    a.get_by_label("Naam ondernemer").fill("Jan de Vries")
    a.get_by_label("E-mailadres").fill("jan@example.nl")
    a.get_by_label("Gemeente of postcode van het bedrijf").fill("Leeuwarden")
    a.get_by_label("De vraag in de woorden van de ondernemer").fill(
        "Ik wil geld lenen voor een nieuwe bakoven maar de bank wil niet"
    )
    a.get_by_label("De ondernemer geeft toestemming").check()
    assert axe_check(a) == []
    a.get_by_role("button", name="Hulpvraag vastleggen").click()
    expect(a.get_by_text("Geef deze persoonlijke link aan de ondernemer.")).to_be_visible()
    assert axe_check(a) == []
    maak_adviseur(live_database_url, "b@ontvanger.e2e.nl", "qredits")
    a.reload()  # Qredits now has a user: its inbox
    keuze = a.locator("#naar_aanbieder")
    expect(keuze).to_have_value("")  # nothing pre-selected
    keuze.select_option("qredits")
    a.get_by_role("button", name="Warm doorverwijzen").click()
    expect(a.locator("#status")).to_have_text("Verzonden")

    b = browser.new_context(base_url=base_url).new_page()
    inloggen(b, "b@ontvanger.e2e.nl")
    b.get_by_role("link", name="Van Kamer van Koophandel").first.click()
    expect(b.locator("#status")).to_have_text("Ontvangen")
    expect(b.locator("main")).to_contain_text("Jan de Vries")
    assert axe_check(b) == []
    b.get_by_role("button", name="Accepteren").click()
    expect(b.locator("#status")).to_have_text("Geaccepteerd")
    b.get_by_label("Uitkomst").select_option("opgelost")
    b.get_by_role("button", name="Afronden").click()
    expect(b.locator("#status")).to_have_text("Afgerond: opgelost")

    a.goto("/doorverwijzingen")
    expect(a.locator("#outbox")).to_contain_text("Afgerond (opgelost)")
    assert axe_check(a) == []
