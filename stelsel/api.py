"""The API application (/api/v1) following the NL API Design Rules.

Domains contribute routers; this module owns what every route shares: problem+json errors,
the API-Version header, pagination and the OpenAPI document.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from stelsel import __version__
from stelsel.config import get_settings

API_VERSION = "1.0.0"
PROBLEM_JSON = "application/problem+json"
MAX_PER_PAGINA = 1000


class InvalidParam(BaseModel):
    name: str
    reason: str


class Problem(BaseModel):
    """An error as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = None


class ProblemError(Exception):
    """Raise from a route to answer with problem+json."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        invalid_params: list[tuple[str, str]] | None = None,
        bewaar: bool = False,
    ):
        self.status, self.title, self.detail = status, title, detail
        self.invalid_params = invalid_params
        # Keep what the request wrote (an audit entry of a refusal) instead of rolling back.
        self.bewaar = bewaar
        super().__init__(detail)


def bad_request(name: str, reason: str) -> ProblemError:
    """A 400 naming the parameter that is wrong and why."""
    return ProblemError(400, "Ongeldige invoer", f"{name}: {reason}", [(name, reason)])


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "Niet gevonden", f"{what} bestaat niet")


def problem_response(request: Request, p: ProblemError) -> JSONResponse:
    body = Problem(
        title=p.title,
        status=p.status,
        detail=p.detail,
        instance=str(request.url.path),
        invalid_params=[InvalidParam(name=n, reason=r) for n, r in p.invalid_params]
        if p.invalid_params
        else None,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=p.status, media_type=PROBLEM_JSON
    )


_HTTP_TITLES = {
    400: "Ongeldige invoer",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
}


def _validation_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        params = [(_validation_name(e["loc"]), e["msg"]) for e in exc.errors()]
        detail = "; ".join(f"{n}: {r}" for n, r in params)
        return problem_response(request, ProblemError(400, "Ongeldige invoer", detail, params))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        title = _HTTP_TITLES.get(exc.status_code, "Fout")
        return problem_response(request, ProblemError(exc.status_code, title, str(exc.detail)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Never echo the exception: it may contain personal data.
        return problem_response(
            request, ProblemError(500, "Interne fout", "Er ging iets mis aan onze kant.")
        )


# --- pagination ------------------------------------------------------------------------------


@dataclass
class Paginering:
    pagina: int
    per_pagina: int

    @property
    def offset(self) -> int:
        return (self.pagina - 1) * self.per_pagina


def paginering(request: Request, pagina: int = 1, perPagina: int = 20) -> Paginering:  # noqa: N803
    """Read pagina/perPagina (also accepts per_pagina) and check their bounds."""
    alias = request.query_params.get("per_pagina")
    name = "perPagina"
    if alias is not None:
        name = "per_pagina"
        try:
            perPagina = int(alias)  # noqa: N806
        except ValueError:
            raise bad_request(name, "moet een geheel getal zijn") from None
    if pagina < 1:
        raise bad_request("pagina", "moet 1 of hoger zijn")
    if not 1 <= perPagina <= MAX_PER_PAGINA:
        raise bad_request(name, f"moet tussen 1 en {MAX_PER_PAGINA} liggen")
    return Paginering(pagina=pagina, per_pagina=perPagina)


def page_envelope(request: Request, p: Paginering, items: list, total: int) -> dict[str, Any]:
    """The collection body: resultaten, totaal and a link to the next page (or null)."""
    volgende = None
    if p.offset + len(items) < total:
        url = request.url.remove_query_params("per_pagina")
        volgende = str(url.include_query_params(pagina=p.pagina + 1, perPagina=p.per_pagina))
    return {"resultaten": items, "totaal": total, "volgende": volgende}


def get_session(request: Request) -> Iterator[Session]:
    """A database session per request, from the app's engine."""
    session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except ProblemError as e:
        session.commit() if e.bewaar else session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# --- OpenAPI ---------------------------------------------------------------------------------

_VERSION_HEADER = {
    "API-Version": {
        "description": "De volledige versie van de API.",
        "schema": {"type": "string", "example": API_VERSION},
    }
}


def _problem_schema_ref() -> dict:
    return {"$ref": "#/components/schemas/Problem"}


def build_openapi(app: FastAPI) -> dict:
    """OpenAPI 3 document, post-processed to satisfy the NL API Design Rules linter."""
    if app.openapi_schema:
        return app.openapi_schema
    settings = get_settings()
    doc = get_openapi(
        title="stelsel API",
        version=API_VERSION,
        description=(
            "Open API van het stelsel van mkb-dienstverlening: het dienstenregister, de "
            "wegwijzer en warme doorverwijzing. Volgt de NL API Design Rules."
        ),
        routes=app.routes,
    )
    doc["info"]["contact"] = {
        "name": "stelsel",
        "email": "stelsel@example.org",
        "url": settings.base_url,
    }
    doc["info"]["license"] = {
        "name": "EUPL-1.2",
        "url": "https://eupl.eu/1.2/nl/",
    }
    doc["info"]["x-stelsel-versie"] = __version__
    doc["servers"] = [{"url": settings.base_url.rstrip("/") + "/api/v1"}]
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["InvalidParam"] = InvalidParam.model_json_schema()
    schemas["Problem"].pop("$defs", None)
    schemas["Problem"]["properties"]["invalid_params"] = {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/components/schemas/InvalidParam"}},
            {"type": "null"},
        ]
    }
    for path_item in doc.get("paths", {}).values():
        for method, op in path_item.items():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            has_params = bool(op.get("parameters")) or "requestBody" in op
            if method in ("post", "put", "patch") or has_params:
                responses.setdefault("400", {"description": "Ongeldige invoer"})
            for code, resp in responses.items():
                if code.startswith(("2", "3")):
                    resp["headers"] = {**resp.get("headers", {}), **_VERSION_HEADER}
                elif code.startswith(("4", "5")):
                    resp["content"] = {PROBLEM_JSON: {"schema": _problem_schema_ref()}}
    app.openapi_schema = doc
    return doc


def create_api(routers: list[APIRouter]) -> FastAPI:
    """The /api/v1 application with every domain's router."""
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
        api.include_router(router)
    api.openapi = lambda: build_openapi(api)  # type: ignore[method-assign]
    return api
