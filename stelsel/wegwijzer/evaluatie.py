"""Evaluation of the wegwijzer on a labelled question set: hit@k, thema micro-F1, soort
accuracy and latency, for the wegwijzer and a plain BM25 baseline. Pure functions."""

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stelsel.wegwijzer.matching import (
    INFORMATIE_SOORTEN,
    THEMAS,
    Analyse,
    Bomen,
    Document,
    Matcher,
    thema_kenmerken,
)


@dataclass(frozen=True)
class Vraag:
    id: str
    vraag: str
    gemeente: str | None
    themas: tuple[str, ...]
    soort: str
    aanbieders: tuple[str, ...]


@dataclass(frozen=True)
class Voorspelling:
    themas: list[str]
    soort: str
    aanbieder_namen: list[str]  # ranked


@dataclass
class Uitslag:
    hit1: float
    hit3: float
    thema_f1: float
    soort_acc: float
    p50_ms: float
    p95_ms: float
    missers: list[str]


def lees_vragen(path: Path) -> list[Vraag]:
    vragen = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            vragen.append(
                Vraag(
                    r["id"],
                    r["vraag"],
                    r.get("gemeente"),
                    tuple(r["themas"]),
                    r["soort"],
                    tuple(r["aanbieders"]),
                )
            )
    return vragen


def lees_aliassen(path: Path) -> dict[str, list[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _normaal(naam: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", naam.lower()).strip() + " "


def past(naam: str, sleutels: Sequence[str], aliassen: dict[str, list[str]]) -> bool:
    """Whether a provider name matches one of the acceptable keys (whole-word fragments). A
    key that is not in `aliassen` is an aanbieder's own name and is its own fragment."""
    n = _normaal(naam)
    return any(_normaal(frag) in n for k in sleutels for frag in aliassen.get(k, [k]))


def evalueer(
    vragen: Sequence[Vraag],
    voorspel: Callable[[Vraag], Voorspelling],
    aliassen: dict[str, list[str]],
) -> Uitslag:
    """Run every question through `voorspel` and compute the figures."""
    hit1 = hit3 = soort_ok = 0
    tp = fp = fn = 0
    tijden, missers = [], []
    for v in vragen:
        start = time.perf_counter()
        p = voorspel(v)
        tijden.append((time.perf_counter() - start) * 1000)
        h1 = any(past(n, v.aanbieders, aliassen) for n in p.aanbieder_namen[:1])
        h3 = any(past(n, v.aanbieders, aliassen) for n in p.aanbieder_namen[:3])
        hit1 += h1
        hit3 += h3
        if not h3:
            missers.append(v.id)
        soort_ok += p.soort == v.soort
        gold, pred = set(v.themas), set(p.themas)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    n = len(vragen) or 1
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return Uitslag(
        hit1=hit1 / n,
        hit3=hit3 / n,
        thema_f1=f1,
        soort_acc=soort_ok / n,
        p50_ms=float(np.percentile(tijden, 50)) if tijden else 0.0,
        p95_ms=float(np.percentile(tijden, 95)) if tijden else 0.0,
        missers=missers,
    )


class Baseline:
    """Plain BM25 over the register's names and descriptions: lower-cased words, no stemming,
    no lexicon, no region. Thema's and soort are those of the top result."""

    def __init__(self, documenten: Sequence[Document]):
        import bm25s  # here, not with the module: the CLI imports this module at every start

        self.docs = list(documenten)
        corpus = [re.findall(r"\w+", f"{d.naam} {d.omschrijving}".lower()) for d in self.docs]
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)

    def voorspel(self, v: Vraag) -> Voorspelling:
        scores = self.bm25.get_scores(re.findall(r"\w+", v.vraag.lower()))
        order = [i for i in np.argsort(-scores)[:20] if scores[i] > 0]
        namen, gezien = [], set()
        for i in order:
            naam = self.docs[i].aanbieder_naam
            if naam not in gezien:
                gezien.add(naam)
                namen.append(naam)
        top = self.docs[order[0]] if order else None
        return Voorspelling(
            themas=list(top.themas) if top else [],
            soort="informatie" if top and top.soort in INFORMATIE_SOORTEN else "advies",
            aanbieder_namen=namen,
        )


def tabel(wegwijzer: Uitslag, baseline: Uitslag) -> str:
    """Both results side by side."""
    rows = [
        ("hit@1", wegwijzer.hit1, baseline.hit1, "{:.2f}"),
        ("hit@3", wegwijzer.hit3, baseline.hit3, "{:.2f}"),
        ("thema micro-F1", wegwijzer.thema_f1, baseline.thema_f1, "{:.2f}"),
        ("soort accuracy", wegwijzer.soort_acc, baseline.soort_acc, "{:.2f}"),
        ("latency p50 (ms)", wegwijzer.p50_ms, baseline.p50_ms, "{:.1f}"),
        ("latency p95 (ms)", wegwijzer.p95_ms, baseline.p95_ms, "{:.1f}"),
    ]
    lines = [f"{'':<18}{'wegwijzer':>12}{'BM25-basis':>12}"]
    for name, a, b, fmt in rows:
        lines.append(f"{name:<18}{fmt.format(a):>12}{fmt.format(b):>12}")
    return "\n".join(lines)


# --- the learnt thema model -------------------------------------------------------------------


def thema_voorbeelden(m: Matcher, analyses: Sequence[Analyse]) -> list[np.ndarray]:
    """The thema features of each analysed question (made with the thema model off)."""
    out = []
    for a in analyses:
        z = np.array([a.zeroshot.get(c, 0.0) for c in THEMAS])
        st = m._thema_van(a.semantisch) if a.semantisch is not None else np.zeros(len(THEMAS))
        out.append(
            thema_kenmerken(
                a.termen,
                np.array([a.retrieval[c] for c in THEMAS]),
                np.array([a.thema_scores[c] for c in THEMAS]),
                z,
                st,
            )
        )
    return out


def leer_themamodel(
    kenmerken: Sequence[np.ndarray], goud: Sequence[Sequence[str]], c: float = 0.3
) -> tuple[float, ...]:
    """Logistic regression over (question, thema) pairs: the weights of `thema_kenmerken`
    and the intercept, for `Weging.thema_model`."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate(list(kenmerken))
    y = np.concatenate([[t in g for t in THEMAS] for g in goud])
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return tuple(round(float(w), 4) for w in [*model.coef_[0], model.intercept_[0]])


def voorspel_themas(model: Sequence[float], x: np.ndarray) -> set[str]:
    """The thema's the model gives (as `Matcher.analyseer` does): from 0.5, and the best."""
    w = np.asarray(model)
    kans = 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))
    return {THEMAS[i] for i in range(len(THEMAS)) if kans[i] >= 0.5 or i == int(kans.argmax())}


