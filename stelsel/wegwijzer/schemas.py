"""API shapes of the wegwijzer."""

from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from stelsel.wegwijzer.matching import Soort
from stelsel.wegwijzer.service import MAX_VRAAG


class WegwijzerVraag(BaseModel):
    vraag: str = Field(description="De vraag in eigen woorden.", max_length=MAX_VRAAG)
    gemeente: str | None = Field(
        None, max_length=100, description="Gemeente, woonplaats, CBS-code of postcode (4 cijfers)."
    )
    aantal: int = Field(5, ge=1, le=20, description="Hoeveel diensten terug (1–20).")
    fase: Literal["starter", "gevestigd"] | None = Field(None, description="Fase van het bedrijf.")
    grootte: Literal["zzp", "micro", "klein", "middelgroot"] | None = Field(
        None, description="Grootte van het bedrijf."
    )
    sector: str | None = Field(None, max_length=100, description="Sector, in eigen woorden.")
    # consent is a JSON true, never a string such as "yes" that pydantic would coerce
    toestemming_opslaan_vraag: StrictBool = Field(
        False, description="Mag de tekst van de vraag bewaard worden om het aanbod te verbeteren?"
    )
    verduidelijking: str | None = Field(
        None,
        max_length=40,
        description="Het antwoord op de vervolgvraag: de code van een van de keuzes.",
    )


class WegwijzerDienst(BaseModel):
    id: str
    slug: str
    naam: str
    url: str


class WegwijzerAanbieder(BaseModel):
    id: str
    naam: str


class WegwijzerContact(BaseModel):
    website: str = ""
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    van_aanbieder: bool = Field(
        False, description="De dienst heeft geen eigen gegevens: dit zijn die van de aanbieder."
    )


class WegwijzerKeuze(BaseModel):
    code: str
    label: str


class WegwijzerVervolgvraag(BaseModel):
    vraag: str = Field(description="Eén verduidelijkende vraag, zoals 'Gaat het om …?'")
    keuzes: list[WegwijzerKeuze]
    parameter: str = Field(
        "verduidelijking",
        description="Stel de vraag opnieuw met dit veld op de code van een keuze.",
    )


class WegwijzerPlaats(BaseModel):
    code: str
    naam: str
    woorden: str = Field(description="De woorden in de vraag die als plaats zijn gelezen.")


class WegwijzerResultaat(BaseModel):
    dienst: WegwijzerDienst
    aanbieder: WegwijzerAanbieder
    score: float
    uitleg: list[str] = Field(
        description="Waarom deze dienst: korte zinnen in gewone taal (wat in de vraag past bij "
        "wat in de dienst, waarom deze regio, waarom boven de volgende)."
    )
    contact: WegwijzerContact | None = Field(None, description="Hoe u deze deur bereikt.")
    begin_hier: bool = Field(description="De beste eerste deur voor deze vraag.")
    landelijk: bool
    regio_nodig: bool = Field(
        False,
        description="Een loket dat er in elke regio is (werkgeversservicepunt, gemeente, …): "
        "de vraag had geen gemeente, dus `dienst` is een voorbeeld; vraag opnieuw met een "
        "gemeente voor het loket in de eigen regio. `dienst.url` wijst dan naar de gemeenten.",
    )


class GemeenteKort(BaseModel):
    code: str
    naam: str
    provincie: str


class WegwijzerAntwoord(BaseModel):
    themas: list[str] = Field(
        description="Themacodes waar de vraag over gaat, belangrijkste eerst."
    )
    soort: Soort
    ook_over: list[str] = Field(description="Thema's naast het belangrijkste.")
    toelichting: str = Field(
        description="Korte uitleg in gewone taal, zoals 'Uw vraag gaat ook over personeel.'"
    )
    gemeente: GemeenteKort | None
    resultaten: list[WegwijzerResultaat]
    verbeterd: dict[str, str] = Field(description="Woorden die als tikfout zijn verbeterd.")
    plaats: WegwijzerPlaats | None = Field(
        None, description="Een gemeente die in de tekst van de vraag is herkend."
    )
    plaats_suggesties: list[str] = Field(
        default_factory=list, description="Plaatsnamen die bedoeld kunnen zijn ('Bedoelt u …?')."
    )
    vervolgvraag: WegwijzerVervolgvraag | None = Field(
        None, description="Een verduidelijkende vraag als de vraag kort of dubbelzinnig is."
    )
