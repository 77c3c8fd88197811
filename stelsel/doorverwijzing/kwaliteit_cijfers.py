"""What the kwaliteit figures read from the referral chains: sufficient statistics as plain
values, in SQL that runs on SQLite and PostgreSQL (kwaliteit/cijfers.py turns them into means,
shares and intervals). No personal data is read.

- hops: the referrals of a case; its square summed too, for the interval of the mean;
- ping-pong: a case where a referral goes to an aanbieder already in its chain (its first
  sender, or an earlier receiver);
- te laat: a referral still unanswered after its first-contact deadline;
- time to first contact: hours from a referral being sent to the receiver's first status change
  beyond `ontvangen` (accepting, declining, ...), over referrals that had one.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import Doorverwijzing, Gebeurtenis, Hulpvraag, HulpvraagThema

D = Doorverwijzing.__table__.c
H = Hulpvraag.__table__.c
T = HulpvraagThema.__table__.c
G = Gebeurtenis.__table__.c


@dataclass(frozen=True)
class Ketensommen:
    hulpvragen: int = 0
    hops: int = 0
    hops_kwadraatsom: int = 0
    pingpong: int = 0
    doorverwijzingen: int = 0
    te_laat: int = 0
    contact_n: int = 0
    contact_uren_som: float = 0.0
    contact_uren_kwadraatsom: float = 0.0


def ketensommen(
    *,
    session: Session,
    vandaag: date,
    gemeenten: list[str] | None = None,
    aanbieder_id: uuid.UUID | None = None,
    thema: str | None = None,
    van: date | None = None,
    tot: date | None = None,
) -> Ketensommen:
    """The statistics of the referrals made from `van` to `tot` (inclusive), in cases of those
    gemeenten, with that thema, and (aanbieder) sent to or from that aanbieder."""
    conds: list[Any] = []
    if gemeenten is not None:
        conds.append(D.hulpvraag_id.in_(select(H.id).where(H.gemeente_code.in_(gemeenten))))
    if thema is not None:
        conds.append(D.hulpvraag_id.in_(select(T.hulpvraag_id).where(T.thema == thema)))
    if aanbieder_id is not None:
        conds.append(or_(D.naar_aanbieder_id == aanbieder_id, D.van_aanbieder_id == aanbieder_id))
    if van is not None:
        conds.append(D.aangemaakt_op >= datetime.combine(van, time()))
    if tot is not None:
        conds.append(D.aangemaakt_op < datetime.combine(tot + timedelta(days=1), time()))
    waar = and_(True, *conds)

    n_dv, n_laat = session.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(
                    case(
                        (and_(D.status.in_(lc.ONBEANTWOORD), D.eerste_contact_voor < vandaag), 1),
                        else_=0,
                    )
                ),
                0,
            ),
        ).where(waar)
    ).one()
    if not n_dv:
        return Ketensommen()
    # select_from: without a filter `waar` names no table, and GROUP BY does not add a FROM
    per_zaak = (
        select(func.count().label("n"))
        .select_from(Doorverwijzing.__table__)
        .where(waar)
        .group_by(D.hulpvraag_id)
        .subquery()
    )
    zaken, hops, kwadraat = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(per_zaak.c.n), 0),
            func.coalesce(func.sum(per_zaak.c.n * per_zaak.c.n), 0),
        )
    ).one()
    # ping-pong: an earlier referral of the same case was sent by or to this one's receiver
    eerder = aliased(Doorverwijzing.__table__)
    terug = (
        select(eerder.c.id)
        .where(
            eerder.c.hulpvraag_id == D.hulpvraag_id,
            or_(
                eerder.c.aangemaakt_op < D.aangemaakt_op,
                and_(eerder.c.aangemaakt_op == D.aangemaakt_op, eerder.c.id < D.id),
            ),
            or_(
                eerder.c.naar_aanbieder_id == D.naar_aanbieder_id,
                eerder.c.van_aanbieder_id == D.naar_aanbieder_id,
            ),
        )
        .exists()
    )
    pingpong = session.scalar(select(func.count(D.hulpvraag_id.distinct())).where(waar, terug))
    # first reaction: the earliest status change to anything beyond received
    eerste = (
        select(G.doorverwijzing_id, func.min(G.tijdstip).label("t"))
        .where(G.soort == "status", G.naar_status.not_in(lc.ONBEANTWOORD))
        .group_by(G.doorverwijzing_id)
        .subquery()
    )
    if session.get_bind().dialect.name == "postgresql":
        uren = func.extract("epoch", eerste.c.t - D.aangemaakt_op) / 3600.0
    else:
        uren = (func.julianday(eerste.c.t) - func.julianday(D.aangemaakt_op)) * 24.0
    c_n, c_som, c_kw = session.execute(
        select(
            func.count(), func.coalesce(func.sum(uren), 0), func.coalesce(func.sum(uren * uren), 0)
        )
        .select_from(Doorverwijzing.__table__.join(eerste, eerste.c.doorverwijzing_id == D.id))
        .where(waar)
    ).one()
    return Ketensommen(
        hulpvragen=int(zaken),
        hops=int(hops),
        hops_kwadraatsom=int(kwadraat),
        pingpong=int(pingpong or 0),
        doorverwijzingen=int(n_dv),
        te_laat=int(n_laat),
        contact_n=int(c_n),
        contact_uren_som=float(c_som),
        contact_uren_kwadraatsom=float(c_kw),
    )
