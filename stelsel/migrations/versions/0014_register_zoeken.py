"""register: indexes for the dienst list (GET /api/v1/diensten at 100,000 diensten)

- (naam, slug) and (landelijk, naam, slug): the list's order (national ones last within a
  region), so PostgreSQL reads a page from the index instead of sorting every match;
- bijgewerkt_op on dienst and aanbieder: the list's result cache (register/service.py) checks
  max(bijgewerkt_op) on every request, one index probe each.

Plain b-tree indexes: the same DDL on SQLite and PostgreSQL.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:30:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_dienst_naam_slug", "dienst", ["naam", "slug"]),
    ("ix_dienst_landelijk_naam_slug", "dienst", ["landelijk", "naam", "slug"]),
    ("ix_dienst_bijgewerkt_op", "dienst", ["bijgewerkt_op"]),
    ("ix_aanbieder_bijgewerkt_op", "aanbieder", ["bijgewerkt_op"]),
)


def upgrade() -> None:
    for naam, tabel, kolommen in INDEXES:
        op.create_index(naam, tabel, kolommen)


def downgrade() -> None:
    for naam, tabel, _kolommen in INDEXES:
        op.drop_index(naam, table_name=tabel)
