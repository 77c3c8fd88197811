"""CLI commands of the kwaliteit domain: `stelsel kwaliteit uitnodigen|opschonen`, and the
commands attached elsewhere: `stelsel import enquete` (domains.py) and `stelsel demo` (cli.py)."""

from pathlib import Path

import typer

from stelsel.db import get_engine, session_scope
from stelsel.kwaliteit import demo, enquete, importeren, rapport_cli

kwaliteit_app = typer.Typer(help="Kwaliteit.", no_args_is_help=True)
kwaliteit_app.add_typer(rapport_cli.rollup_app, name="rollup")


@kwaliteit_app.command("uitnodigen")
def uitnodigen() -> None:
    """Send the questionnaire to every closed case with consent that has not had it (run it
    daily from cron; running it again sends nothing twice)."""
    with session_scope(get_engine()) as session:
        n = enquete.uitnodigen(session=session)
    typer.echo(f"{n} uitnodiging{'' if n == 1 else 'en'} klaargezet.")


@kwaliteit_app.command("opschonen")
def opschonen() -> None:
    """Empty the comments of responses older than the retention period (BEWAARTERMIJN_DAGEN);
    the answers themselves stay as anonymous measurements."""
    with session_scope(get_engine()) as session:
        n = enquete.opschonen(session=session)
    typer.echo(f"{n} opmerking{'' if n == 1 else 'en'} verwijderd.")


def importeer_enquete(
    bestand: Path = typer.Argument(..., help="CSV-bestand met enquête-antwoorden"),
) -> None:
    """Import responses from an existing survey export (columns: docs/kwaliteit-enquete.md).
    Everything is checked first; with any problem nothing is written."""
    try:
        with session_scope(get_engine()) as session:
            n = importeren.importeer(session=session, pad=bestand)
    except importeren.ImportFout as e:
        for p in e.problemen:
            typer.echo(str(p), err=True)
        typer.echo(f"Niets geïmporteerd: {len(e.problemen)} probleem/problemen.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{n} antwoord{'' if n == 1 else 'en'} geïmporteerd.")


def demo_command(
    omvang: int = typer.Option(
        demo.STANDAARD_OMVANG, "--omvang", min=1, max=1_000_000, help="Aantal hulpvragen"
    ),
    verwijder: bool = typer.Option(False, "--verwijder", help="Verwijder alle demodata"),
) -> None:
    """Fill the database with a realistic demo population (hulpvragen, referrals, responses),
    or remove exactly that again with --verwijder. Pages show a 'Demo' banner meanwhile."""
    with session_scope(get_engine()) as session:
        if verwijder:
            t = demo.verwijder(session=session)
            typer.echo(
                f"Demodata verwijderd: {t.hulpvragen} hulpvragen, {t.doorverwijzingen} "
                f"doorverwijzingen, {t.antwoorden} antwoorden, {t.feedback} reacties."
            )
            return
        t = demo.maak(session=session, omvang=omvang)
    typer.echo(
        f"Demodata gemaakt: {t.hulpvragen} hulpvragen, {t.doorverwijzingen} doorverwijzingen, "
        f"{t.uitnodigingen} uitnodigingen, {t.antwoorden} antwoorden, {t.feedback} reacties. "
        "Verwijderen: stelsel demo --verwijder"
    )
