"""A real server in a subprocess, on a fresh database of each backend, that a test can kill
with SIGKILL and start again; and adviser tokens to write with. Loopback only."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from stelsel.db import session_scope
from tests import factories

REPO = Path(__file__).resolve().parents[2]


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`stelsel serve` on 127.0.0.1, with its output in a log file."""

    def __init__(self, url: str, log: Path, *, workers: int = 1, env: dict | None = None):
        self.port = vrije_poort()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        self.env = {
            **os.environ,
            "STELSEL_DATABASE_URL": url,
            "STELSEL_MAIL_MAP": str(log.parent / "mail"),
            **(env or {}),
        }
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.log, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "stelsel.cli", "serve", "--port", str(self.port)]
            + ["--workers", str(self.workers)],
            cwd=REPO,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/v1/themas", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"server stopped: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)
        raise RuntimeError("server did not start within 60 s")

    def kill9(self) -> None:
        """SIGKILL the whole process group: no shutdown code runs anywhere."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()


@pytest.fixture
def db(databases) -> Engine:
    """A fresh database with the bundled register, committed (a server in another process must
    see it)."""
    return databases.engine(with_register=True)


@pytest.fixture
def adviseur_token(db) -> str:
    """A KVK adviser's token; Qredits has an adviser too, so referrals to it can be made."""
    with session_scope(db) as s:
        factories.gebruiker(s, "adviseur", aanbieder="qredits")
        return factories.met_token(s, "adviseur", aanbieder="kvk")[1]


@pytest.fixture
def server_factory(db, tmp_path) -> Iterator:
    servers: list[Server] = []

    def maak(**kw) -> Server:
        s = Server(db.url.render_as_string(hide_password=False), tmp_path / "server.log", **kw)
        servers.append(s)
        return s

    yield maak
    for s in servers:
        s.stop()
