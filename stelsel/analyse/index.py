"""The analyses' in-memory view of the register: every dienst as arrays (labels as one-hot
columns, availability per gemeente as a boolean matrix), built once per register version from
plain values. Pure: no database, no ORM.

Availability follows the register's rule: a dienst without werkgebied is landelijk (available in
every gemeente); a regional dienst is available in gemeente G when G, or G's provincie, COROP
area or arbeidsmarktregio, is one of its areas.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from stelsel.analyse.tekst import Tekstindex, dienst_tekst
from stelsel.register import service as register
from stelsel.register import taxonomie as tx

AnalyseDienst = register.analysebron.AnalyseDienst

THEMAS = tx.codes(tx.THEMAS)
FASEN = tx.codes(tx.FASEN)
DOELGROEPEN = tx.codes(tx.DOELGROEPEN)
# Kinds of dienst that give personal help (someone works with the entrepreneur), as opposed to
# information, tools, money, networks or courses.
PERSOONLIJK = ("advies", "programma")
GEBIEDSOORTEN = {"PV": "provincie", "AM": "arbeidsmarktregio", "CR": "corop", "GM": "gemeente"}


@dataclass(frozen=True)
class GemeenteInfo:
    code: str
    naam: str
    provincie: str
    corop: str
    arbeidsmarktregio: str

    def gebieden(self) -> tuple[tuple[str, str], ...]:
        return (
            ("gemeente", self.code),
            ("provincie", self.provincie),
            ("corop", self.corop),
            ("arbeidsmarktregio", self.arbeidsmarktregio),
        )


@lru_cache(maxsize=65536)
def normaliseer(tekst: str) -> str:
    t = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def _one_hot(waarden: list[tuple[str, ...]], codes: tuple[str, ...]) -> np.ndarray:
    pos = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(waarden), len(codes)), dtype=bool)
    for r, vs in enumerate(waarden):
        for v in vs:
            if v in pos:
                m[r, pos[v]] = True
    return m


def _bits(one_hot: np.ndarray) -> np.ndarray:
    """Each row of a one-hot matrix (at most 16 columns) as one 16-bit mask."""
    gewicht = (1 << np.arange(one_hot.shape[1], dtype=np.uint32)).astype(np.uint16)
    return (one_hot.astype(np.uint16) * gewicht).sum(axis=1, dtype=np.uint16)


def bits(codes: tuple[str, ...], alle: tuple[str, ...]) -> int:
    """A set of codes as the bit mask _bits gives."""
    return sum(1 << i for i, c in enumerate(alle) if c in codes)


class Index:
    """Diensten and gemeenten as arrays, for the scan, the toets and the batch overlap."""

    def __init__(
        self,
        diensten: list[AnalyseDienst],
        gemeenten: list[GemeenteInfo],
        gebiedsnamen: dict[tuple[str, str], str],
    ):
        self.diensten = diensten
        self.gemeenten = sorted(gemeenten, key=lambda g: g.code)
        self.gebiedsnamen = gebiedsnamen
        self.gm_pos = {g.code: i for i, g in enumerate(self.gemeenten)}
        n, ng = len(diensten), len(self.gemeenten)
        self.pos = {d.slug: i for i, d in enumerate(diensten)}
        self.landelijk = np.fromiter((d.landelijk for d in diensten), dtype=bool, count=n)
        self.persoonlijk = np.fromiter(
            (d.soort in PERSOONLIJK for d in diensten), dtype=bool, count=n
        )
        self.thema = _one_hot([d.themas for d in diensten], THEMAS)
        self.fase = _one_hot([d.fasen for d in diensten], FASEN)
        self.doelgroep = _one_hot([d.doelgroepen for d in diensten], DOELGROEPEN)
        # the same labels as bit masks, for fast set arithmetic in the toets
        self.thema_bits = _bits(self.thema)
        self.fase_bits = _bits(self.fase)
        self.doelgroep_bits = _bits(self.doelgroep)
        # which gemeenten an area code covers
        leden: dict[tuple[str, str], list[int]] = {}
        for i, g in enumerate(self.gemeenten):
            for key in g.gebieden():
                leden.setdefault(key, []).append(i)
        self.leden = {k: np.array(v, dtype=np.int32) for k, v in leden.items()}
        # availability: gemeente × dienst; national diensten everywhere, regional ones where
        # one of their areas covers the gemeente (collected as (gemeente, dienst) pairs)
        rij: list[np.ndarray] = []
        kol: list[np.ndarray] = []
        for j, d in enumerate(diensten):
            if d.landelijk:
                continue
            for key in d.werkgebied:
                rijen = self.leden.get(key)
                if rijen is not None:
                    rij.append(rijen)
                    kol.append(np.full(len(rijen), j, dtype=np.int32))
        r = np.concatenate(rij) if rij else np.zeros(0, dtype=np.int32)
        k = np.concatenate(kol) if kol else np.zeros(0, dtype=np.int32)
        self.beschikbaar = np.zeros((ng, n), dtype=bool)
        self.beschikbaar[:, self.landelijk] = True
        self.beschikbaar[r, k] = True
        regionaal = sparse.csr_matrix((np.ones(len(r), dtype=np.float32), (r, k)), shape=(ng, n))
        regionaal.data[:] = 1.0  # an area listed twice (PV and its gemeente) counts once
        self.regionaal = regionaal
        soorten = {c: i for i, c in enumerate(tx.codes(tx.DIENST_SOORTEN))}
        self.soort = np.fromiter(
            (soorten.get(d.soort, -1) for d in diensten), dtype=np.int16, count=n
        )
        # the thema × fase and thema × doelgroep cell(s) of each dienst, as one-hot columns
        self.cel_tf = (self.thema[:, :, None] & self.fase[:, None, :]).reshape(n, -1)
        self.cel_td = (self.thema[:, :, None] & self.doelgroep[:, None, :]).reshape(n, -1)
        land = self.landelijk.astype(np.float32)
        pers = self.persoonlijk.astype(np.float32)
        tf = self.cel_tf.astype(np.float32)
        td = self.cel_td.astype(np.float32)

        def tel(cellen: np.ndarray, gewicht: np.ndarray | None = None) -> tuple:
            """Per gemeente and cell: all diensten, and the regional or local ones."""
            c = cellen if gewicht is None else cellen * gewicht[:, None]
            reg = np.asarray(regionaal @ c)
            return (reg + land @ c).astype(np.int32), reg.astype(np.int32)

        self.tf_alle, self.tf_regionaal = tel(tf)
        self.tf_persoonlijk, _ = tel(tf, pers)
        self.td_alle, self.td_regionaal = tel(td)

    def __len__(self) -> int:
        return len(self.diensten)

    @cached_property
    def tekst(self) -> Tekstindex:
        """The TF-IDF index of all descriptions (built on first use: the scan needs none)."""
        return Tekstindex(
            dienst_tekst(d.naam, d.omschrijving, d.trefwoorden) for d in self.diensten
        )

    @cached_property
    def netwerk(self) -> np.ndarray:
        """A network number per dienst: copies of one network share it (overlap.netwerken)."""
        from stelsel.analyse.overlap import netwerken

        return np.array(netwerken(self), dtype=np.int32)

    def gemeenten_van_gebied(self, werkgebied: tuple[tuple[str, str], ...]) -> np.ndarray:
        """Boolean mask over gemeenten: where a dienst with this werkgebied is available."""
        mask = np.zeros(len(self.gemeenten), dtype=bool)
        if not werkgebied:
            mask[:] = True
        for key in werkgebied:
            rijen = self.leden.get(key)
            if rijen is not None:
                mask[rijen] = True
        return mask

    def gemeenten_per_dienst(self, gebied: np.ndarray) -> np.ndarray:
        """For a gemeente mask: in how many of those gemeenten each dienst is available."""
        reg = np.asarray(self.regionaal[np.flatnonzero(gebied)].sum(axis=0)).ravel()
        return reg + self.landelijk * int(gebied.sum())

    def regio(self, code: str) -> tuple[str, str, np.ndarray]:
        """(soort, naam, gemeente positions) of a PV/AM/CR/GM code; KeyError when unknown."""
        code = code.strip().upper()
        soort = GEBIEDSOORTEN.get(code[:2])
        if soort is None or (soort, code) not in self.leden:
            raise KeyError(code)
        return soort, self.gebiedsnamen.get((soort, code), code), self.leden[(soort, code)]

    def regio_codes(self, soort: str) -> list[str]:
        return sorted(c for s, c in self.leden if s == soort)
