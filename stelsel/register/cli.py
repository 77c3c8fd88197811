"""`stelsel export …` and `stelsel import …`: the register in and out, as CSV or HSDS."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from stelsel.db import get_engine, session_scope
from stelsel.geo import service as geo
from stelsel.register import bijwerken, csvformaat, excel, hsds, hsds_import, service

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


@export_app.command("excel")
def export_excel(
    uit: Path = typer.Option(..., "--uit", help="Het .xlsx-bestand om te schrijven."),
) -> None:
    """Write the register as an Excel workbook: sheets aanbieders and diensten."""
    engine = get_engine()
    with session_scope(engine) as session:
        register = service.to_register(session=session)
    excel.write(uit, register)
    typer.echo(
        f"{len(register.aanbieders)} aanbieders en {len(register.diensten)} diensten naar {uit}"
    )


@import_app.command("hsds")
def import_hsds(
    map_: Path = typer.Argument(..., help="Map met organizations.json en services.json."),
    standaard: list[str] = typer.Option(
        [],
        "--standaard",
        help="Waarde voor een leeg veld, bv. dienst.themas=financiering (mag vaker).",
    ),
) -> None:
    """Read an Open Referral HSDS 3.0 export; validate everything first, nothing written on
    any problem."""
    if not map_.is_dir():
        _fail(f"{map_}: geen map")
    try:
        standaarden = hsds_import.standaard_uit(standaard)
    except ValueError as e:
        _fail(f"--standaard {e}")
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            register = hsds_import.read_dir(
                map_,
                geo.known_codes(session=session),
                geo.area_names(session=session),
                standaarden,
            )
            a, d = service.load(session=session, register=register)
    except csvformaat.ImportFout as e:
        for p in e.problemen:
            waar = f"{p.bestand}, record {p.regel}" if p.regel else p.bestand
            typer.echo(f"{waar}: {p.veld}: {p.reden}", err=True)
        if any(p.reden in _LEEG for p in e.problemen):
            typer.echo(
                "Een verplicht veld dat de export niet kent, vult u voor elk record met "
                "--standaard, bv. --standaard dienst.themas=financiering.",
                err=True,
            )
        _fail(f"Niets geïmporteerd: {len(e.problemen)} probleem/problemen.")
    typer.echo(f"{a} aanbieders en {d} diensten geïmporteerd")


_LEEG = ("verplicht veld is leeg", "minstens één waarde nodig")


@import_app.command("csv")
def import_csv(
    map_: Path = typer.Argument(..., help="Map met aanbieders.csv en diensten.csv."),
    bijwerken_: bool = typer.Option(
        False,
        "--bijwerken",
        help="Samenvoegen op id: nieuwe rijen toevoegen, gewijzigde bijwerken, de rest laten.",
    ),
    verwijder_ontbrekend: bool = typer.Option(
        False,
        "--verwijder-ontbrekend",
        help="Met --bijwerken: wat niet in de bestanden staat archiveren.",
    ),
    droog: bool = typer.Option(
        False, "--droog", help="Met --bijwerken: alleen het verschil tonen, niets schrijven."
    ),
) -> None:
    """Validate everything, then load it in one transaction; on any problem nothing is written."""
    if not map_.is_dir():
        _fail(f"{map_}: geen map")
    if (verwijder_ontbrekend or droog) and not bijwerken_:
        _fail("--verwijder-ontbrekend en --droog gaan alleen samen met --bijwerken")
    if bijwerken_:
        _bijwerken(map_, verwijder_ontbrekend=verwijder_ontbrekend, droog=droog)
        return
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            register = service.read_csv(session=session, map_=map_)
            totaal = len(register.aanbieders) + len(register.diensten)
            with voortgang("Importeren", totaal) as tick:
                a, d = service.load(session=session, register=register, voortgang=tick)
    except csvformaat.ImportFout as e:
        _problemen(e)
    typer.echo(f"{a} aanbieders en {d} diensten geïmporteerd")


def _problemen(e: csvformaat.ImportFout) -> None:
    for p in e.problemen:
        typer.echo(str(p), err=True)
    _fail(f"Niets geïmporteerd: {len(e.problemen)} probleem/problemen.")


def _bijwerken(map_: Path, *, verwijder_ontbrekend: bool, droog: bool) -> None:
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            register = bijwerken.read_csv(session=session, map_=map_)
            verschil = bijwerken.bijwerken(
                session=session,
                register=register,
                verwijder_ontbrekend=verwijder_ontbrekend,
                droog=droog,
            )
            if droog:
                session.rollback()
    except csvformaat.ImportFout as e:
        _problemen(e)
    if droog:
        for regel in verschil.regels():
            typer.echo(regel)
        typer.echo(f"Droog: niets geschreven. {verschil.samenvatting()}")
    else:
        typer.echo(f"Bijgewerkt. {verschil.samenvatting()}")
