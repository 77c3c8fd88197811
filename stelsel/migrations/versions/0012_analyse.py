"""analyse: reserved for the analyse work (filled in by that issue)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 06:10:00
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
