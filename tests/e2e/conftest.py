"""Browser tests: a live server on a fresh database with the bundled register, Debian's
Chromium driven by Playwright, and an axe-core accessibility check."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory) -> str:
    """The database of the live server (for arranging data such as user accounts)."""
    return f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"


class Postbus:
    """What the loopback SMTP server received: one dict per message and recipient."""

    def __init__(self) -> None:
        self.berichten: list[dict] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for aan in envelope.rcpt_tos:
            self.berichten.append(
                {"aan": aan, "onderwerp": str(msg["Subject"]), "tekst": msg.get_content()}
            )
        return "250 OK"

    def aan(self, adres: str) -> list[dict]:
        return [b for b in self.berichten if b["aan"] == adres]


@pytest.fixture(scope="session")
def smtp() -> Iterator[Postbus]:
    """A loopback SMTP server that keeps every message it gets."""
    postbus = Postbus()
    postbus.port = _free_port()
    controller = Controller(postbus, hostname="127.0.0.1", port=postbus.port)
    controller.start()
    yield postbus
    controller.stop()


@pytest.fixture(scope="session")
def server_env(live_database_url, smtp) -> dict[str, str]:
    """The environment of the live server and of the commands run beside it."""
    port = _free_port()
    return {
        **os.environ,
        "STELSEL_DATABASE_URL": live_database_url,
        "STELSEL_BASE_URL": f"http://127.0.0.1:{port}",
        "STELSEL_SMTP_HOST": "127.0.0.1",
        "STELSEL_SMTP_PORT": str(smtp.port),
    }


@pytest.fixture(scope="session")
def verwerk_outbox(server_env):
    """Deliver what the outbox holds, as cron would: `stelsel outbox verwerk`."""

    def verwerk() -> str:
        out = subprocess.run(
            [sys.executable, "-m", "stelsel.cli", "outbox", "verwerk"],
            cwd=REPO,
            env=server_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr[-2000:]
        assert " 0 mislukt" in out.stdout, out.stdout
        return out.stdout

    return verwerk


@pytest.fixture(scope="session")
def base_url(server_env, tmp_path_factory) -> Iterator[str]:
    """URL of a live stelsel server on its own SQLite database with the bundled register."""
    env = server_env
    port = int(env["STELSEL_BASE_URL"].rsplit(":", 1)[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "stelsel.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path_factory.mktemp("e2e-log") / "server.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise RuntimeError("live server stopped; see server.log in the test's tmp folder")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            raise RuntimeError("live server did not start")
        time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium missing: scripts/ensure-test-tools.sh installs it"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="nl-NL")
    p = context.new_page()
    yield p
    context.close()


@pytest.fixture(scope="session")
def axe_check():
    """A function running axe-core on a page; returns serious and critical violations."""
    return _axe_check


def _axe_check(page: Page, ernst: tuple[str, ...] | None = ("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA) on the page; return its violations of these impacts
    (serious and critical; None: every violation)."""
    assert AXE.exists(), "axe-core missing: run `npm ci`"
    # Evaluated, not added as a script tag: the Content-Security-Policy allows no inline scripts
    # (page.evaluate runs through the DevTools protocol, outside the page's CSP).
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate("(src) => { (0, eval)(src); }", AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if ernst is None or v["impact"] in ernst
    ]
