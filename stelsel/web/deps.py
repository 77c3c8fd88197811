"""Request dependencies every domain shares: the database session."""

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from stelsel.web.problems import ProblemError


def get_session(request: Request) -> Iterator[Session]:
    """A database session per request, from the app's engine."""
    session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except ProblemError as e:
        session.commit() if e.bewaar else session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
