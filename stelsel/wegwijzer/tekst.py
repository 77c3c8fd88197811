"""Text handling for Dutch questions and service texts: words, stems, stop words."""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer

_WORD = re.compile(r"[a-z0-9&]+")


@lru_cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def normaliseer(text: str) -> str:
    """Lower case without accents: 'Beëindigen' → 'beeindigen'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def woorden(text: str) -> list[str]:
    """The words of a text, normalised."""
    return _WORD.findall(normaliseer(text))


def stam(woord: str) -> str:
    return _stemmer().stemWord(woord)


_STAMMEN: dict[str, str] = {}  # word → stem, for the register's texts (millions of words)
_MAX_STAMMEN = 500_000


def stammen(words: list[str], stopwoorden: frozenset[str] = frozenset()) -> list[str]:
    """Stems of the words that are not stop words."""
    bekend = _STAMMEN
    uit = []
    for w in words:
        if w in stopwoorden:
            continue
        s = bekend.get(w)
        if s is None:
            if len(bekend) >= _MAX_STAMMEN:
                bekend.clear()
            s = bekend[w] = stam(w)
        uit.append(s)
    return uit


def lees_stopwoorden(path: Path) -> frozenset[str]:
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)
