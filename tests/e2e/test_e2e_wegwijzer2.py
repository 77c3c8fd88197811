"""Issue 15 in a real browser: the skip link is legible and clear of the site name when it gets
focus; on a phone, focus and view move to the results after a search (with and without
JavaScript); the clarifying question refines the answer; an entrepreneur sends their own
question to an aanbieder with consent. axe-core on every page."""

import re

import pytest
from playwright.sync_api import Page, expect

from stelsel.accounts import service as accounts
from stelsel.db import make_engine, session_scope
from stelsel.register import taxonomie as tx

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
TELEFOON = {"width": 375, "height": 667}
VRAAG = "Ik wil een microkrediet voor een nieuwe bakoven, maar de bank wil niet"


def _kanaal(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def contrast(voor: str, achter: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""

    def luminantie(kleur: str) -> float:
        r, g, b = (float(x) for x in re.findall(r"[\d.]+", kleur)[:3])
        return 0.2126 * _kanaal(r) + 0.7152 * _kanaal(g) + 0.0722 * _kanaal(b)

    hoog, laag = sorted((luminantie(voor), luminantie(achter)), reverse=True)
    return (hoog + 0.05) / (laag + 0.05)


def zoek(page: Page, vraag: str, gemeente: str = "") -> None:
    page.get_by_role("textbox", name="Uw vraag").fill(vraag)
    page.get_by_label("Uw gemeente, plaats of postcode (niet verplicht)").fill(gemeente)
    page.get_by_role("button", name="Zoek hulp").click()


def test_skip_link_is_legible_and_clear_of_the_site_name(page, axe_check):
    page.goto("/wegwijzer")
    page.keyboard.press("Tab")
    link = page.locator(".skiplink")
    expect(link).to_be_focused()
    kleur = link.evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor]; }"
    )
    assert "rgba(0, 0, 0, 0)" not in kleur, kleur
    assert contrast(*kleur) >= 4.5, kleur
    vak, merk = link.bounding_box(), page.locator(".merk").bounding_box()
    assert vak and merk and vak["width"] > 0
    overlapt = not (
        vak["y"] + vak["height"] <= merk["y"]
        or merk["y"] + merk["height"] <= vak["y"]
        or vak["x"] + vak["width"] <= merk["x"]
        or merk["x"] + merk["width"] <= vak["x"]
    )
    assert not overlapt, (vak, merk)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert axe_check(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    for pad in ("/privacy", "/toegankelijkheid", "/contact", "/wegwijzer/thema/zwaar-weer"):
        page.goto(pad)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, pad
        assert axe_check(page) == [], pad


def test_on_a_phone_focus_and_view_move_to_the_results(browser, base_url, axe_check):
    for js in (True, False):
        context = browser.new_context(
            base_url=base_url, viewport=TELEFOON, java_script_enabled=js, locale="nl-NL"
        )
        page = context.new_page()
        page.goto("/wegwijzer")
        zoek(page, "Ik wil personeel aannemen voor mijn bakkerij", "Leeuwarden")
        kop = page.locator("#resultaten")
        expect(kop).to_contain_text("Resultaten voor Leeuwarden")
        vak = kop.bounding_box()
        assert vak and -2 <= vak["y"] < TELEFOON["height"] / 2, vak
        assert page.url.endswith("#resultaten")
        if js:
            expect(kop).to_be_focused()
            assert axe_check(page) == []
            breedte = page.evaluate("document.documentElement.scrollWidth")
            assert breedte <= TELEFOON["width"], "no sideways scrolling"
            # an error gets the focus instead
            page.get_by_label("Uw gemeente, plaats of postcode (niet verplicht)").fill("Xqzwyk")
            page.get_by_role("button", name="Zoek hulp").click()
            expect(page.locator("#foutoverzicht")).to_be_focused()
        context.close()


def test_the_clarifying_question_refines_the_answer(page, axe_check):
    page.goto("/wegwijzer")
    zoek(page, "geld")
    vervolg = page.locator("form.vervolgvraag fieldset")
    expect(vervolg).to_be_visible()
    assert axe_check(page) == []
    keuzes = vervolg.get_by_role("button")
    assert keuzes.count() >= 2
    voor = page.locator("ul.labels li").first.inner_text()
    # a choice other than what the question was read as, so the answer must change
    knop = next(
        keuzes.nth(i)
        for i in range(keuzes.count())
        if tx.label(tx.THEMAS, keuzes.nth(i).get_attribute("value")) != voor
    )
    code = knop.get_attribute("value")
    knop.click()
    expect(page.locator("#resultaten")).to_be_visible()
    expect(page.get_by_role("textbox", name="Uw vraag")).to_have_value("geld")
    expect(page.locator("form.vervolgvraag")).to_have_count(0)
    # the chosen thema leads the answer
    expect(page.locator("ul.labels li").first).to_have_text(tx.label(tx.THEMAS, code))
    assert axe_check(page) == []


def test_the_clarifying_question_works_on_a_phone_without_javascript(browser, base_url):
    """Rendered on the server: the choice is a plain form button, and the answer comes back
    with the chosen thema first."""
    context = browser.new_context(
        base_url=base_url, viewport=TELEFOON, java_script_enabled=False, locale="nl-NL"
    )
    page = context.new_page()
    page.goto("/wegwijzer")
    zoek(page, "geld")
    vervolg = page.locator("form.vervolgvraag fieldset")
    expect(vervolg).to_be_visible()
    keuzes = vervolg.get_by_role("button")
    assert keuzes.count() >= 2
    knop = keuzes.nth(1)
    code = knop.get_attribute("value")
    knop.click()
    expect(page.locator("#resultaten")).to_be_visible()
    expect(page.locator("ul.labels li").first).to_have_text(tx.label(tx.THEMAS, code))
    assert page.url.endswith("#resultaten")
    context.close()


def test_an_entrepreneur_sends_their_own_question_with_consent(page, live_database_url, axe_check):
    engine = make_engine(live_database_url)
    with session_scope(engine) as s:
        accounts.create(session=s, email="zelf@qredits.e2e.nl", rol="adviseur", aanbieder="qredits")
    engine.dispose()
    page.goto("/wegwijzer")
    zoek(page, VRAAG, "Leeuwarden")
    page.get_by_role("button", name=re.compile(r"^Neem contact met mij op\W+Qredits")).click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^Vraag Qredits .* om contact met u op"))
    expect(page.get_by_role("textbox", name="Uw vraag")).to_have_value(VRAAG)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling"
    page.get_by_label("Uw naam").fill("Jan de Vries")
    page.get_by_label("Uw e-mailadres").fill("jan.devries@example.nl")
    assert axe_check(page) == []
    page.get_by_role("button", name=re.compile("^Verstuur mijn vraag naar Qredits")).click()
    samenvatting = page.locator("#foutoverzicht")
    expect(samenvatting).to_be_focused()
    expect(samenvatting).to_contain_text("Zonder uw toestemming")
    assert axe_check(page) == []
    page.get_by_label(
        re.compile(
            "^Ik geef toestemming dat Qredits .* mijn gegevens en vraag krijgt om mij te helpen"
        )
    ).check()
    page.get_by_role("button", name=re.compile("^Verstuur mijn vraag naar Qredits")).click()
    expect(page.locator("h1")).to_have_text(re.compile("^Uw vraag is verstuurd naar Qredits"))
    assert axe_check(page) == []
    page.get_by_role("link", name="Bekijk uw vraag op uw persoonlijke pagina").click()
    expect(page.locator("main")).to_contain_text("Uw vraag is doorgestuurd naar Qredits")
    assert axe_check(page) == []
