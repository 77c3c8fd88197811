"""`stelsel gebruiker maak`, `stelsel koppeling maak`, `stelsel opschonen`,
`stelsel outbox verwerk`."""

import typer

from stelsel.accounts import service as accounts
from stelsel.db import get_engine, session_scope
from stelsel.doorverwijzing import outbox, service

gebruiker_app = typer.Typer(help="Gebruikers beheren.", no_args_is_help=True)
outbox_app = typer.Typer(help="Meldingen versturen.", no_args_is_help=True)
koppeling_app = typer.Typer(
    help="Het eigen systeem van een aanbieder koppelen (webhooks).", no_args_is_help=True
)


@gebruiker_app.command("maak")
def maak(
    email: str = typer.Option(..., "--email"),
    rol: str = typer.Option(
        ..., "--rol", help="adviseur, regiocoordinator, stelselregisseur, beheerder"
    ),
    aanbieder: str = typer.Option(
        None, "--aanbieder", help="Id of slug van de aanbieder (adviseur)."
    ),
    regio: str = typer.Option(
        None, "--regio", help="Provincie- of arbeidsmarktregiocode (PV21, AM01)."
    ),
    naam: str = typer.Option("", "--naam"),
    wachtwoord_vragen: bool = typer.Option(
        False, "--wachtwoord-vragen", help="Vraag een wachtwoord voor inloggen op de website."
    ),
    toon_token: bool = typer.Option(
        False, "--toon-token", help="Maak een API-token en toon het (alleen nu)."
    ),
) -> None:
    """Create a user; with --toon-token the API token is printed alone on the last line."""
    wachtwoord = (
        typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
        if wachtwoord_vragen
        else None
    )
    engine = get_engine()
    try:
        with session_scope(engine) as session:
            g = accounts.create(
                session=session,
                email=email,
                rol=rol,
                aanbieder=aanbieder,
                regio=regio,
                naam=naam,
                wachtwoord=wachtwoord,
            )
            token = accounts.create_token(session=session, gebruiker=g) if toon_token else None
            gebruiker_id = g.id
    except accounts.GebruikerOngeldig as e:
        typer.echo(f"{e.veld}: {e.reden}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Gebruiker {gebruiker_id} aangemaakt met rol {rol}.")
    if token:
        typer.echo(token)


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
    except service.Ongeldig as e:
        typer.echo(f"{e.veld}: {e.reden}", err=True)
        raise typer.Exit(1) from None
    typer.echo("Gekoppeld. Controleer X-Stelsel-Signature (HMAC-SHA256) met dit geheim:")
    typer.echo(geheim)


def opschonen() -> None:
    """Remove personal data of closed cases past the retention period."""
    engine = get_engine()
    with session_scope(engine) as session:
        n = service.opschonen(session=session)
    typer.echo(f"{n} hulpvra{'ag' if n == 1 else 'gen'} geanonimiseerd.")


@outbox_app.command("verwerk")
def verwerk() -> None:
    """Deliver due e-mails and webhooks."""
    engine = get_engine()
    result = outbox.verwerk(engine)
    typer.echo(
        f"{result['verzonden']} verzonden, {result['mislukt']} mislukt (volgt later opnieuw)."
    )
