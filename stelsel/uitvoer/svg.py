"""Accessible SVG charts rendered on the server: bars, lines, heatmaps. Pure: values in, str out.

Every chart:
- is an `<svg role="img">` labelled by its `<title>` and `<desc>` (`aria-labelledby`);
- scales with its container (`viewBox`, `width="100%"`); its text is 15 units high in a viewBox
  about 360 wide, so it stays at least 12 px on a 320 px screen (288 px of content);
- carries every value as text next to the mark, so colour is never the only carrier, and uses
  colours with at least 3:1 contrast against white for the marks (WCAG 1.4.11);
- escapes all text and drops characters XML cannot hold;
- stays within what fpdf2 can draw (paths, rects, lines, text, groups, transforms, dash arrays,
  fill-opacity), so `pdf.Rapport.svg` embeds the same SVG in a PDF.

For each chart there is a `*_tabel` function that returns its data as a `tabel.Tabel`, to be shown
next to the chart (`tabel.html`) or downloaded.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from stelsel.uitvoer.tabel import Cel, Tabel, getal

# The one font family in the SVGs; pdf.py swaps it for the font it embeds.
LETTERTYPE = "sans-serif"
LETTER = 15  # text size in viewBox units
BREEDTE = 360  # default viewBox width
TEKEN = 0.62  # average glyph width as a share of the text size, for layout estimates
LABELRUIMTE = 8.0  # the least room between two axis labels

TEKST = "#1a1a1a"
AS = "#595959"  # axes and ticks: 7:1 on white
RASTER = "#d0d0d0"  # gridlines are decoration, not information
MERK = "#004b87"  # the site's brand blue: 9:1 on white
BALK = "#1f6fb2"  # bars: 5.3:1 on white, and black whiskers stay 3.9:1 against it
REFERENTIE = "#a4005b"  # the reference (baseline) line: 7:1 on white
# Series colours, each at least 3:1 on white; each series also has its own dash and marker.
REEKSKLEUREN = ("#004b87", "#b3470c", "#2a6e1f", "#7b2d8e", "#595959")
STREPEN = ("", "7 4", "2 3", "10 3 2 3", "4 4")
MARKERS = ("cirkel", "vierkant", "driehoek", "ruit", "kruis")
# Sequential scale for heatmaps and maps, light to dark blue.
SCHAAL_LICHT = (0xE3, 0xEE, 0xF8)
SCHAAL_DONKER = (0x0B, 0x30, 0x5C)
GEEN_GEGEVENS = "#f0f0f0"

_ONGELDIG_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# --------------------------------------------------------------------------- plain data types


@dataclass(frozen=True)
class Staaf:
    """One bar: a label, a value (None = not shown, e.g. a group too small) and an interval."""

    label: str
    waarde: float | None
    interval: tuple[float, float] | None = None
    notitie: str = ""  # shown instead of the value when waarde is None, e.g. "te weinig reacties"


@dataclass(frozen=True)
class Referentie:
    """A reference value drawn as a dashed line, e.g. `Referentie(6.1, "Nulmeting 2021")`."""

    waarde: float
    label: str


@dataclass(frozen=True)
class Reeks:
    """One line: a name and one value per period (None = a gap), optional intervals per period."""

    naam: str
    waarden: Sequence[float | None]
    intervallen: Sequence[tuple[float, float] | None] | None = None


# --------------------------------------------------------------------------- text helpers


def tekst(waarde: object) -> str:
    """Text made safe for XML content: control characters dropped, `<&>` escaped."""
    return escape(_ONGELDIG_XML.sub("", str(waarde)))


def attribuut(waarde: object) -> str:
    """Text made safe as a quoted XML attribute value, quotes included."""
    return quoteattr(_ONGELDIG_XML.sub("", str(waarde)))


def breedte_van(regel: str, grootte: float = LETTER) -> float:
    """An estimate of the width of a line of text, for layout."""
    return len(regel) * grootte * TEKEN


def afbreken(regel: str, breedte: float, grootte: float = LETTER, max_regels: int = 3) -> list[str]:
    """A label broken into lines that fit `breedte`; the last line ends in `…` if cut short."""
    per_regel = max(4, int(breedte / (grootte * TEKEN) + 1e-6))
    woorden = " ".join(_ONGELDIG_XML.sub("", regel).split()).split(" ")
    regels: list[str] = []
    huidig = ""
    for woord in woorden:
        while len(woord) > per_regel:  # a word longer than a line is cut
            if huidig:
                regels.append(huidig)
                huidig = ""
            regels.append(woord[:per_regel])
            woord = woord[per_regel:]
        kandidaat = f"{huidig} {woord}".strip()
        if len(kandidaat) <= per_regel:
            huidig = kandidaat
        else:
            regels.append(huidig)
            huidig = woord
    if huidig or not regels:
        regels.append(huidig)
    if len(regels) > max_regels:
        regels = regels[:max_regels]
        regels[-1] = regels[-1][: per_regel - 1].rstrip() + "…"
    return regels


def interval_tekst(interval: tuple[float, float], fmt: Callable[[float], str]) -> str:
    """An interval as text: `6,1–6,7`, or `−12 tot 4` when a dash would read as a minus."""
    lo, hi = interval
    scheiding = "–" if lo >= 0 and hi >= 0 else " tot "
    return f"{fmt(lo)}{scheiding}{fmt(hi)}"


def figuur(svg: str, tabel: Tabel, *, bijschrift: str, tabel_open: bool = False) -> str:
    """A chart and its data table as one HTML `<figure>`, the table in a `<details>` below it.

    The `<figcaption>` is the visible caption; the table stays in the page for assistive
    technology and keyboard users (a `<details>` is reachable and opens with Enter). Pass
    `tabel_open=True` to show it open. Escaped: mark the result safe in the template.
    """
    from stelsel.uitvoer.tabel import html

    open_attr = " open" if tabel_open else ""
    # a wide chart scrolls inside its own box, reachable by keyboard, not the whole page
    return (
        f'<figure class="grafiek-figuur" style="margin:1rem 0">'
        f"<figcaption>{tekst(bijschrift)}</figcaption>"
        f'<div class="grafiek-schuif" style="overflow-x:auto" tabindex="0" role="group" '
        f"aria-label={attribuut(bijschrift)}>{svg}</div>"
        f"<details{open_attr}><summary>Toon de cijfers als tabel</summary>{html(tabel)}"
        "</details></figure>"
    )


def _controleer(getallen: Sequence[float | None], veld: str) -> None:
    """Refuse NaN and infinity, which no chart can place, naming where they are."""
    for v in getallen:
        if v is not None and not math.isfinite(v):
            raise ValueError(f"{veld}: {v} is geen eindig getal")


def _met(beschrijving: str, samenvatting: str) -> str:
    """The caller's description followed by a summary of the data, for the `<desc>`."""
    return f"{beschrijving.rstrip()} {samenvatting}".strip() if beschrijving else samenvatting


