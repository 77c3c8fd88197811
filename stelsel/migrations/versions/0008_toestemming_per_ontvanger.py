"""consent per recipient, coded reasons, timeline notes, links for providers without users

Existing consents are migrated honestly: a consent without a recipient covered "the
organisation you are referred to", so it is bound to the case's first referral and covers that
hop only. Later hops of existing cases get no consent: their receivers no longer see personal
data until the entrepreneur gives it for them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns are added in place: on SQLite recreating a table that others point to (hulpvraag,
    # doorverwijzing) would fail its foreign keys. Only toestemming, which nothing points to
    # yet, is recreated there (to make gegeven_op nullable).
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("hulpvraag", sa.Column("ingetrokken_op", sa.DateTime(timezone=True)))
    with op.batch_alter_table("toestemming") as b:
        b.add_column(sa.Column("soort", sa.String(10), nullable=False, server_default="delen"))
        b.add_column(sa.Column("naar_aanbieder_id", sa.Uuid(), nullable=True))
        b.add_column(sa.Column("kanaal", sa.String(20), nullable=False, server_default="intake"))
        b.add_column(sa.Column("vastgelegd_door", sa.Uuid(), nullable=True))
        b.add_column(sa.Column("gevraagd_op", sa.DateTime(timezone=True), nullable=True))
        b.alter_column("gegeven_op", existing_type=sa.DateTime(timezone=True), nullable=True)
    op.add_column("doorverwijzing", sa.Column("reden_code", sa.String(30)))
    bestaand = {k["name"] for k in sa.inspect(op.get_bind()).get_columns("doorverwijzing")}
    if sqlite and "toestemming_id" in bestaand:
        pass  # kept, emptied, by a downgrade on SQLite
    elif sqlite:  # SQLite adds a column with its reference in place
        op.execute(
            "ALTER TABLE doorverwijzing ADD COLUMN toestemming_id CHAR(32) "
            "CONSTRAINT fk_doorverwijzing_toestemming REFERENCES toestemming (id)"
        )
    else:
        op.add_column("doorverwijzing", sa.Column("toestemming_id", sa.Uuid()))
        op.create_foreign_key(
            "fk_doorverwijzing_toestemming",
            "doorverwijzing",
            "toestemming",
            ["toestemming_id"],
            ["id"],
        )
    op.add_column("doorverwijzing", sa.Column("herinnerd_op", sa.DateTime(timezone=True)))
    op.add_column("doorverwijzing", sa.Column("geescaleerd_op", sa.DateTime(timezone=True)))
    for kolom in (
        sa.Column("aanbieder_id", sa.Uuid()),
        sa.Column("soort", sa.String(10), nullable=False, server_default="status"),
        sa.Column("reden_code", sa.String(30)),
        sa.Column("toelichting", sa.Text()),
    ):
        op.add_column("doorverwijzing_gebeurtenis", kolom)
    op.create_table(
        "aanbieder_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("doorverwijzing_id", sa.Uuid(), nullable=False),
        sa.Column("aanbieder_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verloopt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("naam", sa.String(200), nullable=True),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("gebruikt_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ingetrokken_op", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["doorverwijzing_id"], ["doorverwijzing.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_aanbieder_link_doorverwijzing_id", "aanbieder_link", ["doorverwijzing_id"])
    op.create_index("ix_toestemming_naar", "toestemming", ["hulpvraag_id", "naar_aanbieder_id"])

    # Bind each intake consent to its case's first referral, and that referral to it.
    eerste = sa.text(
        "SELECT d.id, d.naar_aanbieder_id FROM doorverwijzing d WHERE d.hulpvraag_id = :h "
        "ORDER BY d.aangemaakt_op, d.id LIMIT 1"
    )
    conn = op.get_bind()
    for tid, hid in conn.execute(
        sa.text("SELECT id, hulpvraag_id FROM toestemming WHERE naar_aanbieder_id IS NULL")
    ).all():
        rij = conn.execute(eerste, {"h": hid}).first()
        if rij is None:
            continue  # no referral yet: it still covers the first hop, whichever it will be
        conn.execute(
            sa.text("UPDATE toestemming SET naar_aanbieder_id = :a WHERE id = :t"),
            {"a": rij[1], "t": tid},
        )
        conn.execute(
            sa.text("UPDATE doorverwijzing SET toestemming_id = :t WHERE id = :d"),
            {"t": tid, "d": rij[0]},
        )
    # a withdrawn consent was a withdrawal of the whole case
    conn.execute(
        sa.text(
            "UPDATE hulpvraag SET ingetrokken_op = (SELECT max(t.ingetrokken_op) "
            "FROM toestemming t WHERE t.hulpvraag_id = hulpvraag.id) "
            "WHERE geanonimiseerd_op IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM toestemming t WHERE t.hulpvraag_id = hulpvraag.id "
            "AND t.ingetrokken_op IS NULL) AND EXISTS (SELECT 1 FROM toestemming t "
            "WHERE t.hulpvraag_id = hulpvraag.id)"
        )
    )


def downgrade() -> None:
    op.drop_index("ix_toestemming_naar", "toestemming")
    op.drop_index("ix_aanbieder_link_doorverwijzing_id", "aanbieder_link")
    op.drop_table("aanbieder_link")
    # SQLite drops a column in place (3.35+) unless a constraint uses it
    for c in ("toelichting", "reden_code", "soort", "aanbieder_id"):
        op.drop_column("doorverwijzing_gebeurtenis", c)
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_doorverwijzing_toestemming", "doorverwijzing", type_="foreignkey")
    for c in ("geescaleerd_op", "herinnerd_op", "reden_code"):
        op.drop_column("doorverwijzing", c)
    if op.get_bind().dialect.name == "sqlite":
        # a column with a reference cannot be dropped in place: keep it, emptied
        op.execute("UPDATE doorverwijzing SET toestemming_id = NULL")
    else:
        op.drop_column("doorverwijzing", "toestemming_id")
    op.execute("UPDATE toestemming SET gegeven_op = COALESCE(gegeven_op, gevraagd_op)")
    op.execute("DELETE FROM toestemming WHERE gegeven_op IS NULL")
    with op.batch_alter_table("toestemming") as b:
        b.alter_column("gegeven_op", existing_type=sa.DateTime(timezone=True), nullable=False)
        for c in ("gevraagd_op", "vastgelegd_door", "kanaal", "naar_aanbieder_id", "soort"):
            b.drop_column(c)
    op.drop_column("hulpvraag", "ingetrokken_op")
