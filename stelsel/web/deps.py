"""Request dependencies every domain shares: the database session.

A request's session is committed before its response is sent (see web/transactie.py), never in
the dependency's teardown: FastAPI runs that after the response is on its way, so a crash in
between would lose a write the client was told had succeeded.
"""

from collections.abc import Iterator

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


def get_session(request: Request) -> Iterator[Session]:
    """A database session per request, from the app's engine. The response is held back until
    it is committed (web/transactie.py); here it is only closed, or rolled back on an error."""
    state = request.app.state
    lezen = request.method in LEES_METHODEN
    yield from _sessie(request, state.lees_sessies if lezen else state.sessions)


def get_lees_session(request: Request) -> Iterator[Session]:
    """The session of a POST that is a question, not a change (the wegwijzer): it begins as a
    read, so on SQLite it does not take the write lock while the work is done."""
    yield from _sessie(request, request.app.state.lees_sessies)


def _sessie(request: Request, maker) -> Iterator[Session]:
    session = maker()
    request.state.sessie = session
    try:
        yield session
    except (ProblemError, StelselFout) as e:
        # Runs before the error response is sent: keep what the request wrote (an audit entry of
        # a refusal) when asked, else nothing of it.
        session.commit() if e.bewaar else session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
