"""Doorverwijzingen: warm referrals between providers, their lifecycle and notifications."""

import dataclasses
import uuid
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import queries
from stelsel.doorverwijzing.models import (
    Doorverwijzing,
    Gebeurtenis,
    Hulpvraag,
)
from stelsel.doorverwijzing.toegang import (
    GEEN_DOORVERWIJZING,
    GEEN_HULPVRAAG,
    _adviseur,
    _geweigerd,
    _now,
)
from stelsel.errors import NietGevonden, Ongeldig, Verboden
from stelsel.meldingen import service as meldingen
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer


def aanbieder_naam(*, session: Session, aanbieder_id: uuid.UUID | None) -> str:
    """The name of an aanbieder, or '' when unknown."""
    a = (
        register.get_aanbieder(session=session, aanbieder_id=str(aanbieder_id))
        if aanbieder_id
        else None
    )
    return a.naam if a else ""


# Warm referrals go to the stelsel's partners; private firms and umbrella entries such as
# "Banken" or "Accountants" cannot take over a case.
ONTVANGER_SOORTEN = frozenset({"publiek", "semipubliek", "non-profit"})


def suggesties(
    *, session: Session, actor: Actor, hulpvraag: Hulpvraag, aantal: int = 5
) -> list[wegwijzer.Resultaat]:
    """Where to refer a case: the wegwijzer's best diensten for its question and gemeente,
    from partner providers other than the caller's own."""
    if not hulpvraag.vraag:
        return []
    advies = wegwijzer.advies(
        session=session,
        vraag=hulpvraag.vraag[: wegwijzer.MAX_VRAAG],
        gemeente=hulpvraag.gemeente_code,
        aantal=aantal * 3,
        registreer=False,
    )
    out = []
    for r in advies.resultaten:
        if r.regio_nodig:
            continue  # a stand-in for "the desk in your region": not a provider to refer to
        a = register.get_aanbieder(session=session, aanbieder_id=r.aanbieder_id)
        if a and a.id != actor.aanbieder_id and a.soort in ONTVANGER_SOORTEN:
            out.append(r)
    return out[:aantal]


def create_doorverwijzing(
    *,
    session: Session,
    actor: Actor,
    hulpvraag_id: uuid.UUID,
    naar_aanbieder: str,
    dienst: str | None = None,
    notitie: str | None = None,
) -> Doorverwijzing:
    """Refer a case to another provider; only with consent to share, only by a party to it."""
    _adviseur(session, actor, "doorverwijzing")
    h = session.get(Hulpvraag, hulpvraag_id)
    if h is None:
        raise _geweigerd(session, actor, NietGevonden(GEEN_HULPVRAAG), "hulpvraag", hulpvraag_id)
    eerdere = session.scalars(
        select(Doorverwijzing)
        .where(Doorverwijzing.hulpvraag_id == h.id)
        .order_by(Doorverwijzing.aangemaakt_op.desc())
    ).all()
    mag = h.aanbieder_id == actor.aanbieder_id or any(
        d.naar_aanbieder_id == actor.aanbieder_id and d.status not in (lc.GEWEIGERD, lc.GEANNULEERD)
        for d in eerdere
    )
    if not mag:
        raise _geweigerd(session, actor, NietGevonden(GEEN_HULPVRAAG), "hulpvraag", hulpvraag_id)
    t = h.toestemming()
    if t is None or not t.delen_met_ontvanger:
        raise Ongeldig(
            "toestemming", "de ondernemer heeft geen toestemming gegeven om gegevens te delen"
        )
    naar = register.get_aanbieder(session=session, aanbieder_id=naar_aanbieder)
    if naar is None:
        raise Ongeldig("naar_aanbieder", "onbekende aanbieder")
    if naar.id == actor.aanbieder_id:
        raise Ongeldig("naar_aanbieder", "u kunt niet naar uw eigen organisatie doorverwijzen")
    dienst_id = None
    if dienst:
        d = register.get_dienst(session=session, dienst_id=dienst)
        if d is None or d.aanbieder_id != naar.id:
            raise Ongeldig("dienst", "onbekende dienst of niet van deze aanbieder")
        dienst_id = d.id
    vorige = next((d for d in eerdere if d.naar_aanbieder_id == actor.aanbieder_id), None)
    nu = _now()
    # an urgent case (urgentie 'hoog') gets first contact on the next working day
    werkdagen = 1 if h.urgentie == "hoog" else get_settings().eerste_contact_werkdagen
    dv = Doorverwijzing(
        id=uuid.uuid4(),
        hulpvraag_id=h.id,
        van_aanbieder_id=actor.aanbieder_id,
        naar_aanbieder_id=naar.id,
        dienst_id=dienst_id,
        vorige_id=vorige.id if vorige else None,
        notitie=(notitie or "").strip()[:5000] or None,
        status=lc.VERZONDEN,
        aangemaakt_op=nu,
        bijgewerkt_op=nu,
        eerste_contact_voor=lc.plus_werkdagen(nu.date(), werkdagen),
    )
    session.add(dv)
    session.add(Gebeurtenis(doorverwijzing_id=dv.id, naar_status=lc.VERZONDEN, actor_id=actor.id))
    if vorige is not None and vorige.status in (lc.GEACCEPTEERD, lc.IN_BEHANDELING):
        _zet(session, actor, vorige, lc.AFGEROND, None, "doorverwezen")
    _meld(session, dv, "nieuw")
    accounts.audit(
        session=session,
        actor=actor,
        actie="doorverwijzen",
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel="warme doorverwijzing",
    )
    session.flush()
    return dv


