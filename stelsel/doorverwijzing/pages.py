"""Referral pages: inbox and outbox, a case with its chain, the referral form with
suggestions from the wegwijzer, a referral's actions, and the entrepreneur's private page.
Forms carry a CSRF token bound to the visitor's (pre-)session (stelsel.web.csrf)."""

import json
import uuid

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from stelsel.accounts.deps import huidige_actor
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.errors import Conflict, Ongeldig, Verboden
from stelsel.web.csrf import check_csrf, csrf_token
from stelsel.web.deps import get_session
from stelsel.web.pages import als_melding, formulierfouten, render, templates

router = APIRouter(include_in_schema=False)
TOESTEMMINGSTEKST_VERSIE = "2026-11-v1"
templates.env.globals["STATUS_LABELS"] = {
    lc.VERZONDEN: "Verzonden",
    lc.ONTVANGEN: "Ontvangen",
    lc.GEACCEPTEERD: "Geaccepteerd",
    lc.GEWEIGERD: "Geweigerd",
    lc.IN_BEHANDELING: "In behandeling",
    lc.AANGEHOUDEN: "Aangehouden",
    lc.AFGEROND: "Afgerond",
    lc.GEANNULEERD: "Geannuleerd",
    lc.MISLUKT: "Mislukt",
}
templates.env.globals["REDEN_LABELS"] = {**lc.REDENEN, lc.VERLOPEN: "Verlopen: geen antwoord"}


def _page(request: Request, name: str, ctx: dict, status_code: int = 200):
    ctx.setdefault("menu", "doorverwijzingen")
    ctx["csrf"] = csrf_token(request)
    return render(request, name, ctx, status_code=status_code)


def _naar_login(request: Request) -> RedirectResponse:
    """Send a caller who is not logged in to the login form, and back here afterwards."""
    return RedirectResponse(f"/inloggen?verder={request.url.path}", status_code=303)