def _over_staven(
    staven: Sequence[Staaf], fmt: Callable[[float], str], referentie: Referentie | None
) -> str:
    met = [s for s in staven if s.waarde is not None]
    delen = [f"Staafdiagram met {len(staven)} {'staaf' if len(staven) == 1 else 'staven'}."]
    if met:
        hoog = max(met, key=lambda s: s.waarde or 0.0)
        laag = min(met, key=lambda s: s.waarde or 0.0)
        delen.append(f"Hoogste: {hoog.label}, {fmt(hoog.waarde or 0.0)}.")
        if laag is not hoog:
            delen.append(f"Laagste: {laag.label}, {fmt(laag.waarde or 0.0)}.")
    if len(met) < len(staven):
        delen.append(f"{len(staven) - len(met)} zonder waarde.")
    if referentie is not None:
        boven = sum(1 for s in met if (s.waarde or 0.0) > referentie.waarde)
        delen.append(f"{boven} van {len(met)} boven {referentie.label} ({fmt(referentie.waarde)}).")
    return " ".join(delen)


def _over_reeksen(
    perioden: Sequence[str], reeksen: Sequence[Reeks], fmt: Callable[[float], str]
) -> str:
    delen = [f"Lijndiagram over {len(perioden)} perioden, {perioden[0]} tot {perioden[-1]}."]
    for r in reeksen:
        bekend = [(p, v) for p, v in zip(perioden, r.waarden, strict=True) if v is not None]
        if not bekend:
            delen.append(f"{r.naam}: geen waarden.")
        elif len(bekend) == 1:
            delen.append(f"{r.naam}: {fmt(bekend[0][1])} in {bekend[0][0]}.")
        else:
            (p0, v0), (p1, v1) = bekend[0], bekend[-1]
            delen.append(f"{r.naam}: van {fmt(v0)} in {p0} naar {fmt(v1)} in {p1}.")
    return " ".join(delen)


def _over_matrix(
    rijen: Sequence[str],
    kolommen: Sequence[str],
    waarden: Sequence[Sequence[float | None]],
    fmt: Callable[[float], str],
    witte_vlek: Callable[[float], bool] | None,
) -> str:
    cellen = [
        (r, k, v)
        for r, rij in zip(rijen, waarden, strict=True)
        for k, v in zip(kolommen, rij, strict=True)
    ]
    bekend = [(r, k, v) for r, k, v in cellen if v is not None]
    delen = [f"Tabel van {len(rijen)} rijen en {len(kolommen)} kolommen."]
    if bekend:
        r, k, v = max(bekend, key=lambda c: c[2])
        delen.append(f"Hoogste: {r}, {k}: {fmt(v)}.")
    if witte_vlek is not None:
        wit = sum(1 for _, _, v in bekend if witte_vlek(v))
        delen.append(f"{wit} witte {'vlek' if wit == 1 else 'vlekken'}.")
    if len(bekend) < len(cellen):
        delen.append(f"{len(cellen) - len(bekend)} zonder gegevens.")
    return " ".join(delen)


def _id(soort: str, *delen: object) -> str:
    return soort + "-" + hashlib.sha1(repr(delen).encode()).hexdigest()[:10]


def _kop(
    soort: str, breedte: float, hoogte: float, titel: str, beschrijving: str, uid: str | None
) -> list[str]:
    # an id safe in any attribute (a caller may build it from a region code or name)
    uid = (
        re.sub(r"[^A-Za-z0-9_-]", "-", uid)
        if uid
        else _id(soort, titel, beschrijving, breedte, hoogte)
    )
    # wider than usual (a heatmap with many columns): never shrink text below 12 px; the
    # container scrolls sideways instead (`figuur` gives one)
    minimum = f' style="min-width:{round(breedte * 12 / LETTER)}px"' if breedte > BREEDTE else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="grafiek {soort}" '
        f'viewBox="0 0 {_n(breedte)} {_n(hoogte)}" width="100%"{minimum} '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{tekst(titel)}</title>',
        f'<desc id="{uid}-d">{tekst(beschrijving)}</desc>',
        f'<g font-family="{LETTERTYPE}" font-size="{LETTER}" fill="{TEKST}">',
    ]


