"""Shared fixtures: real databases (SQLite and PostgreSQL), sessions rolled back per test.

Fixtures that touch the database are parametrised over both backends, so every data-layer and
API test runs twice. PostgreSQL comes from scripts/ensure-postgres.sh (Debian's package); when it
cannot be started the tests fail, they do not skip.
"""

import logging
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session

from stelsel import logboek
from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_factory

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite", "postgresql"]
# The personal data the tests use (tests/doorverwijzing/conftest.py and others): none of it may
# reach a log line, whatever a test does.
PERSOONSGEGEVENS_IN_TESTS = ["Jan de Vries", "jan.devries@example.nl", "0612345678", "bakoven"]
_PRIVE_CODE = re.compile(r"/(?:mijn-hulpvraag|aanbieder-link)/(?!\*\*\*)[A-Za-z0-9_.-]{8,}")


@pytest.fixture(scope="session", autouse=True)
def _snel_wachtwoord_hashen() -> Iterator[None]:
    """Argon2id with its lowest work factors: a hash took 240 ms and a check 170 ms with the
    production parameters, 57 of 147 s of the account and page tests. Hashes stay argon2id,
    checked the same way; a server the tests start as a process keeps the real parameters."""
    from argon2 import PasswordHasher

    from stelsel.accounts import service

    echt = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    service._hasher = echt


_INDEXEN_VOOR: set[Path] = set()


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")  # pytest-xdist's workers have it


def _index_map() -> Path | None:
    from stelsel.config import get_settings
    from stelsel.wegwijzer import opslag

    try:
        return opslag.map_()
    finally:
        get_settings.cache_clear()  # read as the tests will read it, not cached before them


def pytest_sessionstart(session: pytest.Session) -> None:
    map_pad = _index_map() if _is_controller(session.config) else None
    if map_pad is not None:
        _INDEXEN_VOOR.update(map_pad.iterdir())


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The wegwijzer indexes that the run's servers stored, one per scratch database, go when
    the whole run (every xdist worker) is done; what was there before stays."""
    map_pad = _index_map() if _is_controller(session.config) else None
    if map_pad is not None:
        for p in set(map_pad.iterdir()) - _INDEXEN_VOOR:
            p.unlink(missing_ok=True)


class _Verzamel(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.regels: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.regels.append(self.format(record))


@pytest.fixture(scope="session", autouse=True)
def logscan() -> Iterator[None]:
    """Scan every log line of the whole run, formatted as production formats it, for personal
    data and private link codes. Fails the run (at its end) when any is found."""
    verzamel = _Verzamel()
    verzamel.addFilter(logboek.VerbergPersoonsgegevens())
    verzamel.setFormatter(logboek.formatter("tekst"))
    root = logging.getLogger()
    root.addHandler(verzamel)
    niveaus = {}
    for naam in ("stelsel", "uvicorn", "uvicorn.access", "uvicorn.error"):
        niveaus[naam] = logging.getLogger(naam).level
        logging.getLogger(naam).setLevel(logging.INFO)
    yield
    root.removeHandler(verzamel)
    for naam, niveau in niveaus.items():
        logging.getLogger(naam).setLevel(niveau)
    log = "\n".join(verzamel.regels)
    gevonden = [g for g in PERSOONSGEGEVENS_IN_TESTS if g in log] + _PRIVE_CODE.findall(log)
    assert not gevonden, f"personal data in the logs of the test run: {gevonden[:5]}"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """URL of the test PostgreSQL server's maintenance database."""
    url = os.environ.get("STELSEL_TEST_POSTGRES_URL")
    if not url:
        out = subprocess.run(
            ["bash", str(REPO / "scripts" / "ensure-postgres.sh")],
            check=True,
            capture_output=True,
            text=True,
        )
        url = out.stdout.strip().splitlines()[-1]
        os.environ["STELSEL_TEST_POSTGRES_URL"] = url
    return url


class DatabaseFactory:
    """Creates fresh, empty databases on a backend and drops them at the end."""

    def __init__(self, backend: str, tmp: Path, pg_admin_url: str | None):
        self.backend, self.tmp, self.pg_admin_url = backend, tmp, pg_admin_url
        self.engines: list[Engine] = []
        self.pg_names: list[str] = []

    def url(self) -> str:
        name = f"stelsel_test_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / name}.db"
        assert self.pg_admin_url
        admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.pg_names.append(name)
        return self.pg_admin_url.rsplit("/", 1)[0] + f"/{name}"

    def engine(self, *, with_register: bool = False) -> Engine:
        """A new database, migrated, with geography and optionally the bundled register."""
        engine = make_engine(self.url())
        prepare(engine, with_register=with_register, data_dir=REPO / "data")
        self.engines.append(engine)
        return engine

    def close(self) -> None:
        for e in self.engines:
            e.dispose()
        if self.pg_names:
            admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in self.pg_names:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    """The database backend under test: 'sqlite' or 'postgresql'."""
    return request.param


@pytest.fixture(scope="session")
def databases(backend, tmp_path_factory, request) -> Iterator[DatabaseFactory]:
    """Factory for fresh databases on the current backend."""
    admin = request.getfixturevalue("pg_admin_url") if backend == "postgresql" else None
    factory = DatabaseFactory(backend, tmp_path_factory.mktemp(backend), admin)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def register_engine(databases) -> Engine:
    """A database with geography and the bundled register, shared by the session's tests."""
    return databases.engine(with_register=True)


@pytest.fixture
def connection(register_engine) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back after the test."""
    conn = register_engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session(connection) -> Iterator[Session]:
    """A session on the rolled-back connection (commits become savepoints)."""
    s = session_factory(connection)()
    yield s
    s.close()


@pytest.fixture
def app(connection):
    from stelsel.app import create_app

    return create_app(connection)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """HTTP client on the app, with the bundled register, rolled back after the test."""
    with TestClient(app) as c:
        yield c
