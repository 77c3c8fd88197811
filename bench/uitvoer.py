"""Render times and sizes of the output plumbing: the national maps, a regional map, charts,
a 342-row Excel export and a report PDF. Pure Python, no database. Prints median and max
milliseconds over a few rounds, and the output size.

    .venv/bin/python bench/uitvoer.py [--rondes 5]

Targets (a dashboard page draws a map and a few charts per request): the provincie and
arbeidsmarktregio maps in <= 100 ms, the gemeente map in <= 200 ms, a chart in <= 5 ms.
"""

import argparse
import csv
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from stelsel.uitvoer import kaart, svg, tabel  # noqa: E402
from stelsel.uitvoer.pdf import Kerncijfer, Rapport  # noqa: E402

DOELEN_MS = {
    "kaart per provincie": 100,
    "kaart per arbeidsmarktregio": 100,
    "kaart per gemeente": 200,
    "kaart van een regio (alleen=)": 50,
    "staafdiagram (35 staven)": 5,
    "lijndiagram (3 reeksen x 12)": 5,
    "heatmap (7 x 12)": 5,
}


def meet(naam: str, doe: Callable[[], object], rondes: int) -> bool:
    tijden, grootte = [], 0
    for _ in range(rondes):
        t = time.perf_counter()
        uit = doe()
        tijden.append((time.perf_counter() - t) * 1000)
        grootte = len(uit) if isinstance(uit, str | bytes) else 0
    doel = DOELEN_MS.get(naam)
    mediaan = statistics.median(tijden)
    oordeel = (
        "" if doel is None else ("  ok" if mediaan <= doel else f"  TE TRAAG (doel {doel} ms)")
    )
    print(
        f"{naam:34s} mediaan {mediaan:7.1f} ms  max {max(tijden):7.1f} ms  "
        f"{grootte / 1000:7.1f} kB{oordeel}"
    )
    return doel is None or mediaan <= doel


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rondes", type=int, default=5)
    rondes = p.parse_args().rondes
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        geo = list(csv.DictReader(f))
    rnd = random.Random(1)
    pv = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    am = {r["gemeentecode"]: r["arbeidsmarktregio_code"] for r in geo}
    pv_naam = {r["provinciecode"]: r["provincie"] for r in geo}
    am_naam = {r["arbeidsmarktregio_code"]: r["arbeidsmarktregio"] for r in geo}
    gm_naam = {r["gemeentecode"]: r["gemeentenaam"] for r in geo}
    regio = {g for g, a in am.items() if a == "AM01"}

    t = time.perf_counter()
    kaart.gemeentecodes()  # loads the bundled geometry once
    print(f"{'geometrie laden (eenmalig)':34s} {(time.perf_counter() - t) * 1000:7.1f} ms")
    staven = [svg.Staaf(n, rnd.uniform(5, 8), None) for n in sorted(am_naam.values())]
    perioden = [f"2026-{m:02d}" for m in range(1, 13)]
    reeksen = [svg.Reeks(f"r{i}", [rnd.uniform(5, 8) for _ in perioden]) for i in range(3)]
    matrix = [[rnd.randint(0, 30) for _ in range(12)] for _ in range(7)]
    ok = all(
        [
            meet(
                "kaart per provincie",
                lambda: kaart.kaart(
                    {c: rnd.uniform(5, 8) for c in pv_naam}, titel="t", indeling=pv, namen=pv_naam
                ),
                rondes,
            ),
            meet(
                "kaart per arbeidsmarktregio",
                lambda: kaart.kaart(
                    {c: rnd.uniform(5, 8) for c in am_naam}, titel="t", indeling=am, namen=am_naam
                ),
                rondes,
            ),
            meet(
                "kaart per gemeente",
                lambda: kaart.kaart(
                    {c: rnd.uniform(5, 8) for c in gm_naam}, titel="t", namen=gm_naam
                ),
                rondes,
            ),
            meet(
                "kaart van een regio (alleen=)",
                lambda: kaart.kaart(
                    {c: rnd.randint(0, 9) for c in regio}, titel="t", alleen=regio, namen=gm_naam
                ),
                rondes,
            ),
            meet("staafdiagram (35 staven)", lambda: svg.staafdiagram(staven, titel="t"), rondes),
            meet(
                "lijndiagram (3 reeksen x 12)",
                lambda: svg.lijndiagram(perioden, reeksen, titel="t"),
                rondes,
            ),
            meet(
                "heatmap (7 x 12)",
                lambda: svg.heatmap([f"rij {i}" for i in range(7)], perioden, matrix, titel="t"),
                rondes,
            ),
        ]
    )
    groot = tabel.Tabel(
        ["Gemeente", "Code", "Waarde", "Aantal"],
        [[gm_naam[c], c, rnd.uniform(0, 10), rnd.randint(0, 999)] for c in sorted(gm_naam)],
    )
    meet("xlsx (342 rijen)", lambda: tabel.xlsx_bytes(groot), rondes)
    meet("csv (342 rijen)", lambda: tabel.csv_bytes(groot), rondes)

    def rapport() -> bytes:
        r = Rapport("Staat van de dienstverlening", "Bench")
        r.kop("Kerncijfers")
        r.kerncijfers([Kerncijfer("CSAT", "6,4", "n = 400")] * 3)
        r.svg(svg.staafdiagram(staven, titel="t"))
        r.svg(kaart.kaart({c: 1.0 for c in am_naam}, titel="t", indeling=am))
        r.tabel(groot)
        return r.bytes()

    meet("rapport-PDF (kaart, grafiek, tabel)", rapport, max(1, rondes // 2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
