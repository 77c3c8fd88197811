"""The wegwijzer page: a question box, results as 'Begin hier' and 'Ook relevant'."""

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from stelsel.api import get_session
from stelsel.geo import service as geo
from stelsel.pages import render
from stelsel.wegwijzer import service
from stelsel.wegwijzer.api import toelichting

router = APIRouter(include_in_schema=False)


@router.get("/wegwijzer")
def wegwijzer(
    request: Request,
    vraag: str | None = None,
    gemeente: str | None = None,
    bewaren: str | None = None,
    session: Session = Depends(get_session),
):
    context: dict = {
        "menu": "wegwijzer",
        "vraag": vraag or "",
        "gemeente": gemeente or "",
        "bewaren": bool(bewaren),
        "fouten": {},
        "advies": None,
    }
    if vraag is not None:
        try:
            advies = service.advies(
                session=session,
                vraag=vraag,
                gemeente=gemeente,
                aantal=6,
                bewaar_vraag=bool(bewaren),
            )
            context.update(advies=advies, toelichting=toelichting(advies))
        except service.VraagOngeldig as e:
            context["fouten"]["vraag"] = f"Vul uw vraag in: {e}."
        except geo.GemeenteOnbekend as e:
            context["fouten"]["gemeente"] = str(e)
    status = 400 if context["fouten"] else 200
    return render(request, "wegwijzer/wegwijzer.html", context, status_code=status)
