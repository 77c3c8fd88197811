"""The API application (/api/v1) following the NL API Design Rules.

Domains contribute routers; this module mounts them with what every route shares: problem+json
errors, the API-Version header, the NUL guard and the OpenAPI document.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from stelsel.web.invoer import weiger_nul_tekens
from stelsel.web.openapi import build_openapi
from stelsel.web.problems import API_VERSION, install_error_handlers


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

    @api.middleware("http")
    async def _api_version(request: Request, call_next):
        response = await call_next(request)
        response.headers["API-Version"] = API_VERSION
        return response

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
