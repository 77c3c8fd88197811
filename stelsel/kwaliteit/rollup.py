"""The rollup the figures read: sufficient statistics per month × aanbieder × gemeente × thema ×
bron (`kwaliteit_maand`).

Meaning of a row (docs/kwaliteit.md, "De rollup"):
- `maand` is the first day of the UTC month a response was received; `gemeente_code` '' when
  unknown. A period that does not start or end on a month boundary reads its partial months
  from the raw rows (queries.py), so any `van`/`tot` is exact.
- Every response is counted once in the row with `thema = '*'` (all thema's together) and once
  in the row of each of its thema's ('' when it has none). A response with two thema's is in two
  thema rows, so totals are never summed over thema rows: totals read `thema = '*'` only, a
  thema breakdown reads the thema rows only.
- The columns are those of `cijfers.Sommen`: counts, sums and sums of squares, integers, so
  figures from the rollup are exactly the figures from the raw rows.

`tel_op` counts one response as it arrives (one upsert statement); `herbouw` rebuilds everything
from the raw rows (`stelsel kwaliteit rollup herbouw`, and after a bulk import or demo).
"""

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stelsel.kwaliteit import cijfers
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema, KwaliteitMaand

A = EnqueteAntwoord.__table__.c
AT = EnqueteAntwoordThema.__table__.c
R: Table = KwaliteitMaand.__table__  # type: ignore[assignment]
ALLE = "*"  # the thema of the row that counts every response once
SLEUTEL = ("maand", "aanbieder_id", "gemeente_code", "thema", "bron")


def dag_van(moment: datetime) -> date:
    """The rollup day of a moment: its UTC date (a naive moment is taken as UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def maand_van(moment: datetime) -> date:
    """The rollup month of a moment: the first day of its UTC month."""
    return dag_van(moment).replace(day=1)


def dag_expressie(session: Session) -> ColumnElement[date]:
    """`dag_van(ontvangen_op)` in SQL, on SQLite (stored as UTC text) and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", A.ontvangen_op), Date)
    return type_coerce(func.date(A.ontvangen_op), Date)


def maand_expressie(session: Session) -> ColumnElement[date]:
    """`maand_van(ontvangen_op)` in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", func.timezone("UTC", A.ontvangen_op)), Date)
    return type_coerce(func.date(A.ontvangen_op, "start of month"), Date)


def sommen_uit_rijen() -> list[ColumnElement[int]]:
    """Aggregates over enquete_antwoord rows giving `cijfers.Sommen`, in `cijfers.KOLOMMEN`
    order: the one SQL definition of the statistics, used by the rebuild and the raw queries."""

    def som(expr) -> ColumnElement[int]:
        return func.coalesce(func.sum(expr), 0)

    def telt(cond) -> ColumnElement[int]:
        return som(case((cond, 1), else_=0))

    kolommen: dict[str, ColumnElement[int]] = {
        "n": func.count(),
        "csat_n": func.count(A.csat),
        "csat_som": som(A.csat),
        "csat_kwadraatsom": som(A.csat * A.csat),
        "ces_n": func.count(A.ces),
        "ces_som": som(A.ces),
        "ces_kwadraatsom": som(A.ces * A.ces),
        "nps_n": func.count(A.nps),
        "nps_promotors": telt(A.nps >= 9),
        "nps_passief": telt(and_(A.nps >= 7, A.nps <= 8)),
        "nps_criticasters": telt(A.nps <= 6),
        **{f"opgelost_{o}": telt(A.opgelost == o) for o in cijfers.OPGELOST},
        "ftr_n": func.count(A.eerste_keer_goed),
        "ftr_ja": telt(A.eerste_keer_goed.is_(True)),
    }
    assert tuple(kolommen) == cijfers.KOLOMMEN
    return [kolommen[k].label(k) for k in cijfers.KOLOMMEN]


def _upsert(session: Session, rijen: list[dict]):
    naam = session.get_bind().dialect.name
    ins = (postgresql if naam == "postgresql" else sqlite).insert(R).values(rijen)
    return ins.on_conflict_do_update(
        index_elements=list(SLEUTEL),
        set_={k: R.c[k] + ins.excluded[k] for k in cijfers.KOLOMMEN},
    )


def tel_op(session: Session, antwoord_id: uuid.UUID) -> None:
    """Count one new response in the rollup: its '*' row and its thema rows, in one statement
    in the caller's transaction."""
    rij = session.execute(
        select(
            A.ontvangen_op,
            A.aanbieder_id,
            A.gemeente_code,
            A.bron,
            A.csat,
            A.ces,
            A.nps,
            A.opgelost,
            A.eerste_keer_goed,
        ).where(A.id == antwoord_id)
    ).one()
    themas = list(session.scalars(select(AT.thema).where(AT.antwoord_id == antwoord_id)))
    s = cijfers.van_antwoord(
        csat=rij.csat,
        ces=rij.ces,
        nps=rij.nps,
        opgelost=rij.opgelost,
        eerste_keer_goed=rij.eerste_keer_goed,
    ).als_dict()
    basis = {
        "maand": maand_van(rij.ontvangen_op),
        "aanbieder_id": rij.aanbieder_id,
        "gemeente_code": rij.gemeente_code or "",
        "bron": rij.bron,
    }
    rijen = [{**basis, "thema": t, **s} for t in [ALLE, *(sorted(themas) or [""])]]
    session.execute(_upsert(session, rijen))


def herbouw(session: Session, *, bron: str | None = None) -> int:
    """Rebuild the rollup from the raw rows (one bron, or all), in the caller's transaction.
    Returns the number of rollup rows written."""
    wis = delete(R)
    if bron is not None:
        wis = wis.where(R.c.bron == bron)
    session.execute(wis)
    maand = maand_expressie(session).label("maand")
    gemeente = func.coalesce(A.gemeente_code, "").label("gemeente_code")
    stats = sommen_uit_rijen()

    def deel(thema, *, join: bool, zonder: bool = False):
        q = select(maand, A.aanbieder_id, gemeente, thema.label("thema"), A.bron, *stats)
        if join:
            q = q.select_from(EnqueteAntwoord.__table__.join(EnqueteAntwoordThema.__table__))
        elif zonder:
            q = q.where(~select(AT.antwoord_id).where(AT.antwoord_id == A.id).exists())
        if bron is not None:
            q = q.where(A.bron == bron)
        groepen = [maand, A.aanbieder_id, gemeente, A.bron] + ([thema] if join else [])
        return q.group_by(*groepen)

    alles = union_all(
        deel(literal_column("'*'", String), join=False),
        deel(AT.thema, join=True),
        deel(literal_column("''", String), join=False, zonder=True),
    ).subquery()
    kolommen = [*SLEUTEL, *cijfers.KOLOMMEN]
    session.execute(R.insert().from_select(kolommen, select(*[alles.c[k] for k in kolommen])))
    geteld = select(func.count()).select_from(R)
    if bron is not None:
        geteld = geteld.where(R.c.bron == bron)
    return int(session.scalar(geteld) or 0)
