"""Browser tests: a live server on a fresh database with the bundled register, Debian's
Chromium driven by Playwright, and an axe-core accessibility check."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
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


@pytest.fixture(scope="session")
def base_url(live_database_url, tmp_path_factory) -> Iterator[str]:
    """URL of a live stelsel server on its own SQLite database with the bundled register."""
    port = _free_port()
    env = {
        **os.environ,
        "STELSEL_DATABASE_URL": live_database_url,
        "STELSEL_BASE_URL": f"http://127.0.0.1:{port}",
    }
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


def _axe_check(page: Page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA) on the page; return serious and critical violations."""
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
        if v["impact"] in ("serious", "critical")
    ]
