"""Request dependencies: who is calling. Identity providers are tried in order, so an OIDC
provider can be added to IDENTITY_PROVIDERS without touching any route."""

import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from stelsel.accounts import service
from stelsel.accounts.rollen import Actor
from stelsel.web.deps import get_session
from stelsel.web.pages import NaarLogin
from stelsel.web.problems import ProblemError
from stelsel.web.sessies import Opslag

# Where web sessions (stelsel.web.sessies) are kept: the accounts tables.
SESSIE_OPSLAG = Opslag(
    laad=service.sessie_laden, bewaar=service.sessie_bewaren, verwijder=service.sessie_verwijderen
)


def bearer_token(request: Request, session: Session) -> Actor | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return service.by_token(session=session, token=auth[7:].strip())
    return None


def web_session(request: Request, session: Session) -> Actor | None:
    gebruiker_id = request.scope.get("session", {}).get("gebruiker_id")
    if gebruiker_id:
        try:
            return service.by_id(session=session, gebruiker_id=uuid.UUID(gebruiker_id))
        except ValueError:
            return None
    return None


IDENTITY_PROVIDERS = [bearer_token, web_session]


def huidige_actor(request: Request, session: Session = Depends(get_session)) -> Actor | None:
    """The caller, or None when not logged in."""
    for provider in IDENTITY_PROVIDERS:
        actor = provider(request, session)
        if actor is not None:
            return actor
    return None


async def vereist_actor(actor: Actor | None = Depends(huidige_actor)) -> Actor:
    """The caller; 401 when not logged in. (Async: it does no I/O, so it needs no thread.)"""
    if actor is None:
        raise ProblemError(401, "Niet ingelogd", "Log in of stuur een geldig bearer-token mee.")
    return actor


async def pagina_actor(request: Request, actor: Actor | None = Depends(huidige_actor)) -> Actor:
    """The caller of a page for logged-in users; one who is not logged in goes to the login
    form, and back to this page afterwards."""
    if actor is None:
        raise NaarLogin(request.url.path)
    return actor


# The caller as an annotated type, so a route names it in one word (stelsel.web.afhankelijkheden
# does the same for the session): `def route(actor: Ingelogd, session: Sessie)`.
Ingelogd = Annotated[Actor, Depends(vereist_actor)]
"""The caller of an API route; 401 when not logged in."""
PaginaActor = Annotated[Actor, Depends(pagina_actor)]
"""The caller of a page for logged-in users; others go to the login form."""
MisschienActor = Annotated[Actor | None, Depends(huidige_actor)]
"""The caller, or None when not logged in."""
