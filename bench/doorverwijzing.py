"""Throughput of referral creation on PostgreSQL: hulpvraag + consent + referral + history +
outbox + audit, each in its own transaction, as the API does. Prints referrals per second.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/doorverwijzing.py [--seconden 10]
"""

import argparse
import sys
import threading
import time
from pathlib import Path

from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.doorverwijzing import service

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._pg import tijdelijke_database  # noqa: E402
from tests import factories  # noqa: E402


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
    with tijdelijke_database() as url:
        engine = make_engine(url)
        try:
            prepare(engine)
            with session_scope(engine) as s:
                actor = factories.gebruiker(s, "adviseur", aanbieder="kvk")
                factories.gebruiker(s, "adviseur", aanbieder="qredits")
            print("doorverwijzingen aanmaken op PostgreSQL (hulpvraag + toestemming + ")
            print("doorverwijzing, met historie, outbox en audit; één transactie per stuk):")
            for threads in (1, 4):
                per_sec = run(engine, actor, threads, args.seconden)
                print(f"  {threads} thread(s): {per_sec:7.1f} doorverwijzingen per seconde")
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
