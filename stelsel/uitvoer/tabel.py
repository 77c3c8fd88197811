"""Tables as plain data, and their CSV, Excel (.xlsx) and HTML forms. Pure: values in, bytes out.

One `Tabel` carries the headers, the rows and a caption. Every chart in `svg.py` and map in
`kaart.py` has a function that returns its data as a `Tabel`, so the same table can be shown
next to the chart (`html`), downloaded (`csv_bytes`, `xlsx_bytes`) or put in a PDF (`pdf.py`).

Both downloads neutralise formula injection (OWASP "CSV injection"): a text cell that starts with
`= + - @`, a tab or a carriage return gets a leading `'` (the rule of `register/csvformaat.py`),
and in Excel every text cell is written as a string, never as a formula. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from html import escape

# A cell a spreadsheet would run as a formula. The same rule as stelsel/register/csvformaat.py
# (FORMULE): a `'` goes in front, also of a cell that already starts with `'`s before such a
# character, so an importer can take exactly one `'` off again and the round trip is lossless.
FORMULE = re.compile(r"^'*[=+\-@\t\r]")
BEVEILIGD = re.compile(r"^'+[=+\-@\t\r]")

CSV_MEDIATYPE = "text/csv; charset=utf-8"
XLSX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MEDIATYPE = "application/pdf"

Cel = str | int | float | bool | date | None
"""What a table cell may hold. `None` is an empty (or hidden) value."""


@dataclass(frozen=True)
class Tabel:
    """A table: column headers, rows of cells, a caption.

    `rijkop=True` marks the first column as the row header (`<th scope="row">` in HTML).
    `leeg` is the text shown for a `None` cell in HTML and PDF (CSV and Excel leave it empty).
    """

    kolommen: Sequence[str]
    rijen: Sequence[Sequence[Cel]]
    bijschrift: str = ""
    rijkop: bool = True
    leeg: str = "–"
    decimalen: Sequence[int | None] = field(default=())

    def __post_init__(self) -> None:
        for i, rij in enumerate(self.rijen):
            if len(rij) != len(self.kolommen):
                raise ValueError(
                    f"rij {i + 1} heeft {len(rij)} cellen, de tabel {len(self.kolommen)} kolommen"
                )

    def decimalen_van(self, kolom: int) -> int | None:
        """The number of decimals to show for a column, or None for 'as it comes'."""
        return self.decimalen[kolom] if kolom < len(self.decimalen) else None


def neutraliseer(waarde: str) -> str:
    """A text a spreadsheet would run as a formula, made inert with a leading `'`.

    >>> neutraliseer('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutraliseer("Groningen")
    'Groningen'
    """
    return "'" + waarde if FORMULE.match(waarde) else waarde


def getal(waarde: float, decimalen: int | None = None) -> str:
    """A number the Dutch way (`1.234,5`); by default an int without, a float with 1 decimal."""
    if decimalen is None:
        decimalen = 0 if isinstance(waarde, int) else 1
    tekst = f"{waarde:,.{decimalen}f}"
    return tekst.replace(",", "\x00").replace(".", ",").replace("\x00", ".").replace("-", "−")


def bestandsnaam(titel: str, extensie: str) -> str:
    """A safe download name from a title: `Tevredenheid per regio` -> `tevredenheid-per-regio.csv`.

    Only `a-z0-9-` remain (accents folded), so it can go in a Content-Disposition header as is.
    """
    plat = unicodedata.normalize("NFKD", titel).encode("ascii", "ignore").decode().lower()
    stam = re.sub(r"[^a-z0-9]+", "-", plat).strip("-")[:80].strip("-") or "tabel"
    return f"{stam}.{extensie.lstrip('.')}"


def tekst_van(cel: Cel, *, decimalen: int | None = None, leeg: str = "–") -> str:
    """A cell as display text (HTML, PDF): Dutch numbers, ja/nee, ISO dates."""
    if cel is None:
        return leeg
    if isinstance(cel, bool):
        return "ja" if cel else "nee"
    if isinstance(cel, int | float):
        return getal(cel, decimalen)
    if isinstance(cel, datetime | date):
        return cel.isoformat()
    return str(cel)


def _csv_cel(cel: Cel, decimalen: int | None = None) -> str:
    if cel is None:
        return ""
    if isinstance(cel, bool):
        return "ja" if cel else "nee"
    if isinstance(cel, int | float):
        # Machine-readable: a decimal point, no thousands separator, never neutralised; rounded
        # to the column's decimals when the table gives them (0.30000000000000004 -> 0.30).
        if isinstance(cel, float) and decimalen is not None:
            return f"{cel:.{decimalen}f}"
        return repr(cel) if isinstance(cel, float) else str(cel)
    if isinstance(cel, datetime | date):
        return cel.isoformat()
    return neutraliseer(str(cel))


def csv_tekst(tabel: Tabel) -> str:
    """The table as CSV text (RFC 4180, comma, `\\r\\n`), formula-like text neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutraliseer(k) for k in tabel.kolommen])
    writer.writerows(
        [_csv_cel(c, tabel.decimalen_van(k)) for k, c in enumerate(rij)] for rij in tabel.rijen
    )
    return buf.getvalue()


