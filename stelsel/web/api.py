"""The API application (/api/v1) following the NL API Design Rules.

Domains contribute routers; this module mounts them with what every route shares: problem+json
errors, the API-Version header, the NUL guard and the OpenAPI document.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from stelsel.web.invoer import weiger_nul_tekens
from stelsel.web.openapi import build_openapi
from stelsel.web.problems import API_VERSION, install_error_handlers


class ApiVersie:
    """ASGI middleware: the API-Version header on every answer of the API. Pure ASGI: a
    BaseHTTPMiddleware (`@app.middleware`) costs a task group and a stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def verstuur(message: Message) -> None:
            if message["type"] == "http.response.start":
                koppen = [k for k in message.get("headers", ()) if k[0].lower() != b"api-version"]
                message["headers"] = [*koppen, _API_VERSION_KOP]
            await send(message)

        await self.app(scope, receive, verstuur)


_API_VERSION_KOP = (b"api-version", API_VERSION.encode())


def create_api(
    routers: list[APIRouter],
    *,
    beveiligd: list[APIRouter] | None = None,
    aanmelding: Callable[..., Any] | None = None,
) -> FastAPI:
    """The /api/v1 application with every domain's router.

    The routers in `beveiligd` are for logged-in callers only: their `aanmelding` dependency
    (which resolves the caller or answers 401) runs before any parameter or body is checked, so
    an anonymous request always gets 401 and never learns how its input would be judged.
    """
    if beveiligd and aanmelding is None:
        raise ValueError("beveiligde routers need an aanmelding dependency")
    api = FastAPI(
        title="stelsel API",
        version=API_VERSION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(api)
    # Swagger UI from the package (swagger-ui-bundle), never from a CDN: works offline.
    api.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="swagger")

    @api.get("/docs", include_in_schema=False)
    async def _docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="stelsel API",
            swagger_js_url="/api/v1/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/api/v1/docs/assets/swagger-ui.css",
            swagger_favicon_url="/api/v1/docs/assets/favicon-32x32.png",
        )

    api.add_middleware(ApiVersie)

    for router in routers:
        api.include_router(router, dependencies=[Depends(weiger_nul_tekens)])
    for router in beveiligd or []:
        api.include_router(router, dependencies=[Depends(aanmelding), Depends(weiger_nul_tekens)])
    alleen_ingelogd = frozenset(
        (route.path, method.lower())
        for router in beveiligd or []
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    )
    api.openapi = lambda: build_openapi(api, alleen_ingelogd)  # type: ignore[method-assign]
    return api
