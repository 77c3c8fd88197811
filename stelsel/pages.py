"""What every server-rendered page shares: the template environment and a render helper."""

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from stelsel.config import PACKAGE_DIR
from stelsel.register import taxonomie as tx

_template_dirs = [PACKAGE_DIR / "templates"] + sorted(
    p for p in PACKAGE_DIR.glob("*/templates") if p.is_dir()
)
templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
templates.env.loader = ChoiceLoader([FileSystemLoader(str(d)) for d in _template_dirs])
templates.env.globals.update(
    THEMAS=tx.THEMAS,
    TRANSITIETHEMAS=tx.TRANSITIETHEMAS,
    DIENST_SOORTEN=tx.DIENST_SOORTEN,
    FASEN=tx.FASEN,
    DOELGROEPEN=tx.DOELGROEPEN,
    KANALEN=tx.KANALEN,
    KOSTEN=tx.KOSTEN,
    NIVEAUS=tx.NIVEAUS,
    AANBIEDER_SOORTEN=tx.AANBIEDER_SOORTEN,
    label=tx.label,
)


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    """Render a page template with the shared layout."""
    return templates.TemplateResponse(request, name, context or {}, status_code=status_code)


def template_dirs() -> list[Path]:
    return list(_template_dirs)
