"""Latency of POST /api/v1/wegwijzer over HTTP, at the bundled register size and with a
synthetic register of 100,000 diensten: "start", the seconds from starting the server process
to the answer of its first question (the index is built while the server starts, so this is
what the first user after a restart waits at most); "eerste", that first question alone once
the server accepts requests (ms); then p50/p95/p99 in milliseconds of one client, and the
server process's memory (RSS now and its peak). Targets (issue 15): p95 ≤ 20 ms bundled,
≤ 50 ms at 100,000; first question after start ≤ 2 s; RSS ≤ 600 MB.

Each register is served twice: "koud", the first start on a new database (the server reads
the register and builds the index, and stores it: wegwijzer/opslag.py), then "herstart", the
next start of the same register version (the server reads the stored index).

    .venv/bin/python bench/wegwijzer.py [--verzoeken 300] [--groot 100000]
    .venv/bin/python bench/wegwijzer.py --groot-db /tmp/groot.db   # reuse a 100k database
    .venv/bin/python bench/wegwijzer.py --vectoren   # rewrite data/wegwijzer/vectoren.npz
    .venv/bin/python bench/wegwijzer.py --index 100000   # the index alone, in process
"""

import argparse
import csv
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
VRAGEN = [
    ("Ik wil geld lenen om mijn winkel te verbouwen", None),
    ("Mijn vacatures blijven openstaan, wie helpt?", "Utrecht"),
    ("Hoe doe ik btw-aangifte?", None),
    ("Ik dreig failliet te gaan", "Zwolle"),
    ("export naar Frankrijk", None),
    ("subsidie voor zonnepanelen op mijn bedrijfspand", "8911"),
    ("Ik zoek een adviseur die met mij meedenkt", "Emmen"),
    ("wbso aanvragen", None),
    ("Welke vergunning heb ik nodig voor een terras?", "Amsterdam"),
    ("Ik wil mijn personeel laten omscholen", "5611"),
    ("investeerder voor mijn startup", "Delft"),
    ("Hoe beveilig ik mijn webshop tegen hackers?", None),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def synthetic_register(uit: Path, aantal: int, seed: int = 7) -> None:
    """A register of `aantal` diensten made by recombining the bundled ones."""
    rng = random.Random(seed)
    bron = REPO / "data" / "register"
    with open(bron / "aanbieders.csv", encoding="utf-8") as f:
        aanbieders = list(csv.DictReader(f))
    with open(bron / "diensten.csv", encoding="utf-8") as f:
        diensten = list(csv.DictReader(f))
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        gemeenten = [r["gemeentecode"] for r in csv.DictReader(f)]
    uit.mkdir(parents=True, exist_ok=True)
    extra = aantal - len(diensten)
    nieuwe_aanbieders = []
    for i in range(extra // 4):
        a = dict(rng.choice(aanbieders))
        a["id"] = f"synthetisch-{i}"
        a["naam"] = f"{a['naam']} (synthetisch {i})"
        nieuwe_aanbieders.append(a)
    rijen = list(diensten)
    for i in range(extra):
        d = dict(rng.choice(diensten))
        other = rng.choice(diensten)
        d["id"] = f"synthetisch-dienst-{i}"
        d["aanbieder"] = nieuwe_aanbieders[i % len(nieuwe_aanbieders)]["id"]
        d["naam"] = f"{d['naam']} {other['naam'].split(' ')[0]} {i}"
        d["omschrijving"] = d["omschrijving"] + " " + other["omschrijving"]
        d["werkgebied"] = "landelijk" if rng.random() < 0.2 else f"gemeente:{rng.choice(gemeenten)}"
        d["geldig_tot"] = ""
        rijen.append(d)
    for name, rows in (("aanbieders.csv", aanbieders + nieuwe_aanbieders), ("diensten.csv", rijen)):
        with open(uit / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


def rss_mb(pid: int) -> tuple[float, float]:
    """(resident now, peak resident) of a process in MB, from /proc."""
    velden = {}
    for regel in Path(f"/proc/{pid}/status").read_text().splitlines():
        naam, _, waarde = regel.partition(":")
        velden[naam] = waarde.strip()
    return int(velden["VmRSS"].split()[0]) / 1024, int(velden["VmHWM"].split()[0]) / 1024


def measure(database_url: str, verzoeken: int) -> dict[str, float]:
    port = free_port()
    log = Path(tempfile.gettempdir()) / "bench-wegwijzer-server.log"
    begin = time.perf_counter()
    env = {**os.environ, "STELSEL_DATABASE_URL": database_url, "STELSEL_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "stelsel.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )
    url = f"http://127.0.0.1:{port}/api/v1/wegwijzer"
    try:
        with httpx.Client(timeout=30) as client:
            deadline = time.monotonic() + 300
            while True:
                try:
                    client.get(url.replace("/wegwijzer", "/themas"))
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit(f"server did not start: see {log}") from None
                    time.sleep(0.05)
            start = time.perf_counter()
            r = client.post(url, json={"vraag": VRAGEN[0][0], "gemeente": VRAGEN[0][1]})
            eerste = (time.perf_counter() - start) * 1000
            vanaf_start = time.perf_counter() - begin
            assert r.status_code == 200, r.text
            for vraag, gemeente in VRAGEN:  # warm-up
                client.post(url, json={"vraag": vraag, "gemeente": gemeente})
            tijden = []
            for i in range(verzoeken):
                vraag, gemeente = VRAGEN[i % len(VRAGEN)]
                start = time.perf_counter()
                r = client.post(url, json={"vraag": vraag, "gemeente": gemeente})
                tijden.append((time.perf_counter() - start) * 1000)
                assert r.status_code == 200, r.text
            rss, piek = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    tijden.sort()
    return {
        "start": vanaf_start,
        "eerste": eerste,
        "rss": rss,
        "piek": piek,
        "p50": statistics.median(tijden),
        "p95": tijden[int(0.95 * len(tijden)) - 1],
        "p99": tijden[int(0.99 * len(tijden)) - 1],
    }


def schrijf_vectoren() -> None:
    """The encoder's vectors of every text of the bundled register, for data/wegwijzer."""
    from stelsel.bootstrap import prepare
    from stelsel.db import get_engine, session_scope
    from stelsel.wegwijzer import semantiek, service

    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{Path(tmp) / 'v.db'}")
        prepare(engine)
        with session_scope(engine) as session:
            docs = service.documenten(session=session)
        pad = REPO / "data" / "wegwijzer" / "vectoren.npz"
        semantiek.laad_voorraad(pad)
        semantiek.bewaar_voorraad(pad, service.semantische_teksten(docs))
        print(f"{pad}: {len(docs)} diensten")


def synthetische_documenten(docs: list, aantal: int, seed: int = 7) -> list:
    """`aantal` matcher documents recombined from the bundled ones as synthetic_register does
    (no database: for the index's own build time and memory)."""
    import dataclasses

    rng = random.Random(seed)
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        gemeenten = [r["gemeentecode"] for r in csv.DictReader(f)]
    uit = list(docs)
    aanbieders = max(1, (aantal - len(docs)) // 4)
    for i in range(aantal - len(docs)):
        d, other = rng.choice(docs), rng.choice(docs)
        landelijk = rng.random() < 0.2
        uit.append(
            dataclasses.replace(
                d,
                dienst_id=f"synthetisch-dienst-{i}",
                slug=f"synthetisch-dienst-{i}",
                naam=f"{d.naam} {other.naam.split(' ')[0]} {i}",
                omschrijving=d.omschrijving + " " + other.omschrijving,
                aanbieder_id=f"synthetisch-{i % aanbieders}",
                aanbieder_naam=f"{d.aanbieder_naam} (synthetisch {i % aanbieders})",
                netwerk=None,
                landelijk=landelijk,
                gebieden=frozenset()
                if landelijk
                else frozenset({("gemeente", rng.choice(gemeenten))}),
            )
        )
    return uit


def meet_index(aantal: int, verzoeken: int, alle_vectoren: bool = False) -> None:
    """Build the matcher in process over `aantal` documents: build time, the rebuild after one
    edited dienst (the incremental path a publish takes), resident memory and search latency.
    With `alle_vectoren` every text of the synthetic register gets an encoder vector (random:
    this measures cost, not quality), as a register whose vectors were all precomputed has;
    without, only the bundled texts have one (the synthetic texts are more than
    semantiek.MAX_NIEUW, so they are searched without the encoder)."""
    import dataclasses

    import numpy as np

    from stelsel.bootstrap import prepare
    from stelsel.db import get_engine, session_scope
    from stelsel.geo import service as geo
    from stelsel.wegwijzer import semantiek, service

    with tempfile.TemporaryDirectory() as tmp:
        engine = get_engine(f"sqlite:///{Path(tmp) / 'i.db'}")
        prepare(engine)
        with session_scope(engine) as session:
            docs = service.documenten(session=session)
            gebieden = {}
            for _, gemeente in VRAGEN:
                if gemeente:
                    g = geo.resolve(session=session, tekst=gemeente)
                    gebieden[gemeente] = geo.gebied(g).codes()
    docs = synthetische_documenten(docs, aantal)
    if alle_vectoren:
        semantiek.laad_voorraad(REPO / "data" / "wegwijzer" / "vectoren.npz")
        rng = np.random.default_rng(7)
        for tekst in service.semantische_teksten(docs):
            v = rng.standard_normal(semantiek.DIM).astype(np.float32)
            semantiek._tekstvectoren.setdefault(semantiek.sleutel(tekst), v / np.linalg.norm(v))
    rss0 = rss_mb(os.getpid())[0]
    begin = time.perf_counter()
    m = service.bouw_matcher(docs)
    bouw = time.perf_counter() - begin
    rss1, _ = rss_mb(os.getpid())
    gewijzigd = list(docs)
    gewijzigd[0] = dataclasses.replace(docs[0], naam=docs[0].naam + " zeppelinwerf")
    del gewijzigd[1]
    begin = time.perf_counter()
    m2 = service.bouw_matcher(gewijzigd, vorige=m)
    herbouw = time.perf_counter() - begin
    del m
    m2.zoek("warm")
    tijden = []
    for i in range(verzoeken):
        vraag, gemeente = VRAGEN[i % len(VRAGEN)]
        begin = time.perf_counter()
        m2.zoek(vraag, gebieden.get(gemeente) if gemeente else None)
        tijden.append((time.perf_counter() - begin) * 1000)
    tijden.sort()
    rss2, piek = rss_mb(os.getpid())
    print(
        f"index in proces, {aantal} diensten"
        f"{' (elke tekst een encodervector)' if alle_vectoren else ''}: bouwen {bouw:.1f} s, "
        "na één gewijzigde dienst "
        f"{herbouw:.2f} s; zoeken p50 {statistics.median(tijden):.1f} ms, "
        f"p95 {tijden[int(0.95 * len(tijden)) - 1]:.1f} ms; geheugen {rss0:.0f} MB voor, "
        f"{rss1:.0f} MB na bouwen, {rss2:.0f} MB nu, piek {piek:.0f} MB; encodermatrix "
        f"{m2.semantiek.matrix.nbytes / 1e6 if m2.semantiek else 0:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verzoeken", type=int, default=300)
    parser.add_argument("--groot", type=int, default=100000)
    parser.add_argument(
        "--groot-db", default="", help="an existing database with the synthetic register"
    )
    parser.add_argument("--vectoren", action="store_true", help="rewrite the vector store")
    parser.add_argument(
        "--index", type=int, default=0, help="only the index in process, at this many diensten"
    )
    parser.add_argument(
        "--alle-vectoren", action="store_true", help="with --index: every text has a vector"
    )
    args = parser.parse_args()
    if args.vectoren:
        schrijf_vectoren()
        return
    if args.index:
        meet_index(args.index, args.verzoeken, args.alle_vectoren)
        return
    from sqlalchemy import make_url

    from stelsel.wegwijzer import opslag

    rijen = []
    with open(REPO / "data" / "register" / "diensten.csv", encoding="utf-8") as f:
        gebundeld = sum(1 for _ in csv.DictReader(f))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        databases = [(f"gebundeld ({gebundeld})", f"sqlite:///{tmp / 'gebundeld.db'}")]
        if args.groot_db:
            databases.append((f"synthetisch ({args.groot})", f"sqlite:///{args.groot_db}"))
        elif args.groot:  # --groot 0: the bundled register only
            synthetic_register(tmp / "groot", args.groot)
            groot_url = f"sqlite:///{tmp / 'groot.db'}"
            subprocess.run(
                [sys.executable, "-m", "stelsel.cli", "import", "csv", str(tmp / "groot")],
                cwd=REPO,
                env={**os.environ, "STELSEL_DATABASE_URL": groot_url},
                check=True,
                stdout=subprocess.DEVNULL,
            )
            databases.append((f"synthetisch ({args.groot})", groot_url))
        for naam, url in databases:
            bewaard = opslag.bestand(str(make_url(url)))
            for pad in [bewaard] if bewaard else []:
                pad.unlink(missing_ok=True)  # the first start builds the index
            try:
                rijen.append((f"{naam} koud", measure(url, args.verzoeken)))
                rijen.append((f"{naam} herstart", measure(url, args.verzoeken)))
            finally:
                for pad in [bewaard] if bewaard else []:
                    pad.unlink(missing_ok=True)
    print(
        f"wegwijzer over HTTP, {args.verzoeken} verzoeken na opwarmen "
        "(start in s, tijden in ms; geheugen in MB):"
    )
    kop = ["start", "eerste", "p50", "p95", "p99", "rss", "piek"]
    print(f"{'register':<32}" + "".join(f"{k:>9}" for k in kop))
    for naam, m in rijen:
        print(f"{naam:<32}" + "".join(f"{m[k]:>9.1f}" for k in kop))


if __name__ == "__main__":
    main()
