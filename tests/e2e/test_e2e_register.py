"""The gemeente page in a real browser: content, navigation and accessibility."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_gemeente_page_lists_regional_offer_and_links_to_dienst(page):
    page.goto("/gemeenten/GM0080")
    assert page.locator("h1").inner_text() == "Hulp voor ondernemers in Leeuwarden"
    ynbusiness = page.locator("li.kaart", has_text="YnBusiness").first
    assert ynbusiness.is_visible()
    assert "In uw regio" in ynbusiness.inner_text()
    ynbusiness.locator("a").click()
    page.wait_for_url("**/diensten/ynbusiness-eerstelijnsadvies")
    expect(page.locator("main")).to_contain_text("YnBusiness")


def test_search_by_postcode_from_gemeenten_page(page):
    page.goto("/gemeenten")
    page.get_by_label("Plaats, gemeente of postcode").fill("9401")
    page.get_by_role("button", name="Toon het aanbod").click()
    expect(page.locator("h1")).to_have_text("Hulp voor ondernemers in Assen")
    expect(
        page.get_by_text("Gratis persoonlijk advies voor Drentse ondernemers").first
    ).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/gemeenten/GM0080",
        "/diensten/rvo-wbso",
        "/diensten?gemeente=Leeuwarden&thema=financiering",
        "/diensten?gemeente=Atlantis",
        "/aanbieders/kvk",
        "/gemeenten",
    ],
)
def test_no_serious_accessibility_violations(page, axe_check, path):
    page.goto(path)
    assert axe_check(page) == []


def test_phone_width_has_no_horizontal_scroll(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    p = context.new_page()
    p.goto("/gemeenten/GM0080")
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
