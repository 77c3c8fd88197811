"""kwaliteit: the rollup per month instead of per day (kwaliteit_maand replaces kwaliteit_rollup)

The per-day rollup had about as many rows as responses at national density, so the dashboard
read almost the raw rows. The monthly one has the same columns with `maand` (the first day of
the UTC month) for `dag`; it is filled from the per-day rows (sums of integers: exact), so no
response has to be read. Downgrade does the reverse at month granularity: each month's row
lands on the first day of its month (the daily detail is gone; run
`stelsel kwaliteit rollup herbouw` after a downgrade for the real days).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATS = (
    "n",
    "csat_n",
    "csat_som",
    "csat_kwadraatsom",
    "ces_n",
    "ces_som",
    "ces_kwadraatsom",
    "nps_n",
    "nps_promotors",
    "nps_passief",
    "nps_criticasters",
    "opgelost_volledig",
    "opgelost_deels",
    "opgelost_nog_niet_verwacht_wel",
    "opgelost_nog_niet_verwacht_niet",
    "ftr_n",
    "ftr_ja",
)
DIMS = ("aanbieder_id", "gemeente_code", "thema", "bron")


def _tabel(naam: str, tijd: str) -> None:
    op.create_table(
        naam,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(tijd, sa.Date(), nullable=False),
        sa.Column("aanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("gemeente_code", sa.String(length=6), server_default="", nullable=False),
        sa.Column("thema", sa.String(length=40), server_default="", nullable=False),
        sa.Column("bron", sa.String(length=10), nullable=False),
        *[sa.Column(k, sa.Integer(), server_default="0", nullable=False) for k in STATS],
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(tijd, *DIMS, name=f"uq_{naam}"),
    )


def _maand(kolom: str) -> str:
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(date_trunc('month', {kolom}) AS date)"
    return f"date({kolom}, 'start of month')"


def _kopieer(van: str, van_tijd: str, naar: str, naar_tijd: str) -> None:
    dims, stats = ", ".join(DIMS), ", ".join(STATS)
    sommen = ", ".join(f"SUM({k})" for k in STATS)
    maand = _maand(van_tijd)
    op.execute(
        f"INSERT INTO {naar} ({naar_tijd}, {dims}, {stats}) "
        f"SELECT {maand}, {dims}, {sommen} FROM {van} GROUP BY {maand}, {dims}"
    )


def upgrade() -> None:
    _tabel("kwaliteit_maand", "maand")
    op.create_index("ix_kwaliteit_maand_thema", "kwaliteit_maand", ["thema", "maand"])
    op.create_index("ix_kwaliteit_maand_gemeente", "kwaliteit_maand", ["gemeente_code", "maand"])
    op.create_index("ix_kwaliteit_maand_aanbieder", "kwaliteit_maand", ["aanbieder_id", "maand"])
    _kopieer("kwaliteit_rollup", "dag", "kwaliteit_maand", "maand")
    op.drop_index("ix_kwaliteit_rollup_gemeente", table_name="kwaliteit_rollup")
    op.drop_table("kwaliteit_rollup")


def downgrade() -> None:
    _tabel("kwaliteit_rollup", "dag")
    op.create_index("ix_kwaliteit_rollup_gemeente", "kwaliteit_rollup", ["gemeente_code", "dag"])
    _kopieer("kwaliteit_maand", "maand", "kwaliteit_rollup", "dag")
    op.drop_index("ix_kwaliteit_maand_aanbieder", table_name="kwaliteit_maand")
    op.drop_index("ix_kwaliteit_maand_gemeente", table_name="kwaliteit_maand")
    op.drop_index("ix_kwaliteit_maand_thema", table_name="kwaliteit_maand")
    op.drop_table("kwaliteit_maand")
