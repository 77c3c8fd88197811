"""The bundled register in data/register: reproducible from data/bron, and complete where the
stelsel needs it to be (every region its werkgeversservicepunt and leerwerkloket, every gemeente
its ondernemersloket, every province its ROM). No database."""

import csv
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REGISTER = REPO / "data" / "register"
SCRIPT = REPO / "scripts" / "bouw_register.py"

ROMS = {
    "nom": {"PV20", "PV21", "PV22"},
    "oost-nl": {"PV23", "PV25"},
    "bom": {"PV30"},
    "innovationquarter": {"PV28"},
    "rom-utrecht-region": {"PV26"},
    "liof": {"PV31"},
    "horizon-flevoland": {"PV24"},
    "impuls-zeeland": {"PV29"},
    "rom-inwest": {"PV27"},
}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def aanbieders() -> tuple[dict[str, str], ...]:
    return tuple(_rows(REGISTER / "aanbieders.csv"))


@cache
def diensten() -> tuple[dict[str, str], ...]:
    return tuple(_rows(REGISTER / "diensten.csv"))


@cache
def gemeenten() -> tuple[dict[str, str], ...]:
    return tuple(_rows(REPO / "data" / "geo" / "gemeenten.csv"))


def gebieden(dienst: dict[str, str]) -> set[tuple[str, str]]:
    if dienst["werkgebied"] == "landelijk":
        return set()
    return {tuple(g.split(":", 1)) for g in dienst["werkgebied"].split(";")}


def provincies_van(soort: str, code: str) -> set[str]:
    """The provinces an area lies in (an arbeidsmarktregio can cross a provincial border)."""
    if soort == "provincie":
        return {code}
    kolom = {"gemeente": "gemeentecode", "corop": "corop_code"}.get(soort, f"{soort}_code")
    return {g["provinciecode"] for g in gemeenten() if g[kolom] == code}


