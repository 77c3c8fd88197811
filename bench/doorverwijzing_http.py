"""Referrals created per second over HTTP on PostgreSQL: 16 concurrent clients POST
/api/v1/doorverwijzingen with a bearer token against `stelsel serve --workers 2`, each on one
kept-alive HTTP/1.1 connection. Each referral is written with its history, outbox message and
audit entry in the request's one transaction, committed before the 201 goes out.

The hulpvragen (with their thema's given, so no wegwijzer work) are made beforehand, in
process. The load generator shares the machine's cores with the server and PostgreSQL, so it
is kept cheap (raw asyncio streams, requests prepared in advance) and its own CPU time is
printed beside the server's.

Last, `--in-proces` more referrals go through the same application in this process, straight
to its ASGI interface (no sockets, no HTTP parsing), 4 at once as a worker admits them: the
CPU milliseconds and SQL statements per referral of the application itself, which on a shared
machine hold steadier than the rate over HTTP.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/doorverwijzing_http.py \
        [--seconden 10] [--clients 16] [--workers 2]
"""

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, event, text  # noqa: E402

from bench import _server  # noqa: E402
from bench._pg import tijdelijke_database  # noqa: E402
from stelsel.accounts import service as accounts  # noqa: E402
from stelsel.bootstrap import prepare  # noqa: E402
from stelsel.db import make_engine, session_scope  # noqa: E402
from tests import factories  # noqa: E402

DOEL = 500  # referrals per second (issue 11)
PAD = "/api/v1/doorverwijzingen"
PER_TRANSACTIE = 250  # hulpvragen made per setup transaction


def body(hulpvraag_id: str) -> dict:
    """The one place that says what a referral request carries: the entrepreneur's consent
    for this receiver, as the adviser heard it, is recorded with the referral."""
    return {
        "hulpvraag": hulpvraag_id,
        "naar_aanbieder": "qredits",
        "notitie": "Zoekt financiering voor een nieuwe bakoven; graag bellen na 14 uur.",
        "toestemming": {"tekst_versie": "2026-12-v1", "kanaal": "telefoon"},
    }


# Setup ------------------------------------------------------------------------------------------


