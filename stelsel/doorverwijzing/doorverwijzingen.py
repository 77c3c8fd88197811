"""Doorverwijzingen: warm referrals between providers, their lifecycle, the chain, notes."""

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session, joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.doorverwijzing import berichten, queries
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import toestemmingen as ts
from stelsel.doorverwijzing.hulpvragen import get_hulpvraag, keten
from stelsel.doorverwijzing.models import Doorverwijzing, Gebeurtenis, Hulpvraag, schrijf_direct
from stelsel.doorverwijzing.toegang import (
    GEEN_DOORVERWIJZING,
    GEEN_HULPVRAAG,
    GEEN_VRAAG_ZELF,
    ZELF,
    _adviseur,
    _geweigerd,
    _now,
    houdt,
    op_keten,
)
from stelsel.errors import Conflict, NietGevonden, Ongeldig, Verboden
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer

KETEN = "keten"  # a party further up or down the chain: reads status and outcome only


def aanbieder_naam(*, session: Session, aanbieder_id: uuid.UUID | None) -> str:
    """The name of an aanbieder, or '' when unknown."""
    return berichten.register_naam(session, aanbieder_id)


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
    alle = berichten.aanbieders(session)
    for r in advies.resultaten:
        if r.regio_nodig:
            continue  # a stand-in for "the desk in your region": not a provider to refer to
        a = alle.get(r.aanbieder_id)
        if a and a.id != actor.aanbieder_id and a.soort in ONTVANGER_SOORTEN:
            out.append(r)
    return out[:aantal]


@dataclass(frozen=True)
class Ontvanger:
    """An aanbieder a case can be referred to, as the referral form lists it."""

    id: uuid.UUID
    slug: str
    naam: str
    bereikbaar: str  # berichten.INBOX | EMAIL | GEEN
    voorgesteld: bool  # suggested by the wegwijzer for this question
    dienst_id: uuid.UUID | None = None
    dienst_naam: str = ""


def ontvangers(*, session: Session, actor: Actor, hulpvraag: Hulpvraag) -> list[Ontvanger]:
    """Every partner aanbieder in the register except the caller's own: the wegwijzer's
    suggestions first, then the rest by name; each with how a referral would reach it."""
    voorstel = suggesties(session=session, actor=actor, hulpvraag=hulpvraag)
    hoe = berichten.bereikbaarheden(session=session)
    alle = register.aanbieder_keuzes(session=session)
    per_id = {str(a.id): a for a in alle}
    out: list[Ontvanger] = []
    gezien: set[uuid.UUID] = set()
    for r in voorstel:
        a = per_id.get(r.aanbieder_id)
        if a is None or a.id in gezien:
            continue
        gezien.add(a.id)
        bereik = hoe(a.id, a.email)
        out.append(
            Ontvanger(a.id, a.slug, a.naam, bereik, True, uuid.UUID(r.dienst_id), r.dienst_naam)
        )
    for a in sorted(alle, key=lambda a: a.naam.lower()):
        if a.id in gezien or a.id == actor.aanbieder_id or a.soort not in ONTVANGER_SOORTEN:
            continue
        out.append(Ontvanger(a.id, a.slug, a.naam, hoe(a.id, a.email), False))
    return out


@dataclass(frozen=True)
class NieuweToestemming:
    """Consent for this hand-over, as the adviser heard it from the entrepreneur."""

    tekst_versie: str
    kanaal: str = "telefoon"


GEEN_TOESTEMMING = (
    "de ondernemer heeft geen toestemming gegeven om gegevens te delen met {naam}: leg die "
    "vast (gegeven aan de telefoon of in gesprek), of vraag die via de privé-link"
)
INGETROKKEN = "de ondernemer heeft de toestemming ingetrokken; de hulpvraag kan niet verder"
NIET_BEREIKBAAR = (
    "{naam} is niet bereikbaar via stelsel: de organisatie heeft geen gebruikers en het "
    "register heeft geen e-mailadres. Neem zelf contact op of kies een andere organisatie."
)


_GEBEURTENIS_INSERT = insert(Gebeurtenis)


