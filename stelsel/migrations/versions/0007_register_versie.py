"""register_versie: one row that changes with every write to the register

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:30:00
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "register_versie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versie", sa.String(length=32), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        sa.text(
            "INSERT INTO register_versie (id, versie, gewijzigd_op) "
            "VALUES (1, :versie, CURRENT_TIMESTAMP)"
        ).bindparams(versie=uuid.uuid4().hex)
    )


def downgrade() -> None:
    op.drop_table("register_versie")
