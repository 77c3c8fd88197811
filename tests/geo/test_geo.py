"""Geography: complete reference data and resolving what people type to a gemeente."""

import pytest

from stelsel.geo import service as geo
from stelsel.geo.models import Gemeente


def test_342_gemeenten_each_with_provincie_corop_and_arbeidsmarktregio(session):
    gemeenten = session.query(Gemeente).all()
    assert len(gemeenten) == 342
    for g in gemeenten:
        assert g.provincie.naam and g.corop.naam and g.arbeidsmarktregio.naam, g.code
    assert len({g.provincie_code for g in gemeenten}) == 12
    assert len({g.corop_code for g in gemeenten}) == 40
    assert len({g.arbeidsmarktregio_code for g in gemeenten}) == 35


@pytest.mark.parametrize(
    ("tekst", "code"),
    [
        ("GM0080", "GM0080"),
        ("gm0080", "GM0080"),
        ("Leeuwarden", "GM0080"),
        ("Sneek", "GM1900"),  # woonplaats in Súdwest-Fryslân
        ("Den Haag", "GM0518"),  # alias of 's-Gravenhage
        ("'s-Gravenhage", "GM0518"),
        ("Sudwest Fryslan", "GM1900"),  # no accents typed
        ("Hengelo", "GM0164"),  # CBS name 'Hengelo (O.)'
        ("8911", "GM0080"),  # postcode
        ("8911 AB", "GM0080"),
        ("1381", "GM0363"),  # Weesp merged into Amsterdam
        ("Beek", "GM0888"),  # gemeente name beats the woonplaatsen called Beek elsewhere
    ],
)
def test_resolve(session, tekst, code):
    assert geo.resolve(session=session, tekst=tekst).code == code


@pytest.mark.parametrize("tekst", ["Atlantis", "", "GM9999", "0000", "   "])
def test_resolve_unknown(session, tekst):
    with pytest.raises(geo.GemeenteOnbekend):
        geo.resolve(session=session, tekst=tekst)


def test_resolve_ambiguous_names_candidates(session):
    with pytest.raises(geo.GemeenteOnbekend) as e:
        geo.resolve(session=session, tekst="Bergen")
    assert sorted(e.value.kandidaten) == ["Bergen (L.)", "Bergen (NH.)"]


def test_gebied_codes(session):
    g = geo.resolve(session=session, tekst="Leeuwarden")
    gebied = dict(geo.gebied(g).codes())
    assert gebied == {
        "gemeente": "GM0080",
        "provincie": "PV21",
        "corop": g.corop_code,
        "arbeidsmarktregio": g.arbeidsmarktregio_code,
    }


def test_normaliseer():
    assert geo.normaliseer("Súdwest-Fryslân") == "sudwest fryslan"
    assert geo.normaliseer("  's-Hertogenbosch ") == "s hertogenbosch"


def test_gemeenten_api(client):
    r = client.get("/api/v1/gemeenten", params={"perPagina": 1000})
    assert r.status_code == 200
    body = r.json()
    assert body["totaal"] == 342 and len(body["resultaten"]) == 342 and body["volgende"] is None
    r = client.get("/api/v1/gemeenten", params={"provincie": "PV21"})
    assert {g["provincie"]["naam"] for g in r.json()["resultaten"]} == {"Friesland"}
    r = client.get("/api/v1/gemeenten/GM0080")
    assert r.json()["naam"] == "Leeuwarden" and r.json()["provincie"]["code"] == "PV21"
    r = client.get("/api/v1/gemeenten/Sneek")
    assert r.json()["code"] == "GM1900"
    r = client.get("/api/v1/gemeenten/GM9999")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"


def test_unknown_gemeente_404_says_so_once(client):
    body = client.get("/api/v1/gemeenten/Atlantis").json()
    assert body["status"] == 404
    assert body["detail"] == "'Atlantis' is geen bekende gemeente, woonplaats, CBS-code of postcode"


@pytest.mark.parametrize(
    ("url", "name"),
    [("/api/v1/gemeenten?provincie=PV21%00", "provincie"), ("/api/v1/gemeenten/GM%000080", "code")],
)
def test_nul_characters_are_400_naming_the_parameter(client, url, name):
    """PostgreSQL cannot hold U+0000: such text used to reach the query and answer 500."""
    r = client.get(url)
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in r.json()["invalid_params"]] == [name]
