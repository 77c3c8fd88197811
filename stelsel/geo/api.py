"""Geography API routes."""

from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from stelsel.geo import service
from stelsel.geo.schemas import (
    GemeentePagina,
    GemeenteRead,
    Regio,
    RegioKort,
    RegioPagina,
    RegioRead,
    gemeente_read,
)
from stelsel.web.deps import get_session
from stelsel.web.invoer import alleen_bekende_parameters
from stelsel.web.paginering import Paginering, page_envelope, paginering

router = APIRouter(tags=["geografie"], dependencies=[Depends(alleen_bekende_parameters)])


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


# --- provincies, arbeidsmarktregio's and COROP-gebieden, each with its gemeenten ---------------

_REGIO_ROUTES = (
    # path, kind, operation id stem, plural and singular label
    ("provincies", "provincie", "Provincies", "Provincie", "provincies", "provincie"),
    (
        "arbeidsmarktregios",
        "arbeidsmarktregio",
        "Arbeidsmarktregios",
        "Arbeidsmarktregio",
        "arbeidsmarktregio's",
        "arbeidsmarktregio",
    ),
    ("corop-gebieden", "corop", "CoropGebieden", "CoropGebied", "COROP-gebieden", "COROP-gebied"),
)


def _regio_routes(pad: str, soort: str, meervoud: str, enkel: str, lijst: str, een: str) -> None:
    @router.get(
        f"/{pad}",
        response_model=RegioPagina,
        operation_id=f"list{meervoud}",
        summary=f"Alle {lijst} (CBS-indeling 2025), met hun aantal gemeenten",
    )
    def list_regios(
        request: Request,
        p: Paginering = Depends(paginering),
        session: Session = Depends(get_session),
    ):
        regios, totaal = service.get_all_regios(
            session=session, soort=soort, offset=p.offset, limit=p.per_pagina
        )
        # the route's URL once, not per item: each url_for walks the whole route table
        basis = str(request.url_for(f"get{enkel}", code="-")).removesuffix("-")
        items = [
            RegioKort(
                code=r.code,
                naam=r.naam,
                aantalGemeenten=r.aantal_gemeenten,
                url=basis + quote(r.code, safe=""),
            )
            for r in regios
        ]
        return page_envelope(request, p, items, totaal)

    @router.get(
        f"/{pad}/{{code}}",
        response_model=RegioRead,
        operation_id=f"get{enkel}",
        name=f"get{enkel}",
        summary=f"Eén {een}, op CBS-code of naam, met zijn gemeenten",
        responses={404: {"description": "Niet gevonden"}},
    )
    def get_regio(code: str, session: Session = Depends(get_session)):
        r = service.get_regio(session=session, soort=soort, code=code)
        return RegioRead(
            code=r.code, naam=r.naam, gemeenten=[Regio(code=c, naam=n) for c, n in r.gemeenten]
        )


for _route in _REGIO_ROUTES:
    _regio_routes(*_route)
