"""Migrations and models never drift: a migrated database matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from stelsel.db import Base
from stelsel.domains import import_all_models


def test_migrations_match_models(databases):
    import_all_models()
    engine = databases.engine()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], diff
