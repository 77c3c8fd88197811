"""Which database errors the app answers with 503 and Retry-After ("busy, come back in a
moment") and which are a fault of ours (500): the errors are real ones, raised by SQLite and
PostgreSQL."""

import sqlite3

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from stelsel.web.problems import db_bezet, install_error_handlers


def _fout(engine, *statements: str) -> OperationalError:
    with pytest.raises(OperationalError) as e, engine.connect() as conn:
        for s in statements:
            conn.execute(text(s))
    return e.value


@pytest.fixture
def url(databases) -> str:
    """An empty database of the backend under test, with one table."""
    u = databases.url()
    engine = create_engine(u)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    engine.dispose()
    return u


def vergrendeld(url: str, backend: str) -> OperationalError:
    """The error of a write that waits for a lock another transaction holds, past its timeout."""
    houder = create_engine(url)
    if backend == "sqlite":
        wachter = create_engine(url, connect_args={"timeout": 0})
        vast, wacht = ["BEGIN IMMEDIATE", "INSERT INTO t VALUES (1)"], ["INSERT INTO t VALUES (2)"]
    else:
        wachter = create_engine(url)
        vast = ["LOCK TABLE t IN ACCESS EXCLUSIVE MODE"]
        wacht = ["SET lock_timeout = '50ms'", "INSERT INTO t VALUES (2)"]
    raw = houder.raw_connection()
    try:
        if backend == "sqlite":
            raw.driver_connection.isolation_level = None  # BEGIN by hand
        cur = raw.cursor()
        for s in vast:
            cur.execute(s)
        return _fout(wachter, *wacht)
    finally:
        raw.rollback()
        raw.close()
        houder.dispose()
        wachter.dispose()


def test_a_lock_not_granted_in_time_is_busy(url, backend):
    fout = vergrendeld(url, backend)
    if backend == "sqlite":
        assert "database is locked" in str(fout.orig)
    else:
        assert fout.orig.sqlstate == "55P03"  # lock_not_available
    assert db_bezet(fout)


def test_other_operational_errors_are_faults(url, backend):
    """A missing table (SQLite) or a statement cancelled for running too long (PostgreSQL's
    statement_timeout) are OperationalErrors too, but waiting will not fix them."""
    engine = create_engine(url)
    try:
        if backend == "sqlite":
            fout = _fout(engine, "SELECT * FROM bestaat_niet")
        else:
            fout = _fout(engine, "SET statement_timeout = '10ms'", "SELECT pg_sleep(1)")
            assert fout.orig.sqlstate == "57014"  # query_canceled
    finally:
        engine.dispose()
    assert not db_bezet(fout)


def test_a_server_that_cannot_be_reached_is_busy_a_file_that_cannot_be_opened_is_not(tmp_path):
    weg = create_engine("postgresql+psycopg://stelsel@127.0.0.1:1/stelsel", pool_pre_ping=False)
    with pytest.raises(OperationalError) as e:
        weg.connect()
    assert db_bezet(e.value)
    kapot = create_engine(f"sqlite:///{tmp_path}/geen/map/db.sqlite")
    with pytest.raises(OperationalError) as e:
        kapot.connect()
    assert not db_bezet(e.value)
    assert db_bezet(SQLAlchemyTimeoutError("QueuePool limit reached"))
    assert not db_bezet(IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")))


def test_the_app_answers_busy_with_503_and_other_database_errors_with_500(url, backend):
    fouten = {
        "bezet": vergrendeld(url, backend),
        "kapot": OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: t")),
    }
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/api/v1/{soort}")
    def route(soort: str):
        raise fouten[soort]

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/api/v1/bezet")
        assert r.status_code == 503, r.text
        assert r.headers["Retry-After"] == "1"
        assert r.headers["content-type"] == "application/problem+json"
        r = c.get("/api/v1/kapot")
        assert r.status_code == 500, r.text
        assert "retry-after" not in r.headers
        assert r.json()["title"] == "Interne fout"
        assert "no such table" not in r.text  # never echoed
