"""The API application (/api/v1) following the NL API Design Rules.

Domains contribute routers; this module owns what every route shares: problem+json errors,
the API-Version header, pagination and the OpenAPI document.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, params
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from stelsel import __version__
from stelsel.config import get_settings

API_VERSION = "1.0.0"
PROBLEM_JSON = "application/problem+json"
MAX_PER_PAGINA = 1000
# LIMIT/OFFSET are signed 64-bit integers in SQLite and PostgreSQL.
MAX_OFFSET = 2**63 - 1
NUL_REDEN = "mag geen NUL-teken (U+0000) bevatten"


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
        body.model_dump(exclude_none=True),
        status_code=p.status,
        media_type=PROBLEM_JSON,
        # Also on a 500, which leaves the app past the middleware that sets it on the rest.
        headers={"API-Version": API_VERSION},
    )


_HTTP_TITLES = {
    400: "Ongeldige invoer",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
}


def _validation_name(error: dict) -> str:
    if error["type"] == "json_invalid":
        return "body"  # its loc holds the character position, not a field
    parts = [str(p) for p in error["loc"] if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "body"


def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """A Starlette/FastAPI HTTP error (404 for an unknown path, 405, ...) as problem+json."""
    title = _HTTP_TITLES.get(exc.status_code, "Fout")
    detail = str(exc.detail)
    # Routes raise ProblemError; a plain 400 comes from reading the body (say, not UTF-8).
    invalid = [("body", detail)] if exc.status_code == 400 else None
    return problem_response(request, ProblemError(exc.status_code, title, detail, invalid))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        params = [(_validation_name(e), e["msg"]) for e in exc.errors()]
        detail = "; ".join(f"{n}: {r}" for n, r in params)
        return problem_response(request, ProblemError(400, "Ongeldige invoer", detail, params))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return http_problem(request, exc)

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
        # A page far past the end is simply empty, also when its offset would not fit the database.
        return min((self.pagina - 1) * self.per_pagina, MAX_OFFSET)


def paginering(
    request: Request,
    pagina: int = Query(1, json_schema_extra={"minimum": 1}),
    perPagina: int = Query(20, json_schema_extra={"minimum": 1, "maximum": MAX_PER_PAGINA}),  # noqa: N803
) -> Paginering:
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


# --- text the database cannot hold ------------------------------------------------------------


def _nul_in(value: Any, name: str) -> str | None:
    """The name of the first string in a JSON value that contains U+0000 (dotted, like
    invalid_params of a validation error: `ondernemer.naam`, `themas.0`)."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        found = _nul_in(item, f"{name}.{key}")
        if found is not None:
            return found
    return None


def _gelezen(dependant: Dependant) -> tuple[set[str], list[Any]]:
    """The path/query parameter names and the body fields a route (with its dependencies)
    declares: what it reads. Anything else in a request is ignored, so it may hold anything."""
    names = {f.alias for f in [*dependant.path_params, *dependant.query_params]}
    body = list(dependant.body_params)
    for sub in dependant.dependencies:
        sub_names, sub_body = _gelezen(sub)
        names |= sub_names
        body += sub_body
    return names, body


def _body_velden(body: list[Any]) -> set[str]:
    """The top-level keys of a JSON body: a lone model's fields, else one per body parameter."""
    if len(body) == 1 and not getattr(body[0].field_info, "embed", False):
        model = body[0].field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            return {f.alias or n for n, f in model.model_fields.items()}
    return {f.alias for f in body}


async def parameter_met_nul(request: Request) -> str | None:
    """The first parameter or body field the route reads whose text contains a NUL character
    (U+0000), or None. PostgreSQL can neither store nor compare such text, so it is refused at
    the edge instead of failing deep inside a query. Parameters the route does not read are
    ignored, as any unknown parameter is."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    names, body = _gelezen(route.dependant)
    items: list[tuple[str, Any]] = [
        *request.path_params.items(),
        *request.query_params.multi_items(),
    ]
    # FastAPI parsed (and Starlette cached) the body already, before solving the dependencies.
    if body and isinstance(body[0].field_info, params.Form):
        items += (await request.form()).multi_items()
        names |= {f.alias for f in body}
    elif body and "json" in request.headers.get("content-type", ""):
        try:
            data = await request.json()
        except ValueError:
            data = None
        if isinstance(data, dict):  # else not the object the route expects: a 400 follows
            items += data.items()
            names |= _body_velden(body)
    for name, value in items:
        found = _nul_in(value, name) if name in names else None
        if found is not None:
            return found
    return None


async def weiger_nul_tekens(request: Request) -> None:
    """Dependency of every API route: a 400 naming the parameter that holds a NUL character."""
    name = await parameter_met_nul(request)
    if name is not None:
        raise bad_request(name, NUL_REDEN)


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


def build_openapi(app: FastAPI, beveiligd: frozenset[tuple[str, str]] = frozenset()) -> dict:
    """OpenAPI 3 document, post-processed to satisfy the NL API Design Rules linter. The
    operations in `beveiligd` ((path, method) pairs) are marked as needing a bearer token."""
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
    doc["components"]["securitySchemes"] = {
        "bearerToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "Token van `stelsel gebruiker maak --toon-token`.",
        }
    }
    for path, path_item in doc.get("paths", {}).items():
        for method, op in path_item.items():
            responses = op.setdefault("responses", {})
            responses.pop("422", None)
            if (path, method) in beveiligd:
                op["security"] = [{"bearerToken": []}]
                responses.setdefault("401", {"description": "Niet ingelogd"})
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
