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


def test_serve_with_two_workers_restarts_a_dead_worker_and_stops_them_all(tmp_path):
    """Two worker processes share the port; one killed is replaced; SIGTERM leaves none.

    Process supervision does not depend on the database, so this runs on SQLite only;
    serving from PostgreSQL is the test above (and the load and logscan tests)."""
    port = free_port()
    env = {**os.environ, "STELSEL_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "stelsel.cli", "serve", "--port", str(port), "--workers", "2"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def kinderen() -> list[int]:
        """The worker processes (not multiprocessing's resource tracker)."""
        uit = subprocess.run(
            ["pgrep", "-P", str(proc.pid), "-f", "spawn_main"], capture_output=True, text=True
        )
        return [int(p) for p in uit.stdout.split()]

    def wacht_tot(conditie, seconden: float = 90) -> None:
        deadline = time.monotonic() + seconden
        while not conditie():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.2)

    def antwoordt() -> bool:
        try:
            return httpx.get(base + "/api/v1/gezondheid", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wacht_tot(lambda: antwoordt() and len(kinderen()) == 2)
        eerste = kinderen()
        os.kill(eerste[0], 9)
        wacht_tot(lambda: len(kinderen()) == 2 and eerste[0] not in kinderen())
        wacht_tot(antwoordt)
        laatste = kinderen()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for pid in laatste:
        assert not os.path.exists(f"/proc/{pid}") or "zombie" in open(f"/proc/{pid}/status").read()
