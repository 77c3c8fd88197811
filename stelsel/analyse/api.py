"""API routes of the analyse domain: consistentietoets, ecosysteemscan, vraag versus aanbod.
For the regiocoördinator, the stelselregisseur and the beheerder (bearer token or session)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from stelsel.accounts.deps import Ingelogd
from stelsel.accounts.rollen import Actor
from stelsel.analyse import schemas, service
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.invoer import alleen_bekende_parameters
from stelsel.web.problems import fouten

router = APIRouter(tags=["analyse"], dependencies=[Depends(alleen_bekende_parameters)])
FOUTEN = fouten(400, 401, 403)
REGIO = Query(
    description="Code van een provincie (PV20), arbeidsmarktregio (AM01), COROP-gebied (CR01) "
    "of gemeente (GM0014)",
    max_length=10,
)


def analist(actor: Ingelogd) -> Actor:
    """The caller, when their role may run the analyses (403 otherwise)."""
    service.mag_analyseren(actor)
    return actor


Analist = Annotated[Actor, Depends(analist)]


@router.post(
    "/consistentietoets",
    response_model=schemas.ToetsRead,
    operation_id="postConsistentietoets",
    summary="Toets een voorgestelde of bestaande dienst op overlap met het register",
    responses={**FOUTEN, 404: {"description": "Bestaande dienst niet gevonden"}},
)
def consistentietoets(
    body: schemas.DienstIn,
    actor: Analist,
    session: Sessie,
) -> dict:
    return service.toets_als_dict(session=session, **service.invoer(body.model_dump()))


@router.get(
    "/ecosysteemscan",
    response_model=schemas.ScanRead,
    operation_id="getEcosysteemscan",
    summary="Alle diensten in een regio: matrices, witte vlekken, overlap, basisinfrastructuur",
    responses=FOUTEN,
)
def ecosysteemscan(
    actor: Analist,
    session: Sessie,
    regio: str = REGIO,
) -> dict:
    return service.scan_als_dict(service.ecosysteemscan(session=session, regio=regio))


@router.get(
    "/vraag-aanbod",
    response_model=schemas.VraagAanbodRead,
    operation_id="getVraagAanbod",
    summary="Vraag (wegwijzer, hulpvragen, doorverwijzingen) tegenover aanbod per thema",
    responses=FOUTEN,
)
def vraag_aanbod(
    actor: Analist,
    session: Sessie,
    regio: str = REGIO,
) -> dict:
    return service.vraag_aanbod_als_dict(service.vraag_versus_aanbod(session=session, regio=regio))
