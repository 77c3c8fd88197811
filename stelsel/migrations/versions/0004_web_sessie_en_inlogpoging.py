"""web sessions on the server and login attempts

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessie",
        sa.Column("sleutel_hash", sa.String(length=64), nullable=False),
        sa.Column("gebruiker_id", sa.Uuid(), nullable=True),
        sa.Column("gegevens", sa.Text(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sleutel_hash"),
    )
    with op.batch_alter_table("web_sessie", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_sessie_gebruiker_id"), ["gebruiker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_web_sessie_verloopt_op"), ["verloopt_op"], unique=False
        )
    op.create_table(
        "inlogpoging",
        sa.Column("sleutel_hash", sa.String(length=64), nullable=False),
        sa.Column("mislukt", sa.Integer(), nullable=False),
        sa.Column("laatste_poging", sa.DateTime(timezone=True), nullable=False),
        sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("sleutel_hash"),
    )


def downgrade() -> None:
    op.drop_table("inlogpoging")
    with op.batch_alter_table("web_sessie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessie_verloopt_op"))
        batch_op.drop_index(batch_op.f("ix_web_sessie_gebruiker_id"))
    op.drop_table("web_sessie")
