"""CSV and Excel exports: formula injection neutralised, numbers kept numeric, BOM for Excel."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from stelsel.register import csvformaat
from stelsel.uitvoer.tabel import (
    Tabel,
    bestandsnaam,
    csv_bytes,
    getal,
    html,
    neutraliseer,
    xlsx_bytes,
)

GEVAARLIJK = [
    '=HYPERLINK("http://evil.example","klik")',
    "+31 6",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'=al",
]


def tabel() -> Tabel:
    return Tabel(
        kolommen=["Naam", "Aantal", "Aandeel", "Datum", "Actief"],
        rijen=[
            *[[t, 1, 0.5, date(2026, 1, 2), True] for t in GEVAARLIJK],
            ["Groningen", -3, -0.25, None, False],
        ],
        bijschrift="Test: aanbod [regio]",
        decimalen=[None, 0, 2],
    )


def test_the_rule_is_the_registers_rule():
    for t in [*GEVAARLIJK, "Groningen", "", "'", "a=b", "''+x"]:
        assert neutraliseer(t) == csvformaat.vergrendel(t)
        assert csvformaat.ontgrendel(neutraliseer(t)) == t


def test_csv_has_a_bom_commas_and_neutralised_text():
    data = csv_bytes(tabel())
    assert data.startswith(b"\xef\xbb\xbf")
    rijen = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rijen[0] == ["Naam", "Aantal", "Aandeel", "Datum", "Actief"]
    for rij, origineel in zip(rijen[1:], GEVAARLIJK, strict=False):
        assert rij[0] == "'" + origineel
        assert rij[1:] == ["1", "0.50", "2026-01-02", "ja"]  # column 3 has 2 decimals
    # numbers are not text: a negative number stays a plain number
    assert rijen[-1] == ["Groningen", "-3", "-0.25", "", "nee"]
    zonder = Tabel(["x"], [[0.1 + 0.2]])
    assert csv_bytes(zonder).decode("utf-8-sig").splitlines()[1] == "0.30000000000000004"


def test_xlsx_never_holds_a_formula_and_keeps_numbers_numeric():
    wb = load_workbook(io.BytesIO(xlsx_bytes(tabel(), titel="Aanbod")))
    ws = wb.worksheets[0]
    assert ws.title == "Test  aanbod  regio"  # characters Excel forbids in a sheet name
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.oddHeader.center.text == "Test: aanbod [regio]"
    assert ws["A1"].font.b
    for row in ws.iter_rows():
        for cel in row:
            assert cel.data_type != "f", cel.coordinate
    assert ws["A2"].value == '\'=HYPERLINK("http://evil.example","klik")'
    assert ws["A2"].data_type == "s"
    assert ws["A5"].value == "'@SUM(A1)"
    assert ws["B9"].value == -3 and ws["B9"].data_type == "n"
    assert ws["C9"].value == -0.25 and ws["C9"].number_format == "0.00"
    assert ws["D2"].is_date
    assert ws["D9"].value is None
    assert ws.column_dimensions["A"].width > 10
    assert wb.properties.title == "Aanbod"


def test_xlsx_with_several_tables_gets_unique_sheet_names():
    t = Tabel(["a"], [[1]], bijschrift="Zelfde")
    wb = load_workbook(io.BytesIO(xlsx_bytes(t, t)))
    assert wb.sheetnames == ["Zelfde", "Zelfde (2)"]


def test_xlsx_drops_characters_a_sheet_cannot_hold():
    wb = load_workbook(io.BytesIO(xlsx_bytes(Tabel(["a"], [["x\x00\x07y"]]))))
    assert wb.worksheets[0]["A2"].value == "xy"


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="rij 1"):
        Tabel(["a", "b"], [["x"]])


def test_dutch_numbers():
    assert getal(1234.5) == "1.234,5"
    assert getal(6.123, 2) == "6,12"
    assert getal(-4) == "−4"
    assert getal(1000000) == "1.000.000"


def test_html_escapes_and_marks_up_headers():
    h = html(Tabel(["<b>"], [["<script>"]], bijschrift="a & b"), opmaak=False)
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert "<caption>a &amp; b</caption>" in h


def test_bestandsnaam_is_safe_for_a_header():
    assert bestandsnaam("Tevredenheid per regio", "csv") == "tevredenheid-per-regio.csv"
    assert bestandsnaam('Súdwest-Fryslân "2026"\r\n; x', ".xlsx") == "sudwest-fryslan-2026-x.xlsx"
    assert bestandsnaam("😀", "pdf") == "tabel.pdf"


@settings(max_examples=25, deadline=None)
@given(
    cellen=st.lists(
        st.one_of(
            st.text(max_size=20),
            st.sampled_from(["=1+1", "+1", "-1", "@x", "\t=x", "\r=x", "'=x", '=HYPERLINK("a")']),
            st.integers(min_value=-(10**9), max_value=10**9),
            st.floats(allow_nan=False, allow_infinity=False, width=32),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_no_text_ever_becomes_a_formula_and_the_csv_round_trips(cellen):
    t = Tabel([f"k{i}" for i in range(len(cellen))], [cellen])
    # CSV: every text cell that a spreadsheet would run is guarded; one ' off gives it back
    gelezen = list(csv.reader(io.StringIO(csv_bytes(t).decode("utf-8-sig"), newline="")))[1]
    for cel, tekst in zip(cellen, gelezen, strict=True):
        if isinstance(cel, str):
            assert tekst[:1] not in ("=", "+", "-", "@", "\t", "\r")  # nothing a sheet would run
            assert csvformaat.ontgrendel(tekst) == cel
        else:
            assert float(tekst) == float(cel)
    # Excel: no formula cell, numbers numeric
    ws = load_workbook(io.BytesIO(xlsx_bytes(t))).worksheets[0]
    for cel, xl in zip(cellen, ws[2], strict=False):
        assert xl.data_type != "f"
        if not isinstance(cel, str):
            assert xl.data_type == "n" and xl.value == pytest.approx(cel)
