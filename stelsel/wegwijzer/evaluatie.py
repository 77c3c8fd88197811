"""Evaluation of the wegwijzer on a labelled question set: hit@k, thema micro-F1, soort
accuracy and latency, for the wegwijzer and a plain BM25 baseline. Pure functions."""

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from stelsel.wegwijzer.matching import INFORMATIE_SOORTEN, Document


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
    """Whether a provider name matches one of the acceptable keys (whole-word fragments)."""
    n = _normaal(naam)
    return any(_normaal(frag) in n for k in sleutels for frag in aliassen.get(k, []))


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
