"""The bundled register: built reproducibly from data/bron and complete where it must be."""

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REGISTER = REPO / "data" / "register"


def rows(name: str) -> list[dict[str, str]]:
    with open(REGISTER / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def gemeenten() -> list[dict[str, str]]:
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def werkgebieden_per_aanbieder() -> dict[str, set[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    for d in rows("diensten.csv"):
        result[d["aanbieder"]].update(d["werkgebied"].split(";"))
    return result


def test_committed_register_is_what_the_sources_build():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bouw_register.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_all_nine_roms_with_their_provinces():
    expected = {
        "NOM": {"provincie:PV20", "provincie:PV21", "provincie:PV22"},
        "Oost NL": {"provincie:PV23", "provincie:PV25"},
        "BOM": {"provincie:PV30"},
        "IQ": {"provincie:PV28"},
        "ROM Utrecht": {"provincie:PV26"},
        "LIOF": {"provincie:PV31"},
        "Horizon Flevoland": {"provincie:PV24"},
        "Impuls Zeeland": {"provincie:PV29"},
        "ROM InWest": {"provincie:PV27"},
    }
    by_short = {a["korte_naam"]: a["id"] for a in rows("aanbieders.csv")}
    gebieden = werkgebieden_per_aanbieder()
    for kort, provincies in expected.items():
        assert gebieden[by_short[kort]] == provincies, kort


def test_werkgeversservicepunt_and_leerwerkloket_in_every_arbeidsmarktregio():
    regios = {g["arbeidsmarktregio_code"] for g in gemeenten()}
    assert len(regios) == 35
    gebieden = werkgebieden_per_aanbieder()
    for prefix in ("werkgeversservicepunt-", "leerwerkloket-"):
        covered = set()
        for aanbieder, areas in gebieden.items():
            if aanbieder.startswith(prefix):
                covered |= {a.split(":")[1] for a in areas if a.startswith("arbeidsmarktregio:")}
        assert covered == regios, prefix


def test_ondernemersloket_for_every_gemeente():
    loketten = {
        d["werkgebied"].split(":")[1]
        for d in rows("diensten.csv")
        if d["naam"].startswith("Ondernemersloket ")
    }
    assert loketten == {g["gemeentecode"] for g in gemeenten()}


def test_ynbusiness_serves_friesland_only():
    ynbusiness = next(a for a in rows("aanbieders.csv") if a["naam"] == "YnBusiness")
    assert werkgebieden_per_aanbieder()[ynbusiness["id"]] == {"provincie:PV21"}


def test_descriptions_are_plain_and_present():
    for d in rows("diensten.csv"):
        assert 40 <= len(d["omschrijving"]) <= 600, d["id"]
    for a in rows("aanbieders.csv"):
        assert a["omschrijving"] and a["bron"], a["id"]
