"""Register pages render the right content and handle bad input (both backends)."""

import re

import pytest


def test_home(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "<h1>Hulp voor ondernemers</h1>" in r.text
    assert 'href="/wegwijzer/thema/zwaar-weer"' in r.text
    assert re.search(r"\d+ diensten van \d+ organisaties", r.text)


def test_diensten_filters_narrow_results(client):
    alle = client.get("/diensten").text
    gefilterd = client.get("/diensten", params={"thema": "internationalisering"}).text
    totaal = int(re.search(r"(\d+) diensten gevonden", alle).group(1))
    deel = int(re.search(r"(\d+) diensten? gevonden", gefilterd).group(1))
    assert 0 < deel < totaal
    assert '<option value="internationalisering" selected>' in gefilterd


def test_diensten_in_gemeente_marks_regional_offer(client):
    r = client.get("/diensten", params={"gemeente": "8911", "q": "ynbusiness"})
    assert r.status_code == 200
    assert "voor ondernemers in Leeuwarden" in r.text
    assert "YnBusiness" in r.text and "In uw regio" in r.text


def test_unknown_gemeente_is_an_inline_error(client):
    r = client.get("/diensten", params={"gemeente": "Atlantis"})
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.text
    assert "&#39;Atlantis&#39; is geen bekende gemeente" in r.text


def test_dienst_page(client):
    r = client.get("/diensten/rvo-wbso")
    assert r.status_code == 200
    assert "WBSO" in r.text and "Rijksdienst voor Ondernemend Nederland" in r.text
    assert "Laatst gecontroleerd" in r.text and "In heel Nederland" in r.text


def test_aanbieder_pages(client):
    r = client.get("/aanbieders", params={"niveau": "regionaal", "q": "ynbusiness"})
    assert "1 aanbieder gevonden" in r.text
    r = client.get("/aanbieders/ynbusiness")
    assert r.status_code == 200
    assert "Eerste aanspreekpunt en advies voor Friese ondernemers" in r.text
    assert "Friesland" in r.text


def test_gemeente_page_leeuwarden(client):
    r = client.get("/gemeenten/GM0080")
    assert r.status_code == 200
    assert "<h1>Hulp voor ondernemers in Leeuwarden</h1>" in r.text
    assert "YnBusiness" in r.text
    assert "Ondernemersloket Leeuwarden" in r.text
    assert "Ik Ben Drents Ondernemer" not in r.text
    assert "Ondernemersloket Emmen" not in r.text
    assert 'id="thema-financiering"' in r.text
    # the national offer per thema is folded away below the regional one
    financiering = r.text.split('id="thema-financiering"')[1].split("</section>")[0]
    regionaal, landelijk = financiering.split('<details class="landelijk">')
    assert "YnBusiness" in regionaal and "Landelijk</p>" not in regionaal
    assert "Landelijke diensten over financiering" in landelijk and "In uw regio" not in landelijk
    # and a question asked here is asked for this gemeente
    assert '<input type="hidden" name="gemeente" value="GM0080">' in r.text


def test_gemeente_search_redirects_or_explains(client):
    r = client.get("/gemeenten", params={"plaats": "Sneek"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/gemeenten/GM1900"
    r = client.get("/gemeenten", params={"plaats": "Bergen"})
    assert r.status_code == 400 and "Bergen (NH.)" in r.text and "Bergen (L.)" in r.text


@pytest.mark.parametrize(
    "url", ["/diensten/bestaat-niet", "/aanbieders/bestaat-niet", "/gemeenten/GM9999", "/nergens"]
)
def test_unknown_pages_are_404_html(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in r.text


@pytest.mark.parametrize(
    "url",
    [
        "/diensten?q=lening%00",
        "/aanbieders?q=kvk%00",
        "/diensten/a%00b",
        "/aanbieders/kvk%00",
        "/gemeenten/GM0080%00",
    ],
)
def test_nul_characters_are_a_400_page(client, url):
    """PostgreSQL cannot hold U+0000: such text used to reach the query and answer 500."""
    r = client.get(url)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in r.text


@pytest.mark.parametrize("pagina", ["²", "99999999999999999999", "0", "-1", "twee"])
@pytest.mark.parametrize("url", ["/diensten", "/aanbieders"])
def test_odd_page_numbers_show_the_first_page(client, url, pagina):
    """'²' (isdigit() but not int()) and a page past the 64-bit OFFSET used to be 500s."""
    r = client.get(url, params={"pagina": pagina})
    assert r.status_code == 200
    assert r.text == client.get(url).text
