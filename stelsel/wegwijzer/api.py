"""Wegwijzer API route."""

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from stelsel.register import taxonomie as tx
from stelsel.web.deps import get_lees_session
from stelsel.wegwijzer import service
from stelsel.wegwijzer.schemas import (
    GemeenteKort,
    WegwijzerAanbieder,
    WegwijzerAntwoord,
    WegwijzerContact,
    WegwijzerDienst,
    WegwijzerKeuze,
    WegwijzerPlaats,
    WegwijzerResultaat,
    WegwijzerVervolgvraag,
    WegwijzerVraag,
)

router = APIRouter(tags=["wegwijzer"])


def toelichting(advies: service.Advies) -> str:
    """Plain-Dutch summary of the analysis."""
    if not advies.themas:
        return "We konden uw vraag niet goed plaatsen. Probeer het met andere woorden."
    labels = [tx.label(tx.THEMAS, c).lower() for c in advies.ook_over]
    tekst = f"Uw vraag gaat vooral over {tx.label(tx.THEMAS, advies.themas[0]).lower()}."
    if labels:
        tekst += " Uw vraag gaat ook over " + " en ".join(labels) + "."
    return tekst


@router.post(
    "/wegwijzer",
    response_model=WegwijzerAntwoord,
    operation_id="postWegwijzer",
    summary="De juiste diensten voor een vraag in eigen woorden",
)
def wegwijzer(body: WegwijzerVraag, session: Session = Depends(get_lees_session)):
    advies = service.advies(
        session=session,
        vraag=body.vraag,
        gemeente=body.gemeente,
        aantal=body.aantal,
        profiel=service.Profiel(fase=body.fase, grootte=body.grootte, sector=body.sector),
        bewaar_vraag=body.toestemming_opslaan_vraag,
        verduidelijking=body.verduidelijking,
    )
    vervolg = advies.vervolgvraag
    return WegwijzerAntwoord(
        themas=advies.themas,
        soort=advies.soort,
        ook_over=advies.ook_over,
        toelichting=toelichting(advies),
        gemeente=GemeenteKort(**advies.gemeente) if advies.gemeente else None,
        resultaten=[
            WegwijzerResultaat(
                dienst=WegwijzerDienst(
                    id=r.dienst_id,
                    slug=r.dienst_slug,
                    naam=r.dienst_naam,
                    url="/gemeenten" if r.regio_nodig else f"/diensten/{r.dienst_slug}",
                ),
                aanbieder=WegwijzerAanbieder(id=r.aanbieder_id, naam=r.aanbieder_naam),
                score=r.score,
                uitleg=r.uitleg,
                contact=WegwijzerContact(**vars(r.contact)) if r.contact else None,
                begin_hier=r.begin_hier,
                landelijk=r.landelijk,
                regio_nodig=r.regio_nodig,
            )
            for r in advies.resultaten
        ],
        verbeterd=advies.verbeterd,
        plaats=WegwijzerPlaats(**advies.plaats) if advies.plaats else None,
        plaats_suggesties=advies.plaats_suggesties,
        vervolgvraag=WegwijzerVervolgvraag(
            vraag=vervolg.vraag,
            keuzes=[WegwijzerKeuze(code=c, label=label) for c, label in vervolg.keuzes],
            parameter=vervolg.parameter,
        )
        if vervolg
        else None,
    )