_STAART = ["</g>", "</svg>"]


def _n(x: float) -> str:
    """A coordinate, short: at most one decimal."""
    r = round(float(x), 1)
    return str(int(r)) if r.is_integer() else str(r)


def _tekstregel(
    x: float, y: float, inhoud: str, *, anker: str = "start", extra: str = "", vet: bool = False
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}"'
    if anker != "start":
        attrs += f' text-anchor="{anker}"'
    if vet:
        attrs += ' font-weight="bold"'
    if extra:
        attrs += " " + extra
    return f"<text {attrs}>{tekst(inhoud)}</text>"


def _formaat(decimalen: int, eenheid: str) -> Callable[[float], str]:
    def f(v: float) -> str:
        return getal(v, decimalen) + eenheid

    return f


def _mooie_stappen(lo: float, hi: float, aantal: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    ruw = (hi - lo) / max(1, aantal - 1)
    macht = 10 ** math.floor(math.log10(ruw))
    stap = next(m * macht for m in (1, 2, 2.5, 5, 10) if m * macht >= ruw)
    begin = math.floor(lo / stap) * stap
    ticks = []
    t = begin
    while t <= hi + stap * 1e-9:
        ticks.append(round(t, 10))
        t += stap
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + stap, 10))
    return ticks


def _bereik(
    waarden: Sequence[float], schaal: tuple[float, float] | None, vanaf_nul: bool
) -> tuple[float, float, list[float]]:
    if schaal is not None:
        lo, hi = schaal
        if hi <= lo:
            raise ValueError("schaal: de bovengrens moet groter zijn dan de ondergrens")
        marge = (hi - lo) * 1e-9
        return lo, hi, [t for t in _mooie_stappen(lo, hi) if lo - marge <= t <= hi + marge]
    lo = min(waarden, default=0.0)
    hi = max(waarden, default=1.0)
    if vanaf_nul:
        lo, hi = min(0.0, lo), max(0.0, hi)
    if hi == lo:
        hi = lo + 1
    ticks = _mooie_stappen(lo, hi)
    return ticks[0], ticks[-1], ticks


# --------------------------------------------------------------------------- staafdiagram


def staafdiagram(
    staven: Sequence[Staaf],
    *,
    titel: str,
    beschrijving: str = "",
    referentie: Referentie | None = None,
    schaal: tuple[float, float] | None = None,
    decimalen: int = 1,
    eenheid: str = "",
    breedte: float = BREEDTE,
    uid: str | None = None,
) -> str:
    """Horizontal bars with their values as text, optional interval whiskers and a reference line.

    Each bar has its label above it and its value (and interval) at the right of that label
    line, so the bar itself adds the picture but no information the text lacks. A bar without a
    value shows its `notitie` (or "geen gegevens") instead. `schaal` fixes the axis, e.g.
    `(0, 10)` for a mark; otherwise it runs from 0 to a round number above the largest value.
    """
    fmt = _formaat(decimalen, eenheid)
    for s in staven:
        _controleer([s.waarde, *(s.interval or ())], f"staaf {s.label!r}")
    getallen = [s.waarde for s in staven if s.waarde is not None]
    getallen += [g for s in staven if s.interval for g in s.interval]
    if referentie is not None:
        getallen.append(referentie.waarde)
    lo, hi, ticks = _bereik(getallen, schaal, vanaf_nul=True)
    marge = 8.0
    links, rechts = marge, breedte - marge
    regel = LETTER * 1.3

    def x(v: float) -> float:
        v = min(max(v, lo), hi)
        return links + (v - lo) / (hi - lo) * (rechts - links)

    delen: list[str] = []
    y = marge
    if referentie is not None:
        y += LETTER
        delen.append(
            f'<line class="referentie-legenda" x1="{_n(links)}" x2="{_n(links + 24)}" '
            f'y1="{_n(y - 5)}" y2="{_n(y - 5)}" stroke="{REFERENTIE}" stroke-width="2.5" '
            'stroke-dasharray="6 3"/>'
        )
        delen.append(_tekstregel(links + 30, y, f"{referentie.label}: {fmt(referentie.waarde)}"))
        y += regel * 0.6
    boven = y
    for staaf in staven:
        if staaf.waarde is None:
            waardetekst = staaf.notitie or "geen gegevens"
        else:
            waardetekst = fmt(staaf.waarde)
            if staaf.interval is not None:
                waardetekst += f" ({interval_tekst(staaf.interval, fmt)})"
        ruimte = rechts - links - breedte_van(waardetekst) - LETTER
        regels = afbreken(staaf.label, ruimte)
        delen.append('<g class="staaf">')
        for i, r in enumerate(regels):
            y += regel if i else LETTER + 4
            delen.append(_tekstregel(links, y, r))
            if i == 0:
                delen.append(
                    _tekstregel(
                        rechts,
                        y,
                        waardetekst,
                        anker="end",
                        vet=staaf.waarde is not None,
                        extra='class="waarde"',
                    )
                )
        y += 5
        hoogte = 14.0
        if staaf.waarde is not None:
            x0, x1 = x(max(lo, 0.0) if lo <= 0 <= hi else lo), x(staaf.waarde)
            delen.append(
                f'<rect x="{_n(min(x0, x1))}" y="{_n(y)}" width="{_n(max(abs(x1 - x0), 1.5))}" '
                f'height="{_n(hoogte)}" fill="{BALK}"/>'
            )
            if staaf.interval is not None:
                a, b = x(staaf.interval[0]), x(staaf.interval[1])
                m = y + hoogte / 2
                delen.append(
                    f'<path class="interval" d="M{_n(a)} {_n(m)}H{_n(b)}M{_n(a)} {_n(y - 3)}'
                    f'V{_n(y + hoogte + 3)}M{_n(b)} {_n(y - 3)}V{_n(y + hoogte + 3)}" '
                    'stroke="#000000" stroke-width="2" fill="none"/>'
                )
        else:
            delen.append(
                f'<rect class="geen-gegevens" x="{_n(links)}" y="{_n(y)}" '
                f'width="{_n(rechts - links)}" height="{_n(hoogte)}" fill="none" '
                f'stroke="{AS}" stroke-width="1" stroke-dasharray="3 3"/>'
            )
        delen.append("</g>")
        y += hoogte + 6
    onder = y + 2
    # axis with ticks, below the bars; gridlines behind (inserted first)
    raster = [
        '<path class="raster" d="'
        + "".join(f"M{_n(x(t))} {_n(boven)}V{_n(onder)}" for t in ticks)
        + f'" stroke="{RASTER}" stroke-width="1" fill="none"/>'
    ]
    as_delen = [
        f'<path class="as" d="M{_n(links)} {_n(onder)}H{_n(rechts)}'
        + "".join(f"M{_n(x(t))} {_n(onder)}v5" for t in ticks)
        + f'" stroke="{AS}" stroke-width="1" fill="none"/>'
    ]
    y = onder + 5 + LETTER + 2
    for i, t in enumerate(ticks):
        anker = "start" if i == 0 else ("end" if i == len(ticks) - 1 else "middle")
        as_delen.append(_tekstregel(x(t), y, fmt(t), anker=anker, extra=f'fill="{AS}"'))
    if referentie is not None:
        rx = x(referentie.waarde)
        as_delen.append(
            f'<line class="referentie" x1="{_n(rx)}" x2="{_n(rx)}" y1="{_n(boven)}" '
            f'y2="{_n(onder)}" stroke="{REFERENTIE}" stroke-width="2.5" stroke-dasharray="6 3"/>'
        )
    hoogte_svg = y + marge
    return "".join(
        _kop(
            "staafdiagram",
            breedte,
            hoogte_svg,
            titel,
            _met(beschrijving, _over_staven(staven, fmt, referentie)),
            uid,
        )
        + raster
        + delen
        + as_delen
        + _STAART
    )


