"""The built index on disk, so a server that starts again answers its first question without
reading the register and building the index (at 100,000 diensten that takes half a minute).

Two files per database: an uncompressed .npz of plain arrays (no pickles: `allow_pickle`
stays off, so the files can hold data but never code), and a .json beside it with the
documents and the small tables, both carrying the same key. It is written after a build in
a server process and read at its next start when its register version, its data files and
the wegwijzer's code are still the same. The folder is the user's own (mode 0700, checked);
a file that does not fit is ignored and the index is built.
"""

import codecs
import dataclasses
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

from stelsel.config import get_settings
from stelsel.wegwijzer import lexicon as lx
from stelsel.wegwijzer import semantiek as sm
from stelsel.wegwijzer.matching import Bm25, Document, Matcher, Weging

log = logging.getLogger(__name__)
FORMAAT = 1
_CODE = ("matching.py", "semantiek.py", "tekst.py", "lexicon.py", "opslag.py")
_VELDEN = [f.name for f in dataclasses.fields(Document)]
_schrijven = threading.Lock()


def map_() -> Path | None:
    """The folder of the stored indexes (STELSEL_WEGWIJZER_INDEX_MAP; by default the user's
    own in the temporary folder). None when it cannot be made or is not the user's alone."""
    pad = get_settings().wegwijzer_index_map or (
        Path(tempfile.gettempdir()) / f"stelsel-wegwijzer-{os.getuid()}"
    )
    try:
        pad.mkdir(mode=0o700, exist_ok=True)
        st = pad.stat()
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None
    return pad


def bestand(database: str) -> Path | None:
    """The stored index of a database (by its URL, password hidden)."""
    m = map_()
    return m / f"{hashlib.sha1(database.encode()).hexdigest()[:20]}.npz" if m else None


BEWAARDAGEN = 14  # a stored index nobody read or wrote this long: its database is gone
_TIJDELIJK_UREN = 1  # a half-written file this old: its writer died


def vergeet(database: str) -> None:
    """Remove the stored index of a database that is no more (a dropped scratch database)."""
    pad = bestand(database)
    if pad is not None:
        for p in (pad, pad.with_suffix(".lock")):
            p.unlink(missing_ok=True)


def ruim_op(map_pad: Path) -> None:
    """Remove from the folder the stored indexes (with their lock files) that were neither
    read nor written for BEWAARDAGEN days, and half-written files left by a writer that died.
    Every read and write touches its file, so a database in use keeps its index; without this
    each database a machine ever served (a test's, a benchmark's) would keep its file, several
    hundred MB at 100,000 diensten."""
    nu, uur = time.time(), 3600
    for p in map_pad.iterdir():
        try:
            if p.suffix == ".npz":
                oud = nu - p.stat().st_mtime > BEWAARDAGEN * 24 * uur
            elif p.suffix == ".tmp":
                oud = nu - p.stat().st_mtime > _TIJDELIJK_UREN * uur
            elif p.suffix == ".lock":  # of an index that was never written or is gone
                oud = not p.with_suffix(".npz").exists() and nu - p.stat().st_mtime > uur
            else:
                continue
            if oud:
                p.unlink()
        except OSError:
            continue  # gone already, or not ours to remove


def vingerafdruk(data_dir: Path) -> str:
    """What an index is made of besides the register: the wegwijzer's code, the lexicon, the
    stop words, the precomputed vectors and the learnt models."""
    h = hashlib.sha1(str(FORMAAT).encode())
    hier = Path(__file__).parent
    for pad in [
        *(hier / n for n in _CODE),
        hier / "data" / "model.npz",
        data_dir / "lexicon.csv",
        data_dir / "stopwoorden.txt",
        data_dir / "vectoren.npz",
    ]:
        h.update(pad.name.encode())
        h.update(pad.read_bytes() if pad.exists() else b"-")
    return h.hexdigest()


