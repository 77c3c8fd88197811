"""API shapes of the register."""

import uuid
from datetime import UTC, date, datetime

from pydantic import BaseModel, Field

from stelsel.register import service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Aanbieder, Dienst


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


def aanbieder_kort(a: Aanbieder) -> AanbiederKort:
    return AanbiederKort(id=a.id, slug=a.slug, naam=a.naam, korte_naam=a.korte_naam)


def aanbieder_read(a: Aanbieder, aantal_diensten: int) -> AanbiederRead:
    return AanbiederRead(
        **aanbieder_kort(a).model_dump(),
        soort=a.soort,
        niveau=a.niveau,
        eerstelijns=a.eerstelijns,
        tweedelijns=a.tweedelijns,
        website=a.website,
        email=a.email,
        telefoon=a.telefoon,
        omschrijving=a.omschrijving,
        bron=a.bron,
        gecontroleerd_op=a.gecontroleerd_op,
        kvk_nummer=a.kvk_nummer,
        bezoekadres=a.bezoekadres,
        postadres=a.postadres,
        openingstijden=a.openingstijden,
        bijgewerkt_op=utc(a.bijgewerkt_op),
        aantal_diensten=aantal_diensten,
    )


def contact_read(c: service.Contact) -> ContactRead:
    return ContactRead(
        website=c.website,
        telefoon=c.telefoon,
        email=c.email,
        adres=c.adres,
        openingstijden=c.openingstijden,
        van_aanbieder=c.van_aanbieder,
        van_aanbieder_velden=list(c.van_aanbieder_velden),
    )


def dienst_read(d: Dienst, gebiedsnamen: dict[tuple[str, str], str]) -> DienstRead:
    order = {s: i for i, s in enumerate(tx.WERKGEBIED_SOORTEN)}
    werkgebied = sorted(d.werkgebied, key=lambda w: (order[w.soort], w.code))
    return DienstRead(
        id=d.id,
        slug=d.slug,
        naam=d.naam,
        omschrijving=d.omschrijving,
        aanbieder=aanbieder_kort(d.aanbieder),
        themas=d.codes("thema"),
        transitiethemas=d.codes("transitiethema"),
        soort=d.soort,
        fasen=d.codes("fase"),
        doelgroepen=d.codes("doelgroep"),
        kanalen=d.codes("kanaal"),
        kosten=d.kosten,
        landelijk=d.landelijk,
        werkgebied=[
            Gebied(soort=w.soort, code=w.code, naam=gebiedsnamen.get((w.soort, w.code), w.code))
            for w in werkgebied
        ],
        geldig_van=d.geldig_van,
        geldig_tot=d.geldig_tot,
        trefwoorden=[t for t in d.trefwoorden.split(";") if t],
        website=d.website,
        telefoon=d.telefoon,
        email=d.email,
        adres=d.adres,
        openingstijden=d.openingstijden,
        talen=d.codes("taal"),
        kosten_toelichting=d.kosten_toelichting,
        wachttijd=d.wachttijd,
        upl_uri=d.upl_uri,
        bron=d.bron,
        gecontroleerd_op=d.gecontroleerd_op,
        bijgewerkt_op=utc(d.bijgewerkt_op),
        contact=contact_read(service.contact(d)),
    )


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