def staafdiagram_tabel(
    staven: Sequence[Staaf], *, titel: str, label: str = "", waarde: str = "Waarde"
) -> Tabel:
    """The data of a bar chart as a table: label, value, and interval bounds when there are any."""
    met_interval = any(s.interval for s in staven)
    kolommen = [label or "Groep", waarde]
    if met_interval:
        kolommen += ["Ondergrens", "Bovengrens"]
    rijen: list[list[Cel]] = []
    for s in staven:
        rij: list[Cel] = [s.label, s.waarde if s.waarde is not None else (s.notitie or None)]
        if met_interval:
            rij += [s.interval[0], s.interval[1]] if s.interval else [None, None]
        rijen.append(rij)
    return Tabel(kolommen=kolommen, rijen=rijen, bijschrift=titel)


# --------------------------------------------------------------------------- lijndiagram


def _marker(soort: str, cx: float, cy: float, kleur: str) -> str:
    r = 4.5
    if soort == "cirkel":
        d = (
            f"M{_n(cx - r)} {_n(cy)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0"
            f"a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"
        )
    elif soort == "vierkant":
        d = f"M{_n(cx - r)} {_n(cy - r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}Z"
    elif soort == "driehoek":
        d = f"M{_n(cx)} {_n(cy - r - 1)}L{_n(cx + r + 1)} {_n(cy + r)}H{_n(cx - r - 1)}Z"
    elif soort == "ruit":
        d = (
            f"M{_n(cx)} {_n(cy - r - 1)}L{_n(cx + r + 1)} {_n(cy)}L{_n(cx)} {_n(cy + r + 1)}"
            f"L{_n(cx - r - 1)} {_n(cy)}Z"
        )
    else:  # kruis
        d = (
            f"M{_n(cx - r)} {_n(cy - r)}L{_n(cx + r)} {_n(cy + r)}"
            f"M{_n(cx - r)} {_n(cy + r)}L{_n(cx + r)} {_n(cy - r)}"
        )
        return f'<path d="{d}" stroke="{kleur}" stroke-width="2.5" fill="none"/>'
    return f'<path d="{d}" fill="{kleur}"/>'


