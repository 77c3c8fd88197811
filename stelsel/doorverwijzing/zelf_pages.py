"""Pages of the self-referral ("Neem contact met mij op"): the form, pre-filled from a wegwijzer
card, the confirmation with the private link, and the alternative for an aanbieder that cannot
take one. Work without JavaScript; the send form carries a CSRF token, is limited per client,
and shows every problem at once."""

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from stelsel.config import get_settings
from stelsel.doorverwijzing import zelfverwijzing as zv
from stelsel.doorverwijzing.toegang import TOESTEMMING_WAT
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.limiet import Limiet
from stelsel.web.pages import formulierfouten, render, templates

router = APIRouter(include_in_schema=False)
PAD = "/neem-contact-op"
GEEN_AANBIEDER = "Deze organisatie staat niet (meer) in het register."


# Five questions an hour from one client address is more than any entrepreneur needs.
limiet = Limiet(aantal=5, seconden=3600)

# The wegwijzer (a layer below) asks through the template environment which aanbieders can
# take a self-referral, so it offers the button only where a question reaches a person.
templates.env.globals["zelfverwijzing_mogelijk"] = lambda session, ids: zv.mogelijk_bij(
    session=session, aanbieder_ids=ids
)
# The self-referral's sender, for templates that word things differently when there is no
# sending organisation (e.g. the private page after a decline).
templates.env.globals["ZELFVERWIJZING_AFZENDER"] = zv.ZELF
_kanalen = templates.env.globals.get("KANAAL_LABELS")  # set by pages.py, which includes this
if isinstance(_kanalen, dict):
    _kanalen.setdefault(zv.KANAAL, "door uzelf, via de wegwijzer")


def _ontvanger(session: Session, aanbieder: str) -> zv.ZelfOntvanger:
    o = zv.ontvanger(session=session, aanbieder_id=aanbieder[:200])
    if o is None:
        raise HTTPException(404, GEEN_AANBIEDER)
    return o


def _formulier(
    request: Request,
    o: zv.ZelfOntvanger,
    invoer: dict,
    fouten: dict[str, str] | None = None,
    status_code: int = 200,
):
    if not o.mogelijk:
        return render(
            request,
            "zelf/niet_mogelijk.html",
            {"menu": "wegwijzer", "o": o},
            status_code=400 if status_code != 200 or fouten is not None else 200,
        )
    return render(
        request,
        "zelf/formulier.html",
        {
            "menu": "wegwijzer",
            "o": o,
            "invoer": invoer,
            "fouten": fouten or {},
            "csrf": csrf_token(request),
            "formulier": invoer.get("formulier") or zv.nieuw_formulier(),
            "wat": TOESTEMMING_WAT,
            "actie": f"{PAD}/{o.slug}",
            "werkdagen": get_settings().eerste_contact_werkdagen,
        },
        status_code=status_code,
    )


@router.get(f"{PAD}/verstuurd")
def verstuurd(request: Request):
    """The confirmation: shown once, with the private link (the code lives in this visitor's
    server-side session until then, never in a URL of this page)."""
    gegevens = request.session.pop("zelfverwijzing", None)
    return render(request, "zelf/verstuurd.html", {"menu": "wegwijzer", "v": gegevens})


@router.get(PAD + "/{aanbieder}")
def formulier(
    aanbieder: str,
    request: Request,
    session: Sessie,
    dienst: str | None = None,
):
    """The empty form for one aanbieder (from a dienst page or a shared link)."""
    o = _ontvanger(session, aanbieder)
    return _formulier(request, o, {"dienst": (dienst or "")[:200]})


@router.post(PAD + "/{aanbieder}/formulier")
def formulier_van_kaart(
    aanbieder: str,
    request: Request,
    session: Sessie,
    vraag: str = Form(""),
    gemeente: str = Form(""),
    dienst: str = Form(""),
):
    """The form, pre-filled with the question and place from the wegwijzer card (posted, so the
    question never stands in a URL). Nothing is stored yet."""
    o = _ontvanger(session, aanbieder)
    invoer = {"vraag": vraag[: zv.MAX_VRAAG], "gemeente": gemeente[:100], "dienst": dienst[:200]}
    return _formulier(request, o, invoer)


@router.post(PAD + "/{aanbieder}", dependencies=MET_CSRF)
def verstuur(
    aanbieder: str,
    request: Request,
    session: Sessie,
    naam: str = Form(""),
    email: str = Form(""),
    telefoon: str = Form(""),
    kvk_nummer: str = Form(""),
    vraag: str = Form(""),
    gemeente: str = Form(""),
    dienst: str = Form(""),
    toestemming: str = Form(""),
    berichten: str = Form(""),
    formulier: str = Form(""),
):
    """Send the question: every problem at once, or the case and its referral, then the
    confirmation page. The same form sent twice (a double tap) makes one case."""
    o = _ontvanger(session, aanbieder)
    sleutel = Limiet.sleutel("zelfverwijzing", request.client.host if request.client else "")
    if wacht := limiet.wacht(sleutel):
        antwoord = render(
            request,
            "zelf/te_vaak.html",
            {"menu": "wegwijzer", "minuten": max(1, (wacht + 59) // 60)},
            status_code=429,
        )
        antwoord.headers["Retry-After"] = str(wacht)
        return antwoord
    data = zv.NieuweZelfverwijzing(
        naar_aanbieder=str(o.id),
        naam=naam,
        vraag=vraag,
        email=email,
        telefoon=telefoon,
        kvk_nummer=kvk_nummer,
        gemeente=gemeente,
        dienst=dienst.strip() or None,
        toestemming=toestemming == "ja",
        berichten=berichten == "ja",
        formulier=formulier[:64],
    )
    invoer = {
        "naam": naam,
        "email": email,
        "telefoon": telefoon,
        "kvk_nummer": kvk_nummer,
        "vraag": vraag,
        "gemeente": gemeente,
        "dienst": dienst,
        "toestemming": data.toestemming,
        "berichten": data.berichten,
        "formulier": data.formulier,
    }
    if not o.mogelijk:
        return _formulier(request, o, invoer, {}, 400)
    fouten = zv.controleer(data, o.naam)
    if fouten:  # the gemeente's problem too, so every problem shows at once
        fouten |= zv.gemeente_fout(session=session, gemeente=gemeente)
    uit = None
    if not fouten:
        with formulierfouten() as gevangen:
            uit = zv.create_zelfverwijzing(session=session, data=data)
        fouten = {_veld(v): r for v, r in gevangen.velden.items()}
    if fouten or uit is None:
        return _formulier(request, o, invoer, fouten, 400)
    limiet.tel(sleutel)
    request.session["zelfverwijzing"] = {
        "link": f"/mijn-hulpvraag/{uit.code}",
        "organisatie": uit.organisatie,
        "eerste_contact_voor": uit.eerste_contact_voor,
        "per_email": uit.per_email,
    }
    return RedirectResponse(f"{PAD}/verstuurd", status_code=303)


def _veld(veld: str) -> str:
    """The form field of a service error (one without a field of its own: 'algemeen')."""
    if veld.startswith("gemeente"):
        return "gemeente"
    return "algemeen" if veld in ("naar_aanbieder", "dienst") else veld
