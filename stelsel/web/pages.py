"""What every server-rendered page shares: the template environment and a render helper.

The shared layout lives in web/templates; each domain's templates/ folder is searched after it.
The composition root (stelsel.app) adds the vocabularies the templates show as globals.
"""

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from stelsel.config import PACKAGE_DIR

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
