"""Text similarity of dienst descriptions: TF-IDF over Dutch word stems plus character 4-grams of
long words, cosine similarity. Pure: no database.

Why this measure: Dutch glues words together ("financieringsadvies", "bedrijfsfinanciering")
and spells the same idea several ways; stems catch inflection ("ondernemers" ~ "ondernemer"),
and 4-grams of the long words catch the shared parts of compounds. TF-IDF weighs the rare
words that make two descriptions alike above the words every dienst uses ("ondernemer",
"bedrijf"). It builds the index for 100,000 diensten in seconds and scores one proposal against
thousands of candidates in milliseconds (one sparse product), where a sentence encoder costs
~0.4 s per text. See docs/analyse.md.
"""

import re
from collections.abc import Iterable
from functools import cached_property

import numpy as np
import Stemmer
from scipy import sparse  # type: ignore[import-untyped]

_WOORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("dutch")
LANG = 8  # words at least this long also give character 4-grams (compounds)

STOPWOORDEN = frozenset(
    """aan al als bij dan dat de den der des deze die dit door een en er heeft hem het hij hoe
    hun ik in is je kan kunt met meer mijn na naar niet nog of om onder ons ook op over te tot
    u uit uw van veel voor waar wat wie wij wil wilt worden wordt zo zich zijn zoals""".split()
)


def termen(tekst: str) -> list[str]:
    """The features of a text: word stems, and 4-grams of long words."""
    woorden = [w for w in _WOORD.findall(tekst.lower()) if w not in STOPWOORDEN and len(w) > 1]
    uit: list[str] = []
    for stam, woord in zip(_STEMMER.stemWords(woorden), woorden, strict=True):
        uit.append(stam)
        if len(woord) >= LANG:
            uit.extend("#" + woord[i : i + 4] for i in range(len(woord) - 3))
    return uit


def dienst_tekst(naam: str, omschrijving: str, trefwoorden: str) -> str:
    """What is compared of a dienst: the name counts twice, then description and keywords."""
    return f"{naam}. {naam}. {omschrijving} {trefwoorden.replace(';', ' ')}"


class Tekstindex:
    """TF-IDF vectors of many texts; `vector()` turns a new text into the same space.

    Kept by column (feature): a proposal has a few dozen features, so its similarity with every
    text touches only those columns, not the whole matrix."""

    def __init__(self, teksten: Iterable[str]):
        # imported here, not with the module: scikit-learn takes about a second to import, and
        # every server process and CLI command imports this module without needing it
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            analyzer=termen, sublinear_tf=True, min_df=1, dtype=np.float32
        )
        self.kolommen: sparse.csc_matrix = self.vectorizer.fit_transform(list(teksten)).tocsc()

    @cached_property
    def matrix(self) -> sparse.csr_matrix:
        """By row (text), for the batch over all pairs."""
        return self.kolommen.tocsr()

    def vector(self, tekst: str) -> sparse.csr_matrix:
        return self.vectorizer.transform([tekst]).tocsr()

    def gelijkenis(self, vector: sparse.csr_matrix, rijen: np.ndarray) -> np.ndarray:
        """Cosine similarity of `vector` with the texts at `rijen` (rows are L2-normalised)."""
        if len(rijen) == 0:
            return np.zeros(0, dtype=np.float32)
        alle = self.kolommen[:, vector.indices] @ vector.data
        return np.asarray(alle).ravel()[rijen]
