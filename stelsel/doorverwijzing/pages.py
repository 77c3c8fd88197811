"""Referral pages: inbox and outbox, the intake form, a case with its chain, timeline and
referral form, a referral's actions, the entrepreneur's private page, and the link pages of a
provider without users. Every page works without JavaScript; every form carries a CSRF token
bound to the visitor's (pre-)session (stelsel.web.csrf)."""

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from stelsel.accounts.deps import PaginaActor
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.db import als_utc
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.berichten import link_van_token
from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag, Toestemming
from stelsel.errors import Conflict, NietGevonden, Ongeldig, StelselFout, Verboden
from stelsel.geo import service as geo
from stelsel.register import taxonomie as tx
from stelsel.uitvoer import tabel
from stelsel.uitvoer.tabel import Tabel
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.pages import (
    Formulierfouten,
    als_melding,
    bij_fout,
    bijlage,
    formulierfouten,
    render,
    templates,
)

router = APIRouter(include_in_schema=False)
TOESTEMMINGSTEKST_VERSIE = "2026-11-v1"
STATUS_LABELS = {
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
UITKOMST_LABELS = {
    "opgelost": "Opgelost",
    "deels_opgelost": "Deels opgelost",
    "niet_opgelost": "Niet opgelost",
    lc.DOORVERWEZEN: "Verder doorverwezen",
}
# What the button of each step says.
STAP_LABELS = {
    lc.ONTVANGEN: "Markeer als ontvangen",
    lc.GEACCEPTEERD: "Accepteren",
    lc.GEWEIGERD: "Weigeren",
    lc.IN_BEHANDELING: "In behandeling nemen",
    lc.AANGEHOUDEN: "Aanhouden",
    lc.AFGEROND: "Afronden",
    lc.GEANNULEERD: "Annuleren",
    lc.MISLUKT: "Afsluiten: het lukt niet",
}
KANAAL_LABELS = {
    "telefoon": "aan de telefoon",
    "gesprek": "in een gesprek",
    "schriftelijk": "schriftelijk (brief of e-mail)",
    "prive_pagina": "op de persoonlijke pagina",
    "intake": "bij het vastleggen van de vraag",
}
THEMA_LABELS = {t.code: t.naam for t in (*tx.THEMAS, *tx.TRANSITIETHEMAS)}
REDEN_LABELS = {
    **lc.REDENEN,
    lc.VERLOPEN: "Verlopen: geen antwoord",
    lc.INGETROKKEN: "De ondernemer trok de toestemming in",
}
templates.env.globals.update(
    STATUS_LABELS=STATUS_LABELS,
    REDEN_LABELS=REDEN_LABELS,
    UITKOMST_LABELS=UITKOMST_LABELS,
    STAP_LABELS=STAP_LABELS,
    THEMA_LABELS=THEMA_LABELS,
    KANAAL_LABELS=KANAAL_LABELS,
)
NL = ZoneInfo("Europe/Amsterdam")


def _als_tijd(waarde: date | datetime | str | None) -> date | datetime | None:
    if isinstance(waarde, str):
        waarde = datetime.fromisoformat(waarde) if "T" in waarde else date.fromisoformat(waarde)
    if isinstance(waarde, datetime):
        # stored in UTC (SQLite gives it back naive); shown in Dutch time
        return als_utc(waarde).astimezone(NL)
    return waarde


def nl_datum(waarde: date | datetime | str | None) -> str:
    w = _als_tijd(waarde)
    return w.strftime("%d-%m-%Y") if w else ""


def nl_tijd(waarde: date | datetime | str | None) -> str:
    w = _als_tijd(waarde)
    if isinstance(w, datetime):
        return w.strftime("%d-%m-%Y %H:%M")
    return w.strftime("%d-%m-%Y") if w else ""


templates.env.filters.update(nl_datum=nl_datum, nl_tijd=nl_tijd)
GEEN_LINK = "Deze link klopt niet of is verlopen."
LIJST_MAX = 200  # rows per direction on the inbox/outbox page
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def _page(request: Request, name: str, ctx: dict, status_code: int = 200):
    ctx.setdefault("menu", "doorverwijzingen")
    ctx["csrf"] = csrf_token(request)
    return render(request, name, ctx, status_code=status_code)


def _terug(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _namen(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    """The names of these aanbieders, each looked up once for the whole page."""
    uit: dict[uuid.UUID | None, str] = {None: ""}
    for i in ids:
        if i not in uit:
            uit[i] = service.aanbieder_naam(session=session, aanbieder_id=i) or "onbekend"
    return uit


def _zin(reden: str) -> str:
    """A service's reason as the start of a sentence on the form."""
    return reden[:1].upper() + reden[1:]


def _formvelden(gevonden: Formulierfouten) -> dict[str, str]:
    """A service's refusal as the form's errors: beside a field as a sentence, the general
    one (`algemeen`) as the service says it."""
    return {_veld(v): r if v == "algemeen" else _zin(r) for v, r in gevonden.velden.items()}


def _veld(veld: str) -> str:
    """The form field a service's error is about ('ondernemer.email' -> 'email')."""
    if veld.startswith("toestemming"):
        return "toestemming"
    return veld.split(".")[-1]


# Inbox and outbox ----------------------------------------------------------------------------

STATUS_FILTERS = {"alle": "Alle", "open": "Alle open", **STATUS_LABELS}
SORTERINGEN = {
    "nieuw": "Nieuwste eerst",
    "oud": "Oudste eerst",
    "termijn": "Eerste contact: eerst te doen",
}


@dataclass(frozen=True)
class Rij:
    """One referral in the inbox or outbox, with what the row shows."""

    dv: Doorverwijzing
    tegenpartij: str
    themas: list[str]
    te_laat: bool


def _rijen(
    rows: list[Doorverwijzing], namen: dict, kant: str, zoek: str, vandaag: date
) -> list[Rij]:
    uit = []
    for d in rows:
        ander = namen[d.van_aanbieder_id if kant == "in" else d.naar_aanbieder_id]
        themas = [THEMA_LABELS.get(t, t) for t in d.hulpvraag.themas]
        if zoek and not any(zoek in s.lower() for s in [ander, *themas]):
            continue
        uit.append(Rij(d, ander, themas, service.te_laat(d, vandaag)))
    return uit


@router.get("/doorverwijzingen/cijfers")
def cijfers(request: Request, actor: PaginaActor, session: Sessie):
    """The referral figures of a region (regiocoördinator) or the nation (stelselregisseur):
    counts per status and outcome, and the coded reasons of declined, cancelled and failed
    referrals. Aggregates only; other roles get 403 (service.statistieken)."""
    c = service.statistieken(session=session, actor=actor)
    eind = sorted(lc.MET_REDEN)
    tabellen = [
        Tabel(
            kolommen=["Status", "Aantal"],
            rijen=[[STATUS_LABELS.get(k, k), v] for k, v in c["per_status"].items()],
            bijschrift="Doorverwijzingen per status",
        ),
        Tabel(
            kolommen=["Uitkomst", "Aantal"],
            rijen=[[UITKOMST_LABELS.get(k, k), v] for k, v in c["per_uitkomst"].items()],
            bijschrift="Afgeronde doorverwijzingen per uitkomst",
        ),
        Tabel(
            kolommen=["Reden", *(STATUS_LABELS[s] for s in eind)],
            rijen=[
                [REDEN_LABELS.get(r, r), *(c["per_reden"][s].get(r, 0) for s in eind)]
                for r in lc.ALLE_REDENEN
            ],
            bijschrift="Redenen van geweigerde, geannuleerde en mislukte doorverwijzingen",
        ),
    ]
    return _page(
        request,
        "doorverwijzing/cijfers.html",
        {
            "menu": "kwaliteit",
            "c": c,
            "tabellen": [tabel.html(t) for t in tabellen],
        },
    )


@router.get("/doorverwijzingen")
def lijst(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    status: str = "alle",
    sorteer: str = "nieuw",
    zoek: str = "",
):
    status = status if status in STATUS_FILTERS else "alle"
    sorteer = sorteer if sorteer in SORTERINGEN else "nieuw"
    zoek = zoek.strip()[:100]
    filter_ = None if status == "alle" else status
    kanten = {}
    totaal = {}
    for kant in ("in", "uit"):
        kanten[kant], totaal[kant] = service.get_all(
            session=session,
            actor=actor,
            richting=kant,
            status=filter_,
            sorteer=sorteer,
            limit=LIJST_MAX,
        )
    alle = [*kanten["in"], *kanten["uit"]]
    namen = _namen(session, [i for d in alle for i in (d.van_aanbieder_id, d.naar_aanbieder_id)])
    vandaag = date.today()
    return _page(
        request,
        "doorverwijzing/lijst.html",
        {
            "inbox": _rijen(kanten["in"], namen, "in", zoek.lower(), vandaag),
            "outbox": _rijen(kanten["uit"], namen, "uit", zoek.lower(), vandaag),
            "totaal": totaal,
            "max": LIJST_MAX,
            "status": status,
            "sorteer": sorteer,
            "zoek": zoek,
            "status_filters": STATUS_FILTERS,
            "sorteringen": SORTERINGEN,
        },
    )


# The intake form ------------------------------------------------------------------------------

VELD_VOLGORDE = ("naam", "email", "telefoon", "kvk_nummer", "gemeente", "vraag", "urgentie")


def _nieuw_formulier(request: Request, fouten: dict, invoer: dict, status_code: int = 200):
    """The intake form, empty or with the entered values and everything wrong with them (in
    the order of the form)."""
    volgorde = [*VELD_VOLGORDE, "toestemming"]
    fouten = dict(
        sorted(fouten.items(), key=lambda kv: volgorde.index(kv[0]) if kv[0] in volgorde else 99)
    )
    return _page(
        request,
        "doorverwijzing/hulpvraag_nieuw.html",
        {
            "fouten": fouten,
            "invoer": invoer,
            "versie": TOESTEMMINGSTEKST_VERSIE,
            "werkdagen": get_settings().eerste_contact_werkdagen,
            "wat": service.TOESTEMMING_WAT,
        },
        status_code,
    )


def _controleer_intake(session: Session, invoer: dict) -> dict[str, str]:
    """Every cheap check of the intake form at once, so one submit shows all that is wrong
    (the service stops at its first error)."""
    fouten = {}
    if not invoer["naam"].strip():
        fouten["naam"] = "Vul de naam van de ondernemer in."
    elif len(invoer["naam"]) > 200:
        fouten["naam"] = "De naam is te lang: hooguit 200 tekens."
    email = invoer["email"].strip()
    if not email:
        fouten["email"] = "Vul het e-mailadres van de ondernemer in."
    elif not EMAIL.fullmatch(email) or len(email) > 200:
        fouten["email"] = "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
    if invoer["telefoon"].strip() and not service.telefoon_geldig(invoer["telefoon"]):
        fouten["telefoon"] = "Vul een telefoonnummer in van 10 cijfers, zoals 06 12345678."
    kvk = invoer["kvk_nummer"].strip()
    if kvk and not re.fullmatch(r"\d{8}", kvk):
        fouten["kvk_nummer"] = "Een KVK-nummer heeft 8 cijfers, zonder spaties."
    vraag = invoer["vraag"].strip()
    if not vraag:
        fouten["vraag"] = "Vul de vraag van de ondernemer in."
    elif len(vraag) > 5000:
        fouten["vraag"] = "De vraag is te lang: hooguit 5000 tekens."
    if invoer["urgentie"] not in ("normaal", "hoog"):
        fouten["urgentie"] = "Kies hoe dringend het is."
    if invoer["gemeente"].strip():
        with formulierfouten() as gemeente:
            geo.resolve(session=session, tekst=invoer["gemeente"].strip()[:100])
        if gemeente.fout:
            fouten["gemeente"] = _zin(gemeente.velden["gemeente"])
    if invoer["berichten"] and not invoer["email"].strip():
        fouten.setdefault("email", "Vul een e-mailadres in om de ondernemer berichten te sturen.")
    return fouten


@router.get("/hulpvragen/nieuw")
def nieuw_form(request: Request, actor: PaginaActor):
    return _nieuw_formulier(request, {}, {"urgentie": "normaal"})


@router.post("/hulpvragen/nieuw", dependencies=MET_CSRF)
def nieuw(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    naam: str = Form(""),
    email: str = Form(""),
    telefoon: str = Form(""),
    kvk_nummer: str = Form(""),
    vraag: str = Form(""),
    gemeente: str = Form(""),
    urgentie: str = Form("normaal"),
    toestemming: str = Form(""),
    berichten: str = Form(""),
    enquete: str = Form(""),
):
    invoer = {
        "urgentie": urgentie,
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "kvk_nummer": kvk_nummer,
        "vraag": vraag,
        "gemeente": gemeente,
        "toestemming": bool(toestemming),
        "berichten": bool(berichten),
        "enquete": bool(enquete),
    }
    fouten = _controleer_intake(session, invoer)
    if fouten:
        return _nieuw_formulier(request, fouten, invoer, 400)
    with formulierfouten() as gevonden:
        h, code = service.create_hulpvraag(
            session=session,
            actor=actor,
            data=service.NieuweHulpvraag(
                naam=naam,
                email=email,
                telefoon=telefoon.strip() or None,
                kvk_nummer=kvk_nummer.strip() or None,
                vraag=vraag,
                gemeente=gemeente.strip() or None,
                urgentie=urgentie,
                delen_met_ontvanger=bool(toestemming),
                tekst_versie=TOESTEMMINGSTEKST_VERSIE,
                berichten=bool(berichten),
                enquete=bool(enquete),
            ),
        )
    if gevonden.fout:
        velden = {_veld(v): r for v, r in gevonden.velden.items()}
        return _nieuw_formulier(request, velden, invoer, 400)
    request.session["nieuwe_link"] = f"/mijn-hulpvraag/{code}"
    return _terug(f"/hulpvragen/{h.id}")


# A case: its chain, timeline, consents and the referral form ---------------------------------


def _toestemmingen(h: Hulpvraag, namen: dict) -> dict:
    """What the adviser needs to know about the case's consents to share."""
    delen = [t for t in h.toestemmingen if t.soort == "delen"]
    return {
        "geldig": [(namen.get(t.naar_aanbieder_id, ""), t) for t in delen if t.geldig()],
        "verzoeken": [(namen.get(t.naar_aanbieder_id, ""), t) for t in delen if t.open_verzoek()],
        "eerste_hop": h.eerste_hop_toestemming() is not None,
    }


def _hulpvraag_pagina(
    request: Request,
    session: Session,
    actor: Actor,
    hulpvraag_id: uuid.UUID,
    fouten: dict | None = None,
    invoer: dict | None = None,
    status_code: int = 200,
):
    h, keten = service.keten_van(session=session, actor=actor, hulpvraag_id=hulpvraag_id)
    houder = service.houdt(h, keten, actor.aanbieder_id)
    if houder:  # the holder reads the entrepreneur's data: audited as such
        service.get_hulpvraag(
            session=session,
            actor=actor,
            hulpvraag_id=h.id,
            doel="hulpvraag bekijken",
            alleen_houder=True,
        )
    ontvangers = service.ontvangers(session=session, actor=actor, hulpvraag=h) if houder else []
    ids: list[uuid.UUID | None] = [h.aanbieder_id]
    ids += [i for d in keten for i in (d.van_aanbieder_id, d.naar_aanbieder_id)]
    ids += [t.naar_aanbieder_id for t in h.toestemmingen]
    namen = _namen(session, ids)
    eigen = [d for d in keten if actor.aanbieder_id in (d.van_aanbieder_id, d.naar_aanbieder_id)]
    return _page(
        request,
        "doorverwijzing/hulpvraag.html",
        {
            "h": h,
            "keten": keten,
            "namen": namen,
            "houder": houder,
            "kenmerken": service.keten_kenmerken(keten),
            "voorgesteld": [o for o in ontvangers if o.voorgesteld],
            "overige": [o for o in ontvangers if not o.voorgesteld],
            "toestemmingen": _toestemmingen(h, namen),
            "kanalen": service.KANALEN,
            "tijdlijn": service.tijdlijn(
                session=session, hulpvraag=h, verwijzingen=keten, met_notities=houder
            ),
            "eigen": eigen,
            "vandaag": date.today(),
            "nieuwe_link": request.session.pop("nieuwe_link", None),
            "melding": request.session.pop("melding", None),
            "fout": request.session.pop("fout", None),
            "fouten": fouten or {},
            "invoer": invoer or {},
            "wat": service.TOESTEMMING_WAT,
        },
        status_code,
    )


@router.get("/hulpvragen/{hulpvraag_id}")
def hulpvraag(
    hulpvraag_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    return _hulpvraag_pagina(request, session, actor, hulpvraag_id)


@router.post("/hulpvragen/{hulpvraag_id}/doorverwijzen", dependencies=MET_CSRF)
def doorverwijzen(
    hulpvraag_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    naar_aanbieder: str = Form(""),
    notitie: str = Form(""),
    toestemming: str = Form(""),
    kanaal: str = Form(""),
):
    invoer = {
        "naar_aanbieder": naar_aanbieder,
        "notitie": notitie,
        "toestemming": bool(toestemming),
        "kanaal": kanaal,
    }
    fouten = {}
    if not naar_aanbieder:
        fouten["naar_aanbieder"] = "Kies de organisatie waarnaar u doorverwijst."
    if toestemming and kanaal not in service.KANALEN:
        fouten["kanaal"] = "Kies hoe de ondernemer toestemming gaf."
    if len(notitie) > 5000:
        fouten["notitie"] = "De notitie is te lang: hooguit 5000 tekens."
    if not fouten:
        with formulierfouten(soorten=(Ongeldig, Conflict)) as gevonden:
            dv = service.create_doorverwijzing(
                session=session,
                actor=actor,
                hulpvraag_id=hulpvraag_id,
                naar_aanbieder=naar_aanbieder,
                notitie=notitie,
                toestemming=service.NieuweToestemming(TOESTEMMINGSTEKST_VERSIE, kanaal)
                if toestemming
                else None,
            )
        if not gevonden.fout:
            return _terug(f"/doorverwijzingen/{dv.id}")
        fouten = _formvelden(gevonden)
    return _hulpvraag_pagina(request, session, actor, hulpvraag_id, fouten, invoer, 400)


@router.post("/hulpvragen/{hulpvraag_id}/toestemming-vragen", dependencies=MET_CSRF)
def toestemming_vragen(
    hulpvraag_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    naar_aanbieder: str = Form(""),
):
    """Ask the entrepreneur for consent for the chosen organisation (the second button of the
    referral form)."""
    if not naar_aanbieder:
        fouten = {"naar_aanbieder": "Kies eerst de organisatie waarvoor u toestemming vraagt."}
        invoer = {"naar_aanbieder": ""}
        return _hulpvraag_pagina(request, session, actor, hulpvraag_id, fouten, invoer, 400)
    with als_melding(request):
        t = service.vraag_toestemming(
            session=session, actor=actor, hulpvraag_id=hulpvraag_id, naar_aanbieder=naar_aanbieder
        )
        naam = service.aanbieder_naam(session=session, aanbieder_id=t.naar_aanbieder_id)
        request.session["melding"] = (
            f"De ondernemer heeft al toestemming gegeven voor {naam}."
            if t.geldig()
            else f"De vraag om toestemming voor {naam} staat op de persoonlijke pagina van de "
            "ondernemer. Wie berichten wil ontvangen, krijgt ook een e-mail."
        )
    return _terug(f"/hulpvragen/{hulpvraag_id}")


# One referral -----------------------------------------------------------------------------------


def _doorverwijzing_context(session: Session, i: service.Inzicht) -> dict:
    dv = i.doorverwijzing
    ids = [i for d in i.keten for i in (d.van_aanbieder_id, d.naar_aanbieder_id)]
    return {
        "dv": dv,
        "partij": i.partij,
        "zichtbaar": i.zichtbaar,
        "keten": i.keten,
        "namen": _namen(session, ids),
        "stappen": lc.stappen_voor(dv.status, i.partij),
        "redenen": lc.REDENEN,
        "uitkomsten": [u for u in lc.UITKOMSTEN if u != lc.DOORVERWEZEN],
        "te_laat": service.te_laat(dv),
        "vandaag": date.today(),
        "tijdlijn": service.tijdlijn(
            session=session,
            hulpvraag=dv.hulpvraag,
            verwijzingen=i.keten,
            met_notities=i.zichtbaar,
        ),
    }


@router.get("/doorverwijzingen/{doorverwijzing_id}")
def doorverwijzing(
    doorverwijzing_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    i = service.get(session=session, actor=actor, doorverwijzing_id=doorverwijzing_id)
    ctx = _doorverwijzing_context(session, i)
    ctx |= {
        "actie": f"/doorverwijzingen/{doorverwijzing_id}",
        "fout": request.session.pop("fout", None),
        "melding": request.session.pop("melding", None),
    }
    return _page(request, "doorverwijzing/doorverwijzing.html", ctx)


def _controleer_stap(status: str, reden_code: str, reden: str, uitkomst: str) -> None:
    """The checks of a step's form that the page can say more plainly than the lifecycle."""
    if status in lc.MET_REDEN and reden_code not in lc.REDENEN:
        raise Ongeldig("reden_code", "Kies een reden.")
    if status in lc.MET_REDEN and reden_code == lc.ANDERS and not reden.strip():
        raise Ongeldig("reden", "Bij de reden 'Anders' is een korte toelichting verplicht.")
    if status == lc.AFGEROND and uitkomst not in lc.UITKOMSTEN:
        raise Ongeldig("uitkomst", "Kies de uitkomst.")


@router.post("/doorverwijzingen/{doorverwijzing_id}/status", dependencies=MET_CSRF)
def status(
    doorverwijzing_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    status: str = Form(""),
    reden_code: str = Form(""),
    reden: str = Form(""),
    uitkomst: str = Form(""),
):
    with als_melding(request, (Ongeldig, Conflict, Verboden)):
        _controleer_stap(status, reden_code, reden, uitkomst)
        service.wijzig_status(
            session=session,
            actor=actor,
            doorverwijzing_id=doorverwijzing_id,
            status=status,
            reden_code=reden_code or None,
            reden=reden.strip() or None,
            uitkomst=uitkomst or None,
        )
        request.session["melding"] = f"De status is nu: {STATUS_LABELS.get(status, status)}."
    return _terug(f"/doorverwijzingen/{doorverwijzing_id}")


@router.post("/doorverwijzingen/{doorverwijzing_id}/notitie", dependencies=MET_CSRF)
def notitie(
    doorverwijzing_id: uuid.UUID,
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    tekst: str = Form(""),
    terug: str = Form(""),
):
    with als_melding(request, (Ongeldig, Verboden)):
        if not tekst.strip():
            raise Ongeldig("tekst", "Schrijf eerst een notitie.")
        service.notitie(
            session=session, actor=actor, doorverwijzing_id=doorverwijzing_id, tekst=tekst
        )
        request.session["melding"] = "De notitie staat op de tijdlijn."
    # back to the case page or the referral page the note was written on (never elsewhere)
    if re.fullmatch(r"/hulpvragen/[0-9a-f-]{36}", terug):
        return _terug(terug)
    return _terug(f"/doorverwijzingen/{doorverwijzing_id}")


# The entrepreneur's private page ------------------------------------------------------------


def _eigen(session: Session, code: str) -> Hulpvraag:
    h = service.by_toegangscode(session=session, code=code)
    if h is None:
        raise HTTPException(404, GEEN_LINK)
    return h


@router.get("/mijn-hulpvraag")
def mijn_hulpvraag_zonder_code(request: Request):
    """Where the e-mails to the entrepreneur point: the private link itself is only in the
    first e-mail (it is never sent again)."""
    return _page(request, "doorverwijzing/mijn_hulpvraag_zonder_code.html", {"menu": None})


@router.get("/mijn-hulpvraag/{code}")
def mijn_hulpvraag(code: str, request: Request, session: Sessie):
    h = _eigen(session, code)
    keten = service.keten(session=session, hulpvraag_id=h.id)
    ids: list[uuid.UUID | None] = [h.aanbieder_id]
    ids += [i for d in keten for i in (d.van_aanbieder_id, d.naar_aanbieder_id)]
    ids += [t.naar_aanbieder_id for t in h.toestemmingen]
    namen = _namen(session, ids)
    open_ = [d for d in keten if d.status in lc.OPEN_STATUSSEN]
    return _page(
        request,
        "doorverwijzing/mijn_hulpvraag.html",
        {
            "menu": None,
            "h": h,
            "keten": keten,
            "namen": namen,
            "code": code,
            "nu_bij": open_[-1] if open_ else None,
            "verzoeken": [t for t in h.toestemmingen if t.soort == "delen" and t.open_verzoek()],
            "gedeeld": [t for t in h.toestemmingen if t.soort == "delen" and t.geldig()],
            "ingetrokken": h.ingetrokken_op is not None,
            "melding": request.session.pop("melding", None),
            "fout": request.session.pop("fout", None),
        },
    )


@router.post("/mijn-hulpvraag/{code}/toestemming/{toestemming_id}", dependencies=MET_CSRF)
def beantwoord(
    code: str,
    toestemming_id: uuid.UUID,
    request: Request,
    session: Sessie,
    antwoord: str = Form(""),
):
    h = _eigen(session, code)
    if antwoord not in ("ja", "nee"):
        request.session["fout"] = "Kies ja of nee."
        return _terug(f"/mijn-hulpvraag/{code}")
    with als_melding(request):
        t: Toestemming = service.beantwoord(
            session=session,
            hulpvraag=h,
            toestemming_id=toestemming_id,
            ja=antwoord == "ja",
            tekst_versie=TOESTEMMINGSTEKST_VERSIE,
        )
        naam = service.aanbieder_naam(session=session, aanbieder_id=t.naar_aanbieder_id)
        request.session["melding"] = (
            f"Dank u. Uw gegevens mogen naar {naam}."
            if antwoord == "ja"
            else f"Dank u. Uw gegevens gaan niet naar {naam}."
        )
    return _terug(f"/mijn-hulpvraag/{code}")


BEVESTIG = {
    "intrekken": {
        "titel": "Toestemming intrekken?",
        "uitleg": [
            "Als u de toestemming intrekt, ziet geen enkele organisatie uw naam, e-mailadres, "
            "telefoon, KVK-nummer en vraag nog.",
            "Uw vraag kan dan ook niet meer worden doorgestuurd naar een andere organisatie.",
        ],
        "knop": "Ja, trek mijn toestemming in",
    },
    "verwijderen": {
        "titel": "Uw gegevens verwijderen?",
        "uitleg": [
            "Wij verwijderen uw naam, e-mailadres, telefoon, KVK-nummer, uw vraag en alle "
            "notities. Dit kunt u niet ongedaan maken.",
            "Wilt u eerst bewaren wat wij van u hebben? Bekijk of download dan eerst uw gegevens.",
        ],
        "knop": "Ja, verwijder mijn gegevens",
    },
}


def _bevestig(code: str, actie: str, request: Request, session: Session):
    """The confirmation step before withdrawing consent or removing the data."""
    h = _eigen(session, code)
    return _page(
        request,
        "doorverwijzing/mijn_bevestig.html",
        {"menu": None, "h": h, "code": code, "actie": actie, **BEVESTIG[actie]},
    )


@router.get("/mijn-hulpvraag/{code}/intrekken")
def intrekken_bevestig(code: str, request: Request, session: Sessie):
    return _bevestig(code, "intrekken", request, session)


@router.get("/mijn-hulpvraag/{code}/verwijderen")
def verwijderen_bevestig(code: str, request: Request, session: Sessie):
    return _bevestig(code, "verwijderen", request, session)


@router.post("/mijn-hulpvraag/{code}/intrekken", dependencies=MET_CSRF)
def intrekken(code: str, request: Request, session: Sessie):
    h = _eigen(session, code)
    service.trek_toestemming_in(session=session, hulpvraag=h, door=None)
    request.session["melding"] = "Uw toestemming is ingetrokken. Niemand ziet uw gegevens nog."
    return _terug(f"/mijn-hulpvraag/{code}")


@router.post("/mijn-hulpvraag/{code}/verwijderen", dependencies=MET_CSRF)
def verwijderen(code: str, request: Request, session: Sessie):
    h = _eigen(session, code)
    service.anonimiseer(session=session, hulpvraag=h, door=None, doel="verwijderverzoek ondernemer")
    request.session["melding"] = "Uw gegevens zijn verwijderd."
    return _terug(f"/mijn-hulpvraag/{code}")


@router.get("/mijn-hulpvraag/{code}/inzage")
def mijn_inzage(code: str, request: Request, session: Sessie):
    """Everything stored about the entrepreneur, as a readable page."""
    h = _eigen(session, code)
    return _page(
        request,
        "doorverwijzing/mijn_inzage.html",
        {"menu": None, "code": code, "i": service.inzage(session=session, hulpvraag=h, door=None)},
    )


@router.get("/mijn-hulpvraag/{code}/inzage.json")
def mijn_inzage_bestand(code: str, session: Sessie):
    """The same as a JSON file to keep or pass on."""
    h = _eigen(session, code)
    body = json.dumps(
        service.inzage(session=session, hulpvraag=h, door=None), ensure_ascii=False, indent=1
    )
    return bijlage(body.encode(), "mijn-gegevens.json")


# A provider without users: the link from the e-mail to its desk ------------------------------


def _link_sleutel(token: str) -> str:
    """The session key that says this visitor is the person who took the link."""
    return "aanbieder-link:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def _link_onbekend(request: Request):
    return _page(request, "doorverwijzing/link_onbekend.html", {"menu": None}, 404)


def _link_formulier(request: Request, token: str, fouten: dict, invoer: dict, status_code=200):
    return _page(
        request,
        "doorverwijzing/link_neem.html",
        {"menu": None, "token": token, "fouten": fouten, "invoer": invoer},
        status_code,
    )


# A link that no longer works (NietGevonden from the service) is the link's own 404 page; the
# audit entry of the refused access stays.
link_onbekend = bij_fout(NietGevonden, _link_onbekend)


@router.get("/aanbieder-link/{token}")
@link_onbekend
def link(token: str, request: Request, session: Sessie):
    """Who takes the link says who they are first; then they see the referral and answer it."""
    link = link_van_token(session, token)
    if link is None:
        service.open_link(session=session, token=token)  # audits the refused access
        return _link_onbekend(request)
    if link.email is None or not request.session.get(_link_sleutel(token)):
        return _link_formulier(request, token, {}, {})
    return _link_pagina(request, session, token)


def _link_pagina(
    request: Request,
    session: Session,
    token: str,
    fouten: dict[str, str] | None = None,
    invoer: dict[str, str] | None = None,
):
    """The referral behind the link; with `fouten` (field id -> sentence) a form on it was
    refused: 400, every error in the focused summary and beside its field, the text kept."""
    toegang = service.open_link(session=session, token=token)
    ctx = _doorverwijzing_context(session, toegang.inzicht)
    ctx |= {
        "menu": None,
        "token": token,
        "link": toegang.link,
        "actie": f"/aanbieder-link/{token}",
        "zelf": toegang.inzicht.doorverwijzing.van_aanbieder_id == service.ZELF,
        "fout": request.session.pop("fout", None),
        "melding": request.session.pop("melding", None),
        "fouten": fouten or {},
        "invoer": invoer or {},
    }
    return _page(request, "doorverwijzing/link.html", ctx, 400 if fouten else 200)


def _link_formulierstap(
    request: Request,
    session: Session,
    token: str,
    stap: Callable[[], object],
    velden: dict[str, str],
    invoer: dict[str, str],
) -> Response | None:
    """A form on the link page: None when its step is done; a refusal of a field shows on
    the page itself (`velden`: the service's field -> the form's field id)."""
    if (terug := _link_actie(request, session, token)) is not None:
        return terug
    with formulierfouten() as gevangen:
        stap()
    if not gevangen.fout:
        return None
    fouten = {velden.get(v, v): _zin(r).rstrip(".") + "." for v, r in gevangen.velden.items()}
    return _link_pagina(request, session, token, fouten, invoer)


@router.post("/aanbieder-link/{token}/neem", dependencies=MET_CSRF)
@link_onbekend
def link_neem(
    token: str,
    request: Request,
    session: Sessie,
    naam: str = Form(""),
    email: str = Form(""),
):
    invoer = {"naam": naam, "email": email}
    fouten = {}
    if not naam.strip():
        fouten["naam"] = "Vul uw naam in."
    if not EMAIL.fullmatch(email.strip()) or len(email.strip()) > 200:
        fouten["email"] = "Vul uw e-mailadres op het werk in, zoals naam@organisatie.nl."
    if not fouten:
        with formulierfouten() as gevonden:
            service.neem(session=session, token=token, naam=naam, email=email)
        if not gevonden.fout:
            request.session[_link_sleutel(token)] = True
            return _terug(f"/aanbieder-link/{token}")
        fouten = {v: r[:1].upper() + r[1:] + "." for v, r in _formvelden(gevonden).items()}
    if link_van_token(session, token) is None:
        return _link_onbekend(request)
    return _link_formulier(request, token, fouten, invoer, 400)


def _link_actie(request: Request, session: Session, token: str) -> Response | None:
    """A link action with a link that no longer works: 404 (audited); by a visitor who did
    not take the link: back to the form that asks."""
    if link_van_token(session, token) is None:
        service.open_link(session=session, token=token)  # audits the refused access
        return _link_onbekend(request)
    if not request.session.get(_link_sleutel(token)):
        return _terug(f"/aanbieder-link/{token}")
    return None


def _op_link(
    request: Request,
    session: Session,
    token: str,
    stap: Callable[[], object],
    soorten: tuple[type[StelselFout], ...] = (Ongeldig, Verboden),
) -> Response | None:
    """Take a link action's step: None when it is done, else the answer. A link that no
    longer works is a 404 (the route's link_onbekend); a refusal of these kinds goes back to
    the link page as a message."""
    if (terug := _link_actie(request, session, token)) is not None:
        return terug
    with als_melding(request, soorten) as gevangen:
        stap()
    return _terug(f"/aanbieder-link/{token}") if gevangen.fout else None


@router.post("/aanbieder-link/{token}/status", dependencies=MET_CSRF)
@link_onbekend
def link_status(
    token: str,
    request: Request,
    session: Sessie,
    status: str = Form(""),
    reden_code: str = Form(""),
    reden: str = Form(""),
    uitkomst: str = Form(""),
):
    def stap() -> None:
        _controleer_stap(status, reden_code, reden, uitkomst)
        service.link_wijzig_status(
            session=session,
            token=token,
            status=status,
            reden_code=reden_code or None,
            reden=reden.strip() or None,
            uitkomst=uitkomst or None,
        )

    soorten = (Ongeldig, Conflict, Verboden)
    if (antwoord := _op_link(request, session, token, stap, soorten)) is not None:
        return antwoord
    request.session["melding"] = f"De status is nu: {STATUS_LABELS.get(status, status)}."
    return _terug(f"/aanbieder-link/{token}")


@router.post("/aanbieder-link/{token}/vraag", dependencies=MET_CSRF)
@link_onbekend
def link_vraag(
    token: str,
    request: Request,
    session: Sessie,
    tekst: str = Form(""),
):
    def stap() -> None:
        if not tekst.strip():
            raise Ongeldig("tekst", "Schrijf eerst uw vraag.")
        service.stel_vraag(session=session, token=token, tekst=tekst)

    velden = {"tekst": "vraag-tekst"}
    if antwoord := _link_formulierstap(request, session, token, stap, velden, {"tekst": tekst}):
        return antwoord
    request.session["melding"] = (
        "Wij hebben de organisatie die doorverwees gevraagd contact met u op te nemen."
    )
    return _terug(f"/aanbieder-link/{token}")


@router.post("/aanbieder-link/{token}/account", dependencies=MET_CSRF)
@link_onbekend
def link_account(
    token: str,
    request: Request,
    session: Sessie,
    wachtwoord: str = Form(""),
    herhaal: str = Form(""),
):
    link = link_van_token(session, token)

    def stap() -> None:
        if wachtwoord != herhaal:
            raise Ongeldig("wachtwoord", "De twee wachtwoorden zijn niet gelijk.")
        service.claim_account(session=session, token=token, wachtwoord=wachtwoord)

    if (antwoord := _link_formulierstap(request, session, token, stap, {}, {})) is not None:
        return antwoord
    request.session.pop(_link_sleutel(token), None)
    return _page(
        request,
        "doorverwijzing/link_account.html",
        {"menu": None, "email": link.email if link else ""},
    )


from stelsel.doorverwijzing.zelf_pages import router as zelf_router  # noqa: E402

router.include_router(zelf_router)  # the self-referral (zelf_pages.py)
