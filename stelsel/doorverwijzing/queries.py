"""Read side of the referral domain: reporting in SQL, the same on SQLite and PostgreSQL.

Nothing here loads ORM objects or personal data; every function returns plain values.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Select, and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import (
    Doorverwijzing,
    DoorverwijzingKeten,
    Hulpvraag,
    HulpvraagThema,
)
from stelsel.register import taxonomie as tx

D = Doorverwijzing.__table__.c
H = Hulpvraag.__table__.c
T = HulpvraagThema.__table__.c
K = DoorverwijzingKeten.__table__.c

# A referral is late while unanswered after its deadline (service.te_laat): the deadline is a
# date already counted in working days when the referral was made, so the query only compares.
OPEN = lc.ONBEANTWOORD


@dataclass
class Cijfers:
    """The statistics of a scope (everything, or a region)."""

    aantal_doorverwijzingen: int = 0
    aantal_hulpvragen: int = 0
    per_status: dict[str, int] = field(default_factory=dict)
    per_uitkomst: dict[str, int] = field(default_factory=dict)
    # per final status with a reason (geweigerd, geannuleerd, mislukt): counts per reason code
    per_reden: dict[str, dict[str, int]] = field(default_factory=dict)
    te_laat: int = 0
    gemiddeld_aantal_hops: float = 0.0
    pingpong: int = 0
    # per thema code: the cases with referrals and their referrals (a case with two thema's
    # counts under both)
    per_thema: dict[str, dict[str, int]] = field(default_factory=dict)


def _in_regio(regio: str | None):
    """The condition on doorverwijzing rows for a region (None: everything)."""
    if regio is None:
        return None
    zaken = select(H.id).where(or_(H.provincie_code == regio, H.arbeidsmarktregio_code == regio))
    return D.hulpvraag_id.in_(zaken)


def _scoped(stmt: Select, regio: str | None) -> Select:
    cond = _in_regio(regio)
    return stmt if cond is None else stmt.where(cond)


def _zaken(stmt: Select, regio: str | None) -> Select:
    """A statement over doorverwijzing_keten (the cases with referrals), for a region."""
    stmt = stmt.select_from(DoorverwijzingKeten.__table__)
    if regio is None:
        return stmt
    return stmt.join(Hulpvraag.__table__, H.id == K.hulpvraag_id).where(
        or_(H.provincie_code == regio, H.arbeidsmarktregio_code == regio)
    )


def statistieken(*, session: Session, regio: str | None, vandaag: date) -> Cijfers:
    """Counts per status and uitkomst, late referrals, hops and ping-pong, for a region (its
    provincie or arbeidsmarktregio code) or everything (None)."""
    cijfers = Cijfers(
        per_status={s: 0 for s in lc.STATUSSEN},
        per_uitkomst={u: 0 for u in lc.UITKOMSTEN},
        per_reden={s: {r: 0 for r in lc.ALLE_REDENEN} for s in sorted(lc.MET_REDEN)},
        per_thema={t: {"hulpvragen": 0, "doorverwijzingen": 0} for t in tx.codes(tx.THEMAS)},
    )
    laat = case((and_(D.status.in_(OPEN), D.eerste_contact_voor < vandaag), 1), else_=0)
    per_groep = _scoped(
        select(D.status, D.uitkomst, D.reden_code, func.count(), func.sum(laat))
        .select_from(Doorverwijzing.__table__)
        .group_by(D.status, D.uitkomst, D.reden_code),
        regio,
    )
    for status, uitkomst, reden_code, n, n_laat in session.execute(per_groep):
        cijfers.aantal_doorverwijzingen += n
        cijfers.te_laat += n_laat or 0
        cijfers.per_status[status] = cijfers.per_status.get(status, 0) + n
        if uitkomst:
            cijfers.per_uitkomst[uitkomst] = cijfers.per_uitkomst.get(uitkomst, 0) + n
        if reden_code and status in cijfers.per_reden:
            redenen = cijfers.per_reden[status]
            redenen[reden_code] = redenen.get(reden_code, 0) + n
    if not cijfers.aantal_doorverwijzingen:
        return cijfers

    # Cases, their hops and ping-pong (lc.keten_kenmerken) come from doorverwijzing_keten, one
    # row per case kept current by the database's triggers (migration 0015): no walk over
    # every referral.
    zaken, pingpong = session.execute(
        _zaken(
            select(func.count(), func.coalesce(func.sum(case((K.pingpong, 1), else_=0)), 0)), regio
        )
    ).one()
    cijfers.aantal_hulpvragen = zaken
    cijfers.pingpong = pingpong
    cijfers.gemiddeld_aantal_hops = round(cijfers.aantal_doorverwijzingen / zaken, 2)
    per_thema = _zaken(
        select(T.thema, func.count(), func.sum(K.aantal))
        .join(HulpvraagThema.__table__, T.hulpvraag_id == K.hulpvraag_id)
        .group_by(T.thema),
        regio,
    )
    for thema, n_zaken, n in session.execute(per_thema):
        cijfers.per_thema[thema] = {"hulpvragen": n_zaken, "doorverwijzingen": n}
    return cijfers


def herbouw_keten(conn: Connection) -> int:
    """Rebuild doorverwijzing_keten from every referral (after a bulk load with its triggers
    disabled); the same computation as the triggers of migration 0015. Returns its rows."""
    pg = conn.dialect.name == "postgresql"
    conn.execute(text("DELETE FROM doorverwijzing_keten"))
    conn.execute(
        text(
            f"""
            INSERT INTO doorverwijzing_keten (hulpvraag_id, aantal, pingpong)
            SELECT hulpvraag_id, count(*),
                coalesce({"bool_or" if pg else "max"}(naar = coalesce(twee_terug, eerste_van)),
                    {"false" if pg else "0"})
            FROM (
                SELECT hulpvraag_id, naar_aanbieder_id AS naar,
                    lag(naar_aanbieder_id, 2) OVER w AS twee_terug,
                    lag(van_aanbieder_id, 1) OVER w AS eerste_van
                FROM doorverwijzing
                WINDOW w AS (PARTITION BY hulpvraag_id ORDER BY aangemaakt_op, id)
            ) AS stappen
            GROUP BY hulpvraag_id
            """
        )
    )
    return conn.execute(text("SELECT count(*) FROM doorverwijzing_keten")).scalar_one()
