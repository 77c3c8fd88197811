"""`stelsel outbox verwerk` and `stelsel koppeling maak`."""

import typer

from stelsel.db import get_engine, session_scope
from stelsel.errors import Ongeldig
from stelsel.meldingen import bezorging, service

outbox_app = typer.Typer(help="Meldingen versturen.", no_args_is_help=True)
koppeling_app = typer.Typer(
    help="Het eigen systeem van een aanbieder koppelen (webhooks).", no_args_is_help=True
)


@koppeling_app.command("maak")
def koppeling_maak(
    aanbieder: str = typer.Option(..., "--aanbieder", help="Id of slug van de aanbieder."),
    url: str = typer.Option(..., "--url", help="Https-adres dat de webhooks ontvangt."),
) -> None:
    """Send the aanbieder's notifications as signed webhooks; prints the secret alone on the
    last line (only now)."""
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            geheim = service.koppel(session=session, aanbieder=aanbieder, webhook_url=url)
    except Ongeldig as e:
        typer.echo(f"{e.veld}: {e.reden}", err=True)
        raise typer.Exit(1) from None
    typer.echo("Gekoppeld. Controleer X-Stelsel-Signature (HMAC-SHA256) met dit geheim:")
    typer.echo(geheim)


@outbox_app.command("verwerk")
def verwerk() -> None:
    """Deliver due e-mails and webhooks."""
    engine = get_engine()
    result = bezorging.verwerk(engine)
    typer.echo(
        f"{result['verzonden']} verzonden, {result['mislukt']} mislukt (volgt later opnieuw)."
    )
