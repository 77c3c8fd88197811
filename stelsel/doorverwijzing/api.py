"""Referral API: hulpvragen, doorverwijzingen, statistics. Bearer token or web session."""

import uuid
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field, StrictBool, field_validator
from sqlalchemy.orm import Session

from stelsel.accounts.deps import vereist_actor
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import Doorverwijzing
from stelsel.register import taxonomie as tx
from stelsel.web.deps import get_session
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import bad_request

router = APIRouter(tags=["doorverwijzing"])
FOUTEN: dict[int | str, dict[str, Any]] = {
    401: {"description": "Niet ingelogd"},
    403: {"description": "Geen toegang"},
    404: {"description": "Niet gevonden"},
}


class Ondernemer(BaseModel):
    naam: str = Field(max_length=200)
    email: str = Field(max_length=200)
    telefoon: str | None = Field(None, max_length=50)
    kvk_nummer: str | None = Field(None, description="8 cijfers")


class ToestemmingIn(BaseModel):
    # consent is a JSON true, never a string such as "yes" that pydantic would coerce
    delen_met_ontvanger: StrictBool
    tekst_versie: str = Field(max_length=40, description="Versie van de getoonde toestemmingstekst")


class HulpvraagIn(BaseModel):
    ondernemer: Ondernemer
    vraag: str = Field(max_length=5000)
    gemeente: str | None = Field(None, max_length=100)
    urgentie: str = "normaal"
    themas: list[str] | None = Field(None, description="Standaard voorgesteld door de wegwijzer")
    toestemming: ToestemmingIn

    @field_validator("themas")
    @classmethod
    def _bekende_themas(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else tx.controleer(v, tx.THEMAS)


class HulpvraagAangemaakt(BaseModel):
    id: uuid.UUID
    themas: list[str]
    prive_link: str = Field(description="Link voor de ondernemer; wordt maar één keer getoond")


class DoorverwijzingIn(BaseModel):
    hulpvraag: uuid.UUID
    naar_aanbieder: str
    dienst: str | None = None
    notitie: str | None = Field(None, max_length=5000)


class StatusIn(BaseModel):
    status: str
    reden: str | None = Field(None, max_length=2000)
    uitkomst: str | None = None


class AanbiederRef(BaseModel):
    id: uuid.UUID
    naam: str


class Persoonsgegevens(BaseModel):
    ondernemer: Ondernemer
    vraag: str | None


class DoorverwijzingRead(BaseModel):
    id: uuid.UUID
    hulpvraag: uuid.UUID
    van_aanbieder: AanbiederRef
    naar_aanbieder: AanbiederRef
    dienst: uuid.UUID | None
    vorige: uuid.UUID | None
    status: str
    fhir_status: str
    reden: str | None
    uitkomst: str | None
    themas: list[str]
    gemeente_code: str | None
    aangemaakt_op: datetime
    ontvangen_op: datetime | None
    eerste_contact_voor: date
    te_laat: bool
    notitie: str | None = None
    gegevens: Persoonsgegevens | None = Field(
        None,
        description="Alleen voor verzender en ontvanger, zolang de ondernemer toestemming geeft",
    )


class DoorverwijzingPagina(BaseModel):
    resultaten: list[DoorverwijzingRead]
    totaal: int
    volgende: str | None


def lees(session: Session, dv: Doorverwijzing, met_gegevens: bool) -> DoorverwijzingRead:
    h = dv.hulpvraag
    zichtbaar = met_gegevens and service.persoonsgegevens_zichtbaar(dv)
    return DoorverwijzingRead(
        id=dv.id,
        hulpvraag=dv.hulpvraag_id,
        van_aanbieder=AanbiederRef(
            id=dv.van_aanbieder_id,
            naam=service.aanbieder_naam(session=session, aanbieder_id=dv.van_aanbieder_id),
        ),
        naar_aanbieder=AanbiederRef(
            id=dv.naar_aanbieder_id,
            naam=service.aanbieder_naam(session=session, aanbieder_id=dv.naar_aanbieder_id),
        ),
        dienst=dv.dienst_id,
        vorige=dv.vorige_id,
        status=dv.status,
        fhir_status=lc.FHIR[dv.status],
        reden=dv.reden,
        uitkomst=dv.uitkomst,
        themas=h.themas,
        gemeente_code=h.gemeente_code,
        aangemaakt_op=dv.aangemaakt_op,
        ontvangen_op=dv.ontvangen_op,
        eerste_contact_voor=dv.eerste_contact_voor,
        te_laat=service.te_laat(dv),
        notitie=dv.notitie if zichtbaar else None,
        gegevens=Persoonsgegevens(
            ondernemer=Ondernemer(
                naam=h.ondernemer_naam or "",
                email=h.ondernemer_email or "",
                telefoon=h.ondernemer_telefoon,
                kvk_nummer=h.kvk_nummer,
            ),
            vraag=h.vraag,
        )
        if zichtbaar
        else None,
    )


@router.post(
    "/hulpvragen",
    status_code=201,
    response_model=HulpvraagAangemaakt,
    operation_id="createHulpvraag",
    summary="Een hulpvraag vastleggen, met toestemming",
    responses=FOUTEN,
)
def create_hulpvraag(
    body: HulpvraagIn,
    request: Request,
    actor: Actor = Depends(vereist_actor),
    session: Session = Depends(get_session),
):
    h, code = service.create_hulpvraag(
        session=session,
        actor=actor,
        data=service.NieuweHulpvraag(
            naam=body.ondernemer.naam,
            email=body.ondernemer.email,
            telefoon=body.ondernemer.telefoon,
            kvk_nummer=body.ondernemer.kvk_nummer,
            vraag=body.vraag,
            gemeente=body.gemeente,
            urgentie=body.urgentie,
            themas=body.themas,
            delen_met_ontvanger=body.toestemming.delen_met_ontvanger,
            tekst_versie=body.toestemming.tekst_versie,
        ),
    )
    base = str(request.base_url).rstrip("/").removesuffix("/api/v1")
    return HulpvraagAangemaakt(
        id=h.id,
        themas=h.themas,
        prive_link=f"{base}/mijn-hulpvraag/{code}",
    )


@router.post(
    "/doorverwijzingen",
    status_code=201,
    response_model=DoorverwijzingRead,
    operation_id="createDoorverwijzing",
    summary="Een hulpvraag warm doorverwijzen",
    responses=FOUTEN,
)
def create_doorverwijzing(
    body: DoorverwijzingIn,
    actor: Actor = Depends(vereist_actor),
    session: Session = Depends(get_session),
):
    dv = service.create_doorverwijzing(
        session=session,
        actor=actor,
        hulpvraag_id=body.hulpvraag,
        naar_aanbieder=body.naar_aanbieder,
        dienst=body.dienst,
        notitie=body.notitie,
    )
    return lees(session, dv, met_gegevens=True)


@router.get(
    "/doorverwijzingen",
    response_model=DoorverwijzingPagina,
    operation_id="listDoorverwijzingen",
    summary="Doorverwijzingen van en naar uw organisatie",
    responses=FOUTEN,
)
def list_doorverwijzingen(
    request: Request,
    richting: str | None = None,
    p: Paginering = Depends(paginering),
    actor: Actor = Depends(vereist_actor),
    session: Session = Depends(get_session),
):
    if richting not in (None, "in", "uit"):
        raise bad_request("richting", "in of uit")
    rows, total = service.get_all(
        session=session, actor=actor, richting=richting, offset=p.offset, limit=p.per_pagina
    )
    return page_envelope(request, p, [lees(session, d, met_gegevens=False) for d in rows], total)


class ThemaCijfers(BaseModel):
    hulpvragen: int = Field(description="Hulpvragen met dit thema die zijn doorverwezen")
    doorverwijzingen: int = Field(description="Hun doorverwijzingen")


class Statistieken(BaseModel):
    regio: str | None
    aantal_doorverwijzingen: int
    aantal_hulpvragen: int
    per_status: dict[str, int]
    per_uitkomst: dict[str, int]
    te_laat: int = Field(description="Nog onbeantwoord na de termijn voor eerste contact")
    gemiddeld_aantal_hops: float
    pingpong: int = Field(description="Hulpvragen die terugkeren naar een eerdere aanbieder")
    per_thema: dict[str, ThemaCijfers] = Field(
        description="Per themacode; een hulpvraag met twee thema's telt bij beide"
    )


@router.get(
    "/doorverwijzingen/statistieken",
    response_model=Statistieken,
    operation_id="getStatistieken",
    summary="Cijfers zonder persoonsgegevens (regio en stelsel)",
    responses=FOUTEN,
)
def statistieken(
    actor: Actor = Depends(vereist_actor), session: Session = Depends(get_session)
) -> dict:
    return service.statistieken(session=session, actor=actor)


@router.get(
    "/doorverwijzingen/{id}",
    response_model=DoorverwijzingRead,
    operation_id="getDoorverwijzing",
    summary="Eén doorverwijzing (verzender of ontvanger)",
    responses=FOUTEN,
)
def get_doorverwijzing(
    id: uuid.UUID, actor: Actor = Depends(vereist_actor), session: Session = Depends(get_session)
):
    dv, _ = service.get(session=session, actor=actor, doorverwijzing_id=id)
    return lees(session, dv, met_gegevens=True)


@router.patch(
    "/doorverwijzingen/{id}",
    response_model=DoorverwijzingRead,
    operation_id="updateDoorverwijzing",
    summary="De status van een doorverwijzing wijzigen",
    responses={**FOUTEN, 409: {"description": "Deze overgang kan niet"}},
)
def patch_doorverwijzing(
    id: uuid.UUID,
    body: StatusIn,
    actor: Actor = Depends(vereist_actor),
    session: Session = Depends(get_session),
):
    dv = service.wijzig_status(
        session=session,
        actor=actor,
        doorverwijzing_id=id,
        status=body.status,
        reden=body.reden,
        uitkomst=body.uitkomst,
    )
    return lees(session, dv, met_gegevens=True)


@router.get(
    "/hulpvragen/{id}/inzage",
    operation_id="getInzage",
    summary="Alle gegevens over de ondernemer van een hulpvraag (AVG-inzage)",
    responses=FOUTEN,
)
def inzage(
    id: uuid.UUID, actor: Actor = Depends(vereist_actor), session: Session = Depends(get_session)
) -> dict:
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=id, doel="inzageverzoek ondernemer"
    )
    return service.inzage(session=session, hulpvraag=h, door=actor)


@router.delete(
    "/hulpvragen/{id}/toestemming",
    status_code=204,
    operation_id="deleteToestemming",
    summary="Toestemming intrekken namens de ondernemer",
    responses=FOUTEN,
)
def trek_in(
    id: uuid.UUID, actor: Actor = Depends(vereist_actor), session: Session = Depends(get_session)
):
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=id, doel="toestemming intrekken op verzoek"
    )
    service.trek_toestemming_in(session=session, hulpvraag=h, door=actor)


@router.delete(
    "/hulpvragen/{id}/persoonsgegevens",
    status_code=204,
    operation_id="deletePersoonsgegevens",
    summary="Persoonsgegevens verwijderen op verzoek van de ondernemer",
    responses=FOUTEN,
)
def verwijder(
    id: uuid.UUID, actor: Actor = Depends(vereist_actor), session: Session = Depends(get_session)
):
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=id, doel="verwijderverzoek ondernemer"
    )
    service.anonimiseer(
        session=session, hulpvraag=h, door=actor, doel="verwijderverzoek ondernemer"
    )
