"""/api/v1/provincies, /arbeidsmarktregios and /corop-gebieden: each region with its gemeenten."""

import csv
from collections import Counter
from pathlib import Path

import pytest

GEMEENTEN = list(
    csv.DictReader(
        open(
            Path(__file__).resolve().parents[2] / "data" / "geo" / "gemeenten.csv", encoding="utf-8"
        )
    )
)
SOORTEN = {
    # path: (column in gemeenten.csv, number of regions)
    "provincies": ("provinciecode", 12),
    "arbeidsmarktregios": ("arbeidsmarktregio_code", 35),
    "corop-gebieden": ("corop_code", 40),
}


@pytest.mark.parametrize("pad", SOORTEN)
def test_list_pages_through_every_region_with_its_number_of_gemeenten(client, pad):
    kolom, aantal = SOORTEN[pad]
    verwacht = Counter(g[kolom] for g in GEMEENTEN)
    gezien: dict[str, int] = {}
    url: str | None = f"/api/v1/{pad}?perPagina=10"
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["totaal"] == aantal
        for regio in body["resultaten"]:
            gezien[regio["code"]] = regio["aantalGemeenten"]
            assert regio["url"].endswith(f"/api/v1/{pad}/{regio['code']}")
        url = body["volgende"]
    assert gezien == dict(verwacht)
    assert sum(gezien.values()) == 342


@pytest.mark.parametrize(
    ("pad", "code", "naam", "gemeente"),
    [
        ("provincies", "PV21", "Friesland", ("GM0080", "Leeuwarden")),
        ("arbeidsmarktregios", "AM18", "Groot Amsterdam", ("GM0363", "Amsterdam")),
        ("corop-gebieden", "CR23", "Groot-Amsterdam", ("GM0362", "Amstelveen")),
    ],
)
def test_one_region_by_code_or_name_lists_exactly_its_gemeenten(client, pad, code, naam, gemeente):
    kolom, _ = SOORTEN[pad]
    for sleutel in (code, code.lower(), naam):
        r = client.get(f"/api/v1/{pad}/{sleutel}")
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["code"], body["naam"]) == (code, naam)
        codes = [g["code"] for g in body["gemeenten"]]
        assert sorted(codes) == sorted(g["gemeentecode"] for g in GEMEENTEN if g[kolom] == code)
        assert {"code": gemeente[0], "naam": gemeente[1]} in body["gemeenten"]
        namen = [g["naam"] for g in body["gemeenten"]]
        assert namen == sorted(namen)


@pytest.mark.parametrize("pad", SOORTEN)
def test_an_unknown_region_is_a_problem_404(client, pad):
    r = client.get(f"/api/v1/{pad}/XX99")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def test_the_region_resources_are_in_the_openapi_document(client):
    paden = client.get("/api/v1/openapi.json").json()["paths"]
    for pad in SOORTEN:
        assert f"/{pad}" in paden and f"/{pad}/{{code}}" in paden
        assert "perPagina" in {p["name"] for p in paden[f"/{pad}"]["get"]["parameters"]}
