"""API shapes of the geography."""

from pydantic import BaseModel

from stelsel.geo.service import GemeenteWaarde


class Regio(BaseModel):
    code: str
    naam: str


class GemeenteRead(BaseModel):
    code: str
    naam: str
    provincie: Regio
    corop: Regio
    arbeidsmarktregio: Regio
    inwoners: int | None = None


class GemeentePagina(BaseModel):
    resultaten: list[GemeenteRead]
    totaal: int
    volgende: str | None


def gemeente_read(g: GemeenteWaarde) -> GemeenteRead:
    return GemeenteRead(
        code=g.code,
        naam=g.naam,
        provincie=Regio(code=g.provincie.code, naam=g.provincie.naam),
        corop=Regio(code=g.corop.code, naam=g.corop.naam),
        arbeidsmarktregio=Regio(code=g.arbeidsmarktregio.code, naam=g.arbeidsmarktregio.naam),
        inwoners=g.inwoners,
    )


class RegioKort(BaseModel):
    """A provincie, arbeidsmarktregio or COROP-gebied in a list."""

    code: str
    naam: str
    aantalGemeenten: int  # noqa: N815 (API field names are camelCase)
    url: str


class RegioPagina(BaseModel):
    resultaten: list[RegioKort]
    totaal: int
    volgende: str | None


class RegioRead(BaseModel):
    """A region with its gemeenten."""

    code: str
    naam: str
    gemeenten: list[Regio]