def lijndiagram(
    perioden: Sequence[str],
    reeksen: Sequence[Reeks],
    *,
    titel: str,
    beschrijving: str = "",
    referentie: Referentie | None = None,
    schaal: tuple[float, float] | None = None,
    decimalen: int = 1,
    eenheid: str = "",
    gat: str = "geen waarde: te weinig reacties",
    breedte: float = BREEDTE,
    uid: str | None = None,
) -> str:
    """Lines over periods, one per series, with gaps where a value is None.

    When there is a gap, a legend line says why (`gat`, e.g. "geen waarde: te weinig
    reacties"), so a break in a line is explained in words, not left to be guessed.

    Each series has its own colour, dash pattern and marker, named in a legend above the plot;
    the last value of each series is written next to its last point. An interval band is drawn
    behind a series that has `intervallen`; a `referentie` is a dashed horizontal line. Period
    labels are thinned out to fit; the data table (`lijndiagram_tabel`) has them all.
    """
    if not perioden:
        raise ValueError("perioden: er is geen enkele periode")
    for r in reeksen:
        if len(r.waarden) != len(perioden):
            raise ValueError(
                f"reeks {r.naam!r}: {len(r.waarden)} waarden voor {len(perioden)} perioden"
            )
        if r.intervallen is not None and len(r.intervallen) != len(perioden):
            raise ValueError(f"reeks {r.naam!r}: het aantal intervallen past niet bij de perioden")
    if len(reeksen) > len(REEKSKLEUREN):
        raise ValueError(f"reeksen: hooguit {len(REEKSKLEUREN)} lijnen in één grafiek")
    fmt = _formaat(decimalen, eenheid)
    for r in reeksen:
        _controleer(
            [*r.waarden, *(g for iv in (r.intervallen or []) if iv for g in iv)],
            f"reeks {r.naam!r}",
        )
    getallen = [v for r in reeksen for v in r.waarden if v is not None]
    getallen += [g for r in reeksen for iv in (r.intervallen or []) if iv for g in iv]
    if referentie is not None:
        getallen.append(referentie.waarde)
    lo, hi, ticks = _bereik(getallen, schaal, vanaf_nul=False)
    marge = 8.0
    regel = LETTER * 1.35

    delen: list[str] = []
    # legend: one line per series (and the reference), with the line sample and marker
    y = marge
    legenda = list(enumerate(reeksen))
    for i, r in legenda:
        y += regel
        kleur = REEKSKLEUREN[i]
        streep = f' stroke-dasharray="{STREPEN[i]}"' if STREPEN[i] else ""
        naam = afbreken(r.naam, breedte - marge * 2 - 36, max_regels=2)
        delen.append(
            f'<g class="legenda"><path d="M{_n(marge)} {_n(y - 5)}h28" stroke="{kleur}" '
            f'stroke-width="2.5" fill="none"{streep}/>'
            + _marker(MARKERS[i], marge + 14, y - 5, kleur)
            + "".join(_tekstregel(marge + 36, y + regel * k, deel) for k, deel in enumerate(naam))
            + "</g>"
        )
        y += regel * (len(naam) - 1)
    if referentie is not None:
        y += regel
        delen.append(
            f'<g class="legenda"><path d="M{_n(marge)} {_n(y - 5)}h28" stroke="{REFERENTIE}" '
            'stroke-width="2.5" stroke-dasharray="6 3" fill="none"/>'
            + _tekstregel(marge + 36, y, f"{referentie.label}: {fmt(referentie.waarde)}")
            + "</g>"
        )
    if gat and any(v is None for r in reeksen for v in r.waarden):
        for deel in afbreken(f"Onderbroken lijn: {gat}", breedte - 2 * marge):
            y += regel
            delen.append(_tekstregel(marge, y, deel, extra='class="legenda-gat"'))
    boven = y + regel
    tickbreedte = max(breedte_van(fmt(t)) for t in ticks)
    links = marge + tickbreedte + 6
    laatste_labels = [fmt(v) for r in reeksen for v in r.waarden[-1:] if v is not None]
    rechts = breedte - marge - (max(map(breedte_van, laatste_labels), default=0) + 8)
    plot_hoogte = 170.0
    onder = boven + plot_hoogte

    def x(i: int) -> float:
        if len(perioden) == 1:
            return (links + rechts) / 2
        return links + i * (rechts - links) / (len(perioden) - 1)

    def y_van(v: float) -> float:
        v = min(max(v, lo), hi)
        return onder - (v - lo) / (hi - lo) * plot_hoogte

    achter = [
        '<path class="raster" d="'
        + "".join(f"M{_n(links)} {_n(y_van(t))}H{_n(rechts)}" for t in ticks)
        + f'" stroke="{RASTER}" stroke-width="1" fill="none"/>'
    ]
    for t in ticks:
        achter.append(
            _tekstregel(links - 6, y_van(t) + 5, fmt(t), anker="end", extra=f'fill="{AS}"')
        )

    # period labels, thinned to fit: every `stap`-th counted back from the last (so the newest
    # period is always named and the labels stand evenly), `stap` the smallest at which no two
    # labels, as anchored, come closer than LABELRUIMTE
    def anker_van(i: int) -> str:
        if x(i) - breedte_van(perioden[i]) / 2 < marge:
            return "start"
        if x(i) + breedte_van(perioden[i]) / 2 > breedte - marge:
            return "end"
        return "middle"

    def omvang(i: int) -> tuple[float, float]:
        b = breedte_van(perioden[i])
        begin = {"start": x(i), "middle": x(i) - b / 2, "end": x(i) - b}[anker_van(i)]
        return begin, begin + b

    def passen(tonen: Sequence[int]) -> bool:
        return all(
            omvang(a)[1] + LABELRUIMTE <= omvang(b)[0]
            for a, b in zip(tonen, tonen[1:], strict=False)
        )

    stap = 1
    tonen = list(range(len(perioden)))
    while not passen(tonen):
        stap += 1
        tonen = list(range(len(perioden) - 1, -1, -stap))[::-1]
    achter.append(
        f'<path class="as" d="M{_n(links)} {_n(onder)}H{_n(rechts)}'
        + "".join(f"M{_n(x(i))} {_n(onder)}v5" for i in tonen)
        + f'" stroke="{AS}" stroke-width="1" fill="none"/>'
    )
    for i in tonen:
        achter.append(
            _tekstregel(
                x(i),
                onder + 5 + LETTER + 2,
                perioden[i],
                anker=anker_van(i),
                extra=f'fill="{AS}"',
            )
        )
    if referentie is not None:
        ry = y_van(referentie.waarde)
        achter.append(
            f'<line class="referentie" x1="{_n(links)}" x2="{_n(rechts)}" y1="{_n(ry)}" '
            f'y2="{_n(ry)}" stroke="{REFERENTIE}" stroke-width="2.5" stroke-dasharray="6 3"/>'
        )

    # the last value of each series next to its last point, pushed apart so none overlap
    eindlabels: dict[int, float] = {}
    for i, r in sorted(
        ((i, r) for i, r in enumerate(reeksen) if r.waarden[-1] is not None),
        key=lambda ir: -(ir[1].waarden[-1] or 0.0),
    ):
        doel = y_van(r.waarden[-1] or 0.0)
        if eindlabels:
            doel = max(doel, max(eindlabels.values()) + LETTER + 1)
        eindlabels[i] = doel
    for i, r in enumerate(reeksen):
        kleur = REEKSKLEUREN[i]
        reeks = ['<g class="reeks">', f"<title>{tekst(r.naam)}</title>"]
        if r.intervallen is not None:
            # one band per run of consecutive periods with an interval
            run: list[int] = []
            for j in [*range(len(perioden)), -1]:
                iv = r.intervallen[j] if j >= 0 else None
                if iv is not None:
                    run.append(j)
                    continue
                if run:
                    assert r.intervallen is not None
                    boven_lijn = [(x(k), y_van(r.intervallen[k][1])) for k in run]  # type: ignore[index]
                    onder_lijn = [(x(k), y_van(r.intervallen[k][0])) for k in reversed(run)]  # type: ignore[index]
                    punten = boven_lijn + onder_lijn
                    if len(run) == 1:
                        (bx, by), (ox, oy) = punten
                        d = f"M{_n(bx - 3)} {_n(by)}H{_n(bx + 3)}V{_n(oy)}H{_n(bx - 3)}Z"
                    else:
                        d = "M" + "L".join(f"{_n(px)} {_n(py)}" for px, py in punten) + "Z"
                    reeks.append(
                        f'<path class="interval" d="{d}" fill="{kleur}" fill-opacity="0.15" '
                        'stroke="none"/>'
                    )
                    run = []
        d = ""
        vorige = False
        for j, v in enumerate(r.waarden):
            if v is None:
                vorige = False
                continue
            d += ("L" if vorige else "M") + f"{_n(x(j))} {_n(y_van(v))}"
            vorige = True
        streep = f' stroke-dasharray="{STREPEN[i]}"' if STREPEN[i] else ""
        if d:
            reeks.append(
                f'<path class="lijn" d="{d}" stroke="{kleur}" stroke-width="2.5" fill="none"'
                f' stroke-linejoin="round"{streep}/>'
            )
        # a marker on every point while they fit; with many periods only where it matters:
        # a lone point between gaps (it has no line) and the last point
        alle_markers = len(perioden) <= 16
        for j, v in enumerate(r.waarden):
            if v is None:
                continue
            alleen = (j == 0 or r.waarden[j - 1] is None) and (
                j == len(perioden) - 1 or r.waarden[j + 1] is None
            )
            if alle_markers or alleen or j == len(perioden) - 1:
                reeks.append(_marker(MARKERS[i], x(j), y_van(v), kleur))
        laatste = r.waarden[-1]
        if laatste is not None:
            reeks.append(
                _tekstregel(
                    x(len(perioden) - 1) + 8,
                    eindlabels[i] + 5,
                    fmt(laatste),
                    extra=f'class="waarde" fill="{kleur}" font-weight="bold"',
                )
            )
        reeks.append("</g>")
        delen.extend(reeks)
    hoogte_svg = onder + 5 + LETTER + 2 + marge
    return "".join(
        _kop(
            "lijndiagram",
            breedte,
            hoogte_svg,
            titel,
            _met(beschrijving, _over_reeksen(perioden, reeksen, fmt)),
            uid,
        )
        + achter
        + delen
        + _STAART
    )


