"""The register API's completeness (issue 12, item 7): region filters on /diensten, unknown
query parameters refused by name, date-times with their offset, and /gemeenten/{naam} as a page.
On SQLite and PostgreSQL."""

import re
from datetime import datetime

import pytest

from tests.register.test_register_api import assert_problem, get_all

FRIESLAND = "PV21"
FRIESE = {"GM0080", "GM1900"}  # Leeuwarden, Súdwest-Fryslân


def _gebieden(d) -> set[tuple[str, str]]:
    return {(w["soort"], w["code"]) for w in d["werkgebied"]}


def test_provincie_filter_keeps_national_and_the_regions_own_diensten(client):
    alle = get_all(client)
    friesland = get_all(client, provincie=FRIESLAND)
    slugs = {d["slug"] for d in friesland}
    assert 0 < len(friesland) < len(alle)  # ?provincie= used to be ignored: all came back
    # a gemeente dienst of Leeuwarden lies in Friesland; one of Maastricht does not
    lokaal = [d for d in alle if ("gemeente", "GM0080") in _gebieden(d)]
    elders = [d for d in alle if _gebieden(d) == {("gemeente", "GM0935")}]
    assert lokaal and elders
    assert all(d["slug"] in slugs for d in lokaal)
    assert not any(d["slug"] in slugs for d in elders)
    for d in friesland:
        assert d["landelijk"] or _gebieden(d) & (
            {("provincie", FRIESLAND)} | {("gemeente", g) for g in FRIESE} | _gebieden(d)
        )
    # by name too, in any case
    assert {d["slug"] for d in get_all(client, provincie="friesland")} == slugs


@pytest.mark.parametrize("param", ["arbeidsmarktregio", "corop"])
def test_region_filters_narrow_and_combine(client, param):
    codes = {"arbeidsmarktregio": "AM01", "corop": "CR04"}  # Groningen; Noord-Friesland
    deel = get_all(client, **{param: codes[param]})
    assert 0 < len(deel) < len(get_all(client))
    beide = get_all(client, **{param: codes[param]}, provincie=FRIESLAND)
    assert {d["slug"] for d in beide} <= {d["slug"] for d in deel}


@pytest.mark.parametrize("param", ["provincie", "arbeidsmarktregio", "corop"])
def test_unknown_region_is_a_400_naming_it(client, param):
    assert_problem(client.get("/api/v1/diensten", params={param: "Atlantis"}), 400, param)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/diensten?provincei=PV21",
        "/api/v1/aanbieders?zoek=kvk",
        "/api/v1/diensten/kvk-ondernemersplein?x=1",
        "/api/v1/themas?taal=nl",
        "/api/v1/verouderde-diensten?jaar=2025",
        "/api/v1/actualiteit?soort=provincie",
    ],
)
def test_unknown_query_parameters_are_a_400_naming_them(client, url):
    naam = url.split("?")[1].split("=")[0]
    assert_problem(client.get(url), 400, naam)


def test_known_parameters_and_the_per_pagina_alias_still_work(client):
    r = client.get("/api/v1/diensten", params={"per_pagina": 2, "pagina": 1, "thema": "innovatie"})
    assert r.status_code == 200 and len(r.json()["resultaten"]) == 2


def test_date_times_carry_their_offset(client):
    d = client.get("/api/v1/diensten", params={"perPagina": 1}).json()["resultaten"][0]
    a = client.get(f"/api/v1/aanbieders/{d['aanbieder']['slug']}").json()
    for waarde in (d["bijgewerkt_op"], a["bijgewerkt_op"]):
        assert re.search(r"(Z|[+-]\d\d:\d\d)$", waarde), waarde
        assert datetime.fromisoformat(waarde).utcoffset() is not None


@pytest.mark.parametrize("plaats", ["Leeuwarden", "leeuwarden", "GM0080", "gm0080", "8911"])
def test_gemeente_page_by_name_as_well_as_code(client, plaats):
    r = client.get(f"/gemeenten/{plaats}")
    assert r.status_code == 200, plaats
    assert "<h1>" in r.text and "Leeuwarden" in r.text


def test_unknown_gemeente_page_is_404(client):
    assert client.get("/gemeenten/Atlantis").status_code == 404


def test_the_list_follows_every_change_at_once(client, session):
    """The list keeps its matches per register state (register/service.py _LIJSTEN): a rename
    through the ORM, a raw UPDATE, an archived dienst, a raw DELETE and a label added or
    removed with a raw statement each show in the next list and its total, as without a
    cache."""
    from sqlalchemy import delete, insert, select, update

    from stelsel.register.models import Dienst, DienstKenmerk

    woord = "zeppelinwerf"

    def zoek() -> tuple[set[str], int]:
        r = client.get("/api/v1/diensten", params={"q": woord})
        assert r.status_code == 200
        return {d["slug"] for d in r.json()["resultaten"]}, r.json()["totaal"]

    assert zoek() == (set(), 0)
    a, b = session.scalars(select(Dienst).order_by(Dienst.slug).limit(2)).all()
    a.naam = f"{a.naam} {woord}"
    session.flush()
    assert zoek() == ({a.slug}, 1)
    session.execute(update(Dienst).where(Dienst.id == b.id).values(trefwoorden=woord))
    session.flush()
    assert zoek() == ({a.slug, b.slug}, 2)
    session.execute(update(Dienst).where(Dienst.id == a.id).values(gearchiveerd=True))
    session.flush()
    assert zoek() == ({b.slug}, 1)
    # a Core DELETE sets no bijgewerkt_op (nor does it flush an ORM row); nor does a label
    # added or removed on its own
    session.execute(delete(Dienst).where(Dienst.id == b.id))
    assert zoek() == (set(), 0)
    thema = {"thema": "innovatie"}
    totaal = client.get("/api/v1/diensten", params=thema).json()["totaal"]
    c = session.scalars(
        select(Dienst).where(~Dienst.gearchiveerd, ~Dienst.kenmerken.any(code="innovatie"))
    ).first()
    session.execute(
        insert(DienstKenmerk).values(dienst_id=c.id, soort="thema", code="innovatie", volgorde=9)
    )
    assert client.get("/api/v1/diensten", params=thema).json()["totaal"] == totaal + 1
    session.execute(delete(DienstKenmerk).where(DienstKenmerk.dienst_id == c.id))
    assert client.get("/api/v1/diensten", params=thema).json()["totaal"] == totaal
