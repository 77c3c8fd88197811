"""What every server-rendered page shares: the template environment and a render helper.

The shared layout lives in web/templates; each domain's templates/ folder is searched after it.
The composition root (stelsel.app) adds the vocabularies the templates show as globals.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from stelsel.config import PACKAGE_DIR
from stelsel.errors import Ongeldig, StelselFout

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
    """Field errors of a form, by field name, for the template; `fout` is the last one caught."""

    velden: dict[str, str] = field(default_factory=dict)
    fout: Ongeldig | None = None


@contextmanager
def formulierfouten(fouten: Formulierfouten | None = None) -> Iterator[Formulierfouten]:
    """Turn a service's Ongeldig into a field error of the form, shown beside its field, instead
    of an error page. Every other error goes to the one mapping in the app."""
    fouten = fouten if fouten is not None else Formulierfouten()
    try:
        yield fouten
    except Ongeldig as e:
        fouten.velden[e.veld] = e.reden
        fouten.fout = e


@contextmanager
def als_melding(
    request: Request, soorten: tuple[type[StelselFout], ...] = (Ongeldig,)
) -> Iterator[None]:
    """After a form post that redirects: a service's refusal of these kinds is shown as a
    message on the next page (kept in the session), instead of an error page."""
    try:
        yield
    except soorten as e:
        request.session["fout"] = e.reden if isinstance(e, Ongeldig) else e.detail


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
