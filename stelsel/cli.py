"""The `stelsel` command."""

import multiprocessing
import os
import signal
import socket
import tempfile
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess

import typer
import uvicorn
from pydantic import ValidationError

from stelsel import backup, logboek
from stelsel.bootstrap import prepare
from stelsel.config import get_settings, instellingsfouten
from stelsel.db import get_engine
from stelsel.domains import cli_apps
from stelsel.doorverwijzing.cli import opschonen, termijnen
from stelsel.kwaliteit import cli as kwaliteit_cli

app = typer.Typer(
    help="stelsel: dienstenregister, wegwijzer en warme doorverwijzing.", no_args_is_help=True
)
for naam, groep in cli_apps():
    app.add_typer(groep, name=naam)
app.command("opschonen")(opschonen)
app.command("termijnen")(termijnen)
app.command("demo")(kwaliteit_cli.demo_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)

# Commands that prepare the database themselves (init, serve, restore), copy it as it is
# (backup), or work on it as it is (import and export: the bundled register must not be loaded
# into a database about to be imported).
_ZELF_VOORBEREID = {"init", "serve", "backup", "restore"}
_ZONDER_REGISTER = {"import", "export"}


@app.callback()
def _voorbereiden(ctx: typer.Context) -> None:
    """Check the settings, and bring the database to the current schema (and the bundled
    register) before a command."""
    if ctx.resilient_parsing:
        return
    try:
        get_settings()
    except ValidationError as e:
        for regel in instellingsfouten(e):
            typer.echo(f"Instelling klopt niet: {regel}", err=True)
        raise typer.Exit(2) from None
    if ctx.invoked_subcommand in _ZELF_VOORBEREID:
        return
    prepare(get_engine(), with_register=ctx.invoked_subcommand not in _ZONDER_REGISTER)


@app.command()
def init(
    zonder_register: bool = typer.Option(
        False, "--zonder-register", help="Alleen schema en geografie, geen gebundeld register."
    ),
) -> None:
    """Create or upgrade the database and load the bundled register when it is empty."""
    result = prepare(get_engine(), with_register=not zonder_register)
    typer.echo(
        f"Database klaar: {result['gemeenten']} gemeenten, {result['aanbieders']} aanbieders en "
        f"{result['diensten']} diensten geladen."
    )


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Adres om op te luisteren."),
    port: int = typer.Option(8000, help="Poort."),
    workers: int = typer.Option(1, help="Aantal processen."),
) -> None:
    """Serve the API and pages; prepares an empty database with the bundled register first."""
    settings = get_settings()
    logboek.installeer(settings.log_level, settings.log_format)
    engine = get_engine()
    prepare(engine)
    engine.dispose()  # the workers open their own connections
    if workers == 1:
        _worker(host, port)
        return
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # /metrics sums the figures of all workers, each of which writes its own files here
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="stelsel-metrics-")
    _supervise(host, port, workers)


def _worker(host: str, port: int) -> None:
    """One server process on its own socket. With SO_REUSEPORT several processes share the
    port and the kernel spreads connections over them. The socket says IPPROTO_TCP: asyncio
    sets TCP_NODELAY only on connections of such a socket, and uvicorn's own --workers binds
    one without it (Nagle and delayed ACKs then add 44 ms to every kept-alive request)."""
    settings = get_settings()
    familie = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(familie, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        "stelsel.app:create_app",
        factory=True,
        # applied in every worker process, so the filters hold there too
        log_config=logboek.log_config(settings.log_level, settings.log_format),
        log_level=settings.log_level.lower(),
        # uvloop and httptools when installed (they are dependencies): a libuv event loop and a
        # C HTTP parser instead of asyncio's and h11's pure Python: less CPU per request
        loop="auto",
        http="auto",
    )
    uvicorn.Server(config).run(sockets=[sock])


def _supervise(host: str, port: int, workers: int) -> None:
    """Run `workers` server processes; restart one that dies; stop them all on SIGTERM/SIGINT."""
    ctx = multiprocessing.get_context("spawn")
    stoppen = False

    def start() -> BaseProcess:
        proc = ctx.Process(target=_worker, args=(host, port), daemon=False)
        proc.start()
        return proc

    def stop(*_: object) -> None:
        nonlocal stoppen
        stoppen = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    procs = [start() for _ in range(workers)]
    while not stoppen:
        wait([p.sentinel for p in procs], timeout=0.5)
        procs = [p if p.is_alive() or stoppen else start() for p in procs]
    for p in procs:
        p.terminate()
    for p in procs:
        p.join(timeout=30)


if __name__ == "__main__":
    app()
