"""The `stelsel` command."""

import logging

import typer
import uvicorn

from stelsel import logboek
from stelsel.bootstrap import prepare
from stelsel.config import get_settings
from stelsel.db import get_engine
from stelsel.doorverwijzing.cli import gebruiker_app, koppeling_app, opschonen, outbox_app
from stelsel.register.cli import export_app, import_app
from stelsel.wegwijzer.cli import evalueer_app

app = typer.Typer(
    help="stelsel: dienstenregister, wegwijzer en warme doorverwijzing.", no_args_is_help=True
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.add_typer(evalueer_app, name="evalueer")
app.add_typer(gebruiker_app, name="gebruiker")
app.add_typer(outbox_app, name="outbox")
app.add_typer(koppeling_app, name="koppeling")
app.command("opschonen")(opschonen)


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
    logging.basicConfig(level=get_settings().log_level)
    logboek.installeer()
    prepare(get_engine())
    uvicorn.run(
        "stelsel.web:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level.lower(),
    )


if __name__ == "__main__":
    app()