def _hulpvragen(engine, actor, aantal: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < aantal:
        with session_scope(engine) as s:
            for _ in range(min(PER_TRANSACTIE, aantal - len(ids))):
                h, _code = factories.hulpvraag(s, actor, themas=["financiering"])
                ids.append(str(h.id))
    return ids


def klaarzetten(url: str, aantal: int) -> tuple[str, list[str]]:
    """Prepare the database: schema and register, an adviser at kvk with a bearer token, one
    at qredits (so each referral queues an e-mail), and `aantal` hulpvragen of kvk."""
    engine = make_engine(url)
    try:
        prepare(engine)
        with session_scope(engine) as s:
            g = accounts.create(
                session=s, email="bench@kvk.example.nl", rol="adviseur", aanbieder="kvk"
            )
            token = accounts.create_token(session=s, gebruiker=g)
            actor = accounts.actor(g)
            accounts.create(
                session=s, email="bench@qredits.example.nl", rol="adviseur", aanbieder="qredits"
            )
        delen: list[list[str]] = [[], []]
        ts = [
            threading.Thread(
                target=lambda i=i: delen[i].extend(
                    _hulpvragen(engine, actor, aantal // 2 + i % 2 * (aantal % 2))
                )
            )
            for i in range(2)
        ]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return token, delen[0] + delen[1]
    finally:
        engine.dispose()


# The server -------------------------------------------------------------------------------------


def metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        return r.read().decode()


def emmers(tekst: str, route: str = PAD) -> dict[float, float]:
    """The cumulative buckets of the server's own time for POST `route`, from /metrics."""
    uit: dict[float, float] = {}
    for regel in tekst.splitlines():
        if (
            regel.startswith("stelsel_verzoek_seconden_bucket{")
            and f'route="{route}"' in regel
            and 'methode="POST"' in regel
        ):
            le = regel.split('le="')[1].split('"')[0]
            uit[float("inf") if le == "+Inf" else float(le)] = float(regel.split()[-1])
    return uit


def server_percentielen(voor: dict[float, float], na: dict[float, float]) -> str:
    """p50/p95 of the time the server itself took during the run (the upper bound of the
    /metrics bucket each falls in); client latencies also hold the load generator's own delays
    on the shared cores."""
    rij = sorted((le, n - voor.get(le, 0.0)) for le, n in na.items())
    if not rij or rij[-1][1] <= 0:
        return "?"
    totaal = rij[-1][1]
    return ", ".join(
        f"p{int(p * 100)} ≤ {next(le for le, n in rij if n >= p * totaal) * 1000:.0f} ms"
        for p in (0.5, 0.95)
    )


# CPU accounting ---------------------------------------------------------------------------------


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    velden = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = velden[3] + velden[4]
    return sum(velden) - idle, sum(velden)


def _postgres_ticks(pids: list[int] | None = None) -> dict[int, int]:
    """CPU jiffies of these PostgreSQL processes, or of every one on the machine."""
    if pids is not None:
        return {p: _server.cpu_ticks(p) for p in pids}
    uit = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if (p / "comm").read_text().strip() == "postgres":
                    uit[int(p.name)] = _server.cpu_ticks(int(p.name))
            except OSError:
                continue
    return uit


def bench_backends(url: str) -> list[int]:
    """The PostgreSQL backends serving the bench database: the server's pooled connections.
    Other people's tests on the same PostgreSQL server are not counted; PostgreSQL's shared
    background processes (WAL writer, checkpointer) are not either."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            return list(
                c.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()


def machine_bezig(seconden: float = 1.0) -> float:
    """Cores the machine keeps busy while this bench does nothing: other people's work that
    will compete with the measurement."""
    b0, t0 = _machine_ticks()
    time.sleep(seconden)
    b1, t1 = _machine_ticks()
    return (b1 - b0) / max(1, t1 - t0) * (os.cpu_count() or 1)


@dataclass
class Cpu:
    """CPU used during the run, in cores: the server's processes, this load generator,
    PostgreSQL, and the rest of the machine."""

    server_pids: list[int]
    pg_pids: list[int] | None = None  # None: every PostgreSQL process on the machine
    start: tuple[float, int, dict[int, int], tuple[int, int]] = (0.0, 0, {}, (0, 0))

    def begin(self) -> None:
        self.start = (
            time.process_time(),
            self._server(),
            _postgres_ticks(self.pg_pids),
            _machine_ticks(),
        )

    def _server(self) -> int:
        return sum(_server.cpu_ticks(p) for p in self.server_pids)

    def regel(self, seconden: float, aantal: int) -> str:
        hz = os.sysconf("SC_CLK_TCK")
        eigen0, server0, pg0, (bezig0, totaal0) = self.start
        eigen = (time.process_time() - eigen0) / seconden
        server = (self._server() - server0) / hz / seconden
        pg = sum(t - pg0.get(p, 0) for p, t in _postgres_ticks(self.pg_pids).items()) / hz
        pg /= seconden
        bezig, totaal = _machine_ticks()
        kernen = os.cpu_count() or 1
        machine = (bezig - bezig0) / max(1, totaal - totaal0) * kernen
        rest = max(0.0, machine - eigen - server - pg)
        per = seconden / max(1, aantal) * 1000  # ms of wall time per referral
        welke = "alle processen" if self.pg_pids is None else f"{len(self.pg_pids)} verbindingen"
        return (
            f"CPU in kernen (van {kernen}): server {server:.2f}, PostgreSQL {pg:.2f} ({welke}), "
            f"load generator {eigen:.2f}, de rest {rest:.2f}; machine {machine:.2f}\n"
            f"  CPU per doorverwijzing: server {server * per:.2f} ms, PostgreSQL {pg * per:.2f} ms "
            "(minder gevoelig voor andere belasting dan het aantal per seconde, niet ongevoelig)"
        )


# In process -------------------------------------------------------------------------------------


async def _asgi_post(app, data: bytes) -> int:
    """One prepared request (as `verzoek` builds it) straight into the ASGI app; its status."""
    kop, _, inhoud = data.partition(b"\r\n\r\n")
    regels = kop.split(b"\r\n")[1:]
    headers = [
        (naam.strip().lower(), waarde.strip())
        for naam, _, waarde in (r.partition(b":") for r in regels)
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PAD,
        "raw_path": PAD.encode(),
        "root_path": "",
        "query_string": b"",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "headers": headers,
    }
    gelezen = False

    async def receive() -> dict:
        nonlocal gelezen
        if not gelezen:
            gelezen = True
            return {"type": "http.request", "body": inhoud, "more_body": False}
        await asyncio.sleep(3600)  # no disconnect while the answer is written
        return {"type": "http.disconnect"}

    status = 0

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def in_proces(url: str, verzoeken: list[bytes], tegelijk: int) -> str:
    """CPU ms (all threads of this process) and statements per referral of the application
    in this process, after a warm-up of 100."""
    from stelsel.app import create_app

    engine = make_engine(url)
    app = create_app(engine)
    statements = itertools.count()
    event.listen(engine, "before_cursor_execute", lambda *_a: next(statements))
    warm, rest = verzoeken[:100], verzoeken[100:]

    async def alles() -> tuple[int, Counter]:
        for v in warm:
            await _asgi_post(app, v)
        rij, statussen = iter(rest), Counter()

        async def werker() -> None:
            for v in rij:
                statussen[await _asgi_post(app, v)] += 1

        s0 = next(statements)
        await asyncio.gather(*(werker() for _ in range(tegelijk)))
        return next(statements) - s0 - 1, statussen

    loop = _loop()
    try:
        c0 = time.process_time()
        aantal_statements, statussen = loop.run_until_complete(alles())
        cpu = time.process_time() - c0
    finally:
        loop.close()
        engine.dispose()
    n = max(1, statussen[201])
    anders = {k: v for k, v in statussen.items() if k != 201}
    return (
        f"in dit proces ({len(rest)} via ASGI, {tegelijk} tegelijk): "
        f"{cpu / n * 1000:.2f} ms CPU en {aantal_statements / n:.1f} SQL-statements per "
        f"doorverwijzing{f'; anders dan 201: {anders}' if anders else ''}"
    )


# The load ---------------------------------------------------------------------------------------


@dataclass
class Uitslag:
    latenties: list[float] = field(default_factory=list)  # seconds, of the 201s
    anders: Counter = field(default_factory=Counter)  # status (or 'verbroken') -> count
    seconden: float = 0.0
    op: bool = False  # ran out of hulpvragen before the time was up


def verzoek(token: str, hulpvraag_id: str) -> bytes:
    inhoud = json.dumps(body(hulpvraag_id)).encode()
    return (
        f"POST {PAD} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(inhoud)}\r\n\r\n"
    ).encode() + inhoud


async def _antwoord(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; returns its status and whether the connection stays open."""
    kop = await reader.readuntil(b"\r\n\r\n")
    regels = kop.split(b"\r\n")
    status = int(regels[0].split(b" ", 2)[1])
    lengte, open_ = 0, True
    for r in regels[1:]:
        naam, _, waarde = r.partition(b":")
        naam = naam.strip().lower()
        if naam == b"content-length":
            lengte = int(waarde)
        elif naam == b"connection" and waarde.strip().lower() == b"close":
            open_ = False
    if lengte:
        await reader.readexactly(lengte)
    return status, open_


async def belast(
    port: int, verzoeken: list[bytes], clients: int, seconden: float, uitslag: Uitslag | None
) -> None:
    """`clients` connections, each sending the next prepared request as soon as the last one
    is answered, until `seconden` have passed or the requests run out. Without `uitslag`
    (the warm-up) nothing is counted."""
    stop = time.monotonic() + seconden
    rij = iter(verzoeken)

    async def client() -> None:
        reader = writer = None
        try:
            while time.monotonic() < stop:
                data = next(rij, None)
                if data is None:
                    if uitslag is not None:
                        uitslag.op = True
                    return
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                assert reader is not None
                begin = time.perf_counter()
                try:
                    writer.write(data)
                    status, open_ = await _antwoord(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    writer.close()
                    reader = writer = None
                    if uitslag is not None:
                        uitslag.anders["verbroken"] += 1
                    continue
                if uitslag is not None:
                    if status == 201:
                        uitslag.latenties.append(time.perf_counter() - begin)
                    else:
                        uitslag.anders[status] += 1
                if not open_:
                    writer.close()
                    reader = writer = None
        finally:
            if writer is not None:
                writer.close()

    begin = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    if uitslag is not None:
        uitslag.seconden = time.monotonic() - begin


def _loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconden", type=float, default=10)
    parser.add_argument("--opwarmen", type=float, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    # On 2 cores with PostgreSQL beside it, 4 requests at once per worker was measured best
    # (the rest waits in the worker's line; see docs/beheer.md, Prestaties).
    parser.add_argument("--gelijktijdig", type=int, default=4)
    parser.add_argument("--hulpvragen", type=int, default=8000)
    parser.add_argument("--in-proces", type=int, default=600, help="0: overslaan")
    args = parser.parse_args()
    os.environ.setdefault("STELSEL_MAX_GELIJKTIJDIG", str(args.gelijktijdig))
    print(
        f"doorverwijzingen aanmaken over HTTP op PostgreSQL: POST {PAD}, {args.clients} clients "
        f"met keep-alive, stelsel serve --workers {args.workers} (STELSEL_MAX_GELIJKTIJDIG "
        f"{os.environ.get('STELSEL_MAX_GELIJKTIJDIG', 'standaard')}), {args.seconden:.0f} s na "
        f"{args.opwarmen:.0f} s opwarmen; doel ≥ {DOEL}/s",
        flush=True,
    )
    with tijdelijke_database() as url:
        t0 = time.monotonic()
        token, ids = klaarzetten(url, args.hulpvragen + args.in_proces)
        print(f"  {len(ids)} hulpvragen klaargezet in {time.monotonic() - t0:.0f} s", flush=True)
        alle = [verzoek(token, i) for i in ids]
        verzoeken, apart = alle[: args.hulpvragen], alle[args.hulpvragen :]
        log = Path(tempfile.gettempdir()) / "bench-doorverwijzing-http.log"
        proc, port = _server.start(url, args.workers, log)
        loop = _loop()
        try:
            # warm-up: every worker's connections, caches and code paths
            n = int(args.opwarmen * DOEL)
            loop.run_until_complete(belast(port, verzoeken[:n], args.clients, args.opwarmen, None))
            vooraf = machine_bezig()
            cpu = Cpu(_server.afstammelingen(proc.pid), bench_backends(url))
            uitslag = Uitslag()
            voor = emmers(metrics(port))
            cpu.begin()
            loop.run_until_complete(
                belast(port, verzoeken[n:], args.clients, args.seconden, uitslag)
            )
            # connections opened during the run count too (from zero); closed ones are lost
            nieuw = set(bench_backends(url)) - set(cpu.pg_pids or [])
            cpu.pg_pids = [*(cpu.pg_pids or []), *nieuw]
            cpu_regel = cpu.regel(uitslag.seconden, len(uitslag.latenties))
            cpu_regel += f"\n  databaseverbindingen geopend tijdens de meting: {len(nieuw)}"
            in_server = server_percentielen(voor, emmers(metrics(port)))
        finally:
            loop.close()
            proc.terminate()
            proc.wait(timeout=30)
        proces_regel = in_proces(url, apart, args.gelijktijdig) if apart else ""
    t = sorted(uitslag.latenties) or [0.0]
    drukte = " (andere processen: lagere cijfers dan op een stille machine)" if vooraf > 0.2 else ""
    per_sec = len(uitslag.latenties) / uitslag.seconden
    anders = ", ".join(f"{k}: {v}" for k, v in sorted(uitslag.anders.items(), key=str)) or "geen"
    print(
        f"  {per_sec:7.1f} doorverwijzingen per seconde (doel ≥ {DOEL}: "
        f"{'gehaald' if per_sec >= DOEL else 'niet gehaald'})\n"
        f"  201: {len(uitslag.latenties)} in {uitslag.seconden:.1f} s"
        f"{' (hulpvragen op)' if uitslag.op else ''}; anders dan 201: {anders}\n"
        f"  latentie p50 {statistics.median(t) * 1000:.1f} ms, "
        f"p95 {t[min(len(t) - 1, int(0.95 * len(t)))] * 1000:.1f} ms; "
        f"in de server (uit /metrics): {in_server}\n"
        f"  {cpu_regel}\n"
        f"  vooraf, zonder belasting, al bezig: {vooraf:.2f} kernen{drukte}"
        f"{chr(10) + '  ' + proces_regel if proces_regel else ''}",
        flush=True,
    )


if __name__ == "__main__":
    main()
