"""What the kwaliteit domain reads from the referral domain: closed cases whose entrepreneur
agreed to a questionnaire, as plain values.

A case is closed when none of its referrals is open and its newest referral is
- `afgerond` with an outcome other than `doorverwezen`: the receiver finished it; it is the
  aanbieder judged; or
- `geweigerd`, `geannuleerd` or `mislukt`, and nothing happened for `TERUG_WACHTDAGEN` days: the
  case came back to its sender, who is judged.
A case whose data was removed, or whose entrepreneur withdrew consent, is never returned.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, insert, select
from sqlalchemy.orm import Session

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.berichten import ONDERNEMER
from stelsel.doorverwijzing.models import (
    ENQUETE,
    Doorverwijzing,
    Gebeurtenis,
    Hulpvraag,
    HulpvraagThema,
    Toestemming,
)
from stelsel.geo import service as geo

# Days a case that came back to its sender (declined, cancelled, failed) waits for a new
# referral before it counts as closed.
TERUG_WACHTDAGEN = 14


@dataclass(frozen=True)
class GeslotenZaak:
    """A closed case with `enquete` consent: who to ask, and what the answer is counted under."""

    hulpvraag_id: uuid.UUID
    doorverwijzing_id: uuid.UUID  # the newest referral
    aanbieder_id: uuid.UUID  # the aanbieder judged
    dienst_id: uuid.UUID | None
    email: str
    gemeente_code: str | None
    provincie_code: str | None
    arbeidsmarktregio_code: str | None
    corop_code: str | None
    themas: tuple[str, ...]
    eerste_keer_goed: bool  # one referral, completed as opgelost
    aantal_doorverwijzingen: int
    gesloten_op: datetime
    # key prefix of the outbox messages to this entrepreneur: removing the case's data drops
    # the messages still queued under it (berichten.vergeet_ondernemer)
    sleutel: str


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _enquete_toestemming():
    return exists().where(
        Toestemming.hulpvraag_id == Hulpvraag.id,
        Toestemming.soort == ENQUETE,
        Toestemming.delen_met_ontvanger.is_(True),
        Toestemming.gegeven_op.is_not(None),
        Toestemming.ingetrokken_op.is_(None),
    )


def gesloten_zaken(
    *, session: Session, sinds: datetime, nu: datetime | None = None
) -> list[GeslotenZaak]:
    """Closed cases with a valid `enquete` consent whose newest referral changed since `sinds`."""
    nu = nu or datetime.now(UTC)
    laatst = (
        select(Doorverwijzing.hulpvraag_id, func.max(Doorverwijzing.bijgewerkt_op).label("op"))
        .group_by(Doorverwijzing.hulpvraag_id)
        .subquery()
    )
    open_ = exists().where(
        Doorverwijzing.hulpvraag_id == Hulpvraag.id,
        Doorverwijzing.status.in_(lc.OPEN_STATUSSEN),
    )
    rijen = session.execute(
        select(
            Hulpvraag.id,
            Hulpvraag.ondernemer_email,
            Hulpvraag.gemeente_code,
            Hulpvraag.provincie_code,
            Hulpvraag.arbeidsmarktregio_code,
        )
        .join(laatst, laatst.c.hulpvraag_id == Hulpvraag.id)
        .where(
            laatst.c.op >= sinds,
            Hulpvraag.geanonimiseerd_op.is_(None),
            Hulpvraag.ingetrokken_op.is_(None),
            Hulpvraag.ondernemer_email.is_not(None),
            _enquete_toestemming(),
            ~open_,
        )
    ).all()
    if not rijen:
        return []
    ids = [r.id for r in rijen]
    ketens: dict[uuid.UUID, list[Doorverwijzing]] = {}
    themas: dict[uuid.UUID, list[str]] = {}
    for start in range(0, len(ids), 500):
        deel = ids[start : start + 500]
        for d in session.scalars(
            select(Doorverwijzing)
            .where(Doorverwijzing.hulpvraag_id.in_(deel))
            .order_by(Doorverwijzing.aangemaakt_op, Doorverwijzing.id)
        ):
            ketens.setdefault(d.hulpvraag_id, []).append(d)
        for hid, thema in session.execute(
            select(HulpvraagThema.hulpvraag_id, HulpvraagThema.thema)
            .where(HulpvraagThema.hulpvraag_id.in_(deel))
            .order_by(HulpvraagThema.hulpvraag_id, HulpvraagThema.volgorde)
        ):
            themas.setdefault(hid, []).append(thema)
    corop = {g.code: g.corop_code for g in geo.get_all(session=session)}
    uit = []
    for r in rijen:
        keten = ketens.get(r.id, [])
        if not keten:
            continue
        laatste = keten[-1]
        gewijzigd = _utc(laatste.bijgewerkt_op)
        if laatste.status == lc.AFGEROND and laatste.uitkomst != lc.DOORVERWEZEN:
            beoordeeld = laatste.naar_aanbieder_id
        elif laatste.status in lc.TERUG and gewijzigd <= nu - timedelta(days=TERUG_WACHTDAGEN):
            beoordeeld = laatste.van_aanbieder_id
        else:
            continue
        eerste = keten[0]
        uit.append(
            GeslotenZaak(
                hulpvraag_id=r.id,
                doorverwijzing_id=laatste.id,
                aanbieder_id=beoordeeld,
                dienst_id=laatste.dienst_id,
                email=r.ondernemer_email,
                gemeente_code=r.gemeente_code,
                provincie_code=r.provincie_code,
                arbeidsmarktregio_code=r.arbeidsmarktregio_code,
                corop_code=corop.get(r.gemeente_code) if r.gemeente_code else None,
                themas=tuple(themas.get(r.id, [])),
                eerste_keer_goed=len(keten) == 1
                and eerste.status == lc.AFGEROND
                and eerste.uitkomst == "opgelost",
                aantal_doorverwijzingen=len(keten),
                gesloten_op=gewijzigd,
                sleutel=f"{ONDERNEMER}{r.id}:",
            )
        )
    return uit


def heeft_enquete_toestemming(*, session: Session, hulpvraag_id: uuid.UUID) -> bool:
    """Whether the case's entrepreneur agreed, and has not withdrawn, to get a questionnaire."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    and_(Hulpvraag.id == hulpvraag_id, Hulpvraag.ingetrokken_op.is_(None)),
                    _enquete_toestemming(),
                )
            )
        )
    )


