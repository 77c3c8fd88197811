"""Accounts API: the audit log (beheerder, stelselregisseur) and user management (beheerder,
registerbeheerder)."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from stelsel.accounts import rollen, service
from stelsel.accounts.deps import Ingelogd
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.invoer import alleen_bekende_parameters
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import ProblemError, fouten

router = APIRouter(tags=["accounts"], dependencies=[Depends(alleen_bekende_parameters)])


class AuditRead(BaseModel):
    tijdstip: datetime
    actor_id: str | None
    rol: str
    actie: str
    object_type: str
    object_id: str | None
    doel: str
    uitkomst: str


class AuditPagina(BaseModel):
    resultaten: list[AuditRead]
    totaal: int
    volgende: str | None


@router.get(
    "/audit",
    response_model=AuditPagina,
    operation_id="listAudit",
    summary="Het auditlog (beheerder, stelselregisseur)",
    responses={401: {"description": "Niet ingelogd"}, 403: {"description": "Geen toegang"}},
)
def list_audit(
    request: Request,
    actor: Ingelogd,
    session: Sessie,
    p: Paginering = Depends(paginering),
):
    if actor.rol not in (rollen.BEHEERDER, rollen.STELSELREGISSEUR):
        service.audit(
            session=session, actor=actor, actie="lezen", object_type="audit", toegestaan=False
        )
        raise ProblemError(
            403,
            "Geen toegang",
            "Alleen beheerders en de stelselregisseur zien het auditlog.",
            bewaar=True,
        )
    rows, total = service.get_audit(session=session, offset=p.offset, limit=p.per_pagina)
    items = [
        AuditRead(
            tijdstip=r.tijdstip,
            actor_id=str(r.actor_id) if r.actor_id else None,
            rol=r.rol,
            actie=r.actie,
            object_type=r.object_type,
            object_id=r.object_id,
            doel=r.doel,
            uitkomst=r.uitkomst,
        )
        for r in rows
    ]
    return page_envelope(request, p, items, total)


class GebruikerRead(BaseModel):
    id: str
    email: str
    naam: str
    rol: str
    aanbieder_id: str | None
    regio_code: str | None
    actief: bool
    aangemaakt_op: datetime
    tokens: int


class GebruikerPagina(BaseModel):
    resultaten: list[GebruikerRead]
    totaal: int
    volgende: str | None


class NieuwWachtwoord(BaseModel):
    wachtwoord: str


class Ingetrokken(BaseModel):
    ingetrokken: int


_BEHEER_FOUTEN = fouten(401, 403, 404)


@router.get(
    "/gebruikers",
    response_model=GebruikerPagina,
    operation_id="listGebruikers",
    summary="Gebruikers (beheerder: allen; registerbeheerder: de redacteuren)",
    responses=_BEHEER_FOUTEN,
)
def list_gebruikers(
    request: Request,
    actor: Ingelogd,
    session: Sessie,
    p: Paginering = Depends(paginering),
):
    items, totaal = service.get_all(
        session=session, door=actor, offset=p.offset, limit=p.per_pagina
    )
    body = [
        GebruikerRead(
            id=str(g.id),
            email=g.email,
            naam=g.naam,
            rol=g.rol,
            aanbieder_id=str(g.aanbieder_id) if g.aanbieder_id else None,
            regio_code=g.regio_code,
            actief=g.actief,
            aangemaakt_op=g.aangemaakt_op,
            tokens=g.tokens,
        )
        for g in items
    ]
    return page_envelope(request, p, body, totaal)


@router.post(
    "/gebruikers/{id}/deactivering",
    status_code=204,
    operation_id="deactiveerGebruiker",
    summary="Een gebruiker uitschakelen: sessies en tokens werken meteen niet meer",
    responses=_BEHEER_FOUTEN,
)
def deactiveer(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    service.deactiveer_door(session=session, door=actor, gebruiker_id=id)
    return Response(status_code=204)


@router.post(
    "/gebruikers/{id}/wachtwoord",
    response_model=NieuwWachtwoord,
    operation_id="resetWachtwoord",
    summary="Een nieuw, willekeurig wachtwoord (alleen nu getoond)",
    responses=_BEHEER_FOUTEN,
)
def reset_wachtwoord(
    id: uuid.UUID,
    response: Response,
    actor: Ingelogd,
    session: Sessie,
):
    response.headers["Cache-Control"] = "no-store"
    return NieuwWachtwoord(
        wachtwoord=service.nieuw_wachtwoord(session=session, door=actor, gebruiker_id=id)
    )


@router.post(
    "/gebruikers/{id}/tokens/intrekking",
    response_model=Ingetrokken,
    operation_id="trekTokensIn",
    summary="Alle API-tokens van een gebruiker intrekken",
    responses=_BEHEER_FOUTEN,
)
def trek_tokens_in(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    return Ingetrokken(
        ingetrokken=service.trek_tokens_in_door(session=session, door=actor, gebruiker_id=id)
    )


# The register's write API and workflow (they need a logged-in caller, like the audit log).
from stelsel.accounts.registerbeheer_api import router as _registerbeheer  # noqa: E402

router.include_router(_registerbeheer)
