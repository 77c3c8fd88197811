"""Security headers on every response, and CORS open for the read-only open-data API only.

Pure ASGI, the outermost middleware, so pages, the API, static files, error pages and the load
shedder's 503 all get the same headers:
- Content-Security-Policy: scripts only from this site (no inline scripts, no eval), no
  framing (`frame-ancestors 'none'`), forms only to this site. Inline style attributes are
  allowed (`style-src-attr`): a few templates still use them and they cannot run code. The
  API docs page (Swagger UI, served from the package) allows its one inline script by hash,
  not 'unsafe-inline'.
- X-Content-Type-Options: nosniff, Referrer-Policy, X-Frame-Options for old browsers.
- Strict-Transport-Security only when the request came over https: the ASGI scheme, or
  X-Forwarded-Proto when the setting vertrouw_proxy says a trusted proxy sets it.
- CORS: `Access-Control-Allow-Origin: *` (GET, HEAD, OPTIONS, no credentials) on the GET
  routes of the open-data API; nothing on any other path, so browsers keep other sites out.
"""

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stelsel.config import get_settings

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCS_PAD = "/api/v1/docs"
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' {hashes}; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
VASTE_KOPPEN = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000"
CORS_METHODEN = "GET, HEAD, OPTIONS"
CORS_KOPPEN = "Accept, Accept-Language, Content-Language, Content-Type, If-None-Match"
CORS_ZICHTBAAR = "API-Version, Link, Retry-After"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def cors_paden(prefix: str, routers: Iterable[APIRouter]) -> list[re.Pattern[str]]:
    """Patterns of the GET paths of routers mounted under prefix (and its OpenAPI document)."""
    paden = [re.compile(re.escape(prefix + "/openapi.json") + "$")]
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
                delen = re.split(r"\{[^}]*\}", prefix + route.path)
                paden.append(re.compile("[^/]+".join(re.escape(d) for d in delen) + "$"))
    return paden


def _https(scope: Scope, headers: Headers) -> bool:
    if scope.get("scheme") == "https":
        return True
    proto = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https" and get_settings().vertrouw_proxy


def _csp_met_hashes(body: bytes) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.finditer(body)
    )
    return _DOCS_CSP.format(hashes=hashes)


class Beveiliging:
    """ASGI middleware: security headers on every response; CORS for the open-data paths."""

    def __init__(self, app: ASGIApp, cors_open: Sequence[re.Pattern[str]] = ()) -> None:
        self.app, self.cors_open = app, list(cors_open)

    def _open(self, pad: str) -> bool:
        return any(p.match(pad) for p in self.cors_open)

    def _koppen(self, message: Message, https: bool, cors: bool) -> MutableHeaders:
        headers = MutableHeaders(scope=message)
        if "content-security-policy" not in headers:
            headers["content-security-policy"] = CSP
        for naam, waarde in VASTE_KOPPEN.items():
            headers[naam] = waarde
        if https:
            headers["strict-transport-security"] = HSTS
        for naam in [k for k in headers if k.startswith("access-control-")]:
            del headers[naam]  # only this middleware decides about CORS
        if cors:
            headers["access-control-allow-origin"] = "*"
            headers["access-control-expose-headers"] = CORS_ZICHTBAAR
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        https = _https(scope, headers)
        pad, methode = scope["path"], scope["method"]
        cors = "origin" in headers and self._open(pad)
        gevraagd = headers.get("access-control-request-method", "").upper()
        if methode == "OPTIONS" and cors and gevraagd in ("GET", "HEAD"):
            start: Message = {"type": "http.response.start", "status": 204, "headers": []}
            h = self._koppen(start, https, cors=True)
            h["access-control-allow-methods"] = CORS_METHODEN
            h["access-control-allow-headers"] = CORS_KOPPEN
            h["access-control-max-age"] = "600"
            await send(start)
            await send({"type": "http.response.body", "body": b""})
            return
        cors = cors and methode in ("GET", "HEAD")

        if pad == DOCS_PAD:
            await self._docs(scope, receive, send, https)
            return

        async def verstuur(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._koppen(message, https, cors)
            await send(message)

        await self.app(scope, receive, verstuur)

    async def _docs(self, scope: Scope, receive: Receive, send: Send, https: bool) -> None:
        """The API docs page: held back whole, so its inline script can be allowed by hash."""
        start: Message | None = None
        body = b""

        async def verzamel(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body += message.get("body", b"")
                if message.get("more_body"):
                    return
                assert start is not None
                self._koppen(start, https, cors=False)["content-security-policy"] = _csp_met_hashes(
                    body
                )
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, verzamel)
