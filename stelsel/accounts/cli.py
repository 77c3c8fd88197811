"""`stelsel gebruiker maak | deactiveer | activeer | token-intrekken`."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.db import get_engine, session_scope

gebruiker_app = typer.Typer(help="Gebruikers beheren.", no_args_is_help=True)


@contextmanager
def _sessie() -> Iterator[Session]:
    """A session, committed at the end; refused input is printed as `veld: reden` (exit 1)."""
    try:
        with session_scope(get_engine()) as session:
            yield session
    except accounts.GebruikerOngeldig as e:
        typer.echo(f"{e.veld}: {e.reden}", err=True)
        raise typer.Exit(1) from None


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
    with _sessie() as session:
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
    typer.echo(f"Gebruiker {gebruiker_id} aangemaakt met rol {rol}.")
    if token:
        typer.echo(token)


@gebruiker_app.command("deactiveer")
def deactiveer(email: str = typer.Option(..., "--email")) -> None:
    """Disable a user: their web sessions end and their API tokens stop working at once."""
    with _sessie() as session:
        accounts.deactiveer(session=session, email=email)
    typer.echo(f"Gebruiker {email} gedeactiveerd: uitgelogd, API-tokens werken niet meer.")


@gebruiker_app.command("activeer")
def activeer(email: str = typer.Option(..., "--email")) -> None:
    """Enable a disabled user again; revoked tokens stay revoked."""
    with _sessie() as session:
        accounts.activeer(session=session, email=email)
    typer.echo(f"Gebruiker {email} is weer actief.")


@gebruiker_app.command("token-intrekken")
def token_intrekken(
    email: str = typer.Option(None, "--email", help="Trek alle API-tokens van deze gebruiker in."),
    token_vragen: bool = typer.Option(
        False, "--token-vragen", help="Vraag één token om in te trekken (niet in de shell-history)."
    ),
) -> None:
    """Revoke API tokens: all of a user's (--email) or one (--token-vragen)."""
    if (email is None) == (not token_vragen):
        typer.echo("Geef --email of --token-vragen.", err=True)
        raise typer.Exit(2)
    token = typer.prompt("Token", hide_input=True) if token_vragen else None
    with _sessie() as session:
        n = accounts.trek_tokens_in(session=session, email=email, token=token)
    typer.echo(f"{n} API-token{'' if n == 1 else 's'} ingetrokken.")


# `stelsel register herinneringen` (mounted as the group "register" in domains.cli_apps)
register_app = typer.Typer(help="Het register actueel houden.", no_args_is_help=True)


@register_app.command("herinneringen")
def herinneringen() -> None:
    """Remind the redacteuren of each aanbieder with diensten not checked for a year (through
    the outbox; at most once a month per aanbieder, so it is safe to run daily from cron)."""
    from stelsel.accounts import registerbeheer

    with _sessie() as session:
        n = registerbeheer.stuur_herinneringen(session=session)
    typer.echo(
        f"{n['verstuurd']} herinnering(en) klaargezet, {n['al_verstuurd']} al verstuurd deze "
        f"maand, {n['zonder_redacteur']} aanbieder(s) zonder redacteur."
    )
