"""`stelsel export …` and `stelsel import …`: the register in and out, as CSV or HSDS."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from stelsel.db import get_engine, session_scope
from stelsel.geo import service as geo
from stelsel.register import csvformaat, hsds, service

export_app = typer.Typer(help="Het register exporteren.", no_args_is_help=True)
import_app = typer.Typer(help="Een register importeren.", no_args_is_help=True)


@contextmanager
def voortgang(beschrijving: str, totaal: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent when output is redirected."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task(beschrijving, total=totaal)
        yield lambda n: progress.advance(task, n)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@export_app.command("csv")
def export_csv(
    uit: Path = typer.Option(..., "--uit", help="Map waarin aanbieders.csv en diensten.csv komen."),
) -> None:
    """Write the register as CSV (docs/register-csv.md)."""
    engine = get_engine()
    with session_scope(engine) as session:
        register = service.to_register(session=session)
    with voortgang("Exporteren", len(register.aanbieders) + len(register.diensten)) as tick:
        csvformaat.write_dir(uit, register, voortgang=tick)
    typer.echo(
        f"{len(register.aanbieders)} aanbieders en {len(register.diensten)} diensten naar {uit}"
    )


@export_app.command("hsds")
def export_hsds(
    uit: Path = typer.Option(..., "--uit", help="Map voor de HSDS 3.0 JSON-bestanden."),
) -> None:
    """Write the register as Open Referral HSDS 3.0 JSON."""
    engine = get_engine()
    with session_scope(engine) as session:
        register = service.to_register(session=session)
        gewijzigd = service.last_modified(session=session)
        namen = geo.area_names(session=session)
    documenten = hsds.convert(register, namen, gewijzigd)
    hsds.write(uit, documenten)
    typer.echo(
        f"{len(documenten['organizations'])} organizations, {len(documenten['services'])} services "
        f"en {len(documenten['taxonomy_terms'])} taxonomy terms naar {uit}"
    )


@import_app.command("csv")
def import_csv(
    map_: Path = typer.Argument(..., help="Map met aanbieders.csv en diensten.csv."),
) -> None:
    """Validate everything, then load it in one transaction; on any problem nothing is written."""
    if not map_.is_dir():
        _fail(f"{map_}: geen map")
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            register = service.read_csv(session=session, map_=map_)
            totaal = len(register.aanbieders) + len(register.diensten)
            with voortgang("Importeren", totaal) as tick:
                a, d = service.load(session=session, register=register, voortgang=tick)
    except csvformaat.ImportFout as e:
        for p in e.problemen:
            typer.echo(str(p), err=True)
        _fail(f"Niets geïmporteerd: {len(e.problemen)} probleem/problemen.")
    typer.echo(f"{a} aanbieders en {d} diensten geïmporteerd")
