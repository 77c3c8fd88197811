"""Read side for the analyse domain: the wegwijzer's demand signals aggregated per gemeente,
thema and whether the question found a door (at least one dienst). Counts only: never the
question text."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from stelsel.wegwijzer.models import Vraagsignaal, VraagsignaalThema

S = Vraagsignaal.__table__.c
T = VraagsignaalThema.__table__.c


@dataclass(frozen=True)
class VraagTelling:
    """How many questions about `thema` came from `gemeente_code` (None: unknown place), and how
    many of them found no dienst."""

    gemeente_code: str | None
    thema: str
    aantal: int
    zonder_deur: int


def per_gemeente_en_thema(*, session: Session, sinds: datetime | None = None) -> list[VraagTelling]:
    """Demand signals per gemeente × thema (since `sinds`, or all)."""
    zonder = func.sum(case((S.aantal_resultaten == 0, 1), else_=0))
    stmt = (
        select(S.gemeente_code, T.thema, func.count(), zonder)
        .select_from(VraagsignaalThema.__table__.join(Vraagsignaal.__table__))
        .group_by(S.gemeente_code, T.thema)
    )
    if sinds is not None:
        stmt = stmt.where(S.tijdstip >= sinds)
    rijen = [VraagTelling(g, t, int(n), int(z or 0)) for g, t, n, z in session.execute(stmt)]
    # sorted here: SQLite and PostgreSQL order NULL codes differently
    return sorted(rijen, key=lambda r: (r.gemeente_code or "", r.thema))
