"""The `stelsel` command."""

import os
import tempfile

import typer
import uvicorn

from stelsel import logboek
from stelsel.bootstrap import prepare
from stelsel.config import get_settings
from stelsel.db import get_engine
from stelsel.domains import cli_apps
from stelsel.doorverwijzing.cli import opschonen

app = typer.Typer(
    help="stelsel: dienstenregister, wegwijzer en warme doorverwijzing.", no_args_is_help=True
)
for naam, groep in cli_apps():
    app.add_typer(groep, name=naam)
app.command("opschonen")(opschonen)

# Commands that prepare the database themselves (init, serve) or work on it as it is (import
# and export: the bundled register must not be loaded into a database about to be imported).
_ZELF_VOORBEREID = {"init", "serve"}
_ZONDER_REGISTER = {"import", "export"}


@app.callback()
def _voorbereiden(ctx: typer.Context) -> None:
    """Bring the database to the current schema (and the bundled register) before a command."""
    if ctx.invoked_subcommand in _ZELF_VOORBEREID or ctx.resilient_parsing:
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
    prepare(get_engine())
    if workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # /metrics sums the figures of all workers, each of which writes its own files here
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="stelsel-metrics-")
    uvicorn.run(
        "stelsel.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # applied in every worker process, so the filters hold there too
        log_config=logboek.log_config(settings.log_level, settings.log_format),
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    app()
