"""Engine and session factory. SQLite by default, PostgreSQL in production."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from stelsel.config import get_settings


class Base(DeclarativeBase):
    """Declarative base for every model of every domain."""


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware: the default for every timestamp column."""
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not pysqlite, control transactions, so SAVEPOINTs work (SQLAlchemy's
    # documented recipe for pysqlite); BEGIN is emitted by the "begin" listener below.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a URL, with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # IMMEDIATE: take SQLite's single write lock at the start, so concurrent requests that
        # read and then write queue on the busy timeout instead of failing on a stale snapshot.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for the configured (or given) URL."""
    return make_engine(url or get_settings().database_url)


def session_factory(bind: Engine | Connection) -> sessionmaker[Session]:
    """Sessions on an engine, or on a connection inside an outer transaction (tests)."""
    if isinstance(bind, Connection):
        return sessionmaker(
            bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
    return sessionmaker(bind=bind, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
