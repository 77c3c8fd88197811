"""Geography API routes."""

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from stelsel.geo import service
from stelsel.geo.schemas import GemeentePagina, GemeenteRead, gemeente_read
from stelsel.web.deps import get_session
from stelsel.web.paginering import Paginering, page_envelope, paginering

router = APIRouter(tags=["geografie"])


@router.get(
    "/gemeenten",
    response_model=GemeentePagina,
    operation_id="listGemeenten",
    summary="Alle gemeenten (indeling 2025)",
)
def list_gemeenten(
    request: Request,
    provincie: str | None = Query(None, description="Code (PV21) of naam van de provincie"),
    p: Paginering = Depends(paginering),
    session: Session = Depends(get_session),
):
    alle = service.get_all(session=session, provincie=provincie)
    page = alle[p.offset : p.offset + p.per_pagina]
    return page_envelope(request, p, [gemeente_read(g) for g in page], len(alle))


@router.get(
    "/gemeenten/{code}",
    response_model=GemeenteRead,
    operation_id="getGemeente",
    summary="Eén gemeente, op CBS-code, naam, woonplaats of postcode",
    responses={404: {"description": "Niet gevonden"}},
)
def get_gemeente(code: str, session: Session = Depends(get_session)):
    return gemeente_read(service.vind(session=session, tekst=code))