def thema_f1(voorspeld: Sequence[set[str]], goud: Sequence[Sequence[str]]) -> float:
    tp = fp = fn = 0
    for p, g in zip(voorspeld, goud, strict=True):
        tp += len(p & set(g))
        fp += len(p - set(g))
        fn += len(set(g) - p)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def kruisvalidatie_themas(
    sets: dict[str, tuple[list[np.ndarray], list[Sequence[str]]]], c: float = 0.3
) -> dict[str, float]:
    """Leave one set out: the thema micro-F1 on each set of a model fitted on the others."""
    uit = {}
    for naam, (x, g) in sets.items():
        andere = [k for k in sets if k != naam]
        model = leer_themamodel(
            [r for k in andere for r in sets[k][0]], [r for k in andere for r in sets[k][1]], c
        )
        uit[naam] = thema_f1([voorspel_themas(model, r) for r in x], g)
    return uit


# --- the learnt ranking -----------------------------------------------------------------------

BOMEN = 300  # trees of the learnt ranking
DIEPTE = 3  # their depth
LEERTEMPO = 0.05


def leer_rangschikking(
    kenmerken: Sequence[np.ndarray], goed: Sequence[np.ndarray], seed: int = 0
) -> Bomen:
    """Boosted trees over (question, candidate) rows, `Matcher._kenmerken` against whether
    the candidate's provider is a right door; the candidates are then ordered by the sum of
    the trees' leaves (the log-odds, less a constant)."""
    from sklearn.ensemble import GradientBoostingClassifier

    x = np.concatenate(list(kenmerken)).astype(np.float32)
    y = np.concatenate(list(goed)).astype(int)
    model = GradientBoostingClassifier(
        n_estimators=BOMEN,
        max_depth=DIEPTE,
        learning_rate=LEERTEMPO,
        subsample=0.8,
        random_state=seed,
    ).fit(x, y)
    bomen = [b[0].tree_ for b in model.estimators_]
    breed = max(t.node_count for t in bomen)
    kenmerk = np.zeros((len(bomen), breed), dtype=np.int64)
    drempel = np.full((len(bomen), breed), np.inf, dtype=np.float32)
    links = np.tile(np.arange(breed), (len(bomen), 1))
    rechts = links.copy()
    waarde = np.zeros((len(bomen), breed), dtype=np.float32)
    for i, t in enumerate(bomen):
        n = t.node_count
        blad = t.children_left[:n] < 0
        kenmerk[i, :n] = np.where(blad, 0, t.feature[:n])
        drempel[i, :n] = np.where(blad, np.inf, t.threshold[:n])
        links[i, :n] = np.where(blad, np.arange(n), t.children_left[:n])
        rechts[i, :n] = np.where(blad, np.arange(n), t.children_right[:n])
        waarde[i, :n] = np.where(blad, LEERTEMPO * t.value[:n, 0, 0], 0.0)
    return Bomen(kenmerk, drempel, links, rechts, waarde, DIEPTE, x.shape[1])


