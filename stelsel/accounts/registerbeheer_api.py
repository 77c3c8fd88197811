"""The register's write API (registerbeheer): POST, PUT, PATCH and DELETE on /aanbieders and
/diensten, the review workflow under /wijzigingen, history and restore, and "still correct".

Every write makes or changes a draft: the public API shows only what a registerbeheerder
published. Bodies are checked by the CSV's own rules (one validator) and a 400 names every bad
field. Changing an existing entry needs `If-Match` with the entry's ETag (from GET): 428 without
it, 412 when someone else changed it since. Mounted with the logged-in routes (401 first).
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from sqlalchemy.orm import Session

from stelsel.accounts import registerbeheer as beheer
from stelsel.accounts.deps import Ingelogd
from stelsel.accounts.rollen import Actor
from stelsel.db import als_utc
from stelsel.register import service as register
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.paginering import Paginering, page_envelope, paginering
from stelsel.web.problems import ProblemError, bad_request, fouten

router = APIRouter(tags=["registerbeheer"])
# A slug or UUID: letters, digits and '-' (so a path never holds a character routing refuses)
IdPad = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,160}$", description="Slug of UUID")]
IfMatch = Annotated[str | None, Header(description="De ETag van GET")]

_FOUTEN: dict[int | str, dict[str, Any]] = {
    400: {"description": "Ongeldige invoer (invalid_params noemt elk veld)"},
    **fouten(401, 403, 404),
}
_VERSIE_FOUTEN: dict[int | str, dict[str, Any]] = {
    **_FOUTEN,
    409: {"description": "Conflict met de huidige staat"},
    412: {"description": "Verouderd: het item is intussen gewijzigd (If-Match)"},
    428: {"description": "If-Match ontbreekt"},
}


def _slug_of(value: Any) -> Any:
    """An aanbieder as its slug: also the {id, slug, naam} object GET answers with."""
    if isinstance(value, dict):
        return value.get("slug") or value.get("id")
    return value


class GebiedSchrijf(BaseModel):
    soort: str = Field(description="provincie, arbeidsmarktregio, corop of gemeente")
    code: str


class AanbiederSchrijf(BaseModel):
    """An aanbieder as written: the columns of aanbieders.csv (docs/register-csv.md)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Slug; vast na aanmaken")
    naam: str
    korte_naam: str = ""
    soort: str
    niveau: str
    eerstelijns: bool
    tweedelijns: bool
    website: str = ""
    email: str = ""
    telefoon: str = ""
    omschrijving: str
    bron: str
    gecontroleerd_op: str = Field("", description="JJJJ-MM-DD; bij publiceren: vandaag")
    kvk_nummer: str = ""
    bezoekadres: str = ""
    postadres: str = ""
    openingstijden: str = ""


