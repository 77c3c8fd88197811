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
