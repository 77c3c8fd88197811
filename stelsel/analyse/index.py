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
from functools import cached_property

import numpy as np

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
        # which gemeenten an area code covers
        leden: dict[tuple[str, str], list[int]] = {}
        for i, g in enumerate(self.gemeenten):
            for key in g.gebieden():
                leden.setdefault(key, []).append(i)
        self.leden = {k: np.array(v, dtype=np.int32) for k, v in leden.items()}
        # availability: gemeente × dienst
        self.beschikbaar = np.zeros((ng, n), dtype=bool)
        self.beschikbaar[:, self.landelijk] = True
        for j, d in enumerate(diensten):
            for key in d.werkgebied:
                rijen = self.leden.get(key)
                if rijen is not None:
                    self.beschikbaar[rijen, j] = True
        # the thema × fase and thema × doelgroep cell(s) of each dienst, as one-hot columns
        self.cel_tf = (self.thema[:, :, None] & self.fase[:, None, :]).reshape(n, -1)
        self.cel_td = (self.thema[:, :, None] & self.doelgroep[:, None, :]).reshape(n, -1)
        b = self.beschikbaar.astype(np.float32)
        regionaal = b * (~self.landelijk).astype(np.float32)
        persoonlijk = b * self.persoonlijk.astype(np.float32)
        tf = self.cel_tf.astype(np.float32)
        td = self.cel_td.astype(np.float32)
        # per gemeente and cell: how many diensten (all, regional or local, personal)
        self.tf_alle = (b @ tf).astype(np.int32)
        self.tf_regionaal = (regionaal @ tf).astype(np.int32)
        self.tf_persoonlijk = (persoonlijk @ tf).astype(np.int32)
        self.td_alle = (b @ td).astype(np.int32)
        self.td_regionaal = (regionaal @ td).astype(np.int32)

    def __len__(self) -> int:
        return len(self.diensten)

    @cached_property
    def tekst(self) -> Tekstindex:
        """The TF-IDF index of all descriptions (built on first use: the scan needs none)."""
        return Tekstindex(
            dienst_tekst(d.naam, d.omschrijving, d.trefwoorden) for d in self.diensten
        )

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

    def regio(self, code: str) -> tuple[str, str, np.ndarray]:
        """(soort, naam, gemeente positions) of a PV/AM/CR/GM code; KeyError when unknown."""
        code = code.strip().upper()
        soort = GEBIEDSOORTEN.get(code[:2])
        if soort is None or (soort, code) not in self.leden:
            raise KeyError(code)
        return soort, self.gebiedsnamen.get((soort, code), code), self.leden[(soort, code)]

    def regio_codes(self, soort: str) -> list[str]:
        return sorted(c for s, c in self.leden if s == soort)
