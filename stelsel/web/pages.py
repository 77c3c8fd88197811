"""What every server-rendered page shares: the template environment and a render helper.

The shared layout lives in web/templates; each domain's templates/ folder is searched after it.
The composition root (stelsel.app) adds the vocabularies the templates show as globals.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from stelsel.config import PACKAGE_DIR
from stelsel.errors import Ongeldig, StelselFout

P = ParamSpec("P")
R = TypeVar("R")

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"

_template_dirs = [WEB_DIR / "templates"] + sorted(
    p for p in PACKAGE_DIR.glob("*/templates") if p.is_dir() and p.parent != WEB_DIR
)
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in _template_dirs])


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    """Render a page template with the shared layout."""
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def template_dirs() -> list[Path]:
    return list(_template_dirs)


# The media type of a download, by its file name's extension.
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def bijlage(inhoud: bytes, bestandsnaam: str) -> Response:
    """A download: `inhoud` as the file `bestandsnaam` (a name safe in a header, such as
    `uitvoer.tabel.bestandsnaam` gives), its media type from the extension."""
    return Response(
        inhoud,
        media_type=MEDIA_TYPES[bestandsnaam.rsplit(".", 1)[-1]],
        headers={"Content-Disposition": f'attachment; filename="{bestandsnaam}"'},
    )


@dataclass
class Formulierfouten:
    """Field errors of a form, by field name, for the template; `fout` is the last one caught.
    A refusal that is about no one field stands under `algemeen` (the top of the form)."""

    velden: dict[str, str] = field(default_factory=dict)
    fout: StelselFout | None = None


@contextmanager
def formulierfouten(
    fouten: Formulierfouten | None = None,
    soorten: tuple[type[StelselFout], ...] = (Ongeldig,),
) -> Iterator[Formulierfouten]:
    """Turn a service's refusal of these kinds into an error of the form, instead of an error
    page: an Ongeldig beside its field, any other (a Conflict, say) under `algemeen`. Every
    other error goes to the one mapping in the app."""
    fouten = fouten if fouten is not None else Formulierfouten()
    try:
        yield fouten
    except soorten as e:
        fouten.velden[e.veld if isinstance(e, Ongeldig) else "algemeen"] = _reden(e)
        fouten.fout = e


def _reden(fout: StelselFout) -> str:
    return fout.reden if isinstance(fout, Ongeldig) else fout.detail


@contextmanager
def als_melding(
    request: Request, soorten: tuple[type[StelselFout], ...] = (Ongeldig,)
) -> Iterator[Formulierfouten]:
    """After a form post that redirects: a service's refusal of these kinds is shown as a
    message on the next page (kept in the session), instead of an error page. What it
    yields holds the refusal (`fout`), for a page whose next step depends on it."""
    gevangen = Formulierfouten()
    try:
        yield gevangen
    except soorten as e:
        request.session["fout"] = _reden(e)
        gevangen.fout = e


def bij_fout(
    soort: type[StelselFout], antwoord: Callable[[Request], Response]
) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """A page that answers a refusal of this kind with a page of its own (a link that no
    longer works, say) instead of the app's error page: `antwoord(request)` is the answer.
    What the request wrote stays (the audit entry of the refusal), as for any answer the page
    gives itself. Put it below the route's decorator; the page takes `request`."""

    def decorator(pagina: Callable[P, R]) -> Callable[P, R | Response]:
        @functools.wraps(pagina)
        def met_antwoord(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            try:
                return pagina(*args, **kwargs)
            except soort:
                request = kwargs["request"]
                assert isinstance(request, Request)
                return antwoord(request)

        return met_antwoord

    return decorator


class NaarLogin(Exception):
    """A page for logged-in users only, asked by someone who is not: the app sends them to the
    login form, and back to this page afterwards (see naar_login)."""

    def __init__(self, pad: str) -> None:
        super().__init__(pad)
        self.pad = pad


async def naar_login(request: Request, exc: Exception) -> RedirectResponse:
    """Exception handler of the app for NaarLogin."""
    pad = exc.pad if isinstance(exc, NaarLogin) else request.url.path
    return RedirectResponse(f"/inloggen?verder={pad}", status_code=303)
