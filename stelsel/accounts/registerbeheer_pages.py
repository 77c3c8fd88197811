"""Registerbeheer pages: an editor's own entries, edit forms, submitting for review, the review
queue with the diff, publishing and rejecting, history with restore. Plain HTML forms (no
script needed), CSRF on every post, every error of a form listed at the top and at its field.
The rules are in accounts.registerbeheer and the register's service; these routes only read
the form, call one function and render."""

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from stelsel.accounts import registerbeheer as beheer
from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.deps import MisschienActor, PaginaActor
from stelsel.accounts.rollen import Actor
from stelsel.errors import NietGevonden, Verboden
from stelsel.register import service as register
from stelsel.register import taxonomie as tx
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.pages import render

router = APIRouter(include_in_schema=False)

SOORTEN = {"aanbieders": "aanbieder", "diensten": "dienst"}
STATUS_TEKST = {
    "concept": "Concept",
    "ter_beoordeling": "Ter beoordeling",
    "gepubliceerd": "Gepubliceerd",
    "gearchiveerd": "Gearchiveerd",
}
ACTIE_TEKST = {
    "begin": "Eerste versie",
    "aanmaken": "Nieuw",
    "wijzigen": "Gewijzigd",
    "archiveren": "Archiveren",
    "herstellen": "Teruggezet",
}


def _veld(naam, label, soort="text", opties=(), hint="", verplicht=False):
    return {
        "naam": naam,
        "label": label,
        "soort": soort,
        "opties": [(t.code, t.naam) for t in opties],
        "hint": hint,
        "verplicht": verplicht,
    }


VELDEN = {
    "aanbieder": [
        _veld("naam", "Naam", verplicht=True),
        _veld("korte_naam", "Korte naam of afkorting"),
        _veld("soort", "Soort organisatie", "select", tx.AANBIEDER_SOORTEN, verplicht=True),
        _veld("niveau", "Niveau", "select", tx.NIVEAUS, verplicht=True),
        _veld("eerstelijns", "Eerste aanspreekpunt dat doorverwijst", "vinkje"),
        _veld("tweedelijns", "Specialistische hulp", "vinkje"),
        _veld("omschrijving", "Omschrijving", "tekstvak", verplicht=True),
        _veld("website", "Website", hint="Begint met https://"),
        _veld("email", "Algemeen e-mailadres", hint="Geen persoonlijk adres"),
        _veld("telefoon", "Algemeen telefoonnummer"),
        _veld("bezoekadres", "Bezoekadres"),
        _veld("postadres", "Postadres"),
        _veld("openingstijden", "Openingstijden"),
        _veld("kvk_nummer", "KVK-nummer", hint="8 cijfers"),
        _veld("bron", "Bron van de gegevens", verplicht=True),
    ],
    "dienst": [
        _veld("naam", "Naam van de dienst", verplicht=True),
        _veld("omschrijving", "Omschrijving", "tekstvak", verplicht=True),
        _veld("themas", "Thema's", "vinkjes", tx.THEMAS, verplicht=True),
        _veld("transitiethemas", "Ook over", "vinkjes", tx.TRANSITIETHEMAS),
        _veld("soort", "Soort hulp", "select", tx.DIENST_SOORTEN, verplicht=True),
        _veld("fasen", "Fase", "vinkjes", tx.FASEN),
        _veld("doelgroepen", "Voor wie", "vinkjes", tx.DOELGROEPEN),
        _veld("kanalen", "Hoe", "vinkjes", tx.KANALEN),
        _veld("kosten", "Kosten", "select", tx.KOSTEN, verplicht=True),
        _veld("kosten_toelichting", "Wat het kost (toelichting)"),
        _veld(
            "werkgebied",
            "Werkgebied",
            hint="landelijk, of gebieden als provincie:PV21;gemeente:GM0080",
            verplicht=True,
        ),
        _veld("geldig_van", "Aangeboden vanaf", hint="JJJJ-MM-DD"),
        _veld("geldig_tot", "Aangeboden tot en met", hint="JJJJ-MM-DD"),
        _veld("trefwoorden", "Trefwoorden", hint="Gescheiden door ;"),
        _veld("website", "Webpagina van de dienst", hint="Leeg: die van de aanbieder"),
        _veld("telefoon", "Telefoon", hint="Leeg: die van de aanbieder"),
        _veld("email", "E-mail", hint="Leeg: die van de aanbieder"),
        _veld("adres", "Adres", hint="Leeg: het bezoekadres van de aanbieder"),
        _veld("openingstijden", "Openingstijden"),
        _veld("talen", "Talen", "vinkjes", tx.TALEN),
        _veld("wachttijd", "Wachttijd", hint="Bijvoorbeeld: binnen 2 weken een gesprek"),
        _veld("upl_uri", "Product op de Uniforme Productnamenlijst (URI)"),
        _veld("bron", "Bron van de gegevens"),
    ],
}