NUL, EEN, TWEE = "\x00", "\x01", "\x02"  # separators of values, of list items, of pairs


def _tekst(waarden: list[str]) -> np.ndarray:
    """Strings as one UTF-8 array (NUL between them): read back with one split."""
    return np.frombuffer(NUL.join(waarden).encode("utf-8"), dtype=np.uint8)


def _teksten(a: np.ndarray, n: int) -> list[str]:
    if n == 0:
        return []
    uit = codecs.utf_8_decode(a)[0].split(NUL)  # type: ignore[arg-type]
    if len(uit) != n:
        raise ValueError("stored index: a column has the wrong length")
    return uit


def _lijsten(waarden: list[str]) -> list[tuple[str, ...]]:
    """Lists stored as one text each; one tuple for each distinct list."""
    gezien: dict[str, tuple[str, ...]] = {"": ()}
    return [
        gezien[w] if w in gezien else gezien.setdefault(w, tuple(w.split(EEN))) for w in waarden
    ]


def bewaar(pad: Path, m: Matcher, sleutel: dict, geldig_tot: date | None = None) -> bool:
    """Write the index `m` with its key (register version, fingerprint, …) to `pad`;
    `geldig_tot`, the last day on which every dienst it holds is still valid (after it, the
    register must be read again). False when a text holds a separator character (then
    nothing is written)."""
    docs = m.docs
    kolommen: dict[str, list[str]] = {
        "dienst_id": [d.dienst_id for d in docs],
        "slug": [d.slug for d in docs],
        "naam": [d.naam for d in docs],
        "omschrijving": [d.omschrijving for d in docs],
        "trefwoorden": [EEN.join(d.trefwoorden) for d in docs],
        "aanbieder_id": [d.aanbieder_id for d in docs],
        "aanbieder_naam": [d.aanbieder_naam for d in docs],
        "aanbieder_korte_naam": [d.aanbieder_korte_naam for d in docs],
        "themas": [EEN.join(d.themas) for d in docs],
        "doelgroepen": [EEN.join(d.doelgroepen) for d in docs],
        "soort": [d.soort for d in docs],
        "kosten": [d.kosten for d in docs],
        "gebieden": [EEN.join(sorted(s + TWEE + c for s, c in d.gebieden)) for d in docs],
        "netwerk": [EEN.join(d.netwerk) if d.netwerk else "" for d in docs],
    }
    stammen = [""] * len(m._stamnummers)
    for s, i in m._stamnummers.items():
        stammen[i] = s
    telling = m.woordtelling()
    gebieden = list(m.per_gebied)
    lijsten = {
        "stammen": stammen,
        "woorden": list(telling),
        "vocab": m.vocab,
        "gebied_namen": [s + TWEE + c for s, c in gebieden],
    }
    verboden = re.compile("[\x00-\x02]")
    if any(
        verboden.search("".join(waarden))
        for k, waarden in (*kolommen.items(), *lijsten.items())
        if k not in _LIJSTEN
    ) or any(
        verboden.search("".join(t))
        for d in docs
        for t in (d.trefwoorden, d.themas, d.doelgroepen, *d.gebieden, d.netwerk or ())
    ):
        return False  # a separator inside a text: not stored (the register has none)
    kop = {
        "sleutel": sleutel,
        "geldig_tot": geldig_tot.isoformat() if geldig_tot else None,
        "velden": _VELDEN,
        "aantal": len(docs),
        "semantiek_ontbreekt": m.semantiek.ontbreekt if m.semantiek else None,
    }
    arrays: dict[str, np.ndarray] = {
        "kop": np.frombuffer(json.dumps(kop).encode(), dtype=np.uint8),
        **{f"kolom_{k}": _tekst(v) for k, v in kolommen.items()},
        **{f"lijst_{k}": _tekst(v) for k, v in lijsten.items()},
        "lijst_lengtes": np.array([len(v) for v in lijsten.values()], dtype=np.int64),
        "woord_aantal": np.fromiter(telling.values(), dtype=np.int64, count=len(telling)),
        "doc_eerstelijns": np.array([d.eerstelijns for d in docs], dtype=bool),
        "doc_markt": np.array([d.markt for d in docs], dtype=bool),
        "doc_landelijk": np.array([d.landelijk for d in docs], dtype=bool),
        "bm25_data": m.bm25.data,
        "bm25_indices": m.bm25.indices,
        "bm25_indptr": m.bm25.indptr,
        "bm25_tf": m.bm25.tf,
        "bm25_lengte": m.bm25.lengte,
        **{k: getattr(m, k) for k in _ARRAYS},
        "gebied_lengte": np.array([len(m.per_gebied[g]) for g in gebieden], dtype=np.int64),
        "gebied_docs": np.concatenate([m.per_gebied[g] for g in gebieden])
        if gebieden
        else np.zeros(0, dtype=np.int32),
    }
    del kolommen, lijsten
    sem = m.semantiek
    if sem is not None and m.thema_vectoren is not None:
        arrays |= {
            "sem_matrix": sem.matrix,
            "sem_rij": sem.rij,
            "sem_deel_doc": sem.deel_doc,
            "sem_deel_rij": sem.deel_rij,
            "thema_vectoren": m.thema_vectoren,
        }
    tijdelijk = pad.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    with _schrijven:
        try:
            with open(tijdelijk, "wb") as f:
                np.savez(f, **arrays)  # type: ignore[arg-type]
            os.replace(tijdelijk, pad)
        finally:
            tijdelijk.unlink(missing_ok=True)
    ruim_op(pad.parent)
    return True


