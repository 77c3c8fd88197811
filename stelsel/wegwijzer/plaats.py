"""A place inside the question: a gemeente, woonplaats or postcode (PC4) in the text, and the
nearest names for a misspelled one ("Bedoelt u Sneek?"). Pure: the names come from the geo
reference files (data/geo: gemeenten, aliassen, woonplaatsen, pc4_gemeente).

When is a word a place? Many woonplaats names are also Dutch words ("Best", "Een", "Echt",
"Hoek", "Loon"), so a name counts only
- after a place word ("in", "uit", "bij", "te", "rond", "nabij", "vanuit", "omgeving",
  "regio", "gemeente", "postcode"), when it is not a stop word; or
- written with a capital inside the sentence (not as its first word), when it is a gemeente
  name or a known alias (not a woonplaats, not a stop word).
A postcode is four digits (1000–9999) followed by two capitals ("8911 AB"), or four digits
after a place word that do not look like a year (1900–2099). The longest name wins; a name
that belongs to more than one gemeente at its best rank is left alone.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

PLAATSWOORDEN = frozenset(
    {
        "in",
        "uit",
        "bij",
        "te",
        "rond",
        "nabij",
        "vanuit",
        "omgeving",
        "regio",
        "gemeente",
        "postcode",
        "richting",
    }
)
_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_MAX_WOORDEN = 4
_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


def normaal(tekst: str) -> str:
    """Lower case, accents removed, punctuation folded (as geo.normaliseer)."""
    t = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", t.lower()).strip()


@dataclass(frozen=True)
class Vondst:
    """A place read in the question."""

    code: str  # CBS gemeentecode
    naam: str  # the name as the reference data writes it
    woorden: str  # the words of the question read as the place, as written
    begin: int  # character span in the question, including a place word before it
    eind: int


@dataclass(frozen=True)
class Naam:
    naam: str
    rang: int  # 0 gemeente, 1 alias, 2 woonplaats
    codes: frozenset[str]


class Plaatsen:
    def __init__(
        self,
        namen: list[tuple[str, int, str]],
        pc4: dict[str, str],
        stopwoorden: frozenset[str] = frozenset(),
    ):
        """namen: (name, rank, gemeentecode); pc4: '8911' → gemeentecode."""
        per: dict[str, dict[int, set[str]]] = {}
        schrijfwijze: dict[tuple[str, int], str] = {}
        for naam, rang, code in namen:
            k = normaal(naam)
            if not k:
                continue
            per.setdefault(k, {}).setdefault(rang, set()).add(code)
            schrijfwijze.setdefault((k, rang), naam)
        self.namen: dict[str, Naam] = {}
        for k, rangen in per.items():
            best = min(rangen)
            self.namen[k] = Naam(schrijfwijze[(k, best)], best, frozenset(rangen[best]))
        self.gemeentenaam: dict[str, str] = {}
        for naam, rang, code in namen:
            if rang == 0:
                self.gemeentenaam.setdefault(code, naam)
        self.pc4 = pc4
        self.stopwoorden = stopwoorden
        # for suggestions: each name once, gemeenten and aliases before woonplaatsen
        self._keuzes = sorted(self.namen, key=lambda k: (self.namen[k].rang, k))

    def vind(self, vraag: str) -> Vondst | None:
        """The place in a question, or None."""
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(vraag)]
        low = [normaal(t) for t, _, _ in tokens]
        for i, (tok, start, eind) in enumerate(tokens):
            voor = low[i - 1] if i else ""
            if re.fullmatch(r"[1-9]\d{3}", tok):
                letters = i + 1 < len(tokens) and re.fullmatch(r"[A-Z]{2}", tokens[i + 1][0])
                jaar = 1900 <= int(tok) <= 2099
                if (letters or (voor in PLAATSWOORDEN and not jaar)) and tok in self.pc4:
                    tot = tokens[i + 1][2] if letters else eind
                    van = tokens[i - 1][1] if voor in PLAATSWOORDEN else start
                    code = self.pc4[tok]
                    return Vondst(code, tok, vraag[start:tot], van, tot)
        beste: tuple[int, int, int, Naam] | None = None  # (words, -rank, i, name)
        for i in range(len(tokens)):
            voor = low[i - 1] if i else ""
            for n in range(min(_MAX_WOORDEN, len(tokens) - i), 0, -1):
                k = " ".join(low[i : i + n])
                naam = self.namen.get(k)
                if naam is None or len(naam.codes) != 1 or k in self.stopwoorden:
                    continue
                na_plaatswoord = voor in PLAATSWOORDEN
                hoofdletter = i > 0 and all(t[0].isupper() for t, _, _ in tokens[i : i + n])
                if na_plaatswoord or (hoofdletter and naam.rang < 2):
                    kandidaat = (n, -naam.rang, i, naam)
                    if beste is None or kandidaat[:2] > beste[:2]:
                        beste = kandidaat
                    break
        if beste is None:
            return None
        n, _, i, naam = beste
        van = tokens[i - 1][1] if i and low[i - 1] in PLAATSWOORDEN else tokens[i][1]
        tot = tokens[i + n - 1][2]
        return Vondst(next(iter(naam.codes)), naam.naam, vraag[tokens[i][1] : tot], van, tot)

    def suggesties(self, tekst: str, aantal: int = 3) -> list[str]:
        """The nearest known names for a text that is not one (a misspelled place)."""
        k = normaal(tekst)
        if k in self.namen:  # a name of more than one gemeente: those gemeenten
            codes = self.namen[k].codes
            return sorted(self.gemeentenaam.get(c, c) for c in codes) if len(codes) > 1 else []
        if len(k) < 3:
            return []
        treffers = process.extract(
            k, self._keuzes, scorer=fuzz.ratio, score_cutoff=80, limit=aantal * 3
        )
        out: list[str] = []
        for key, _, _ in sorted(treffers, key=lambda t: (-t[1], self.namen[t[0]].rang)):
            naam = self.namen[key].naam
            if naam not in out:
                out.append(naam)
        return out[:aantal]

    def suggesties_in_vraag(self, vraag: str, aantal: int = 3) -> list[str]:
        """Nearest names for a word after a place word that is no known place but looks like
        one: written with a capital ("in Snek"), not a stop word."""
        verschreven = self._verschreven(vraag, aantal)
        return verschreven[0] if verschreven else []

    def _verschreven(self, vraag: str, aantal: int = 3) -> tuple[list[str], int, int] | None:
        """The suggestions for a misspelled place and its span (with the place word)."""
        tokens = list(_TOKEN.finditer(vraag))
        for i in range(1, len(tokens)):
            tok = tokens[i].group()
            if normaal(tokens[i - 1].group()) not in PLAATSWOORDEN or not tok[:1].isupper():
                continue
            if normaal(tok) in self.stopwoorden:
                continue
            if s := self.suggesties(tok, aantal):
                return s, tokens[i - 1].start(), tokens[i].end()
        return None

    def zonder(self, vraag: str, code: str) -> str:
        """The question without the words that name this gemeente: read as a place, or
        misspelled with one of its names among the suggestions (the user chose it after
        "Bedoelt u …?"). The place is the gemeente, not what the question is about."""
        vondst = self.vind(vraag)
        if vondst is not None and vondst.code == code:
            begin, eind = vondst.begin, vondst.eind
        elif (verschreven := self._verschreven(vraag)) and any(
            code in self.namen[normaal(naam)].codes for naam in verschreven[0]
        ):
            begin, eind = verschreven[1:]
        else:
            return vraag
        return (vraag[:begin] + " " + vraag[eind:]).strip() or vraag


@lru_cache(maxsize=4)
def lees(geo_dir: Path, stopwoorden: frozenset[str] = frozenset()) -> Plaatsen:
    """The place names of the reference files in a geo folder."""
    namen: list[tuple[str, int, str]] = []
    with open(geo_dir / "gemeenten.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            namen.append((r["gemeentenaam"], 0, r["gemeentecode"]))
            namen.append((_SUFFIX.sub("", r["gemeentenaam"]), 0, r["gemeentecode"]))
    with open(geo_dir / "aliassen.csv", encoding="utf-8") as f:
        namen += [(r["naam"], 1, r["gemeentecode"]) for r in csv.DictReader(f)]
    with open(geo_dir / "woonplaatsen.csv", encoding="utf-8") as f:
        namen += [(r["woonplaatsnaam"], 2, r["gemeentecode"]) for r in csv.DictReader(f)]
    with open(geo_dir / "pc4_gemeente.csv", encoding="utf-8") as f:
        # a postcode area on a border: the gemeente with most of its addresses
        rijen = sorted(csv.DictReader(f), key=lambda r: float(r["aandeel_adressen"] or 0))
        pc4 = {r["pc4"]: r["gemeentecode"] for r in rijen}
    return Plaatsen(namen, pc4, stopwoorden)
