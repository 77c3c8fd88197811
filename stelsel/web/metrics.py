"""Prometheus metrics at `/metrics`: requests and their latency per route (the route's
template, never the path a person typed) and whatever gauges the domains register (the outbox's
queue depth and age). With several workers the figures are summed over them when
PROMETHEUS_MULTIPROC_DIR is set (`stelsel serve` sets it)."""

import os
import time
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

VERZOEKEN = Counter("stelsel_verzoeken", "HTTP requests answered", ["methode", "route", "status"])
DUUR = Histogram(
    "stelsel_verzoek_seconden",
    "Time to answer an HTTP request",
    ["methode", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def _route(scope: Scope) -> str:
    """The template of the route that answered (`/api/v1/diensten/{id}`), or `onbekend`. The
    router leaves the route and the mount's prefix in the (shared) scope."""
    route = scope.get("route")
    pad = getattr(route, "path_format", None) or getattr(route, "path", None)
    return scope.get("root_path", "") + pad if pad else "onbekend"


class Meting:
    """ASGI middleware: count and time every request by route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/metrics":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def verstuur(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, verstuur)
        finally:
            route = _route(scope)
            VERZOEKEN.labels(scope["method"], route, str(status)).inc()
            DUUR.labels(scope["method"], route).observe(time.perf_counter() - start)


class _Meters(Collector):
    """Gauges read at scrape time from functions the domains register."""

    def __init__(self) -> None:
        self.meters: dict[str, tuple[str, Callable[[], float]]] = {}

    def collect(self):
        for naam, (uitleg, meet) in self.meters.items():
            yield GaugeMetricFamily(naam, uitleg, value=meet())


_meters = _Meters()
REGISTRY.register(_meters)


def registreer_meter(naam: str, uitleg: str, meet: Callable[[], float]) -> None:
    """A gauge `naam` whose value `meet()` gives at each scrape."""
    _meters.meters[naam] = (uitleg, meet)


def metrics(request: Request) -> Response:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_meters)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
