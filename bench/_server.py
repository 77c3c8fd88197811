"""The real server for the HTTP benches: `stelsel serve --workers N` on a free port, its log in
a file, started and waited for (bench/belasting.py, bench/doorverwijzing_http.py)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    try:
        velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(velden[11]) + int(velden[12])  # utime, stime


def afstammelingen(pid: int) -> list[int]:
    kinderen: dict[int, list[int]] = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kinderen.setdefault(ppid, []).append(int(p.name))
    uit, rij = [], [pid]
    while rij:
        p = rij.pop()
        uit.append(p)
        rij.extend(kinderen.get(p, []))
    return uit


def wacht_tot_stil(pid: int, drempel: float = 0.1, tot: float = 120.0) -> None:
    """Wait until the server's processes together use less than `drempel` of a core over half
    a second: every worker has built its index (only one of them need answer before), so a
    measurement does not count another worker's start."""
    hz = os.sysconf("SC_CLK_TCK")
    einde = time.monotonic() + tot
    while time.monotonic() < einde:
        pids = afstammelingen(pid)
        a = sum(cpu_ticks(p) for p in pids)
        time.sleep(0.5)
        if (sum(cpu_ticks(p) for p in pids) - a) / hz / 0.5 < drempel:
            return


def start(database_url: str, workers: int, log: Path, **settings: str) -> tuple:
    """Start the server with these STELSEL_* settings; returns (process, port) once it answers."""
    port = vrije_poort()
    env = {
        **os.environ,
        "STELSEL_DATABASE_URL": database_url,
        "STELSEL_LOG_LEVEL": "WARNING",
        **{f"STELSEL_{k.upper()}": v for k, v in settings.items()},
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the server sets up its own
    proc = subprocess.Popen(
        [sys.executable, "-m", "stelsel.cli", "serve", "--port", str(port)]
        + ["--workers", str(workers)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/themas", timeout=2) as r:
                if r.status == 200:
                    wacht_tot_stil(proc.pid)
                    return proc, port
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
