"""Referral statistics on PostgreSQL at scale: 1,000,000 doorverwijzingen over 400,000
hulpvragen, bulk-inserted with generate_series, then `statistieken()` timed for the
stelselregisseur (everything) and a regiocoördinator (one provincie).

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/statistiek.py [--aantal 1000000]
    .venv/bin/python bench/statistiek.py --aantal 100000 --oud   # also the old Python loop
"""

import argparse
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import text

from stelsel.accounts.rollen import Actor
from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import queries, service
from stelsel.register import taxonomie as tx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._pg import tijdelijke_database  # noqa: E402

# the old Python loop, kept as the oracle of the statistics test
from tests.doorverwijzing.test_statistieken import oud  # noqa: E402

PROVINCIES = [f"PV{n}" for n in range(20, 32)]
THEMAS = list(tx.codes(tx.THEMAS))[:6]


def vul(engine, aantal: int) -> None:
    """Bulk data in plain SQL: ~2.5 referrals per case, chains of providers drawn from a small
    pool (so some ping-pong), every status, a few late ones, twelve provinces."""
    zaken = aantal * 2 // 5
    with engine.begin() as c:
        c.execute(
            text(
                """
                INSERT INTO hulpvraag (id, aanbieder_id, aangemaakt_door, provincie_code,
                    arbeidsmarktregio_code, urgentie, toegangscode_hash, aangemaakt_op)
                SELECT md5('h' || i)::uuid, md5('a' || (i % 40))::uuid, md5('g' || i)::uuid,
                    (CAST(:prov AS text[]))[1 + i % 12], 'AM' || lpad((1 + i % 35)::text, 2, '0'),
                    'normaal', md5('t' || i) || md5('u' || i), now() - interval '90 days'
                FROM generate_series(0, :zaken - 1) AS i
                """
            ),
            {"zaken": zaken, "prov": PROVINCIES},
        )
        # one thema per case, a second for every third case
        c.execute(
            text(
                """
                INSERT INTO hulpvraag_thema (hulpvraag_id, thema, volgorde)
                SELECT md5('h' || i)::uuid, (CAST(:themas AS text[]))[1 + i % 6], 0
                FROM generate_series(0, :zaken - 1) AS i
                UNION ALL
                SELECT md5('h' || i)::uuid,
                    (CAST(:themas AS text[]))[1 + (i + 1 + i / 7 % 5) % 6], 1
                FROM generate_series(0, :zaken - 1, 3) AS i
                """
            ),
            {"zaken": zaken, "themas": THEMAS},
        )
        # bulk load without the per-row triggers of doorverwijzing_keten, rebuilt once below
        c.execute(text("ALTER TABLE doorverwijzing DISABLE TRIGGER doorverwijzing_keten_bij"))
        c.execute(
            text(
                """
                INSERT INTO doorverwijzing (id, hulpvraag_id, van_aanbieder_id, naar_aanbieder_id,
                    status, uitkomst, aangemaakt_op, bijgewerkt_op, eerste_contact_voor)
                SELECT md5('d' || i)::uuid, md5('h' || (i % :zaken))::uuid,
                    md5('a' || abs(hashtext('v' || i)) % 8)::uuid,
                    md5('a' || abs(hashtext('n' || i)) % 8)::uuid,
                    (CAST(:statussen AS text[]))[1 + (i * 13) % 7],
                    CASE WHEN (i * 13) % 7 = 5
                        THEN (CAST(:uitkomsten AS text[]))[1 + abs(hashtext('u' || i)) % 4] END,
                    now() - make_interval(days => 60 - i / :zaken, secs => i % 1000),
                    now(), current_date - 30 + (i % 60)
                FROM generate_series(0, :aantal - 1) AS i
                """
            ),
            {
                "zaken": zaken,
                "aantal": aantal,
                "statussen": list(lc.STATUSSEN),
                "uitkomsten": list(lc.UITKOMSTEN),
            },
        )
        c.execute(text("ALTER TABLE doorverwijzing ENABLE TRIGGER doorverwijzing_keten_bij"))
        queries.herbouw_keten(c)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE hulpvraag"))
        c.execute(text("VACUUM ANALYZE doorverwijzing_keten"))
        c.execute(text("VACUUM ANALYZE doorverwijzing"))
        c.execute(text("VACUUM ANALYZE hulpvraag_thema"))


def tijd(f, herhaal: int = 3) -> tuple[float, object]:
    """Best of `herhaal` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(herhaal):
        start = time.perf_counter()
        result = f()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aantal", type=int, default=1_000_000)
    parser.add_argument("--oud", action="store_true", help="also time the old Python loop")
    args = parser.parse_args()
    with tijdelijke_database() as url:
        _meet(make_engine(url), args)


def _meet(engine, args) -> None:
    try:
        prepare(engine, with_register=False)
        start = time.perf_counter()
        vul(engine, args.aantal)
        print(
            f"{args.aantal:,} doorverwijzingen over {args.aantal * 2 // 5:,} hulpvragen "
            f"ingevoegd in {time.perf_counter() - start:.1f} s"
        )
        rollen = {
            "stelselregisseur": Actor(id=uuid.uuid4(), rol="stelselregisseur"),
            "regiocoordinator PV21": Actor(
                id=uuid.uuid4(), rol="regiocoordinator", regio_code="PV21"
            ),
        }
        print("statistieken() op PostgreSQL (SQL, best of 3):")
        for naam, actor in rollen.items():
            with session_scope(engine) as s:
                sec, r = tijd(lambda s=s, actor=actor: service.statistieken(session=s, actor=actor))
            assert isinstance(r, dict)
            print(
                f"  {naam:22} {sec * 1000:8.0f} ms  ({r['aantal_doorverwijzingen']:,} "
                f"doorverwijzingen, {r['pingpong']:,} pingpong, {r['te_laat']:,} te laat)"
            )
        if args.oud:
            print("oude Python-lus (alle ORM-rijen laden, één keer):")
            for naam, actor in rollen.items():
                with session_scope(engine) as s:
                    sec, r_oud = tijd(lambda s=s, actor=actor: oud(s, actor), 1)
                with session_scope(engine) as s:
                    nieuw = service.statistieken(session=s, actor=actor)
                gelijk = all(nieuw[k] == v for k, v in r_oud.items())  # type: ignore[union-attr]
                print(f"  {naam:22} {sec * 1000:8.0f} ms  (gelijk aan SQL: {gelijk})")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
