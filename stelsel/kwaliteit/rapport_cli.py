"""CLI of the figures: `stelsel rapport kwaliteit` (the report) and `stelsel kwaliteit rollup
herbouw` (rebuild the rollup from the raw responses)."""

from datetime import UTC, datetime
from pathlib import Path

import typer

from stelsel.config import get_settings
from stelsel.db import get_engine, session_scope
from stelsel.errors import Ongeldig
from stelsel.kwaliteit import queries, rapport, rollup

rapport_app = typer.Typer(help="Rapporten.", no_args_is_help=True)
rollup_app = typer.Typer(help="De rollup van de kwaliteitscijfers.", no_args_is_help=True)


@rapport_app.command("kwaliteit")
def rapport_kwaliteit(
    periode: str = typer.Option(..., help="Kwartaal, maand of jaar: 2026-Q3, 2026-07, 2026"),
    uit: Path = typer.Option(..., help="Bestand: .pdf of .html"),
    regio: str | None = typer.Option(None, help="GM0193, AM01, CR03 of PV23; leeg: Nederland"),
    figuur: str = typer.Option(
        "csat", help=f"Figuur in de grafieken: {', '.join(rapport.FIGUREN)}"
    ),
) -> None:
    """Write the "Staat van de dienstverlening" of a region and period as PDF or HTML."""
    soort = uit.suffix.lower()
    try:
        if soort not in (".pdf", ".html"):
            raise Ongeldig("uit", "het bestand moet eindigen op .pdf of .html")
        if figuur not in rapport.FIGUREN:
            raise Ongeldig("figuur", f"kies uit {', '.join(rapport.FIGUREN)}")
        with session_scope(get_engine()) as session:
            g = queries.geografie(session)
            f = queries.Filter(regio=regio.upper() if regio else None)
            if f.regio:
                g.soort(f.regio)
            staat = rapport.verzamel(
                session,
                f,
                periode,
                minimum=get_settings().minimale_groep,
                vandaag=datetime.now(UTC).date(),
                g=g,
            )
    except Ongeldig as e:
        typer.echo(f"--{e.veld}: {e.reden}", err=True)
        raise typer.Exit(2) from None
    data = rapport.als_pdf(staat, figuur) if soort == ".pdf" else rapport.als_html(staat, figuur)
    uit.write_bytes(data)
    typer.echo(f"{uit} geschreven ({len(data) // 1024} kB).")


@rollup_app.command("herbouw")
def herbouw() -> None:
    """Rebuild the rollup from the raw responses (after a restore, or when in doubt)."""
    with session_scope(get_engine()) as session:
        n = rollup.herbouw(session)
    typer.echo(f"Rollup herbouwd: {n} rijen.")