def bouw(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--uit", str(tmp_path / "uit"), *extra],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


# ---------------------------------------------------------------- reproducible


def test_build_reproduces_the_committed_files_byte_for_byte(tmp_path):
    result = bouw(tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("aanbieders.csv", "diensten.csv"):
        assert (tmp_path / "uit" / name).read_bytes() == (REGISTER / name).read_bytes(), (
            f"data/register/{name} is not what scripts/bouw_register.py builds; run it again"
        )


def test_build_refuses_bad_rows_and_names_file_line_and_field(tmp_path):
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    path = bron / "diensten.csv"
    rows = _rows(path)
    rows[0]["themas"] = "financiering;onbekend-thema"
    rows[1]["aanbieder"] = "bestaat-niet"
    rows[2]["werkgebied"] = "provincie:PV99"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = bouw(tmp_path, "--bron", str(bron))
    assert result.returncode == 1
    assert re.search(r"diensten\.csv:2: themas: 'onbekend-thema' is onbekend", result.stderr)
    assert re.search(r"diensten\.csv:3: aanbieder: 'bestaat-niet'", result.stderr)
    assert re.search(r"diensten\.csv:4: werkgebied: 'provincie:PV99'", result.stderr)
    assert not (tmp_path / "uit").exists()


# ---------------------------------------------------------------- integrity


def test_no_duplicate_aanbieder_ids_or_names():
    ids = [a["id"] for a in aanbieders()]
    namen = [a["naam"].lower() for a in aanbieders()]
    assert len(ids) == len(set(ids))
    assert len(namen) == len(set(namen))
    dienst_ids = [d["id"] for d in diensten()]
    assert len(dienst_ids) == len(set(dienst_ids))


def test_every_aanbieder_has_a_dienst_and_every_dienst_an_aanbieder():
    ids = {a["id"] for a in aanbieders()}
    met_dienst = {d["aanbieder"] for d in diensten()}
    assert ids - met_dienst == set()
    assert met_dienst - ids == set()


def test_every_dienst_has_a_thema_and_a_werkgebied():
    for d in diensten():
        assert d["themas"], d["id"]
        assert d["werkgebied"], d["id"]


def test_texts_are_present_and_short():
    for a in aanbieders():
        assert a["omschrijving"] and a["bron"] and a["gecontroleerd_op"], a["id"]
    for d in diensten():
        assert 40 <= len(d["omschrijving"]) <= 600, d["id"]
        assert d["trefwoorden"], d["id"]


# ---------------------------------------------------------------- coverage


def test_all_nine_roms_with_their_provinces():
    per_aanbieder: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for d in diensten():
        per_aanbieder[d["aanbieder"]] |= gebieden(d)
    kort = {a["id"]: a for a in aanbieders()}
    for rom, provincies in ROMS.items():
        assert rom in kort, rom
        assert "ontwikkelingsmaatschappij (ROM)" in kort[rom]["omschrijving"], rom
        areas = per_aanbieder[rom]
        assert {c for s, c in areas if s == "provincie"} == provincies, rom
        # anything finer than a province stays inside the ROM's own provinces
        for soort, code in areas:
            assert provincies_van(soort, code) <= provincies, (rom, soort, code)


def test_every_arbeidsmarktregio_has_a_werkgeversservicepunt_and_a_leerwerkloket():
    regios = {g["arbeidsmarktregio_code"] for g in gemeenten()}
    assert len(regios) == 35
    for prefix in ("werkgeversservicepunt-", "leerwerkloket-"):
        gedekt = {
            code
            for d in diensten()
            if d["aanbieder"].startswith(prefix)
            for soort, code in gebieden(d)
            if soort == "arbeidsmarktregio"
        }
        assert gedekt == regios, prefix


def test_every_gemeente_has_an_ondernemersloket():
    loketten = {}
    for d in diensten():
        if d["naam"].startswith("Ondernemersloket "):
            ((soort, code),) = gebieden(d)
            assert soort == "gemeente"
            loketten[code] = d
    assert set(loketten) == {g["gemeentecode"] for g in gemeenten()}
    korte_naam = {a["id"]: a["korte_naam"] for a in aanbieders()}
    for g in gemeenten():
        loket = loketten[g["gemeentecode"]]
        # under the gemeente's official name (ROO): Den Haag, not 's-Gravenhage
        assert loket["naam"] == f"Ondernemersloket {korte_naam[loket['aanbieder']]}"
        assert loket["aanbieder"].startswith("gemeente-")
        assert {"wet-en-regelgeving", "bedrijfsvoering"} <= set(loket["themas"].split(";"))


def test_every_gemeente_has_a_bbz_desk():
    bbz = {
        code
        for d in diensten()
        if d["id"].endswith("-bbz-en-schuldhulp")
        for soort, code in gebieden(d)
    }
    assert bbz == {g["gemeentecode"] for g in gemeenten()}


@pytest.mark.parametrize(
    ("naam", "provincie"), [("YnBusiness", "PV21"), ("Ik Ben Drents Ondernemer", "PV22")]
)
def test_regional_first_doors_cover_their_own_province_only(naam, provincie):
    (aanbieder,) = [a for a in aanbieders() if a["naam"] == naam]
    areas = set().union(*(gebieden(d) for d in diensten() if d["aanbieder"] == aanbieder["id"]))
    assert areas == {("provincie", provincie)}


def test_the_national_first_doors_are_there():
    ids = {a["id"] for a in aanbieders()}
    assert {"kvk", "ondernemersplein", "rvo", "belastingdienst", "uwv", "qredits"} <= ids
    wbso = next(d for d in diensten() if d["id"] == "rvo-wbso")
    assert wbso["werkgebied"] == "landelijk" and "wbso" in wbso["trefwoorden"].split(";")


def test_every_gemeente_has_a_website_and_a_phone_number_and_nearly_all_an_email():
    rows = [a for a in aanbieders() if a["id"].startswith("gemeente-")]
    assert len(rows) == len(gemeenten())
    for a in rows:
        assert a["website"] and a["telefoon"], a["id"]
    # a referral to a provider without users goes to this address (data/bron/contact.csv)
    assert sum(1 for a in rows if a["email"]) >= 0.9 * len(rows)


def test_no_email_is_a_woo_omgevingsloket_or_council_address():
    # a referral sent to one of these would land at the wrong desk (scripts/roo_contact.py)
    verkeerd = re.compile(r"\bwoo\b|transparant|openoverheid|omgevings|vergunning|griffie", re.I)
    assert [a["email"] for a in aanbieders() if verkeerd.search(a["email"])] == []


def _gemeente_aanbieders() -> dict[str, dict[str, str]]:
    """The gemeente aanbieder of each gemeentecode (by its ondernemersloket's area)."""
    per_id = {a["id"]: a for a in aanbieders()}
    return {
        next(iter(gebieden(d)))[1]: per_id[d["aanbieder"]]
        for d in diensten()
        if d["id"].endswith("-ondernemersloket")
    }


def test_every_gemeente_has_real_contact_data_with_its_source():
    per_code = _gemeente_aanbieders()
    assert len(per_code) == 342
    for code, a in per_code.items():
        for veld in ("website", "telefoon", "bezoekadres", "postadres"):
            assert a[veld], (code, veld)
        assert re.fullmatch(r"[0-9]{8}", a["kvk_nummer"]), code
        assert "ROO 2026-05 (https://organisaties.overheid.nl/" in a["bron"], code
        assert re.search(r"geverifieerd 20[0-9]{2}-[0-9]{2}-[0-9]{2}", a["bron"]), code
    # ROO has a general e-mail address for 322 gemeenten (no Woo or omgevingsloket address)
    assert sum(1 for a in per_code.values() if a["email"]) >= 320


def test_gemeenten_carry_their_official_names():
    namen = {a["naam"] for a in aanbieders()}
    for onofficieel in ("Gemeente Hengelo (O.)", "Gemeente 's-Gravenhage", "Gemeente Beek (L.)"):
        assert onofficieel not in namen
    assert {"Gemeente Den Haag", "Gemeente Hengelo", "Gemeente Bergen (NH)"} <= namen
    assert not any(re.search(r"\((NH|ZH|O|Z|L)\.\)", d["naam"]) for d in diensten())


def test_the_national_bodies_have_their_roo_contact():
    per_id = {a["id"]: a for a in aanbieders()}
    for id_ in ("kvk", "uwv", "sbb", "rvo"):
        a = per_id[id_]
        assert a["website"] and a["telefoon"] and a["bezoekadres"], id_
        assert re.fullmatch(r"[0-9]{8}", a["kvk_nummer"]), id_
    assert per_id["kvk"]["kvk_nummer"] == "59581883"


def test_all_twelve_provincies_are_aanbieders_with_a_dienst_in_their_province():
    provincies = {g["provinciecode"] for g in gemeenten()}
    assert len(provincies) == 12
    gedekt = {
        code
        for d in diensten()
        if d["aanbieder"].startswith("provincie-")
        for soort, code in gebieden(d)
        if soort == "provincie"
    }
    assert gedekt == provincies
    assert sum(1 for a in aanbieders() if a["id"].startswith("provincie-")) == 12


def test_shared_bodies_run_the_bbz_for_their_gemeenten():
    """KempenPlus runs the Bbz for Bergeijk, Bladel, Eersel and Reusel-De Mierden (ROO)."""
    per_id = {d["id"]: d for d in diensten()}
    kempen = per_id["kempenplus-bbz"]
    assert gebieden(kempen) == {("gemeente", c) for c in ("GM1724", "GM1728", "GM0770", "GM1667")}
    assert kempen["upl_uri"] == "http://standaarden.overheid.nl/owms/terms/bijstandZst"
    assert "KempenPlus" in per_id["gemeente-bladel-bbz-en-schuldhulp"]["omschrijving"]
    wsp = {a["id"]: a for a in aanbieders()}["wsp-parkstad"]
    assert wsp["website"] == "https://www.wspparkstad.nl" and wsp["kvk_nummer"] == "71436812"


def test_no_dienst_sends_employers_to_the_crisis_mobiliteitsteam():
    for d in diensten():
        assert "mobiliteitsteam helpt" not in d["omschrijving"], d["id"]
    assert any(a["id"].startswith("regionaal-werkcentrum-") for a in aanbieders())


def test_an_ended_scheme_has_a_geldig_tot_and_stays():
    mdz = {d["id"]: d for d in diensten()}["mdz-digiscan-en-subsidie"]
    assert mdz["geldig_tot"] and mdz["geldig_tot"] < "2026-01-01"
    assert "beëindigd" in mdz["bron"]


def test_every_upl_uri_is_a_bundled_upl_product():
    upl = {r["uri"] for r in _rows(REPO / "data" / "upl" / "upl-gemeente-ondernemers.csv")}
    gelinkt = [d for d in diensten() if d["upl_uri"]]
    assert len(gelinkt) >= 342  # every gemeente's Bbz desk
    assert all(d["upl_uri"] in upl for d in gelinkt)
