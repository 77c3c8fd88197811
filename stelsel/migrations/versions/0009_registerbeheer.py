"""registerbeheer: contact and access on every dienst, revisions and archiving, the editing
workflow's versions and the reminders of entries not checked for a year

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 06:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_AANBIEDER = [
    ("kvk_nummer", sa.String(8)),
    ("bezoekadres", sa.String(300)),
    ("postadres", sa.String(300)),
    ("openingstijden", sa.Text()),
]
_DIENST = [
    ("telefoon", sa.String(50)),
    ("email", sa.String(200)),
    ("adres", sa.String(300)),
    ("openingstijden", sa.Text()),
    ("kosten_toelichting", sa.Text()),
    ("wachttijd", sa.String(200)),
    ("upl_uri", sa.String(300)),
    ("bron", sa.Text()),
]


# The expression of register.service.zoektekst(), exactly (the planner matches it as written).
ZOEKTEKST_INDEX = (
    "CREATE INDEX ix_dienst_zoektekst ON dienst USING gin "
    "(lower((((naam || ' ') || omschrijving) || ' ') || trefwoorden) gin_trgm_ops)"
)


def upgrade() -> None:
    with op.batch_alter_table("aanbieder") as b:
        for naam, soort in _AANBIEDER:
            b.add_column(sa.Column(naam, soort, nullable=False, server_default=""))
        b.add_column(sa.Column("revisie", sa.Integer(), nullable=False, server_default="1"))
        b.add_column(
            sa.Column("gearchiveerd", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        b.create_index("ix_aanbieder_gecontroleerd_op", ["gecontroleerd_op"], unique=False)
    with op.batch_alter_table("dienst") as b:
        for naam, soort in _DIENST:
            b.add_column(sa.Column(naam, soort, nullable=False, server_default=""))
        b.add_column(sa.Column("gecontroleerd_op", sa.Date(), nullable=True))
        b.add_column(sa.Column("revisie", sa.Integer(), nullable=False, server_default="1"))
        b.add_column(
            sa.Column("gearchiveerd", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        b.create_index("ix_dienst_gecontroleerd_op", ["gecontroleerd_op"], unique=False)
        b.create_index("ix_dienst_gearchiveerd", ["gearchiveerd"], unique=False)
    op.create_table(
        "register_wijziging",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("soort", sa.String(20), nullable=False),
        sa.Column("slug", sa.String(160), nullable=False),
        sa.Column("aanbieder_slug", sa.String(120), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("actie", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=True),
        sa.Column("gegevens", sa.Text(), nullable=False),
        sa.Column("basis_revisie", sa.Integer(), nullable=False),
        sa.Column("teller", sa.Integer(), nullable=False),
        sa.Column("auteur_id", sa.Uuid(), nullable=True),
        sa.Column("auteur_rol", sa.String(30), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beoordelaar_id", sa.Uuid(), nullable=True),
        sa.Column("beoordeeld_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("soort", "slug", "nummer"),
        sa.UniqueConstraint("soort", "slug", "open", name="uq_register_wijziging_open"),
    )
    with op.batch_alter_table("register_wijziging") as b:
        b.create_index("ix_register_wijziging_aanbieder_slug", ["aanbieder_slug"], unique=False)
        b.create_index("ix_register_wijziging_status", ["status", "aangemaakt_op"], unique=False)
    # Indexes for the list at 100,000 diensten (bench/registerbeheer.py): covering label and
    # area lookups, and on PostgreSQL a trigram index for `q` (LIKE '%woord%').
    for tabel in ("dienst_kenmerk", "dienst_werkgebied"):
        with op.batch_alter_table(tabel) as b:
            b.drop_index(f"ix_{tabel}_soort_code")
            b.create_index(f"ix_{tabel}_soort_code_dienst", ["soort", "code", "dienst_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(ZOEKTEKST_INDEX)
    else:
        op.execute(
            "CREATE INDEX ix_dienst_zoektekst ON dienst "
            "(lower(naam || ' ' || omschrijving || ' ' || trefwoorden))"
        )
    op.create_table(
        "register_herinnering",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("aanbieder_slug", sa.String(120), nullable=False),
        sa.Column("periode", sa.String(7), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("verstuurd_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("aanbieder_slug", "periode"),
    )


def downgrade() -> None:
    op.drop_table("register_herinnering")
    op.execute("DROP INDEX IF EXISTS ix_dienst_zoektekst")
    for tabel in ("dienst_kenmerk", "dienst_werkgebied"):
        with op.batch_alter_table(tabel) as b:
            b.drop_index(f"ix_{tabel}_soort_code_dienst")
            b.create_index(f"ix_{tabel}_soort_code", ["soort", "code"])
    op.drop_table("register_wijziging")
    with op.batch_alter_table("dienst") as b:
        b.drop_index("ix_dienst_gearchiveerd")
        b.drop_index("ix_dienst_gecontroleerd_op")
        for naam in ("gearchiveerd", "revisie", "gecontroleerd_op", *(n for n, _ in _DIENST)):
            b.drop_column(naam)
    with op.batch_alter_table("aanbieder") as b:
        b.drop_index("ix_aanbieder_gecontroleerd_op")
        for naam in ("gearchiveerd", "revisie", *(n for n, _ in _AANBIEDER)):
            b.drop_column(naam)
