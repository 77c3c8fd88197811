"""Registerbeheer in a real browser: a redacteur edits its dienst (first with a mistake: the
error summary), submits it; a registerbeheerder reviews the diff and publishes; the wegwijzer
finds the edit at once. Every page passes the accessibility scan (axe-core)."""

import pytest
from playwright.sync_api import expect

from stelsel.accounts import service as accounts
from stelsel.db import make_engine, session_scope

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
WACHTWOORD = "een-lang-wachtwoord-123"
DIENST = "qredits-coaching"


def _maak(url: str, email: str, rol: str, aanbieder: str | None = None) -> None:
    engine = make_engine(url)
    with session_scope(engine) as s:
        extra = {"aanbieder": aanbieder} if aanbieder else {}
        accounts.create(session=s, email=email, rol=rol, wachtwoord=WACHTWOORD, **extra)
    engine.dispose()


def _inloggen(page, email: str) -> None:
    page.goto("/inloggen?verder=/beheer")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/beheer**")


def test_edit_review_publish_and_the_wegwijzer_finds_it(
    browser, base_url, live_database_url, axe_check
):
    _maak(live_database_url, "redactie@qredits.e2e.nl", "redacteur", "qredits")
    _maak(live_database_url, "beheer@register.e2e.nl", "registerbeheerder")

    r = browser.new_context(base_url=base_url).new_page()
    _inloggen(r, "redactie@qredits.e2e.nl")
    expect(r.get_by_role("button", name="Alles klopt nog")).to_be_visible()
    assert axe_check(r) == []
    r.goto(f"/beheer/diensten/{DIENST}/bewerken")
    assert axe_check(r) == []
    r.get_by_label("Naam van de dienst (verplicht)").fill("Coaching voor de ballonvaartwerf")
    r.get_by_label("Trefwoorden").fill("ballonvaartwerf;luchtballon")
    r.get_by_label("E-mail").fill("geen-adres")
    r.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    overzicht = r.locator("#foutoverzicht")
    expect(overzicht).to_be_visible()
    expect(overzicht).to_be_focused()
    assert axe_check(r) == []
    overzicht.get_by_role("link").first.click()  # the summary leads to the field
    r.get_by_label("E-mail").fill("")
    r.get_by_role("button", name="Opslaan en ter beoordeling aanbieden").click()
    expect(r.locator("main strong").first).to_have_text("Ter beoordeling")
    assert axe_check(r) == []

    b = browser.new_context(base_url=base_url).new_page()
    _inloggen(b, "beheer@register.e2e.nl")
    b.get_by_role("link", name="Coaching voor de ballonvaartwerf").first.click()
    expect(b.locator("ins").first).to_have_text("Coaching voor de ballonvaartwerf")
    assert axe_check(b) == []
    b.get_by_role("button", name="Publiceren").click()
    expect(b.locator("main strong").first).to_have_text("Gepubliceerd")

    o = browser.new_context(base_url=base_url).new_page()
    o.goto("/wegwijzer")
    o.locator("[name=vraag]").fill("Wie helpt mijn ballonvaartwerf verder?")
    o.get_by_role("button", name="Zoek hulp").click()
    expect(o.locator("main")).to_contain_text("Coaching voor de ballonvaartwerf")
    assert axe_check(o) == []
