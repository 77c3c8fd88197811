"""The FastAPI application: the API under /api/v1, the pages and static assets."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from stelsel.accounts.api import router as accounts_api
from stelsel.api import create_api
from stelsel.config import PACKAGE_DIR, get_settings
from stelsel.db import get_engine, session_factory
from stelsel.doorverwijzing.api import router as doorverwijzing_api
from stelsel.doorverwijzing.pages import router as doorverwijzing_pages
from stelsel.geo.api import router as geo_api
from stelsel.pages import render
from stelsel.register.api import router as register_api
from stelsel.register.pages import router as register_pages
from stelsel.wegwijzer.api import router as wegwijzer_api
from stelsel.wegwijzer.pages import router as wegwijzer_pages

log = logging.getLogger(__name__)


def create_app(engine: Engine | Connection | None = None) -> FastAPI:
    """Build the web application on an engine (default: the configured database)."""
    engine = engine if engine is not None else get_engine()
    app = FastAPI(title="stelsel", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.sessions = session_factory(engine)

    api = create_api([register_api, geo_api, wegwijzer_api, doorverwijzing_api, accounts_api])
    api.state.engine = engine
    api.state.sessions = app.state.sessions
    app.mount("/api/v1", api)
    app.mount("/static", StaticFiles(directory=PACKAGE_DIR / "static"), name="static")
    app.include_router(register_pages)
    app.include_router(wegwijzer_pages)
    app.include_router(doorverwijzing_pages)
    settings = get_settings()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="stelsel_sessie",
        same_site="lax",
        https_only=settings.cookie_secure,
        max_age=8 * 3600,
    )

    @app.exception_handler(StarletteHTTPException)
    async def _page_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        return render(
            request,
            "fout.html",
            {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )

    return app
