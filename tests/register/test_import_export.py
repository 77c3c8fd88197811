"""`stelsel export csv`, `stelsel import csv` and `stelsel export hsds` (both backends)."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from stelsel.cli import app
from stelsel.config import get_settings
from stelsel.db import get_engine, session_scope
from stelsel.register.models import Aanbieder, Dienst

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def stelsel(monkeypatch):
    """Run the CLI against a given database URL."""
    runner = CliRunner()

    def run(url: str, *args: str):
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


def counts(url: str) -> tuple[int, int]:
    from stelsel.db import make_engine

    engine = make_engine(url)
    with session_scope(engine) as s:
        result = (
            s.scalar(select(func.count()).select_from(Aanbieder)),
            s.scalar(select(func.count()).select_from(Dienst)),
        )
    engine.dispose()
    return result


def test_round_trip_is_lossless(databases, stelsel, tmp_path):
    bron = databases.engine(with_register=True).url.render_as_string(hide_password=False)
    r = stelsel(bron, "export", "csv", "--uit", str(tmp_path / "een"))
    assert r.exit_code == 0, r.output
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(tmp_path / "een"))
    assert r.exit_code == 0, r.output
    assert "485 aanbieders en 927 diensten geïmporteerd" in r.output
    r = stelsel(leeg, "export", "csv", "--uit", str(tmp_path / "twee"))
    assert r.exit_code == 0, r.output
    for name in ("aanbieders.csv", "diensten.csv"):
        een = (tmp_path / "een" / name).read_bytes()
        assert een == (tmp_path / "twee" / name).read_bytes()
        assert een == (REPO / "data" / "register" / name).read_bytes()


def test_import_into_empty_database_loads_only_what_it_is_given(databases, stelsel, tmp_path):
    klein = tmp_path / "klein"
    klein.mkdir()
    for name in ("aanbieders.csv", "diensten.csv"):
        lines = (REPO / "data" / "register" / name).read_text(encoding="utf-8").splitlines()
        keep = [lines[0]] + [ln for ln in lines[1:] if ln.startswith(("kvk", "rvo"))]
        (klein / name).write_text("\n".join(keep) + "\n", encoding="utf-8")
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(klein))
    assert r.exit_code == 0, r.output
    assert counts(leeg) == (2, sum(1 for _ in (klein / "diensten.csv").open()) - 1)


def test_invalid_import_reports_every_problem_and_writes_nothing(databases, stelsel):
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(DATA / "register-fouten"))
    assert r.exit_code == 1
    out = r.output
    expected = [
        "aanbieders.csv:3: id: 'Fout Id' is geen geldige id",
        "aanbieders.csv:4: soort: 'geheim' is onbekend",
        "aanbieders.csv:4: niveau: 'overal' is onbekend",
        "aanbieders.csv:4: eerstelijns: 'misschien' moet 'ja' of 'nee' zijn",
        "aanbieders.csv:4: website: 'geen-url' is geen geldige webadres",
        "aanbieders.csv:4: email: 'geen-mail' is geen geldig e-mailadres",
        "aanbieders.csv:4: omschrijving: verplicht veld is leeg",
        "aanbieders.csv:4: gecontroleerd_op: '23-11-2026' is geen datum",
        "aanbieders.csv:5: id: 'goed' staat ook op regel 2",
        "diensten.csv:3: aanbieder: 'onbekend' staat niet in aanbieders.csv",
        "diensten.csv:3: themas: 'geld' is onbekend",
        "diensten.csv:3: werkgebied: 'provincie:PV99': onbekende provincie-code",
        "diensten.csv:4: naam: verplicht veld is leeg",
        "diensten.csv:4: themas: minstens één waarde nodig",
        "diensten.csv:4: soort: 'cursus' is onbekend",
        "diensten.csv:4: fasen: 'later' is onbekend",
        "diensten.csv:4: kosten: 'duur' is onbekend",
        "diensten.csv:4: werkgebied: 'wijk:1': soort moet een van",
        "diensten.csv:4: geldig_tot: ligt voor geldig_van",
    ]
    for line in expected:
        assert line in out, line
    assert "Niets geïmporteerd" in out
    assert counts(leeg) == (0, 0)


def test_missing_column_and_existing_ids(databases, stelsel, tmp_path):
    kapot = tmp_path / "kapot"
    shutil.copytree(REPO / "data" / "register", kapot)
    text = (
        (kapot / "diensten.csv")
        .read_text(encoding="utf-8")
        .replace(",trefwoorden,", ",woorden,", 1)
    )
    (kapot / "diensten.csv").write_text(text, encoding="utf-8")
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(kapot))
    assert r.exit_code == 1
    assert "diensten.csv:1: trefwoorden: kolom ontbreekt" in r.output
    assert "diensten.csv:1: woorden: onbekende kolom" in r.output
    assert counts(leeg) == (0, 0)
    # importing the bundled register twice: the second run is refused whole
    assert stelsel(leeg, "import", "csv", str(REPO / "data" / "register")).exit_code == 0
    r = stelsel(leeg, "import", "csv", str(REPO / "data" / "register"))
    assert r.exit_code == 1 and "'kvk' bestaat al" in r.output
    assert counts(leeg) == (485, 927)
