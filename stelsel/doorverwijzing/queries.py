"""Read side of the referral domain: reporting in SQL, the same on SQLite and PostgreSQL.

Nothing here loads ORM objects or personal data; every function returns plain values.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Over
from sqlalchemy.sql.functions import FunctionElement

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag, HulpvraagThema
from stelsel.register import taxonomie as tx

D = Doorverwijzing.__table__.c
H = Hulpvraag.__table__.c
T = HulpvraagThema.__table__.c

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

    # A case's chain of providers is the first sender followed by each receiver in order
    # (lc.keten_kenmerken). Its hops are its number of referrals; it ping-pongs when a
    # receiver is the provider two steps back: the receiver two referrals earlier, or for the
    # second referral the first sender.
    def in_zaak(f: FunctionElement) -> Over:
        return f.over(partition_by=D.hulpvraag_id, order_by=(D.aangemaakt_op, D.id))

    twee_terug = func.coalesce(
        in_zaak(func.lag(D.naar_aanbieder_id, 2)), in_zaak(func.lag(D.van_aanbieder_id, 1))
    )
    stappen = _scoped(
        select(
            D.hulpvraag_id,
            in_zaak(func.row_number()).label("n"),
            case((D.naar_aanbieder_id == twee_terug, D.hulpvraag_id)).label("pingpong"),
        ).select_from(Doorverwijzing.__table__),
        regio,
    ).subquery()
    zaken, pingpong = session.execute(
        select(
            func.sum(case((stappen.c.n == 1, 1), else_=0)),
            func.count(stappen.c.pingpong.distinct()),
        )
    ).one()
    cijfers.aantal_hulpvragen = zaken
    cijfers.pingpong = pingpong
    cijfers.gemiddeld_aantal_hops = round(cijfers.aantal_doorverwijzingen / zaken, 2)

    # per thema: count each case's referrals first (the chain index covers it), then join the
    # few thema rows per case
    per_zaak = _scoped(
        select(D.hulpvraag_id, func.count().label("n"))
        .select_from(Doorverwijzing.__table__)
        .group_by(D.hulpvraag_id),
        regio,
    ).subquery()
    per_thema = (
        select(T.thema, func.count(), func.sum(per_zaak.c.n))
        .join(per_zaak, per_zaak.c.hulpvraag_id == T.hulpvraag_id)
        .group_by(T.thema)
    )
    for thema, n_zaken, n in session.execute(per_thema):
        cijfers.per_thema[thema] = {"hulpvragen": n_zaken, "doorverwijzingen": n}
    return cijfers
