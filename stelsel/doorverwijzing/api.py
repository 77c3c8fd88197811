"""Referral API: hulpvragen, doorverwijzingen, statistics. Bearer token or web session."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field, StrictBool, field_validator
from sqlalchemy.orm import Session

from stelsel.accounts.deps import Ingelogd
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import Doorverwijzing
from stelsel.register import taxonomie as tx
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import bad_request, fouten

router = APIRouter(tags=["doorverwijzing"])
FOUTEN = fouten(401, 403, 404)


class Ondernemer(BaseModel):
    naam: str = Field(max_length=200)
    email: str = Field(max_length=200)
    telefoon: str | None = Field(None, max_length=50)
    kvk_nummer: str | None = Field(None, description="8 cijfers")


class ToestemmingIn(BaseModel):
    # consent is a JSON true, never a string such as "yes" that pydantic would coerce
    delen_met_ontvanger: StrictBool
    tekst_versie: str = Field(max_length=40, description="Versie van de getoonde toestemmingstekst")
    berichten: StrictBool = Field(
        False, description="De ondernemer wil per e-mail horen hoe het met de vraag staat"
    )
    enquete: StrictBool = Field(
        False, description="De ondernemer mag later een korte vragenlijst krijgen over hoe het ging"
    )


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


class HopToestemmingIn(BaseModel):
    """Consent for this one recipient, as the adviser heard it from the entrepreneur."""

    tekst_versie: str = Field(max_length=40, description="Versie van de getoonde toestemmingstekst")
    kanaal: str = Field("telefoon", description="telefoon, gesprek of schriftelijk")


class DoorverwijzingIn(BaseModel):
    hulpvraag: uuid.UUID
    naar_aanbieder: str
    dienst: str | None = None
    notitie: str | None = Field(None, max_length=5000)
    toestemming: HopToestemmingIn | None = Field(
        None,
        description=(
            "Toestemming voor deze ontvanger. Zonder: een eerder gegeven toestemming voor deze "
            "ontvanger, of bij de eerste doorverwijzing de toestemming van de intake."
        ),
    )


class StatusIn(BaseModel):
    status: str
    reden_code: str | None = Field(
        None,
        description=f"Verplicht bij {', '.join(sorted(lc.MET_REDEN))}: {', '.join(lc.REDENEN)}",
    )
    reden: str | None = Field(None, max_length=2000)
    uitkomst: str | None = None


class NotitieIn(BaseModel):
    tekst: str = Field(max_length=2000)


class ToestemmingsverzoekIn(BaseModel):
    naar_aanbieder: str


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
    partij: str = Field(description="ontvanger, verzender of keten (verderop in de keten)")
    status: str
    fhir_status: str
    reden_code: str | None
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
        description=(
            "Alleen voor de organisatie die de hulpvraag nu in behandeling heeft, met "
            "toestemming van de ondernemer voor die organisatie"
        ),
    )


class DoorverwijzingPagina(BaseModel):
    resultaten: list[DoorverwijzingRead]
    totaal: int
    volgende: str | None


def lees(
    session: Session,
    dv: Doorverwijzing,
    zichtbaar: bool,
    partij: str,
    namen: dict[uuid.UUID, str] | None = None,
) -> DoorverwijzingRead:
    """A referral as the API shows it; `namen`: aanbieder names the caller already has."""
    h = dv.hulpvraag
    namen = namen or {}

    def naam(aanbieder_id: uuid.UUID) -> str:
        if aanbieder_id in namen:
            return namen[aanbieder_id]
        return service.aanbieder_naam(session=session, aanbieder_id=aanbieder_id)

    return DoorverwijzingRead(
        id=dv.id,
        hulpvraag=dv.hulpvraag_id,
        van_aanbieder=AanbiederRef(id=dv.van_aanbieder_id, naam=naam(dv.van_aanbieder_id)),
        naar_aanbieder=AanbiederRef(id=dv.naar_aanbieder_id, naam=naam(dv.naar_aanbieder_id)),
        dienst=dv.dienst_id,
        vorige=dv.vorige_id,
        partij=partij,
        status=dv.status,
        fhir_status=lc.FHIR[dv.status],
        reden_code=dv.reden_code,
        reden=dv.reden if zichtbaar else None,
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
def create_hulpvraag(body: HulpvraagIn, request: Request, actor: Ingelogd, session: Sessie):
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
            berichten=body.toestemming.berichten,
            enquete=body.toestemming.enquete,
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
def create_doorverwijzing(body: DoorverwijzingIn, actor: Ingelogd, session: Sessie) -> Response:
    namen: dict[uuid.UUID, str] = {}
    dv = service.create_doorverwijzing(
        session=session,
        actor=actor,
        hulpvraag_id=body.hulpvraag,
        naar_aanbieder=body.naar_aanbieder,
        dienst=body.dienst,
        notitie=body.notitie,
        toestemming=service.NieuweToestemming(
            body.toestemming.tekst_versie, body.toestemming.kanaal
        )
        if body.toestemming
        else None,
        namen=namen,
    )
    # serialised once here; FastAPI hands a Response on as it is (response_model stays for
    # the OpenAPI document)
    return Response(
        lees(session, dv, False, lc.VERZENDER, namen).model_dump_json(),
        status_code=201,
        media_type="application/json",
    )


@router.get(
    "/doorverwijzingen",
    response_model=DoorverwijzingPagina,
    operation_id="listDoorverwijzingen",
    summary="Doorverwijzingen van en naar uw organisatie",
    responses=FOUTEN,
)
def list_doorverwijzingen(
    request: Request,
    actor: Ingelogd,
    session: Sessie,
    richting: str | None = None,
    status: str | None = Query(None, description="Een status, of 'open' voor alle open"),
    sorteer: str = Query("nieuw", description="nieuw, oud of termijn"),
    p: Paginering = Depends(paginering),
):
    if richting not in (None, "in", "uit"):
        raise bad_request("richting", "in of uit")
    rows, total = service.get_all(
        session=session,
        actor=actor,
        richting=richting,
        status=status,
        sorteer=sorteer,
        offset=p.offset,
        limit=p.per_pagina,
    )
    items = [
        lees(
            session,
            d,
            False,
            lc.ONTVANGER if d.naar_aanbieder_id == actor.aanbieder_id else lc.VERZENDER,
        )
        for d in rows
    ]
    return page_envelope(request, p, items, total)


class ThemaCijfers(BaseModel):
    hulpvragen: int = Field(description="Hulpvragen met dit thema die zijn doorverwezen")
    doorverwijzingen: int = Field(description="Hun doorverwijzingen")


class Statistieken(BaseModel):
    regio: str | None
    aantal_doorverwijzingen: int
    aantal_hulpvragen: int
    per_status: dict[str, int]
    per_uitkomst: dict[str, int]
    per_reden: dict[str, dict[str, int]] = Field(
        description="Per eindstatus met reden (geweigerd, geannuleerd, mislukt): aantal per code"
    )
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
def statistieken(actor: Ingelogd, session: Sessie) -> dict:
    return service.statistieken(session=session, actor=actor)


@router.get(
    "/doorverwijzingen/{id}",
    response_model=DoorverwijzingRead,
    operation_id="getDoorverwijzing",
    summary="Eén doorverwijzing (verzender of ontvanger)",
    responses=FOUTEN,
)
def get_doorverwijzing(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    i = service.get(session=session, actor=actor, doorverwijzing_id=id)
    return lees(session, i.doorverwijzing, i.zichtbaar, i.partij)


@router.patch(
    "/doorverwijzingen/{id}",
    response_model=DoorverwijzingRead,
    operation_id="updateDoorverwijzing",
    summary="De status van een doorverwijzing wijzigen",
    responses={**FOUTEN, 409: {"description": "Deze overgang kan niet"}},
)
def patch_doorverwijzing(id: uuid.UUID, body: StatusIn, actor: Ingelogd, session: Sessie):
    dv = service.wijzig_status(
        session=session,
        actor=actor,
        doorverwijzing_id=id,
        status=body.status,
        reden_code=body.reden_code,
        reden=body.reden,
        uitkomst=body.uitkomst,
    )
    i = service.get(session=session, actor=actor, doorverwijzing_id=dv.id)
    return lees(session, i.doorverwijzing, i.zichtbaar, i.partij)


@router.get(
    "/hulpvragen/{id}/inzage",
    operation_id="getInzage",
    summary="Alle gegevens over de ondernemer van een hulpvraag (AVG-inzage)",
    responses=FOUTEN,
)
def inzage(id: uuid.UUID, actor: Ingelogd, session: Sessie) -> dict:
    h = service.get_hulpvraag(
        session=session,
        actor=actor,
        hulpvraag_id=id,
        doel="inzageverzoek ondernemer",
        alleen_houder=True,
    )
    return service.inzage(session=session, hulpvraag=h, door=actor)


@router.delete(
    "/hulpvragen/{id}/toestemming",
    status_code=204,
    operation_id="deleteToestemming",
    summary="Toestemming intrekken namens de ondernemer",
    responses=FOUTEN,
)
def trek_in(id: uuid.UUID, actor: Ingelogd, session: Sessie):
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
def verwijder(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=id, doel="verwijderverzoek ondernemer"
    )
    service.anonimiseer(
        session=session, hulpvraag=h, door=actor, doel="verwijderverzoek ondernemer"
    )


@router.post(
    "/doorverwijzingen/{id}/notities",
    status_code=201,
    operation_id="createNotitie",
    summary="Een notitie op de tijdlijn (verzender of ontvanger)",
    responses=FOUTEN,
)
def create_notitie(id: uuid.UUID, body: NotitieIn, actor: Ingelogd, session: Sessie) -> dict:
    g = service.notitie(session=session, actor=actor, doorverwijzing_id=id, tekst=body.tekst)
    return {"id": str(g.id), "tijdstip": g.tijdstip.isoformat() if g.tijdstip else None}


class MomentRead(BaseModel):
    tijdstip: datetime
    doorverwijzing: uuid.UUID
    soort: str
    van_status: str | None
    status: str
    door: str
    reden_code: str | None
    toelichting: str | None = Field(
        None, description="Alleen voor wie de hulpvraag in behandeling heeft"
    )


class KetenRead(BaseModel):
    hulpvraag: uuid.UUID
    themas: list[str]
    hops: int
    pingpong: bool
    doorverwijzingen: list[DoorverwijzingRead]
    tijdlijn: list[MomentRead]


@router.get(
    "/hulpvragen/{id}/keten",
    response_model=KetenRead,
    operation_id="getKeten",
    summary="De hele keten van een hulpvraag: status en uitkomst van elke stap",
    responses=FOUTEN,
)
def get_keten(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    h, verwijzingen = service.keten_van(session=session, actor=actor, hulpvraag_id=id)
    houder = service.houdt(h, verwijzingen, actor.aanbieder_id)
    kenmerken = service.keten_kenmerken(verwijzingen)

    def partij(d: Doorverwijzing) -> str:
        if d.naar_aanbieder_id == actor.aanbieder_id:
            return lc.ONTVANGER
        return lc.VERZENDER if d.van_aanbieder_id == actor.aanbieder_id else service.KETEN

    return KetenRead(
        hulpvraag=h.id,
        themas=h.themas,
        hops=int(kenmerken["hops"]),
        pingpong=bool(kenmerken["pingpong"]),
        doorverwijzingen=[lees(session, d, False, partij(d)) for d in verwijzingen],
        tijdlijn=[
            MomentRead(
                tijdstip=m.tijdstip,
                doorverwijzing=m.doorverwijzing_id,
                soort=m.soort,
                van_status=m.van_status,
                status=m.naar_status,
                door=m.aanbieder,
                reden_code=m.reden_code,
                toelichting=m.toelichting,
            )
            for m in service.tijdlijn(
                session=session, hulpvraag=h, verwijzingen=verwijzingen, met_notities=houder
            )
        ],
    )


class OntvangerRead(BaseModel):
    id: uuid.UUID
    slug: str
    naam: str
    bereikbaar: str = Field(
        description="inbox (gebruikers of koppeling), email (balie-adres uit het register) of geen"
    )
    voorgesteld: bool
    dienst: uuid.UUID | None
    dienst_naam: str


@router.get(
    "/hulpvragen/{id}/ontvangers",
    response_model=list[OntvangerRead],
    operation_id="listOntvangers",
    summary="Naar wie deze hulpvraag kan: voorstellen eerst, met bereikbaarheid",
    responses=FOUTEN,
)
def list_ontvangers(id: uuid.UUID, actor: Ingelogd, session: Sessie):
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=id, doel="doorverwijzen", alleen_houder=True
    )
    return [
        OntvangerRead(
            id=o.id,
            slug=o.slug,
            naam=o.naam,
            bereikbaar=o.bereikbaar,
            voorgesteld=o.voorgesteld,
            dienst=o.dienst_id,
            dienst_naam=o.dienst_naam,
        )
        for o in service.ontvangers(session=session, actor=actor, hulpvraag=h)
    ]


@router.post(
    "/hulpvragen/{id}/toestemmingsverzoeken",
    status_code=201,
    operation_id="createToestemmingsverzoek",
    summary="De ondernemer via de privé-link om toestemming vragen voor één ontvanger",
    responses=FOUTEN,
)
def create_toestemmingsverzoek(
    id: uuid.UUID, body: ToestemmingsverzoekIn, actor: Ingelogd, session: Sessie
) -> dict:
    t = service.vraag_toestemming(
        session=session, actor=actor, hulpvraag_id=id, naar_aanbieder=body.naar_aanbieder
    )
    return {"id": str(t.id), "gegeven": t.gegeven_op is not None}
