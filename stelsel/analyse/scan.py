"""The ecosysteemscan of a region: matrices, white spots, overlap, the basisinfrastructuur per
gemeente and a regional equality measure. Pure: works on the Index, no database.

Definitions (also in docs/analyse.md):
- A cell (thema × fase, thema × doelgroep) counts the distinct diensten available to a business
  somewhere in the region (national, regional and local).
- White spot: a cell with no dienst ("leeg"); or a thema × fase cell in the fasen willen and
  kunnen, where a business expects personal help, in which no dienst gives personal help
  (advies or programma), only information, tools, money or networks ("geen_persoonlijk").
  Counted per gemeente too: the region's cell lists the gemeenten where it is white.
- Overlap: in some gemeente of the region at least OVERLAP_DREMPEL regional or local diensten
  sit in the same thema × fase cell (national ones do not count: they are one offer
  everywhere, not a crowd in the region).
- Dekking of a gemeente: the share of the 28 thema × fase cells in which it has at least one
  regional or local dienst. National diensten are the same everywhere, so the differences
  between gemeenten are in what the region itself offers.
- Equality: the Gini coefficient of the gemeenten's dekking (0: all equal; 1: one gemeente has
  it all). Gini is bounded, reads the same for any region size, and does not blow up when the
  mean is small, as the coefficient of variation does.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from stelsel.analyse.index import DOELGROEPEN, FASEN, THEMAS, AnalyseDienst, Index

OVERLAP_DREMPEL = 4
PERSOONLIJKE_FASEN = ("willen", "kunnen")


# --- basisinfrastructuur: each item a rule over one dienst ----------------------------------


@dataclass(frozen=True)
class Basisregel:
    code: str
    naam: str
    uitleg: str
    regel: Callable[[AnalyseDienst], bool]
    landelijk_telt: bool  # whether a national dienst satisfies it


def _persoonlijk_bereikbaar(d: AnalyseDienst) -> bool:
    return bool({"fysiek", "telefoon"} & set(d.kanalen))


def _eerstelijns(d: AnalyseDienst) -> bool:
    return (
        not d.landelijk
        and d.eerstelijns
        and d.aanbieder_soort in ("publiek", "semipubliek")
        and d.soort in ("informatie", "advies")
        and _persoonlijk_bereikbaar(d)
        and len(d.themas) >= 2
    )


def _werkgeversservicepunt(d: AnalyseDienst) -> bool:
    return (
        not d.landelijk
        and d.aanbieder_soort == "publiek"
        and "personeel" in d.themas
        and d.soort == "advies"
        and "kunnen" in d.fasen
        and any(s == "arbeidsmarktregio" for s, _ in d.werkgebied)
    )


def _rom(d: AnalyseDienst) -> bool:
    return (
        not d.landelijk
        and d.aanbieder_niveau == "regionaal"
        and d.aanbieder_soort in ("publiek", "semipubliek")
        and d.soort == "financiering"
        and {"financiering", "innovatie"} <= set(d.themas)
        and _persoonlijk_bereikbaar(d)
        and any(s == "provincie" for s, _ in d.werkgebied)
    )


def _leerwerkloket(d: AnalyseDienst) -> bool:
    return (
        not d.landelijk
        and d.aanbieder_soort in ("publiek", "semipubliek")
        and "personeel" in d.themas
        and "arbeidsmarkt" in d.transitiethemas
        and d.soort == "advies"
        and "weten" in d.fasen
        and any(s == "arbeidsmarktregio" for s, _ in d.werkgebied)
    )


def _zwaar_weer(d: AnalyseDienst) -> bool:
    return (
        "zwaar-weer" in d.themas
        and d.soort in ("advies", "programma")
        and (_persoonlijk_bereikbaar(d))
    )


def _financiering(d: AnalyseDienst) -> bool:
    return "financiering" in d.themas and (
        d.soort == "financiering" or (d.soort == "advies" and _persoonlijk_bereikbaar(d))
    )


BASISREGELS: tuple[Basisregel, ...] = (
    Basisregel(
        "eerstelijns",
        "Eerstelijns aanspreekpunt",
        "Een regionale of lokale publieke of semipublieke eerstelijns aanbieder geeft "
        "informatie of advies over ten minste twee thema's, op locatie of per telefoon.",
        _eerstelijns,
        False,
    ),
    Basisregel(
        "werkgeversservicepunt",
        "Werkgeversservicepunt",
        "Een publieke aanbieder geeft advies over personeel in de fase kunnen, met de "
        "arbeidsmarktregio als werkgebied.",
        _werkgeversservicepunt,
        False,
    ),
    Basisregel(
        "rom",
        "Regionale ontwikkelingsmaatschappij (ROM)",
        "Een regionale publieke of semipublieke aanbieder financiert innovatie (soort "
        "financiering, thema's financiering en innovatie) voor een provincie, bereikbaar op "
        "locatie of per telefoon.",
        _rom,
        False,
    ),
    Basisregel(
        "leerwerkloket",
        "Leerwerkloket",
        "Een publieke of semipublieke aanbieder geeft advies over personeel en "
        "arbeidsmarkt (leren en werken) in de fase weten, met de arbeidsmarktregio als "
        "werkgebied.",
        _leerwerkloket,
        False,
    ),
    Basisregel(
        "zwaar_weer",
        "Hulp bij zwaar weer",
        "Advies of begeleiding over zwaar weer, op locatie of per telefoon. Een landelijke "
        "hulplijn telt mee: die is overal bereikbaar.",
        _zwaar_weer,
        True,
    ),
    Basisregel(
        "financiering",
        "Route naar financiering",
        "Een financier (soort financiering) of persoonlijk advies over financiering. "
        "Landelijke financiers tellen mee.",
        _financiering,
        True,
    ),
)


def basismaskers(index: Index) -> np.ndarray:
    """diensten × rules: which dienst satisfies which rule."""
    m = np.zeros((len(index), len(BASISREGELS)), dtype=bool)
    for j, regel in enumerate(BASISREGELS):
        for i, d in enumerate(index.diensten):
            m[i, j] = regel.regel(d)
    return m


@dataclass
class Basischeck:
    gemeente: str
    naam: str
    # per rule code: "lokaal" (regional or local dienst), "landelijk" (only national), "ontbreekt"
    onderdelen: dict[str, str]
    voorbeelden: dict[str, list[str]]

    @property
    def compleet(self) -> bool:
        return all(v != "ontbreekt" for v in self.onderdelen.values())


def basisinfrastructuur(
    index: Index, maskers: np.ndarray, gemeenten: np.ndarray
) -> list[Basischeck]:
    """The basisinfrastructuur check for each gemeente at these positions."""
    uit = []
    # per rule, the few diensten that satisfy it: each gemeente looks only at those
    per_regel = [np.flatnonzero(maskers[:, j]) for j in range(len(BASISREGELS))]
    for g in gemeenten:
        b = index.beschikbaar[g]
        onderdelen, voorbeelden = {}, {}
        for j, regel in enumerate(BASISREGELS):
            hits = per_regel[j][b[per_regel[j]]]
            land = index.landelijk[hits]
            lokaal = hits[~land]
            landelijk = hits[land] if regel.landelijk_telt else hits[:0]
            if len(lokaal):
                onderdelen[regel.code] = "lokaal"
                rijen = list(lokaal[:3])
            elif len(landelijk):
                onderdelen[regel.code] = "landelijk"
                rijen = list(landelijk[:3])
            else:
                onderdelen[regel.code] = "ontbreekt"
                rijen = []
            voorbeelden[regel.code] = [index.diensten[r].naam for r in rijen]
        gi = index.gemeenten[g]
        uit.append(Basischeck(gi.code, gi.naam, onderdelen, voorbeelden))
    return uit


# --- the scan --------------------------------------------------------------------------------


def gini(waarden: np.ndarray) -> float:
    """The Gini coefficient of non-negative values (0 when all are equal or all zero)."""
    x = np.sort(np.asarray(waarden, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    i = np.arange(1, n + 1)
    return max(0.0, float((2 * (i * x).sum()) / (n * x.sum()) - (n + 1) / n))


@dataclass
class Cel:
    rij: str
    kolom: str
    aantal: int  # distinct diensten available somewhere in the region
    regionaal: int  # of which regional or local
    persoonlijk: int  # of which personal help (advies, programma)
    regionaal_persoonlijk: int = 0  # personal help from a regional or local dienst
    wit: str | None = None  # "leeg" or "geen_persoonlijk"
    witte_gemeenten: int = 0  # gemeenten where the cell is white
    max_regionaal: int = 0  # the most regional diensten in this cell in one gemeente
    overlap: bool = False


@dataclass
class Scan:
    code: str
    soort: str
    naam: str
    gemeenten: list[tuple[str, str]]
    aantal_diensten: int
    landelijk: int
    regionaal: int
    thema_fase: list[Cel]
    thema_doelgroep: list[Cel]
    basis: list[Basischeck]
    dekking: dict[str, float]  # per gemeente code
    gini: float
    witte_vlekken: list[Cel] = field(default_factory=list)
    overlappen: list[Cel] = field(default_factory=list)


def scan(index: Index, maskers: np.ndarray, code: str) -> Scan:
    """The ecosysteemscan of one PV/AM/CR/GM code (KeyError when unknown)."""
    soort, naam, gm = index.regio(code)
    b = index.beschikbaar[gm]
    hier = b.any(axis=0)
    regionaal = hier & ~index.landelijk
    persoonlijk = hier & index.persoonlijk
    nf, nd = len(FASEN), len(DOELGROEPEN)

    def cellen(one_hot, kolommen, per_g_alle, per_g_reg, per_g_pers) -> list[Cel]:
        alle = one_hot[hier].sum(axis=0)
        reg = one_hot[regionaal].sum(axis=0)
        pers = one_hot[persoonlijk].sum(axis=0)
        reg_pers = one_hot[persoonlijk & regionaal].sum(axis=0)
        uit = []
        for ti, t in enumerate(THEMAS):
            for ki, k in enumerate(kolommen):
                c = ti * len(kolommen) + ki
                cel = Cel(t, k, int(alle[c]), int(reg[c]), int(pers[c]), int(reg_pers[c]))
                cel.max_regionaal = int(per_g_reg[gm, c].max()) if len(gm) else 0
                leeg_g = per_g_alle[gm, c] == 0
                if per_g_pers is not None and k in PERSOONLIJKE_FASEN:
                    wit_g = leeg_g | (per_g_pers[gm, c] == 0)
                else:
                    wit_g = leeg_g
                cel.witte_gemeenten = int(wit_g.sum())
                if cel.aantal == 0:
                    cel.wit = "leeg"
                elif per_g_pers is not None and k in PERSOONLIJKE_FASEN and cel.persoonlijk == 0:
                    cel.wit = "geen_persoonlijk"
                cel.overlap = cel.max_regionaal >= OVERLAP_DREMPEL
                uit.append(cel)
        return uit

    tf = cellen(index.cel_tf, FASEN, index.tf_alle, index.tf_regionaal, index.tf_persoonlijk)
    td = cellen(index.cel_td, DOELGROEPEN, index.td_alle, index.td_regionaal, None)
    dekking_g = (index.tf_regionaal[gm] > 0).sum(axis=1) / (len(THEMAS) * nf)
    del nd
    s = Scan(
        code=code.strip().upper(),
        soort=soort,
        naam=naam,
        gemeenten=[(index.gemeenten[g].code, index.gemeenten[g].naam) for g in gm],
        aantal_diensten=int(hier.sum()),
        landelijk=int((hier & index.landelijk).sum()),
        regionaal=int(regionaal.sum()),
        thema_fase=tf,
        thema_doelgroep=td,
        basis=basisinfrastructuur(index, maskers, gm),
        dekking={
            index.gemeenten[g].code: round(float(v), 3) for g, v in zip(gm, dekking_g, strict=True)
        },
        gini=round(gini(dekking_g), 3),
    )
    s.witte_vlekken = [c for c in tf + td if c.wit]
    s.overlappen = [c for c in tf if c.overlap]
    return s
