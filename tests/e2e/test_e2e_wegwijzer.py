"""The wegwijzer in a real browser: ask, see grouped results, follow a link; accessible."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_ask_a_question_and_follow_the_first_door(page, axe_check):
    page.goto("/")
    page.get_by_label("Wat is uw vraag?").fill(
        "Ik zoek een adviseur die meedenkt over mijn bedrijf"
    )
    page.get_by_label("Uw gemeente of postcode (niet verplicht)").fill("8911")
    page.get_by_role("button", name="Zoek hulp").click()
    expect(page.get_by_role("heading", name="Begin hier")).to_be_visible()
    expect(page.get_by_role("heading", name="Ook relevant")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Resultaten voor Leeuwarden")
    assert axe_check(page) == []
    eerste = page.locator("h3:has-text('Begin hier') + ul a").first
    naam = eerste.inner_text()
    eerste.click()
    expect(page.locator("h1")).to_have_text(naam)


def test_error_message_on_unknown_place(page, axe_check):
    page.goto("/wegwijzer")
    page.get_by_label("Uw vraag").fill("btw-aangifte")
    page.get_by_label("Uw gemeente, plaats of postcode (niet verplicht)").fill("Atlantis")
    page.get_by_role("button", name="Zoek hulp").click()
    expect(page.locator("main")).to_contain_text("is geen bekende gemeente")
    assert axe_check(page) == []
