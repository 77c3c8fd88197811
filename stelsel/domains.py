"""The one list of domains: what each contributes to the schema, the API, the pages and the CLI.

A new domain is added here (and to the layers contract in pyproject.toml); nothing else needs to
know it exists.
"""

import importlib

from fastapi import APIRouter
from typer import Typer

# Package of every domain, bottom layer first.
DOMEINEN = [
    "geo",
    "register",
    "meldingen",
    "accounts",
    "wegwijzer",
    "doorverwijzing",
    "kwaliteit",
    "analyse",
]


def import_all_models() -> None:
    """Import every domain's models so Base.metadata knows all tables."""
    for naam in DOMEINEN:
        importlib.import_module(f"stelsel.{naam}.models")


def api_routers() -> tuple[list[APIRouter], list[APIRouter]]:
    """The API routers: open to anyone, and for logged-in callers only."""
    from stelsel.accounts.api import router as accounts_api
    from stelsel.analyse.api import router as analyse_api
    from stelsel.doorverwijzing.api import router as doorverwijzing_api
    from stelsel.geo.api import router as geo_api
    from stelsel.kwaliteit.api import router as kwaliteit_api
    from stelsel.register.api import router as register_api
    from stelsel.wegwijzer.api import router as wegwijzer_api

    # kwaliteit and analyse answer logged-in callers only (each route checks the role).
    return (
        [register_api, geo_api, wegwijzer_api],
        [doorverwijzing_api, accounts_api, kwaliteit_api, analyse_api],
    )


def page_routers() -> list[APIRouter]:
    from stelsel.accounts.pages import router as accounts_pages
    from stelsel.analyse.pages import router as analyse_pages
    from stelsel.doorverwijzing.pages import router as doorverwijzing_pages
    from stelsel.kwaliteit.dashboard import router as kwaliteit_dashboard
    from stelsel.kwaliteit.pages import router as kwaliteit_pages
    from stelsel.register.hsds_api import router as hsds_api
    from stelsel.register.pages import router as register_pages
    from stelsel.wegwijzer.pages import router as wegwijzer_pages

    return [
        register_pages,
        wegwijzer_pages,
        accounts_pages,
        doorverwijzing_pages,
        kwaliteit_pages,
        kwaliteit_dashboard,
        analyse_pages,
        hsds_api,  # the Open Referral HSDS 3.0 API at /hsds, beside /api/v1 (see hsds_api.py)
    ]


def cli_apps() -> list[tuple[str, Typer]]:
    """(name, Typer app) of every domain command group."""
    from stelsel.accounts.cli import gebruiker_app, register_app
    from stelsel.analyse.cli import analyse_app
    from stelsel.kwaliteit.cli import importeer_enquete, kwaliteit_app
    from stelsel.kwaliteit.rapport_cli import rapport_app
    from stelsel.meldingen.cli import koppeling_app, outbox_app
    from stelsel.register.cli import export_app, import_app
    from stelsel.wegwijzer.cli import evalueer_app

    import_app.command("enquete")(importeer_enquete)  # stelsel import enquete FILE.csv
    return [
        ("export", export_app),
        ("import", import_app),
        ("evalueer", evalueer_app),
        ("gebruiker", gebruiker_app),
        ("register", register_app),
        ("outbox", outbox_app),
        ("koppeling", koppeling_app),
        ("kwaliteit", kwaliteit_app),
        ("analyse", analyse_app),
        ("rapport", rapport_app),
    ]
