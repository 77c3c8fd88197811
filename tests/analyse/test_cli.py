"""`stelsel analyse toets FILE`, `overlap` and `scan` on a database with the bundled register."""

import csv
import json

import pytest
from typer.testing import CliRunner

from stelsel.cli import app
from stelsel.config import get_settings
from stelsel.db import get_engine

from .test_analyse import KOPIE, NIEUW


@pytest.fixture
def stelsel(monkeypatch, register_engine):
    runner = CliRunner()
    url = register_engine.url.render_as_string(hide_password=False)

    def run(*args: str):
        monkeypatch.setenv("STELSEL_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            return runner.invoke(app, list(args))
        finally:
            get_engine().dispose()
            get_engine.cache_clear()
            get_settings.cache_clear()

    return run


def _csv(pad, rijen):
    velden = [
        "id",
        "aanbieder",
        "naam",
        "omschrijving",
        "themas",
        "soort",
        "fasen",
        "doelgroepen",
        "werkgebied",
    ]
    with open(pad, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, velden)
        w.writeheader()
        for i, r in enumerate(rijen):
            w.writerow(
                {
                    "id": f"nieuw-{i}",
                    "aanbieder": "x",
                    "naam": r["naam"],
                    "omschrijving": r["omschrijving"],
                    "soort": r["soort"],
                    **{k: ";".join(r[k]) for k in ("themas", "fasen", "doelgroepen")},
                    "werkgebied": ";".join(r["werkgebied"]) or "landelijk",
                }
            )


def test_toets_a_csv(stelsel, tmp_path):
    _csv(tmp_path / "d.csv", [KOPIE, NIEUW])
    r = stelsel("analyse", "toets", str(tmp_path / "d.csv"), "--json")
    assert r.exit_code == 0, r.output
    uit = json.loads(r.output)
    assert [u["oordeel"] for u in uit] == ["dubbel", "aanvullend"]
    _csv(tmp_path / "fout.csv", [{**NIEUW, "themas": ["onzin"]}])
    r = stelsel("analyse", "toets", str(tmp_path / "fout.csv"))
    assert r.exit_code == 1 and "regel 2" in r.output and "themas" in r.output


def test_overlap_and_scan(stelsel):
    r = stelsel("analyse", "overlap", "--json", "--top", "5")
    assert r.exit_code == 0, r.output
    uit = json.loads(r.output)
    assert len(uit["clusters"]) == 5 and uit["netwerkkopieen"] > 600
    # the 342 gemeenten's desks are one network, never a cluster of their own
    for c in uit["clusters"]:
        assert sum(1 for lid in c["leden"] if lid["naam"].startswith("Ondernemersloket")) <= 1
    r = stelsel("analyse", "scan", "PV99")
    assert r.exit_code == 1 and "regio" in r.output
