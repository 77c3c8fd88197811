"""The register's open API: filters, pagination, errors (on SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import event

from stelsel.register import taxonomie as tx

PROBLEM = "application/problem+json"


def get_all(client, **params):
    r = client.get("/api/v1/diensten", params={"perPagina": 1000, **params})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["totaal"] == len(body["resultaten"])
    return body["resultaten"]


def assert_problem(r, status, name=None):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    assert r.headers["API-Version"]
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if name:
        assert [p["name"] for p in body["invalid_params"]] == [name]


def test_dienst_shape_embeds_aanbieder_and_thema_codes(client):
    body = client.get("/api/v1/diensten", params={"perPagina": 5}).json()
    assert body["totaal"] > 300
    for d in body["resultaten"]:
        assert d["aanbieder"]["id"] and d["aanbieder"]["naam"]
        assert d["themas"] and set(d["themas"]) <= set(tx.codes(tx.THEMAS))


def test_pagination_walks_all_pages(client):
    seen, url, pages = [], "/api/v1/diensten?perPagina=400&thema=financiering", 0
    while url:
        body = client.get(url).json()
        seen += [d["id"] for d in body["resultaten"]]
        url = body["volgende"]
        pages += 1
    assert len(seen) == len(set(seen)) == body["totaal"]
    assert pages == -(-body["totaal"] // 400)


def test_snake_case_page_size_alias(client):
    body = client.get("/api/v1/diensten", params={"per_pagina": 3}).json()
    assert len(body["resultaten"]) == 3
    assert "perPagina=3" in body["volgende"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"perPagina": 0}, "perPagina"),
        ({"perPagina": 1001}, "perPagina"),
        ({"per_pagina": 0}, "per_pagina"),
        ({"per_pagina": "veel"}, "per_pagina"),
        ({"pagina": 0}, "pagina"),
        ({"pagina": "een"}, "pagina"),
        ({"thema": "geld"}, "thema"),
        ({"soort": "cursus"}, "soort"),
        ({"fase": "later"}, "fase"),
        ({"doelgroep": "iedereen"}, "doelgroep"),
        ({"gemeente": "Atlantis"}, "gemeente"),
        ({"gemeente": "Bergen"}, "gemeente"),
        ({"aanbieder": "bestaat-niet"}, "aanbieder"),
        ({"peildatum": "morgen"}, "peildatum"),
        # a number used to be read as a Unix timestamp: 0 as 1970-01-01
        ({"peildatum": "0"}, "peildatum"),
        ({"peildatum": "86400"}, "peildatum"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, params, name):
    assert_problem(client.get("/api/v1/diensten", params=params), 400, name)


@pytest.mark.parametrize(
    ("param", "code", "attr"),
    [
        ("thema", "zwaar-weer", "themas"),
        ("fase", "kunnen", "fasen"),
        ("doelgroep", "starters", "doelgroepen"),
    ],
)
def test_label_filters(client, param, code, attr):
    results = get_all(client, **{param: code})
    assert results
    assert all(code in d[attr] for d in results)
    assert len(results) < len(get_all(client))


def test_soort_filter(client):
    results = get_all(client, soort="financiering")
    assert results and all(d["soort"] == "financiering" for d in results)


def _covers(d, gemeente) -> bool:
    if d["landelijk"]:
        return True
    areas = {(w["soort"], w["code"]) for w in d["werkgebied"]}
    return bool(
        areas
        & {
            ("gemeente", gemeente["code"]),
            ("provincie", gemeente["provincie"]["code"]),
            ("corop", gemeente["corop"]["code"]),
            ("arbeidsmarktregio", gemeente["arbeidsmarktregio"]["code"]),
        }
    )


def test_leeuwarden_includes_ynbusiness_and_nothing_from_other_provinces(client):
    leeuwarden = client.get("/api/v1/gemeenten/Leeuwarden").json()
    results = get_all(client, gemeente="Leeuwarden")
    assert any(d["aanbieder"]["naam"] == "YnBusiness" for d in results)
    assert all(_covers(d, leeuwarden) for d in results)
    assert any(not d["landelijk"] for d in results)
    # regional and local offer first, national after
    landelijk = [d["landelijk"] for d in results]
    assert landelijk == sorted(landelijk)
    # other provinces' regional offer is excluded
    assert not any(d["aanbieder"]["naam"] == "Ik Ben Drents Ondernemer" for d in results)
    assert not any(
        w["soort"] == "provincie" and w["code"] != "PV21" and len(d["werkgebied"]) == 1
        for d in results
        for w in d["werkgebied"]
    )


@pytest.mark.parametrize("tekst", ["GM0080", "8911", "leeuwarden"])
def test_gemeente_filter_accepts_code_postcode_name(client, tekst):
    ids = {d["id"] for d in get_all(client, gemeente=tekst)}
    assert ids == {d["id"] for d in get_all(client, gemeente="Leeuwarden")}


def test_woonplaats_finds_its_gemeente(client):
    sneek = get_all(client, gemeente="Sneek")
    assert any("Súdwest-Fryslân" in d["naam"] for d in sneek)


def test_aanbieder_filter_and_detail(client):
    kvk = client.get("/api/v1/aanbieders", params={"q": "Kamer van Koophandel"}).json()
    assert kvk["totaal"] == 1
    a = kvk["resultaten"][0]
    diensten = get_all(client, aanbieder=a["id"])
    assert len(diensten) == a["aantal_diensten"] >= 1
    assert {d["aanbieder"]["id"] for d in diensten} == {a["id"]}
    assert get_all(client, aanbieder=a["slug"]) == diensten
    detail = client.get(f"/api/v1/aanbieders/{a['id']}").json()
    assert detail["naam"] == a["naam"] and detail["gecontroleerd_op"]
    assert client.get(f"/api/v1/aanbieders/{a['slug']}").json()["id"] == a["id"]


def test_text_search(client):
    results = get_all(client, q="wbso")
    assert results and any("WBSO" in d["naam"] or "wbso" in d["trefwoorden"] for d in results)
    assert all(
        "wbso" in (d["naam"] + d["omschrijving"] + ";".join(d["trefwoorden"])).lower()
        or "wbso" in d["aanbieder"]["naam"].lower()
        for d in results
    )


def test_dienst_detail_by_id_and_slug(client):
    d = client.get("/api/v1/diensten", params={"perPagina": 1}).json()["resultaten"][0]
    by_id = client.get(f"/api/v1/diensten/{d['id']}")
    assert by_id.status_code == 200 and by_id.json() == d
    assert client.get(f"/api/v1/diensten/{d['slug']}").json()["id"] == d["id"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/diensten/bestaat-niet",
        "/api/v1/diensten/00000000-0000-0000-0000-000000000000",
        "/api/v1/aanbieders/bestaat-niet",
        "/api/v1/gemeenten/GM9999",
        "/api/v1/bestaat-niet",
        # a newline escapes the /api/v1 mount, which used to answer with the HTML 404 page
        "/api/v1/diensten/%0Abestaat-niet",
        "/api/v1/%0A",
    ],
)
def test_unknown_ids_are_404_problems(client, url):
    assert_problem(client.get(url), 404)


def test_themas(client):
    r = client.get("/api/v1/themas")
    assert r.headers["API-Version"] == "1.0.0"
    themas = [t["code"] for t in r.json() if t["soort"] == "thema"]
    assert themas == list(tx.codes(tx.THEMAS)) and len(themas) == 7


def test_aanbieders_filters(client):
    body = client.get("/api/v1/aanbieders", params={"niveau": "lokaal", "perPagina": 1000}).json()
    assert body["totaal"] >= 342
    assert {a["niveau"] for a in body["resultaten"]} == {"lokaal"}
    assert_problem(client.get("/api/v1/aanbieders", params={"niveau": "heel"}), 400, "niveau")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/aanbieders?q=kvk%00", "q"),
        ("/api/v1/diensten?q=lening%00", "q"),
        ("/api/v1/diensten?aanbieder=kvk%00", "aanbieder"),
        ("/api/v1/diensten?gemeente=Sneek%00", "gemeente"),
        ("/api/v1/aanbieders/kvk%00", "id"),
        ("/api/v1/diensten/a%00b", "id"),
    ],
)
def test_nul_characters_are_400_naming_the_parameter(client, url, name):
    """PostgreSQL cannot hold U+0000: such text used to reach the query and answer 500."""
    assert_problem(client.get(url), 400, name)


def test_parameters_the_api_does_not_read_are_refused_by_name(client):
    # issue 12: an unknown parameter is a 400 naming it (it used to be ignored, whatever it held)
    assert_problem(client.get("/api/v1/aanbieders", params={"x": "\x00"}), 400, "x")


@pytest.mark.parametrize("pagina", [2**62, 2**63, 10**30])
@pytest.mark.parametrize("url", ["/api/v1/aanbieders", "/api/v1/diensten"])
def test_a_page_far_past_the_end_is_empty(client, url, pagina):
    """The offset used to overflow the databases' 64-bit OFFSET: a 500."""
    r = client.get(url, params={"pagina": pagina, "perPagina": 1000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["resultaten"] == [] and body["volgende"] is None and body["totaal"] > 0


def test_aanbieders_page_loads_their_diensten_in_a_few_queries(client, connection):
    """aantal_diensten used to load each aanbieder's diensten on its own (~1500 queries)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        r = client.get("/api/v1/aanbieders", params={"perPagina": 1000})
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert r.status_code == 200 and len(r.json()["resultaten"]) > 300
    assert len(statements) < 20, statements[:30]
