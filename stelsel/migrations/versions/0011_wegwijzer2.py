"""wegwijzer2: reserved for the wegwijzer2 work (filled in by that issue)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:10:00
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
