"""A small PDF report builder on fpdf2: title page, headings, text, key figures, tables, charts.

    r = Rapport("Staat van de dienstverlening", "Arbeidsmarktregio Groningen, 2026-Q3")
    r.kop("Kerncijfers")
    r.kerncijfers([Kerncijfer("Tevredenheid", "6,4", "95%-interval 6,1–6,7; n = 412")])
    r.svg(svg.staafdiagram(...), bijschrift="Tevredenheid per regio")
    r.tabel(tabel)
    pdf_bytes = r.bytes()

The document carries its title, subject, author and language (nl-NL) as metadata, shows its
title in the viewer, has bookmarks for its headings, page numbers ("pagina 2 van 5") and alt
text on every chart (the chart's `<title>` and `<desc>`). Tables repeat their header row on
each page they run onto.

Font: Liberation Sans from Debian's `fonts-liberation` (which Chromium pulls in) when it is
there, else DejaVu Sans (`fonts-dejavu-core`), both Unicode TTFs, embedded as subsets; else the
PDF core font Helvetica, for which text is folded to Latin-1 (Dutch accents stay; dashes and
quotes become ASCII, `€` becomes `EUR`, rarer characters lose their accent or become `?`). No
installed pip package ships a text font.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF, FontFace
from fpdf.enums import (
    Align,
    MethodReturnValue,
    TableBordersLayout,
    TableCellFillMode,
    XPos,
    YPos,
)
from fpdf.prefs import ViewerPreferences
from fpdf.svg import SVGObject

from stelsel.uitvoer.htmlrapport import Kerncijfer
from stelsel.uitvoer.svg import LETTERTYPE
from stelsel.uitvoer.tabel import Tabel, tekst_van

# Liberation Sans first: 670 characters (all of Latin-1 and Latin Extended-A, dashes, quotes,
# €, −, ≤), loaded and subset in about 0.1 s; DejaVu Sans has 5,900 but takes 0.4-0.8 s.
LETTERTYPEN: tuple[tuple[Path, Path], ...] = (
    (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ),
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
)
MERK = (0, 75, 135)  # #004b87, the site's brand blue
ZACHT = (243, 246, 249)
RAND = (197, 208, 218)
TEKST = (26, 26, 26)
MM_PER_EENHEID = 0.28

# What Windows-1252 lacks but Dutch text uses, folded for the core font.
_VERVANG = str.maketrans(
    {
        "−": "-",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "…": "...",
        "•": "-",
        "€": "EUR",
        "ĳ": "ij",
        "Ĳ": "IJ",
        "≤": "<=",
        "≥": ">=",
    }
)
_TITEL = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)
# fpdf2 cannot draw <title>/<desc> (it logs a warning for each); they become the alt text instead
_TITELS_EN_DESC = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.S)


# Control and invisible format characters (zero-width, bidi overrides) a PDF line cannot show.
_ONZICHTBAAR = {"Cc", "Cf", "Cs", "Co", "Cn"}


def _vouw(tekst: str, kan: Callable[[str], bool] | None = None) -> str:
    """Text a font can draw: control characters dropped, the rest kept when `kan(char)`, else
    its accent dropped, else `?`. Without `kan`, the core font's Latin-1."""
    if kan is None:
        kan = _latin1
        tekst = tekst.translate(_VERVANG)
    uit = []
    for teken in tekst:
        if teken in "\n\t":
            uit.append(teken)
        elif unicodedata.category(teken) in _ONZICHTBAAR:
            continue
        elif kan(teken):
            uit.append(teken)
        else:
            basis = "".join(
                c for c in unicodedata.normalize("NFKD", teken) if not unicodedata.combining(c)
            )
            uit.append(basis if basis and all(kan(c) for c in basis) else "?")
    return "".join(uit)


def _latin1(teken: str) -> bool:
    return ord(teken) < 256


def _kan_met(tekens: frozenset[int]) -> Callable[[str], bool]:
    return lambda teken: ord(teken) in tekens


@lru_cache(maxsize=8)
def _tekens_van(lettertype: str) -> frozenset[int]:
    """The characters a TTF has a glyph for (its cmap; read lazily, so quick)."""
    with TTFont(lettertype, lazy=True) as f:
        return frozenset(f.getBestCmap())


