"""Load shedding: a worker handles at most `max_gelijktijdig` requests at once. A request past
that waits in line for at most `wachtrij_seconden`, then gets 503 with Retry-After, quickly,
instead of piling up until every client times out. When the load stops, the line is empty
and the next request is served at once.

The limit equals the database pool, so an admitted request never waits for a connection, and
the thread pool is sized above it, so an admitted request never waits for a thread while it
holds a connection (or SQLite's write lock).
"""

import asyncio

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from stelsel.web.problems import ruw_antwoord

# Paths that answer without the database: never shed, so an operator can always see the worker.
VRIJ = ("/api/v1/gezondheid", "/metrics", "/static/")
# Threads above the request limit: for sync work outside requests (commits, the outbox).
EXTRA_THREADS = 8


def stel_threads_in(max_gelijktijdig: int) -> None:
    """Size the thread pool that runs sync routes and dependencies above the request limit."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    limiter.total_tokens = max(limiter.total_tokens, max_gelijktijdig + EXTRA_THREADS)


class Capaciteit:
    """ASGI middleware: at most `limiet` requests at once, a short line, then 503."""

    def __init__(self, app: ASGIApp, *, limiet: int, wachtrij_seconden: float) -> None:
        self.app = app
        self.limiet = limiet
        self.wachtrij_seconden = wachtrij_seconden
        self._plaatsen: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            stel_threads_in(self.limiet)
        if scope["type"] != "http" or scope["path"].startswith(VRIJ):
            await self.app(scope, receive, send)
            return
        if self._plaatsen is None:  # made in the running event loop
            self._plaatsen = asyncio.Semaphore(self.limiet)
        if self._plaatsen.locked():  # full: wait in line, for a while
            try:
                await asyncio.wait_for(self._plaatsen.acquire(), self.wachtrij_seconden)
            except TimeoutError:
                await self._te_druk(scope, send)
                return
        else:  # a place is free: take it without the task wait_for makes
            await self._plaatsen.acquire()
        try:
            await self.app(scope, receive, send)
        finally:
            self._plaatsen.release()

    async def _te_druk(self, scope: Scope, send: Send) -> None:
        detail = "Het is nu te druk. Probeer het over een paar seconden opnieuw."
        for message in ruw_antwoord(scope, 503, "Te druk", detail):
            await send(message)
