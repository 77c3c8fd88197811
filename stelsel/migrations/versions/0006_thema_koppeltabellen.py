"""thema codes as rows: hulpvraag_thema and vraagsignaal_thema replace ';'-joined columns

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00

The upgrade carries every code over (in its order, each code once, empty parts dropped, as
every reader did) and drops the old columns; the downgrade joins the rows back with ';'.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (owner table, link table, foreign key column)
TABELLEN = [
    ("hulpvraag", "hulpvraag_thema", "hulpvraag_id"),
    ("vraagsignaal", "vraagsignaal_thema", "vraagsignaal_id"),
]
PER_KEER = 5000


def _drop_themas(conn: sa.Connection, tabel: str) -> None:
    """Drop the old column. On SQLite not through batch mode: recreating hulpvraag while
    toestemming, doorverwijzing and the link rows point at it fails its foreign keys (they
    cannot be switched off inside the migration's transaction), and SQLite (3.35+) drops a
    plain column in place."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"ALTER TABLE {tabel} DROP COLUMN themas")
    else:
        op.drop_column(tabel, "themas")


def upgrade() -> None:
    conn = op.get_bind()
    for eigenaar, koppel, fk in TABELLEN:
        op.create_table(
            koppel,
            sa.Column(fk, sa.Uuid(), nullable=False),
            sa.Column("thema", sa.String(length=40), nullable=False),
            sa.Column("volgorde", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint([fk], [f"{eigenaar}.id"]),
            sa.PrimaryKeyConstraint(fk, "thema"),
        )
        with op.batch_alter_table(koppel, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{koppel}_thema"), ["thema"], unique=False)
        bron = sa.table(eigenaar, sa.column("id", sa.Uuid()), sa.column("themas", sa.String()))
        doel = sa.table(
            koppel,
            sa.column(fk, sa.Uuid()),
            sa.column("thema", sa.String()),
            sa.column("volgorde", sa.Integer()),
        )
        rijen = conn.execute(sa.select(bron.c.id, bron.c.themas)).all()
        nieuw = [
            {fk: id_, "thema": t, "volgorde": i}
            for id_, themas in rijen
            for i, t in enumerate(dict.fromkeys(t for t in (themas or "").split(";") if t))
        ]
        for start in range(0, len(nieuw), PER_KEER):
            conn.execute(doel.insert(), nieuw[start : start + PER_KEER])
        _drop_themas(conn, eigenaar)


def downgrade() -> None:
    conn = op.get_bind()
    for eigenaar, koppel, fk in TABELLEN:
        # in place on both databases (SQLite adds a column without recreating the table)
        op.add_column(
            eigenaar,
            sa.Column("themas", sa.String(length=200), nullable=False, server_default=""),
        )
        doel = sa.table(eigenaar, sa.column("id", sa.Uuid()), sa.column("themas", sa.String()))
        bron = sa.table(
            koppel,
            sa.column(fk, sa.Uuid()),
            sa.column("thema", sa.String()),
            sa.column("volgorde", sa.Integer()),
        )
        per: dict = {}
        for id_, thema in conn.execute(
            sa.select(bron.c[fk], bron.c.thema).order_by(bron.c[fk], bron.c.volgorde)
        ):
            per.setdefault(id_, []).append(thema)
        waarden = [{"b_id": id_, "b_themas": ";".join(ts)} for id_, ts in per.items()]
        for start in range(0, len(waarden), PER_KEER):
            conn.execute(
                doel.update()
                .where(doel.c.id == sa.bindparam("b_id"))
                .values(themas=sa.bindparam("b_themas")),
                waarden[start : start + PER_KEER],
            )
        if conn.dialect.name != "sqlite":  # SQLite keeps the harmless '' default
            op.alter_column(eigenaar, "themas", server_default=None)
        with op.batch_alter_table(koppel, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{koppel}_thema"))
        op.drop_table(koppel)
