"""registerbeheer: reserved for the registerbeheer work (filled in by that issue)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:10:00
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
