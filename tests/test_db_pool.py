"""The PostgreSQL pool pings a connection only after it rested (stelsel.db._ping_na_rust): one
the server dropped while it lay in the pool is replaced before a request gets it, and a busy
pool costs no extra round trip per checkout."""

import pytest
from sqlalchemy import create_engine, text

from stelsel import db


@pytest.fixture
def pg_engine(pg_admin_url):
    engine = db.make_engine(pg_admin_url)
    yield engine
    engine.dispose()


def test_a_connection_dropped_while_resting_is_replaced(pg_engine, pg_admin_url, monkeypatch):
    with pg_engine.connect() as c:
        pid = c.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()
    monkeypatch.setattr(db, "PING_NA_SECONDEN", 0.0)  # it has rested long enough
    with pg_engine.connect() as c:
        assert c.execute(text("SELECT pg_backend_pid()")).scalar() != pid


def test_a_busy_pool_is_not_pinged(pg_engine):
    with pg_engine.connect() as c:
        c.execute(text("SELECT 1"))
    pings = 0

    def ping(*_a) -> bool:
        nonlocal pings
        pings += 1
        return True

    pg_engine.dialect.do_ping = ping  # type: ignore[method-assign]
    for _ in range(3):
        with pg_engine.connect() as c:
            c.execute(text("SELECT 1"))
    assert pings == 0