class DienstSchrijf(BaseModel):
    """A dienst as written: the columns of diensten.csv, lists as JSON arrays."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Slug; vast na aanmaken")
    aanbieder: Annotated[str, BeforeValidator(_slug_of)] = Field(description="Slug of id")
    naam: str
    omschrijving: str
    themas: list[str]
    transitiethemas: list[str] = []
    soort: str
    fasen: list[str] = []
    doelgroepen: list[str] = []
    kanalen: list[str] = []
    kosten: str
    werkgebied: list[GebiedSchrijf] = Field(default_factory=list, description="Leeg: landelijk")
    geldig_van: str | None = Field(None, description="JJJJ-MM-DD")
    geldig_tot: str | None = Field(None, description="JJJJ-MM-DD")
    trefwoorden: list[str] = []
    website: str = ""
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    talen: list[str] = []
    kosten_toelichting: str = ""
    wachttijd: str = ""
    upl_uri: str = ""
    bron: str = ""
    gecontroleerd_op: str | None = Field(None, description="JJJJ-MM-DD")


_SCHEMA: dict[str, type[BaseModel]] = {"aanbieder": AanbiederSchrijf, "dienst": DienstSchrijf}


class VerschilRead(BaseModel):
    veld: str
    oud: str
    nieuw: str


class VersieRead(BaseModel):
    id: uuid.UUID
    soort: str
    slug: str
    aanbieder: str = Field(description="Slug van de aanbieder waar het item bij hoort")
    nummer: int
    actie: str = Field(description="begin, aanmaken, wijzigen, archiveren of herstellen")
    status: str = Field(description="concept, ter_beoordeling of gepubliceerd")
    auteur_id: uuid.UUID | None
    auteur_rol: str
    aangemaakt_op: datetime
    gewijzigd_op: datetime
    beoordeeld_op: datetime | None
    toelichting: str
    etag: str = Field(description="Stuur mee in If-Match bij de volgende stap")
    gegevens: dict[str, str] = Field(description="Het voorgestelde item, als CSV-cellen")
    verschillen: list[VerschilRead] | None = None


class VersiePagina(BaseModel):
    resultaten: list[VersieRead]
    totaal: int
    volgende: str | None


class WerkversieRead(BaseModel):
    soort: str
    slug: str
    aanbieder: str
    status: str = Field(description="concept, ter_beoordeling, gepubliceerd of gearchiveerd")
    etag: str
    gegevens: dict[str, str]
    open_versie: uuid.UUID | None


class Afwijzing(BaseModel):
    toelichting: str = Field(min_length=1, max_length=2000)


class Bevestiging(BaseModel):
    aantal: int = Field(description="Items op vandaag gecontroleerd gezet")


def versie_read(
    v: register.Versie, verschillen: list[register.Verschil] | None = None
) -> VersieRead:
    return VersieRead(
        id=v.id,
        soort=v.soort,
        slug=v.slug,
        aanbieder=v.aanbieder_slug,
        nummer=v.nummer,
        actie=v.actie,
        status=v.status,
        auteur_id=v.auteur_id,
        auteur_rol=v.auteur_rol,
        aangemaakt_op=als_utc(v.aangemaakt_op),
        gewijzigd_op=als_utc(v.gewijzigd_op),
        beoordeeld_op=als_utc(v.beoordeeld_op) if v.beoordeeld_op else None,
        toelichting=v.toelichting,
        etag=v.etag,
        gegevens=v.gegevens,
        verschillen=[VerschilRead(veld=x.veld, oud=x.oud, nieuw=x.nieuw) for x in verschillen]
        if verschillen is not None
        else None,
    )


def cellen(soort: str, body: dict[str, Any]) -> dict[str, str]:
    """A JSON body as the cells of a CSV row (then validated by the CSV's own rules)."""
    uit: dict[str, str] = {}
    for k, v in body.items():
        if k == "werkgebied":
            uit[k] = ";".join(f"{g['soort']}:{g['code']}" for g in v) if v else "landelijk"
        elif isinstance(v, bool):
            uit[k] = "ja" if v else "nee"
        elif isinstance(v, list):
            uit[k] = ";".join(str(x) for x in v)
        elif isinstance(v, date):
            uit[k] = v.isoformat()
        else:
            uit[k] = "" if v is None else str(v)
    if soort == "aanbieder" and not uit.get("gecontroleerd_op"):
        uit["gecontroleerd_op"] = date.today().isoformat()
    return uit


def _patchmodel(model: type[BaseModel]) -> type[BaseModel]:
    """The same fields, each optional: a merge patch names only what changes."""
    velden: dict[str, Any] = {
        k: (Optional[f.annotation], None)  # noqa: UP045 (an annotation held in a variable)
        for k, f in model.model_fields.items()
    }
    return create_model(
        f"{model.__name__}Patch",
        __config__=ConfigDict(extra="forbid"),
        **velden,
    )


_PATCH = {soort: _patchmodel(m) for soort, m in _SCHEMA.items()}


def _deel(soort: str, body: dict[str, Any]) -> dict[str, str]:
    """The cells a merge patch changes; its types checked (a 400 names each bad field)."""
    try:
        data = _PATCH[soort].model_validate(body).model_dump(exclude_unset=True)
    except ValidationError as e:
        params = [
            (".".join(str(p) for p in err["loc"]) or "body", err["msg"]) for err in e.errors()
        ]
        raise ProblemError(
            400, "Ongeldige invoer", "; ".join(f"{n}: {r}" for n, r in params), params
        ) from None
    alles = cellen("dienst", data)
    return {k: alles[k] for k in data}


def _eerst_geldig(session: Session, soort: str, gegevens: dict[str, str]) -> None:
    """Every bad field at once, by the CSV's rules, before anything is written."""
    fouten = register.problemen(session=session, soort=soort, velden=gegevens)
    if fouten:
        raise ProblemError(
            400,
            "Ongeldige invoer",
            "; ".join(f"{v}: {r}" for v, r in fouten),
            fouten,
        )


def _slug(session: Session, soort: str, id: str) -> str:
    """The slug of an entry given by slug or UUID (also of an archived one)."""
    try:
        u = uuid.UUID(id)
    except ValueError:
        return id
    if soort == "aanbieder":
        a = register.get_aanbieder(session=session, aanbieder_id=str(u))
        return a.slug if a is not None else id
    d = register.get_dienst(session=session, dienst_id=str(u), ook_gearchiveerd=True)
    return d.slug if d is not None else id


def _antwoord(response: Response, v: register.Versie) -> VersieRead:
    response.headers["ETag"] = v.etag
    return versie_read(v)


def _bewaar(
    response: Response,
    session: Session,
    actor: Actor,
    soort: str,
    slug: str | None,
    gegevens: dict[str, str],
    verwacht_etag: str | None,
) -> VersieRead:
    """The shared tail of POST, PUT and PATCH: check the whole record, then save it as a
    concept (a new one when slug is None) and answer with the version and its ETag."""
    _eerst_geldig(session, soort, gegevens)
    v = beheer.bewaar(
        session=session,
        actor=actor,
        soort=soort,
        slug=slug,
        gegevens=gegevens,
        verwacht_etag=verwacht_etag,
    )
    return _antwoord(response, v)


def _maak_routes(soort: str, meervoud: str, Schema: type[BaseModel]) -> None:  # noqa: N803
    titel = soort.capitalize()

    @router.post(
        f"/{meervoud}",
        response_model=VersieRead,
        status_code=201,
        operation_id=f"create{titel}",
        summary=f"Nieuwe {soort} voorstellen (concept)",
        responses=_VERSIE_FOUTEN,
    )
    def maak(
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        body: Schema = Body(...),  # type: ignore[valid-type]
    ):
        gegevens = cellen(soort, body.model_dump())  # type: ignore[attr-defined]
        beheer.mag_aanmaken(session=session, actor=actor, soort=soort, gegevens=gegevens)
        antwoord = _bewaar(response, session, actor, soort, None, gegevens, None)
        response.headers["Location"] = f"/api/v1/wijzigingen/{antwoord.id}"
        return antwoord

    @router.put(
        f"/{meervoud}/{{id}}",
        response_model=VersieRead,
        operation_id=f"replace{titel}",
        summary=f"Een {soort} wijzigen (concept; If-Match verplicht)",
        responses=_VERSIE_FOUTEN,
    )
    def vervang(
        id: IdPad,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        body: Schema = Body(...),  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ):
        slug = _slug(session, soort, id)
        beheer.werkversie(session=session, actor=actor, soort=soort, slug=slug)  # 404 / 403
        gegevens = {"id": slug, **cellen(soort, body.model_dump())}  # type: ignore[attr-defined]
        return _bewaar(response, session, actor, soort, slug, gegevens, if_match)

    @router.patch(
        f"/{meervoud}/{{id}}",
        response_model=VersieRead,
        operation_id=f"update{titel}",
        summary=f"Velden van een {soort} wijzigen (JSON merge patch; If-Match verplicht)",
        responses=_VERSIE_FOUTEN,
    )
    def wijzig(
        id: IdPad,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        body: dict[str, Any] = Body(..., description="Alleen de velden die veranderen"),
        if_match: IfMatch = None,
    ):
        slug = _slug(session, soort, id)
        huidig = beheer.werkversie(session=session, actor=actor, soort=soort, slug=slug)
        gegevens = {**huidig.gegevens, **_deel(soort, body)}
        return _bewaar(response, session, actor, soort, slug, gegevens, if_match)

    @router.delete(
        f"/{meervoud}/{{id}}",
        response_model=VersieRead,
        status_code=202,
        operation_id=f"archive{titel}",
        summary=f"Voorstellen een {soort} te archiveren (If-Match verplicht)",
        responses=_VERSIE_FOUTEN,
    )
    def archiveer(
        id: IdPad,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        if_match: IfMatch = None,
    ):
        v = beheer.archiveer(
            session=session,
            actor=actor,
            soort=soort,
            slug=_slug(session, soort, id),
            verwacht_etag=if_match,
        )
        return _antwoord(response, v)

    @router.get(
        f"/{meervoud}/{{id}}/werkversie",
        response_model=WerkversieRead,
        operation_id=f"get{titel}Werkversie",
        summary=f"De {soort} zoals een redacteur hem bewerkt (met open concept)",
        responses=_FOUTEN,
    )
    def werkversie(
        id: IdPad,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
    ):
        w = beheer.werkversie(
            session=session, actor=actor, soort=soort, slug=_slug(session, soort, id)
        )
        response.headers["ETag"] = w.etag
        return WerkversieRead(
            soort=w.soort,
            slug=w.slug,
            aanbieder=w.aanbieder_slug,
            status=w.status,
            etag=w.etag,
            gegevens=w.gegevens,
            open_versie=w.open.id if w.open else None,
        )

    @router.get(
        f"/{meervoud}/{{id}}/versies",
        response_model=list[VersieRead],
        operation_id=f"list{titel}Versies",
        summary=f"Alle versies van een {soort}, nieuwste eerst",
        responses=_FOUTEN,
    )
    def versies(
        id: IdPad,
        actor: Ingelogd,
        session: Sessie,
    ):
        slug = _slug(session, soort, id)
        return [
            versie_read(v)
            for v in beheer.geschiedenis(session=session, actor=actor, soort=soort, slug=slug)
        ]

    @router.post(
        f"/{meervoud}/{{id}}/versies/{{nummer}}/herstel",
        response_model=VersieRead,
        operation_id=f"restore{titel}Versie",
        summary="Een eerdere versie als nieuw concept terugzetten (If-Match verplicht)",
        responses=_VERSIE_FOUTEN,
    )
    def herstel(
        id: IdPad,
        nummer: int,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        if_match: IfMatch = None,
    ):
        v = beheer.herstel(
            session=session,
            actor=actor,
            soort=soort,
            slug=_slug(session, soort, id),
            nummer=nummer,
            verwacht_etag=if_match,
        )
        return _antwoord(response, v)


_maak_routes("aanbieder", "aanbieders", AanbiederSchrijf)
_maak_routes("dienst", "diensten", DienstSchrijf)


@router.post(
    "/aanbieders/{id}/bevestiging",
    response_model=Bevestiging,
    operation_id="confirmAanbieder",
    summary="Bevestigen dat de aanbieder en al zijn diensten nog kloppen",
    responses=_FOUTEN,
)
def bevestig(id: IdPad, actor: Ingelogd, session: Sessie):
    return Bevestiging(aantal=beheer.bevestig(session=session, actor=actor, aanbieder=id))


@router.get(
    "/wijzigingen",
    response_model=VersiePagina,
    operation_id="listWijzigingen",
    summary="Versies in de workflow (redacteur: van de eigen aanbieder)",
    responses=_FOUTEN,
)
def list_wijzigingen(
    request: Request,
    actor: Ingelogd,
    session: Sessie,
    status: str | None = Query(None, description="concept, ter_beoordeling of gepubliceerd"),
    p: Paginering = Depends(paginering),
):
    if status is not None and status not in register.WORKFLOW_STATUSSEN:
        raise bad_request("status", f"kies uit {', '.join(register.WORKFLOW_STATUSSEN)}")
    items, totaal = beheer.versies(
        session=session, actor=actor, status=status, offset=p.offset, limit=p.per_pagina
    )
    return page_envelope(request, p, [versie_read(v) for v in items], totaal)


@router.get(
    "/wijzigingen/{id}",
    response_model=VersieRead,
    operation_id="getWijziging",
    summary="Eén versie, met wat er verandert",
    responses=_FOUTEN,
)
def get_wijziging(
    id: uuid.UUID,
    response: Response,
    actor: Ingelogd,
    session: Sessie,
):
    v = beheer.versie(session=session, actor=actor, versie_id=id)
    response.headers["ETag"] = v.etag
    oud = register.vorige(session=session, versie=v)
    return versie_read(v, register.verschillen(oud, v.gegevens))


def _stap(naam: str, samenvatting: str, fn):
    @router.post(
        f"/wijzigingen/{{id}}/{naam}",
        response_model=VersieRead,
        operation_id=f"{naam}Wijziging",
        summary=samenvatting,
        responses=_VERSIE_FOUTEN,
    )
    def stap(
        id: uuid.UUID,
        response: Response,
        actor: Ingelogd,
        session: Sessie,
        if_match: str | None = Header(None, description="De ETag van de versie (optioneel)"),
    ):
        return _antwoord(
            response, fn(session=session, actor=actor, versie_id=id, verwacht_etag=if_match)
        )

    return stap


_stap("indienen", "Een concept ter beoordeling aanbieden", beheer.dien_in)
_stap("publiceren", "Een versie publiceren (registerbeheerder)", beheer.publiceer)


@router.post(
    "/wijzigingen/{id}/afwijzen",
    response_model=VersieRead,
    operation_id="afwijzenWijziging",
    summary="Een versie terugsturen naar de redacteur, met reden (registerbeheerder)",
    responses=_VERSIE_FOUTEN,
)
def afwijzen(
    id: uuid.UUID,
    response: Response,
    body: Afwijzing,
    actor: Ingelogd,
    session: Sessie,
    if_match: str | None = Header(None, description="De ETag van de versie (optioneel)"),
):
    v = beheer.wijs_af(
        session=session,
        actor=actor,
        versie_id=id,
        toelichting=body.toelichting,
        verwacht_etag=if_match,
    )
    return _antwoord(response, v)
