"""`stelsel export csv` and `stelsel import csv` (both backends)."""

import csv
import re
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
BUNDLED = Path(__file__).resolve().parents[2] / "data" / "register"
KLEIN = DATA / "register-klein"
FILES = ("aanbieders.csv", "diensten.csv")


def rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def test_bundled_register_round_trip_is_lossless(databases, stelsel, register_counts, tmp_path):
    bron = databases.engine(with_register=True).url.render_as_string(hide_password=False)
    r = stelsel(bron, "export", "csv", "--uit", str(tmp_path / "een"))
    assert r.exit_code == 0, r.output
    leeg = databases.url()  # no schema, no geography
    r = stelsel(leeg, "import", "csv", str(tmp_path / "een"))
    assert r.exit_code == 0, r.output
    a, d = rows(BUNDLED / "aanbieders.csv"), rows(BUNDLED / "diensten.csv")
    assert f"{a} aanbieders en {d} diensten geïmporteerd" in r.output
    assert register_counts(leeg) == (a, d)
    r = stelsel(leeg, "export", "csv", "--uit", str(tmp_path / "twee"))
    assert r.exit_code == 0, r.output
    for name in FILES:
        een = (tmp_path / "een" / name).read_bytes()
        assert een == (tmp_path / "twee" / name).read_bytes(), name
        # the bundled files are themselves in canonical export form
        assert een == (BUNDLED / name).read_bytes(), name


def test_small_register_round_trip_and_nothing_else_is_loaded(
    databases, stelsel, register_counts, tmp_path
):
    """Quotes, commas, newlines, accents, area lists and dates survive import and export."""
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(KLEIN))
    assert r.exit_code == 0, r.output
    assert r.output == "2 aanbieders en 3 diensten geïmporteerd\n"  # no progress bar noise
    assert register_counts(leeg) == (2, 3)  # not the bundled register
    r = stelsel(leeg, "export", "csv", "--uit", str(tmp_path / "uit"))
    assert r.exit_code == 0, r.output
    for name in FILES:
        assert (tmp_path / "uit" / name).read_bytes() == (KLEIN / name).read_bytes(), name


def test_invalid_import_reports_every_problem_and_writes_nothing(
    databases, stelsel, register_counts
):
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(DATA / "register-fouten"))
    assert r.exit_code == 1
    assert r.stdout == ""  # problems go to stderr
    out = r.stderr
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
        "aanbieders.csv:5: naam: 'Goede Aanbieder' staat ook op regel 2",
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
        "diensten.csv:5: id: 'd1' staat ook op regel 2",
    ]
    for line in expected:
        assert line in out, line
    problem_lines = [ln for ln in out.splitlines() if ln.startswith(FILES)]
    assert len(problem_lines) == len(expected)  # nothing else, each reported once
    assert "Niets geïmporteerd: 21 probleem/problemen." in out
    assert register_counts(leeg) == (0, 0)


def test_missing_column_is_reported_and_nothing_written(
    databases, stelsel, register_counts, tmp_path
):
    kapot = tmp_path / "kapot"
    shutil.copytree(KLEIN, kapot)
    text = (kapot / "diensten.csv").read_text(encoding="utf-8")
    (kapot / "diensten.csv").write_text(text.replace(",trefwoorden,", ",woorden,", 1), "utf-8")
    leeg = databases.url()
    r = stelsel(leeg, "import", "csv", str(kapot))
    assert r.exit_code == 1
    assert "diensten.csv:1: trefwoorden: kolom ontbreekt" in r.output
    assert "diensten.csv:1: woorden: onbekende kolom" in r.output
    assert register_counts(leeg) == (0, 0)


