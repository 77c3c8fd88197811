"""What the way a request reaches the database costs: the domain work of one referral (the
actor from its bearer token, `create_doorverwijzing`, the answer serialised, the commit) on
PostgreSQL, with no HTTP or ASGI around it, run three ways:

- "serieel": one after the other in this thread, the lower bound;
- "threadpool": 4 at once, each in a worker thread as a sync FastAPI route runs today
  (`run_in_threadpool`);
- "greenlet": 4 at once on the event loop through SQLAlchemy's asyncio extension
  (`AsyncSession.run_sync` with psycopg's async connection): the same sync domain code, whose
  I/O is awaited on the loop instead of blocking a thread.

Printed: CPU milliseconds (all threads of this process) per referral. The difference between
"threadpool" and "serieel" is what threads cost: every statement releases the GIL while it
waits for PostgreSQL, and with the event loop and other workers waiting for it, each release
is a hand-over between threads. This is the decision figure for issue 11: a request path
without thread hops (see docs/beheer.md, Prestaties).

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/toegangsmodel.py [--aantal 1200]
"""

import argparse
import asyncio
import gc
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from starlette.concurrency import run_in_threadpool  # noqa: E402

from bench import doorverwijzing_http as http_bench  # noqa: E402
from bench._pg import tijdelijke_database  # noqa: E402
from stelsel.accounts import service as accounts  # noqa: E402
from stelsel.db import make_engine, session_factory  # noqa: E402
from stelsel.doorverwijzing import levenscyclus as lc  # noqa: E402
from stelsel.doorverwijzing import service  # noqa: E402
from stelsel.doorverwijzing.api import lees  # noqa: E402

TEGELIJK = 4  # as a worker admits them (STELSEL_MAX_GELIJKTIJDIG)
OPWARMEN = 100


def werk(session, token: str, hulpvraag_id: str) -> str:
    """What POST /api/v1/doorverwijzingen does between the request and its commit."""
    actor = accounts.by_token(session=session, token=token)
    body = http_bench.body(hulpvraag_id)
    namen: dict = {}
    dv = service.create_doorverwijzing(
        session=session,
        actor=actor,
        hulpvraag_id=uuid.UUID(hulpvraag_id),
        naar_aanbieder=body["naar_aanbieder"],
        dienst=None,
        notitie=body["notitie"],
        toestemming=service.NieuweToestemming(**body["toestemming"]),
        namen=namen,
    )
    return lees(session, dv, False, lc.VERZENDER, namen).model_dump_json()


def cpu_per_stuk(ids: list[str], draai) -> float:
    gc.collect()
    begin = time.process_time()
    draai(ids)
    return (time.process_time() - begin) / len(ids) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aantal", type=int, default=1200, help="referrals per way")
    args = parser.parse_args()
    with tijdelijke_database() as url:
        token, ids = http_bench.klaarzetten(url, 3 * args.aantal + OPWARMEN)
        engine = make_engine(url)
        sessies = session_factory(engine)

        def een(hulpvraag_id: str) -> None:
            with sessies() as session:
                werk(session, token, hulpvraag_id)
                session.commit()

        def serieel(rij: list[str]) -> None:
            for h in rij:
                een(h)

        def threadpool(rij: list[str]) -> None:
            async def alles() -> None:
                volgende = iter(rij)

                async def werker() -> None:
                    for h in volgende:
                        await run_in_threadpool(een, h)

                await asyncio.gather(*(werker() for _ in range(TEGELIJK)))

            asyncio.run(alles())

        def greenlet(rij: list[str]) -> None:
            from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

            async def alles() -> None:
                async_engine = create_async_engine(url, pool_size=TEGELIJK)
                volgende = iter(rij)

                async def werker() -> None:
                    for h in volgende:
                        async with AsyncSession(async_engine) as session:
                            await session.run_sync(werk, token, h)
                            await session.commit()

                try:
                    await asyncio.gather(*(werker() for _ in range(TEGELIJK)))
                finally:
                    await async_engine.dispose()

            asyncio.run(alles())

        serieel(ids[:OPWARMEN])
        rest = ids[OPWARMEN:]
        print(
            "CPU per doorverwijzing, domeinwerk zonder HTTP (actor, aanmaken, antwoord, commit), "
            f"PostgreSQL, {args.aantal} per manier:"
        )
        for i, (naam, draai) in enumerate(
            [("serieel", serieel), ("threadpool", threadpool), ("greenlet", greenlet)]
        ):
            deel = rest[i * args.aantal : (i + 1) * args.aantal]
            tegelijk = "1" if draai is serieel else str(TEGELIJK)
            print(f"  {naam:<11} ({tegelijk} tegelijk) {cpu_per_stuk(deel, draai):6.2f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
