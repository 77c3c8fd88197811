"""Engine and session factory. SQLite by default, PostgreSQL in production."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from stelsel.config import get_settings


class Base(DeclarativeBase):
    """Declarative base for every model of every domain."""


def themalijst(rijen: str, maak: Callable[[str, int], object]) -> Any:
    """A `themas` property over a relationship of ordered thema rows (the link tables that let
    reports GROUP BY thema): reads and writes a plain list of codes, most relevant first,
    without duplicates. `maak(thema, volgorde)` builds one row."""

    def lees(self) -> list[str]:
        return [r.thema for r in getattr(self, rijen)]

    def schrijf(self, codes: list[str]) -> None:
        setattr(self, rijen, [maak(t, i) for i, t in enumerate(dict.fromkeys(codes))])

    return property(lees, schrijf, doc="The thema codes, most relevant first.")


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware: the default for every timestamp column."""
    return datetime.now(UTC)


def als_utc(t: datetime) -> datetime:
    """A timestamp read back from the database, timezone-aware: SQLite gives the stored UTC
    time back without its offset (PostgreSQL keeps it), so a naive one is UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not pysqlite, control transactions, so SAVEPOINTs work (SQLAlchemy's
    # documented recipe for pysqlite); BEGIN is emitted by the "begin" listener below.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


# Execution option of a connection (or engine) whose transactions only read: on SQLite they
# begin DEFERRED, so readers run beside a writer under WAL instead of queueing for its lock.
ALLEEN_LEZEN = "stelsel_alleen_lezen"
# How long a request waits for a pooled connection. The workers admit no more requests than the
# pool holds (max_gelijktijdig), so a wait this long means something is stuck: fail, don't hang.
POOL_TIMEOUT_SECONDEN = 10


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE: a transaction that may write takes SQLite's single write lock at the start, so
    # concurrent writers queue on the busy timeout instead of failing on a stale snapshot.
    if conn.get_execution_options().get(ALLEEN_LEZEN):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine for a URL, with the settings each backend needs. The pool holds as many
    connections as a worker admits requests at once (`max_gelijktijdig`), plus a few for the
    work around requests (health checks, the outbox)."""
    pool = get_settings().max_gelijktijdig
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 15},
            pool_size=pool,
            max_overflow=4,
            pool_timeout=POOL_TIMEOUT_SECONDEN,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(
        url,
        pool_size=pool,
        max_overflow=4,
        pool_timeout=POOL_TIMEOUT_SECONDEN,
    )
    _ping_na_rust(engine)
    return engine


# A pooled connection that has rested longer than this is pinged before it is handed out.
PING_NA_SECONDEN = 10.0
_RUST_SINDS = "stelsel_rust_sinds"


def _ping_na_rust(engine: Engine) -> None:
    """Ping a connection at checkout only when it has rested in the pool for a while: one that
    the database dropped while idle (a restart, a firewall's idle time-out) is replaced before
    a request gets it, as with `pool_pre_ping`, without a round trip on every checkout of a
    busy pool. A connection that breaks while in use is invalidated by SQLAlchemy, together with
    every connection pooled before it, so the next requests get new ones."""

    def verbonden(_dbapi_conn, record) -> None:
        record.info[_RUST_SINDS] = time.monotonic()

    def terug(_dbapi_conn, record) -> None:
        record.info[_RUST_SINDS] = time.monotonic()

    def uit(dbapi_conn, record, _proxy) -> None:
        if time.monotonic() - record.info.get(_RUST_SINDS, 0.0) <= PING_NA_SECONDEN:
            return
        try:
            ok = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as e:
            raise DisconnectionError() from e
        if not ok:
            raise DisconnectionError()

    event.listen(engine, "connect", verbonden)
    event.listen(engine, "checkin", terug)
    event.listen(engine, "checkout", uit)


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