def csv_bytes(tabel: Tabel) -> bytes:
    """The table as a CSV file: UTF-8 with a byte-order mark, so Excel reads the accents right."""
    return b"\xef\xbb\xbf" + csv_tekst(tabel).encode("utf-8")


_BLADNAAM_VERBODEN = re.compile(r"[\[\]:*?/\\]")


@cache
def _onleesbaar() -> re.Pattern[str]:
    """The control characters openpyxl refuses in a worksheet (imported on first use, as all
    of openpyxl: every server process imports this module and most never write a workbook)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    return ILLEGAL_CHARACTERS_RE


def _bladnaam(naam: str, gebruikt: set[str]) -> str:
    basis = _BLADNAAM_VERBODEN.sub(" ", _onleesbaar().sub("", naam)).strip(" '")[:31]
    basis = basis or "Tabel"
    kandidaat, i = basis, 2
    while kandidaat.lower() in gebruikt:
        achtervoegsel = f" ({i})"
        kandidaat = basis[: 31 - len(achtervoegsel)] + achtervoegsel
        i += 1
    gebruikt.add(kandidaat.lower())
    return kandidaat


def _xlsx_tekst(waarde: str) -> str:
    # openpyxl refuses control characters a worksheet cannot hold; drop them.
    return neutraliseer(_onleesbaar().sub("", waarde))


def xlsx_bytes(*tabellen: Tabel, titel: str = "") -> bytes:
    """One or more tables as an Excel workbook, one sheet each.

    Bold, frozen header row; column widths from the content; numbers as numbers (with the
    table's decimals as number format); dates as dates; every text cell a string (never a
    formula), formula-like text with a leading `'`.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    if not tabellen:
        raise ValueError("geen tabel om te schrijven")
    wb = Workbook()
    wb.remove(wb.active)
    if titel:
        wb.properties.title = _onleesbaar().sub("", titel)
    wb.properties.language = "nl-NL"
    gebruikt: set[str] = set()
    vet = Font(bold=True)
    for nummer, tabel in enumerate(tabellen, start=1):
        ws = wb.create_sheet(_bladnaam(tabel.bijschrift or f"Tabel {nummer}", gebruikt))
        breedtes = [len(k) for k in tabel.kolommen]
        for kolom, kop in enumerate(tabel.kolommen, start=1):
            cel = ws.cell(row=1, column=kolom, value=_xlsx_tekst(str(kop)))
            cel.data_type = "s"
            cel.font = vet
        for r, rij in enumerate(tabel.rijen, start=2):
            for k, waarde in enumerate(rij, start=1):
                if waarde is None:
                    continue
                if isinstance(waarde, bool):
                    cel = ws.cell(row=r, column=k, value="ja" if waarde else "nee")
                    cel.data_type = "s"
                    breedte = 3
                elif isinstance(waarde, int | float):
                    cel = ws.cell(row=r, column=k, value=waarde)
                    dec = tabel.decimalen_van(k - 1)
                    if dec is not None:
                        cel.number_format = "0" if dec == 0 else "0." + "0" * dec
                    breedte = len(tekst_van(waarde, decimalen=dec))
                elif isinstance(waarde, datetime | date):
                    cel = ws.cell(row=r, column=k, value=waarde)
                    cel.number_format = (
                        "yyyy-mm-dd hh:mm" if isinstance(waarde, datetime) else ("yyyy-mm-dd")
                    )
                    breedte = 16 if isinstance(waarde, datetime) else 10
                else:
                    tekst = _xlsx_tekst(str(waarde))
                    cel = ws.cell(row=r, column=k, value=tekst)
                    cel.data_type = "s"  # a string, whatever it starts with
                    breedte = max((len(regel) for regel in tekst.splitlines()), default=0)
                breedtes[k - 1] = max(breedtes[k - 1], breedte)
        for k, breedte in enumerate(breedtes, start=1):
            ws.column_dimensions[get_column_letter(k)].width = min(max(breedte + 2, 8), 60)
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"  # the header row on every printed page too
        if tabel.bijschrift:
            ws.oddHeader.center.text = _xlsx_tekst(tabel.bijschrift).replace("&", "&&")
        if tabel.rijen:
            ws.auto_filter.ref = (
                f"A1:{get_column_letter(len(tabel.kolommen))}{len(tabel.rijen) + 1}"
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_TABEL = ' style="border-collapse:collapse;margin:.5rem 0"'
_BIJSCHRIFT = ' style="text-align:left;font-weight:600;padding:.25rem 0"'
_KOPCEL = ' style="text-align:left;padding:.25rem .5rem;border-bottom:2px solid #1a1a1a"'
_CEL = "padding:.25rem .5rem;border-bottom:1px solid #c5d0da"


def html(tabel: Tabel, *, klasse: str = "tabel", opmaak: bool = True) -> str:
    """The table as an accessible HTML `<table>`: `<caption>`, `<th scope="col">`, row headers.

    Numbers are right-aligned (class `getal`) and written the Dutch way. All text is escaped.
    `opmaak` adds a few `style` attributes (padding, lines, alignment; the site's CSP allows
    them), so the table reads well without any stylesheet; pass False to style it yourself.
    """
    delen = [f'<table class="{escape(klasse)}"{_TABEL if opmaak else ""}>']
    if tabel.bijschrift:
        delen.append(
            f"<caption{_BIJSCHRIFT if opmaak else ''}>{escape(tabel.bijschrift)}</caption>"
        )
    delen.append("<thead><tr>")
    kopstijl = _KOPCEL if opmaak else ""
    delen.extend(f'<th scope="col"{kopstijl}>{escape(k)}</th>' for k in tabel.kolommen)
    delen.append("</tr></thead><tbody>")
    for rij in tabel.rijen:
        delen.append("<tr>")
        for k, cel in enumerate(rij):
            tekst = escape(tekst_van(cel, decimalen=tabel.decimalen_van(k), leeg=tabel.leeg))
            getalcel = isinstance(cel, int | float) and not isinstance(cel, bool)
            rijkop = k == 0 and tabel.rijkop
            attr = ' class="getal"' if getalcel else ""
            if opmaak:
                uitlijning = "right" if getalcel else "left"
                gewicht = ";font-weight:600" if rijkop else ""
                attr += f' style="{_CEL};text-align:{uitlijning}{gewicht}"'
            if rijkop:
                delen.append(f'<th scope="row"{attr}>{tekst}</th>')
            else:
                delen.append(f"<td{attr}>{tekst}</td>")
        delen.append("</tr>")
    delen.append("</tbody></table>")
    return "".join(delen)
