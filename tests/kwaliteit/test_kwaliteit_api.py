"""The figures API: who may ask what (a permission matrix), the figures themselves, hiding
small groups, bad input, and no comment text or person in any answer. Both databases."""

import pytest

from stelsel.kwaliteit import cijfers
from tests import factories


def token(session, rol, **kw):
    return {"Authorization": f"Bearer {factories.met_token(session, rol, **kw)[1]}"}


# endpoint × role → status; the regiocoördinator is of Noord-Holland (PV27), the manager of KVK
MATRIX = [
    (None, "", 401),
    ("adviseur", "", 403),
    ("redacteur", "", 403),
    ("registerbeheerder", "", 403),
    ("stelselregisseur", "", 200),
    ("beheerder", "", 200),
    ("regiocoordinator", "", 200),
    ("regiocoordinator", "regio=PV27", 200),
    ("regiocoordinator", "regio=GM0363", 200),
    ("regiocoordinator", "regio=PV28", 403),
    ("regiocoordinator", "regio=AM01", 403),
    ("manager", "", 200),
    ("manager", "aanbieder=kvk", 200),
    ("manager", "aanbieder=qredits", 403),
]


@pytest.mark.parametrize("pad", ["/api/v1/kwaliteit/cijfers", "/api/v1/kwaliteit/reeksen"])
def test_permission_matrix(client, session, data, pad):
    for rol, query, status in MATRIX:
        kw = {"regio": "PV27"} if rol == "regiocoordinator" else {}
        if rol in ("adviseur", "redacteur", "manager"):
            kw = {"aanbieder": "kvk"}
        headers = token(session, rol, **kw) if rol else {}
        r = client.get(f"{pad}?{query}", headers=headers)
        assert r.status_code == status, (rol, query, r.text)
        assert "Jan de Vries" not in r.text and "0612345678" not in r.text


def test_figures_by_hand_and_scope(client, session, data):
    h = token(session, "stelselregisseur")
    r = client.get("/api/v1/kwaliteit/cijfers?regio=PV27", headers=h)
    assert r.status_code == 200
    body = r.json()
    xs = data["GM0363"]
    g = cijfers.gemiddelde(len(xs), sum(xs), sum(x * x for x in xs))
    assert body["csat"]["n"] == 12 and body["n"] == 12
    assert body["csat"]["gemiddelde"] == pytest.approx(g.gemiddelde, abs=1e-4)
    assert body["csat"]["interval"] == pytest.approx(list(g.interval), abs=1e-4)
    assert set(body["opgelost"]) >= {"volledig", "deels", "n"}
    assert body["nps"]["interval"][0] <= body["nps"]["score"] <= body["nps"]["interval"][1]
    # the regiocoördinator of Noord-Holland gets the same without asking for a region
    rc = token(session, "regiocoordinator", regio="PV27")
    assert client.get("/api/v1/kwaliteit/cijfers", headers=rc).json() == body
    # the manager of KVK sees KVK only: Amsterdam and Groningen
    m = client.get("/api/v1/kwaliteit/cijfers", headers=token(session, "manager", aanbieder="kvk"))
    assert m.json()["n"] == 15


def test_a_small_group_is_null_with_a_reason(client, session, data):
    h = token(session, "stelselregisseur")
    body = client.get("/api/v1/kwaliteit/cijfers?regio=GM0014", headers=h).json()
    assert body["csat"] == {
        "gemiddelde": None,
        "n": None,
        "interval": None,
        "reden": body["csat"]["reden"],
    }
    assert "te weinig" in body["csat"]["reden"] and body["n"] is None


def test_the_subtraction_case_over_the_api(client, session, data):
    # nation 26 = PV27 12 + PV28 11 + PV20 3: showing PV27 and PV28 would reveal PV20 as
    # nation − PV27 − PV28, so the next-smallest provincie (PV28) is hidden too
    h = token(session, "stelselregisseur")
    get = lambda q: client.get(f"/api/v1/kwaliteit/cijfers?{q}", headers=h).json()  # noqa: E731
    assert get("")["n"] == 26
    assert get("regio=PV27")["n"] == 12
    assert get("regio=PV28")["n"] is None
    assert get("regio=PV28")["reden"] == cijfers.AFGELEID
    assert get("regio=PV20")["n"] is None
    # a segment nobody answered in: nothing to show, from the raw rows
    assert get("segment=starter_zzp")["reden"] == cijfers.GEEN


def test_bad_input_names_the_parameter(client, session, data):
    h = token(session, "stelselregisseur")
    for query, veld in (
        ("regio=XX99", "regio"),
        ("regio=PV99", "regio"),
        ("thema=kapsalon", "thema"),
        ("aanbieder=bestaat-niet", "aanbieder"),
        ("van=2026-08-01&tot=2026-07-01", "tot"),
        ("segment=groot", "segment"),
        ("dienst=bestaat-niet", "dienst"),
    ):
        r = client.get(f"/api/v1/kwaliteit/cijfers?{query}", headers=h)
        assert r.status_code == 400, query
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [p["name"] for p in r.json()["invalid_params"]] == [veld]
    # a regiocoördinator with a bad code gets the 400, not a 403
    rc = token(session, "regiocoordinator", regio="PV27")
    assert client.get("/api/v1/kwaliteit/cijfers?regio=XX99", headers=rc).status_code == 400


def test_series_per_period(client, session, data):
    h = token(session, "stelselregisseur")
    body = client.get("/api/v1/kwaliteit/reeksen?per=kwartaal", headers=h).json()
    assert body["per"] == "kwartaal"
    assert [p["periode"] for p in body["reeks"]] == ["2026-Q3"]
    assert body["reeks"][0]["n"] == 26
    maanden = client.get("/api/v1/kwaliteit/reeksen?per=maand", headers=h).json()["reeks"]
    assert [p["periode"] for p in maanden] == ["2026-07", "2026-08", "2026-09"]
    shown = [p["n"] for p in maanden if p["n"] is not None]
    # every month shown has at least the minimum, and hidden months are never exactly one
    assert all(n >= 10 for n in shown)
    assert sum(1 for p in maanden if p["n"] is None) != 1


def test_figures_without_any_filter_with_referrals_present(client, session, data):
    # After `stelsel demo` the national figures (no regio, no van/tot) gave 503 "database
    # bezet": the per-case referral count had no FROM without a filter (no such column).
    factories.zaak(session)
    factories.zaak(session)
    h = token(session, "stelselregisseur")
    r = client.get("/api/v1/kwaliteit/cijfers", headers=h)
    assert r.status_code == 200, r.text
    hops = r.json()["doorverwijzingen_per_hulpvraag"]
    # two cases of one referral each: below the minimum of 10, hidden with its n
    assert hops["gemiddelde"] is None and "te weinig" in hops["reden"]
    r = client.get("/api/v1/kwaliteit/reeksen", headers=h)
    assert r.status_code == 200, r.text
