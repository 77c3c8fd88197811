"""Request dependencies every domain shares: the database session.

A request's session is committed before its response is sent (see web/transactie.py), never in
the dependency's teardown: FastAPI runs that after the response is on its way, so a crash in
between would lose a write the client was told had succeeded.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio.to_thread
from anyio import CancelScope, CapacityLimiter
from fastapi import Request
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from stelsel.db import ALLEEN_LEZEN, session_factory
from stelsel.errors import StelselFout
from stelsel.web.problems import ProblemError

# Methods whose requests only read (RFC 9110 safe methods); their transactions do not take
# SQLite's write lock.
LEES_METHODEN = frozenset({"GET", "HEAD", "OPTIONS"})


def installeer_sessies(state, engine: Engine | Connection) -> None:
    """Put the session factories for an engine on an app's state: one for requests that may
    write and one for requests that only read."""
    state.engine = engine
    state.sessions = session_factory(engine)
    lees = (
        engine.execution_options(**{ALLEEN_LEZEN: True}) if isinstance(engine, Engine) else engine
    )
    state.lees_sessies = session_factory(lees)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session per request, from the app's engine. The response is held back until
    it is committed (web/transactie.py); here it is only closed, or rolled back on an error."""
    state = request.app.state
    lezen = request.method in LEES_METHODEN
    async with _sessie(request, state.lees_sessies if lezen else state.sessions) as session:
        yield session


async def get_lees_session(request: Request) -> AsyncIterator[Session]:
    """The session of a POST that is a question, not a change (the wegwijzer): it begins as a
    read, so on SQLite it does not take the write lock while the work is done."""
    async with _sessie(request, request.app.state.lees_sessies) as session:
        yield session


@asynccontextmanager
async def _sessie(request: Request, maker) -> AsyncIterator[Session]:
    """Async, so that making and closing the session cost no trip to the thread pool: a new
    session holds no connection, and by the time it is closed CommitVoorAntwoord has committed
    it. What does talk to the database (a rollback, a commit after an error) runs in a thread,
    never in the event loop."""
    session = maker()
    request.state.sessie = session
    try:
        yield session
    except (ProblemError, StelselFout) as e:
        # Runs before the error response is sent: keep what the request wrote (an audit entry of
        # a refusal) when asked, else nothing of it.
        await _in_thread(session.commit if e.bewaar else session.rollback)
        raise
    except BaseException:
        await _in_thread(session.rollback)
        raise
    finally:
        if session.in_transaction():
            await _in_thread(session.close)
        else:
            session.close()  # no connection to give back: nothing to wait for


async def _in_thread(werk: Callable[[], object]) -> None:
    """As FastAPI runs the teardown of a sync dependency: shielded from cancellation, so a
    session is never left half rolled back, and with a limiter of its own, so it never waits
    for a place in the shared thread pool while it holds a connection."""
    with CancelScope(shield=True):
        await anyio.to_thread.run_sync(werk, limiter=CapacityLimiter(1))
