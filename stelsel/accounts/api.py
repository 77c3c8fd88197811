"""Audit log API (beheerder and stelselregisseur)."""

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from stelsel.accounts import rollen, service
from stelsel.accounts.deps import vereist_actor
from stelsel.accounts.rollen import Actor
from stelsel.web.deps import get_session
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import ProblemError

router = APIRouter(tags=["accounts"])


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
    p: Paginering = Depends(paginering),
    actor: Actor = Depends(vereist_actor),
    session: Session = Depends(get_session),
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


# The register's write API and workflow (they need a logged-in caller, like the audit log).
from stelsel.accounts.registerbeheer_api import router as _registerbeheer  # noqa: E402

router.include_router(_registerbeheer)