def lijndiagram_tabel(
    perioden: Sequence[str],
    reeksen: Sequence[Reeks],
    *,
    titel: str,
    periode: str = "Periode",
    leeg: str = "–",
) -> Tabel:
    """The data of a line chart as a table: one row per period, one column per series.

    A series with intervals gets two extra columns (lower and upper bound). A None value is
    empty in the downloads and shows `leeg` (e.g. "verborgen") on the page.
    """
    kolommen = [periode]
    for r in reeksen:
        kolommen.append(r.naam)
        if r.intervallen is not None:
            kolommen += [f"{r.naam}: ondergrens", f"{r.naam}: bovengrens"]
    rijen: list[list[Cel]] = []
    for j, p in enumerate(perioden):
        rij: list[Cel] = [p]
        for r in reeksen:
            rij.append(r.waarden[j])
            if r.intervallen is not None:
                iv = r.intervallen[j]
                rij += [iv[0], iv[1]] if iv else [None, None]
        rijen.append(rij)
    return Tabel(kolommen=kolommen, rijen=rijen, bijschrift=titel, leeg=leeg)


# --------------------------------------------------------------------------- heatmap


def _schaaldeel(v: float, laagste: float, hoogste: float, wortel: bool) -> float:
    """Where a value lies between the scale's ends, 0 to 1 (by its square root if asked)."""
    deel = min(max((v - laagste) / (hoogste - laagste), 0.0), 1.0)
    return math.sqrt(deel) if wortel else deel


