"""The HSDS 3.0 export validates against the official Open Referral schemas."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from stelsel.geo import service as geo
from stelsel.register import hsds, service
from stelsel.register.models import slug_uuid

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMAS = DATA / "hsds-3.0" / "schema"
SCHEMA_PER_FILE = {
    "organizations": "organization",
    "services": "service",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")

# jsonschema only checks "date-time" with an optional package; check it here, strictly.
format_checker = FormatChecker()


@format_checker.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    return datetime.fromisoformat(value).tzinfo is not None


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft202012Validator]:
    registry = Registry()
    schemas = {}
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.stem] = contents
        registry = registry.with_resource(path.name, Resource(contents, DRAFT202012))
    return {
        name: Draft202012Validator(schema, registry=registry, format_checker=format_checker)
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
    assert_valid(validators, docs)
    assert all("last_modified" in s for s in docs["services"])


def assert_valid(validators, docs: dict[str, list[dict]]) -> None:
    for file, schema in SCHEMA_PER_FILE.items():
        assert docs[file]
        for obj in docs[file]:
            errors = list(validators[schema].iter_errors(obj))
            assert not errors, (file, obj["id"], [e.message for e in errors[:3]])


def test_counts_and_links_match_the_register(documenten):
    register, docs = documenten
    assert len(docs["organizations"]) == len(register.aanbieders)
    assert len(docs["services"]) == len(register.diensten)
    vocabs = [*hsds.TAXONOMIEEN.values(), *hsds.ORGANISATIE_TAXONOMIEEN.values()]
    vocabs += [(n, d, v) for n, (d, v) in hsds.EXTRA_TAXONOMIEEN.items()]
    assert len(docs["taxonomies"]) == len(vocabs) + 1  # and the UPL
    upl = {d.upl_uri for d in register.diensten if d.upl_uri}
    assert len(docs["taxonomy_terms"]) == sum(len(v) for _, _, v in vocabs) + len(upl)
    org_ids = {o["id"] for o in docs["organizations"]}
    term_ids = {t["id"] for t in docs["taxonomy_terms"]}
    labels_van = {"stelsel-registergegeven", "upl"}
    aanbieders = {str(slug_uuid("aanbieder", a.id)): a for a in register.aanbieders}
    for o in docs["organizations"]:
        a = aanbieders[o["id"]]
        soorten = [x["link_type"] for x in o["attributes"] if x["link_type"] not in labels_van]
        assert len(soorten) == 2 + a.eerstelijns + a.tweedelijns  # soort, niveau, lijnen
        assert {x["taxonomy_term_id"] for x in o["attributes"]} <= term_ids
        assert {x["value"] for x in o["attributes"] if "value" in x} >= {a.id, a.bron}
    diensten = {str(slug_uuid("dienst", d.id)): d for d in register.diensten}
    for s in docs["services"]:
        d = diensten[s["id"]]
        assert s["organization_id"] == str(slug_uuid("aanbieder", d.aanbieder))
        assert s["organization_id"] in org_ids
        assert len(s["service_areas"]) == max(1, len(d.werkgebied))
        labels = d.themas + d.transitiethemas + d.fasen + d.doelgroepen + d.kanalen
        eigen = [x for x in s["attributes"] if x["link_type"] not in labels_van]
        assert len(eigen) == len(labels) + 2  # plus soort and kosten
        assert {x["taxonomy_term_id"] for x in s["attributes"]} <= term_ids
        assert [
            x["taxonomy_term"]["term_uri"] for x in s["attributes"] if x["link_type"] == "upl"
        ] == ([d.upl_uri] if d.upl_uri else [])
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


def test_cli_export_of_a_small_register(databases, stelsel, validators, tmp_path):
    """Import the small fixture into an empty database and export it as HSDS, twice."""
    url = databases.url()
    assert stelsel(url, "import", "csv", str(DATA / "register-klein")).exit_code == 0
    for uit in ("een", "twee"):
        r = stelsel(url, "export", "hsds", "--uit", str(tmp_path / uit))
        assert r.exit_code == 0, r.output
    assert "2 organizations, 3 services" in r.output
    names = ["index", *hsds.BESTANDEN]
    for name in names:
        een = (tmp_path / "een" / f"{name}.json").read_bytes()
        assert een == (tmp_path / "twee" / f"{name}.json").read_bytes(), name
    docs = {n: json.loads((tmp_path / "een" / f"{n}.json").read_text("utf-8")) for n in names}
    assert_valid(validators, docs)

    # index.json is what an HSDS API answers at "/"
    openapi = json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))
    root = openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    Draft202012Validator(root["schema"]).validate(docs["index"])
    assert docs["index"]["version"] == "3.0"

    orgs = {o["name"]: o for o in docs["organizations"]}
    ohf = orgs['Ondernemershuis "Fryslân", Leeuwarden']
    assert ohf["alternate_name"] == "OHF"
    assert ohf["phones"][0]["number"] == "058 123 45 67"
    services = {s["name"]: s for s in docs["services"]}
    groei = services["Groeiadvies, op maat"]
    assert groei["organization_id"] == ohf["id"]
    assert groei["status"] == "active"
    assert [a["name"] for a in groei["service_areas"]] == [
        "Friesland",
        "Friesland",
        "Noord-Friesland",
        "Groningen",
        "Leeuwarden",
    ]
    per_taxonomy: dict[str, list[str]] = {}
    for a in groei["attributes"]:
        if a["link_type"] == "stelsel-registergegeven":
            continue
        per_taxonomy.setdefault(a["link_type"], []).append(a["taxonomy_term"]["code"])
    assert per_taxonomy == {
        "stelsel-thema": ["financiering", "innovatie"],
        "stelsel-transitiethema": ["verduurzaming", "digitalisering"],
        "stelsel-dienstsoort": ["advies"],
        "stelsel-klantreisfase": ["weten", "kunnen"],
        "stelsel-doelgroep": ["groeien", "klein"],
        "stelsel-kanaal": ["online", "fysiek"],
        "stelsel-kosten": ["voucher"],
    }
    assert {
        a["link_type"]: a["taxonomy_term"]["code"]
        for a in ohf["attributes"]
        if a["link_type"] in ("stelsel-aanbiedersoort", "stelsel-niveau")
    } == {"stelsel-aanbiedersoort": "semipubliek", "stelsel-niveau": "regionaal"}
    gegevens = {
        a["taxonomy_term"]["code"]: a["value"]
        for a in ohf["attributes"]
        if a["link_type"] == "stelsel-registergegeven"
    }
    assert gegevens["id"] == "ondernemershuis-fryslan"
    assert [a["name"] for a in services["Zzp-ontbijt"]["service_areas"]] == ["Nederland"]
    assert services["Oude cursus"]["status"] == "inactive"  # geldig_tot 2020-12-31
