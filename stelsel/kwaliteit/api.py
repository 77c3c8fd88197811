"""API routes of the kwaliteit domain: the quality figures (`/kwaliteit/cijfers`) and their
series per period (`/kwaliteit/reeksen`), for the roles that steer the stelsel, each within its
scope (queries.binnen_bereik). Figures only: never a comment text or a person."""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from stelsel.accounts.deps import Ingelogd
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.errors import Ongeldig
from stelsel.kwaliteit import queries, schemas
from stelsel.kwaliteit.models import SEGMENTEN
from stelsel.register import service as register
from stelsel.register import taxonomie as tx
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.problems import fouten

router = APIRouter(tags=["kwaliteit"])
FOUTEN = fouten(400, 401, 403)
REGIO = Query(
    None,
    max_length=6,
    description="Code van een gemeente (GM0193), arbeidsmarktregio (AM01), COROP-gebied (CR03) "
    "of provincie (PV23)",
)


def filter_van(
    session: Session,
    *,
    regio: str | None,
    thema: str | None,
    aanbieder: str | None,
    van: date | None,
    tot: date | None,
    dienst: str | None = None,
    segment: str | None = None,
) -> queries.Filter:
    """The request's filter, each parameter checked (Ongeldig naming it)."""
    dienst_id = None
    if dienst is not None:
        d = register.get_dienst(session=session, dienst_id=dienst, ook_gearchiveerd=True)
        if d is None:
            raise Ongeldig("dienst", f"'{dienst}' is geen bekende dienst")
        dienst_id = d.id
    if segment is not None and segment not in SEGMENTEN:
        raise Ongeldig("segment", f"kies uit {', '.join(SEGMENTEN)}")
    if thema is not None and thema not in tx.codes(tx.THEMAS):
        raise Ongeldig("thema", f"'{thema}' is geen bekend thema")
    aanbieder_id = None
    if aanbieder is not None:
        a = register.get_aanbieder(session=session, aanbieder_id=aanbieder)
        if a is None:
            raise Ongeldig("aanbieder", f"'{aanbieder}' is geen bekende aanbieder")
        aanbieder_id = a.id
    if van is not None and tot is not None and tot < van:
        raise Ongeldig("tot", "ligt voor 'van'")
    return queries.Filter(
        regio=regio.upper() if regio else None,
        thema=thema,
        aanbieder_id=aanbieder_id,
        dienst_id=dienst_id,
        segment=segment,
        van=van,
        tot=tot,
    )


def _vandaag() -> date:
    return datetime.now(UTC).date()


@dataclass
class Keuze:
    """The filter both routes take from the query string."""

    regio: str | None = REGIO
    thema: str | None = Query(None, max_length=40)
    aanbieder: str | None = Query(None, max_length=100, description="UUID of slug")
    van: date | None = Query(None, description="Eerste dag (JJJJ-MM-DD)")
    tot: date | None = Query(None, description="Laatste dag, inbegrepen")


@dataclass
class CijferKeuze(Keuze):
    """The filter of /kwaliteit/cijfers: also a dienst and a segment."""

    dienst: str | None = Query(None, max_length=100, description="UUID of slug")
    segment: str | None = Query(None, max_length=20, description=", ".join(SEGMENTEN))


def _bereik(
    session: Session, actor: Actor, keuze: Keuze
) -> tuple[queries.Filter, queries.Geografie]:
    """The chosen filter, checked, within the caller's scope; and the geography it used."""
    g = queries.geografie(session)
    f = filter_van(session, **asdict(keuze))
    return queries.binnen_bereik(actor, f, g), g


@router.get(
    "/kwaliteit/cijfers",
    response_model=schemas.CijfersOut,
    responses=FOUTEN,
    summary="De kwaliteitscijfers van een regio, thema, aanbieder en periode",
)
def get_cijfers(
    actor: Ingelogd, session: Sessie, keuze: Annotated[CijferKeuze, Depends()]
) -> schemas.CijfersOut:
    f, g = _bereik(session, actor, keuze)
    o = queries.overzicht(
        session, f, minimum=get_settings().minimale_groep, vandaag=_vandaag(), g=g
    )
    return schemas.uit_overzicht(o)


@router.get(
    "/kwaliteit/reeksen",
    response_model=schemas.ReeksenOut,
    responses=FOUTEN,
    summary="De kwaliteitscijfers per maand, kwartaal of jaar",
)
def get_reeksen(
    actor: Ingelogd,
    session: Sessie,
    keuze: Annotated[Keuze, Depends()],
    per: Literal["maand", "kwartaal", "jaar"] = Query("maand"),
) -> schemas.ReeksenOut:
    f, g = _bereik(session, actor, keuze)
    minimum = get_settings().minimale_groep
    reeks = []
    for periode, o in queries.reeks(session, f, per, minimum=minimum, vandaag=_vandaag(), g=g):
        reeks.append(schemas.PeriodeOut(periode=periode, **schemas.uit_overzicht(o).model_dump()))
    return schemas.ReeksenOut(per=per, reeks=reeks)
