"""The API application (/api/v1) following the NL API Design Rules.

Domains contribute routers; this module mounts them with what every route shares: problem+json
errors, the API-Version header, the NUL guard and the OpenAPI document.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute

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
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(api)

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