@router.get("/doorverwijzingen")
def lijst(
    request: Request,
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        return _naar_login(request)
    inbox, _ = service.get_all(session=session, actor=actor, richting="in", limit=100)
    outbox, _ = service.get_all(session=session, actor=actor, richting="uit", limit=100)
    return _page(
        request,
        "doorverwijzing/lijst.html",
        {
            "inbox": inbox,
            "outbox": outbox,
            "naam": lambda i: service.aanbieder_naam(session=session, aanbieder_id=i),
            "te_laat": service.te_laat,
        },
    )


def _nieuw_formulier(request: Request, fouten: dict, invoer: dict, status_code: int = 200):
    """The intake form, empty or with the entered values and what is wrong with them."""
    return _page(
        request,
        "doorverwijzing/hulpvraag_nieuw.html",
        {
            "fouten": fouten,
            "invoer": invoer,
            "versie": TOESTEMMINGSTEKST_VERSIE,
            "werkdagen": get_settings().eerste_contact_werkdagen,
        },
        status_code,
    )


@router.get("/hulpvragen/nieuw")
def nieuw_form(request: Request, actor: Actor | None = Depends(huidige_actor)):
    if actor is None:
        return _naar_login(request)
    return _nieuw_formulier(request, {}, {})


@router.post("/hulpvragen/nieuw")
def nieuw(
    request: Request,
    naam: str = Form(""),
    email: str = Form(""),
    telefoon: str = Form(""),
    kvk_nummer: str = Form(""),
    vraag: str = Form(""),
    gemeente: str = Form(""),
    urgentie: str = Form("normaal"),
    toestemming: str = Form(""),
    csrf: str = Form(""),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    check_csrf(request, csrf)
    if actor is None:
        return _naar_login(request)
    invoer = {
        "urgentie": urgentie,
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "kvk_nummer": kvk_nummer,
        "vraag": vraag,
        "gemeente": gemeente,
        "toestemming": bool(toestemming),
    }
    with formulierfouten() as fouten:
        h, code = service.create_hulpvraag(
            session=session,
            actor=actor,
            data=service.NieuweHulpvraag(
                naam=naam,
                email=email,
                telefoon=telefoon or None,
                kvk_nummer=kvk_nummer or None,
                vraag=vraag,
                gemeente=gemeente or None,
                urgentie=urgentie,
                delen_met_ontvanger=bool(toestemming),
                tekst_versie=TOESTEMMINGSTEKST_VERSIE,
            ),
        )
    if fouten.fout:
        veld = fouten.fout.veld.split(".")[-1]
        return _nieuw_formulier(request, {veld: fouten.fout.reden}, invoer, 400)
    request.session["nieuwe_link"] = f"/mijn-hulpvraag/{code}"
    return RedirectResponse(f"/hulpvragen/{h.id}", status_code=303)


@router.get("/hulpvragen/{hulpvraag_id}")
def hulpvraag(
    hulpvraag_id: uuid.UUID,
    request: Request,
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        return _naar_login(request)
    h = service.get_hulpvraag(
        session=session, actor=actor, hulpvraag_id=hulpvraag_id, doel="hulpvraag bekijken"
    )
    keten = service.keten(session=session, hulpvraag_id=h.id)
    return _page(
        request,
        "doorverwijzing/hulpvraag.html",
        {
            "h": h,
            "keten": keten,
            "kenmerken": service.keten_kenmerken(keten),
            "suggesties": service.suggesties(session=session, actor=actor, hulpvraag=h),
            "naam": lambda i: service.aanbieder_naam(session=session, aanbieder_id=i),
            "nieuwe_link": request.session.pop("nieuwe_link", None),
            "fout": request.session.pop("fout", None),
        },
    )


@router.post("/hulpvragen/{hulpvraag_id}/doorverwijzen")
def doorverwijzen(
    hulpvraag_id: uuid.UUID,
    request: Request,
    naar_aanbieder: str = Form(""),
    dienst: str = Form(""),
    notitie: str = Form(""),
    csrf: str = Form(""),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    check_csrf(request, csrf)
    if actor is None:
        return _naar_login(request)
    with als_melding(request):
        dv = service.create_doorverwijzing(
            session=session,
            actor=actor,
            hulpvraag_id=hulpvraag_id,
            naar_aanbieder=naar_aanbieder,
            dienst=dienst or None,
            notitie=notitie,
        )
        return RedirectResponse(f"/doorverwijzingen/{dv.id}", status_code=303)
    return RedirectResponse(f"/hulpvragen/{hulpvraag_id}", status_code=303)


@router.get("/doorverwijzingen/{doorverwijzing_id}")
def doorverwijzing(
    doorverwijzing_id: uuid.UUID,
    request: Request,
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        return _naar_login(request)
    i = service.get(session=session, actor=actor, doorverwijzing_id=doorverwijzing_id)
    dv, partij = i.doorverwijzing, i.partij
    stappen = lc.stappen_voor(dv.status, partij)
    return _page(
        request,
        "doorverwijzing/doorverwijzing.html",
        {
            "dv": dv,
            "partij": partij,
            "stappen": stappen,
            "zichtbaar": i.zichtbaar,
            "redenen": lc.REDENEN,
            "naam": lambda i: service.aanbieder_naam(session=session, aanbieder_id=i),
            "te_laat": service.te_laat(dv),
            "uitkomsten": lc.UITKOMSTEN,
            "fout": request.session.pop("fout", None),
        },
    )


@router.post("/doorverwijzingen/{doorverwijzing_id}/status")
def status(
    doorverwijzing_id: uuid.UUID,
    request: Request,
    status: str = Form(""),
    reden_code: str = Form(""),
    reden: str = Form(""),
    uitkomst: str = Form(""),
    csrf: str = Form(""),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    check_csrf(request, csrf)
    if actor is None:
        return _naar_login(request)
    with als_melding(request, (Ongeldig, Conflict, Verboden)):
        service.wijzig_status(
            session=session,
            actor=actor,
            doorverwijzing_id=doorverwijzing_id,
            status=status,
            reden_code=reden_code or None,
            reden=reden or None,
            uitkomst=uitkomst or None,
        )
    return RedirectResponse(f"/doorverwijzingen/{doorverwijzing_id}", status_code=303)


@router.get("/mijn-hulpvraag/{code}")
def mijn_hulpvraag(code: str, request: Request, session: Session = Depends(get_session)):
    h = service.by_toegangscode(session=session, code=code)
    if h is None:
        raise HTTPException(404, "Deze link klopt niet of is verlopen.")
    keten = service.keten(session=session, hulpvraag_id=h.id)
    return _page(
        request,
        "doorverwijzing/mijn_hulpvraag.html",
        {
            "menu": None,
            "h": h,
            "keten": keten,
            "code": code,
            "naam": lambda i: service.aanbieder_naam(session=session, aanbieder_id=i),
            "ingetrokken": h.ingetrokken_op is not None,
        },
    )


@router.post("/mijn-hulpvraag/{code}/intrekken")
def intrekken(
    code: str, request: Request, csrf: str = Form(""), session: Session = Depends(get_session)
):
    check_csrf(request, csrf)
    h = service.by_toegangscode(session=session, code=code)
    if h is None:
        raise HTTPException(404, "Deze link klopt niet of is verlopen.")
    service.trek_toestemming_in(session=session, hulpvraag=h, door=None)
    return RedirectResponse(f"/mijn-hulpvraag/{code}", status_code=303)


@router.post("/mijn-hulpvraag/{code}/verwijderen")
def verwijderen(
    code: str, request: Request, csrf: str = Form(""), session: Session = Depends(get_session)
):
    check_csrf(request, csrf)
    h = service.by_toegangscode(session=session, code=code)
    if h is None:
        raise HTTPException(404, "Deze link klopt niet of is verlopen.")
    service.anonimiseer(session=session, hulpvraag=h, door=None, doel="verwijderverzoek ondernemer")
    return RedirectResponse(f"/mijn-hulpvraag/{code}", status_code=303)


@router.get("/mijn-hulpvraag/{code}/inzage")
def mijn_inzage(code: str, session: Session = Depends(get_session)):
    h = service.by_toegangscode(session=session, code=code)
    if h is None:
        raise HTTPException(404, "Deze link klopt niet of is verlopen.")
    body = json.dumps(
        service.inzage(session=session, hulpvraag=h, door=None), ensure_ascii=False, indent=1
    )
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens.json"'},
    )
