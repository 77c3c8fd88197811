"""Registerbeheer benches on PostgreSQL (issue 12):

1. publish → visible: a registerbeheerder publishes an edit over HTTP on `stelsel serve
   --workers 2`; how long until POST /api/v1/wegwijzer finds it, on every worker (target ≤ 1 s).
2. GET /api/v1/diensten with the common filters (gemeente, thema, q) at 100,000 diensten:
   p50/p95 per filter in the app (target p95 ≤ 20 ms), the process's CPU time and the
   statements per request (the machine is often shared: CPU time varies less than wall time);
   then p50/p95 over HTTP on `stelsel serve --workers 1`; and EXPLAIN ANALYZE of its queries.

    .venv/bin/python bench/registerbeheer.py [--diensten 100000] [--verzoeken 60] [--uitleg]
        [--zonder-publiceren] [--zonder-http] [--database URL]

--database runs on an existing PostgreSQL database (migrated and filled up to --diensten when
it holds fewer; kept afterwards), so that repeated measurements skip the two-minute fill.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _pg  # noqa: E402
import _server  # noqa: E402

from stelsel.bootstrap import prepare  # noqa: E402
from stelsel.db import make_engine, session_scope  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DIENST = "qredits-coaching"


def _token(url: str) -> str:
    from stelsel.accounts import service as accounts

    engine = make_engine(url)
    with session_scope(engine) as s:
        g = accounts.create(session=s, email="rb@bench.example.nl", rol="registerbeheerder")
        token = accounts.create_token(session=s, gebruiker=g)
    engine.dispose()
    return token


def publiceren_tot_zichtbaar(url: str, rondes: int = 5) -> list[float]:
    """Seconds from the publish answer until every one of 8 next questions finds the edit."""
    token = _token(url)
    kop = {"Authorization": f"Bearer {token}"}
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = _server.start(url, 2, Path(tmp) / "server.log")
        basis = f"http://127.0.0.1:{port}/api/v1"
        tijden = []
        try:
            with httpx.Client(base_url=basis, timeout=30) as c:
                for _ in range(8):  # both workers build their index
                    c.post("/wegwijzer", json={"vraag": "Ik wil geld lenen voor mijn bedrijf"})
                for ronde in range(rondes):
                    woord = f"zeppelinwerf{uuid.uuid4().hex[:6]}"
                    etag = c.get(f"/diensten/{DIENST}").headers["ETag"]
                    v = c.patch(
                        f"/diensten/{DIENST}",
                        json={"naam": f"Coaching voor de {woord}", "trefwoorden": [woord]},
                        headers={**kop, "If-Match": etag},
                    ).json()
                    c.post(f"/wijzigingen/{v['id']}/indienen", headers=kop).raise_for_status()
                    c.post(f"/wijzigingen/{v['id']}/publiceren", headers=kop).raise_for_status()
                    begin = time.perf_counter()
                    achtereen = 0
                    while achtereen < 8:
                        r = c.post("/wegwijzer", json={"vraag": f"hulp bij mijn {woord}"})
                        slugs = [x["dienst"]["slug"] for x in r.json()["resultaten"]]
                        achtereen = achtereen + 1 if DIENST in slugs else 0
                        if time.perf_counter() - begin > 10:
                            raise RuntimeError(f"ronde {ronde}: na 10 s nog niet zichtbaar")
                    tijden.append(time.perf_counter() - begin)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return tijden


def vul(url: str, aantal: int) -> int:
    """Grow the bundled register to `aantal` diensten by copying its diensten (same providers,
    labels and areas, so the mix of national, regional and local stays as bundled)."""
    from stelsel.register.models import Dienst, DienstKenmerk, DienstWerkgebied

    engine = make_engine(url)
    with engine.begin() as c:
        al = c.execute(text("SELECT count(*) FROM dienst")).scalar_one()
        if al >= aantal:  # a database of an earlier run (--database)
            engine.dispose()
            return int(al)
        diensten = [dict(r._mapping) for r in c.execute(select(Dienst.__table__))]
        kenmerken: dict = {}
        for r in c.execute(select(DienstKenmerk.__table__)):
            kenmerken.setdefault(r.dienst_id, []).append(dict(r._mapping))
        gebieden: dict = {}
        for r in c.execute(select(DienstWerkgebied.__table__)):
            gebieden.setdefault(r.dienst_id, []).append(dict(r._mapping))
        nodig = aantal - len(diensten)
        n = 0
        while n < nodig:
            d_rijen, k_rijen, w_rijen = [], [], []
            for bron in diensten:
                if n >= nodig:
                    break
                nieuw = uuid.uuid4()
                d_rijen.append(
                    {
                        **bron,
                        "id": nieuw,
                        "slug": f"{bron['slug']}-k{n}",
                        "naam": f"{bron['naam']} {n}",
                    }
                )
                k_rijen += [
                    {**k, "id": uuid.uuid4(), "dienst_id": nieuw}
                    for k in kenmerken.get(bron["id"], [])
                ]
                w_rijen += [
                    {**w, "id": uuid.uuid4(), "dienst_id": nieuw}
                    for w in gebieden.get(bron["id"], [])
                ]
                n += 1
            c.execute(insert(Dienst.__table__), d_rijen)
            if k_rijen:
                c.execute(insert(DienstKenmerk.__table__), k_rijen)
            if w_rijen:
                c.execute(insert(DienstWerkgebied.__table__), w_rijen)
        c.execute(text("ANALYZE"))
        totaal = c.execute(text("SELECT count(*) FROM dienst")).scalar_one()
    engine.dispose()
    return int(totaal)


FILTERS = {
    "gemeente=Leeuwarden": {"gemeente": "Leeuwarden"},
    "thema=financiering": {"thema": "financiering"},
    "q=subsidie": {"q": "subsidie"},
    "gemeente+thema": {"gemeente": "Leeuwarden", "thema": "financiering"},
    "gemeente+thema+q": {"gemeente": "Zwolle", "thema": "innovatie", "q": "advies"},
    "provincie=PV21": {"provincie": "PV21"},
}


def lijst_latentie(url: str, verzoeken: int) -> dict[str, dict[str, float]]:
    """Per filter, of GET /api/v1/diensten in the app (TestClient, no network): the first
    request in ms (a cold list cache: the query over all matches), then over the next ones
    p50/p95 wall ms, p50 CPU ms of this process (the app and the test client together) and
    statements per request."""
    import os

    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    os.environ["STELSEL_DATABASE_URL"] = url
    from stelsel.config import get_settings
    from stelsel.db import get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    from stelsel.app import create_app

    statements = [0]

    def tel(*_args) -> None:
        statements[0] += 1

    uit = {}
    with TestClient(create_app()) as c:
        for naam, params in FILTERS.items():
            begin = time.perf_counter()
            c.get("/api/v1/diensten", params=params).raise_for_status()
            koud = (time.perf_counter() - begin) * 1000
            for _ in range(4):
                c.get("/api/v1/diensten", params=params).raise_for_status()
            tijden, cpu = [], []
            event.listen(Engine, "before_cursor_execute", tel)
            statements[0] = 0
            for _ in range(verzoeken):
                begin, cpu_begin = time.perf_counter(), time.process_time()
                r = c.get("/api/v1/diensten", params=params)
                cpu.append((time.process_time() - cpu_begin) * 1000)
                tijden.append((time.perf_counter() - begin) * 1000)
                r.raise_for_status()
            event.remove(Engine, "before_cursor_execute", tel)
            tijden.sort()
            uit[naam] = {
                "koud": koud,
                "p50": statistics.median(tijden),
                "p95": tijden[int(0.95 * (len(tijden) - 1))],
                "cpu": statistics.median(cpu),
                "statements": statements[0] / verzoeken,
            }
    get_engine().dispose()
    return uit


def http_latentie(url: str, verzoeken: int) -> dict[str, dict[str, float]]:
    """Per filter, of GET /api/v1/diensten over HTTP on `stelsel serve --workers 1` (one
    process, so one list cache; keep-alive): the first request, then p50/p95 of the next, ms."""
    uit = {}
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = _server.start(url, 1, Path(tmp) / "server.log")
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1", timeout=30) as c:
                for naam, params in FILTERS.items():
                    begin = time.perf_counter()
                    c.get("/diensten", params=params).raise_for_status()
                    koud = (time.perf_counter() - begin) * 1000
                    for _ in range(4):
                        c.get("/diensten", params=params).raise_for_status()
                    tijden = []
                    for _ in range(verzoeken):
                        begin = time.perf_counter()
                        r = c.get("/diensten", params=params)
                        tijden.append((time.perf_counter() - begin) * 1000)
                        r.raise_for_status()
                    tijden.sort()
                    uit[naam] = {
                        "koud": koud,
                        "p50": statistics.median(tijden),
                        "p95": tijden[int(0.95 * (len(tijden) - 1))],
                    }
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return uit


def uitleg(url: str) -> None:
    """EXPLAIN ANALYZE per filter of what GET /diensten runs: on a cache miss the ordered ids
    of all matches ("ids"); then, as every request does, the register state check ("stand")
    and the page by id ("pagina per id"); and, for comparison, a count and a page as one
    would ask them directly ("telling", "pagina")."""
    from sqlalchemy.dialects import postgresql

    from stelsel.geo import service as geo
    from stelsel.register import service
    from stelsel.register.models import Dienst

    engine = make_engine(url)
    with session_scope(engine) as s:
        for naam, params in FILTERS.items():
            f = service.DienstFilter(thema=params.get("thema"), q=params.get("q"))
            if "gemeente" in params:
                f.gebied = geo.gebied(geo.resolve(session=s, tekst=params["gemeente"]))
            if "provincie" in params:
                f.regios.append(
                    service.regio_gebieden(session=s, soort="provincie", tekst=params["provincie"])
                )
            vragen = service.lijst_vragen(f, limit=20)
            ids = s.scalars(vragen["ids"]).all()[:20]
            vragen["pagina per id"] = select(Dienst).where(Dienst.id.in_(ids))
            for wat, stmt in vragen.items():
                sql = str(
                    stmt.compile(
                        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
                    )
                )
                plan = s.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")).scalars().all()
                print(f"--- {naam}: {wat} ---")
                print("\n".join(plan))
    engine.dispose()


def meet(url: str, args: argparse.Namespace) -> None:
    prepare(make_engine(url), with_register=True, data_dir=REPO / "data")
    if not args.zonder_publiceren:
        tijden = publiceren_tot_zichtbaar(url)
        print(
            "publiceren → zichtbaar in de wegwijzer op beide workers (8 vragen op rij), "
            f"{len(tijden)} rondes: max {max(tijden) * 1000:.0f} ms, "
            f"mediaan {statistics.median(tijden) * 1000:.0f} ms (doel ≤ 1000 ms)",
            flush=True,
        )
    begin = time.perf_counter()
    totaal = vul(url, args.diensten)
    print(f"register gevuld tot {totaal} diensten in {time.perf_counter() - begin:.0f} s")
    if args.uitleg:
        uitleg(url)
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")
    for naam, m in lijst_latentie(url, args.verzoeken).items():
        print(
            f"GET /diensten?{naam}: p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms "
            f"(doel p95 ≤ 20 ms); CPU p50 {m['cpu']:.1f} ms, {m['statements']:.1f} statements "
            f"per vraag; eerste vraag {m['koud']:.0f} ms"
        )
    if not args.zonder_http:
        for naam, m in http_latentie(url, args.verzoeken).items():
            print(
                f"HTTP GET /diensten?{naam}: p50 {m['p50']:.1f} ms, p95 {m['p95']:.1f} ms "
                f"(doel p95 ≤ 20 ms); eerste vraag {m['koud']:.0f} ms"
            )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--diensten", type=int, default=100_000)
    p.add_argument("--verzoeken", type=int, default=60)
    p.add_argument("--uitleg", action="store_true", help="print EXPLAIN ANALYZE of the queries")
    p.add_argument("--zonder-publiceren", action="store_true")
    p.add_argument("--zonder-http", action="store_true", help="only the in-app measurement")
    p.add_argument("--database", help="an existing PostgreSQL database to use (and keep)")
    args = p.parse_args()
    if args.database:
        meet(args.database, args)
    else:
        with _pg.tijdelijke_database() as url:
            meet(url, args)


if __name__ == "__main__":
    main()
