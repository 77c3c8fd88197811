"""Graceful load: N concurrent clients on POST /api/v1/wegwijzer for S seconds against
`stelsel serve --workers 2`, on PostgreSQL (200 clients) and SQLite (50 clients). Counts
answers by kind (200, 503 with Retry-After, 500, time-outs) and reports throughput and
p50/p95/p99 of the 200s. Past capacity the server should shed load with 503, never time out.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/belasting.py [--seconden 60]
"""

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import _server  # noqa: E402
from bench._pg import tijdelijke_database  # noqa: E402
from bench.wegwijzer import VRAGEN  # noqa: E402

TIMEOUT = 10.0


@dataclass
class Uitslag:
    ok: list[float] = field(default_factory=list)
    te_druk: int = 0
    te_druk_zonder_retry_after: int = 0
    fouten: int = 0
    timeouts: int = 0
    verbroken: int = 0
    anders: dict[int, int] = field(default_factory=dict)
    seconden: float = 0.0
    herstel_ms: float = 0.0
    server: str = ""

    def regel(self, naam: str) -> str:
        t = sorted(self.ok) or [0.0]
        pct = lambda p: t[min(len(t) - 1, int(p * len(t)))]  # noqa: E731
        return (
            f"{naam:<34}{len(self.ok) / self.seconden:>8.0f}/s  p50 {statistics.median(t):6.0f}"
            f"  p95 {pct(0.95):6.0f}  p99 {pct(0.99):6.0f} ms  200: {len(self.ok)}"
            f"  503: {self.te_druk}  500: {self.fouten}  time-outs: {self.timeouts}"
            f"  verbroken: {self.verbroken}"
            f"  herstel: {self.herstel_ms:.0f} ms"
            + (f"\n{'':<34}in de server (uit /metrics): {self.server}" if self.server else "")
        )


async def belast(base: str, clients: int, seconden: float) -> Uitslag:
    """`clients` concurrent clients, each posting wegwijzer questions back to back; a 503 is
    retried after its Retry-After (capped at 1 s), as a well-behaved client does."""
    uitslag = Uitslag()
    stop = time.monotonic() + seconden
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT, limits=limits) as http:

        async def client(i: int) -> None:
            n = i
            while time.monotonic() < stop:
                vraag, gemeente = VRAGEN[n % len(VRAGEN)]
                n += 1
                start = time.perf_counter()
                try:
                    r = await http.post(
                        "/api/v1/wegwijzer", json={"vraag": vraag, "gemeente": gemeente}
                    )
                except httpx.TimeoutException:
                    uitslag.timeouts += 1
                    continue
                except httpx.TransportError:
                    uitslag.verbroken += 1  # the connection was closed under the request
                    continue
                if r.status_code == 200:
                    uitslag.ok.append((time.perf_counter() - start) * 1000)
                elif r.status_code == 503:
                    uitslag.te_druk += 1
                    if "retry-after" not in r.headers:
                        uitslag.te_druk_zonder_retry_after += 1
                    await asyncio.sleep(min(1.0, float(r.headers.get("retry-after", 1))))
                elif r.status_code >= 500:
                    uitslag.fouten += 1
                else:
                    uitslag.anders[r.status_code] = uitslag.anders.get(r.status_code, 0) + 1

        begin = time.monotonic()
        await asyncio.gather(*(client(i) for i in range(clients)))
        uitslag.seconden = time.monotonic() - begin
        # Recovery: right after the load, a plain request is answered at once.
        start = time.perf_counter()
        r = await http.get("/api/v1/themas")
        uitslag.herstel_ms = (time.perf_counter() - start) * 1000
        assert r.status_code == 200
        uitslag.server = server_percentielen((await http.get("/metrics")).text)
    return uitslag


def server_percentielen(metrics: str, route: str = "/api/v1/wegwijzer") -> str:
    """p50/p95/p99 of the time the server itself took (queue, work and commit), from the
    histogram on /metrics: the bucket each percentile falls in. The client's figures also hold
    the load generator's own delays, which on 2 shared cores are most of them."""
    emmers: list[tuple[float, float]] = []
    for regel in metrics.splitlines():
        if regel.startswith("stelsel_verzoek_seconden_bucket{") and f'route="{route}"' in regel:
            le = regel.split('le="')[1].split('"')[0]
            emmers.append((float("inf") if le == "+Inf" else float(le), float(regel.split()[-1])))
    emmers.sort()
    if not emmers or emmers[-1][1] == 0:
        return ""
    totaal = emmers[-1][1]
    uit = []
    for p in (0.5, 0.95, 0.99):
        grens = next(le for le, n in emmers if n >= p * totaal)
        uit.append(f"p{int(p * 100)} ≤ {grens * 1000:.0f} ms")
    return ", ".join(uit)


def serve(database_url: str, workers: int, log: Path, **settings: str) -> tuple:
    proc, port = _server.start(database_url, workers, log, **settings)
    base = f"http://127.0.0.1:{port}"
    for vraag, gemeente in VRAGEN * 2:  # warm both workers' indexes
        httpx.post(base + "/api/v1/wegwijzer", json={"vraag": vraag, "gemeente": gemeente})
    return proc, base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconden", type=float, default=60)
    args = parser.parse_args()
    print(f"wegwijzer onder belasting, {args.seconden:.0f} s, 2 workers, time-out {TIMEOUT:.0f} s:")
    with tempfile.TemporaryDirectory() as tmp, tijdelijke_database() as pg:
        logs = Path(tempfile.gettempdir())
        for naam, url, clients in (
            ("PostgreSQL", pg, 200),
            ("SQLite", f"sqlite:///{Path(tmp) / 'belasting.db'}", 50),
        ):
            proc, base = serve(url, 2, logs / f"bench-belasting-{naam}.log")
            try:
                uitslag = asyncio.run(belast(base, clients, args.seconden))
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            print(uitslag.regel(f"{naam}, {clients} clients"), flush=True)


if __name__ == "__main__":
    main()
