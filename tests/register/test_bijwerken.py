"""`stelsel import csv DIR --bijwerken`: merge by id, all or nothing, on both databases."""

import csv
import io
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from stelsel.db import make_engine
from stelsel.register import csvformaat
from stelsel.register.models import (
    Aanbieder,
    Dienst,
    DienstKenmerk,
    DienstWerkgebied,
    RegisterVersie,
)

REPO = Path(__file__).resolve().parents[2]
KLEIN = REPO / "tests" / "data" / "register-klein"
A, D = csvformaat.AANBIEDERS_CSV, csvformaat.DIENSTEN_CSV
TABELLEN = (Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied, RegisterVersie)


def dump(url: str) -> list:
    """Every row of every register table, every column (revisie, bijgewerkt_op, the version)."""
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return [
                sorted(repr(tuple(r)) for r in s.execute(select(*model.__table__.c)))
                for model in TABELLEN
            ]
    finally:
        engine.dispose()


def versie(url: str) -> str:
    return dump(url)[-1][0]


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, data: list[dict[str, str]], delimiter: str = ",", bom: bool = False):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(data[0]), delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(data)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def klein_basis(databases, tmp_path_factory):
    """A database holding the small register (2 aanbieders, 3 diensten), made once: the
    tests get a copy (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL)."""
    from typer.testing import CliRunner

    from stelsel.cli import app
    from stelsel.config import get_settings
    from stelsel.db import get_engine

    url = databases.url()
    mp = pytest.MonkeyPatch()
    mp.setenv("STELSEL_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        assert CliRunner().invoke(app, ["import", "csv", str(KLEIN)]).exit_code == 0
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        mp.undo()
        get_settings.cache_clear()
    return url


@pytest.fixture
def klein(databases, klein_basis):
    """A fresh copy of the small-register database."""
    if databases.backend == "sqlite":
        url = databases.url()
        shutil.copy(klein_basis.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url
    naam = f"stelsel_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(databases.pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{naam}" TEMPLATE "{klein_basis.rsplit("/", 1)[1]}"'))
    admin.dispose()
    databases.pg_names.append(naam)
    return databases.pg_admin_url.rsplit("/", 1)[0] + f"/{naam}"


def _export(stelsel, url: str, map_: Path) -> dict[str, list[dict[str, str]]]:
    r = stelsel(url, "export", "csv", "--uit", str(map_))
    assert r.exit_code == 0, r.output
    return {A: rows(map_ / A), D: rows(map_ / D)}


def _edit(tmp_path: Path, **opties) -> tuple[Path, str, str]:
    """The small register with one dienst renamed, one left out and one new, as Excel writes
    it with Dutch settings (BOM, `;`, CRLF)."""
    map_ = tmp_path / "bewerkt"
    map_.mkdir()
    a, d = rows(KLEIN / A), rows(KLEIN / D)
    d[0]["naam"] = "Nieuwe naam"
    weg = d.pop(1)
    nieuw = dict(d[0], id="nieuwe-dienst", naam="Een nieuwe dienst")
    write(map_ / A, a, **opties)
    write(map_ / D, [*d, nieuw], **opties)
    return map_, d[0]["id"], weg["id"]


def test_merge_adds_and_updates_by_id_and_leaves_absent_rows_alone(klein, stelsel, tmp_path):
    map_, gewijzigd, weg = _edit(tmp_path, delimiter=";", bom=True)
    voor = versie(klein)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exit_code == 0, r.output
    assert "toegevoegd: 0 aanbieders en 1 diensten" in r.output
    assert "gewijzigd: 0 aanbieders en 1 diensten" in r.output
    assert versie(klein) != voor  # one transaction, one new version
    uit = {d["id"]: d for d in _export(stelsel, klein, tmp_path / "uit")[D]}
    assert uit[gewijzigd]["naam"] == "Nieuwe naam"
    assert uit["nieuwe-dienst"]["naam"] == "Een nieuwe dienst"
    assert weg in uit  # absent from the file: left alone
    # the same merge again changes nothing, not even the version
    na = dump(klein)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert "gewijzigd: 0 aanbieders en 0 diensten" in r.output
    assert dump(klein) == na


def test_droog_shows_the_diff_with_field_names_and_writes_nothing(klein, stelsel, tmp_path):
    map_, gewijzigd, weg = _edit(tmp_path)
    voor = dump(klein)
    r = stelsel(
        klein, "import", "csv", str(map_), "--bijwerken", "--verwijder-ontbrekend", "--droog"
    )
    assert r.exit_code == 0, r.output
    regels = r.stdout.splitlines()
    assert "+ dienst nieuwe-dienst" in regels
    assert f"~ dienst {gewijzigd}: naam" in regels
    assert f"- dienst {weg}" in regels
    assert "niets geschreven" in r.stdout
    assert dump(klein) == voor


def test_verwijder_ontbrekend_archives_what_the_file_lacks(
    klein, stelsel, tmp_path, register_counts
):
    map_, _, weg = _edit(tmp_path)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken", "--verwijder-ontbrekend")
    assert r.exit_code == 0, r.output
    assert "verwijderd (gearchiveerd): 0 aanbieders en 1 diensten" in r.output
    assert weg not in {d["id"] for d in _export(stelsel, klein, tmp_path / "uit")[D]}
    assert register_counts(klein) == (2, 4)  # kept for the referrals that name it
    # in the file again: restored
    shutil.copy(KLEIN / D, map_ / D)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert f"{weg}" in {d["id"] for d in _export(stelsel, klein, tmp_path / "uit2")[D]}


def test_a_dienst_may_name_an_aanbieder_the_register_holds(klein, stelsel, tmp_path):
    map_ = tmp_path / "alleen-diensten"
    map_.mkdir()
    (map_ / A).write_text(",".join(csvformaat.AANBIEDER_KOLOMMEN) + "\n", encoding="utf-8")
    d = rows(KLEIN / D)
    d[0]["website"] = "https://voorbeeld.nl/dienst"
    write(map_ / D, d[:1])
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exit_code == 0, r.output
    assert "gewijzigd: 0 aanbieders en 1 diensten" in r.output


def test_any_problem_writes_nothing(klein, stelsel, tmp_path):
    map_, _, _ = _edit(tmp_path)
    a, d = rows(map_ / A), rows(map_ / D)
    d[-1]["themas"] = "geld"  # one bad cell among good changes
    write(map_ / D, d)
    voor = dump(klein)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exit_code == 1
    assert "diensten.csv:5: themas: 'geld' is onbekend" in r.stderr
    assert "Niets geïmporteerd" in r.stderr
    assert dump(klein) == voor
    # a name another aanbieder holds (only the database knows)
    write(map_ / D, rows(KLEIN / D))
    andere = rows(KLEIN / A)[1]["naam"]
    a[0]["naam"] = andere.upper()
    write(map_ / A, a[:1])
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exit_code == 1
    assert "aanbieders.csv:2: naam: " in r.stderr and "is al de naam van" in r.stderr
    assert dump(klein) == voor


def test_two_aanbieders_can_swap_names_in_one_merge(klein, stelsel, tmp_path):
    map_ = tmp_path / "ruil"
    map_.mkdir()
    a = rows(KLEIN / A)
    a[0]["naam"], a[1]["naam"] = a[1]["naam"], a[0]["naam"]
    write(map_ / A, a)
    shutil.copy(KLEIN / D, map_ / D)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exit_code == 0, r.output
    uit = {x["id"]: x["naam"] for x in _export(stelsel, klein, tmp_path / "uit")[A]}
    assert uit == {x["id"]: x["naam"] for x in a}


def test_droog_and_verwijder_need_bijwerken(klein, stelsel):
    r = stelsel(klein, "import", "csv", str(KLEIN), "--droog")
    assert r.exit_code == 1 and "--bijwerken" in r.output


# --------------------------------------------------------------------------- fuzzed merges

FORMULES = ['=HYPERLINK("https://x.example","klik")', "+31 58", "-1", "@SUM(A1)", "'=1+1"]


def _mutaties():
    return st.one_of(
        st.tuples(st.just("afkappen"), st.sampled_from([A, D]), st.floats(0.05, 0.95)),
        st.tuples(
            st.just("codering"), st.sampled_from([A, D]), st.sampled_from(["latin-1", "utf-16"])
        ),
        st.tuples(st.just("dubbel"), st.sampled_from([A, D]), st.integers(0, 1)),
        st.tuples(
            st.just("formule"),
            st.sampled_from([(A, "naam"), (A, "omschrijving"), (D, "naam"), (D, "trefwoorden")]),
            st.sampled_from(FORMULES),
        ),
    )


@pytest.fixture(scope="module")
def fuzz_basis(tmp_path_factory):
    basis = tmp_path_factory.mktemp("basis")
    a, d = rows(KLEIN / A), rows(KLEIN / D)
    for x in d:
        x["naam"] += " (bijgewerkt)"  # a valid merge: every dienst changes
    write(basis / A, a)
    write(basis / D, d)
    return basis


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mutatie=_mutaties())
def test_a_fuzzed_merge_is_all_or_nothing(klein, stelsel, fuzz_basis, tmp_path_factory, mutatie):
    map_ = tmp_path_factory.mktemp("fuzz")
    for naam in (A, D):
        shutil.copy(fuzz_basis / naam, map_ / naam)
    soort, doel, arg = mutatie
    if soort == "afkappen":
        data = (map_ / doel).read_bytes()
        (map_ / doel).write_bytes(data[: int(len(data) * arg)])
    elif soort == "codering":
        tekst = (map_ / doel).read_text(encoding="utf-8") + "é"
        (map_ / doel).write_bytes(tekst.encode(arg, errors="replace"))
    elif soort == "dubbel":
        inhoud = rows(map_ / doel)
        write(map_ / doel, [*inhoud, inhoud[arg]])
    else:
        bestand, kolom = doel
        inhoud = rows(map_ / bestand)
        inhoud[0][kolom] = arg
        write(map_ / bestand, inhoud)
    voor = dump(klein)
    r = stelsel(klein, "import", "csv", str(map_), "--bijwerken")
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    if r.exit_code != 0:
        assert "Niets geïmporteerd" in r.stderr
        assert dump(klein) == voor  # byte for byte: nothing half-written
        return
    # accepted: everything in the files was applied, so the same merge finds nothing to do
    again = stelsel(klein, "import", "csv", str(map_), "--bijwerken", "--droog")
    assert "gewijzigd: 0 aanbieders en 0 diensten" in again.stdout, again.stdout
    if soort == "formule":
        bestand, kolom = doel
        uit = _export(stelsel, klein, tmp_path_factory.mktemp("uit"))
        waarde = rows(map_ / bestand)[0][kolom]
        geexporteerd = [x[kolom] for x in uit[bestand]]
        # the export guards a formula with one ', and the import takes exactly that one off
        assert csvformaat.vergrendel(csvformaat.ontgrendel(waarde)) in geexporteerd
