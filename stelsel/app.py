"""The FastAPI application: the API under /api/v1, the pages and static assets."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from stelsel.accounts.deps import SESSIE_OPSLAG, vereist_actor
from stelsel.config import get_settings
from stelsel.db import get_engine
from stelsel.domains import api_routers, page_routers
from stelsel.errors import StelselFout
from stelsel.logboek import RequestId
from stelsel.meldingen import service as meldingen
from stelsel.register import taxonomie as tx
from stelsel.web import gezondheid
from stelsel.web.api import create_api
from stelsel.web.beveiliging import Beveiliging, cors_paden
from stelsel.web.capaciteit import Capaciteit
from stelsel.web.deps import installeer_sessies
from stelsel.web.invoer import parameter_met_nul
from stelsel.web.metrics import Meting, metrics, registreer_meter
from stelsel.web.pages import STATIC_DIR, NaarLogin, naar_login, render, templates
from stelsel.web.problems import http_problem
from stelsel.web.sessies import Sessies
from stelsel.web.transactie import CommitVoorAntwoord
from stelsel.wegwijzer import service as wegwijzer

log = logging.getLogger(__name__)

# The vocabularies every page template shows.
templates.env.globals.update(
    THEMAS=tx.THEMAS,
    TRANSITIETHEMAS=tx.TRANSITIETHEMAS,
    DIENST_SOORTEN=tx.DIENST_SOORTEN,
    FASEN=tx.FASEN,
    DOELGROEPEN=tx.DOELGROEPEN,
    KANALEN=tx.KANALEN,
    KOSTEN=tx.KOSTEN,
    NIVEAUS=tx.NIVEAUS,
    AANBIEDER_SOORTEN=tx.AANBIEDER_SOORTEN,
    label=tx.label,
)


async def _geen_nul_tekens(request: Request) -> None:
    """Dependency of every page: text with a NUL character is refused (see parameter_met_nul)."""
    if await parameter_met_nul(request) is not None:
        raise StarletteHTTPException(400, "Uw invoer bevat een teken dat we niet kunnen lezen.")


# Starlette's own texts of the errors it raises itself, for the pages
_NL = {
    "Not Found": "Deze pagina bestaat niet.",
    "Method Not Allowed": "Dit kan op dit adres niet.",
}


def create_app(engine: Engine | Connection | None = None) -> FastAPI:
    """Build the web application on an engine (default: the configured database).

    A server (no engine given) builds the wegwijzer's index while it starts, before it accepts
    requests, so the first question does not wait for it."""
    server = engine is None
    engine = engine if engine is not None else get_engine()

    @asynccontextmanager
    async def levensloop(_app: FastAPI) -> AsyncIterator[None]:
        if server and isinstance(engine, Engine):
            await anyio.to_thread.run_sync(wegwijzer.warm, engine)
            # What lives as long as the process (the app, the index) leaves the collector's
            # generations, and young ones are collected less often: 6-8% less CPU a request
            # (bench/doorverwijzing_http.py --in-proces, issue 11).
            gc.freeze()
            gc.set_threshold(10_000, 10, 10)
        yield

    app = FastAPI(
        title="stelsel", docs_url=None, redoc_url=None, openapi_url=None, lifespan=levensloop
    )
    installeer_sessies(app.state, engine)

    open_routers, beveiligd = api_routers()
    api = create_api(
        [*open_routers, gezondheid.router], beveiligd=beveiligd, aanmelding=vereist_actor
    )
    installeer_sessies(api.state, engine)
    app.mount("/api/v1", api)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for pages in page_routers():
        app.include_router(pages, dependencies=[Depends(_geen_nul_tekens)])
    settings = get_settings()
    app.add_middleware(Sessies, opslag=SESSIE_OPSLAG)
    # Outermost last: shed load first, then commit each request before its response starts.
    app.add_middleware(CommitVoorAntwoord)
    app.add_middleware(
        Capaciteit, limiet=settings.max_gelijktijdig, wachtrij_seconden=settings.wachtrij_seconden
    )
    app.add_middleware(Meting)
    app.add_middleware(RequestId)
    app.add_middleware(Beveiliging, cors_open=cors_paden("/api/v1", open_routers))
    app.add_route("/metrics", metrics, include_in_schema=False)

    def _wachtrij() -> tuple[int, float]:
        with app.state.lees_sessies() as s:
            return meldingen.wachtrij(session=s)

    registreer_meter(
        "stelsel_outbox_wachtrij", "Messages not yet delivered", lambda: _wachtrij()[0]
    )
    registreer_meter(
        "stelsel_outbox_achterstand_seconden",
        "Seconds the most overdue undelivered message has been due",
        lambda: _wachtrij()[1],
    )

    app.add_exception_handler(NaarLogin, naar_login)

    @app.exception_handler(StarletteHTTPException)
    async def _page_error(
        request: Request, exc: StarletteHTTPException
    ) -> HTMLResponse | JSONResponse | RedirectResponse:
        if request.url.path == "/api/v1" or request.url.path.startswith("/api/v1/"):
            # An API path the mount does not match (one with a newline, say) still gets a problem.
            return http_problem(request, exc)
        if exc.status_code == 405 and request.method in ("GET", "HEAD"):
            # the address a form posts to, opened by a reload or a shared link: the page
            # that holds the form (its parent path), not a dead end
            ouder = request.url.path.rstrip("/").rsplit("/", 1)[0] or "/"
            return RedirectResponse(ouder, status_code=303)
        return render(
            request,
            "fout.html",
            {"status": exc.status_code, "detail": _NL.get(str(exc.detail), exc.detail)},
            status_code=exc.status_code,
        )

    @app.exception_handler(StelselFout)
    async def _page_stelsel_fout(request: Request, exc: StelselFout) -> HTMLResponse:
        return render(
            request,
            "fout.html",
            {"status": exc.status, "detail": exc.detail},
            status_code=exc.status,
        )

    return app
