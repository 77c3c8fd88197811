"""The consistentietoets and the batch overlap: pure scoring over the Index, no database.

A pair of diensten overlaps when they serve the same businesses in the same place with the same
help. The score combines, for a proposal P and a candidate C:

- werkgebied: the share of P's gemeenten where C is available too (candidates must share at
  least one gemeente: a dienst elsewhere is no overlap, which is also why the same desk offered
  by every gemeente never overlaps itself);
- thema's, klantreisfasen and doelgroepen: Jaccard similarity of the code sets;
- soort: the same kind of dienst (advice, information, money, ...);
- the description: TF-IDF cosine (see tekst.py).

score = (0.5 + 0.5 × werkgebied) × (0.40 tekst + 0.20 thema + 0.15 fase + 0.15 doelgroep
+ 0.10 soort). Thresholds and the verdict rule are in docs/analyse.md.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from stelsel.analyse.index import DOELGROEPEN, FASEN, THEMAS, Index, bits, normaliseer
from stelsel.analyse.tekst import STOPWOORDEN, dienst_tekst
from stelsel.register import taxonomie as tx

GEWICHTEN = {"tekst": 0.40, "thema": 0.20, "fase": 0.15, "doelgroep": 0.15, "soort": 0.10}
# Verdict: dubbel when the best candidate scores at least DUBBEL, covers at least half the
# proposal's area and reads alike (tekst at least DUBBEL_TEKST); gedeeltelijk overlappend when
# some candidate scores at least DEELS.
DUBBEL = 0.70
DUBBEL_TEKST = 0.35
DUBBEL_GEBIED = 0.5
DEELS = 0.45
MAX_OVERLAP = 10


@dataclass(frozen=True)
class Voorstel:
    """A dienst to test: proposed (not in the register) or existing (slug set)."""

    naam: str
    omschrijving: str
    themas: tuple[str, ...]
    fasen: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()
    soort: str = ""
    aanbieder: str = ""
    werkgebied: tuple[tuple[str, str], ...] = ()  # empty: landelijk
    trefwoorden: str = ""
    slug: str | None = None


@dataclass
class Overlap:
    slug: str
    naam: str
    aanbieder: str
    landelijk: bool
    score: float
    delen: dict[str, float]
    redenen: list[str]
    netwerk: int = 1  # the copies of its network it stands for (the same dienst elsewhere)


@dataclass
class Gat:
    """A cell of the proposal where its area lacks help: `leeg` gemeenten have no dienst at
    all, `zonder_persoonlijk` have no personal help (advice or a programme)."""

    thema: str
    fase: str
    gemeenten: int
    leeg: int
    zonder_persoonlijk: int


@dataclass
class Toetsrapport:
    oordeel: str
    redenen: list[str]
    overlap: list[Overlap]
    gaten: list[Gat]
    gemeenten: int
    kandidaten: int
    vraag: dict = field(default_factory=dict)


def _jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jaccard of one boolean row `a` against the rows of `b`."""
    inter = (b & a).sum(axis=1)
    unie = (b | a).sum(axis=1)
    return np.where(unie > 0, inter / np.maximum(unie, 1), 0.0)


def _jaccard_bits(a: int, b: np.ndarray) -> np.ndarray:
    """Jaccard of the code set `a` (a bit mask) against each bit mask in `b`."""
    a16 = np.uint16(a)
    inter = np.bitwise_count(b & a16)
    unie = np.bitwise_count(b | a16)
    return np.where(unie > 0, inter / np.maximum(unie, 1), 0.0)


def _mask(codes: tuple[str, ...], alle: tuple[str, ...]) -> np.ndarray:
    return np.array([c in codes for c in alle], dtype=bool)


def _labels(codes: list[str], terms: tuple[tx.Term, ...]) -> str:
    return ", ".join(tx.label(terms, c).lower() for c in codes)


