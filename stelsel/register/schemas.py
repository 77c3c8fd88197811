"""API shapes of the register."""

import uuid
from datetime import date

from pydantic import BaseModel, Field

from stelsel.register import taxonomie as tx
from stelsel.register.models import Aanbieder, Dienst


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
    aantal_diensten: int


class Gebied(BaseModel):
    soort: str = Field(description="provincie, arbeidsmarktregio, corop of gemeente")
    code: str
    naam: str


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
    website: str


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
        aantal_diensten=aantal_diensten,
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
    )
