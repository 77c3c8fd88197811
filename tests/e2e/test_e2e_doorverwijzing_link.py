"""A referral that reaches a provider without users (issue 11, "Done when"): the adviser takes a
case with both consents and refers it to a provider that only has a desk address in the
register; the desk's e-mail (caught on a loopback SMTP server) carries a link that accepts and
completes the referral without an account; the entrepreneur gets their private link and the
news; the first sender sees the outcome. Every page visited passes axe-core with 0 violations,
and the adviser's pages do not scroll sideways at 320 px."""

import re

import pytest
from playwright.sync_api import Page, expect

from stelsel.db import make_engine, session_scope
from stelsel.register import service as register
from tests.e2e.test_e2e_doorverwijzing import inloggen, maak_adviseur

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]
ADVISEUR = "adviseur@kvk.link.e2e.nl"
BALIE = "balie@rvo.link.e2e.nl"
ONDERNEMER = "jan.devries@example.nl"
VRAAG = "Ik wil geld lenen voor een nieuwe bakoven maar de bank wil niet"


def balie_adres(url: str, aanbieder: str, adres: str) -> None:
    """Give an aanbieder a desk address in the register (as registerbeheer would)."""
    engine = make_engine(url)
    with session_scope(engine) as s:
        a = register.aanbieder_rij(session=s, aanbieder_id=aanbieder)
        assert a is not None
        a.email = adres
    engine.dispose()


def link_in(tekst: str, pad: str) -> str:
    """The path of the first link to `pad` in a mail text."""
    m = re.search(rf"https?://[^/\s]+({re.escape(pad)}\S*)", tekst)
    assert m, tekst
    return m.group(1)


def geen_overtredingen(page: Page, axe_check) -> None:
    assert axe_check(page, None) == [], page.url


