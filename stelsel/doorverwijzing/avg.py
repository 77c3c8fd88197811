"""The entrepreneur's rights under the AVG: inzage, withdrawing consent, removal, retention."""

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.doorverwijzingen import aanbieder_naam
from stelsel.doorverwijzing.models import (
    Doorverwijzing,
    Hulpvraag,
)
from stelsel.doorverwijzing.toegang import _now


def trek_toestemming_in(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None) -> None:
    """Withdraw consent: from now on receivers see no personal data."""
    for t in hulpvraag.toestemmingen:
        if t.ingetrokken_op is None:
            t.ingetrokken_op = _now()
    accounts.audit(
        session=session,
        actor=door,
        actie="toestemming_intrekken",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel="verzoek ondernemer",
    )


def inzage(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None) -> dict:
    """Everything stored about the entrepreneur of a case (AVG inzage)."""
    accounts.audit(
        session=session,
        actor=door,
        actie="inzage",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel="inzageverzoek",
    )
    verwijzingen = session.scalars(
        select(Doorverwijzing)
        .where(Doorverwijzing.hulpvraag_id == hulpvraag.id)
        .order_by(Doorverwijzing.aangemaakt_op)
    ).all()
    return {
        "hulpvraag": {
            "id": str(hulpvraag.id),
            "ondernemer": {
                "naam": hulpvraag.ondernemer_naam,
                "email": hulpvraag.ondernemer_email,
                "telefoon": hulpvraag.ondernemer_telefoon,
                "kvk_nummer": hulpvraag.kvk_nummer,
            },
            "vraag": hulpvraag.vraag,
            "themas": hulpvraag.themas,
            "gemeente_code": hulpvraag.gemeente_code,
            "aangemaakt_op": hulpvraag.aangemaakt_op.isoformat(),
        },
        "toestemmingen": [
            {
                "delen_met_ontvanger": t.delen_met_ontvanger,
                "wat": t.wat,
                "doel": t.doel,
                "tekst_versie": t.tekst_versie,
                "gegeven_op": t.gegeven_op.isoformat(),
                "ingetrokken_op": t.ingetrokken_op.isoformat() if t.ingetrokken_op else None,
            }
            for t in hulpvraag.toestemmingen
        ],
        "doorverwijzingen": [
            {
                "id": str(d.id),
                "naar_aanbieder": aanbieder_naam(session=session, aanbieder_id=d.naar_aanbieder_id),
                "status": d.status,
                "uitkomst": d.uitkomst,
                "aangemaakt_op": d.aangemaakt_op.isoformat(),
            }
            for d in verwijzingen
        ],
    }


def anonimiseer(*, session: Session, hulpvraag: Hulpvraag, door: Actor | None, doel: str) -> None:
    """Remove the entrepreneur's personal data; aggregates (thema, gemeente, status) remain."""
    hulpvraag.ondernemer_naam = None
    hulpvraag.ondernemer_email = None
    hulpvraag.ondernemer_telefoon = None
    hulpvraag.kvk_nummer = None
    hulpvraag.vraag = None
    hulpvraag.geanonimiseerd_op = _now()
    for t in hulpvraag.toestemmingen:
        t.ingetrokken_op = t.ingetrokken_op or _now()
    session.execute(
        update(Doorverwijzing)
        .where(Doorverwijzing.hulpvraag_id == hulpvraag.id)
        .values(notitie=None)
    )
    accounts.audit(
        session=session,
        actor=door,
        actie="anonimiseren",
        object_type="hulpvraag",
        object_id=str(hulpvraag.id),
        doel=doel,
    )


def opschonen(*, session: Session, nu: datetime | None = None) -> int:
    """Anonymise closed cases older than the retention period; returns how many."""
    nu = nu or _now()
    grens = nu - timedelta(days=get_settings().bewaartermijn_dagen)
    open_statussen = [s for s in lc.STATUSSEN if s not in lc.EINDSTATUSSEN]
    nog_open = select(Doorverwijzing.hulpvraag_id).where(Doorverwijzing.status.in_(open_statussen))
    laatst = (
        select(Doorverwijzing.hulpvraag_id, func.max(Doorverwijzing.bijgewerkt_op).label("laatst"))
        .group_by(Doorverwijzing.hulpvraag_id)
        .subquery()
    )
    kandidaten = session.scalars(
        select(Hulpvraag)
        .outerjoin(laatst, laatst.c.hulpvraag_id == Hulpvraag.id)
        .where(
            Hulpvraag.geanonimiseerd_op.is_(None),
            Hulpvraag.id.not_in(nog_open),
            func.coalesce(laatst.c.laatst, Hulpvraag.aangemaakt_op) < grens,
        )
    ).all()
    for h in kandidaten:
        anonimiseer(session=session, hulpvraag=h, door=None, doel="bewaartermijn verstreken")
    return len(kandidaten)