def bewaar_model(pad: Path, bomen: Bomen, thema: Sequence[float]) -> None:
    np.savez_compressed(
        pad,
        kenmerk=bomen.kenmerk.astype(np.int16),
        drempel=bomen.drempel,
        links=bomen.links.astype(np.int16),
        rechts=bomen.rechts.astype(np.int16),
        waarde=bomen.waarde,
        diepte=np.array(bomen.diepte),
        kenmerken=np.array(bomen.kenmerken),
        thema=np.array(thema, dtype=np.float64),
    )


# --- fitting both models, with cross-validation over the labelled sets ------------------------


def leer(
    session, sets: dict[str, Path], aliassen: dict[str, list[str]], pad: Path | None = None
) -> str:
    """Fit the thema model and the learnt ranking on these sets, report leave-one-set-out
    figures (each set measured with models fitted on the others only) and, with `pad`, write
    the models fitted on all sets. Returns the report."""
    import dataclasses

    from stelsel.wegwijzer import service
    from stelsel.wegwijzer.matching import algemeen

    m = service.matcher(session=session)
    basis = m.w
    vragen = {k: lees_vragen(p) for k, p in sets.items()}

    def doorloop(weging, naam):
        """Each question's analysis, candidate features and labels, and the predictions."""
        m.w = weging
        m.kenmerken_nodig = True
        uit = []
        try:
            for v in vragen[naam]:
                m.laatste_kenmerken = m.laatste_analyse = None
                a = service.advies(
                    session=session, vraag=v.vraag, gemeente=v.gemeente, registreer=False
                )
                kop, x = m.laatste_kenmerken or (np.zeros(0, int), np.zeros((0, 1)))
                goed = np.array(
                    [
                        past(
                            algemeen(m.docs[i].netwerk[1])
                            if m.docs[i].netwerk and a.gemeente is None
                            else m.docs[i].aanbieder_naam,
                            v.aanbieders,
                            aliassen,
                        )
                        for i in kop
                    ],
                    dtype=bool,
                )
                uit.append((m.laatste_analyse, x, goed, a))
        finally:
            m.w, m.kenmerken_nodig = basis, False
        return uit

    def cijfers(rijen, naam):
        goud = [v.themas for v in vragen[naam]]
        h1 = h3 = 0
        for (_, _, _, a), v in zip(rijen, vragen[naam], strict=True):
            namen = [r.aanbieder_naam for r in a.resultaten]
            h1 += any(past(n, v.aanbieders, aliassen) for n in namen[:1])
            h3 += any(past(n, v.aanbieders, aliassen) for n in namen[:3])
        f1 = thema_f1([set(a.themas) for *_, a in rijen], goud)
        n = len(goud) or 1
        return f"{h1 / n:.2f} / {h3 / n:.2f} / {f1:.2f}"

    uit_regel = dataclasses.replace(basis, thema_model=(), rangschikker=None)
    regel = {k: doorloop(uit_regel, k) for k in sets}
    thema_x = {k: thema_voorbeelden(m, [r[0] for r in regel[k]]) for k in sets}
    goud = {k: [v.themas for v in vragen[k]] for k in sets}

    def modellen(namen):
        thema = leer_themamodel(
            [x for k in namen for x in thema_x[k]], [g for k in namen for g in goud[k]]
        )
        met_thema = dataclasses.replace(uit_regel, thema_model=thema)
        rijen = {k: doorloop(met_thema, k) for k in namen}
        bomen = leer_rangschikking(
            [r[1] for k in namen for r in rijen[k]], [r[2] for k in namen for r in rijen[k]]
        )
        return thema, bomen

    regels = ["set | rule (no models) | thema model + learnt ranking, fitted without this set"]
    for k in sets:
        thema, bomen = modellen([n for n in sets if n != k])
        gemeten = doorloop(dataclasses.replace(basis, thema_model=thema, rangschikker=bomen), k)
        regels.append(f"{k} | {cijfers(regel[k], k)} | {cijfers(gemeten, k)}")
    if pad is not None:
        thema, bomen = modellen(list(sets))
        bewaar_model(pad, bomen, thema)
        regels.append(f"models fitted on all sets written to {pad}")
    return "\n".join(regels)


if __name__ == "__main__":  # python -m stelsel.wegwijzer.evaluatie [--schrijf]
    import sys

    from stelsel.db import get_engine, session_scope
    from stelsel.wegwijzer.matching import MODEL

    data = Path("tests/data")
    sets = {
        "dev": data / "eval/wegwijzer-dev.jsonl",
        "extra": data / "wegwijzer-extra.jsonl",
        "extra2": data / "wegwijzer-extra2.jsonl",
        "blind": data / "eval/wegwijzer-blind-2026-12.jsonl",
        "six": data / "eval/wegwijzer-issue15.jsonl",
    }
    with session_scope(get_engine()) as s:
        print(
            leer(
                s,
                sets,
                lees_aliassen(data / "eval/aanbieders-aliases.json"),
                MODEL if "--schrijf" in sys.argv else None,
            )
        )