def past_op_telefoon(page: Page) -> None:
    """No sideways scrolling at 320 px."""
    page.set_viewport_size({"width": 320, "height": 800})
    breedte = page.evaluate("document.documentElement.scrollWidth")
    te_breed = page.evaluate(
        """[...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > 321)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    assert breedte <= 320, (page.url, breedte, te_breed)


def test_refer_to_a_provider_without_users_through_its_e_mail(
    browser, base_url, live_database_url, axe_check, smtp, verwerk_outbox
):
    maak_adviseur(live_database_url, ADVISEUR, "kvk")
    balie_adres(live_database_url, "rvo", BALIE)

    # the adviser takes the case; an empty form shows every error at once, focused
    a = browser.new_context(base_url=base_url, locale="nl-NL").new_page()
    inloggen(a, ADVISEUR)
    geen_overtredingen(a, axe_check)
    a.get_by_role("link", name="Nieuwe hulpvraag vastleggen").click()
    a.get_by_role("button", name="Hulpvraag vastleggen").click()
    samenvatting = a.locator("#foutoverzicht")
    expect(samenvatting).to_be_focused()
    expect(samenvatting.get_by_role("link")).to_have_count(3)  # naam, e-mail, vraag
    geen_overtredingen(a, axe_check)
    a.get_by_label("Naam ondernemer").fill("Jan de Vries")
    a.get_by_label("E-mailadres").fill(ONDERNEMER)
    a.get_by_label("Gemeente of postcode van het bedrijf").fill("Leeuwarden")
    a.get_by_label("De vraag in de woorden van de ondernemer").fill(VRAAG)
    a.get_by_label("De ondernemer geeft toestemming").check()
    a.get_by_label("De ondernemer wil berichten per e-mail").check()
    a.get_by_role("button", name="Hulpvraag vastleggen").click()
    expect(a.get_by_text("Geef deze persoonlijke link aan de ondernemer.")).to_be_visible()
    geen_overtredingen(a, axe_check)
    past_op_telefoon(a)
    zaak = a.url

    # any partner, nothing chosen; RVO has no users and gets an e-mail with a link
    keuze = a.locator("#naar_aanbieder")
    expect(keuze).to_have_value("")
    expect(keuze.locator("option[value=rvo]")).to_contain_text("krijgt een e-mail met een link")
    keuze.select_option("rvo")
    a.get_by_role("button", name="Warm doorverwijzen").click()
    expect(a.locator("#status")).to_have_text("Verzonden")
    geen_overtredingen(a, axe_check)

    verwerk_outbox()
    (bevestiging,) = smtp.aan(ONDERNEMER)
    prive = link_in(bevestiging["tekst"], "/mijn-hulpvraag/")
    (aan_balie,) = smtp.aan(BALIE)
    link = link_in(aan_balie["tekst"], "/aanbieder-link/")

    # the desk opens the link: says who it is, sees the case, accepts
    b = browser.new_context(base_url=base_url, locale="nl-NL").new_page()
    b.goto(link)
    expect(b.locator("main")).not_to_contain_text("Jan de Vries")
    geen_overtredingen(b, axe_check)
    b.get_by_label("Uw naam").fill("Riet de Balie")
    b.get_by_label("Uw e-mailadres op het werk").fill("riet@rvo.link.e2e.nl")
    b.get_by_role("button", name="Verder").click()
    expect(b.locator("#status")).to_have_text("Ontvangen")
    expect(b.locator("main")).to_contain_text("Jan de Vries")
    geen_overtredingen(b, axe_check)
    b.get_by_role("button", name="Accepteren").click()
    expect(b.locator("#status")).to_have_text("Geaccepteerd")
    geen_overtredingen(b, axe_check)
    # an empty question: the summary has focus and links to the field
    b.get_by_role("button", name="Vraag versturen").click()
    expect(b.locator("#foutoverzicht")).to_be_focused()
    expect(b.locator("#vraag-tekst-fout")).to_have_text("Schrijf eerst uw vraag.")
    geen_overtredingen(b, axe_check)

    # the entrepreneur hears who helps them, and sees it on their private page
    verwerk_outbox()
    onderwerpen = [m["onderwerp"] for m in smtp.aan(ONDERNEMER)]
    assert "Rijksdienst voor Ondernemend Nederland helpt u verder" in onderwerpen, onderwerpen
    o = browser.new_context(base_url=base_url, locale="nl-NL").new_page()
    o.goto(prive)
    expect(o.locator("#wie")).to_contain_text("Rijksdienst voor Ondernemend Nederland helpt u")
    geen_overtredingen(o, axe_check)
    o.get_by_role("link", name="Bekijk al uw gegevens").click()
    expect(o.get_by_role("heading", name="Wie uw gegevens bekeek of wijzigde")).to_be_visible()
    geen_overtredingen(o, axe_check)
    o.goto(prive)
    o.get_by_role("link", name="Toestemming intrekken").click()
    expect(o.get_by_role("button", name="Ja, trek mijn toestemming in")).to_be_visible()
    geen_overtredingen(o, axe_check)
    o.get_by_role("link", name="Nee, terug").click()
    expect(o.get_by_role("link", name="Toestemming intrekken")).to_be_visible()

    # the desk completes the case with its outcome
    b.get_by_label("Uitkomst").select_option("opgelost")
    b.get_by_role("button", name="Afronden").click()
    expect(b.locator("#status")).to_have_text("Afgerond: opgelost")
    geen_overtredingen(b, axe_check)
    verwerk_outbox()
    assert "Uw vraag is afgerond" in [m["onderwerp"] for m in smtp.aan(ONDERNEMER)]

    # the first sender sees the outcome in its outbox and on the case
    a.goto("/doorverwijzingen")
    uit = a.locator("#outbox")
    expect(uit).to_contain_text("Naar Rijksdienst voor Ondernemend Nederland")
    expect(uit).to_contain_text("Afgerond (opgelost)")
    geen_overtredingen(a, axe_check)
    past_op_telefoon(a)
    a.goto(zaak)
    expect(a.locator(".keten")).to_contain_text("Afgerond (opgelost)")
    geen_overtredingen(a, axe_check)

    for m in smtp.berichten:  # no e-mail carries the question or the entrepreneur's data
        assert VRAAG not in m["tekst"] and "Jan de Vries" not in m["tekst"], m["onderwerp"]
