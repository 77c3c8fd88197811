"""Fixtures for the register's command-line tests."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from stelsel.cli import app
from stelsel.config import get_settings
from stelsel.db import get_engine, make_engine, session_scope
from stelsel.register.models import Aanbieder, Dienst


@pytest.fixture
def stelsel(monkeypatch):
    """Run `stelsel …` against the database at a given URL (as STELSEL_DATABASE_URL)."""
    runner = CliRunner()

    def run(url: str, *args: str):
        monkeypatch.setenv("STELSEL_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            return runner.invoke(app, list(args))
        finally:
            get_engine().dispose()
            get_engine.cache_clear()
            get_settings.cache_clear()

    return run


@pytest.fixture
def register_counts():
    """A function: (aanbieders, diensten) in the database at a URL."""

    def count(url: str) -> tuple[int, int]:
        engine = make_engine(url)
        try:
            with session_scope(engine) as s:
                return (
                    s.scalar(select(func.count()).select_from(Aanbieder)),
                    s.scalar(select(func.count()).select_from(Dienst)),
                )
        finally:
            engine.dispose()

    return count
