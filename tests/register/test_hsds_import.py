"""`stelsel import hsds`: an HSDS 3.0 export read back loses nothing; bad files write nothing."""

import copy
import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from stelsel.db import session_scope
from stelsel.geo import service as geo
from stelsel.register import hsds, hsds_import, service
from stelsel.register import taxonomie as tx
from stelsel.register.csvformaat import ImportFout, Register

DATA = Path(__file__).resolve().parents[1] / "data"
VOORBEELDEN = DATA / "hsds-3.0" / "examples"


def verrijkt(register: Register) -> Register:
    """The bundled register with every field filled somewhere: the bundled data leaves some
    empty everywhere (a dienst's own telephone, languages, waiting time, …)."""
    register = copy.deepcopy(register)
    a = next(a for a in register.aanbieders if a.kvk_nummer and a.bezoekadres)
    a.openingstijden = "ma-vr 9.00-17.00 uur"
    a.postadres = "Postbus 12 (afdeling EZ), Dorp"  # not in the usual form: kept whole
    b = next(b for b in register.aanbieders if b is not a and not b.korte_naam)
    b.korte_naam = "'=korte naam"  # a leading quote before a formula character survives
    d = next(d for d in register.diensten if d.aanbieder == a.id)
    extra = {
        "telefoon": "+31 58 233 8888",
        "email": "loket@example.nl",
        "adres": "Stationsplein 1, 8911 AC Leeuwarden",
        "openingstijden": "di en do 13.00-16.00 uur",
        "talen": ["nl", "fy", "en"],
        "kosten_toelichting": '=HYPERLINK("http://x","y") of € 50 per uur',
        "wachttijd": "binnen 2 weken",
        "upl_uri": "http://standaarden.overheid.nl/owms/terms/bijstandZst",
        "bron": "test",
        "gecontroleerd_op": date(2026, 1, 31),
        "geldig_van": date(2020, 1, 1),
        "geldig_tot": date(2030, 12, 31),
        "website": "https://example.nl/loket",
        "trefwoorden": ["loket", "+ plus", "loket"],
        "transitiethemas": ["digitalisering"],
    }
    for veld, waarde in extra.items():
        setattr(d, veld, waarde)
    e = next(e for e in register.diensten if e.kosten_toelichting == "" and e is not d)
    e.kosten_toelichting = "Gratis"  # equal to a kosten label
    e.adres = "ergens op het plein"  # no postcode: kept whole
    return register


@pytest.fixture(scope="module")
def bron(register_engine) -> Register:
    with session_scope(register_engine) as s:
        return verrijkt(service.to_register(session=s))


def velden(register: Register) -> dict[str, dict]:
    return {
        **{f"aanbieder {a.id}": dataclasses.asdict(a) for a in register.aanbieders},
        **{f"dienst {d.id}": dataclasses.asdict(d) for d in register.diensten},
    }


def test_export_then_import_loses_nothing(databases, bron, stelsel, tmp_path):
    """The bundled register (every field filled somewhere) → HSDS → an empty database, on
    SQLite and PostgreSQL: every field of every aanbieder and dienst comes back."""
    a = databases.engine()
    with session_scope(a) as s:
        service.load(session=s, register=bron)
    url_a = a.url.render_as_string(hide_password=False)
    r = stelsel(url_a, "export", "hsds", "--uit", str(tmp_path / "hsds"))
    assert r.exit_code == 0, r.output
    with session_scope(a) as s:
        voor = service.to_register(session=s)
    assert velden(voor) == velden(bron)  # the enriched fields were stored as such

    b = databases.engine()
    url_b = b.url.render_as_string(hide_password=False)
    r = stelsel(url_b, "import", "hsds", str(tmp_path / "hsds"))
    assert r.exit_code == 0, r.output
    assert f"{len(bron.aanbieders)} aanbieders en {len(bron.diensten)} diensten" in r.output
    with session_scope(b) as s:
        na = service.to_register(session=s)
    oud, nieuw = velden(voor), velden(na)
    assert oud.keys() == nieuw.keys()
    verschillen = {
        (k, veld): (oud[k][veld], nieuw[k][veld])
        for k in oud
        for veld in oud[k]
        if oud[k][veld] != nieuw[k][veld]
    }
    assert not verschillen, list(verschillen.items())[:5]
    # a second export of the imported register is the same, byte for byte, bar last_modified
    r = stelsel(url_b, "export", "hsds", "--uit", str(tmp_path / "weer"))
    assert r.exit_code == 0, r.output
    for naam in hsds.BESTANDEN:
        een, twee = (
            json.loads((tmp_path / m / f"{naam}.json").read_text()) for m in ("hsds", "weer")
        )
        for obj in (*een, *twee):
            obj.pop("last_modified", None)
        assert een == twee, naam


