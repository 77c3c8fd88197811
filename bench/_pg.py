"""A scratch PostgreSQL database for a benchmark, on the test server of
scripts/ensure-postgres.sh, dropped afterwards. (The leading underscore keeps bench/run.py from
running this module as a benchmark.)"""

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent


def admin_url() -> str:
    url = os.environ.get("STELSEL_TEST_POSTGRES_URL")
    if not url:
        out = subprocess.run(
            ["bash", str(REPO / "scripts" / "ensure-postgres.sh")],
            check=True,
            capture_output=True,
            text=True,
        )
        url = out.stdout.strip().splitlines()[-1]
    return url


@contextmanager
def tijdelijke_database() -> Iterator[str]:
    """The URL of a new, empty database; it is dropped when the block ends."""
    admin = admin_url()
    name = f"stelsel_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        from stelsel.wegwijzer import opslag

        opslag.vergeet(url)