def _partij(actor: Actor, dv: Doorverwijzing) -> str | None:
    if actor.rol != rollen.ADVISEUR:
        return None
    if dv.naar_aanbieder_id == actor.aanbieder_id:
        return lc.ONTVANGER
    if dv.van_aanbieder_id == actor.aanbieder_id:
        return lc.VERZENDER
    return None


def get_all(
    *, session: Session, actor: Actor, richting: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Doorverwijzing], int]:
    """The referrals an adviser's provider sent (uit) or received (in), newest first."""
    _adviseur(session, actor, "doorverwijzing")
    cond = {
        "in": Doorverwijzing.naar_aanbieder_id == actor.aanbieder_id,
        "uit": Doorverwijzing.van_aanbieder_id == actor.aanbieder_id,
    }.get(
        richting or "",
        or_(
            Doorverwijzing.naar_aanbieder_id == actor.aanbieder_id,
            Doorverwijzing.van_aanbieder_id == actor.aanbieder_id,
        ),
    )
    total = session.scalar(select(func.count()).select_from(Doorverwijzing).where(cond)) or 0
    rows = session.scalars(
        select(Doorverwijzing)
        .where(cond)
        .order_by(Doorverwijzing.aangemaakt_op.desc(), Doorverwijzing.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def _van_partij(
    session: Session, actor: Actor, doorverwijzing_id: uuid.UUID
) -> tuple[Doorverwijzing, str]:
    """A referral and the actor's party in it; 404 (audited) for anyone else."""
    dv = session.get(Doorverwijzing, doorverwijzing_id)
    partij = _partij(actor, dv) if dv else None
    if dv is None or partij is None:
        fout = NietGevonden(GEEN_DOORVERWIJZING)
        raise _geweigerd(session, actor, fout, "doorverwijzing", doorverwijzing_id)
    return dv, partij


def get(
    *, session: Session, actor: Actor, doorverwijzing_id: uuid.UUID
) -> tuple[Doorverwijzing, str]:
    """One referral for its sender or receiver (audited); the receiver's first look marks it
    ontvangen. Returns the referral and the actor's party in it."""
    dv, partij = _van_partij(session, actor, doorverwijzing_id)
    if partij == lc.ONTVANGER and dv.status == lc.VERZONDEN:
        _zet(session, actor, dv, lc.ONTVANGEN, None, None)
    accounts.audit(
        session=session,
        actor=actor,
        actie="lezen",
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel="behandelen doorverwijzing",
    )
    return dv, partij


def wijzig_status(
    *,
    session: Session,
    actor: Actor,
    doorverwijzing_id: uuid.UUID,
    status: str,
    reden: str | None = None,
    uitkomst: str | None = None,
) -> Doorverwijzing:
    """Move a referral to a new status (raises lc.OngeldigeOvergang, lc.GeenRecht, Ongeldig)."""
    dv, partij = _van_partij(session, actor, doorverwijzing_id)
    try:
        lc.controleer(dv.status, status, partij, reden, uitkomst)
    except lc.GeenRecht as e:
        raise _geweigerd(session, actor, e, "doorverwijzing", dv.id) from None
    _zet(session, actor, dv, status, reden, uitkomst)
    return dv


def _zet(
    session: Session,
    actor: Actor,
    dv: Doorverwijzing,
    status: str,
    reden: str | None,
    uitkomst: str | None,
) -> None:
    """Apply a checked transition with a conditional UPDATE, so concurrent changes cannot both
    win: the row changes only if its status is still one the transition may start from."""
    nu = _now()
    values = {"status": status, "bijgewerkt_op": nu}
    if reden is not None:
        values["reden"] = reden
    if uitkomst is not None:
        values["uitkomst"] = uitkomst
    if status == lc.ONTVANGEN:
        values["ontvangen_op"] = nu
    oud = dv.status
    # an UPDATE without RETURNING gives a CursorResult; Session.execute is typed as plain Result
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(Doorverwijzing)
            .where(Doorverwijzing.id == dv.id, Doorverwijzing.status == oud)
            .values(**values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        session.refresh(dv)
        raise lc.OngeldigeOvergang(f"de status is intussen gewijzigd naar '{dv.status}'")
    session.refresh(dv)
    session.add(
        Gebeurtenis(doorverwijzing_id=dv.id, van_status=oud, naar_status=status, actor_id=actor.id)
    )
    _meld(session, dv, status)
    accounts.audit(
        session=session,
        actor=actor,
        actie=f"status_{status}",
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel="behandelen doorverwijzing",
    )
    session.flush()


def persoonsgegevens_zichtbaar(dv: Doorverwijzing) -> bool:
    """The receiver (and sender) see the entrepreneur's data only under active consent."""
    t = dv.hulpvraag.toestemming()
    return bool(t and t.delen_met_ontvanger and dv.hulpvraag.geanonimiseerd_op is None)


def te_laat(dv: Doorverwijzing, vandaag: date | None = None) -> bool:
    """First contact is overdue: still unanswered after the deadline."""
    return (
        dv.status in (lc.VERZONDEN, lc.ONTVANGEN)
        and (vandaag or date.today()) > dv.eerste_contact_voor
    )


def keten(*, session: Session, hulpvraag_id: uuid.UUID) -> list[Doorverwijzing]:
    """All referrals of a case in order."""
    return list(
        session.scalars(
            select(Doorverwijzing)
            .where(Doorverwijzing.hulpvraag_id == hulpvraag_id)
            .order_by(Doorverwijzing.aangemaakt_op, Doorverwijzing.id)
        )
    )


def keten_kenmerken(verwijzingen: list[Doorverwijzing]) -> dict:
    if not verwijzingen:
        return {"hops": 0, "pingpong": False}
    pad = [str(verwijzingen[0].van_aanbieder_id)] + [str(d.naar_aanbieder_id) for d in verwijzingen]
    return lc.keten_kenmerken(pad)


def statistieken(*, session: Session, actor: Actor) -> dict:
    """Aggregates without personal data: for regional coordinators (their region) and the
    stelselregisseur (everything)."""
    if actor.rol not in (rollen.REGIOCOORDINATOR, rollen.STELSELREGISSEUR):
        fout = Verboden("alleen regio- en stelselrollen zien statistieken")
        raise _geweigerd(session, actor, fout, "statistieken")
    regio = actor.regio_code if actor.rol == rollen.REGIOCOORDINATOR else None
    c = queries.statistieken(session=session, regio=regio, vandaag=date.today())
    return {"regio": actor.regio_code, **dataclasses.asdict(c)}


def _meld(session: Session, dv: Doorverwijzing, gebeurtenis: str) -> None:
    """Queue notifications for a change, in the same transaction as the change itself."""
    if gebeurtenis == lc.ONTVANGEN:
        return
    base = get_settings().base_url.rstrip("/")
    ontvanger = (
        dv.naar_aanbieder_id if gebeurtenis in ("nieuw", lc.GEANNULEERD) else dv.van_aanbieder_id
    )
    gegevens = {
        "doorverwijzing": str(dv.id),
        "status": dv.status,
        "link": f"{base}/doorverwijzingen/{dv.id}",
    }
    onderwerp = {
        "nieuw": "Nieuwe doorverwijzing voor uw organisatie",
    }.get(gebeurtenis, f"Doorverwijzing is nu: {dv.status.replace('_', ' ')}")
    meldingen.zet_klaar(
        session=session,
        soort=f"doorverwijzing.{gebeurtenis}",
        sleutel=f"{dv.id}:{gebeurtenis}",
        onderwerp=onderwerp,
        gegevens=gegevens,
        emails=accounts.emails_van_aanbieder(session=session, aanbieder_id=ontvanger),
        aanbieder_id=ontvanger,
    )
