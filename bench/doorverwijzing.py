"""Throughput of referral creation on PostgreSQL: hulpvraag + consent + referral + history +
outbox + audit, each in its own transaction, as the API does. Prints referrals per second.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/doorverwijzing.py [--seconden 10]
"""

import argparse
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import event

from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.doorverwijzing import service

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._pg import tijdelijke_database  # noqa: E402
from tests import factories  # noqa: E402


def run(engine, actor, threads: int, seconden: float) -> tuple[float, float, float]:
    """Referrals per second, the process's CPU milliseconds per referral (less sensitive to
    other work on the machine than the rate) and SQL statements per referral."""
    stop = time.monotonic() + seconden
    counts = [0] * threads
    statements = [0]

    def tel(*_args) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", tel)

    def worker(i: int) -> None:
        while time.monotonic() < stop:
            with session_scope(engine) as s:
                h, _ = factories.hulpvraag(s, actor, themas=["financiering"])
                service.create_doorverwijzing(
                    session=s, actor=actor, hulpvraag_id=h.id, naar_aanbieder="qredits"
                )
            counts[i] += 1

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start, cpu = time.monotonic(), time.process_time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    event.remove(engine, "before_cursor_execute", tel)
    n = max(1, sum(counts))
    return (
        sum(counts) / (time.monotonic() - start),
        (time.process_time() - cpu) / n * 1000,
        statements[0] / n,
    )


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
                per_sec, ms, opdrachten = run(engine, actor, threads, args.seconden)
                print(
                    f"  {threads} thread(s): {per_sec:7.1f} doorverwijzingen per seconde, "
                    f"{ms:.2f} ms CPU en {opdrachten:.1f} SQL-opdrachten per stuk "
                    "(hulpvraag meegerekend)"
                )
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
