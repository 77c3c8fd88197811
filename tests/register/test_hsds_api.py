"""The HSDS 3.0 read API at /hsds: the export's objects, in the specification's page shape,
valid against the official schemas."""

import json

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select, update

from stelsel.geo import service as geo
from stelsel.register import hsds, service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Dienst, slug_uuid
from tests.register.test_hsds import SCHEMAS, validators  # noqa: F401  (a fixture)

OPENAPI = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))
PAGE = Draft202012Validator(OPENAPI["components"]["schemas"]["Page"])


def assert_page(validators, body: dict, schema: str) -> None:  # noqa: F811
    PAGE.validate(body)
    assert set(body) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert body["size"] == len(body["contents"])
    for obj in body["contents"]:
        errors = list(validators[schema].iter_errors(obj))
        assert not errors, (obj["id"], [e.message for e in errors[:3]])


def test_services_are_the_export_in_pages(client, session, validators):  # noqa: F811
    register = service.to_register(session=session)
    alle: list[dict] = []
    page = 1
    while True:
        r = client.get("/hsds/services", params={"page": page, "per_page": 400})
        assert r.status_code == 200, r.text
        body = r.json()
        assert_page(validators, body, "service")
        assert body["total_items"] == len(register.diensten)
        assert body["first_page"] == (page == 1) and body["page_number"] == page
        alle += body["contents"]
        if body["last_page"]:
            break
        page += 1
    assert page == body["total_pages"] == -(-len(register.diensten) // 400)
    export = hsds.convert(
        register, geo.area_names(session=session), service.last_modified(session=session)
    )
    assert alle == export["services"]  # both by register id
    één = alle[7]
    r = client.get(f"/hsds/services/{één['id']}")
    assert r.status_code == 200 and r.json() == één
    assert not list(validators["service"].iter_errors(r.json()))


def test_organizations_and_taxonomy_terms(client, session, validators):  # noqa: F811
    register = service.to_register(session=session)
    r = client.get("/hsds/organizations", params={"per_page": 1000})
    body = r.json()
    assert_page(validators, body, "organization")
    assert body["total_items"] == len(register.aanbieders) == body["size"]
    assert body["total_pages"] == 1 and body["last_page"]
    org = body["contents"][3]
    r = client.get(f"/hsds/organizations/{org['id']}")
    assert r.status_code == 200 and r.json() == org
    r = client.get("/hsds/taxonomy_terms", params={"per_page": 1000})
    body = r.json()
    assert_page(validators, body, "taxonomy_term")
    upl = {d.upl_uri for d in register.diensten if d.upl_uri}
    assert sum(t["taxonomy"] == "upl" for t in body["contents"]) == len(upl)
    thema = hsds.taxonomy_id("stelsel-thema")
    r = client.get("/hsds/taxonomy_terms", params={"taxonomy_id": thema})
    assert [t["code"] for t in r.json()["contents"]] == list(tx.codes(tx.THEMAS))
    # the Open Referral specification, not the NL API Design Rules: no API-Version header
    assert "api-version" not in r.headers
    index = client.get("/hsds/").json()
    root = OPENAPI["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    Draft202012Validator(root["schema"]).validate(index)


def test_modified_after_and_organization_id(client, session):
    slug = session.scalars(select(Dienst.slug).order_by(Dienst.slug)).first()
    gewijzigd = service.last_modified(session=session)
    laatste = max(gewijzigd.values())
    r = client.get("/hsds/services", params={"modified_after": laatste})
    body = r.json()
    assert r.status_code == 200
    assert body["total_items"] == sum(v >= laatste for v in gewijzigd.values()) >= 1
    assert all(s["last_modified"] >= laatste for s in body["contents"])
    r = client.get("/hsds/services", params={"modified_after": "2999-01-01"})
    assert r.json()["empty"] and r.json()["total_items"] == 0 and r.json()["contents"] == []
    # an offset is understood (a '+' left unencoded in a URL reads as a space)
    r = client.get("/hsds/services?modified_after=2000-01-01T01:00:00+01:00&per_page=1")
    assert r.json()["total_items"] == len(gewijzigd)
    dienst = session.scalar(select(Dienst).where(Dienst.slug == slug))
    org = str(slug_uuid("aanbieder", dienst.aanbieder.slug))
    r = client.get("/hsds/services", params={"organization_id": org, "per_page": 1000})
    assert r.json()["contents"] and {s["organization_id"] for s in r.json()["contents"]} == {org}


def test_only_published_entries(client, session):
    dienst = session.scalars(select(Dienst).order_by(Dienst.slug)).first()
    sid = str(dienst.id)
    voor = client.get("/hsds/services", params={"per_page": 1}).json()["total_items"]
    session.execute(update(Dienst).where(Dienst.id == dienst.id).values(gearchiveerd=True))
    session.flush()
    assert client.get(f"/hsds/services/{sid}").status_code == 404
    assert client.get("/hsds/services", params={"per_page": 1}).json()["total_items"] == voor - 1


@pytest.mark.parametrize(
    ("url", "veld"),
    [
        ("/hsds/services?page=0", "page"),
        ("/hsds/services?per_page=5000", "per_page"),
        ("/hsds/services?page=x", "page"),
        ("/hsds/services?modified_after=gisteren", "modified_after"),
        ("/hsds/services?search=loket", "search"),
        ("/hsds/organizations?modified_afterr=2026-01-01", "modified_afterr"),
    ],
)
def test_bad_parameters_are_a_problem_naming_them(client, url, veld):
    r = client.get(url)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert veld in {p["name"] for p in r.json()["invalid_params"]}


def test_unknown_ids_are_404_problems(client):
    for url in (
        "/hsds/services/4a3c0b5e-0000-4000-8000-000000000001",
        "/hsds/services/geen-uuid",
        "/hsds/organizations/4a3c0b5e-0000-4000-8000-000000000001",
    ):
        r = client.get(url)
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_hsds_is_not_in_the_nl_api_document():
    """/hsds follows the Open Referral specification, not the NL API Design Rules: it is not
    part of the /api/v1 OpenAPI document that the NL linter checks."""
    from stelsel.openapi import document

    assert not any(p.startswith("/hsds") for p in document()["paths"])
