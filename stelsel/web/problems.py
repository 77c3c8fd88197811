"""Errors as RFC 9457 problem+json: the one mapping from errors to HTTP answers."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from stelsel.errors import Ongeldig, StelselFout

API_VERSION = "1.0.0"
PROBLEM_JSON = "application/problem+json"


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


def als_problem(fout: StelselFout) -> ProblemError:
    """The problem a service's error stands for."""
    velden = [(fout.veld, fout.reden)] if isinstance(fout, Ongeldig) else None
    return ProblemError(fout.status, fout.titel, fout.detail, velden, bewaar=fout.bewaar)


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


def fouten(*statussen: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route's OpenAPI for these error statuses, each described by its
    problem title: `responses=fouten(401, 403, 404)`."""
    return {s: {"description": _HTTP_TITLES[s]} for s in statussen}


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


# SQLite result codes that mean "busy, try again": SQLITE_BUSY ("database is locked") and
# SQLITE_LOCKED ("database table is locked"); an extended code keeps them in its low byte.
_SQLITE_BEZET = frozenset({5, 6})
# PostgreSQL SQLSTATEs that mean "busy, try again": lock_not_available (lock_timeout, NOWAIT),
# serialization_failure, deadlock_detected, too_many_connections, and the server shutting
# down or starting; and every connection exception (class 08).
_PG_BEZET = frozenset({"55P03", "40001", "40P01", "53300", "57P01", "57P02", "57P03"})


def db_bezet(fout: BaseException) -> bool:
    """Whether a database error means "busy, come back in a moment" (503 with Retry-After): the
    pool had no connection in time, a lock was not granted in time, or the connection failed.
    Every other database error (a missing table, a full disk, a broken statement) is a fault of
    ours and stays a 500."""
    if isinstance(fout, SQLAlchemyTimeoutError):
        return True  # the pool had no free connection within pool_timeout
    if not isinstance(fout, OperationalError):
        return False
    if fout.connection_invalidated:
        return True  # the connection broke (SQLAlchemy saw a disconnect)
    orig = fout.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _SQLITE_BEZET
    if hasattr(orig, "sqlstate"):  # psycopg
        sqlstate: str | None = getattr(orig, "sqlstate", None)
        # No SQLSTATE: psycopg could not reach or lost the server (connection refused, closed).
        return sqlstate is None or sqlstate in _PG_BEZET or sqlstate.startswith("08")
    tekst = str(orig).lower()  # another driver: its message is all there is
    return "database is locked" in tekst or "database table is locked" in tekst


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

    @app.exception_handler(StelselFout)
    async def _stelsel(request: Request, exc: StelselFout):
        return problem_response(request, als_problem(exc))

    @app.exception_handler(OperationalError)
    @app.exception_handler(SQLAlchemyTimeoutError)
    async def _bezet(request: Request, exc: Exception):
        # The database is locked or the pool is exhausted: come back in a moment. Never echo
        # the exception: its statement parameters may contain personal data.
        if not db_bezet(exc):
            raise exc  # a fault of ours: the 500 of every unexpected error (and its log line)
        response = problem_response(
            request,
            ProblemError(503, "Te druk", "De database is even bezet. Probeer het zo opnieuw."),
        )
        response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Never echo the exception: it may contain personal data.
        return problem_response(
            request, ProblemError(500, "Interne fout", "Er ging iets mis aan onze kant.")
        )


# --- pagination ------------------------------------------------------------------------------


def ruw_antwoord(scope, status: int, titel: str, detail: str) -> tuple[dict, dict]:
    """The two ASGI messages of an error answered below the app (by a middleware): problem+json
    under /api/, a minimal Dutch page elsewhere; a 503 says when to come back."""
    headers = [(b"api-version", API_VERSION.encode())]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    if scope["path"].startswith("/api/"):
        probleem = Problem(title=titel, status=status, detail=detail, instance=scope["path"])
        body = probleem.model_dump_json(exclude_none=True).encode()
        headers.append((b"content-type", PROBLEM_JSON.encode()))
    else:
        body = (
            f"<!doctype html><html lang='nl'><meta charset='utf-8'><title>{titel}</title>"
            f"<h1>{titel}</h1><p>{detail}</p></html>"
        ).encode()
        headers.append((b"content-type", b"text/html; charset=utf-8"))
    headers.append((b"content-length", str(len(body)).encode()))
    start = {"type": "http.response.start", "status": status, "headers": headers}
    return start, {"type": "http.response.body", "body": body}
