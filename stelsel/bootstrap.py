"""Bring a database to a working state: schema migrated, geography and bundled register loaded."""

import logging
from pathlib import Path

from sqlalchemy import Engine

from stelsel.config import get_settings
from stelsel.db import session_scope
from stelsel.geo import service as geo
from stelsel.register import service as register
from stelsel.schema import migrate

log = logging.getLogger(__name__)


def prepare(engine: Engine, *, with_register: bool = True, data_dir: Path | None = None) -> dict:
    """Migrate, load geography when missing and, if asked, the bundled register when empty."""
    data_dir = data_dir or get_settings().data_dir
    migrate(engine)
    result = {"gemeenten": 0, "aanbieders": 0, "diensten": 0}
    with session_scope(engine) as session:
        if not geo.is_loaded(session=session):
            result["gemeenten"] = geo.load(session=session, geo_dir=data_dir / "geo")
            log.info("geo_loaded", extra={"gemeenten": result["gemeenten"]})
    if with_register:
        with session_scope(engine) as session:
            if register.is_empty(session=session):
                records = register.read_csv(session=session, map_=data_dir / "register")
                a, d = register.load(session=session, register=records)
                result.update(aanbieders=a, diensten=d)
                log.info("register_loaded", extra={"aanbieders": a, "diensten": d})
    return result
