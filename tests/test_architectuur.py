"""The layers contract covers every package and module of stelsel: a new one cannot slip in
unchecked (import-linter's `exhaustive` catches it too; this test names it plainly)."""

import re
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


# Known and left as they are (issue 10's closing note): geography is reference data, loaded
# once and never edited, whose Gemeente rows 15 modules read; a provider link's new account.
NOG_ORM = {("geo", "get"), ("geo", "get_all"), ("geo", "resolve"), ("accounts", "create")}


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