_LIJSTEN = {"trefwoorden", "themas", "doelgroepen", "gebieden", "netwerk", "gebied_namen"}
_ARRAYS = (
    "thema_matrix",
    "thema_aantal",
    "landelijk",
    "eerstelijns",
    "markt",
    "soort_info",
    "breedte",
    "soort_code",
    "netwerken",
)


def lees_kop(pad: Path) -> dict | None:
    """Only the key of a stored index and its last valid day (None without a readable file)."""
    try:
        with np.load(pad, allow_pickle=False) as z:
            return json.loads(z["kop"].tobytes())
    except (OSError, ValueError, KeyError):
        return None


def laad(
    pad: Path,
    sleutel: dict,
    termen: list[lx.Term],
    stopwoorden: frozenset[str],
    weging: Weging | None = None,
) -> Matcher | None:
    """The stored index when its key is `sleutel` (and it is still valid today), else None."""
    if not pad.exists():
        return None
    try:
        with np.load(pad, allow_pickle=False) as z:
            kop = json.loads(z["kop"].tobytes())
            if kop.get("sleutel") != sleutel or kop.get("velden") != _VELDEN:
                return None
            einde = kop.get("geldig_tot")
            if einde is not None and date.fromisoformat(einde) < date.today():
                return None  # a dienst it holds has ended since: the register must be read
            a = {k: z[k] for k in z.files if k != "kop"}
        m = _matcher(a, kop, termen, stopwoorden, weging)
        os.utime(pad)  # in use: kept by ruim_op
        return m
    except (OSError, ValueError, KeyError):
        log.warning("wegwijzer_index_onleesbaar", exc_info=True)
        return None


