"""Register API routes: thin; parse, call the service, shape the answer."""

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BeforeValidator
from sqlalchemy.orm import Session

from stelsel.register import service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Aanbieder
from stelsel.register.schemas import (
    AanbiederPagina,
    AanbiederRead,
    ActualiteitRead,
    DienstPagina,
    DienstRead,
    ThemaRead,
    VerouderdPagina,
    VerouderdRead,
    aanbieder_read,
    dienst_waarden,
    json_antwoord,
)
from stelsel.web.deps import get_session
from stelsel.web.invoer import alleen_bekende_parameters
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import bad_request, not_found

router = APIRouter(tags=["dienstenregister"], dependencies=[Depends(alleen_bekende_parameters)])


def _iso_datum(value: object) -> object:
    """Only JJJJ-MM-DD, as documented: pydantic would also read a number as a Unix timestamp
    (peildatum=0 as 1 januari 1970)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("moet een datum zijn als JJJJ-MM-DD")
    return value


IsoDatum = Annotated[date, BeforeValidator(_iso_datum)]


def _check(name: str, value: str | None, vocab: tuple[tx.Term, ...]) -> str | None:
    if value is not None and value not in tx.codes(vocab):
        raise bad_request(name, tx.onbekend(value, vocab))
    return value


def _aanbieder(session: Session, waarde: str | None) -> Aanbieder | None:
    """The published aanbieder an `aanbieder` parameter names (id or slug), or a 400."""
    if waarde is None:
        return None
    a = service.aanbieder_rij(session=session, aanbieder_id=waarde, ook_gearchiveerd=False)
    if a is None:
        raise bad_request("aanbieder", f"'{waarde}' is geen bekende aanbieder")
    return a


def _regios(session: Session, **waarden: str | None) -> list[frozenset[tuple[str, str]]]:
    """Per region parameter given (provincie, arbeidsmarktregio, corop: code or name), the
    areas that overlap it (service.regio_gebieden; an unknown one is a 400 naming it)."""
    return [
        service.regio_gebieden(session=session, soort=soort, tekst=waarde)
        for soort, waarde in waarden.items()
        if waarde is not None
    ]


@router.get(
    "/aanbieders",
    response_model=AanbiederPagina,
    operation_id="listAanbieders",
    summary="Aanbieders in het register",
)
def list_aanbieders(
    request: Request,
    niveau: str | None = Query(None, description="landelijk, regionaal of lokaal"),
    soort: str | None = Query(None, description="publiek, semipubliek, non-profit, …"),
    q: str | None = Query(None, max_length=200, description="Zoek op (korte) naam"),
    p: Paginering = Depends(paginering),
    session: Session = Depends(get_session),
):
    _check("niveau", niveau, tx.NIVEAUS)
    _check("soort", soort, tx.AANBIEDER_SOORTEN)
    items, total = service.get_all_aanbieders(
        session=session, niveau=niveau, soort=soort, q=q, offset=p.offset, limit=p.per_pagina
    )
    body = [aanbieder_read(a, len(a.diensten)) for a in items]
    return page_envelope(request, p, body, total)


@router.get(
    "/aanbieders/{id}",
    response_model=AanbiederRead,
    operation_id="getAanbieder",
    summary="Eén aanbieder",
    responses={404: {"description": "Niet gevonden"}},
)
def get_aanbieder(id: str, response: Response, session: Session = Depends(get_session)):
    a = service.aanbieder_rij(session=session, aanbieder_id=id, ook_gearchiveerd=False)
    if a is None:
        raise not_found(f"Aanbieder '{id}'")
    response.headers["ETag"] = service.etag(session=session, soort="aanbieder", slug=a.slug)
    return aanbieder_read(a, sum(1 for d in a.diensten if not d.gearchiveerd))


@router.get(
    "/diensten",
    response_model=DienstPagina,
    operation_id="listDiensten",
    summary="Diensten in het register, te filteren",
)
def list_diensten(
    request: Request,
    thema: str | None = Query(None, description="Themacode, bijvoorbeeld financiering"),
    soort: str | None = Query(None, description="Soort dienst: informatie, advies, …"),
    fase: str | None = Query(None, description="Klantreisfase: ontmoeten, weten, willen, kunnen"),
    doelgroep: str | None = Query(None, description="Doelgroep, bijvoorbeeld starters"),
    gemeente: str | None = Query(
        None,
        max_length=100,
        description="Naam, woonplaats, CBS-code of postcode: landelijke diensten plus diensten "
        "waarvan het werkgebied deze gemeente dekt",
    ),
    provincie: str | None = Query(
        None,
        max_length=100,
        description="Code (PV21) of naam: landelijke diensten plus diensten die (een deel van) "
        "de provincie bedienen",
    ),
    arbeidsmarktregio: str | None = Query(
        None, max_length=100, description="Code (AM01) of naam, als provincie"
    ),
    corop: str | None = Query(
        None, max_length=100, description="Code (CR01) of naam, als provincie"
    ),
    aanbieder: str | None = Query(None, description="Id of slug van de aanbieder"),
    q: str | None = Query(None, max_length=200, description="Zoektekst"),
    peildatum: IsoDatum | None = Query(
        None, description="Alleen diensten die op deze datum gelden"
    ),
    p: Paginering = Depends(paginering),
    session: Session = Depends(get_session),
):
    f = service.DienstFilter(
        thema=_check("thema", thema, tx.THEMAS),
        soort=_check("soort", soort, tx.DIENST_SOORTEN),
        fase=_check("fase", fase, tx.FASEN),
        doelgroep=_check("doelgroep", doelgroep, tx.DOELGROEPEN),
        q=q.strip() if q else None,
        peildatum=peildatum,
    )
    if gemeente is not None:
        f.gebied = service.gemeente_gebied(session=session, tekst=gemeente)
    f.regios = _regios(
        session, provincie=provincie, arbeidsmarktregio=arbeidsmarktregio, corop=corop
    )
    a = _aanbieder(session, aanbieder)
    if a is not None:
        f.aanbieder_id = a.id
    items, total = service.dienst_pagina(
        session=session, filter=f, offset=p.offset, limit=p.per_pagina
    )
    namen = service.gebiedsnamen(session=session)
    return json_antwoord(
        page_envelope(request, p, [dienst_waarden(d, namen) for d in items], total)
    )


@router.get(
    "/diensten/{id}",
    response_model=DienstRead,
    operation_id="getDienst",
    summary="Eén dienst",
    responses={404: {"description": "Niet gevonden"}},
)
def get_dienst(id: str, session: Session = Depends(get_session)):
    d = service.get_dienst_gegevens(session=session, dienst_id=id)
    if d is None:
        raise not_found(f"Dienst '{id}'")
    antwoord = json_antwoord(dienst_waarden(d, service.gebiedsnamen(session=session)))
    antwoord.headers["ETag"] = service.etag(
        session=session, soort="dienst", slug=d.kolommen["slug"], revisie=d.kolommen["revisie"]
    )
    return antwoord


@router.get(
    "/verouderde-diensten",
    response_model=VerouderdPagina,
    operation_id="listVerouderdeDiensten",
    summary="Diensten die 12 maanden of langer niet zijn gecontroleerd",
)
def list_verouderd(
    request: Request,
    aanbieder: str | None = Query(None, description="Id of slug van de aanbieder"),
    provincie: str | None = Query(None, max_length=100, description="Code of naam"),
    arbeidsmarktregio: str | None = Query(None, max_length=100, description="Code of naam"),
    corop: str | None = Query(None, max_length=100, description="Code of naam"),
    peildatum: IsoDatum | None = Query(None, description="Vandaag, als leeg"),
    p: Paginering = Depends(paginering),
    session: Session = Depends(get_session),
):
    a = _aanbieder(session, aanbieder)
    regios = _regios(session, provincie=provincie, arbeidsmarktregio=arbeidsmarktregio, corop=corop)
    items, totaal = service.verouderd(
        session=session,
        vandaag=peildatum or date.today(),
        aanbieder_slug=a.slug if a is not None else None,
        regio=frozenset.intersection(*regios) if regios else None,
        offset=p.offset,
        limit=p.per_pagina,
    )
    body = [VerouderdRead(**vars(v)) for v in items]
    return page_envelope(request, p, body, totaal)


@router.get(
    "/actualiteit",
    response_model=list[ActualiteitRead],
    operation_id="listActualiteit",
    summary="Per regio: het aandeel diensten dat de laatste 12 maanden is gecontroleerd",
)
def list_actualiteit(
    regiosoort: str = Query("provincie", description="provincie, arbeidsmarktregio of corop"),
    peildatum: IsoDatum | None = Query(None, description="Vandaag, als leeg"),
    session: Session = Depends(get_session),
):
    if regiosoort not in service.REGIO_SOORTEN:
        raise bad_request("regiosoort", f"kies uit {', '.join(service.REGIO_SOORTEN)}")
    return [
        ActualiteitRead(**vars(a), aandeel=a.aandeel)
        for a in service.actualiteit_per_regio(
            session=session, soort=regiosoort, vandaag=peildatum or date.today()
        )
    ]


@router.get(
    "/themas",
    response_model=list[ThemaRead],
    operation_id="listThemas",
    summary="De thema's en transitiethema's",
)
def list_themas():
    return [
        ThemaRead(code=t.code, naam=t.naam, omschrijving=t.omschrijving, soort="thema")
        for t in tx.THEMAS
    ] + [
        ThemaRead(code=t.code, naam=t.naam, omschrijving=t.omschrijving, soort="transitiethema")
        for t in tx.TRANSITIETHEMAS
    ]
