"""`stelsel export excel`: the CSV export's columns and cells in two sheets, formula-like values
neutralised as in the CSV export (never a formula)."""

import csv
import re
import shutil
from pathlib import Path

from openpyxl import load_workbook

from stelsel.register import csvformaat

KLEIN = Path(__file__).resolve().parents[1] / "data" / "register-klein"
HYPERLINK = '=HYPERLINK("http://x","y")'


def test_excel_and_csv_exports_neutralise_formulas(databases, stelsel, tmp_path):
    bron = tmp_path / "bron"
    shutil.copytree(KLEIN, bron)
    tekst = (bron / "aanbieders.csv").read_text(encoding="utf-8")
    tekst = tekst.replace(",OHF,", f',"{HYPERLINK.replace(chr(34), 2 * chr(34))}",')
    (bron / "aanbieders.csv").write_text(tekst, encoding="utf-8")
    tekst = (bron / "diensten.csv").read_text(encoding="utf-8")
    (bron / "diensten.csv").write_text(tekst.replace(",cursus,", ",@cursus;'=x,"), "utf-8")
    url = databases.url()
    assert stelsel(url, "import", "csv", str(bron)).exit_code == 0
    r = stelsel(url, "export", "excel", "--uit", str(tmp_path / "uit" / "register.xlsx"))
    assert r.exit_code == 0, r.output
    assert "2 aanbieders en 3 diensten" in r.output
    assert stelsel(url, "export", "csv", "--uit", str(tmp_path / "csv")).exit_code == 0

    boek = load_workbook(tmp_path / "uit" / "register.xlsx")
    assert boek.sheetnames == ["aanbieders", "diensten"]
    for blad, bestand in (("aanbieders", "aanbieders.csv"), ("diensten", "diensten.csv")):
        rijen = [
            ["" if c.value is None else c.value for c in rij] for rij in boek[blad].iter_rows()
        ]
        cellen = [c for rij in boek[blad].iter_rows() for c in rij if c.value is not None]
        assert all(c.data_type == "s" for c in cellen), blad  # text, never a formula
        assert not [c.value for c in cellen if re.match(r"[=+\-@\t\r]", c.value)]
        # the same columns and cells as the CSV export, guard included
        with open(tmp_path / "csv" / bestand, encoding="utf-8", newline="") as f:
            assert rijen == list(csv.reader(f)), blad
    kort = [c.value for c in boek["aanbieders"]["C"]]
    assert kort[0] == "korte_naam" and "'" + HYPERLINK in kort
    trefwoorden = [c.value for c in boek["diensten"][1]].index("trefwoorden")
    waarden = [r[trefwoorden].value for r in boek["diensten"].iter_rows(min_row=2)]
    assert "'@cursus;'=x" in waarden
    # the guard is the CSV format's: taken off again, the value is the register's
    assert csvformaat.ontgrendel("'" + HYPERLINK) == HYPERLINK
