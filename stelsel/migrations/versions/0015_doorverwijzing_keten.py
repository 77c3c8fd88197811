"""doorverwijzing: doorverwijzing_keten, each case's referral count and ping-pong, kept current
by triggers

The statistics (doorverwijzing/queries.py) read one row per case instead of walking every
referral with window functions (1,000,000 referrals: ~0.8 s of window work on PostgreSQL).

A row per hulpvraag with at least one referral: `aantal` (its referrals) and `pingpong` (a
referral's receiver is the provider two steps back in the chain: lc.keten_kenmerken). Triggers
on doorverwijzing recompute a case from its rows after every INSERT, DELETE and UPDATE of the
chain columns (hulpvraag_id, aangemaakt_op, van_aanbieder_id, naar_aanbieder_id), so every
write path (service, bulk SQL, tests) keeps it exact. A status change does not fire them. On
PostgreSQL the trigger first locks the hulpvraag row (FOR NO KEY UPDATE): two transactions
adding to the same case recompute one after the other, each seeing the other's committed row.

Upgrade fills the table from the existing referrals; downgrade drops triggers and table.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 23:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

KOLOMMEN = "hulpvraag_id, aangemaakt_op, van_aanbieder_id, naar_aanbieder_id"

# One case's row from its referrals in chain order; {h} is the case id. Empty (no row) when
# the case has no referrals left.
EEN_ZAAK = """
    INSERT INTO doorverwijzing_keten (hulpvraag_id, aantal, pingpong)
    SELECT {h}, count(*), coalesce({any}(naar = coalesce(twee_terug, eerste_van)), {false})
    FROM (
        SELECT naar_aanbieder_id AS naar,
            lag(naar_aanbieder_id, 2) OVER w AS twee_terug,
            lag(van_aanbieder_id, 1) OVER w AS eerste_van
        FROM doorverwijzing WHERE hulpvraag_id = {h}
        WINDOW w AS (ORDER BY aangemaakt_op, id)
    ) AS stappen
    HAVING count(*) > 0
"""

ALLE_ZAKEN = """
    INSERT INTO doorverwijzing_keten (hulpvraag_id, aantal, pingpong)
    SELECT hulpvraag_id, count(*), coalesce({any}(naar = coalesce(twee_terug, eerste_van)), {false})
    FROM (
        SELECT hulpvraag_id, naar_aanbieder_id AS naar,
            lag(naar_aanbieder_id, 2) OVER w AS twee_terug,
            lag(van_aanbieder_id, 1) OVER w AS eerste_van
        FROM doorverwijzing
        WINDOW w AS (PARTITION BY hulpvraag_id ORDER BY aangemaakt_op, id)
    ) AS stappen
    GROUP BY hulpvraag_id
"""

PG_FUNCTIES = f"""
CREATE FUNCTION doorverwijzing_keten_zaak(h uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM hulpvraag WHERE id = h FOR NO KEY UPDATE;
    DELETE FROM doorverwijzing_keten WHERE hulpvraag_id = h;
    {EEN_ZAAK.format(h="h", any="bool_or", false="false")};
END $$;

CREATE FUNCTION doorverwijzing_keten_bij() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM doorverwijzing_keten_zaak(OLD.hulpvraag_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.hulpvraag_id <> OLD.hulpvraag_id) THEN
        PERFORM doorverwijzing_keten_zaak(NEW.hulpvraag_id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER doorverwijzing_keten_bij
AFTER INSERT OR DELETE OR UPDATE OF {KOLOMMEN} ON doorverwijzing
FOR EACH ROW EXECUTE FUNCTION doorverwijzing_keten_bij();
"""


def _sqlite_zaak(rij: str) -> str:
    return (
        f"DELETE FROM doorverwijzing_keten WHERE hulpvraag_id = {rij}.hulpvraag_id;"
        + EEN_ZAAK.format(h=f"{rij}.hulpvraag_id", any="max", false="0")
        + ";"
    )


SQLITE_TRIGGERS = (
    "CREATE TRIGGER doorverwijzing_keten_na_insert AFTER INSERT ON doorverwijzing "
    f"BEGIN {_sqlite_zaak('NEW')} END",
    "CREATE TRIGGER doorverwijzing_keten_na_delete AFTER DELETE ON doorverwijzing "
    f"BEGIN {_sqlite_zaak('OLD')} END",
    f"CREATE TRIGGER doorverwijzing_keten_na_update AFTER UPDATE OF {KOLOMMEN} "
    f"ON doorverwijzing BEGIN {_sqlite_zaak('OLD')} {_sqlite_zaak('NEW')} END",
)


def upgrade() -> None:
    op.create_table(
        "doorverwijzing_keten",
        sa.Column("hulpvraag_id", sa.Uuid(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("pingpong", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("hulpvraag_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ALLE_ZAKEN.format(any="bool_or", false="false"))
        op.execute(PG_FUNCTIES)
    else:
        op.execute(ALLE_ZAKEN.format(any="max", false="0"))
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER doorverwijzing_keten_bij ON doorverwijzing")
        op.execute("DROP FUNCTION doorverwijzing_keten_bij()")
        op.execute("DROP FUNCTION doorverwijzing_keten_zaak(uuid)")
    else:
        for naam in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER doorverwijzing_keten_na_{naam}")
    op.drop_table("doorverwijzing_keten")