# Built once: building a statement with its loader options costs more than running it. One
# round trip reads the case with its consents and thema's, its chain (an outer join: none yet
# gives one row with no referral) and the register's version, so the aanbieders by version
# need no read of their own. The rows multiply (consents x thema's x referrals): small for a
# case, which has a handful of each.
_ZAAK = (
    select(Hulpvraag, register.versie_kolom(), Doorverwijzing)
    .outerjoin(Doorverwijzing, Doorverwijzing.hulpvraag_id == Hulpvraag.id)
    .where(Hulpvraag.id == bindparam("hulpvraag_id"))
    .options(
        joinedload(Hulpvraag.toestemmingen),
        joinedload(Hulpvraag.thema_rijen),
        lazyload(Doorverwijzing.hulpvraag),  # the case is the one read here
    )
)


def _zaak(
    session: Session, hulpvraag_id: uuid.UUID
) -> tuple[Hulpvraag | None, list[Doorverwijzing], str | None]:
    """A case with its consents and thema's, its referrals in order (as hulpvragen.keten
    gives them) and the register's version as of this transaction, in one query; (None, [],
    None) when there is no such case."""
    rijen = session.execute(_ZAAK, {"hulpvraag_id": hulpvraag_id}).unique().all()
    if not rijen:
        return None, [], None
    verwijzingen = {r[2].id: r[2] for r in rijen if r[2] is not None}
    keten_ = sorted(verwijzingen.values(), key=lambda d: (d.aangemaakt_op, d.id))
    return rijen[0][0], keten_, rijen[0][1] or ""


def create_doorverwijzing(
    *,
    session: Session,
    actor: Actor,
    hulpvraag_id: uuid.UUID,
    naar_aanbieder: str,
    dienst: str | None = None,
    notitie: str | None = None,
    toestemming: NieuweToestemming | None = None,
    namen: dict[uuid.UUID, str] | None = None,
) -> Doorverwijzing:
    """Refer a case to another aanbieder. Only the provider that holds the case may, only with
    the entrepreneur's consent for this recipient, and only to a recipient a referral reaches.
    The caller's own open hop is closed as afgerond/doorverwezen. `namen`, when given, gets
    the names of sender and receiver (for the answer, without looking them up again).

    Everything is read first (case, chain, receiver, its reach, names), then written."""
    _adviseur(session, actor, "doorverwijzing")
    h, eerdere, register_versie = _zaak(session, hulpvraag_id)
    if h is None or not op_keten(h, eerdere, actor.aanbieder_id):
        raise _geweigerd(session, actor, NietGevonden(GEEN_HULPVRAAG), "hulpvraag", hulpvraag_id)
    if h.ingetrokken_op or h.geanonimiseerd_op:
        raise Ongeldig("toestemming", INGETROKKEN)
    if not houdt(h, eerdere, actor.aanbieder_id):
        raise Conflict("uw organisatie heeft deze hulpvraag niet (meer) in behandeling")
    # sender and receiver by name from the register's aanbieders as of its version; the
    # receiver's desk address (contact data, not versioned) is read live when it is needed
    alle = berichten.aanbieders(session, versie=register_versie)
    naar = alle.get(naar_aanbieder)
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
    bereik = berichten.bereik_van(session=session, aanbieder_id=naar.id)
    if bereik.hoe == berichten.GEEN:
        raise Ongeldig("naar_aanbieder", NIET_BEREIKBAAR.format(naam=naar.naam))
    van_naam = alle.naam(actor.aanbieder_id)
    # the audit entries of this request, written together at the end with one statement
    auditregels: list[dict] = []
    # the consent this hop rests on: recorded now, given earlier for this recipient, or for
    # the first hop the intake consent for "the organisation you are referred to"
    t = None
    if toestemming is not None:
        t = ts.leg_vast(
            session=session,
            actor=actor,
            hulpvraag=h,
            naar_aanbieder_id=naar.id,
            naar_naam=naar.naam,
            tekst_versie=toestemming.tekst_versie,
            kanaal=toestemming.kanaal,
            direct=True,
            auditregels=auditregels,
        )
    else:
        t = h.toestemming_voor(naar.id)
        if t is None and not eerdere:
            t = h.eerste_hop_toestemming()
            if t is not None:
                t.naar_aanbieder_id = naar.id
    if t is None:
        raise Ongeldig("toestemming", GEEN_TOESTEMMING.format(naam=naar.naam))
    vorige = next(
        (
            d
            for d in reversed(eerdere)
            if d.naar_aanbieder_id == actor.aanbieder_id and d.status in lc.OPEN_STATUSSEN
        ),
        None,
    )
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
        toestemming_id=t.id,
        aangemaakt_op=nu,
        bijgewerkt_op=nu,
        eerste_contact_voor=lc.plus_werkdagen(nu.date(), werkdagen),
    )
    # the referral row before the rows that point to it, each with one INSERT and no flush
    schrijf_direct(session, dv)
    set_committed_value(dv, "hulpvraag", h)
    # the history, the message and the audit entry are append-only and not read back in the
    # request: Core INSERTs, no ORM objects to flush
    session.connection().execute(
        _GEBEURTENIS_INSERT,
        {
            "id": uuid.uuid4(),
            "doorverwijzing_id": dv.id,
            "naar_status": lc.VERZONDEN,
            "actor_id": actor.id,
            "aanbieder_id": actor.aanbieder_id,
        },
    )
    if vorige is not None:
        # referring on closes one's own hop, from any open state
        _zet(session, actor, vorige, lc.AFGEROND, uitkomst=lc.DOORVERWEZEN)
    berichten.aan_ontvanger(
        session,
        dv,
        "nieuw",
        "Nieuwe doorverwijzing voor uw organisatie",
        dv.id,
        bereik=bereik,
        van_naam=van_naam,
        direct=True,
    )
    auditregels.append(
        accounts.audit_regel(
            actor=actor,
            actie="doorverwijzen",
            object_type="doorverwijzing",
            object_id=str(dv.id),
            doel="warme doorverwijzing",
        )
    )
    accounts.schrijf_audit(session=session, regels=auditregels)
    session.flush()  # what the receiver's link (if any) added
    if namen is not None:
        namen[naar.id] = naar.naam
        namen[dv.van_aanbieder_id] = van_naam
    return dv