def _matcher(a: dict, kop: dict, termen, stopwoorden, weging) -> Matcher:
    n = int(kop["aantal"])
    lengtes = [int(x) for x in a["lijst_lengtes"]]
    stammen, woorden, vocab, gebied_namen = (
        _teksten(a[f"lijst_{k}"], lengte)
        for k, lengte in zip(("stammen", "woorden", "vocab", "gebied_namen"), lengtes, strict=True)
    )
    m = Matcher.__new__(Matcher)
    m.docs = _documenten(a, n)
    m.termen, m.stopwoorden = termen, stopwoorden
    m.lexicon = lx.Lexicon(termen)
    m.w = weging or Weging()
    m._stamnummers = {s: i for i, s in enumerate(stammen)}
    m.bm25 = Bm25.uit(
        m._stamnummers,
        a["bm25_data"],
        a["bm25_indices"],
        a["bm25_indptr"],
        a["bm25_tf"],
        a["bm25_lengte"],
    )
    aantallen = a["woord_aantal"]
    m._woorden = None
    m._woorden_later = lambda: Counter(dict(zip(woorden, aantallen.tolist(), strict=True)))
    m.gestemd = 0
    m.vocab = vocab
    m.vocab_set = set(vocab)
    m._typos, m._sterk = {}, {}
    m.kenmerken_nodig, m.laatste_kenmerken, m.laatste_analyse = False, None, None
    for k in _ARRAYS:
        setattr(m, k, a[k])
    eigen: dict[frozenset[str], frozenset[str]] = {}
    m.doelgroepen = [
        eigen.setdefault(g, g) for g in map(frozenset, (d.doelgroepen for d in m.docs))
    ]
    m.classifier = None
    grenzen = np.cumsum(a["gebied_lengte"])[:-1]
    m.per_gebied = {
        _paar(g): i for g, i in zip(gebied_namen, np.split(a["gebied_docs"], grenzen), strict=True)
    }
    m.semantiek, m.thema_vectoren = None, None
    if "sem_matrix" in a:
        m.semantiek = sm.Semantiek.uit(
            a["sem_matrix"],
            a["sem_rij"],
            a["sem_deel_doc"],
            a["sem_deel_rij"],
            kop["semantiek_ontbreekt"] or 0,
        )
        m.thema_vectoren = a["thema_vectoren"]
    return m


def _paar(w: str) -> tuple[str, str]:
    s, _, c = w.partition(TWEE)
    return s, c


def _documenten(a: dict, n: int) -> list[Document]:
    """Documents from their stored columns, with one object for each value many of them share
    (a provider's id and names, the thema's, soort, areas)."""
    een: dict = {}
    deel = een.setdefault

    def kolom(naam: str, gedeeld: bool = False) -> list:
        waarden = _teksten(a[f"kolom_{naam}"], n)
        return [deel(w, w) for w in waarden] if gedeeld else waarden

    def lijsten(naam: str) -> list:
        return [deel(t, t) for t in _lijsten(_teksten(a[f"kolom_{naam}"], n))]

    def gebied(w: str) -> frozenset[tuple[str, str]]:
        return frozenset(deel(p, p) for p in map(_paar, w.split(EEN))) if w else frozenset()

    per_tekst: dict[str, frozenset[tuple[str, str]]] = {}
    gebieden = [
        per_tekst[w] if w in per_tekst else per_tekst.setdefault(w, gebied(w))
        for w in _teksten(a["kolom_gebieden"], n)
    ]
    netwerk = [
        deel(t, t) if (t := tuple(w.split(EEN))) and w else None
        for w in kolom("netwerk", gedeeld=True)
    ]
    return [
        Document(*rij)
        for rij in zip(
            kolom("dienst_id"),
            kolom("slug"),
            kolom("naam"),
            kolom("omschrijving"),
            lijsten("trefwoorden"),
            kolom("aanbieder_id", gedeeld=True),
            kolom("aanbieder_naam", gedeeld=True),
            kolom("aanbieder_korte_naam", gedeeld=True),
            a["doc_eerstelijns"].tolist(),
            lijsten("themas"),
            lijsten("doelgroepen"),
            kolom("soort", gedeeld=True),
            kolom("kosten", gedeeld=True),
            a["doc_landelijk"].tolist(),
            gebieden,
            a["doc_markt"].tolist(),
            netwerk,
            strict=True,
        )
    ]
