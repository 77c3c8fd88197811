"""Merge import of 100,000 diensten on PostgreSQL: `stelsel import csv DIR --bijwerken` ≤ 60 s.

    .venv/bin/python bench/import_bijwerken.py [--diensten 100000]

Set-up (not timed): a scratch database with geography and a generated register of 1,000
aanbieders and N diensten (every dienst with 3-6 labels and a gemeente as werkgebied, as the
bundled register's local diensten have). Timed: the whole command, as a user runs it, on a file
of the same N diensten in which 10 % have a changed name or website, 5 % are new and 5 % are
left out (left alone: no --verwijder-ontbrekend), plus a `--droog` run. Exit 1 when the merge
takes longer than the target.
"""

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from _pg import tijdelijke_database  # noqa: E402

from stelsel.register import csvformaat  # noqa: E402

DOEL_SECONDEN = 60.0
STELSEL = str(REPO / ".venv" / "bin" / "stelsel")


def gemeentecodes() -> list[str]:
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        return [r["gemeentecode"] for r in csv.DictReader(f)]


def schrijf(map_: Path, aanbieders: list[dict], diensten: list[dict]) -> None:
    map_.mkdir(parents=True, exist_ok=True)
    for naam, kolommen, rijen in (
        (csvformaat.AANBIEDERS_CSV, csvformaat.AANBIEDER_KOLOMMEN, aanbieders),
        (csvformaat.DIENSTEN_CSV, csvformaat.DIENST_KOLOMMEN, diensten),
    ):
        with open(map_ / naam, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=kolommen, lineterminator="\n")
            w.writeheader()
            w.writerows(dict(dict.fromkeys(kolommen, ""), **r) for r in rijen)


def register(n: int, rng: random.Random) -> tuple[list[dict], list[dict]]:
    codes = gemeentecodes()
    aanbieders = [
        {
            "id": f"bench-aanbieder-{i}",
            "naam": f"Bench aanbieder {i}",
            "soort": "publiek",
            "niveau": "lokaal",
            "eerstelijns": "ja",
            "tweedelijns": "nee",
            "omschrijving": "Een aanbieder voor de benchmark.",
            "bron": "bench",
            "gecontroleerd_op": "2026-11-23",
        }
        for i in range(1000)
    ]
    themas = ["financiering", "personeel", "innovatie", "bedrijfsvoering", "wet-en-regelgeving"]
    diensten = [
        {
            "id": f"bench-dienst-{i}",
            "aanbieder": f"bench-aanbieder-{i % 1000}",
            "naam": f"Dienst {i} voor ondernemers",
            "omschrijving": "Hulp voor ondernemers bij een vraag, in gewone taal beschreven.",
            "themas": ";".join(sorted(rng.sample(themas, 2), key=themas.index)),
            "soort": "advies",
            "fasen": "weten;willen",
            "doelgroepen": "starters;zzp",
            "kosten": "gratis",
            "werkgebied": f"gemeente:{codes[i % len(codes)]}",
            "trefwoorden": f"bench;dienst {i}",
        }
        for i in range(n)
    ]
    return aanbieders, diensten


def run(url: str, *args: str) -> tuple[float, str]:
    """Run a stelsel command; its wall-clock seconds and last line of output. Prints its CPU
    seconds too (user + system of the command alone), as the wall clock on a busy machine is
    mostly waiting for a core."""
    env = dict(os.environ, STELSEL_DATABASE_URL=url)
    voor = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run([STELSEL, *args], env=env, capture_output=True, text=True)
    duur = time.perf_counter() - start
    na = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"stelsel {' '.join(args)} failed:\n{r.stderr[-2000:]}")
    cpu = (na.ru_utime - voor.ru_utime) + (na.ru_stime - voor.ru_stime)
    print(f"  (stelsel {args[0]} {args[1]} … {' '.join(args[3:])}: {cpu:.1f} s CPU)", flush=True)
    return duur, r.stdout.strip().splitlines()[-1]


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--diensten", type=int, default=100_000)
    args = p.parse_args()
    rng = random.Random(12)
    aanbieders, diensten = register(args.diensten, rng)
    with TemporaryDirectory() as tmp, tijdelijke_database() as url:
        basis, bijwerk = Path(tmp) / "basis", Path(tmp) / "bijwerk"
        schrijf(basis, aanbieders, diensten)
        duur, _ = run(url, "import", "csv", str(basis))
        print(f"set-up: {args.diensten} diensten imported into an empty database in {duur:.1f} s")
        nieuw = [dict(d) for d in diensten]
        for d in rng.sample(nieuw, len(nieuw) // 10):
            if rng.random() < 0.5:
                d["naam"] += " (nieuw)"
            else:
                d["website"] = f"https://voorbeeld.nl/{d['id']}"
        weg = set(rng.sample(range(len(nieuw)), len(nieuw) // 20))
        nieuw = [d for i, d in enumerate(nieuw) if i not in weg]
        extra = register(len(diensten) // 20, rng)[1]
        for i, d in enumerate(extra):
            d["id"] = f"bench-nieuw-{i}"
        schrijf(bijwerk, aanbieders, nieuw + extra)
        droog, samenvatting = run(url, "import", "csv", str(bijwerk), "--bijwerken", "--droog")
        print(f"--droog: {droog:.1f} s ({samenvatting})")
        duur, samenvatting = run(url, "import", "csv", str(bijwerk), "--bijwerken")
        print(f"--bijwerken: {duur:.1f} s ({samenvatting})")
    ok = duur <= DOEL_SECONDEN
    print(
        f"merge import of {len(nieuw) + len(extra)} diensten on PostgreSQL: {duur:.1f} s "
        f"(target ≤ {DOEL_SECONDEN:.0f} s) {'OK' if ok else 'TOO SLOW'}"
    )
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
