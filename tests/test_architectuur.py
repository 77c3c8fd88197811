"""The layers contract covers every package and module of stelsel: a new one cannot slip in
unchecked (import-linter's `exhaustive` catches it too; this test names it plainly)."""

import re
import subprocess
import sys
import tomllib

from stelsel.config import PACKAGE_DIR, REPO_DIR


def _layers() -> set[str]:
    config = tomllib.loads((REPO_DIR / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return {n.strip() for layer in contract["layers"] for n in re.split(r"[|:]", layer)}


def _modules() -> set[str]:
    packages = {p.parent.name for p in PACKAGE_DIR.glob("*/__init__.py")}
    modules = {p.stem for p in PACKAGE_DIR.glob("*.py")} - {"__init__"}
    return packages | modules


def test_every_package_is_in_the_layers_contract():
    missing = _modules() - _layers()
    assert not missing, f"add these to the layers contract in pyproject.toml: {sorted(missing)}"


def test_the_layers_name_no_package_that_is_gone():
    gone = _layers() - _modules()
    assert not gone, f"remove these from the layers contract: {sorted(gone)}"


def _orm_classes(hint: object) -> set[str]:
    """The ORM-mapped classes a type hint names (inside Optional, list, tuple, dict ...)."""
    import typing

    from stelsel.db import Base

    if isinstance(hint, type) and issubclass(hint, Base):
        return {hint.__name__}
    return {n for arg in typing.get_args(hint) for n in _orm_classes(arg)}


# None left: geography hands GemeenteWaarde, accounts.create a GebruikerWaarde.
NOG_ORM: set[tuple[str, str]] = set()


def test_domains_hand_each_other_values_not_orm_rows():
    """What one domain calls in another's service.py returns no ORM row: a renamed column or
    a lazy load must not reach across (issue 10). Found from the source: every
    `from stelsel.<domain> import service as <name>` outside that domain, and the
    `<name>.<function>` it calls."""
    import importlib
    import inspect
    import typing

    misbruik = []
    for pad in PACKAGE_DIR.rglob("*.py"):
        if "migrations" in pad.parts:
            continue
        tekst = pad.read_text(encoding="utf-8")
        eigen = pad.relative_to(PACKAGE_DIR).parts[0]
        for domein, naam in re.findall(r"from stelsel\.(\w+) import service as (\w+)", tekst):
            if domein == eigen:
                continue
            service = importlib.import_module(f"stelsel.{domein}.service")
            for functie in sorted(set(re.findall(rf"\b{naam}\.(\w+)\(", tekst))):
                f = getattr(service, functie, None)
                if not inspect.isfunction(f) or (domein, functie) in NOG_ORM:
                    continue
                rijen = _orm_classes(typing.get_type_hints(f).get("return"))
                if rijen:
                    misbruik.append(f"{pad.name} → {domein}.{functie}: {sorted(rijen)}")
    assert not misbruik, misbruik


def _gevangen(module: object, knoop: object) -> list[object]:
    """What an `except` clause catches, resolved in its module: classes, or the source text of
    a name the module does not hold (a local tuple of classes, say)."""
    import ast

    if knoop is None:
        return []
    if isinstance(knoop, ast.Tuple):
        return [c for elt in knoop.elts for c in _gevangen(module, elt)]
    delen = []
    while isinstance(knoop, ast.Attribute):
        delen.insert(0, knoop.attr)
        knoop = knoop.value
    if not isinstance(knoop, ast.Name):
        return [ast.unparse(knoop)]
    import builtins

    ding = getattr(module, knoop.id, getattr(builtins, knoop.id, None))
    for deel in delen:
        ding = getattr(ding, deel, None)
    return [ding if isinstance(ding, type) else ".".join([knoop.id, *delen])]


def test_no_route_or_page_catches_a_domain_error_by_hand():
    """Routes and pages leave a service's errors (stelsel.errors and its subclasses) to the
    one mapping: web/problems.py for the API, the app's error page and web/pages.py's form
    helpers (formulierfouten, als_melding) for the pages (issue 10). An `except` whose
    classes cannot be told from the module (a variable) counts too."""
    import ast
    import importlib

    from stelsel.errors import StelselFout

    bestanden = [
        p
        for p in PACKAGE_DIR.rglob("*.py")
        if (p.name.endswith(("pages.py", "api.py")) or p.name == "link.py")
        and "web" not in p.relative_to(PACKAGE_DIR).parts
    ]
    assert len(bestanden) > 10
    vangsten = []
    for pad in bestanden:
        naam = ".".join(("stelsel", *pad.relative_to(PACKAGE_DIR).with_suffix("").parts))
        module = importlib.import_module(naam)
        for knoop in ast.walk(ast.parse(pad.read_text(encoding="utf-8"))):
            if not isinstance(knoop, ast.ExceptHandler):
                continue
            for c in _gevangen(module, knoop.type):
                if not isinstance(c, type) or issubclass(c, StelselFout):
                    vangsten.append(f"{pad.relative_to(PACKAGE_DIR)}:{knoop.lineno} {c}")
    assert not vangsten, vangsten


def test_a_server_process_does_not_import_what_only_some_requests_need(tmp_path):
    """scikit-learn, fpdf2 (with fontTools) and openpyxl took 1.5-2 s of each server process's
    start; they are imported where a proposal is scored, a PDF or a workbook is made."""
    code = (
        "import sys\n"
        "from stelsel.app import create_app\n"
        "from stelsel.db import make_engine\n"
        f"create_app(make_engine('sqlite:///{tmp_path}/start.db'))\n"
        "print(' '.join(m for m in ('sklearn', 'fpdf', 'fontTools', 'openpyxl', 'bm25s')"
        " if m in sys.modules))\n"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, check=True
    )
    assert uit.stdout.strip() == ""
