"""The PDF report: a real PDF, the expected pages, the title text and metadata, charts embedded."""

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stelsel.uitvoer import kaart, svg
from stelsel.uitvoer.pdf import LETTERTYPEN, Kerncijfer, Rapport
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


@pytest.mark.skipif(
    not any(all(p.is_file() for p in paar) for paar in LETTERTYPEN),
    reason="neither fonts-dejavu-core nor fonts-liberation is installed",
)
def test_pdf_has_title_page_and_content():
    data = rapport().bytes()
    assert data.startswith(b"%PDF-")
    assert paginas(data) == 2
    assert b"/Lang (nl-NL)" in data
    assert b"/Title (Staat van de dienstverlening)" in data
    assert b"/Title (Kerncijfers)" in data  # the heading is a bookmark
    assert b"/DisplayDocTitle true" in data
    # alt text from <title> and <desc>
    assert b"/Alt (Tevredenheid. Staafdiagram met 1 staaf. Hoogste: Groningen, 6,4.)" in data
    assert b"/Alt (Kaart. Kaart van 2 regio's. Hoogste: GM0014, 3,0. 1 zonder gegevens.)" in data
    assert b"/FontFile2" in data  # the Unicode TTF is embedded


def test_long_table_repeats_its_header_on_every_page_it_spans():
    r = rapport(lettertype=GEEN_LETTERTYPE)  # core font: the text is plain in the stream
    rijen = [[f"Gemeente {i}", i] for i in range(150)]
    r.tabel(Tabel(["Gemeente", "Waarde"], rijen, bijschrift="Lang"))
    data = r.bytes()
    streams = re.findall(rb"stream\n(.*?)endstream", data, re.S)
    met_rijen = [s for s in streams if b"(Gemeente " in s]
    assert len(met_rijen) >= 3  # 150 rows do not fit on two pages
    assert all(s.count(b"(Gemeente) Tj") == 1 for s in met_rijen)
    assert paginas(data) == 2 + len(met_rijen) - 1  # the table starts on page 2
    assert all(f"(Gemeente {i})".encode() in data for i in range(150))


def test_core_font_fallback_folds_text_and_keeps_the_title_searchable():
    r = rapport(lettertype=GEEN_LETTERTYPE)
    assert not r.unicode
    data = r.bytes()
    assert data.startswith(b"%PDF-")
    # uncompressed core-font text is plain in the content stream
    assert b"(Staat van de dienstverlening)" in data
    assert "Súdwest-Fryslân".encode("latin-1") in data
    assert b"(pagina 2 van ) Tj (2) Tj" in data  # fpdf2 writes the page total as its own run


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tekst=st.text(max_size=30))
def test_arbitrary_text_never_breaks_the_report(tekst):
    r = Rapport(tekst, tekst, lettertype=GEEN_LETTERTYPE, comprimeer=False)
    r.kop(tekst)
    r.alinea(tekst)
    r.tabel(Tabel([tekst or "x"], [[tekst]], bijschrift=tekst))
    r.svg(svg.staafdiagram([Staaf(tekst, 1.0)], titel=tekst))
    assert r.bytes().startswith(b"%PDF-")


def test_characters_the_font_lacks_are_replaced_not_logged(caplog):
    r = Rapport(
        "Titel 😀 中 ĳ é", lettertype=LETTERTYPEN[0] if LETTERTYPEN[0][0].is_file() else None
    )
    r.alinea("emoji 😀, Chinees 中, nul \x00, zero width \u200b, Fryslân")
    with caplog.at_level(logging.WARNING):
        r.bytes()
    assert not [m for m in caplog.messages if "missing" in m]
    if r.unicode:
        assert r._t("Fryslân ĳ 😀\x00\u200b") == "Fryslân ĳ ?"
    else:
        assert r._t("Fryslân ĳ 😀\x00\u200b") == "Fryslân ij ?"


def test_a_heading_stands_on_the_page_of_what_follows_it():
    r = Rapport("Titel", lettertype=GEEN_LETTERTYPE, comprimeer=False)
    for i in range(9):
        r.alinea(f"Alinea {i}. " + "Tekst die de pagina vult. " * 25)
    r.kop("Kop boven de kaart")
    r.svg(kaart.kaart({}, titel="Kaart"), bijschrift="Kaart 1")
    r.kop("Kop zonder iets erna")
    data = r.bytes()
    streams = [s for s in re.findall(rb"stream\n(.*?)endstream", data, re.S) if b" Tj" in s]
    met_kop = [s for s in streams if b"(Kop boven de kaart)" in s]
    assert len(met_kop) == 1 and b"(Kaart 1)" in met_kop[0]
    assert b"(Kop zonder iets erna)" in data  # a last heading is still drawn


def test_column_widths_never_break_a_header_word_and_fill_the_width():
    r = Rapport("t", lettertype=GEEN_LETTERTYPE)
    koppen = ["Dienst", "Aanbieder", "Score", "Waarom"]
    teksten = [["Financieringsspreekuur voor starters", "Kamer van Koophandel", "0,83", "x " * 60]]
    breedtes, past = r._kolombreedtes(koppen, teksten, 9.5)
    assert past and sum(breedtes) == pytest.approx(r._pdf.epw)
    r._pdf.set_font("helvetica", "B", 9.5)
    for kop, b in zip(koppen, breedtes, strict=True):
        assert b >= r._pdf.get_string_width(kop) + 3
    # eight wide headers do not fit at 9.5 pt; at 7 pt they do
    breed = [["Werkgeversservicepunt"] * 8]
    assert not r._kolombreedtes(["Werkgeversservicepunt"] * 8, breed, 9.5)[1]


def test_every_chart_and_map_embeds_without_an_unsupported_svg_feature(caplog):
    staven = [Staaf("a", 1.0, (0.5, 1.5)), Staaf("b", None)]
    reeksen = [svg.Reeks("r", [1.0, None, 2.0], [(0.5, 1.5), None, (1.5, 2.5)])]
    figuren = [
        svg.staafdiagram(staven, titel="s", referentie=svg.Referentie(1.2, "ref")),
        svg.lijndiagram(["a", "b", "c"], reeksen, titel="l", referentie=svg.Referentie(1, "ref")),
        svg.heatmap(
            ["r"],
            [f"kolom {i}" for i in range(9)],
            [[0, 1, None, *range(6)]],
            titel="h",
            markeer=lambda r, k, v: v > 4,
        ),
        kaart.kaart(
            {"PV20": 1.0},
            titel="k",
            indeling={"GM0014": "PV20", "GM0037": "PV20"},
            alleen={"GM0014", "GM0037", "GM0047"},
            waarden_tonen=True,
        ),
    ]
    r = Rapport("t", lettertype=GEEN_LETTERTYPE)
    with caplog.at_level(logging.WARNING):
        for f in figuren:
            r.svg(f)
        r.bytes()
    assert [m for m in caplog.messages if "SVG" in m or "svg" in m] == []


def test_a_cell_too_long_for_a_page_is_cut_not_an_error():
    r = Rapport("t", lettertype=GEEN_LETTERTYPE, comprimeer=False)
    r.tabel(Tabel(["Wie", "Opmerking"], [["a", "woord " * 1500], ["b", "x" * 5000], ["c", "kort"]]))
    data = r.bytes()
    assert data.startswith(b"%PDF-") and b"(kort)" in data
    assert data.count(b" ...) Tj") == 2  # both long cells cut, ending in a (folded) ellipsis
