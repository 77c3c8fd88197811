"""The HSDS 3.0 export validates against the official Open Referral schemas."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from stelsel.geo import service as geo
from stelsel.register import hsds, service

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "hsds-3.0" / "schema"


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    registry = Registry()
    schemas = {}
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.stem] = contents
        registry = registry.with_resource(path.name, Resource(contents, DRAFT202012))
    return {
        name: Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
        for name, schema in schemas.items()
    }


@pytest.fixture
def documenten(session):
    register = service.to_register(session=session)
    return register, hsds.convert(
        register, geo.area_names(session=session), service.last_modified(session=session)
    )


def test_every_object_validates(validators, documenten):
    _, docs = documenten
    for file, schema in [
        ("organizations", "organization"),
        ("services", "service"),
        ("taxonomies", "taxonomy"),
        ("taxonomy_terms", "taxonomy_term"),
    ]:
        assert docs[file]
        for obj in docs[file]:
            errors = list(validators[schema].iter_errors(obj))
            assert not errors, (file, obj["id"], [e.message for e in errors[:3]])


def test_counts_and_links_match_the_register(documenten):
    register, docs = documenten
    assert len(docs["organizations"]) == len(register.aanbieders)
    assert len(docs["services"]) == len(register.diensten)
    org_ids = {o["id"] for o in docs["organizations"]}
    term_ids = {t["id"] for t in docs["taxonomy_terms"]}
    for s in docs["services"]:
        assert s["organization_id"] in org_ids
        assert s["service_areas"]
        assert {a["taxonomy_term_id"] for a in s["attributes"]} <= term_ids
    wbso = next(s for s in docs["services"] if s["name"].startswith("WBSO"))
    codes = {
        a["taxonomy_term"]["code"] for a in wbso["attributes"] if a["link_type"] == "stelsel-thema"
    }
    assert codes == {"innovatie", "financiering", "wet-en-regelgeving"}
    ynb = next(
        s
        for s in docs["services"]
        if s["name"].startswith("Eerste aanspreekpunt en advies voor Friese")
    )
    assert [a["name"] for a in ynb["service_areas"]] == ["Friesland"]


def test_export_is_deterministic(documenten, tmp_path):
    register, docs = documenten
    hsds.write(tmp_path / "a", docs)
    hsds.write(tmp_path / "b", docs)
    for name in hsds.BESTANDEN:
        assert (tmp_path / "a" / f"{name}.json").read_bytes() == (
            tmp_path / "b" / f"{name}.json"
        ).read_bytes()
