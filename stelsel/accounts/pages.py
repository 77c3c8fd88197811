"""Login and logout pages. The login form is bound to the visitor's pre-session (CSRF), the
session gets a new id at login and is removed on the server at logout, and failed attempts
make logging in wait (per account and per client address)."""

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from stelsel.accounts import rollen, service
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.pages import render
from stelsel.web.sessies import roteer

router = APIRouter(include_in_schema=False)
STANDAARD_VERDER = "/doorverwijzingen"


def _formulier(request: Request, verder: str, fout: str | None = None, status_code: int = 200):
    ctx = {"menu": "doorverwijzingen", "verder": verder, "fout": fout, "csrf": csrf_token(request)}
    return render(request, "accounts/inloggen.html", ctx, status_code=status_code)


def _veilig_verder(verder: str) -> str:
    """Only a path on this site, so the login cannot send anyone elsewhere."""
    return (
        verder
        if verder.startswith("/") and not verder.startswith(("//", "/\\"))
        else STANDAARD_VERDER
    )


@router.get("/inloggen")
def login_form(request: Request, verder: str = STANDAARD_VERDER):
    return _formulier(request, verder)


@router.post("/inloggen", dependencies=MET_CSRF)
def login(
    request: Request,
    session: Sessie,
    email: str = Form(""),
    wachtwoord: str = Form(""),
    verder: str = Form(STANDAARD_VERDER),
):
    adres = request.client.host if request.client else "onbekend"
    try:
        actor = service.inloggen(session=session, email=email, wachtwoord=wachtwoord, adres=adres)
    except service.TeVeelPogingen as e:
        minuten = max(1, round(e.seconden / 60))
        r = _formulier(
            request,
            verder,
            "Te veel mislukte pogingen. Probeer het over "
            f"{minuten} minu{'ut' if minuten == 1 else 'ten'} opnieuw.",
            429,
        )
        r.headers["Retry-After"] = str(e.seconden)
        return r
    if actor is None:
        return _formulier(request, verder, "E-mailadres of wachtwoord klopt niet.", 400)
    request.session.clear()
    request.session["gebruiker_id"] = str(actor.id)
    roteer(request)
    if verder == STANDAARD_VERDER and actor.rol in (
        rollen.STELSELREGISSEUR,
        rollen.REGIOCOORDINATOR,
        rollen.MANAGER,
    ):
        verder = "/kwaliteit"  # those who steer land on their dashboard, not on a 403
    return RedirectResponse(_veilig_verder(verder), status_code=303)


@router.post("/uitloggen", dependencies=MET_CSRF)
def logout(request: Request):
    request.session.clear()
    roteer(request)
    return RedirectResponse("/", status_code=303)


# Registerbeheer (editing the register) and user management pages.
from stelsel.accounts.registerbeheer_pages import router as _registerbeheer  # noqa: E402

router.include_router(_registerbeheer)