def test_existing_ids_refuse_the_whole_import(databases, stelsel, register_counts, tmp_path):
    leeg = databases.url()
    assert stelsel(leeg, "import", "csv", str(KLEIN)).exit_code == 0
    # one new aanbieder and one that exists already: neither is written
    deels = tmp_path / "deels"
    deels.mkdir()
    lines = (KLEIN / "aanbieders.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    nieuw = "nieuw,Nieuwe aanbieder,,publiek,landelijk,ja,nee,,,,Nieuw.,test,2026-11-23,,,,\n"
    (deels / "aanbieders.csv").write_text(lines[0] + nieuw + lines[-1], encoding="utf-8")
    header = (KLEIN / "diensten.csv").read_text(encoding="utf-8").splitlines(keepends=True)[0]
    (deels / "diensten.csv").write_text(header, encoding="utf-8")
    r = stelsel(leeg, "import", "csv", str(deels))
    assert r.exit_code == 1
    assert "aanbieders.csv:3: id: 'zzp-netwerk' bestaat al" in r.output
    assert "'nieuw'" not in r.output
    assert register_counts(leeg) == (2, 3)


def test_import_of_a_missing_folder_fails_cleanly(databases, stelsel, tmp_path):
    r = stelsel(databases.url(), "import", "csv", str(tmp_path / "bestaat-niet"))
    assert r.exit_code == 1
    assert "geen map" in r.output


def test_line_numbers_count_physical_lines(tmp_path):
    import pytest

    from stelsel.register import csvformaat

    verplicht = [
        k
        for k in csvformaat.AANBIEDER_KOLOMMEN
        if k not in csvformaat.OPTIONELE_KOLOMMEN[csvformaat.AANBIEDERS_CSV]
    ]
    (tmp_path / "aanbieders.csv").write_text(
        ",".join(verplicht) + "\n"  # the optional columns may be left out
        'a,Een,,publiek,landelijk,ja,nee,,,,"Twee\nregels",bron,2026-11-23\n'
        "b,Twee,,geheim,landelijk,ja,nee,,,,Tekst,bron,2026-11-23\n",
        encoding="utf-8",
    )
    (tmp_path / "diensten.csv").write_text(
        ",".join(csvformaat.DIENST_KOLOMMEN) + "\n", encoding="utf-8"
    )
    with pytest.raises(csvformaat.ImportFout) as e:
        csvformaat.read_dir(tmp_path, {})
    assert [str(p) for p in e.value.problemen] == [
        "aanbieders.csv:4: soort: 'geheim' is onbekend; kies uit publiek, semipubliek, non-profit, "
        "vertegenwoordiging, privaat"
    ]


FORMULES = ["=1+1", "+31 58 123", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''+x", "'gewoon", "a=b"]


def test_formula_guard_is_exactly_undone_by_the_import():
    from stelsel.register import csvformaat

    for value in FORMULES:
        cel = csvformaat.vergrendel(value)
        assert not re.match(r"[=+\-@\t\r]", cel), value  # a spreadsheet sees text
        assert csvformaat.ontgrendel(cel) == value, value
    assert csvformaat.vergrendel("gewoon") == "gewoon"
    assert csvformaat.vergrendel("=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_export_neutralises_formulas_and_the_round_trip_stays_lossless(
    databases, stelsel, tmp_path
):
    bron = tmp_path / "bron"
    shutil.copytree(KLEIN, bron)
    hyperlink = '=HYPERLINK("https://example.org/x","klik")'
    tekst = (bron / "aanbieders.csv").read_text(encoding="utf-8")
    tekst = tekst.replace(",OHF,", f',"{hyperlink.replace(chr(34), 2 * chr(34))}",')
    tekst = tekst.replace("058 123 45 67", "+31 58 123 45 67")
    (bron / "aanbieders.csv").write_text(tekst, encoding="utf-8")
    tekst = (bron / "diensten.csv").read_text(encoding="utf-8")
    (bron / "diensten.csv").write_text(tekst.replace(",cursus,", ",-korting;@home,"), "utf-8")

    een, twee = databases.url(), databases.url()
    assert stelsel(een, "import", "csv", str(bron)).exit_code == 0
    assert stelsel(een, "export", "csv", "--uit", str(tmp_path / "een")).exit_code == 0
    cellen = [
        c
        for name in FILES
        for row in csv.reader(open(tmp_path / "een" / name, encoding="utf-8", newline=""))
        for c in row
    ]
    assert "'" + hyperlink in cellen and "'+31 58 123 45 67" in cellen
    assert "'-korting;@home" in cellen
    assert not [c for c in cellen if re.match(r"[=+\-@\t\r]", c)]

    r = stelsel(twee, "import", "csv", str(tmp_path / "een"))
    assert r.exit_code == 0, r.output
    assert stelsel(twee, "export", "csv", "--uit", str(tmp_path / "twee")).exit_code == 0
    for name in FILES:
        assert (tmp_path / "een" / name).read_bytes() == (tmp_path / "twee" / name).read_bytes()
    # the database holds the values themselves, without the guard
    from sqlalchemy import select

    from stelsel.db import make_engine, session_scope
    from stelsel.register.models import Aanbieder

    engine = make_engine(twee)
    with session_scope(engine) as s:
        assert hyperlink in set(s.scalars(select(Aanbieder.korte_naam)))
    engine.dispose()
    # HSDS is JSON: strings there are data, not formulas, so it stays unguarded
    assert stelsel(twee, "export", "hsds", "--uit", str(tmp_path / "hsds")).exit_code == 0
    organisaties = (tmp_path / "hsds" / "organizations.json").read_text(encoding="utf-8")
    assert '"+31 58 123 45 67"' in organisaties or "+31 58 123 45 67" in organisaties
