"""`stelsel serve` on an empty database prepares it and serves the bundled register."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_loads_bundled_register_into_empty_database(databases):
    port = free_port()
    env = {**os.environ, "STELSEL_DATABASE_URL": databases.url()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "stelsel.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/api/v1/diensten",
                    params={"gemeente": "Leeuwarden", "perPagina": 1000},
                    timeout=5,
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert r.status_code == 200
        namen = {d["aanbieder"]["naam"] for d in r.json()["resultaten"]}
        assert "YnBusiness" in namen
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
