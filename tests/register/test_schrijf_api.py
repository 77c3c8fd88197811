"""The register's write API and workflow over HTTP (issue 12, item 3), on SQLite and
PostgreSQL: edit → review → publish → the public API and the wegwijzer see it; ETags and
If-Match; every bad field named; history, diff and restore; archiving; "still correct"."""

from datetime import date

import pytest
from sqlalchemy import func, select

from stelsel.accounts.models import AuditRegel
from stelsel.register import service
from tests import factories

DIENST = "qredits-microkrediet"
EIGEN = "qredits"
PROBLEM = "application/problem+json"


@pytest.fixture
def mensen(session):
    """Bearer headers of a redacteur of Qredits, one of KVK, and a registerbeheerder."""

    def kop(rol, aanbieder=None):
        _, token = factories.met_token(session, rol, aanbieder=aanbieder)
        return {"Authorization": f"Bearer {token}"}

    session.flush()
    return {
        "redacteur": kop("redacteur", EIGEN),
        "ander": kop("redacteur", "kvk"),
        "beheerder": kop("registerbeheerder"),
    }


def _dienst_slug(client) -> str:
    r = client.get(f"/api/v1/diensten/{DIENST}")
    if r.status_code == 200:
        return DIENST
    d = client.get("/api/v1/diensten", params={"aanbieder": EIGEN}).json()["resultaten"][0]
    return d["slug"]


def _slugs(client, vraag) -> list[str]:
    r = client.post("/api/v1/wegwijzer", json=vraag)
    assert r.status_code == 200, r.text
    return [x["dienst"]["slug"] for x in r.json()["resultaten"]]


def test_edit_review_publish_reaches_the_public_api_and_the_wegwijzer(client, mensen):
    slug = _dienst_slug(client)
    openbaar = client.get(f"/api/v1/diensten/{slug}")
    etag = openbaar.headers["ETag"]
    naam = openbaar.json()["naam"]
    vraag = {"vraag": "kredietzeppelin voor mijn luchtschipwerf"}
    assert slug not in _slugs(client, vraag)

    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={
            "naam": "Kredietzeppelin",
            "trefwoorden": ["kredietzeppelin", "luchtschipwerf"],
            "telefoon": "088 123 4567",
        },
        headers={**mensen["redacteur"], "If-Match": etag},
    )
    assert r.status_code == 200, r.text
    v = r.json()
    assert v["status"] == "concept" and r.headers["ETag"] != etag
    # a draft is not public
    assert client.get(f"/api/v1/diensten/{slug}").json()["naam"] == naam
    assert (
        client.post(
            f"/api/v1/wijzigingen/{v['id']}/indienen", headers=mensen["redacteur"]
        ).status_code
        == 200
    )
    # the queue shows it, with what changes
    rij = client.get(
        "/api/v1/wijzigingen", params={"status": "ter_beoordeling"}, headers=mensen["beheerder"]
    ).json()
    assert v["id"] in [x["id"] for x in rij["resultaten"]]
    detail = client.get(f"/api/v1/wijzigingen/{v['id']}", headers=mensen["beheerder"]).json()
    assert {"veld": "naam", "oud": naam, "nieuw": "Kredietzeppelin"} in detail["verschillen"]
    assert client.get(f"/api/v1/diensten/{slug}").json()["naam"] == naam
    r = client.post(f"/api/v1/wijzigingen/{v['id']}/publiceren", headers=mensen["beheerder"])
    assert r.status_code == 200 and r.json()["status"] == "gepubliceerd", r.text
    nu = client.get(f"/api/v1/diensten/{slug}").json()
    assert nu["naam"] == "Kredietzeppelin" and nu["telefoon"] == "088 123 4567"
    assert nu["gecontroleerd_op"] == date.today().isoformat()
    assert nu["contact"]["telefoon"] == "088 123 4567" and not nu["contact"]["van_aanbieder"]
    assert slug in _slugs(client, vraag)


def test_two_edits_with_the_same_etag_give_exactly_one_412(client, mensen):
    slug = _dienst_slug(client)
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    antwoorden = [
        client.patch(
            f"/api/v1/diensten/{slug}",
            json={"wachttijd": f"{n} weken"},
            headers={**mensen[wie], "If-Match": etag},
        ).status_code
        for n, wie in ((1, "redacteur"), (2, "beheerder"))
    ]
    assert sorted(antwoorden) == [200, 412]
    # and the draft holds the first edit only
    w = client.get(f"/api/v1/diensten/{slug}/werkversie", headers=mensen["beheerder"]).json()
    assert w["gegevens"]["wachttijd"] == "1 weken" and w["status"] == "concept"