def scores(index: Index, v: Voorstel) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """(candidate rows, parts per candidate, gemeente mask of the proposal). Candidates share a
    thema and at least one gemeente with the proposal; the proposal itself is left out."""
    gebied = index.gemeenten_van_gebied(v.werkgebied)
    t = bits(v.themas, THEMAS)
    samen = index.gemeenten_per_dienst(gebied)
    kand = ((index.thema_bits & np.uint16(t)) != 0) & (samen > 0)
    if v.slug is not None and v.slug in index.pos:
        kand[index.pos[v.slug]] = False
    rijen = np.flatnonzero(kand)
    if len(rijen) == 0:
        return rijen, {}, gebied
    n_gebied = max(int(gebied.sum()), 1)
    soorten = tx.codes(tx.DIENST_SOORTEN)
    soort = soorten.index(v.soort) if v.soort in soorten else -2
    delen = {
        "gebied": samen[rijen] / n_gebied,
        "thema": _jaccard_bits(t, index.thema_bits[rijen]),
        "fase": _jaccard_bits(bits(v.fasen, FASEN), index.fase_bits[rijen]),
        "doelgroep": _jaccard_bits(bits(v.doelgroepen, DOELGROEPEN), index.doelgroep_bits[rijen]),
        "soort": (index.soort[rijen] == soort).astype(float),
    }
    vec = index.tekst.vector(dienst_tekst(v.naam, v.omschrijving, v.trefwoorden))
    delen["tekst"] = index.tekst.gelijkenis(vec, rijen)
    return rijen, delen, gebied


def totaal(delen: dict[str, np.ndarray]) -> np.ndarray:
    inhoud = sum(GEWICHTEN[k] * delen[k] for k in GEWICHTEN)
    return (0.5 + 0.5 * delen["gebied"]) * inhoud


def redenen(index: Index, v: Voorstel, r: int, d: dict[str, float], kopieen: int = 1) -> list[str]:
    """Why a candidate overlaps, in plain Dutch."""
    c = index.diensten[r]
    uit = []
    if kopieen > 1:
        uit.append(f"samen met {kopieen - 1} gelijke dienst(en) elders in het werkgebied")
    if v.aanbieder and v.aanbieder in (c.aanbieder_slug, c.aanbieder_naam):
        uit.append("zelfde aanbieder")
    zelfde = [t for t in v.themas if t in c.themas]
    if zelfde:
        uit.append(f"zelfde thema: {_labels(zelfde, tx.THEMAS)}")
    if d["gebied"] >= 0.999:
        uit.append("overal beschikbaar waar het voorstel werkt")
    else:
        uit.append(f"werkgebied overlapt ({round(100 * d['gebied'])}% van de gemeenten)")
    fasen = [f for f in v.fasen if f in c.fasen]
    if fasen:
        uit.append(f"zelfde fase: {_labels(fasen, tx.FASEN)}")
    groepen = [g for g in v.doelgroepen if g in c.doelgroepen]
    if groepen:
        uit.append(f"zelfde doelgroep: {_labels(groepen, tx.DOELGROEPEN)}")
    if d["soort"]:
        uit.append(f"zelfde soort dienst: {tx.label(tx.DIENST_SOORTEN, c.soort).lower()}")
    if d["tekst"] >= 0.5:
        uit.append(f"omschrijving lijkt sterk ({d['tekst']:.2f})")
    elif d["tekst"] >= 0.25:
        uit.append(f"omschrijving lijkt deels ({d['tekst']:.2f})")
    return uit


def gaten(index: Index, v: Voorstel, gebied: np.ndarray) -> list[Gat]:
    """The proposal's thema × fase cells that are empty, or lack personal help, in its area."""
    uit = []
    n = int(gebied.sum())
    for ti, t in enumerate(THEMAS):
        if t not in v.themas:
            continue
        for fi, f in enumerate(FASEN):
            if v.fasen and f not in v.fasen:
                continue
            c = ti * len(FASEN) + fi
            leeg = int((index.tf_alle[gebied, c] == 0).sum())
            zonder = int((index.tf_persoonlijk[gebied, c] == 0).sum())
            if leeg or zonder:
                uit.append(Gat(t, f, n, leeg, zonder))
    return uit


