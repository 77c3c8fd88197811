"""A choropleth map of the Netherlands as SVG: by gemeente, arbeidsmarktregio or provincie. Pure.

The geometry is the 342 gemeenten of the 2023-2025 division, bundled in
`data/gemeenten.topo.json` (see `data/SOURCES.md`). A region that is not a gemeente (an
arbeidsmarktregio `AM01`, a provincie `PV23`, a COROP area `CR03`, anything) is the union of
its gemeenten: pass `indeling`, a mapping gemeentecode → region code, which callers get from
the geo service. Each region is one `<path>` with a `<title>` (name and value); the borders
between regions are drawn once, from the shared arcs, so a provincie map has no gemeente lines
inside it.

Colour is never the only carrier: each region's `<title>` has its value, the legend names each
class in words, and `kaart_tabel` gives the same values as a table for next to the map.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stelsel.uitvoer import topojson
from stelsel.uitvoer.svg import (
    AS,
    BREEDTE,
    GEEN_GEGEVENS,
    TEKST,
    _id,
    _kop,
    _met,
    _n,
    _tekstregel,
    attribuut,
    breedte_van,
    kleur_op_schaal,
    tekst,
)
from stelsel.uitvoer.tabel import Cel, Tabel, getal

GEEN = "geen gegevens"
# A region whose value is withheld (its `notitie`, e.g. too few answers): grey, a shade darker
# than "geen gegevens", and hatched like it, so the two are told apart on the map and in the legend.
VERBORGEN = "#c8c8c8"


@dataclass(frozen=True)
class _Geometrie:
    arcs: list[list[topojson.Punt]]
    ringen: dict[str, list[list[int]]]  # gemeentecode -> rings of arc indices
    gebruikers: dict[int, list[str]]  # arc index -> the gemeenten whose border it is
    kaders: dict[str, tuple[float, float, float, float]]  # gemeentecode -> x0, y0, x1, y1


@lru_cache(maxsize=1)
def _geometrie() -> _Geometrie:
    bestand = resources.files("stelsel.uitvoer") / "data" / "gemeenten.topo.json"
    topologie = json.loads(bestand.read_text(encoding="utf-8"))
    arcs = topojson.arcs_van(topologie)
    ringen: dict[str, list[list[int]]] = {}
    gebruikers: dict[int, list[str]] = {}
    for g in topologie["objects"]["gemeenten"]["geometries"]:
        code = g["properties"]["code"]
        ringen[code] = topojson.ringen_van(g)
        for ring in ringen[code]:
            for i in ring:
                gebruikers.setdefault(i if i >= 0 else ~i, []).append(code)
    kaders = {}
    for code, rs in ringen.items():
        punten = [p for ring in rs for i in ring for p in arcs[i if i >= 0 else ~i]]
        xs, ys = [p[0] for p in punten], [p[1] for p in punten]
        kaders[code] = (min(xs), min(ys), max(xs), max(ys))
    return _Geometrie(arcs=arcs, ringen=ringen, gebruikers=gebruikers, kaders=kaders)


@lru_cache(maxsize=1 << 16)
def _vereenvoudigd(arc: int, tolerantie: float) -> tuple[topojson.Punt, ...]:
    # The national maps always use the same tolerance, so their arcs are simplified once.
    return tuple(topojson.vereenvoudig_lijn(_geometrie().arcs[arc], tolerantie))


@lru_cache(maxsize=1 << 16)
def _geprojecteerd(
    arc: int, tolerantie: float, schaal: float, links: float, boven: float, x0: float, y1: float
) -> list[tuple[int, int]]:
    # In tenths of a viewBox unit, repeated points dropped. The same map drawn again (the
    # national ones, a region's) reuses its arcs. Callers must not change the list.
    q = [
        (round((links + (px - x0) * schaal) * 10), round((boven + (y1 - py) * schaal) * 10))
        for px, py in _vereenvoudigd(arc, tolerantie)
    ]
    return [q[0]] + [b for a, b in zip(q, q[1:], strict=False) if b != a]


@lru_cache(maxsize=1 << 17)
def _stappen(
    arc: int, tolerantie: float, schaal: float, links: float, boven: float, x0: float, y1: float
) -> str:
    # The relative steps of an arc (walked backwards for ~arc) as path data, cached like the
    # points: a map drawn again only joins strings.
    punten = _geprojecteerd(arc if arc >= 0 else ~arc, tolerantie, schaal, links, boven, x0, y1)
    if arc < 0:
        punten = punten[::-1]
    return " ".join(
        f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(punten, punten[1:], strict=False)
    )


def _labelpunt(ringen: Sequence[Sequence[tuple[int, int]]]) -> tuple[float, float]:
    """A point well inside a region: the middle of the widest inside stretch on one of a few
    horizontal lines across it (even-odd rule, so holes are outside)."""
    ys = [p[1] for r in ringen for p in r]
    xs = [p[0] for r in ringen for p in r]
    beste: tuple[float, float, float] = (-1.0, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    lo, hi = min(ys), max(ys)
    for stap in range(1, 12):
        y = lo + (hi - lo) * stap / 12 + 0.5  # never exactly on a vertex
        snijpunten = sorted(
            a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            for r in ringen
            for a, b in zip(r, r[1:], strict=False)
            if (a[1] <= y) != (b[1] <= y)
        )
        midden_gewicht = 1 - abs(stap - 6) / 12  # prefer lines near the middle
        for x0, x1 in zip(snijpunten[::2], snijpunten[1::2], strict=False):
            score = (x1 - x0) * midden_gewicht
            if score > beste[0]:
                beste = (score, (x0 + x1) / 2, y)
    return beste[1], beste[2]


def _arcering(ringen: Sequence[Sequence[tuple[int, int]]], stap: int) -> str:
    """Diagonal hatch lines (down to the right) cut to the inside of the rings (even-odd)."""
    # along a line x - y = u is constant; v = x + y runs along it
    randen = [
        (a[0] - a[1], a[0] + a[1], b[0] - b[1], b[0] + b[1])
        for r in ringen
        for a, b in zip(r, r[1:], strict=False)
    ]
    if not randen:
        return ""
    lo = min(min(u0, u1) for u0, _, u1, _ in randen)
    hi = max(max(u0, u1) for u0, _, u1, _ in randen)
    delen = []
    u = (lo // stap) * stap + stap / 2  # between grid points, so never exactly on a vertex
    while u < hi:
        vs = sorted(
            v0 + (u - u0) * (v1 - v0) / (u1 - u0)
            for u0, v0, u1, v1 in randen
            if (u0 <= u) != (u1 <= u)
        )
        for va, vb in zip(vs[::2], vs[1::2], strict=False):
            if vb - va > 4:
                x0, y0 = (u + va) / 2, (va - u) / 2
                delen.append(
                    f"M{round(x0)} {round(y0)}l{round((vb - va) / 2)} {round((vb - va) / 2)}"
                )
        u += stap
    return "".join(delen)


def gemeentecodes() -> frozenset[str]:
    """The gemeentecodes the bundled geometry has (`GM0014`, ...)."""
    return frozenset(_geometrie().ringen)


@dataclass(frozen=True)
class Klasse:
    """One legend class, its colour and its label in words.

    It holds the values from `van` up to `tot`; `tot` itself only when `tot_inbegrepen` (the
    last class, and every class of whole numbers).
    """

    van: float
    tot: float
    kleur: str
    label: str
    tot_inbegrepen: bool = False

    def bevat(self, waarde: float) -> bool:
        """Whether the value falls in this class."""
        return self.van <= waarde and (
            waarde <= self.tot if self.tot_inbegrepen else waarde < self.tot
        )


def klassen_voor(
    waarden: Collection[float],
    *,
    aantal: int = 5,
    grenzen: Sequence[float] | None = None,
    decimalen: int = 1,
    eenheid: str = "",
) -> list[Klasse]:
    """Legend classes: equal steps between the lowest and highest value, or the given bounds.

    `grenzen` are the class bounds from low to high, so `n + 1` bounds give `n` classes, each
    "a tot b", the last "a tot en met b"; values outside them fall into the first or last
    class. Whole numbers (all values ints) get whole-number classes such as "0 t/m 7",
    "8 t/m 15", so a count is never on two classes' edge; with whole `grenzen` such as
    `[0, 20, 40, 60, 80, 100]` that is "0 t/m 19", ..., "80 t/m 100".
    """
    aantal = max(1, min(aantal, 7))

    def f(v: float) -> str:
        return getal(v, decimalen) + eenheid

    def kleur(i: int, n: int) -> str:
        return kleur_op_schaal(0.1 + 0.9 * i / max(1, n - 1))

    if grenzen is None:
        if not waarden:
            return []
        lo, hi = min(waarden), max(waarden)
        if all(isinstance(v, int) and not isinstance(v, bool) for v in waarden):
            stap = max(1, math.ceil((int(hi) - int(lo) + 1) / aantal))
            bereiken = [(a, min(a + stap - 1, int(hi))) for a in range(int(lo), int(hi) + 1, stap)]
            return [
                Klasse(
                    a,
                    b,
                    kleur(i, len(bereiken)),
                    f(a) if a == b else f"{f(a)} t/m {f(b)}",
                    tot_inbegrepen=True,
                )
                for i, (a, b) in enumerate(bereiken)
            ]
        if hi == lo:
            return [Klasse(lo, hi, kleur_op_schaal(0.55), f(lo), tot_inbegrepen=True)]
        grenzen = [lo + (hi - lo) * i / aantal for i in range(aantal + 1)]
    if len(grenzen) < 2 or any(b <= a for a, b in zip(grenzen, grenzen[1:], strict=False)):
        raise ValueError("grenzen: geef minstens twee oplopende klassegrenzen")
    n = len(grenzen) - 1
    heel = all(isinstance(v, int) and not isinstance(v, bool) for v in waarden)
    if heel and all(float(g).is_integer() for g in grenzen):
        # whole numbers between whole bounds: [a, b) is "a t/m b-1", the last class "a t/m b"
        uit = []
        for i in range(n):
            a, b = int(grenzen[i]), int(grenzen[i + 1]) - (0 if i == n - 1 else 1)
            label = f(a) if a == b else f"{f(a)} t/m {f(b)}"
            uit.append(Klasse(a, b, kleur(i, n), label, tot_inbegrepen=True))
        return uit
    return [
        Klasse(
            grenzen[i],
            grenzen[i + 1],
            kleur(i, n),
            f"{f(grenzen[i])} tot {'en met ' if i == n - 1 else ''}{f(grenzen[i + 1])}",
            tot_inbegrepen=i == n - 1,
        )
        for i in range(n)
    ]


def _klasse_van(waarde: float, klassen: Sequence[Klasse]) -> Klasse:
    if waarde < klassen[0].van:
        return klassen[0]
    return next((k for k in klassen if k.bevat(waarde)), klassen[-1])


def kaart(
    waarden: Mapping[str, float | None],
    *,
    titel: str,
    beschrijving: str = "",
    indeling: Mapping[str, str] | None = None,
    namen: Mapping[str, str] | None = None,
    alleen: Collection[str] | None = None,
    klassen: int = 5,
    grenzen: Sequence[float] | None = None,
    decimalen: int = 1,
    eenheid: str = "",
    gemeentegrenzen: bool = False,
    waarden_tonen: bool = False,
    notities: Mapping[str, str] | None = None,
    breedte: float = BREEDTE,
    uid: str | None = None,
) -> str:
    """A choropleth map: each region coloured by its value's class, with a legend in words.

    - `waarden`: region code → value (None, or a code left out, is "geen gegevens").
    - `indeling`: gemeentecode → region code (`AM01`, `PV23`, ...); without it the regions are
      the gemeenten. A gemeente the `indeling` leaves out is drawn as "geen gegevens".
    - `namen`: region code → name for the titles (the code is used when a name is missing).
    - `notities`: region code → why its value (None) is withheld, e.g. "te weinig antwoorden":
      shown instead of "geen gegevens", in a darker grey with a legend line of its own, so a
      hidden group is not mistaken for a region without data.
    - `alleen`: draw only these gemeenten, fitted to their bounding box (a regional map).
    - `klassen` / `grenzen`: the number of equal classes, or the class bounds themselves.
    - `gemeentegrenzen`: also draw thin gemeente borders inside the regions.
    - `waarden_tonen`: write each region's value on it, in a white box at a point inside its
      largest part (for maps with few regions, such as provincies or one region's gemeenten;
      a printed map has no tooltips).

    Raises ValueError naming unknown gemeentecodes in `alleen` or `indeling`.
    """
    geo = _geometrie()
    namen = namen or {}
    notities = notities or {}
    for code, v in waarden.items():
        if v is not None and not math.isfinite(v):
            raise ValueError(f"waarden: {code} heeft {v}, geen eindig getal")
    uid = uid or _id("kaart", titel, beschrijving, breedte, sorted(alleen or ()), len(waarden))
    if alleen is not None:
        onbekend = sorted(set(alleen) - geo.ringen.keys())
        if onbekend:
            raise ValueError(f"alleen: onbekende gemeentecodes {', '.join(onbekend[:5])}")
        getekend = [c for c in geo.ringen if c in set(alleen)]
        if not getekend:
            raise ValueError("alleen: geen enkele gemeente om te tekenen")
    else:
        getekend = list(geo.ringen)
    if indeling is not None:
        onbekend = sorted(set(indeling) - geo.ringen.keys())
        if onbekend:
            raise ValueError(f"indeling: onbekende gemeentecodes {', '.join(onbekend[:5])}")
    # region of each gemeente drawn; a gemeente outside the indeling is a region of its own
    regio_van = {c: (indeling.get(c, c) if indeling is not None else c) for c in getekend}
    in_indeling = {c: (indeling is None or c in indeling) for c in getekend}
    regios: dict[str, list[str]] = {}
    for c in getekend:
        regios.setdefault(regio_van[c], []).append(c)

    getoonde_waarden = {r: waarden.get(r) for r in regios if all(in_indeling[g] for g in regios[r])}
    bekend = [v for v in getoonde_waarden.values() if v is not None]
    legenda = klassen_voor(
        bekend, aantal=klassen, grenzen=grenzen, decimalen=decimalen, eenheid=eenheid
    )

    # fit the drawn gemeenten into the viewBox (y flipped: north up)
    kaders = [geo.kaders[c] for c in getekend]
    x0, y0 = min(k[0] for k in kaders), min(k[1] for k in kaders)
    x1, y1 = max(k[2] for k in kaders), max(k[3] for k in kaders)
    marge = 8.0
    binnen = breedte - 2 * marge
    schaal = binnen / max(x1 - x0, 1e-9)
    kaarthoogte = (y1 - y0) * schaal
    if kaarthoogte > binnen * 1.4:  # a tall region: limit the height, centre it
        schaal = binnen * 1.4 / (y1 - y0)
        kaarthoogte = binnen * 1.4
    links = marge + (binnen - (x1 - x0) * schaal) / 2

    # Coordinates are written in tenths of a viewBox unit, as integers, inside a scale(.1)
    # group: shorter than decimals. Each arc is simplified to what the drawing scale can show
    # (end points kept, so neighbouring regions still meet exactly).
    tolerantie = 0.25 / schaal
    nodig = {i if i >= 0 else ~i for c in getekend for ring in geo.ringen[c] for i in ring}
    arcs: dict[int, list[tuple[int, int]]] = {}
    sleutel = (tolerantie, schaal, links, marge, x0, y1)
    for i in nodig:
        arcs[i] = _geprojecteerd(i, *sleutel)

    def gericht(index: int) -> list[tuple[int, int]]:
        return arcs[index] if index >= 0 else arcs[~index][::-1]

    def omtrek(gemeenten: Sequence[str]) -> list[list[int]]:
        """The outline of a region as rings of (signed) arcs: its gemeenten's arcs, minus those
        shared inside it, chained."""
        gebruikt: dict[int, int] = {}
        for g in gemeenten:
            for ring in geo.ringen[g]:
                for i in ring:
                    gebruikt[i if i >= 0 else ~i] = gebruikt.get(i if i >= 0 else ~i, 0) + 1
        rand = [
            i
            for g in gemeenten
            for ring in geo.ringen[g]
            for i in ring
            if gebruikt[i if i >= 0 else ~i] == 1
        ]
        vanaf: dict[tuple[int, int], list[int]] = {}
        for i in rand:
            vanaf.setdefault(gericht(i)[0], []).append(i)
        ringen, over = [], set(rand)
        for begin in rand:
            if begin not in over:
                continue
            keten: list[int] = []
            huidig: int | None = begin
            while huidig is not None and huidig in over:
                over.discard(huidig)
                keten.append(huidig)
                volgende = [j for j in vanaf.get(gericht(huidig)[-1], []) if j in over]
                huidig = volgende[0] if volgende else None
            if gericht(keten[0])[0] != gericht(keten[-1])[-1]:
                # could not close it: draw the gemeenten themselves
                return [list(ring) for g in gemeenten for ring in geo.ringen[g]]
            ringen.append(keten)
        return ringen

    def punten_van(ring: Sequence[int]) -> list[tuple[int, int]]:
        punten: list[tuple[int, int]] = []
        for i in ring:
            stuk = gericht(i)
            punten.extend(stuk if not punten else stuk[1:])
        return punten

    def pad(ring: Sequence[int], sluit: bool) -> str:
        """A ring (or one arc) as path data: its start, then each arc's cached relative steps."""
        x, y = gericht(ring[0])[0]
        stappen = [t for t in (_stappen(i, *sleutel) for i in ring) if t]
        return f"M{x} {y}" + ("l" + " ".join(stappen) if stappen else "") + ("Z" if sluit else "")

    delen: list[str] = ['<g transform="scale(0.1)">']
    etiketten: list[str] = []
    geen_ringen: list[list[tuple[int, int]]] = []
    redenen: dict[str, int] = {}  # each note drawn, with its number of regions
    geen = 0  # regions drawn as "geen gegevens"
    for regio, gemeenten in regios.items():
        waarde = getoonde_waarden.get(regio)
        naam = namen.get(regio, regio)
        if waarde is None and notities.get(regio):
            kleur, klasse, waardetekst = VERBORGEN, "regio verborgen", notities[regio]
            redenen[waardetekst] = redenen.get(waardetekst, 0) + 1
        elif waarde is None or not legenda:
            kleur, klasse, waardetekst = GEEN_GEGEVENS, "regio geen-gegevens", GEEN
            geen += 1
        else:
            kleur, klasse = _klasse_van(waarde, legenda).kleur, "regio"
            waardetekst = getal(waarde, decimalen) + eenheid
        ringen = omtrek(gemeenten)
        d = "".join(pad(r, True) for r in ringen)
        if waarde is None or not legenda:
            geen_ringen.extend(punten_van(r) for r in ringen)
        delen.append(
            f'<path class="{klasse}" data-code={attribuut(regio)} fill="{kleur}" '
            f'd="{d}"><title>{tekst(naam)}: {tekst(waardetekst)}</title></path>'
        )
        if waarden_tonen and waarde is not None:
            lx, ly = _labelpunt([punten_van(r) for r in ringen])
            label = getal(waarde, decimalen) + eenheid
            b = breedte_van(label) + 6
            etiketten.append(
                f'<g class="etiket"><rect x="{_n(lx / 10 - b / 2)}" y="{_n(ly / 10 - 10)}" '
                f'width="{_n(b)}" height="19" fill="#ffffff" stroke="{TEKST}" stroke-width="0.6"/>'
                + _tekstregel(lx / 10, ly / 10 + 5, label, anker="middle")
                + "</g>"
            )
    if geen_ringen:
        # "geen gegevens" is hatched, not only grey: told apart from the lightest class by
        # pattern as well as colour. The hatch lines are cut to the regions here (fpdf2 does
        # not apply an SVG clip path inside a transformed group).
        delen.append(
            f'<path class="arcering" d="{_arcering(geen_ringen, 60)}" fill="none" '
            f'stroke="{AS}" stroke-width="7"/>'
        )
    # borders: an arc is a region border when its gemeenten lie in different regions, or when
    # only one drawn gemeente has it (the coast, the national border, the edge of `alleen`)
    getekend_set = set(getekend)
    grens_arcs: list[int] = []
    binnen_arcs: list[int] = []
    for i, gebruikers in geo.gebruikers.items():
        zichtbaar = [g for g in gebruikers if g in getekend_set]
        if not zichtbaar:
            continue
        if len(zichtbaar) == 1 or len({regio_van[g] for g in zichtbaar}) > 1:
            grens_arcs.append(i)
        else:
            binnen_arcs.append(i)
    if gemeentegrenzen and binnen_arcs:
        delen.append(
            f'<path class="gemeentegrens" d="{"".join(pad([i], False) for i in binnen_arcs)}" '
            'fill="none" stroke="#ffffff" stroke-width="6" stroke-linejoin="round"/>'
        )
    delen.append(
        f'<path class="grens" d="{"".join(pad([i], False) for i in grens_arcs)}" fill="none" '
        f'stroke="{TEKST}" stroke-width="{8 if len(regios) > 60 else 12}" '
        'stroke-linejoin="round"/>'
    )
    delen.append("</g>")
    delen.extend(etiketten)
    # the legend, in words, under the map
    y = marge + kaarthoogte + 14
    rijen: list[tuple[str, str, str]] = [(k.kleur, k.label, "") for k in legenda]
    # why values are missing: each note once, in the order of the regions, then "geen gegevens"
    rijen += [(VERBORGEN, reden, " legenda-verborgen") for reden in redenen]
    if geen:
        rijen.append((GEEN_GEGEVENS, GEEN, " legenda-geen-gegevens"))
    for kleur, omschrijving, extra in rijen:
        arcering = ""
        if extra:  # the hatching of a region without a value, in the swatch too
            stukken = []
            for x in range(-16, 28, 6):
                x0, x1 = max(x, 0), min(x + 16, 28)
                if x1 > x0:
                    stukken.append(
                        f"M{_n(marge + x0)} {_n(y + x0 - x)}L{_n(marge + x1)} {_n(y + x1 - x)}"
                    )
            arcering = (
                f'<path d="{"".join(stukken)}" stroke="{AS}" stroke-width="0.7" fill="none"/>'
            )
        delen.append(
            f'<g class="legenda{extra}"><rect x="{_n(marge)}" y="{_n(y)}" width="28" height="16" '
            f'fill="{kleur}" stroke="{AS}" stroke-width="1"/>{arcering}'
            + _tekstregel(marge + 36, y + 13, omschrijving)
            + "</g>"
        )
        y += 22
    hoogte = y + marge
    bekend_met_naam = [(namen.get(r, r), v) for r, v in getoonde_waarden.items() if v is not None]
    soort = "regio" if len(regios) == 1 else "regio's"
    delen_samenvatting = [f"Kaart van {len(regios)} {soort}."]
    if bekend_met_naam:
        hoog = max(bekend_met_naam, key=lambda nv: nv[1])
        laag = min(bekend_met_naam, key=lambda nv: nv[1])
        delen_samenvatting.append(f"Hoogste: {hoog[0]}, {getal(hoog[1], decimalen)}{eenheid}.")
        if laag is not hoog:
            delen_samenvatting.append(f"Laagste: {laag[0]}, {getal(laag[1], decimalen)}{eenheid}.")
    for reden, aantal in redenen.items():
        woord = "regio" if aantal == 1 else "regio's"
        delen_samenvatting.append(f"{aantal} {woord}: {reden}.")
    if geen:
        delen_samenvatting.append(f"{geen} zonder gegevens.")
    samenvatting = " ".join(delen_samenvatting)
    return "".join(
        _kop("kaart", breedte, hoogte, titel, _met(beschrijving, samenvatting), uid)
        + delen
        + ["</g>", "</svg>"]
    )


def kaart_tabel(
    waarden: Mapping[str, float | None],
    *,
    titel: str,
    namen: Mapping[str, str] | None = None,
    regio: str = "Regio",
    waarde: str = "Waarde",
    codes: Sequence[str] | None = None,
    notities: Mapping[str, str] | None = None,
) -> Tabel:
    """The data of a map as a table: region name, code and value, in the order of `codes`.

    Without `codes` the regions are those in `waarden`, sorted by name. A region without a
    value shows its note from `notities` (as `kaart` does), else "geen gegevens".
    """
    namen, notities = namen or {}, notities or {}
    volgorde = list(codes) if codes is not None else sorted(waarden, key=lambda c: namen.get(c, c))
    rijen: list[list[Cel]] = []
    for c in volgorde:
        w = waarden.get(c)
        rijen.append([namen.get(c, c), c, w if w is not None else (notities.get(c) or None)])
    return Tabel(kolommen=[regio, "Code", waarde], rijen=rijen, bijschrift=titel, leeg=GEEN)