# Demo cases (`stelsel demo` in the kwaliteit domain) ----------------------------------------

PER_KEER = 2000


def schrijf_zaken(
    *,
    session: Session,
    hulpvragen: list[dict],
    themas: list[dict],
    doorverwijzingen: list[dict],
    gebeurtenissen: list[dict],
) -> None:
    """Bulk-write cases given as plain column values (hulpvraag, hulpvraag_thema,
    doorverwijzing, doorverwijzing_gebeurtenis), in the caller's transaction."""
    conn = session.connection()
    for model, rijen in (
        (Hulpvraag, hulpvragen),
        (HulpvraagThema, themas),
        (Doorverwijzing, doorverwijzingen),
        (Gebeurtenis, gebeurtenissen),
    ):
        for start in range(0, len(rijen), PER_KEER):
            conn.execute(insert(model), rijen[start : start + PER_KEER])


def verwijder_zaken(*, session: Session, hulpvraag_ids: list[uuid.UUID]) -> tuple[int, int]:
    """Delete these cases with their thema's, consents, referrals and timelines; returns
    (hulpvragen, doorverwijzingen) deleted."""
    hulpvragen = doorverwijzingen = 0
    for start in range(0, len(hulpvraag_ids), 500):
        deel = hulpvraag_ids[start : start + 500]
        verwijzingen = select(Doorverwijzing.id).where(Doorverwijzing.hulpvraag_id.in_(deel))
        session.execute(delete(Gebeurtenis).where(Gebeurtenis.doorverwijzing_id.in_(verwijzingen)))
        doorverwijzingen += _aantal(
            session.execute(delete(Doorverwijzing).where(Doorverwijzing.hulpvraag_id.in_(deel)))
        )
        session.execute(delete(HulpvraagThema).where(HulpvraagThema.hulpvraag_id.in_(deel)))
        session.execute(delete(Toestemming).where(Toestemming.hulpvraag_id.in_(deel)))
        hulpvragen += _aantal(session.execute(delete(Hulpvraag).where(Hulpvraag.id.in_(deel))))
    return hulpvragen, doorverwijzingen


def _aantal(result) -> int:
    return result.rowcount or 0
