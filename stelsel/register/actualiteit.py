"""Keeping the register current: when each entry was last checked, what is overdue, and the
share of entries checked within a year per region. Called through register/service.py.

A dienst's check date is its own `gecontroleerd_op`, or its aanbieder's when it has none.
An entry is *actueel* when checked within the last 12 months (on the same day a year ago or
later). Per region, the figures count the diensten that serve (part of) the region; national
diensten are left out, they would weigh on every region alike.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from stelsel.geo import service as geo
from stelsel.register.models import Aanbieder, Dienst, DienstWerkgebied, Herinnering

REGIO_SOORTEN = ("provincie", "arbeidsmarktregio", "corop")


def grens(vandaag: date) -> date:
    """The oldest check date that still counts as current: the same day a year earlier."""
    if vandaag.year == 1:
        return date.min
    try:
        return vandaag.replace(year=vandaag.year - 1)
    except ValueError:  # 29 February
        return vandaag.replace(year=vandaag.year - 1, day=28)


def _gecontroleerd():
    return func.coalesce(Dienst.gecontroleerd_op, Aanbieder.gecontroleerd_op)


@dataclass(frozen=True)
class Verouderd:
    """A dienst not checked for a year."""

    slug: str
    naam: str
    aanbieder_slug: str
    aanbieder_naam: str
    gecontroleerd_op: date


def _in_gebieden(gebieden: frozenset[tuple[str, str]]):
    from sqlalchemy import exists, or_

    return exists().where(
        DienstWerkgebied.dienst_id == Dienst.id,
        or_(
            *(
                and_(DienstWerkgebied.soort == s, DienstWerkgebied.code == c)
                for s, c in sorted(gebieden)
            )
        ),
    )


def verouderd(
    *,
    session: Session,
    vandaag: date,
    aanbieder_slug: str | None = None,
    regio: frozenset[tuple[str, str]] | None = None,
    offset: int = 0,
    limit: int | None = 1000,
) -> tuple[list[Verouderd], int]:
    """Published diensten not checked for 12 months, oldest check first, of one aanbieder or
    serving one region (see service.regio_gebieden); returns (page, total)."""
    stmt = (
        select(Dienst.slug, Dienst.naam, Aanbieder.slug, Aanbieder.naam, _gecontroleerd())
        .join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
        .where(Dienst.gearchiveerd.is_(False), _gecontroleerd() < grens(vandaag))
    )
    if aanbieder_slug is not None:
        stmt = stmt.where(Aanbieder.slug == aanbieder_slug)
    if regio is not None:
        stmt = stmt.where(Dienst.landelijk.is_(False), _in_gebieden(regio))
    totaal = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rijen = session.execute(
        stmt.order_by(_gecontroleerd(), Dienst.slug).offset(offset).limit(limit)
    )
    return [Verouderd(*r) for r in rijen], totaal


@dataclass(frozen=True)
class Actualiteit:
    """The freshness figure of one region: how many diensten serve it, how many are current."""

    soort: str
    code: str
    naam: str
    diensten: int
    actueel: int

    @property
    def aandeel(self) -> float | None:
        return self.actueel / self.diensten if self.diensten else None


def actualiteit_per_regio(*, session: Session, soort: str, vandaag: date) -> list[Actualiteit]:
    """The freshness figure of every region of a kind (provincie, arbeidsmarktregio, corop)."""
    attr = f"{soort}_code"
    # every area that overlaps a region: itself, its gemeenten, and their other regions
    gebieden: dict[str, set[tuple[str, str]]] = {}
    for g in geo.get_all(session=session):
        code = getattr(g, attr)
        gebieden.setdefault(code, {(soort, code)}).update(geo.gebied(g).codes())
    # each regional dienst's areas and check date, in two queries
    per_dienst: dict[object, set[tuple[str, str]]] = {}
    for dienst_id, s, c in session.execute(
        select(DienstWerkgebied.dienst_id, DienstWerkgebied.soort, DienstWerkgebied.code)
    ):
        per_dienst.setdefault(dienst_id, set()).add((s, c))
    datum: dict[object, date | None] = {
        dienst_id: d
        for dienst_id, d in session.execute(
            select(Dienst.id, _gecontroleerd())
            .join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
            .where(Dienst.gearchiveerd.is_(False), Dienst.landelijk.is_(False))
        )
    }
    drempel = grens(vandaag)
    namen = geo.area_names(session=session)
    uit = []
    for code, overlap in sorted(gebieden.items()):
        ids = [i for i, areas in per_dienst.items() if i in datum and areas & overlap]
        actueel = sum(1 for i in ids if (d := datum[i]) is not None and d >= drempel)
        uit.append(Actualiteit(soort, code, namen.get((soort, code), code), len(ids), actueel))
    return uit


def bevestig(*, session: Session, aanbieder_slug: str, vandaag: date | None = None) -> int:
    """ "Still correct": the aanbieder and its published diensten checked today, in one step.
    Only check dates change, so the register keeps its version (nothing cached holds them);
    returns the number of entries confirmed."""
    dag = vandaag or date.today()
    a_id = session.scalar(select(Aanbieder.id).where(Aanbieder.slug == aanbieder_slug))
    if a_id is None:
        return 0
    session.execute(
        update(Aanbieder).where(Aanbieder.id == a_id).values(gecontroleerd_op=dag),
        execution_options={"synchronize_session": False},
    )
    n = session.execute(
        update(Dienst)
        .where(Dienst.aanbieder_id == a_id, Dienst.gearchiveerd.is_(False))
        .values(gecontroleerd_op=dag),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]
    session.expire_all()
    return 1 + int(n or 0)


def aanbieders_met_verouderd(*, session: Session, vandaag: date) -> list[tuple[str, str, int]]:
    """(slug, naam, number of overdue diensten) of every aanbieder with overdue diensten."""
    rijen = session.execute(
        select(Aanbieder.slug, Aanbieder.naam, func.count(Dienst.id))
        .join(Dienst, Dienst.aanbieder_id == Aanbieder.id)
        .where(
            Dienst.gearchiveerd.is_(False),
            Aanbieder.gearchiveerd.is_(False),
            _gecontroleerd() < grens(vandaag),
        )
        .group_by(Aanbieder.slug, Aanbieder.naam)
        .order_by(Aanbieder.slug)
    )
    return [(s, n, int(c)) for s, n, c in rijen]


def herinnering_nieuw(*, session: Session, aanbieder_slug: str, periode: str, aantal: int) -> bool:
    """Record that this month's reminder goes out; False when it went out already (so a job
    run twice, or by two servers at once, sends it once)."""
    from sqlalchemy.exc import IntegrityError

    bestaat = session.scalar(
        select(Herinnering.id).where(
            Herinnering.aanbieder_slug == aanbieder_slug, Herinnering.periode == periode
        )
    )
    if bestaat is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Herinnering(aanbieder_slug=aanbieder_slug, periode=periode, aantal=aantal))
    except IntegrityError:
        return False
    return True
