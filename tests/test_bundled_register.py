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
    for g in gemeenten():
        loket = loketten[g["gemeentecode"]]
        assert loket["naam"] == f"Ondernemersloket {g['gemeentenaam']}"
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
