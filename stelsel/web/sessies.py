"""Web sessions kept on the server. The cookie holds only a random, opaque id (HttpOnly,
SameSite=Lax, Secure unless developing on http); what a session holds (who is logged in, a
message for the next page) is stored under the id's hash by a store the composition root passes
in, so this layer knows no domain.

Every visitor has an id before logging in: the pre-session id that CSRF tokens are bound to
(web/csrf.py). A visitor without data gets no row, so reading pages writes nothing. Logging in
rotates the id (`roteer`), logging out clears the session and rotates it again: the old cookie
then points at nothing.

Pure ASGI. Sits inside CommitVoorAntwoord: a change is written in the request's own database
session, which that middleware commits before the response starts.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stelsel.config import get_settings
from stelsel.db import utcnow

COOKIE = "stelsel_sessie"
MAX_SECONDEN = 8 * 3600
_ID = re.compile(r"[A-Za-z0-9_-]{43}")
_SCOPE = "stelsel.sessie"


@dataclass(frozen=True)
class Opslag:
    """Where sessions live: load (None when unknown or expired), save and delete by hash."""

    laad: Callable[[Session, str, datetime], dict[str, Any] | None]
    bewaar: Callable[[Session, str, dict[str, Any], datetime, datetime], None]
    verwijder: Callable[[Session, str], None]


@dataclass
class SessieStaat:
    id: str
    uit_cookie: bool  # the id came with the request (not made up just now)
    geladen: dict[str, Any] = field(default_factory=dict)
    roteren: bool = False
    nodig: bool = False  # the page uses the id (a CSRF token): send the cookie


def sleutel_hash(sessie_id: str) -> str:
    return hashlib.sha256(sessie_id.encode()).hexdigest()


def staat(request: Request) -> SessieStaat | None:
    return request.scope.get(_SCOPE)


def roteer(request: Request) -> None:
    """Give the session a new id when the response goes out (at login and logout)."""
    s = staat(request)
    if s is not None:
        s.roteren = True


def cookie_veilig() -> bool:
    return get_settings().cookie_veilig


def _cookie(waarde: str) -> str:
    cookie = f"{COOKIE}={waarde}; Path=/; Max-Age={MAX_SECONDEN}; HttpOnly; SameSite=Lax"
    return cookie + "; Secure" if cookie_veilig() else cookie


class Sessies:
    """ASGI middleware: request.session from the server-side store, written back on change."""

    def __init__(self, app: ASGIApp, opslag: Opslag) -> None:
        self.app, self.opslag = app, opslag

    def _laad(self, state: Any, sessie_id: str) -> dict[str, Any]:
        with state.lees_sessies() as db:
            return self.opslag.laad(db, sleutel_hash(sessie_id), utcnow()) or {}

    def _schrijf(self, db: Session, s: SessieStaat, gegevens: dict, nieuw_id: str) -> None:
        nu = utcnow()
        if s.uit_cookie and (s.roteren or not gegevens) and s.geladen:
            self.opslag.verwijder(db, sleutel_hash(s.id))
        if gegevens:
            verloopt = nu + timedelta(seconds=MAX_SECONDEN)
            self.opslag.bewaar(db, sleutel_hash(nieuw_id), gegevens, nu, verloopt)

    def _schrijf_los(self, state: Any, s: SessieStaat, gegevens: dict, nieuw_id: str) -> None:
        with state.sessions() as db:
            self._schrijf(db, s, gegevens, nieuw_id)
            db.commit()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        cookies = {}
        for k, v in scope["headers"]:
            if k == b"cookie":
                cookies.update(cookie_parser(v.decode("latin-1")))
        waarde = cookies.get(COOKIE, "")
        uit_cookie = bool(_ID.fullmatch(waarde))
        s = SessieStaat(
            id=waarde if uit_cookie else secrets.token_urlsafe(32), uit_cookie=uit_cookie
        )
        state = scope["app"].state
        if uit_cookie:
            s.geladen = await run_in_threadpool(self._laad, state, s.id)
        scope[_SCOPE] = s
        scope["session"] = json.loads(json.dumps(s.geladen))  # a copy to compare with

        async def verstuur(message: Message) -> None:
            if message["type"] == "http.response.start":
                gegevens = scope["session"]
                if s.roteren or gegevens != s.geladen:
                    nieuw_id = secrets.token_urlsafe(32) if s.roteren else s.id
                    db = scope.get("state", {}).get("sessie")
                    if db is not None:
                        # the request's own transaction, committed by CommitVoorAntwoord
                        await run_in_threadpool(self._schrijf, db, s, gegevens, nieuw_id)
                    else:
                        await run_in_threadpool(self._schrijf_los, state, s, gegevens, nieuw_id)
                    MutableHeaders(scope=message).append("set-cookie", _cookie(nieuw_id))
                elif s.nodig and not s.uit_cookie:
                    MutableHeaders(scope=message).append("set-cookie", _cookie(s.id))
            await send(message)

        await self.app(scope, receive, verstuur)
