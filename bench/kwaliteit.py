"""Quality figures at national scale: responses and referrals bulk-inserted in SQL
(generate_series on PostgreSQL, a recursive CTE on SQLite), the rollup rebuilt, then timed:

- the national dashboard (everything `/kwaliteit` computes for the stelselregisseur: key
  figures with R2/R3, referral figures, response rate, four quarters of trend, the provincie and
  thema breakdowns of this and the previous quarter), target ≤ 2 s;
- a regional dashboard (arbeidsmarktregio AM01), target ≤ 0.5 s;
- recording one response (insert, its thema, the rollup upsert, commit), target p95 ≤ 20 ms.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/kwaliteit.py [--omvang 10000000]
    .venv/bin/python bench/kwaliteit.py --omvang 1000000 --sqlite   # SQLite instead

Referrals are half the number of responses (5M at the full size), ~2.5 per case.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._pg import tijdelijke_database  # noqa: E402
from stelsel.bootstrap import prepare  # noqa: E402
from stelsel.db import make_engine, session_scope  # noqa: E402
from stelsel.doorverwijzing import queries as dv_queries  # noqa: E402
from stelsel.kwaliteit import cijfers, queries, rapport, rollup  # noqa: E402
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema  # noqa: E402
from stelsel.register import taxonomie as tx  # noqa: E402

THEMAS = list(tx.codes(tx.THEMAS))[:8]
NT = len(THEMAS)
OPGELOST = ["volledig", "deels", "nog_niet_verwacht_wel", "nog_niet_verwacht_niet"]
DAGEN = 730  # two years up to today
VANDAAG = datetime.now(UTC).date()


def gemeenten(engine) -> list[str]:
    with engine.connect() as c:
        return [r[0] for r in c.execute(text("SELECT code FROM gemeente ORDER BY code"))]


def vul_pg(engine, omvang: int) -> None:
    gm = gemeenten(engine)
    p = {
        "n": omvang,
        "gm": gm,
        "ngm": len(gm),
        "themas": THEMAS,
        "nt": NT,
        "opg": OPGELOST,
        "dagen": DAGEN,
    }
    with engine.begin() as c:
        # three aanbieders serve each gemeente; marks drift upwards over the two years
        c.execute(
            text(
                """
                INSERT INTO enquete_antwoord (id, bron, ontvangen_op, csat, ces, opgelost, nps,
                    aanbieder_id, gemeente_code, eerste_keer_goed, aantal_doorverwijzingen)
                SELECT md5('r' || i)::uuid, 'import',
                    now() - make_interval(days => i % :dagen, secs => i % 86000),
                    1 + (abs(hashtext('c' || i)) % 8)
                        + CASE WHEN i % :dagen < 300 THEN 1 ELSE 0 END,
                    1 + abs(hashtext('e' || i)) % 5,
                    (CAST(:opg AS text[]))[1 + abs(hashtext('o' || i)) % 4],
                    abs(hashtext('p' || i)) % 11,
                    md5('a' || (((i / 7) % :ngm) * 3 + i % 3))::uuid,
                    (CAST(:gm AS text[]))[1 + (i / 7) % :ngm],
                    i % 3 <> 0, 1 + i % 3
                FROM generate_series(0, :n - 1) AS i
                """
            ),
            p,
        )
        c.execute(
            text(
                """
                INSERT INTO enquete_antwoord_thema (antwoord_id, thema)
                SELECT md5('r' || i)::uuid, (CAST(:themas AS text[]))[1 + i % :nt]
                FROM generate_series(0, :n - 1) AS i
                UNION ALL
                SELECT md5('r' || i)::uuid, (CAST(:themas AS text[]))[1 + (i + 3) % :nt]
                FROM generate_series(0, :n - 1, 3) AS i
                """
            ),
            p,
        )
        zaken = max(omvang // 5, 1)  # referrals = omvang / 2, 2.5 per case
        c.execute(
            text(
                """
                INSERT INTO hulpvraag (id, aanbieder_id, aangemaakt_door, gemeente_code,
                    urgentie, toegangscode_hash, aangemaakt_op)
                SELECT md5('h' || i)::uuid, md5('a' || (i % 900))::uuid, md5('g' || i)::uuid,
                    (CAST(:gm AS text[]))[1 + i % :ngm], 'normaal', md5('t' || i) || md5('u' || i),
                    now() - make_interval(days => i % :dagen)
                FROM generate_series(0, :zaken - 1) AS i
                """
            ),
            {**p, "zaken": zaken},
        )
        # bulk load without the per-row triggers of doorverwijzing_keten, rebuilt once below
        c.execute(text("ALTER TABLE doorverwijzing DISABLE TRIGGER doorverwijzing_keten_bij"))
        c.execute(
            text(
                """
                INSERT INTO doorverwijzing (id, hulpvraag_id, van_aanbieder_id, naar_aanbieder_id,
                    status, aangemaakt_op, bijgewerkt_op, eerste_contact_voor)
                SELECT md5('d' || i)::uuid, md5('h' || (i % :zaken))::uuid,
                    md5('a' || abs(hashtext('v' || i)) % 8)::uuid,
                    md5('a' || abs(hashtext('w' || i)) % 8)::uuid,
                    (ARRAY['verzonden','ontvangen','geaccepteerd','afgerond'])[1 + i % 4],
                    now() - make_interval(days => (i % :zaken) % :dagen, secs => i / :zaken),
                    now(), current_date - 30 + (i % 60)
                FROM generate_series(0, :n / 2 - 1) AS i
                """
            ),
            {**p, "zaken": zaken},
        )
        c.execute(text("ALTER TABLE doorverwijzing ENABLE TRIGGER doorverwijzing_keten_bij"))
        dv_queries.herbouw_keten(c)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))


def vul_sqlite(engine, omvang: int) -> None:
    gm = gemeenten(engine)
    with engine.begin() as c:
        c.execute(text("CREATE TEMP TABLE gm (i INTEGER PRIMARY KEY, code TEXT)"))
        c.execute(
            text("INSERT INTO gm VALUES (:i, :code)"),
            [{"i": i, "code": code} for i, code in enumerate(gm)],
        )
        c.execute(
            text(
                """
                WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < :n - 1)
                INSERT INTO enquete_antwoord (id, bron, ontvangen_op, csat, ces, opgelost, nps,
                    aanbieder_id, gemeente_code, eerste_keer_goed, aantal_doorverwijzingen)
                SELECT printf('%032x', i), 'import',
                    strftime('%Y-%m-%d %H:%M:%f000', 'now', '-' || (i % :dagen) || ' days'),
                    1 + (i * 7919) % 8 + (CASE WHEN i % :dagen < 300 THEN 1 ELSE 0 END),
                    1 + (i * 104729) % 5,
                    CASE (i * 31) % 4 WHEN 0 THEN 'volledig' WHEN 1 THEN 'deels'
                        WHEN 2 THEN 'nog_niet_verwacht_wel' ELSE 'nog_niet_verwacht_niet' END,
                    (i * 7) % 11,
                    printf('%032x', 1000000000 + ((i / 7) % :ngm) * 3 + i % 3),
                    (SELECT code FROM gm WHERE gm.i = (i / 7) % :ngm),
                    i % 3 <> 0, 1 + i % 3
                FROM s
                """
            ),
            {"n": omvang, "dagen": DAGEN, "ngm": len(gm)},
        )
        c.execute(
            text(
                "INSERT INTO enquete_antwoord_thema (antwoord_id, thema) "
                "SELECT id, CASE rowid % :nt "
                + " ".join(f"WHEN {i} THEN :t{i}" for i in range(NT))
                + " END FROM enquete_antwoord"
            ),
            {"nt": NT, **{f"t{i}": t for i, t in enumerate(THEMAS)}},
        )
        c.execute(text("ANALYZE"))


def tijd(f, herhaal: int = 3) -> tuple[float, float]:
    """(first run, best of the next runs) in seconds."""
    t0 = time.perf_counter()
    f()
    eerste = time.perf_counter() - t0
    rest = []
    for _ in range(herhaal):
        t0 = time.perf_counter()
        f()
        rest.append(time.perf_counter() - t0)
    return eerste, min(rest)


def kwartaal(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def meet(engine, naam: str, aantal_opnames: int = 200) -> None:
    periode = kwartaal(VANDAAG)

    def dashboard(regio: str | None):
        def f():
            with session_scope(engine) as s:
                rapport.verzamel(
                    s, queries.Filter(regio=regio), periode, minimum=10, vandaag=VANDAAG
                )

        return f

    eerste, best = tijd(dashboard(None))
    print(f"{naam}: national dashboard {periode}: first {eerste:.2f} s, warm {best:.2f} s (≤ 2 s)")
    eerste, best = tijd(dashboard("AM01"))
    print(f"{naam}: regional dashboard AM01: first {eerste:.3f} s, warm {best:.3f} s (≤ 0.5 s)")
    van, tot = queries.periode_grenzen(periode)

    def keten(regio: str | None):
        def f():
            with session_scope(engine) as s:
                g = queries.geografie(s)
                queries.ketensommen(s, queries.Filter(regio=regio, van=van, tot=tot), g, VANDAAG)

        return f

    for regio in (None, "AM01"):
        eerste, best = tijd(keten(regio))
        print(
            f"{naam}:   of which the referral statistics of one period ({regio or 'NL'}, "
            f"doorverwijzing.kwaliteit_cijfers, once per dashboard): warm {best:.3f} s"
        )
    duur = []
    for i in range(aantal_opnames):
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            a = EnqueteAntwoord(
                id=uuid.uuid4(),
                bron="enquete",
                csat=1 + i % 10,
                ces=1 + i % 5,
                nps=i % 11,
                opgelost=OPGELOST[i % 4],
                aanbieder_id=uuid.UUID(int=i % 50),
                gemeente_code="GM0363",
            )
            s.add(a)
            s.flush()
            s.add(EnqueteAntwoordThema(antwoord_id=a.id, thema=THEMAS[i % NT]))
            s.flush()
            rollup.tel_op(s, a.id)
        duur.append(time.perf_counter() - t0)
    p95 = statistics.quantiles(duur, n=20)[-1] * 1000
    print(
        f"{naam}: record a response: p50 {statistics.median(duur) * 1000:.1f} ms, "
        f"p95 {p95:.1f} ms (≤ 20 ms)"
    )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    ap = argparse.ArgumentParser()
    ap.add_argument("--omvang", type=int, default=1_000_000, help="number of responses")
    ap.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    ap.add_argument(
        "--schaal",
        type=int,
        default=10,
        help="multiply the rebuilt rollup by K: the monthly rollup of K copies of every response "
        "(same rows, every count and sum ×K), so the survey figures read the rollup of "
        "omvang×K responses without inserting them; the raw rows and referrals stay at omvang",
    )
    args = ap.parse_args()

    def run(url: str, naam: str) -> None:
        engine = make_engine(url)
        prepare(
            engine, with_register=False, data_dir=Path(__file__).resolve().parent.parent / "data"
        )
        t0 = time.perf_counter()
        (vul_sqlite if naam == "sqlite" else vul_pg)(engine, args.omvang)
        print(
            f"{naam}: {args.omvang:,} responses"
            f"{'' if naam == 'sqlite' else f', {args.omvang // 2:,} referrals'} inserted "
            f"in {time.perf_counter() - t0:.0f} s"
        )
        t0 = time.perf_counter()
        with session_scope(engine) as s:
            n = rollup.herbouw(s)
        print(f"{naam}: rollup rebuilt in {time.perf_counter() - t0:.0f} s: {n:,} rows")
        if args.schaal > 1:
            with session_scope(engine) as s:
                s.execute(
                    rollup.R.update().values(
                        {k: rollup.R.c[k] * args.schaal for k in cijfers.KOLOMMEN}
                    )
                )
            print(
                f"{naam}: rollup scaled ×{args.schaal}: the survey figures are those of "
                f"{args.omvang * args.schaal:,} responses ({args.schaal} copies of each)"
            )
        if naam != "sqlite":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE kwaliteit_maand"))
        meet(engine, naam)
        engine.dispose()

    if args.sqlite:
        with tempfile.TemporaryDirectory() as d:
            run(f"sqlite:///{d}/bench.db", "sqlite")
    else:
        with tijdelijke_database() as url:
            run(url, "postgresql")


if __name__ == "__main__":
    main()
