"""`stelsel evalueer wegwijzer FILE`: the figures of the wegwijzer and a BM25 baseline."""

from pathlib import Path

import typer

from stelsel.db import get_engine, session_scope
from stelsel.wegwijzer import evaluatie, service

evalueer_app = typer.Typer(help="Kwaliteit meten.", no_args_is_help=True)


@evalueer_app.command("wegwijzer")
def evalueer_wegwijzer(
    vragen: Path = typer.Argument(..., exists=True, help="JSONL met vragen en goede antwoorden."),
    aliassen: Path = typer.Option(
        None, help="JSON met aanbiedersleutels; standaard aanbieders-aliases.json ernaast."
    ),
    toon_missers: bool = typer.Option(False, help="Toon de vragen zonder treffer in de top 3."),
) -> None:
    """Print hit@1, hit@3, thema micro-F1, soort accuracy and latency, with the baseline."""
    aliassen = aliassen or vragen.parent / "aanbieders-aliases.json"
    engine = get_engine()
    vraagset = evaluatie.lees_vragen(vragen)
    sleutels = evaluatie.lees_aliassen(aliassen)
    with session_scope(engine) as session:
        docs = service.documenten(session=session)

        def voorspel(v: evaluatie.Vraag) -> evaluatie.Voorspelling:
            advies = service.advies(
                session=session, vraag=v.vraag, gemeente=v.gemeente, registreer=False
            )
            return evaluatie.Voorspelling(
                advies.themas, advies.soort, [r.aanbieder_naam for r in advies.resultaten]
            )

        service.matcher(session=session)  # build the index before timing
        ons = evaluatie.evalueer(vraagset, voorspel, sleutels)
        basis = evaluatie.evalueer(vraagset, evaluatie.Baseline(docs).voorspel, sleutels)
    typer.echo(f"{len(vraagset)} vragen, {len(docs)} diensten\n")
    typer.echo(evaluatie.tabel(ons, basis))
    if toon_missers:
        typer.echo("\nGeen treffer in de top 3: " + ", ".join(ons.missers))