def _netwerken_samen(
    index: Index, rijen: np.ndarray, delen: dict[str, np.ndarray], gebied: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Copies of one network among the candidates (the same desk in each of the proposal's
    gemeenten) are one candidate: the best-scoring copy, with the area share of all of them
    together. Returns the kept rows, their parts and how many copies each stands for."""
    net = index.netwerk[rijen]
    waarden, eerste, aantal = np.unique(net, return_index=True, return_counts=True)
    kopieen = np.ones(len(rijen), dtype=np.int32)
    if (aantal == 1).all():
        return rijen, delen, kopieen
    houd = np.ones(len(rijen), dtype=bool)
    s = totaal(delen)
    n_gebied = max(int(gebied.sum()), 1)
    for w, n in zip(waarden, aantal, strict=True):
        if n == 1:
            continue
        leden = np.flatnonzero(net == w)
        best = leden[np.argmax(s[leden])]
        samen = index.beschikbaar[np.ix_(gebied, rijen[leden])].any(axis=1).sum()
        delen["gebied"][best] = samen / n_gebied
        kopieen[best] = len(leden)
        houd[leden] = False
        houd[best] = True
    return rijen[houd], {k: w[houd] for k, w in delen.items()}, kopieen[houd]


def toets(index: Index, v: Voorstel) -> Toetsrapport:
    """The consistentietoets of one dienst: overlapping diensten ranked, gaps, verdict."""
    rijen, delen, gebied = scores(index, v)
    kandidaten = len(rijen)
    lijst: list[Overlap] = []
    if len(rijen):
        rijen, delen, kopieen = _netwerken_samen(index, rijen, delen, gebied)
        s = totaal(delen)
        top = (
            np.argpartition(-s, MAX_OVERLAP)[:MAX_OVERLAP]
            if len(s) > MAX_OVERLAP
            else np.arange(len(s))
        )
        volgorde = top[np.lexsort((rijen[top], -s[top]))]
        for k in volgorde:
            if s[k] < 0.30:
                break
            r = int(rijen[k])
            d = {naam: float(w[k]) for naam, w in delen.items()}
            c = index.diensten[r]
            lijst.append(
                Overlap(
                    slug=c.slug,
                    naam=c.naam,
                    aanbieder=c.aanbieder_naam,
                    landelijk=c.landelijk,
                    score=round(float(s[k]), 3),
                    delen={k2: round(w, 3) for k2, w in d.items()},
                    redenen=redenen(index, v, r, d, int(kopieen[k])),
                    netwerk=int(kopieen[k]),
                )
            )
    oordeel, waarom = oordeel_van(lijst)
    return Toetsrapport(
        oordeel=oordeel,
        redenen=waarom,
        overlap=lijst,
        gaten=gaten(index, v, gebied),
        gemeenten=int(gebied.sum()),
        kandidaten=kandidaten,
    )


def oordeel_van(lijst: list[Overlap]) -> tuple[str, list[str]]:
    """The verdict and its reasons, from the ranked overlaps."""
    if lijst:
        top = lijst[0]
        if (
            top.score >= DUBBEL
            and top.delen["tekst"] >= DUBBEL_TEKST
            and top.delen["gebied"] >= DUBBEL_GEBIED
        ):
            return "dubbel", [
                f"'{top.naam}' van {top.aanbieder} biedt hetzelfde in hetzelfde gebied "
                f"(score {top.score:.2f}).",
                *top.redenen,
            ]
        deels = [o for o in lijst if o.score >= DEELS]
        if deels:
            namen = ", ".join(f"'{o.naam}'" for o in deels[:3])
            return "gedeeltelijk_overlappend", [
                f"{len(deels)} dienst(en) bieden voor een deel hetzelfde: {namen}.",
                *top.redenen,
            ]
    return "aanvullend", ["Geen dienst in het register biedt dit al in hetzelfde gebied."]


# --- batch: the most overlapping clusters over the whole register ---------------------------


@dataclass
class Cluster:
    leden: list[tuple[str, str, str, int]]  # (slug, naam, aanbieder, copies in its network)
    score: float  # mean score of its pairs above the threshold
    paren: int
    themas: list[str]


def netwerksleutel(index: Index, r: int) -> tuple:
    """What identifies the copies of one network (the same desk in every gemeente, the same
    service of each ROM): the dienst's name without the names of its own areas and aanbieder
    and without acronyms (BOM, IQ), with the same soort and labels. Copies have different
    werkgebieden."""
    d = index.diensten[r]
    namen = [normaliseer(d.aanbieder_naam)]
    namen += [normaliseer(index.gebiedsnamen.get(key, "")) for key in d.werkgebied]
    weg = {w for n in namen for w in n.split()} - STOPWOORDEN
    naam = " ".join(w for w in re.findall(r"[^\W_]+", d.naam) if not (len(w) >= 2 and w.isupper()))
    tekst = f" {normaliseer(naam)} "
    for n in sorted(namen, key=len, reverse=True):
        if n:
            tekst = tekst.replace(f" {n} ", " ")
    woorden = [w for w in tekst.split() if w not in weg]
    return (" ".join(woorden), d.soort, d.themas, d.fasen, d.doelgroepen, d.landelijk)


def netwerken(index: Index) -> list[int]:
    """A network number per dienst: copies of one network share it."""
    sleutels: dict[tuple, int] = {}
    return [sleutels.setdefault(netwerksleutel(index, r), len(sleutels)) for r in range(len(index))]


def paren(index: Index, drempel: float, blok: int = 512) -> list[tuple[int, int, float]]:
    """Every pair (i < j) sharing a thema and a gemeente with score ≥ drempel (symmetric: the
    mean of both directions' area share)."""
    x = index.tekst.matrix
    n = len(index)
    uit = []
    ngem = np.maximum(index.beschikbaar.sum(axis=0), 1)
    for start in range(0, n, blok):
        stop = min(start + blok, n)
        tekst = (x[start:stop] @ x.T).toarray()
        thema = (index.thema[start:stop].astype(np.int32) @ index.thema.T.astype(np.int32)) > 0
        for a in range(start, stop):
            row = a - start
            kand = np.flatnonzero(thema[row, a + 1 :] & (tekst[row, a + 1 :] >= 0.15)) + a + 1
            if len(kand) == 0:
                continue
            samen = (index.beschikbaar[:, [a]] & index.beschikbaar[:, kand]).sum(axis=0)
            kand, samen = kand[samen > 0], samen[samen > 0]
            if len(kand) == 0:
                continue
            gebied = 0.5 * (samen / ngem[a] + samen / ngem[kand])
            delen = {
                "gebied": gebied,
                "tekst": tekst[row, kand],
                "thema": _jaccard(index.thema[a], index.thema[kand]),
                "fase": _jaccard(index.fase[a], index.fase[kand]),
                "doelgroep": _jaccard(index.doelgroep[a], index.doelgroep[kand]),
                "soort": np.array(
                    [index.diensten[a].soort == index.diensten[k].soort for k in kand], dtype=float
                ),
            }
            s = totaal(delen)
            for k, sc in zip(kand[s >= drempel], s[s >= drempel], strict=True):
                uit.append((a, int(k), float(sc)))
    return uit


def clusters(
    index: Index, drempel: float = 0.6, max_grootte: int = 12, top: int = 20
) -> tuple[list[Cluster], int]:
    """The most overlapping clusters, and how many diensten are network copies.

    Copies of one network are one node (so a national dienst that overlaps every gemeente's desk
    forms one pair with 'the desk network', not a chain through 342 desks). Clusters are the
    connected components of the pairs at `drempel`; a component larger than `max_grootte` is
    split again at a threshold 0.05 higher, until it is small enough.
    """
    net = netwerken(index)
    aantal_kopie = np.bincount(net)
    alle = paren(index, drempel)
    # pairs between networks: the best member pair
    best: dict[tuple[int, int], float] = {}
    vertegenwoordiger: dict[int, int] = {}
    for a, b, s in alle:
        na, nb = net[a], net[b]
        vertegenwoordiger.setdefault(na, a)
        vertegenwoordiger.setdefault(nb, b)
        if na == nb:
            continue
        key = (min(na, nb), max(na, nb))
        best[key] = max(best.get(key, 0.0), s)

    def componenten(knopen: set[int], drempel_: float) -> list[set[int]]:
        buren: dict[int, set[int]] = {k: set() for k in knopen}
        for (a, b), s in best.items():
            if s >= drempel_ and a in buren and b in buren:
                buren[a].add(b)
                buren[b].add(a)
        gezien: set[int] = set()
        uit = []
        for k in knopen:
            if k in gezien or not buren[k]:
                continue
            stapel, comp = [k], set()
            while stapel:
                x = stapel.pop()
                if x in comp:
                    continue
                comp.add(x)
                stapel.extend(buren[x] - comp)
            gezien |= comp
            uit.append(comp)
        return uit

    af: list[tuple[set[int], float]] = []
    werk = [(c, drempel) for c in componenten({n for key in best for n in key}, drempel)]
    while werk:
        comp, d = werk.pop()
        if len(comp) > max_grootte and d < 0.95:
            werk.extend((c, d + 0.05) for c in componenten(comp, d + 0.05))
        else:
            af.append((comp, d))
    uit = []
    for comp, d in af:
        ps = [s for (a, b), s in best.items() if a in comp and b in comp and s >= d]
        leden = []
        themas: set[str] = set()
        for nk in sorted(comp):
            r = vertegenwoordiger[nk]
            dd = index.diensten[r]
            themas |= set(dd.themas)
            leden.append((dd.slug, dd.naam, dd.aanbieder_naam, int(aantal_kopie[nk])))
        uit.append(
            Cluster(
                leden=leden,
                score=round(float(np.mean(ps)), 3),
                paren=len(ps),
                themas=[t for t in THEMAS if t in themas],
            )
        )
    uit.sort(key=lambda c: (-len(c.leden) * c.score, -c.score, c.leden[0][0]))
    kopieen = int(sum(a for a in aantal_kopie if a > 1))
    return uit[:top], kopieen