def _soort(meervoud: str) -> str:
    if meervoud not in SOORTEN:
        raise NietGevonden("Deze pagina")
    return SOORTEN[meervoud]


def _ctx(request: Request, actor: Actor, **extra) -> dict:
    return {
        "menu": "beheer",
        "actor": actor,
        "beheerder": actor.rol == rollen.REGISTERBEHEERDER,
        "csrf": csrf_token(request),
        "STATUS_TEKST": STATUS_TEKST,
        "ACTIE_TEKST": ACTIE_TEKST,
        **extra,
    }


def _eigen_slug(session: Session, actor: Actor) -> str | None:
    if actor.aanbieder_id is None:
        return None
    a = register.get_aanbieder(session=session, aanbieder_id=str(actor.aanbieder_id))
    return a.slug if a is not None else None


@router.get("/beheer")
def overzicht(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    if not beheer.is_bewerker(actor):
        raise Verboden("Alleen voor redacteuren en registerbeheerders.")
    eigen = _eigen_slug(session, actor)
    if actor.rol == rollen.REDACTEUR and eigen:
        return RedirectResponse(f"/beheer/aanbieders/{eigen}", status_code=303)
    wachtend, totaal = beheer.versies(session=session, actor=actor, status="ter_beoordeling")
    concepten, _ = beheer.versies(session=session, actor=actor, status="concept")
    return render(
        request,
        "registerbeheer/overzicht.html",
        _ctx(request, actor, wachtend=wachtend, totaal=totaal, concepten=concepten),
    )


@router.get("/beheer/ga-naar")
def ga_naar(actor: MisschienActor, aanbieder: str = ""):
    slug = "".join(c for c in aanbieder.strip().lower() if c.isalnum() or c == "-")[:120]
    return RedirectResponse(f"/beheer/aanbieders/{slug}" if slug else "/beheer", status_code=303)


@router.get("/beheer/aanbieders/{slug}")
def aanbieder(
    slug: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    w = beheer.werkversie(session=session, actor=actor, soort="aanbieder", slug=slug)
    a = register.get_aanbieder(session=session, aanbieder_id=slug)
    diensten = [
        register.werkversie(session=session, soort="dienst", slug=slug)
        for slug in (register.dienst_slugs(session=session, aanbieder_id=a.id) if a else [])
    ]
    vandaag = date.today()
    verouderd, _ = register.verouderd(session=session, vandaag=vandaag, aanbieder_slug=slug)
    versies, _ = beheer.versies(session=session, actor=actor, status=None)
    open_ = [v for v in versies if v.aanbieder_slug == slug and v.status != "gepubliceerd"]
    return render(
        request,
        "registerbeheer/aanbieder.html",
        _ctx(
            request,
            actor,
            werk=w,
            diensten=diensten,
            verouderd={v.slug for v in verouderd},
            open_versies=open_,
            melding=request.session.pop("melding", None),
        ),
    )


@router.post("/beheer/aanbieders/{slug}/bevestig", dependencies=MET_CSRF)
def bevestig(
    slug: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    n = beheer.bevestig(session=session, actor=actor, aanbieder=slug)
    request.session["melding"] = f"Bevestigd: {n} items staan op vandaag gecontroleerd."
    return RedirectResponse(f"/beheer/aanbieders/{slug}", status_code=303)


async def _formulier(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {k: [str(v) for v in form.getlist(k)] for k in form.keys()}


def _uit_formulier(soort: str, form: dict[str, list[str]], basis: dict[str, str]) -> dict:
    velden = dict(basis)
    for v in VELDEN[soort]:
        waarden = form.get(v["naam"], [])
        if v["soort"] == "vinkjes":
            velden[v["naam"]] = ";".join(w for w in waarden if w)
        elif v["soort"] == "vinkje":
            velden[v["naam"]] = "ja" if waarden else "nee"
        else:
            velden[v["naam"]] = (waarden[0] if waarden else "").strip()
    return velden


def _bewerk_pagina(request, actor, soort, slug, gegevens, etag, fouten, status_code=200):
    return render(
        request,
        "registerbeheer/bewerken.html",
        _ctx(
            request,
            actor,
            soort=soort,
            meervoud="aanbieders" if soort == "aanbieder" else "diensten",
            slug=slug,
            velden=VELDEN[soort],
            gegevens=gegevens,
            etag=etag,
            fouten=fouten,
        ),
        status_code=status_code,
    )


@router.get("/beheer/{meervoud}/{slug}/bewerken")
def bewerk_form(
    meervoud: str,
    slug: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    soort = _soort(meervoud)
    w = beheer.werkversie(session=session, actor=actor, soort=soort, slug=slug)
    return _bewerk_pagina(request, actor, soort, slug, w.gegevens, w.etag, {})


@router.post("/beheer/{meervoud}/{slug}/bewerken", dependencies=MET_CSRF)
def bewerk(
    meervoud: str,
    slug: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    form: dict[str, list[str]] = Depends(_formulier),
):
    soort = _soort(meervoud)
    w = beheer.werkversie(session=session, actor=actor, soort=soort, slug=slug)
    gegevens = _uit_formulier(soort, form, w.gegevens)
    fouten = dict(register.problemen(session=session, soort=soort, velden=gegevens))
    etag = (form.get("etag") or [""])[0]
    if fouten:
        return _bewerk_pagina(request, actor, soort, slug, gegevens, etag, fouten, 400)
    v = beheer.bewaar(
        session=session,
        actor=actor,
        soort=soort,
        slug=slug,
        gegevens=gegevens,
        verwacht_etag=etag,
    )
    if form.get("indienen"):
        v = beheer.dien_in(session=session, actor=actor, versie_id=v.id)
    return RedirectResponse(f"/beheer/wijzigingen/{v.id}", status_code=303)


@router.get("/beheer/wijzigingen")
def wachtrij(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    status: str = "ter_beoordeling",
):
    status = status if status in register.WORKFLOW_STATUSSEN else "ter_beoordeling"
    items, totaal = beheer.versies(session=session, actor=actor, status=status)
    return render(
        request,
        "registerbeheer/wachtrij.html",
        _ctx(request, actor, items=items, totaal=totaal, status=status),
    )


@router.get("/beheer/wijzigingen/{versie_id}")
def wijziging(
    versie_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    v = beheer.versie(session=session, actor=actor, versie_id=versie_id)
    oud = register.vorige(session=session, versie=v)
    return render(
        request,
        "registerbeheer/wijziging.html",
        _ctx(
            request,
            actor,
            v=v,
            verschillen=register.verschillen(oud, v.gegevens),
            nieuw=oud is None,
            meervoud="aanbieders" if v.soort == "aanbieder" else "diensten",
            fout=request.session.pop("fout", None),
        ),
    )


@router.post("/beheer/wijzigingen/{versie_id}/{stap}", dependencies=MET_CSRF)
def stap(
    versie_id: uuid.UUID,
    stap: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    etag: str = Form(""),
    toelichting: str = Form(""),
):
    verwacht = etag or None
    if stap == "indienen":
        beheer.dien_in(session=session, actor=actor, versie_id=versie_id, verwacht_etag=verwacht)
    elif stap == "publiceren":
        beheer.publiceer(session=session, actor=actor, versie_id=versie_id, verwacht_etag=verwacht)
    elif stap == "afwijzen":
        if not toelichting.strip():
            request.session["fout"] = "Schrijf waarom u de wijziging terugstuurt."
            return RedirectResponse(f"/beheer/wijzigingen/{versie_id}#toelichting", status_code=303)
        beheer.wijs_af(
            session=session,
            actor=actor,
            versie_id=versie_id,
            toelichting=toelichting,
            verwacht_etag=verwacht,
        )
    else:
        raise NietGevonden("Deze stap")
    return RedirectResponse(f"/beheer/wijzigingen/{versie_id}", status_code=303)


@router.get("/beheer/{meervoud}/{slug}/geschiedenis")
def geschiedenis(
    meervoud: str,
    slug: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    soort = _soort(meervoud)
    versies = beheer.geschiedenis(session=session, actor=actor, soort=soort, slug=slug)
    w = register.werkversie(session=session, soort=soort, slug=slug)
    return render(
        request,
        "registerbeheer/geschiedenis.html",
        _ctx(request, actor, versies=versies, werk=w, meervoud=meervoud, soort=soort, slug=slug),
    )


@router.post("/beheer/{meervoud}/{slug}/herstel/{nummer}", dependencies=MET_CSRF)
def herstel(
    meervoud: str,
    slug: str,
    nummer: int,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    etag: str = Form(""),
):
    v = beheer.herstel(
        session=session,
        actor=actor,
        soort=_soort(meervoud),
        slug=slug,
        nummer=nummer,
        verwacht_etag=etag,
    )
    return RedirectResponse(f"/beheer/wijzigingen/{v.id}", status_code=303)


# --- user management --------------------------------------------------------------------------


@router.get("/beheer/gebruikers")
def gebruikers(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    items, totaal = accounts.get_all(session=session, door=actor, limit=None)
    return render(
        request,
        "registerbeheer/gebruikers.html",
        _ctx(
            request,
            actor,
            gebruikers=items,
            totaal=totaal,
            wachtwoord=request.session.pop("nieuw_wachtwoord", None),
            melding=request.session.pop("melding", None),
        ),
    )


@router.post("/beheer/gebruikers/{gebruiker_id}/{actie}", dependencies=MET_CSRF)
def gebruiker_actie(
    gebruiker_id: uuid.UUID,
    actie: str,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    if actie == "deactiveren":
        accounts.deactiveer_door(session=session, door=actor, gebruiker_id=gebruiker_id)
        request.session["melding"] = "De gebruiker is uitgeschakeld."
    elif actie == "activeren":
        accounts.activeer_door(session=session, door=actor, gebruiker_id=gebruiker_id)
        request.session["melding"] = "De gebruiker kan weer inloggen."
    elif actie == "wachtwoord":
        # shown once, on the next page only (kept in the server-side session, then removed)
        request.session["nieuw_wachtwoord"] = accounts.nieuw_wachtwoord(
            session=session, door=actor, gebruiker_id=gebruiker_id
        )
    elif actie == "tokens":
        n = accounts.trek_tokens_in_door(session=session, door=actor, gebruiker_id=gebruiker_id)
        request.session["melding"] = f"{n} API-token(s) ingetrokken."
    else:
        raise NietGevonden("Deze actie")
    return RedirectResponse("/beheer/gebruikers", status_code=303)
