"""wegwijzer: demand signals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vraagsignaal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.Column("themas", sa.String(length=200), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), nullable=True),
        sa.Column("provincie_code", sa.String(length=4), nullable=True),
        sa.Column("vraag", sa.Text(), nullable=True),
        sa.Column("aantal_resultaten", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vraagsignaal") as batch:
        batch.create_index("ix_vraagsignaal_tijdstip", ["tijdstip"])
        batch.create_index("ix_vraagsignaal_gemeente_code", ["gemeente_code"])
        batch.create_index("ix_vraagsignaal_provincie_code", ["provincie_code"])


def downgrade() -> None:
    op.drop_table("vraagsignaal")
