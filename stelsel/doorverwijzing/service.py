"""Referral service: the domain's public face.

Every function takes the acting user (`Actor`) and enforces who may see or change what;
every read or write of personal data is audited in the same transaction.
"""

import dataclasses
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
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
    Toestemming,
)
from stelsel.errors import NietGevonden, Ongeldig, StelselFout, Verboden
from stelsel.geo import service as geo
from stelsel.meldingen import service as meldingen
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer

TOESTEMMING_WAT = "naam, e-mailadres, telefoon, KVK-nummer, uw vraag en gemeente"
TOESTEMMING_DOEL = (
    "zodat de organisatie waarnaar u wordt doorverwezen u kan helpen "
    "zonder dat u uw verhaal opnieuw vertelt"
)


GEEN_HULPVRAAG = "Deze hulpvraag bestaat niet."
GEEN_DOORVERWIJZING = "Deze doorverwijzing bestaat niet."


def _geweigerd(
    session: Session,
    actor: Actor,
    fout: StelselFout,
    object_type: str,
    object_id: object | None = None,
) -> StelselFout:
    """A refusal, audited: the entry is kept although the request fails (bewaar). Unknown and
    not visible are the same 404, so a refusal never reveals that a case exists."""
    accounts.audit(
        session=session,
        actor=actor,
        actie="toegang",
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        toegestaan=False,
    )
    fout.bewaar = True
    return fout


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _adviseur(session: Session, actor: Actor, object_type: str) -> None:
    if actor.rol != rollen.ADVISEUR or actor.aanbieder_id is None:
        fout = Verboden("alleen adviseurs van een aanbieder werken met hulpvragen")
        raise _geweigerd(session, actor, fout, object_type)


# --- hulpvragen ----------------------------------------------------------------------------


@dataclass
class NieuweHulpvraag:
    naam: str
    email: str
    vraag: str
    gemeente: str | None
    delen_met_ontvanger: bool
    tekst_versie: str
    telefoon: str | None = None
    kvk_nummer: str | None = None
    urgentie: str = "normaal"
    themas: list[str] | None = None


def create_hulpvraag(
    *, session: Session, actor: Actor, data: NieuweHulpvraag
) -> tuple[Hulpvraag, str]:
    """Record a case with its consent; returns it and the entrepreneur's private access code."""
    _adviseur(session, actor, "hulpvraag")
    if not data.naam.strip():
        raise Ongeldig("ondernemer.naam", "verplicht")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", data.email.strip()):
        raise Ongeldig("ondernemer.email", "geen geldig e-mailadres")
    if data.kvk_nummer and not re.fullmatch(r"\d{8}", data.kvk_nummer):
        raise Ongeldig("ondernemer.kvk_nummer", "een KVK-nummer heeft 8 cijfers")
    if not data.vraag.strip() or len(data.vraag) > 5000:
        raise Ongeldig("vraag", "verplicht, hooguit 5000 tekens")
    if data.urgentie not in ("normaal", "hoog"):
        raise Ongeldig("urgentie", "normaal of hoog")
    if not data.tekst_versie.strip():
        raise Ongeldig("toestemming.tekst_versie", "verplicht: welke toestemmingstekst is getoond")
    g = None
    if data.gemeente:
        g = geo.resolve(session=session, tekst=data.gemeente)
    themas = data.themas
    if themas is None:
        from stelsel.wegwijzer import service as wegwijzer

        themas = wegwijzer.advies(session=session, vraag=data.vraag[:1000], registreer=False).themas
    code = secrets.token_urlsafe(24)
    h = Hulpvraag(
        id=uuid.uuid4(),
        aanbieder_id=actor.aanbieder_id,
        aangemaakt_door=actor.id,
        ondernemer_naam=data.naam.strip(),
        ondernemer_email=data.email.strip().lower(),
        ondernemer_telefoon=(data.telefoon or "").strip() or None,
        kvk_nummer=data.kvk_nummer or None,
        vraag=data.vraag.strip(),
        themas=themas,
        gemeente_code=g.code if g else None,
        provincie_code=g.provincie_code if g else None,
        arbeidsmarktregio_code=g.arbeidsmarktregio_code if g else None,
        urgentie=data.urgentie,
        toegangscode_hash=_hash(code),
    )
    h.toestemmingen.append(
        Toestemming(
            delen_met_ontvanger=data.delen_met_ontvanger,
            wat=TOESTEMMING_WAT,
            doel=TOESTEMMING_DOEL,
            tekst_versie=data.tekst_versie.strip(),
        )
    )
    session.add(h)
    session.flush()
    accounts.audit(
        session=session,
        actor=actor,
        actie="aanmaken",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel="hulpvraag vastleggen",
    )
    return h, code


def _betrokken(session: Session, h: Hulpvraag) -> set[uuid.UUID]:
    """Providers involved in a case: who took it and everyone it was referred to or from."""
    ids = {h.aanbieder_id}
    for van, naar in session.execute(
        select(Doorverwijzing.van_aanbieder_id, Doorverwijzing.naar_aanbieder_id).where(
            Doorverwijzing.hulpvraag_id == h.id
        )
    ):
        ids |= {van, naar}
    return ids


def get_hulpvraag(
    *, session: Session, actor: Actor, hulpvraag_id: uuid.UUID, doel: str
) -> Hulpvraag:
    """A case, for an adviser of a provider involved in it (audited)."""
    h = session.get(Hulpvraag, hulpvraag_id)
    if (
        h is None
        or actor.rol != rollen.ADVISEUR
        or actor.aanbieder_id not in _betrokken(session, h)
    ):
        fout = NietGevonden(GEEN_HULPVRAAG)
        raise _geweigerd(session, actor, fout, "hulpvraag", hulpvraag_id)
    accounts.audit(
        session=session,
        actor=actor,
        actie="lezen",
        object_type="hulpvraag",
        object_id=str(h.id),
        doel=doel,
    )
    return h


def by_toegangscode(*, session: Session, code: str) -> Hulpvraag | None:
    """The case behind an entrepreneur's private link."""
    h = session.scalar(select(Hulpvraag).where(Hulpvraag.toegangscode_hash == _hash(code)))
    if h is not None:
        accounts.audit(
            session=session,
            actor=None,
            actie="lezen",
            object_type="hulpvraag",
            object_id=str(h.id),
            doel="ondernemer bekijkt eigen hulpvraag",
        )
    return h


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


# --- doorverwijzingen ----------------------------------------------------------------------


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


# --- notifications (outbox) ----------------------------------------------------------------


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
