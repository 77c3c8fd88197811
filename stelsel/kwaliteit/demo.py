"""`stelsel demo`: a seeded, realistic population of hulpvragen, referrals and responses."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.kwaliteit.models import DemoRij


def aanwezig(*, session: Session) -> bool:
    """Whether `stelsel demo` data is present (one indexed lookup)."""
    return session.scalar(select(DemoRij.rij_id).limit(1)) is not None
