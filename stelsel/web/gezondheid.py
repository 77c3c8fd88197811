"""Liveness and readiness for load balancers and the operator on call:
`GET /api/v1/gezondheid` answers 200 when the database is reachable and its schema current,
503 (with what is wrong) otherwise. It is never shed under load (web/capaciteit.py)."""

from contextlib import nullcontext

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from stelsel import __version__
from stelsel.schema import achterstand

router = APIRouter(tags=["beheer"])


class Gezondheid(BaseModel):
    status: str = Field(description="`ok`, or `niet gereed` when the worker cannot serve")
    database: str = Field(description="`bereikbaar` or `onbereikbaar`")
    schema_: str = Field(alias="schema", description="`actueel` or `verouderd`")
    versie: str


@router.get(
    "/gezondheid",
    response_model=Gezondheid,
    operation_id="getGezondheid",
    summary="Of deze server werkt: database bereikbaar, schema actueel",
    responses={503: {"description": "Niet gereed"}},
)
def gezondheid(request: Request):
    database, schema = "onbereikbaar", "verouderd"
    bind = request.app.state.engine
    try:
        # an engine in production; a connection inside a test's transaction
        with bind.connect() if isinstance(bind, Engine) else nullcontext(bind) as conn:
            conn.execute(text("SELECT 1"))
            database = "bereikbaar"
            schema = "verouderd" if achterstand(conn) else "actueel"
    except SQLAlchemyError:
        pass
    gereed = database == "bereikbaar" and schema == "actueel"
    body = {
        "status": "ok" if gereed else "niet gereed",
        "database": database,
        "schema": schema,
        "versie": __version__,
    }
    return JSONResponse(body, status_code=200 if gereed else 503)