def test_a_change_without_if_match_is_428_and_with_a_stale_one_412(client, mensen):
    slug = _dienst_slug(client)
    r = client.patch(
        f"/api/v1/diensten/{slug}", json={"wachttijd": "1 dag"}, headers=mensen["redacteur"]
    )
    assert r.status_code == 428 and r.headers["content-type"] == PROBLEM
    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"wachttijd": "1 dag"},
        headers={**mensen["redacteur"], "If-Match": '"999"'},
    )
    assert r.status_code == 412 and r.headers["content-type"] == PROBLEM


def test_every_bad_field_is_named_and_nothing_is_written(client, mensen, session):
    slug = _dienst_slug(client)
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    voor = session.scalar(select(func.count()).select_from(service.beheer.RegisterWijziging))
    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={
            "themas": ["vliegen"],
            "email": "geen-adres",
            "website": "ftp://x",
            "talen": ["xx"],
            "geldig_van": "2026-13-01",
        },
        headers={**mensen["redacteur"], "If-Match": etag},
    )
    assert r.status_code == 400, r.text
    namen = {p["name"] for p in r.json()["invalid_params"]}
    assert {"themas", "email", "website", "talen", "geldig_van"} <= namen
    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"themas": "financiering", "bestaat_niet": 1},
        headers={**mensen["redacteur"], "If-Match": etag},
    )
    assert r.status_code == 400
    assert {"themas", "bestaat_niet"} <= {p["name"] for p in r.json()["invalid_params"]}
    assert (
        session.scalar(select(func.count()).select_from(service.beheer.RegisterWijziging)) == voor
    )
    assert client.get(f"/api/v1/diensten/{slug}").headers["ETag"] == etag


def test_a_redacteur_cannot_publish_nor_touch_another_aanbiedes_entries(client, mensen, session):
    slug = _dienst_slug(client)
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"wachttijd": "1 dag"},
        headers={**mensen["ander"], "If-Match": etag},
    )
    assert r.status_code == 403
    assert (
        session.scalar(
            select(func.count()).where(
                AuditRegel.uitkomst == "geweigerd", AuditRegel.object_type == "dienst"
            )
        )
        >= 1
    )
    v = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"wachttijd": "1 dag"},
        headers={**mensen["redacteur"], "If-Match": etag},
    ).json()
    client.post(f"/api/v1/wijzigingen/{v['id']}/indienen", headers=mensen["redacteur"])
    assert (
        client.post(
            f"/api/v1/wijzigingen/{v['id']}/publiceren", headers=mensen["redacteur"]
        ).status_code
        == 403
    )
    assert client.get(f"/api/v1/wijzigingen/{v['id']}", headers=mensen["ander"]).status_code == 403
    # moving a dienst to another aanbieder is touching that aanbieder too
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    r = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"aanbieder": "kvk"},
        headers={**mensen["redacteur"], "If-Match": etag},
    )
    assert r.status_code == 403


def _publiceer(client, mensen, v):
    assert (
        client.post(
            f"/api/v1/wijzigingen/{v['id']}/indienen", headers=mensen["redacteur"]
        ).status_code
        == 200
    )
    r = client.post(f"/api/v1/wijzigingen/{v['id']}/publiceren", headers=mensen["beheerder"])
    assert r.status_code == 200, r.text
    return r.json()


def test_history_and_restoring_an_earlier_version(client, mensen):
    slug = _dienst_slug(client)
    oud = client.get(f"/api/v1/diensten/{slug}").json()
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    v = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"omschrijving": "Een heel andere tekst."},
        headers={**mensen["redacteur"], "If-Match": etag},
    ).json()
    _publiceer(client, mensen, v)
    versies = client.get(f"/api/v1/diensten/{slug}/versies", headers=mensen["redacteur"]).json()
    assert [x["actie"] for x in versies] == ["wijzigen", "begin"]
    assert versies[1]["gegevens"]["omschrijving"] == oud["omschrijving"]
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    r = client.post(
        f"/api/v1/diensten/{slug}/versies/1/herstel",
        headers={**mensen["redacteur"], "If-Match": etag},
    )
    assert r.status_code == 200, r.text
    assert client.get(f"/api/v1/diensten/{slug}").json()["omschrijving"] == "Een heel andere tekst."
    _publiceer(client, mensen, r.json())
    assert client.get(f"/api/v1/diensten/{slug}").json()["omschrijving"] == oud["omschrijving"]
    assert (
        len(client.get(f"/api/v1/diensten/{slug}/versies", headers=mensen["beheerder"]).json()) == 3
    )