def _partij(actor: Actor, dv: Doorverwijzing, verwijzingen: list[Doorverwijzing]) -> str | None:
    if actor.rol != rollen.ADVISEUR:
        return None
    if dv.naar_aanbieder_id == actor.aanbieder_id:
        return lc.ONTVANGER
    if dv.van_aanbieder_id == actor.aanbieder_id:
        return lc.VERZENDER
    if op_keten(dv.hulpvraag, verwijzingen, actor.aanbieder_id):
        return KETEN
    return None


def get_all(
    *,
    session: Session,
    actor: Actor,
    richting: str | None = None,
    status: str | None = None,
    sorteer: str = "nieuw",
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Doorverwijzing], int]:
    """The referrals an adviser's provider sent (uit) or received (in); filtered on status
    (`open` for every open one) and sorted newest first (nieuw), oldest first (oud) or by
    first-contact deadline (termijn)."""
    _adviseur(session, actor, "doorverwijzing")
    conds = [
        {
            "in": Doorverwijzing.naar_aanbieder_id == actor.aanbieder_id,
            "uit": Doorverwijzing.van_aanbieder_id == actor.aanbieder_id,
        }.get(
            richting or "",
            or_(
                Doorverwijzing.naar_aanbieder_id == actor.aanbieder_id,
                Doorverwijzing.van_aanbieder_id == actor.aanbieder_id,
            ),
        )
    ]
    if status == "open":
        conds.append(Doorverwijzing.status.in_(lc.OPEN_STATUSSEN))
    elif status:
        if status not in lc.STATUSSEN:
            raise Ongeldig("status", f"kies uit open, {', '.join(lc.STATUSSEN)}")
        conds.append(Doorverwijzing.status == status)
    volgorde = {
        "nieuw": (Doorverwijzing.aangemaakt_op.desc(), Doorverwijzing.id),
        "oud": (Doorverwijzing.aangemaakt_op, Doorverwijzing.id),
        "termijn": (Doorverwijzing.eerste_contact_voor, Doorverwijzing.aangemaakt_op),
    }.get(sorteer)
    if volgorde is None:
        raise Ongeldig("sorteer", "kies uit nieuw, oud, termijn")
    total = session.scalar(select(func.count()).select_from(Doorverwijzing).where(*conds)) or 0
    rows = session.scalars(
        select(Doorverwijzing).where(*conds).order_by(*volgorde).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def _van_partij(
    session: Session, actor: Actor, doorverwijzing_id: uuid.UUID
) -> tuple[Doorverwijzing, str, list[Doorverwijzing]]:
    """A referral, the actor's party in it and its chain; 404 (audited) for anyone off it."""
    dv = session.get(Doorverwijzing, doorverwijzing_id)
    verwijzingen = keten(session=session, hulpvraag_id=dv.hulpvraag_id) if dv else []
    partij = _partij(actor, dv, verwijzingen) if dv else None
    if dv is None or partij is None:
        fout = NietGevonden(GEEN_DOORVERWIJZING)
        raise _geweigerd(session, actor, fout, "doorverwijzing", doorverwijzing_id)
    return dv, partij, verwijzingen


@dataclass(frozen=True)
class Inzicht:
    """A referral as one party sees it: its party and whether it sees personal data."""

    doorverwijzing: Doorverwijzing
    partij: str  # ontvanger | verzender | keten
    zichtbaar: bool
    keten: list[Doorverwijzing]


def get(*, session: Session, actor: Actor, doorverwijzing_id: uuid.UUID) -> Inzicht:
    """One referral for anyone on its chain (audited); the receiver's first look marks it
    ontvangen. Personal data only for the provider that holds the case (toegang.houdt)."""
    dv, partij, verwijzingen = _van_partij(session, actor, doorverwijzing_id)
    if partij == lc.ONTVANGER and dv.status == lc.VERZONDEN:
        _zet(session, actor, dv, lc.ONTVANGEN)
    zichtbaar = partij != KETEN and houdt(dv.hulpvraag, verwijzingen, actor.aanbieder_id)
    accounts.audit(
        session=session,
        actor=actor,
        actie="lezen",
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel="behandelen doorverwijzing" if zichtbaar else "status volgen",
    )
    return Inzicht(dv, partij, zichtbaar, verwijzingen)


def wijzig_status(
    *,
    session: Session,
    actor: Actor,
    doorverwijzing_id: uuid.UUID,
    status: str,
    reden_code: str | None = None,
    reden: str | None = None,
    uitkomst: str | None = None,
) -> Doorverwijzing:
    """Move a referral to a new status (raises lc.OngeldigeOvergang, lc.GeenRecht, Ongeldig)."""
    dv, partij, _ = _van_partij(session, actor, doorverwijzing_id)
    try:
        stap = lc.controleer(dv.status, status, partij, reden_code, reden, uitkomst)
    except lc.GeenRecht as e:
        raise _geweigerd(session, actor, e, "doorverwijzing", dv.id) from None
    _zet(session, actor, dv, stap.naar, stap.reden_code, stap.reden, stap.uitkomst)
    return dv


def notitie(
    *,
    session: Session,
    actor: Actor,
    doorverwijzing_id: uuid.UUID,
    tekst: str,
    soort: str = "notitie",
) -> Gebeurtenis:
    """A note on a referral's timeline, by its sender or receiver (`vraag`: a question to the
    sender, which it is told about: who asks and how to reach them, never the text, which only
    who holds the case reads). A self-referral has no sender to ask: the receiver has the
    entrepreneur's own contact data."""
    dv, partij, _ = _van_partij(session, actor, doorverwijzing_id)
    if partij == KETEN:
        raise _geweigerd(
            session,
            actor,
            Verboden("alleen verzender en ontvanger schrijven notities"),
            "doorverwijzing",
            dv.id,
        )
    if soort == "vraag" and dv.van_aanbieder_id == ZELF:
        raise Ongeldig("tekst", GEEN_VRAAG_ZELF)
    tekst = (tekst or "").strip()
    if not tekst or len(tekst) > 2000:
        raise Ongeldig("tekst", "verplicht, hooguit 2000 tekens")
    g = Gebeurtenis(
        id=uuid.uuid4(),
        doorverwijzing_id=dv.id,
        van_status=dv.status,
        naar_status=dv.status,
        actor_id=actor.id,
        aanbieder_id=actor.aanbieder_id,
        soort=soort,
        toelichting=tekst,
    )
    session.add(g)
    if soort == "vraag":
        berichten.aan_aanbieder(
            session,
            dv.van_aanbieder_id,
            dv,
            "vraag",
            "Een vraag over uw doorverwijzing",
            g.id,
            extra={
                "organisatie": aanbieder_naam(session=session, aanbieder_id=dv.naar_aanbieder_id),
                "van": actor.email,
            },
        )
    accounts.audit(
        session=session,
        actor=actor,
        actie=soort,
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel="behandelen doorverwijzing",
    )
    session.flush()
    return g


@dataclass(frozen=True)
class Moment:
    """One entry on a case's timeline, as a party may see it."""

    tijdstip: datetime
    doorverwijzing_id: uuid.UUID
    soort: str  # status | notitie | vraag
    van_status: str | None
    naar_status: str
    aanbieder: str
    reden_code: str | None
    toelichting: str | None  # only for who holds the case, and the entrepreneur


def tijdlijn(
    *,
    session: Session,
    hulpvraag: Hulpvraag,
    verwijzingen: list[Doorverwijzing],
    met_notities: bool,
) -> list[Moment]:
    """Every status change and note of a case's referrals, oldest first."""
    if not verwijzingen:
        return []
    rijen = session.scalars(
        select(Gebeurtenis)
        .where(Gebeurtenis.doorverwijzing_id.in_([d.id for d in verwijzingen]))
        .order_by(Gebeurtenis.tijdstip, Gebeurtenis.id)
    ).all()
    namen: dict[uuid.UUID | None, str] = {}
    uit: list[Moment] = []
    for g in rijen:
        if g.aanbieder_id not in namen:
            namen[g.aanbieder_id] = aanbieder_naam(session=session, aanbieder_id=g.aanbieder_id)
        uit.append(
            Moment(
                g.tijdstip,
                g.doorverwijzing_id,
                g.soort,
                g.van_status,
                g.naar_status,
                namen[g.aanbieder_id] or "stelsel",
                g.reden_code,
                g.toelichting if met_notities else None,
            )
        )
    return uit


def _zet(
    session: Session,
    actor: Actor | None,
    dv: Doorverwijzing,
    status: str,
    reden_code: str | None = None,
    reden: str | None = None,
    uitkomst: str | None = None,
    doel: str | None = None,
) -> None:
    """Apply a checked transition with a conditional UPDATE, so concurrent changes cannot both
    win: the row changes only if its status is still the one it was read with. `actor` None:
    the system (expiry, retention, withdrawal); `doel` the audit's purpose."""
    nu = _now()
    values: dict[str, Any] = {"status": status, "bijgewerkt_op": nu}
    if reden_code is not None:
        values["reden_code"] = reden_code
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
        raise lc.OngeldigeOvergang(
            f"Iemand was u net voor: de doorverwijzing is intussen {lc.woord(dv.status)}."
        )
    session.refresh(dv)
    g = Gebeurtenis(
        id=uuid.uuid4(),
        doorverwijzing_id=dv.id,
        van_status=oud,
        naar_status=status,
        actor_id=actor.id if actor else None,
        aanbieder_id=actor.aanbieder_id if actor else None,
        reden_code=reden_code,
        toelichting=reden,
    )
    session.add(g)
    berichten.bij_status(session, dv, dv.hulpvraag, g.id)
    accounts.audit(
        session=session,
        actor=actor,
        actie=f"status_{status}",
        object_type="doorverwijzing",
        object_id=str(dv.id),
        doel=doel or ("behandelen doorverwijzing" if actor else "termijn verstreken"),
    )
    session.flush()


def te_laat(dv: Doorverwijzing, vandaag: date | None = None) -> bool:
    """First contact is overdue: still unanswered after the deadline."""
    return dv.status in lc.ONBEANTWOORD and (vandaag or date.today()) > dv.eerste_contact_voor


def keten_kenmerken(verwijzingen: list[Doorverwijzing]) -> dict:
    if not verwijzingen:
        return {"hops": 0, "pingpong": False}
    pad = [str(verwijzingen[0].van_aanbieder_id)] + [str(d.naar_aanbieder_id) for d in verwijzingen]
    return lc.keten_kenmerken(pad)


def keten_van(
    *, session: Session, actor: Actor, hulpvraag_id: uuid.UUID
) -> tuple[Hulpvraag, list[Doorverwijzing]]:
    """A case's whole chain for anyone on it: status and outcome of every hop (audited)."""
    _adviseur(session, actor, "hulpvraag")
    h = get_hulpvraag(session=session, actor=actor, hulpvraag_id=hulpvraag_id, doel="keten volgen")
    verwijzingen = keten(session=session, hulpvraag_id=hulpvraag_id)
    return h, verwijzingen


def statistieken(*, session: Session, actor: Actor) -> dict:
    """Aggregates without personal data: for regional coordinators (their region) and the
    stelselregisseur (everything)."""
    if actor.rol not in (rollen.REGIOCOORDINATOR, rollen.STELSELREGISSEUR):
        fout = Verboden("alleen regio- en stelselrollen zien statistieken")
        raise _geweigerd(session, actor, fout, "statistieken")
    regio = actor.regio_code if actor.rol == rollen.REGIOCOORDINATOR else None
    c = queries.statistieken(session=session, regio=regio, vandaag=date.today())
    return {"regio": actor.regio_code, **dataclasses.asdict(c)}