def kleur_op_schaal(aandeel: float) -> str:
    """A colour on the light-to-dark blue scale, for a share between 0 and 1."""
    a = min(max(aandeel, 0.0), 1.0)
    rgb = [round(lo + (hi - lo) * a) for lo, hi in zip(SCHAAL_LICHT, SCHAAL_DONKER, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def luminantie(kleur: str) -> float:
    """The relative luminance of a `#rrggbb` colour (WCAG 2.1)."""
    kanalen = [int(kleur[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in kanalen]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours (1 to 21)."""
    la, lb = sorted((luminantie(a), luminantie(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tekstkleur_op(achtergrond: str) -> str:
    """Black or white, whichever reads better on the background."""
    return (
        "#000000"
        if contrast(achtergrond, "#000000") >= contrast(achtergrond, "#ffffff")
        else ("#ffffff")
    )


def heatmap(
    rijen: Sequence[str],
    kolommen: Sequence[str],
    waarden: Sequence[Sequence[float | None]],
    *,
    titel: str,
    beschrijving: str = "",
    decimalen: int = 0,
    eenheid: str = "",
    witte_vlek: Callable[[float], bool] | None = lambda v: v == 0,
    markeer: Callable[[int, int, float], bool] | None = None,
    markering: str = "veel aanbod",
    bereik: tuple[float, float] | None = None,
    wortel: bool = False,
    breedte: float = BREEDTE,
    uid: str | None = None,
) -> str:
    """A rows × columns matrix of values: the cell's shade grows with its value, the value is in it.

    A None cell is "geen gegevens" (light grey, a dash, class `geen-gegevens`); a cell for which
    `witte_vlek(value)` holds (by default: 0) is a white spot (white, a dashed dark border,
    class `witte-vlek`); a cell for which `markeer(row, column, value)` holds gets a thick
    border and class `gemarkeerd` (e.g. overlap). A legend under the matrix explains all three
    in words. Column headers are turned 45° so many columns fit in a narrow viewBox.
    `bereik=(lo, hi)` fixes the scale, so two heatmaps side by side shade equal numbers alike.
    `wortel=True` shades by the square root, so one very large count does not leave all the
    others pale (counts of services per cell often look like that).
    """
    if len(waarden) != len(rijen) or any(len(r) != len(kolommen) for r in waarden):
        raise ValueError("waarden: de matrix past niet bij de rijen en kolommen")
    if not rijen or not kolommen:
        raise ValueError("heatmap: geen rijen of geen kolommen")
    fmt = _formaat(decimalen, eenheid)
    for label, rij in zip(rijen, waarden, strict=True):
        _controleer(rij, f"rij {label!r}")
    getallen = [v for r in waarden for v in r if v is not None]
    if bereik is not None:
        # the same shades for the same numbers in two heatmaps shown side by side
        laagste, hoogste = bereik
        if hoogste <= laagste:
            raise ValueError("bereik: de bovengrens moet groter zijn dan de ondergrens")
    else:
        hoogste = max(getallen, default=0.0)
        laagste = min(0.0, min(getallen, default=0.0))
    marge = 8.0
    # room for the row labels: up to 40 % of the width, but never less than the longest word
    # needs (up to 200 units), so a label wraps between words and is not cut inside one
    langste_woord = max(breedte_van(w) for r in rijen for w in (r.split() or [""])) + 10
    labelbreedte = min(
        max(breedte_van(r) for r in rijen) + 8, max(120.0, breedte * 0.4, min(langste_woord, 200.0))
    )
    celbreedte = max(
        max(breedte_van(fmt(v)) + 10 for v in getallen) if getallen else 0,
        (breedte - 2 * marge - labelbreedte) / len(kolommen),
        30.0,
    )
    celhoogte = 28.0
    koplengte = min(max(breedte_van(k) for k in kolommen), 170.0)
    # a turned header reaches up and to the right of its cell: keep room for the last one
    uitsteek = max(0.0, koplengte * math.cos(math.radians(45)) - celbreedte / 2)
    breedte = max(breedte, marge * 2 + labelbreedte + celbreedte * len(kolommen) + uitsteek)
    links = marge + labelbreedte
    boven = marge + koplengte * math.sin(math.radians(45)) + LETTER
    delen: list[str] = []
    # column headers, turned -45 degrees around their foot
    for k, kop in enumerate(kolommen):
        kx = links + (k + 0.5) * celbreedte
        ky = boven - 6
        kort = afbreken(kop, 170.0, max_regels=1)[0]
        delen.append(
            f'<text x="{_n(kx)}" y="{_n(ky)}" transform="rotate(-45 {_n(kx)} {_n(ky)})">'
            f"{tekst(kort)}</text>"
        )
    y = boven
    gebruikt = {"witte-vlek": False, "geen-gegevens": False, "gemarkeerd": False}
    for r, (rijlabel, rij) in enumerate(zip(rijen, waarden, strict=True)):
        regels = afbreken(rijlabel, labelbreedte - 8, max_regels=2)
        hoogte = max(celhoogte, len(regels) * LETTER * 1.15 + 8)
        delen.append('<g class="rij">')
        basis = y + hoogte / 2 - (len(regels) - 1) * LETTER * 1.15 / 2 + 5
        for i, regeltekst in enumerate(regels):
            delen.append(_tekstregel(marge, basis + i * LETTER * 1.15, regeltekst))
        for k, v in enumerate(rij):
            cx = links + k * celbreedte
            midden_x, midden_y = cx + celbreedte / 2, y + hoogte / 2 + 5
            titeltekst = f"{rijlabel}, {kolommen[k]}: "
            if v is None:
                gebruikt["geen-gegevens"] = True
                delen.append(
                    f'<g class="cel geen-gegevens"><title>{tekst(titeltekst + "geen gegevens")}'
                    f'</title><rect x="{_n(cx + 1)}" y="{_n(y + 1)}" width="{_n(celbreedte - 2)}" '
                    f'height="{_n(hoogte - 2)}" fill="{GEEN_GEGEVENS}" stroke="{AS}" '
                    'stroke-width="1"/>'
                    + _tekstregel(midden_x, midden_y, "–", anker="middle")
                    + "</g>"
                )
                continue
            klassen = ["cel"]
            if witte_vlek is not None and witte_vlek(v):
                klassen.append("witte-vlek")
                gebruikt["witte-vlek"] = True
                vulling, rand = (
                    "#ffffff",
                    f'stroke="{TEKST}" stroke-width="1.5" stroke-dasharray="4 3"',
                )
            else:
                aandeel = (
                    0.15 + 0.85 * _schaaldeel(v, laagste, hoogste, wortel)
                    if hoogste > laagste
                    else 0.5
                )
                vulling, rand = kleur_op_schaal(aandeel), 'stroke="#ffffff" stroke-width="1"'
            if markeer is not None and markeer(r, k, v):
                klassen.append("gemarkeerd")
                gebruikt["gemarkeerd"] = True
                rand = f'stroke="{REFERENTIE}" stroke-width="3"'
            delen.append(
                f'<g class="{" ".join(klassen)}"><title>{tekst(titeltekst + fmt(v))}</title>'
                f'<rect x="{_n(cx + 1.5)}" y="{_n(y + 1.5)}" width="{_n(celbreedte - 3)}" '
                f'height="{_n(hoogte - 3)}" fill="{vulling}" {rand}/>'
                + _tekstregel(
                    midden_x,
                    midden_y,
                    fmt(v),
                    anker="middle",
                    extra=f'fill="{tekstkleur_op(vulling)}"',
                )
                + "</g>"
            )
        delen.append("</g>")
        y += hoogte
    # legend in words, with a sample of each style
    y += 10
    uitleg = []
    if getallen:
        uitleg.append(("schaal", "Hoe donkerder, hoe hoger het getal"))
    if gebruikt["witte-vlek"]:
        uitleg.append(("witte-vlek", "Witte vlek: geen aanbod"))
    if gebruikt["gemarkeerd"]:
        uitleg.append(("gemarkeerd", markering[:1].upper() + markering[1:]))
    if gebruikt["geen-gegevens"]:
        uitleg.append(("geen-gegevens", "Geen gegevens"))
    for soort, omschrijving in uitleg:
        if soort == "schaal":
            stalen = "".join(
                f'<rect x="{_n(marge + i * 7)}" y="{_n(y)}" width="7" height="16" '
                f'fill="{kleur_op_schaal(0.15 + 0.85 * i / 3)}"/>'
                for i in range(4)
            )
        elif soort == "witte-vlek":
            stalen = (
                f'<rect x="{_n(marge)}" y="{_n(y)}" width="28" height="16" fill="#ffffff" '
                f'stroke="{TEKST}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            )
        elif soort == "gemarkeerd":
            stalen = (
                f'<rect x="{_n(marge + 1)}" y="{_n(y + 1)}" width="26" height="14" '
                f'fill="{kleur_op_schaal(0.5)}" stroke="{REFERENTIE}" stroke-width="3"/>'
            )
        else:
            stalen = (
                f'<rect x="{_n(marge)}" y="{_n(y)}" width="28" height="16" fill="{GEEN_GEGEVENS}" '
                f'stroke="{AS}" stroke-width="1"/>'
            )
        delen.append(
            f'<g class="legenda legenda-{soort}">{stalen}'
            + _tekstregel(marge + 36, y + 13, omschrijving)
            + "</g>"
        )
        y += 22
    hoogte_svg = y + marge
    samenvatting = _over_matrix(rijen, kolommen, waarden, fmt, witte_vlek)
    return "".join(
        _kop("heatmap", breedte, hoogte_svg, titel, _met(beschrijving, samenvatting), uid)
        + delen
        + _STAART
    )


def heatmap_tabel(
    rijen: Sequence[str],
    kolommen: Sequence[str],
    waarden: Sequence[Sequence[float | None]],
    *,
    titel: str,
    rijkop: str = "",
    leeg: str = "geen gegevens",
) -> Tabel:
    """The data of a heatmap as a table: the rows with their labels, one column per column."""
    return Tabel(
        kolommen=[rijkop, *kolommen],
        rijen=[[label, *rij] for label, rij in zip(rijen, waarden, strict=True)],
        bijschrift=titel,
        leeg=leeg,
    )
