"""API shapes of the register."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field
from pydantic_core import to_json

from stelsel.register import service
from stelsel.register.models import Aanbieder


def utc(t: datetime) -> datetime:
    """A stored timestamp with its offset: SQLite hands back naive datetimes, all in UTC."""
    return t if t.tzinfo else t.replace(tzinfo=UTC)


class AanbiederKort(BaseModel):
    id: uuid.UUID
    slug: str
    naam: str
    korte_naam: str = ""


class AanbiederRead(AanbiederKort):
    soort: str
    niveau: str
    eerstelijns: bool
    tweedelijns: bool
    website: str
    email: str
    telefoon: str
    omschrijving: str
    bron: str
    gecontroleerd_op: date = Field(
        description="Datum waarop de gegevens laatst zijn gecontroleerd."
    )
    kvk_nummer: str = ""
    bezoekadres: str = ""
    postadres: str = ""
    openingstijden: str = ""
    bijgewerkt_op: datetime = Field(description="Laatst gewijzigd (met tijdzone).")
    aantal_diensten: int


class Gebied(BaseModel):
    soort: str = Field(description="provincie, arbeidsmarktregio, corop of gemeente")
    code: str
    naam: str


class ContactRead(BaseModel):
    """How to reach the dienst. A field the dienst does not have of its own comes from its
    aanbieder: `van_aanbieder_velden` names those, `van_aanbieder` is true when all do."""

    website: str
    telefoon: str
    email: str
    adres: str
    openingstijden: str
    van_aanbieder: bool
    van_aanbieder_velden: list[str]


class DienstRead(BaseModel):
    id: uuid.UUID
    slug: str
    naam: str
    omschrijving: str
    aanbieder: AanbiederKort
    themas: list[str]
    transitiethemas: list[str]
    soort: str
    fasen: list[str]
    doelgroepen: list[str]
    kanalen: list[str]
    kosten: str
    landelijk: bool
    werkgebied: list[Gebied]
    geldig_van: date | None = None
    geldig_tot: date | None = None
    trefwoorden: list[str]
    website: str = Field(description="Eigen webpagina van de dienst (leeg: zie contact).")
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    talen: list[str] = Field(default_factory=list, description="Taalcodes (ISO 639)")
    kosten_toelichting: str = ""
    wachttijd: str = ""
    upl_uri: str = Field("", description="Product op de Uniforme Productnamenlijst")
    bron: str = ""
    gecontroleerd_op: date | None = Field(
        None, description="Laatst gecontroleerd (leeg: die van de aanbieder geldt)."
    )
    bijgewerkt_op: datetime = Field(description="Laatst gewijzigd (met tijdzone).")
    contact: ContactRead


class ThemaRead(BaseModel):
    code: str
    naam: str
    omschrijving: str
    soort: str = Field(description="thema of transitiethema")


class AanbiederPagina(BaseModel):
    resultaten: list[AanbiederRead]
    totaal: int
    volgende: str | None


class DienstPagina(BaseModel):
    resultaten: list[DienstRead]
    totaal: int
    volgende: str | None


def aanbieder_read(a: Aanbieder, aantal_diensten: int) -> AanbiederRead:
    """An aanbieder as the API shows it: its row's fields of the same name, and these two."""
    eigen: dict[str, Any] = {
        "bijgewerkt_op": utc(a.bijgewerkt_op),
        "aantal_diensten": aantal_diensten,
    }
    velden = {k: getattr(a, k) for k in AanbiederRead.model_fields if k not in eigen}
    return AanbiederRead.model_validate({**velden, **eigen})


def dienst_waarden(
    d: service.DienstGegevens, gebiedsnamen: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """A dienst as DienstRead holds it, as plain values in DienstRead's field order, so that
    pydantic_core.to_json writes what DienstRead would (without building the model: that, and
    the ORM objects before it, took most of a list request's time). Checked against DienstRead
    over the whole register in tests/register/test_api_json.py."""
    k, a, c = d.kolommen, d.aanbieder, d.contact
    return {
        "id": k["id"],
        "slug": k["slug"],
        "naam": k["naam"],
        "omschrijving": k["omschrijving"],
        "aanbieder": {
            "id": a["id"],
            "slug": a["slug"],
            "naam": a["naam"],
            "korte_naam": a["korte_naam"],
        },
        "themas": d.codes("thema"),
        "transitiethemas": d.codes("transitiethema"),
        "soort": k["soort"],
        "fasen": d.codes("fase"),
        "doelgroepen": d.codes("doelgroep"),
        "kanalen": d.codes("kanaal"),
        "kosten": k["kosten"],
        "landelijk": k["landelijk"],
        "werkgebied": [
            {"soort": s, "code": code, "naam": gebiedsnamen.get((s, code), code)}
            for s, code in d.werkgebied
        ],
        "geldig_van": k["geldig_van"],
        "geldig_tot": k["geldig_tot"],
        "trefwoorden": [t for t in k["trefwoorden"].split(";") if t],
        "website": k["website"],
        "telefoon": k["telefoon"],
        "email": k["email"],
        "adres": k["adres"],
        "openingstijden": k["openingstijden"],
        "talen": d.codes("taal"),
        "kosten_toelichting": k["kosten_toelichting"],
        "wachttijd": k["wachttijd"],
        "upl_uri": k["upl_uri"],
        "bron": k["bron"],
        "gecontroleerd_op": k["gecontroleerd_op"],
        "bijgewerkt_op": utc(k["bijgewerkt_op"]),
        "contact": {
            "website": c.website,
            "telefoon": c.telefoon,
            "email": c.email,
            "adres": c.adres,
            "openingstijden": c.openingstijden,
            "van_aanbieder": c.van_aanbieder,
            "van_aanbieder_velden": list(c.van_aanbieder_velden),
        },
    }


def json_antwoord(waarden: object, status_code: int = 200) -> Response:
    """A JSON answer of plain values, written as FastAPI writes a response model (pydantic's
    serializer: the same bytes for the same values), without validating a model first."""
    return Response(to_json(waarden), status_code=status_code, media_type="application/json")


class VerouderdRead(BaseModel):
    slug: str
    naam: str
    aanbieder_slug: str
    aanbieder_naam: str
    gecontroleerd_op: date


class VerouderdPagina(BaseModel):
    resultaten: list[VerouderdRead]
    totaal: int
    volgende: str | None


class ActualiteitRead(BaseModel):
    soort: str
    code: str
    naam: str
    diensten: int = Field(
        description="Regionale en lokale diensten die (een deel van) de regio bedienen"
    )
    actueel: int = Field(description="Daarvan in de laatste 12 maanden gecontroleerd")
    aandeel: float | None = Field(description="actueel / diensten (leeg als er geen zijn)")
