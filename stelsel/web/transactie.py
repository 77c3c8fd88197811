"""Commit before acknowledging: a request's database session is committed when its response
starts, before the first byte leaves. If the commit fails, the client gets an error instead of
the success it would otherwise have been told about.

Pure ASGI, so it sees the status line before anything is sent and works for the API and the
pages alike (the session is found in the request state that web/deps.py fills in).
"""

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stelsel.web.problems import db_bezet, ruw_antwoord

log = logging.getLogger(__name__)


def _commit(session: Session) -> None:
    session.commit()


class CommitVoorAntwoord:
    """ASGI middleware: commit the request's session before its response starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        vervangen = False

        async def verstuur(message: Message) -> None:
            nonlocal vervangen
            if vervangen:
                return  # the original response was replaced by an error
            if message["type"] == "http.response.start":
                session = scope.get("state", {}).pop("sessie", None)
                # a session that never began a transaction has nothing to commit: no trip to
                # the thread pool (0.1-0.2 ms of CPU each)
                if session is not None and session.in_transaction():
                    try:
                        await run_in_threadpool(_commit, session)
                    except SQLAlchemyError as e:
                        await run_in_threadpool(session.rollback)
                        bezet = db_bezet(e)
                        # The class name only: the statement's parameters may hold personal data.
                        log.error("commit_mislukt", extra={"fout": type(e).__name__})
                        vervangen = True
                        start, body = ruw_antwoord(
                            scope,
                            503 if bezet else 500,
                            "Niet opgeslagen",
                            "Uw gegevens zijn niet opgeslagen. Probeer het zo opnieuw."
                            if bezet
                            else "Uw gegevens zijn niet opgeslagen door een fout aan onze kant.",
                        )
                        await send(start)
                        await send(body)
                        return
            await send(message)

        await self.app(scope, receive, verstuur)
