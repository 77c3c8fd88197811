"""The pages a government site owes its users (issue 15 §7): a privacy statement whose terms
are the running settings, an accessibility statement and a contact/about page, linked from
every page's footer. No database needed beyond the app's own."""

import re

import pytest
from fastapi.testclient import TestClient

from stelsel.config import get_settings

SITEPAGINAS = ["/privacy", "/toegankelijkheid", "/contact"]


@pytest.fixture(scope="module")
def kaal(tmp_path_factory):
    """An app on an empty SQLite database (these pages read no data)."""
    from stelsel.app import create_app
    from stelsel.bootstrap import prepare
    from stelsel.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.db'}")
    prepare(engine, with_register=False)
    with engine.connect() as conn, TestClient(create_app(conn)) as c:
        yield c
    engine.dispose()


@pytest.mark.parametrize("pad", SITEPAGINAS)
def test_every_site_page_is_linked_from_every_footer(kaal, pad):
    r = kaal.get(pad)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert len(re.findall(r"<h1>", r.text)) == 1
    voet = r.text.split('<footer class="voet">')[1]
    for p in SITEPAGINAS:
        assert f'href="{p}"' in voet


def test_the_privacy_statement_states_the_running_retention(kaal, monkeypatch):
    s = get_settings()
    tekst = kaal.get("/privacy").text
    assert f"Tot {s.bewaartermijn_dagen} dagen na de laatste wijziging" in tekst
    assert f"nog {s.bewaartermijn_extra_dagen} dagen langer" in tekst
    monkeypatch.setenv("STELSEL_BEWAARTERMIJN_DAGEN", "90")
    monkeypatch.setenv("STELSEL_BEWAARTERMIJN_EXTRA_DAGEN", "14")
    get_settings.cache_clear()
    try:
        tekst = kaal.get("/privacy").text
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "Tot 90 dagen na de laatste wijziging" in tekst and "nog 14 dagen langer" in tekst
    for recht in ("alles inzien", "uw toestemming intrekken", "uw gegevens laten verwijderen"):
        assert recht in tekst
    assert "Autoriteit Persoonsgegevens" in tekst


def test_the_accessibility_statement_names_the_standard_the_test_and_the_limits(kaal):
    tekst = kaal.get("/toegankelijkheid").text
    assert "WCAG) 2.1, niveau AA" in tekst and "axe-core" in tekst
    assert "Wat nog niet goed is" in tekst and "mailto:" in tekst


def test_the_skip_link_leads_to_the_main_content(kaal):
    html = kaal.get("/contact").text
    assert html.index('class="skiplink" href="#inhoud"') < html.index('<header class="kop">')
    assert '<main id="inhoud"' in html
