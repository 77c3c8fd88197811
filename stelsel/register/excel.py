"""The register as an Excel workbook (`stelsel export excel`): sheets aanbieders and diensten,
with the columns and cells of the CSV export (docs/register-csv.md).

Written by stelsel/uitvoer/tabel.py, which neutralises formula injection as the CSV export
does: every cell is a string, and one a spreadsheet would run as a formula (starting with
= + - @, a tab or CR) gets a leading `'`.
"""

import csv
import io
from pathlib import Path

from stelsel.register import csvformaat
from stelsel.register.csvformaat import Register
from stelsel.uitvoer.tabel import Tabel, xlsx_bytes

BLADEN = {"aanbieders": csvformaat.AANBIEDERS_CSV, "diensten": csvformaat.DIENSTEN_CSV}


def tabellen(register: Register) -> list[Tabel]:
    """One table per CSV file, the cells as the CSV export has them (before its guard)."""
    teksten = csvformaat.register_tekst(register)
    result = []
    for blad, bestand in BLADEN.items():
        kop, *rijen = csv.reader(io.StringIO(teksten[bestand], newline=""))
        # the CSV text is guarded already; take that off, xlsx_bytes guards each cell once
        rijen = [[csvformaat.ontgrendel(c) for c in rij] for rij in rijen]
        result.append(Tabel(kolommen=kop, rijen=rijen, bijschrift=blad, rijkop=False))
    return result


def write(pad: Path, register: Register) -> None:
    """Write the register as one .xlsx file with a sheet per CSV file."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    pad.write_bytes(xlsx_bytes(*tabellen(register), titel="Dienstenregister"))