@pytest.fixture(scope="module")
def gebieden(register_engine):
    with session_scope(register_engine) as s:
        return geo.known_codes(session=s), geo.area_names(session=s)


@pytest.fixture
def export(bron, gebieden, tmp_path) -> Path:
    """The enriched register as an HSDS export folder (pure: no database)."""
    _, namen = gebieden
    hsds.write(tmp_path / "hsds", hsds.convert(bron, namen))
    return tmp_path / "hsds"


def lees(map_: Path, gebieden, standaard=None) -> Register:
    codes, namen = gebieden
    return hsds_import.read_dir(map_, codes, namen, standaard)


def problemen(map_: Path, gebieden, standaard=None) -> list[str]:
    with pytest.raises(ImportFout) as e:
        lees(map_, gebieden, standaard)
    return [str(p) for p in e.value.problemen]


def test_pure_round_trip(export, bron, gebieden):
    assert velden(lees(export, gebieden)) == velden(bron)


def test_truncated_json_names_the_file_and_place(export, gebieden):
    tekst = (export / "services.json").read_text()
    (export / "services.json").write_text(tekst[: len(tekst) // 2])
    [p] = problemen(export, gebieden)
    assert p.startswith("services.json:0: -: geen geldige JSON (regel ")


def test_missing_file_and_not_a_list(export, gebieden):
    (export / "services.json").unlink()
    (export / "organizations.json").write_text('{"id": "x"}')
    assert problemen(export, gebieden) == [
        "organizations.json:0: -: moet een lijst (JSON-array) van objecten zijn",
        "services.json:0: -: bestand ontbreekt",
    ]


def test_wrong_types_name_record_and_field(export, gebieden):
    services = json.loads((export / "services.json").read_text())
    services[2]["name"] = 12.5  # a number where text belongs is read as text
    services[3]["phones"] = "058 123"
    services[4]["attributes"][0]["taxonomy_term"] = ["x"]
    services[5]["service_areas"] = [7]
    services[6] = "geen object"
    (export / "services.json").write_text(json.dumps(services))
    p = problemen(export, gebieden)
    assert "services.json:4: phones: moet een lijst zijn, niet tekst" in p
    assert "services.json:5: attributes[0].taxonomy_term: moet een object zijn, niet een lijst" in p
    assert "services.json:6: service_areas[0]: moet een object zijn, niet een getal" in p
    assert "services.json:6: werkgebied: verplicht veld is leeg" in p
    assert "services.json:7: -: moet een object zijn, niet tekst" in p
    assert not any(x.startswith("services.json:3:") for x in p)


def test_duplicate_ids(export, gebieden):
    orgs = json.loads((export / "organizations.json").read_text())
    orgs.append(dict(orgs[0]))  # the same HSDS id again
    twee = copy.deepcopy(orgs[1])
    twee["id"] = "00000000-0000-4000-8000-000000000000"  # another id, the same register id
    orgs.append(twee)
    (export / "organizations.json").write_text(json.dumps(orgs))
    services = json.loads((export / "services.json").read_text())
    services[1]["id"] = services[0]["id"]
    (export / "services.json").write_text(json.dumps(services))
    p = problemen(export, gebieden)
    n = len(orgs)
    assert f"organizations.json:{n - 1}: id: '{orgs[0]['id']}' staat ook in record 1" in p
    assert any(x.startswith(f"organizations.json:{n}: id: ") and "staat ook op" in x for x in p)
    assert f"services.json:2: id: '{services[0]['id']}' staat ook in record 1" in p


def test_a_service_of_an_unknown_organization(export, gebieden):
    services = json.loads((export / "services.json").read_text())
    services[0]["organization_id"] = "4a3c0b5e-0000-4000-8000-000000000001"
    (export / "services.json").write_text(json.dumps(services))
    assert problemen(export, gebieden) == [
        "services.json:1: organization_id: '4a3c0b5e-0000-4000-8000-000000000001' staat niet "
        "in organizations.json"
    ]


def test_cli_writes_nothing_on_a_problem(databases, export, stelsel, register_counts):
    """One bad record among a whole valid register: nothing is written, the problem named."""
    services = json.loads((export / "services.json").read_text())
    services[-1]["languages"] = [{"id": "x", "code": "xx"}]
    (export / "services.json").write_text(json.dumps(services))
    url = databases.url()
    assert stelsel(url, "import", "csv", str(DATA / "register-klein")).exit_code == 0
    voor = register_counts(url)
    r = stelsel(url, "import", "hsds", str(export))
    assert r.exit_code == 1
    assert f"services.json, record {len(services)}: talen: 'xx' is onbekend" in r.output
    assert "Niets geïmporteerd: 1 probleem" in r.output
    assert register_counts(url) == voor


def _vreemd(tmp_path: Path) -> Path:
    """The official HSDS 3.0 examples as another directory's export."""
    org = json.loads((VOORBEELDEN / "organization_full.json").read_text())
    service_ = json.loads((VOORBEELDEN / "service_full.json").read_text())
    map_ = tmp_path / "vreemd"
    map_.mkdir()
    (map_ / "organizations.json").write_text(json.dumps([org]))
    (map_ / "services.json").write_text(json.dumps({"contents": [service_], "total_items": 1}))
    return map_


STANDAARD = [
    "aanbieder.soort=non-profit",
    "aanbieder.niveau=regionaal",
    "aanbieder.gecontroleerd_op=2026-11-01",
    "dienst.themas=bedrijfsvoering",
    "dienst.soort=advies",
    "dienst.kosten=betaald",
    "dienst.werkgebied=landelijk",
]


def test_another_directorys_export(tmp_path, gebieden):
    """Unknown fields and taxonomies are ignored; what our register needs and the export
    lacks comes from --standaard; a value the register cannot hold is named."""
    map_ = _vreemd(tmp_path)
    standaard = hsds_import.standaard_uit(STANDAARD)
    assert problemen(map_, gebieden, standaard) == [
        "services.json:1: telefoon: '\"+44 1234 234567\"' is geen telefoonnummer (cijfers, "
        "spaties, + - ( ))",
        "services.json:1: talen: 'ur' is onbekend; kies uit " + ", ".join(tx.codes(tx.TALEN)),
    ]
    services = json.loads((map_ / "services.json").read_text())
    services["contents"][0]["phones"][0]["number"] = "+44 1234 234567"
    services["contents"][0]["languages"][0]["code"] = "en"
    (map_ / "services.json").write_text(json.dumps(services))
    register = lees(map_, gebieden, standaard)
    [a], [d] = register.aanbieders, register.diensten
    assert (a.id, a.naam, a.korte_naam, a.website, a.email) == (
        "example-organization-inc",
        "Example Organization Inc.",
        "Example Org",
        "http://example.com",
        "email@example.com",
    )
    assert a.bron == "Open Referral HSDS-export vreemd"
    assert a.bezoekadres.startswith("1-30 Main Street")
    assert (a.soort, a.niveau, a.eerstelijns) == ("non-profit", "regionaal", False)
    assert d.aanbieder == a.id
    assert d.naam == "Community Counselling" and d.website == "http://example.com/counselling"
    assert (d.telefoon, d.talen, d.wachttijd) == ("+44 1234 234567", ["en"], "wait_time")
    assert d.kosten_toelichting.startswith("Non-NHS patients are expected to pay")
    assert d.gecontroleerd_op == date(2005, 1, 1)
    assert d.openingstijden.startswith("The service is available from 10 am")
    assert (d.themas, d.werkgebied) == (["bedrijfsvoering"], [])


def test_cli_standaard_and_a_hint(databases, stelsel, tmp_path):
    map_ = _vreemd(tmp_path)
    url = databases.url()
    assert stelsel(url, "import", "csv", str(DATA / "register-klein")).exit_code == 0
    r = stelsel(url, "import", "hsds", str(map_))
    assert r.exit_code == 1
    assert "organizations.json, record 1: soort: verplicht veld is leeg" in r.output
    assert "--standaard dienst.themas=financiering" in r.output
    r = stelsel(url, "import", "hsds", str(map_), "--standaard", "themas=x")
    assert r.exit_code == 1 and "schrijf aanbieder.KOLOM=WAARDE" in r.output