def test_archiving_hides_and_restoring_brings_back(client, mensen):
    slug = _dienst_slug(client)
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    r = client.delete(f"/api/v1/diensten/{slug}", headers={**mensen["redacteur"], "If-Match": etag})
    assert r.status_code == 202, r.text
    assert client.get(f"/api/v1/diensten/{slug}").status_code == 200  # only proposed
    _publiceer(client, mensen, r.json())
    assert client.get(f"/api/v1/diensten/{slug}").status_code == 404
    alle = client.get("/api/v1/diensten", params={"aanbieder": EIGEN, "perPagina": 1000}).json()[
        "resultaten"
    ]
    assert slug not in [d["slug"] for d in alle]
    w = client.get(f"/api/v1/diensten/{slug}/werkversie", headers=mensen["redacteur"])
    assert w.json()["status"] == "gearchiveerd"
    versies = client.get(f"/api/v1/diensten/{slug}/versies", headers=mensen["redacteur"]).json()
    r = client.post(
        f"/api/v1/diensten/{slug}/versies/{versies[-1]['nummer']}/herstel",
        headers={**mensen["redacteur"], "If-Match": w.headers["ETag"]},
    )
    assert r.status_code == 200, r.text
    _publiceer(client, mensen, r.json())
    assert client.get(f"/api/v1/diensten/{slug}").status_code == 200


def test_a_new_dienst_is_proposed_and_published(client, mensen):
    body = {
        "id": "qredits-testdienst",
        "aanbieder": EIGEN,
        "naam": "Testdienst voor starters",
        "omschrijving": "Een dienst om het schrijven te testen.",
        "themas": ["financiering"],
        "soort": "advies",
        "kosten": "gratis",
        "werkgebied": [{"soort": "provincie", "code": "PV21"}],
        "talen": ["nl", "fy"],
    }
    assert client.post("/api/v1/diensten", json=body, headers=mensen["ander"]).status_code == 403
    r = client.post("/api/v1/diensten", json=body, headers=mensen["redacteur"])
    assert r.status_code == 201, r.text
    assert r.headers["Location"].endswith(r.json()["id"])
    assert client.get("/api/v1/diensten/qredits-testdienst").status_code == 404
    assert (
        client.post("/api/v1/diensten", json=body, headers=mensen["redacteur"]).status_code == 400
    )
    _publiceer(client, mensen, r.json())
    d = client.get("/api/v1/diensten/qredits-testdienst").json()
    assert d["talen"] == ["nl", "fy"] and d["werkgebied"][0]["code"] == "PV21"
    assert d["contact"]["van_aanbieder"] is True  # none of its own: the aanbieder's


def test_rejecting_sends_it_back_with_a_reason(client, mensen):
    slug = _dienst_slug(client)
    etag = client.get(f"/api/v1/diensten/{slug}").headers["ETag"]
    v = client.patch(
        f"/api/v1/diensten/{slug}",
        json={"wachttijd": "3 dagen"},
        headers={**mensen["redacteur"], "If-Match": etag},
    ).json()
    client.post(f"/api/v1/wijzigingen/{v['id']}/indienen", headers=mensen["redacteur"])
    assert (
        client.post(
            f"/api/v1/wijzigingen/{v['id']}/afwijzen",
            json={"toelichting": ""},
            headers=mensen["beheerder"],
        ).status_code
        == 400
    )
    r = client.post(
        f"/api/v1/wijzigingen/{v['id']}/afwijzen",
        json={"toelichting": "Bron ontbreekt"},
        headers=mensen["beheerder"],
    )
    assert (
        r.status_code == 200
        and r.json()["status"] == "concept"
        and r.json()["toelichting"] == "Bron ontbreekt"
    )
    assert (
        client.post(
            f"/api/v1/wijzigingen/{v['id']}/publiceren", headers=mensen["beheerder"]
        ).status_code
        == 409
    )


def test_still_correct_in_one_step_without_a_new_register_version(client, mensen, session):
    versie = service.versie(session=session)
    r = client.post(f"/api/v1/aanbieders/{EIGEN}/bevestiging", headers=mensen["redacteur"])
    assert r.status_code == 200 and r.json()["aantal"] >= 2
    assert (
        client.post("/api/v1/aanbieders/kvk/bevestiging", headers=mensen["redacteur"]).status_code
        == 403
    )
    session.expire_all()
    assert service.versie(session=session) == versie
    a = client.get(f"/api/v1/aanbieders/{EIGEN}").json()
    assert a["gecontroleerd_op"] == date.today().isoformat()
    diensten = client.get("/api/v1/diensten", params={"aanbieder": EIGEN}).json()["resultaten"]
    assert all(d["gecontroleerd_op"] == date.today().isoformat() for d in diensten)
    uitkomsten = session.scalars(
        select(AuditRegel.uitkomst).where(AuditRegel.actie == "bevestigen")
    )
    assert sorted(uitkomsten) == ["geweigerd", "toegestaan"]
