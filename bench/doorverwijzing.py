"""Throughput of referral creation on PostgreSQL: hulpvraag + consent + referral + history +
outbox + audit, each in its own transaction, as the API does. Prints referrals per second.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/doorverwijzing.py [--seconden 10]
"""

import argparse
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.doorverwijzing import service

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import factories  # noqa: E402


def admin_url() -> str:
    url = os.environ.get("STELSEL_TEST_POSTGRES_URL")
    if not url:
        out = subprocess.run(
            ["bash", str(REPO / "scripts" / "ensure-postgres.sh")],
            check=True,
            capture_output=True,
            text=True,
        )
        url = out.stdout.strip().splitlines()[-1]
    return url


def run(engine, actor, threads: int, seconden: float) -> float:
    stop = time.monotonic() + seconden
    counts = [0] * threads

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            with session_scope(engine) as s:
                h, _ = factories.hulpvraag(s, actor, themas=["financiering"])
                service.create_doorverwijzing(
                    session=s, actor=actor, hulpvraag_id=h.id, naar_aanbieder="qredits"
                )
            counts[i] += 1

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconden", type=float, default=10)
    args = parser.parse_args()
    admin = admin_url()
    name = f"stelsel_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(admin.rsplit("/", 1)[0] + f"/{name}")
    try:
        prepare(engine)
        with session_scope(engine) as s:
            actor = factories.gebruiker(s, "adviseur", aanbieder="kvk")
            factories.gebruiker(s, "adviseur", aanbieder="qredits")
        print("doorverwijzingen aanmaken op PostgreSQL (hulpvraag + toestemming + doorverwijzing,")
        print("met historie, outbox en audit; één transactie per doorverwijzing):")
        for threads in (1, 4):
            per_sec = run(engine, actor, threads, args.seconden)
            print(f"  {threads} thread(s): {per_sec:7.1f} doorverwijzingen per seconde")
    finally:
        engine.dispose()
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