def _xml_tekst(fragment: str) -> str:
    from html import unescape

    return unescape(fragment).strip()


class _Pdf(FPDF):
    voettekst = ""

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        # left-aligned, not justified: justified text gets uneven gaps that are harder to read
        kwargs.setdefault("align", Align.L)
        return super().multi_cell(*args, **kwargs)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-14)
        self.set_font(size=9)
        self.set_text_color(*TEKST)
        self.cell(0, 8, self.voettekst, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 8, f"pagina {self.page_no()} van {{nb}}", align=Align.R)


class Rapport:
    """A PDF report in A4 portrait, built top to bottom; `bytes()` gives the file."""

    def __init__(
        self,
        titel: str,
        ondertitel: str = "",
        *,
        auteur: str = "stelsel",
        onderwerp: str = "",
        datum: datetime | None = None,
        regels: Sequence[str] = (),
        lettertype: tuple[Path, Path] | None = None,
        comprimeer: bool = True,
    ) -> None:
        """Start a report with its title page: title, subtitle, date and any extra lines."""
        self.titel = titel
        pdf = _Pdf(orientation="portrait", unit="mm", format="A4")
        self._pdf = pdf
        self._familie = self._kies_lettertype(lettertype)
        pdf.set_compression(comprimeer)
        pdf.set_lang("nl-NL")
        pdf.set_title(self._t(titel))
        pdf.set_subject(self._t(onderwerp or ondertitel))
        pdf.set_author(self._t(auteur))
        pdf.set_creator("stelsel")
        datum = datum or datetime.now(UTC)
        pdf.set_creation_date(datum)
        pdf.set_display_mode("fullwidth")
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.set_margins(20, 20, 20)
        pdf.set_auto_page_break(True, margin=20)
        pdf.voettekst = self._t(titel)
        pdf.add_page()
        pdf.set_text_color(*TEKST)
        pdf.set_y(70)
        pdf.set_draw_color(*MERK)
        pdf.set_line_width(1.5)
        pdf.line(pdf.l_margin, 62, pdf.l_margin + 40, 62)
        pdf.set_font(self._familie, "B", 26)
        pdf.set_text_color(*MERK)
        pdf.multi_cell(0, 12, self._t(titel), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*TEKST)
        if ondertitel:
            pdf.ln(3)
            pdf.set_font(self._familie, "", 15)
            pdf.multi_cell(0, 8, self._t(ondertitel), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(8)
        pdf.set_font(self._familie, "", 11)
        for regel in (f"Gemaakt op {datum:%d-%m-%Y}", *regels):
            pdf.multi_cell(0, 6, self._t(regel), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._begonnen = False
        self._wachtende_kop: tuple[str, int] | None = None

    # ---------------------------------------------------------------- internals

    def _kies_lettertype(self, lettertype: tuple[Path, Path] | None) -> str:
        kandidaten = [lettertype] if lettertype is not None else list(LETTERTYPEN)
        for gewoon, vet in kandidaten:
            if gewoon.is_file() and vet.is_file():
                self._pdf.add_font("rapport", "", str(gewoon))
                self._pdf.add_font("rapport", "B", str(vet))
                self._unicode = True
                self._kan: Callable[[str], bool] = _kan_met(
                    _tekens_van(str(gewoon)) & _tekens_van(str(vet))
                )
                return "rapport"
        self._unicode = False
        self._kan = _latin1
        return "helvetica"

    @property
    def unicode(self) -> bool:
        """Whether the report embeds a Unicode font (else text is folded to Latin-1)."""
        return self._unicode

    def _t(self, tekst: str) -> str:
        return _vouw(tekst, self._kan if self._unicode else None)

    def _inhoud(self) -> FPDF:
        """The PDF, on a content page (the first call after the title page starts one)."""
        if not self._begonnen:
            self._pdf.add_page()
            self._begonnen = True
        return self._pdf

    def _ruimte(self, hoogte: float) -> None:
        """Room for a block of this height: a new page if it does not fit, then any heading
        waiting for it, so a heading always stands on the page of what follows it."""
        pdf = self._inhoud()
        kop = self._wachtende_kop
        extra = 0.0
        if kop is not None:
            extra = (6 if pdf.get_y() > pdf.t_margin + 1 else 0) + (10 if kop[1] <= 1 else 9)
        if pdf.get_y() + extra + hoogte > pdf.h - pdf.b_margin and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
        if kop is not None:
            self._wachtende_kop = None
            self._teken_kop(*kop)

    def kop(self, tekst: str, niveau: int = 1) -> None:
        """A heading (level 1 or 2), also a bookmark; drawn with the block after it, so it never
        ends up alone at the foot of a page."""
        if self._wachtende_kop is not None:
            self._ruimte(0)
        self._wachtende_kop = (tekst, niveau)

    def _teken_kop(self, tekst: str, niveau: int) -> None:
        pdf = self._inhoud()
        if pdf.get_y() > pdf.t_margin + 1:
            pdf.ln(4 if niveau > 1 else 6)
        pdf.start_section(self._t(tekst), level=max(0, niveau - 1))
        pdf.set_font(self._familie, "B", 17 if niveau <= 1 else 13)
        pdf.set_text_color(*(MERK if niveau <= 1 else TEKST))
        pdf.multi_cell(
            0, 8 if niveau <= 1 else 7, self._t(tekst), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(*TEKST)
        pdf.ln(1)

    def _tekst_hoogte(self, tekst: str, breedte: float = 0, regel: float = 5.5) -> float:
        regels = self._pdf.multi_cell(
            breedte, regel, self._t(tekst), dry_run=True, output=MethodReturnValue.LINES
        )
        return len(regels) * regel if isinstance(regels, list) else regel

    def alinea(self, tekst: str) -> None:
        """A paragraph of running text."""
        pdf = self._inhoud()
        pdf.set_font(self._familie, "", 11)
        self._ruimte(min(self._tekst_hoogte(tekst), 3 * 5.5))  # at least 3 lines with a heading
        pdf.set_font(self._familie, "", 11)
        pdf.multi_cell(0, 5.5, self._t(tekst), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)

    def opsomming(self, punten: Sequence[str]) -> None:
        """A bulleted list."""
        pdf = self._inhoud()
        pdf.set_font(self._familie, "", 11)
        self._ruimte(min(sum(self._tekst_hoogte(p, pdf.epw - 6) for p in punten), 3 * 5.5))
        pdf.set_font(self._familie, "", 11)
        for punt in punten:
            pdf.set_x(pdf.l_margin)
            pdf.cell(6, 5.5, self._t("•"))
            pdf.multi_cell(0, 5.5, self._t(punt), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)

    def kerncijfers(self, cijfers: Sequence[Kerncijfer], per_rij: int = 3) -> None:
        """Key figures as boxes, `per_rij` side by side: label, large value, context line."""
        pdf = self._inhoud()
        tussen = 4.0
        breedte = (pdf.epw - tussen * (per_rij - 1)) / per_rij
        binnen = breedte - 6
        for start in range(0, len(cijfers), per_rij):
            rij = cijfers[start : start + per_rij]
            # the boxes of a row are as high as the longest label and context line need
            pdf.set_font(self._familie, "", 9.5)
            label_h = max(self._tekst_hoogte(c.label, binnen, 4.5) for c in rij)
            pdf.set_font(self._familie, "", 8.5)
            toel_h = max(
                (self._tekst_hoogte(c.toelichting, binnen, 4) for c in rij if c.toelichting),
                default=0.0,
            )
            waarde_y = 3 + label_h + 1.5
            toel_y = waarde_y + 10
            hoogte = toel_y + toel_h + 3
            self._ruimte(hoogte + 4)
            y = pdf.get_y()
            for i, cijfer in enumerate(rij):
                x = pdf.l_margin + i * (breedte + tussen)
                pdf.set_fill_color(*ZACHT)
                pdf.set_draw_color(*RAND)
                pdf.set_line_width(0.3)
                pdf.rect(x, y, breedte, hoogte, style="DF")
                pdf.set_fill_color(*MERK)
                pdf.rect(x, y, 1.5, hoogte, style="F")
                pdf.set_xy(x + 4, y + 3)
                pdf.set_font(self._familie, "", 9.5)
                pdf.multi_cell(binnen, 4.5, self._t(cijfer.label))
                pdf.set_xy(x + 4, y + waarde_y)
                pdf.set_font(self._familie, "B", 18)
                pdf.set_text_color(*MERK)
                pdf.cell(binnen, 9, self._t(cijfer.waarde))
                pdf.set_text_color(*TEKST)
                if cijfer.toelichting:
                    pdf.set_xy(x + 4, y + toel_y)
                    pdf.set_font(self._familie, "", 8.5)
                    pdf.multi_cell(binnen, 4, self._t(cijfer.toelichting))
            pdf.set_xy(pdf.l_margin, y + hoogte + 4)

    def tabel(self, tabel: Tabel, *, breedtes: Sequence[float] | None = None) -> None:
        """A table with its caption above it; the header row repeats on every page it spans.

        Numbers are right-aligned and written the Dutch way; column widths follow the content
        unless `breedtes` (relative widths) is given.
        """
        pdf = self._inhoud()
        self._ruimte(35)  # the caption, the header and a few rows together
        if tabel.bijschrift:
            pdf.set_font(self._familie, "B", 10.5)
            pdf.multi_cell(0, 5.5, self._t(tabel.bijschrift), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        teksten = [
            [
                self._t(tekst_van(c, decimalen=tabel.decimalen_van(k), leeg=tabel.leeg))
                for k, c in enumerate(rij)
            ]
            for rij in tabel.rijen
        ]
        koppen = [self._t(k) for k in tabel.kolommen]
        grootte = 9.5
        kolommen: Sequence[float] = breedtes or ()
        if breedtes is None:
            # a wide table gets smaller text (down to 7 pt) before words are broken
            for grootte in (9.5, 8.5, 7.5, 7.0):
                kolommen, past = self._kolombreedtes(koppen, teksten, grootte)
                if past:
                    break
        getal = [
            bool(tabel.rijen)
            and all(
                isinstance(r[k], int | float) and not isinstance(r[k], bool)
                for r in tabel.rijen
                if r[k] is not None
            )
            and any(r[k] is not None for r in tabel.rijen)
            for k in range(len(koppen))
        ]
        pdf.set_font(self._familie, "", grootte)
        # a row must fit on one page (fpdf2 refuses it otherwise): a very long cell is cut
        # with "…"; the CSV and Excel downloads keep the full text
        max_regels = int((pdf.h - pdf.t_margin - pdf.b_margin - 40) / 5.5)
        for tekstrij in teksten:
            for nr, inhoud in enumerate(tekstrij):
                if len(inhoud) > 200:
                    tekstrij[nr] = self._kort_in(inhoud, kolommen[nr] - 3, max_regels)
        pdf.set_fill_color(*ZACHT)  # fpdf2 fills the banded rows with the current fill colour
        pdf.set_draw_color(*RAND)
        pdf.set_line_width(0.2)
        with pdf.table(
            col_widths=tuple(kolommen),
            text_align=tuple("RIGHT" if g else "LEFT" for g in getal),
            headings_style=FontFace(
                emphasis="BOLD", color=(255, 255, 255), fill_color=MERK, size_pt=grootte
            ),
            cell_fill_color=ZACHT,
            cell_fill_mode=TableCellFillMode.ROWS,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=5.5,
            padding=(1, 1.5),
            repeat_headings=1,
            width=pdf.epw,
        ) as t:
            kop = t.row()
            for k in koppen:
                kop.cell(k)
            for r in teksten:
                rij = t.row()
                for c in r:
                    rij.cell(c)
        pdf.ln(4)

    def _kort_in(self, tekst: str, breedte: float, max_regels: int) -> str:
        """The text cut (at a word, with "…") so that it takes at most `max_regels` lines."""
        regels = self._tekst_hoogte(tekst, breedte, 1.0)
        if regels <= max_regels:
            return tekst
        ellips = self._t("…")  # "..." in the core font
        lengte = int(len(tekst) * max_regels / regels * 0.95)
        while lengte > 0:
            kort = tekst[:lengte].rsplit(" ", 1)[0].rstrip() + " " + ellips
            if self._tekst_hoogte(kort, breedte, 1.0) <= max_regels:
                return kort
            lengte = int(lengte * 0.9)
        return ellips

    def _kolombreedtes(
        self, koppen: list[str], teksten: list[list[str]], grootte: float
    ) -> tuple[list[float], bool]:
        """Column widths in mm: no header word and no short word broken, long text wraps.

        The flag says whether that fits at this text size."""
        pdf = self._pdf
        rand = 3.5  # the cell padding, both sides, and a little air

        def woorden(tekst: str) -> list[str]:
            return tekst.split() or [""]

        pdf.set_font(self._familie, "B", grootte)
        minimum = [max(pdf.get_string_width(w) for w in woorden(k)) + rand for k in koppen]
        pdf.set_font(self._familie, "", grootte)
        gewenst = []
        for k in range(len(koppen)):
            kolom = [r[k] for r in teksten]
            langste_woord = max(
                (pdf.get_string_width(w) for t in kolom for w in woorden(t)), default=0
            )
            minimum[k] = max(minimum[k], min(langste_woord + rand, 40.0))
            volledig = max((pdf.get_string_width(t) for t in kolom), default=0) + rand
            gewenst.append(max(minimum[k], min(volledig, 80.0)))
        ruimte = pdf.epw
        if sum(minimum) >= ruimte:  # too many columns: shrink all alike
            return [m * ruimte / sum(minimum) for m in minimum], False
        if sum(gewenst) <= ruimte:  # room to spare: widen in proportion
            return [g * ruimte / sum(gewenst) for g in gewenst], True
        # shrink only what may wrap, in proportion to how much it wants beyond its minimum
        buigzaam = sum(g - m for g, m in zip(gewenst, minimum, strict=True))
        over = ruimte - sum(minimum)
        return [m + (g - m) * over / buigzaam for g, m in zip(gewenst, minimum, strict=True)], True

    def svg(
        self,
        svg: str,
        *,
        bijschrift: str = "",
        breedte: float | None = None,
        tabel: Tabel | None = None,
    ) -> None:
        """A chart or map from svg.py / kaart.py, with an optional caption; alt text from its title.

        `breedte` is the width in mm (default: 0.28 mm per viewBox unit, so the chart text is
        12 pt and a 360-wide chart 100 mm; never wider than the text). With `tabel`, the
        chart's data table follows it.
        """
        pdf = self._inhoud()
        inhoud = _TITELS_EN_DESC.sub("", svg)
        inhoud = inhoud.replace(f'font-family="{LETTERTYPE}"', f'font-family="{self._familie}"', 1)
        inhoud = self._t(inhoud)
        object_ = SVGObject(inhoud)
        if object_.viewbox is None:
            raise ValueError("svg: de afbeelding heeft geen viewBox")
        _, _, vb_b, vb_h = object_.viewbox
        # by default 0.28 mm per viewBox unit: the charts' 15-unit text comes out at 12 pt
        b = min(breedte or vb_b * MM_PER_EENHEID, pdf.epw)
        h = b * vb_h / vb_b
        beschikbaar = pdf.h - pdf.b_margin - pdf.t_margin - 12
        if h > beschikbaar:  # a tall map: shrink to one page
            b, h = b * beschikbaar / h, beschikbaar
        self._ruimte(h + (10 if bijschrift else 2))
        if bijschrift:
            pdf.set_font(self._familie, "B", 10.5)
            pdf.multi_cell(0, 5.5, self._t(bijschrift), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        titel = _TITEL.search(svg)
        desc = _DESC.search(svg)
        alt = ". ".join(
            _xml_tekst(m.group(1)) for m in (titel, desc) if m is not None and m.group(1).strip()
        )
        x = pdf.l_margin
        pdf.image(io.BytesIO(inhoud.encode("utf-8")), x=x, w=b, h=h, alt_text=self._t(alt) or None)
        pdf.set_y(pdf.get_y() + 3)
        if tabel is not None:
            self.tabel(tabel)

    def pagina(self) -> None:
        """Start a new page."""
        self._ruimte(0)
        self._inhoud().add_page()

    def bytes(self) -> bytes:
        """The finished PDF file."""
        if self._wachtende_kop is not None:  # a heading with nothing after it
            self._ruimte(0)
        return bytes(self._pdf.output())
