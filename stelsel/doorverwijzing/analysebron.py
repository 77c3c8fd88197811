"""Read side for the analyse domain: hulpvragen and referrals counted per thema × gemeente, in
SQL that runs the same on SQLite and PostgreSQL. Counts only, no personal data."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag, HulpvraagThema

D = Doorverwijzing.__table__.c
H = Hulpvraag.__table__.c
T = HulpvraagThema.__table__.c


@dataclass(frozen=True)
class VerwijsTelling:
    """The hulpvragen about `thema` from `gemeente_code` and the referrals made for them (a case
    with two thema's counts under both)."""

    gemeente_code: str | None
    thema: str
    hulpvragen: int
    doorverwijzingen: int


def per_gemeente_en_thema(
    *, session: Session, sinds: datetime | None = None
) -> list[VerwijsTelling]:
    """Hulpvragen and their referrals per gemeente × thema (cases since `sinds`, or all)."""
    per_zaak = (
        select(D.hulpvraag_id, func.count().label("n"))
        .select_from(Doorverwijzing.__table__)
        .group_by(D.hulpvraag_id)
        .subquery()
    )
    stmt = (
        select(
            H.gemeente_code,
            T.thema,
            func.count(H.id),
            func.coalesce(func.sum(per_zaak.c.n), 0),
        )
        .select_from(
            Hulpvraag.__table__.join(HulpvraagThema.__table__, T.hulpvraag_id == H.id).outerjoin(
                per_zaak, per_zaak.c.hulpvraag_id == H.id
            )
        )
        .group_by(H.gemeente_code, T.thema)
    )
    if sinds is not None:
        stmt = stmt.where(H.aangemaakt_op >= sinds)
    rijen = [VerwijsTelling(g, t, int(n), int(d or 0)) for g, t, n, d in session.execute(stmt)]
    # sorted here: SQLite and PostgreSQL order NULL codes differently
    return sorted(rijen, key=lambda r: (r.gemeente_code or "", r.thema))
