"""an index over each case's chain of referrals, for the statistics

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08 09:00:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KOLOMMEN = ["hulpvraag_id", "aangemaakt_op", "id", "van_aanbieder_id", "naar_aanbieder_id"]


def upgrade() -> None:
    with op.batch_alter_table("doorverwijzing", schema=None) as batch_op:
        batch_op.create_index("ix_doorverwijzing_keten", KOLOMMEN, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("doorverwijzing", schema=None) as batch_op:
        batch_op.drop_index("ix_doorverwijzing_keten")
