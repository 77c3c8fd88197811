"""API shapes of the analyse domain."""

from pydantic import BaseModel, ConfigDict, Field

from stelsel.register import taxonomie as tx


class Gebied(BaseModel):
    soort: str = Field(description="provincie, arbeidsmarktregio, corop of gemeente")
    code: str


class DienstIn(BaseModel):
    """A proposed dienst in the register's own shape, or `dienst`: an existing one to test."""

    model_config = ConfigDict(extra="forbid")

    dienst: str | None = Field(
        None, max_length=160, description="Slug of id van een bestaande dienst om te toetsen"
    )
    naam: str = Field("", max_length=250)
    omschrijving: str = Field("", max_length=5000)
    aanbieder: str = Field("", max_length=200)
    soort: str = Field("", max_length=30, description=", ".join(tx.codes(tx.DIENST_SOORTEN)))
    themas: list[str] = Field(default_factory=list, max_length=20)
    fasen: list[str] = Field(default_factory=list, max_length=10)
    doelgroepen: list[str] = Field(default_factory=list, max_length=20)
    werkgebied: list[str | Gebied] = Field(
        default_factory=list,
        max_length=400,
        description="Codes (PV20, AM01, CR01, GM0014) of gebieden; leeg is landelijk",
    )
    trefwoorden: list[str] = Field(default_factory=list, max_length=50)


class DienstKort(BaseModel):
    slug: str
    naam: str
    aanbieder: str
    landelijk: bool


class OverlapRead(BaseModel):
    dienst: DienstKort
    score: float
    delen: dict[str, float] = Field(description="Deelscores: gebied, thema, fase, doelgroep, ...")
    redenen: list[str]
    netwerk: int = Field(
        description="Aantal gelijke diensten elders (zelfde dienst per gemeente) dat dit "
        "resultaat samen vertegenwoordigt"
    )


class GatRead(BaseModel):
    thema: str
    fase: str
    gemeenten: int
    leeg: int
    zonder_persoonlijk: int


class VraagThema(BaseModel):
    signalen: int | None = Field(description="Leeg: minder dan de minimale groep")
    zonder_deur: int | None
    hulpvragen: int | None
    doorverwijzingen: int | None


class Vraag(BaseModel):
    dagen: int
    minimum: int
    per_thema: dict[str, VraagThema]


class ToetsRead(BaseModel):
    oordeel: str = Field(description="aanvullend, gedeeltelijk_overlappend of dubbel")
    redenen: list[str]
    overlap: list[OverlapRead]
    gaten: list[GatRead]
    gemeenten: int = Field(description="Aantal gemeenten in het werkgebied")
    kandidaten: int
    vraag: Vraag


class CelRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rij: str
    kolom: str
    aantal: int
    regionaal: int
    persoonlijk: int
    regionaal_persoonlijk: int
    wit: str | None
    witte_gemeenten: int
    max_regionaal: int
    overlap: bool


class BasischeckRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    gemeente: str
    naam: str
    compleet: bool
    onderdelen: dict[str, str] = Field(description="lokaal, landelijk of ontbreekt per onderdeel")
    voorbeelden: dict[str, list[str]]


class GemeenteRead(BaseModel):
    code: str
    naam: str
    dekking: float


class ScanRead(BaseModel):
    code: str
    soort: str
    naam: str
    aantal_diensten: int
    landelijk: int
    regionaal: int
    gini: float = Field(description="Gini-coëfficiënt van de dekking over de gemeenten")
    gemeenten: list[GemeenteRead]
    thema_fase: list[CelRead]
    thema_doelgroep: list[CelRead]
    witte_vlekken: list[CelRead]
    overlappen: list[CelRead]
    basisinfrastructuur: list[BasischeckRead]


class VraagAanbodRijRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    thema: str
    signalen: int | None
    zonder_deur: int | None
    hulpvragen: int | None
    doorverwijzingen: int | None
    vraag_klein: bool
    diensten: int
    regionaal: int
    persoonlijk: int
    gemeenten_zonder_persoonlijk: int
    onderbediend: bool
    redenen: list[str]


class VraagAanbodRead(BaseModel):
    code: str
    naam: str
    minimum: int
    dagen: int
    themas: list[VraagAanbodRijRead]
