"""Pages of the kwaliteit domain: the questionnaire behind an invitation's link and the
anonymous feedback widget. (The dashboards are in their own router.) Both work without
JavaScript; errors are shown all at once above the form."""

import time

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from stelsel.kwaliteit import demo, enquete, feedback
from stelsel.kwaliteit.models import WAAROM_MAX
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.limiet import Limiet
from stelsel.web.pages import bij_fout, formulierfouten, render, templates
from stelsel.web.sessies import staat

router = APIRouter(include_in_schema=False)

VRAGEN = {
    "csat": "Welk cijfer geeft u de hulp die u kreeg?",
    "ces": "Hoe gemakkelijk was het om de juiste informatie en advies te vinden?",
    "opgelost": "Is uw vraag opgelost?",
    "nps": "Zou u deze hulp aanraden aan een andere ondernemer?",
    "aantal_organisaties": "Met hoeveel organisaties had u contact over deze vraag?",
    "opmerking": "Wilt u nog iets kwijt? (niet verplicht)",
    "fase": "Hoe lang bestaat uw bedrijf? (niet verplicht)",
    "grootte": "Hoeveel mensen werken er in uw bedrijf, uzelf meegeteld? (niet verplicht)",
}
CES_LABELS = {
    1: "Heel moeilijk",
    2: "Moeilijk",
    3: "Niet moeilijk, niet makkelijk",
    4: "Makkelijk",
    5: "Heel makkelijk",
}


def _enquete_pagina(
    request: Request, token: str, fouten: dict[str, str], invoer: dict, status: int = 200
):
    return render(
        request,
        "kwaliteit/enquete.html",
        {
            "token": token,
            "fouten": fouten,
            "invoer": invoer,
            "VRAGEN": VRAGEN,
            "CES_LABELS": CES_LABELS,
            "OPGELOST_LABELS": enquete.OPGELOST_LABELS,
            "KEUZES": {"fase": enquete.FASE_LABELS, "grootte": enquete.GROOTTE_LABELS},
            "csrf": csrf_token(request),
        },
        status_code=status,
    )


@router.get("/enquete/bedankt")
def bedankt(request: Request):
    return render(request, "kwaliteit/enquete_bedankt.html")


@router.get("/enquete/{token}")
def vragenlijst(token: str, request: Request, session: Sessie):
    """The questionnaire; a link already used shows that, a forged or expired one is a 404."""
    if enquete.open_link(session=session, token=token).beantwoord:
        return render(request, "kwaliteit/enquete_al_ingevuld.html", status_code=409)
    return _enquete_pagina(request, token, {}, {})


def _al_ingevuld(request: Request):
    return render(request, "kwaliteit/enquete_al_ingevuld.html", status_code=409)


@router.post("/enquete/{token}", dependencies=MET_CSRF)
@bij_fout(enquete.AlBeantwoord, _al_ingevuld)  # a submit in another tab won the race
def vul_in(
    token: str,
    request: Request,
    session: Sessie,
    csat: str = Form(""),
    ces: str = Form(""),
    opgelost: str = Form(""),
    nps: str = Form(""),
    aantal_organisaties: str = Form(""),
    opmerking: str = Form(""),
    fase: str = Form(""),
    grootte: str = Form(""),
):
    antwoorden = enquete.Antwoorden(
        csat, ces, opgelost, nps, aantal_organisaties, opmerking, fase, grootte
    )
    invoer = antwoorden.__dict__
    if enquete.open_link(session=session, token=token).beantwoord:
        return _al_ingevuld(request)
    _, fouten = enquete.controleer(antwoorden)
    if fouten:
        return _enquete_pagina(request, token, fouten, invoer, 400)
    enquete.beantwoord(session=session, token=token, antwoorden=antwoorden)
    return RedirectResponse("/enquete/bedankt", status_code=303)


@router.post("/feedback", dependencies=MET_CSRF)
def geef_feedback(
    request: Request,
    session: Sessie,
    soort: str = Form(""),
    geholpen: str = Form(""),
    waarom: str = Form(""),
    dienst: str = Form(""),
    thema: str = Form(""),
    gemeente: str = Form(""),
):
    """Store one anonymous feedback and go back to the page with a thank-you."""
    if not _binnen_limiet(request):
        raise HTTPException(429, "U heeft net al veel reacties gegeven. Probeer het later opnieuw.")
    invoer = feedback.FeedbackIn(soort, geholpen, waarom, dienst, thema, gemeente)
    with formulierfouten() as gevonden:
        gegeven = feedback.geef(session=session, invoer=invoer)
    if gevonden.fout:
        return render(
            request,
            "kwaliteit/feedback.html",
            {
                "fouten": {
                    f"feedback-{v}" if v in FEEDBACK_FOUTEN else "algemeen": FEEDBACK_FOUTEN.get(
                        v, "Er ging iets mis met dit formulier. Ga terug en probeer het opnieuw."
                    )
                    for v in gevonden.velden
                },
                "invoer": invoer,
                "csrf": csrf_token(request),
            },
            status_code=400,
        )
    terug = f"/diensten/{gegeven.dienst_slug}" if gegeven.dienst_slug else "/wegwijzer"
    return RedirectResponse(f"{terug}?feedback=bedankt#feedback", status_code=303)


# A cheap limit against a flood from one visitor: at most FEEDBACK_PER_VENSTER posts per
# FEEDBACK_VENSTER_SECONDEN per session (stelsel.web.limiet: per worker, in memory only).
FEEDBACK_PER_VENSTER = 10
FEEDBACK_VENSTER_SECONDEN = 600.0
feedback_limiet = Limiet(aantal=FEEDBACK_PER_VENSTER, seconden=FEEDBACK_VENSTER_SECONDEN)


def _binnen_limiet(request: Request) -> bool:
    s = staat(request)
    return s is None or not feedback_limiet.neem(Limiet.sleutel("feedback", s.id))


FEEDBACK_FOUTEN = {
    "geholpen": "Kies ja of nee.",
    "waarom": f"Uw uitleg is te lang: hooguit {WAAROM_MAX} tekens.",
}


# The demo banner: every page asks whether demo data is present; the answer is kept for a
# while per application, so most requests run no query for it.
DEMO_CACHE_SECONDEN = 30.0


def demo_actief(request: Request) -> bool:
    """Whether demo data is present (cached per app for DEMO_CACHE_SECONDEN)."""
    state = request.app.state
    nu = time.monotonic()
    bewaard = getattr(state, "kwaliteit_demo", None)
    if bewaard is not None and nu - bewaard[0] < DEMO_CACHE_SECONDEN:
        return bewaard[1]
    sessie = getattr(request.state, "sessie", None)
    if sessie is None:
        return bool(bewaard and bewaard[1])
    try:
        waarde = demo.aanwezig(session=sessie)
    except Exception:  # a page rendered after its session failed: no banner is better than none
        return bool(bewaard and bewaard[1])
    state.kwaliteit_demo = (nu, waarde)
    return waarde


templates.env.globals.update(feedback_csrf=csrf_token, demo_actief=demo_actief)
