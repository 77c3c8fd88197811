"""Accounts service: users, tokens, passwords, identity and the audit log.

Identity is resolved by providers tried in order (bearer token, web session). An OIDC login
is one more provider mapping an external identity (`extern_id`) to a Gebruiker; nothing else
changes.
"""

import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from stelsel.accounts import rollen
from stelsel.accounts.models import ApiToken, AuditRegel, Gebruiker, Inlogpoging, WebSessie
from stelsel.accounts.rollen import Actor
from stelsel.db import als_utc, utcnow
from stelsel.errors import NietGevonden, Ongeldig, Verboden
from stelsel.geo import service as geo
from stelsel.register import service as register

_hasher = PasswordHasher()
# The clock of the login limit; tests replace it.
klok: Callable[[], datetime] = utcnow
# Failed logins before logging in waits, per account and per client address; the wait starts
# at BLOKKADE and doubles with every next failure, up to MAX_BLOKKADE. Forgotten after VERGEET.
DREMPEL_ACCOUNT = 5
DREMPEL_ADRES = 20
BLOKKADE = timedelta(seconds=60)
MAX_BLOKKADE = timedelta(hours=1)
VERGEET = timedelta(hours=24)
MIN_LENGTE = 12
MIN_ZXCVBN_SCORE = 3


class GebruikerOngeldig(Ongeldig):
    """A user's data cannot be accepted: which field, and why."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class GebruikerWaarde:
    """A user as other domains see it (what create returns): a value, not the ORM row."""

    id: uuid.UUID
    email: str
    naam: str
    rol: str
    aanbieder_id: uuid.UUID | None
    regio_code: str | None
    actief: bool


def _waarde(g: Gebruiker) -> GebruikerWaarde:
    return GebruikerWaarde(g.id, g.email, g.naam, g.rol, g.aanbieder_id, g.regio_code, g.actief)


def actor(g: Gebruiker | GebruikerWaarde) -> Actor:
    return Actor(
        id=g.id, rol=g.rol, aanbieder_id=g.aanbieder_id, regio_code=g.regio_code, email=g.email
    )


def create(
    *,
    session: Session,
    email: str,
    rol: str,
    aanbieder: str | None = None,
    regio: str | None = None,
    naam: str = "",
    wachtwoord: str | None = None,
) -> GebruikerWaarde:
    """Create a user; the role decides whether an aanbieder or regio is required."""
    email = email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email):
        raise GebruikerOngeldig("email", f"'{email}' is geen geldig e-mailadres")
    if rol not in rollen.ROLLEN:
        raise GebruikerOngeldig("rol", f"kies uit {', '.join(rollen.ROLLEN)}")
    if session.scalar(select(Gebruiker).where(Gebruiker.email == email)):
        raise GebruikerOngeldig("email", "bestaat al")
    aanbieder_id = None
    if rol in rollen.AANBIEDER_ROLLEN:
        a = register.get_aanbieder(session=session, aanbieder_id=aanbieder or "")
        if a is None:
            raise GebruikerOngeldig("aanbieder", f"een {rol} hoort bij een bestaande aanbieder")
        aanbieder_id = a.id
    if rol == rollen.REGIOCOORDINATOR:
        codes = geo.known_codes(session=session)
        if not regio or not (regio in codes["provincie"] or regio in codes["arbeidsmarktregio"]):
            raise GebruikerOngeldig(
                "regio", "geef een provinciecode (PV21) of arbeidsmarktregio (AM01)"
            )
    if wachtwoord is not None:
        controleer_wachtwoord(wachtwoord, email=email, naam=naam)
    g = Gebruiker(
        id=uuid.uuid4(),
        email=email,
        naam=naam,
        rol=rol,
        aanbieder_id=aanbieder_id,
        regio_code=regio if rol == rollen.REGIOCOORDINATOR else None,
        wachtwoord_hash=_hasher.hash(wachtwoord) if wachtwoord else None,
        actief=True,
    )
    session.add(g)
    session.flush()
    return _waarde(g)


def controleer_wachtwoord(wachtwoord: str, *, email: str = "", naam: str = "") -> None:
    """Refuse short passwords and ones that are easy to guess (zxcvbn: common passwords,
    repeats, sequences, keyboard patterns, the user's own name or e-mail address)."""
    if len(wachtwoord) < MIN_LENGTE:
        raise GebruikerOngeldig("wachtwoord", f"minstens {MIN_LENGTE} tekens")
    eigen = [email, *email.replace("@", ".").split("."), *naam.split(), "stelsel"]
    score = zxcvbn(wachtwoord[:100], user_inputs=[w for w in eigen if w])["score"]
    if score < MIN_ZXCVBN_SCORE:
        raise GebruikerOngeldig(
            "wachtwoord",
            "dit wachtwoord is te makkelijk te raden. Kies een zin van een paar ongewone woorden, "
            "niet uw naam of e-mailadres en geen herhaling of reeks zoals aaaa of 1234",
        )


def create_token(*, session: Session, gebruiker: Gebruiker | GebruikerWaarde) -> str:
    """A new API token for a user; only its hash is stored, the token is returned once."""
    token = "stl_" + secrets.token_urlsafe(32)
    session.add(ApiToken(gebruiker_id=gebruiker.id, token_hash=_token_hash(token)))
    session.flush()
    return token


# Prepared once: building and caching a statement per request costs more than running it. The
# columns an Actor needs, read on the session's connection: no ORM objects are made.
_ACTOR_VAN_TOKEN = (
    select(
        Gebruiker.id, Gebruiker.rol, Gebruiker.aanbieder_id, Gebruiker.regio_code, Gebruiker.email
    )
    .join(ApiToken, ApiToken.gebruiker_id == Gebruiker.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.ingetrokken.is_(False),
        Gebruiker.actief.is_(True),
    )
)
_EMAILS_VAN_AANBIEDER = (
    select(Gebruiker.email)
    .where(Gebruiker.aanbieder_id == bindparam("aanbieder_id"), Gebruiker.actief.is_(True))
    .order_by(Gebruiker.email)
)


def by_token(*, session: Session, token: str) -> Actor | None:
    """The actor owning an active API token: one query, on every API request."""
    session.flush()  # what the session holds unflushed counts, as with an ORM query
    rij = session.connection().execute(_ACTOR_VAN_TOKEN, {"token_hash": _token_hash(token)}).first()
    if rij is None:
        return None
    return Actor(
        id=rij.id,
        rol=rij.rol,
        aanbieder_id=rij.aanbieder_id,
        regio_code=rij.regio_code,
        email=rij.email,
    )


def by_password(*, session: Session, email: str, wachtwoord: str) -> Actor | None:
    """The actor for an e-mail and password, or None (same answer for every failure)."""
    g = session.scalar(
        select(Gebruiker).where(
            Gebruiker.email == email.strip().lower(), Gebruiker.actief.is_(True)
        )
    )
    if g is None or not g.wachtwoord_hash:
        _hasher.hash("dummy-to-even-out-timing")
        return None
    try:
        _hasher.verify(g.wachtwoord_hash, wachtwoord)
    except (VerifyMismatchError, InvalidHashError):
        return None
    return actor(g)


def by_id(*, session: Session, gebruiker_id: uuid.UUID) -> Actor | None:
    g = session.get(Gebruiker, gebruiker_id)
    return actor(g) if g and g.actief else None


def emails_van_aanbieder(*, session: Session, aanbieder_id: uuid.UUID) -> list[str]:
    """E-mail addresses of the active advisers of a provider (for notifications)."""
    session.flush()
    return list(
        session.connection()
        .execute(_EMAILS_VAN_AANBIEDER, {"aanbieder_id": aanbieder_id})
        .scalars()
    )


def emails_met_rol(*, session: Session, aanbieder_id: uuid.UUID, rol: str) -> list[str]:
    """E-mail addresses of the active users with one role at an aanbieder (e.g. redacteuren)."""
    return list(
        session.scalars(
            select(Gebruiker.email)
            .where(
                Gebruiker.aanbieder_id == aanbieder_id,
                Gebruiker.rol == rol,
                Gebruiker.actief.is_(True),
            )
            .order_by(Gebruiker.email)
        )
    )


def emails_met_rol_per_aanbieder(*, session: Session, rol: str) -> dict[uuid.UUID, list[str]]:
    """E-mail addresses of the active users with one role, per aanbieder (one query)."""
    uit: dict[uuid.UUID, list[str]] = {}
    for aanbieder_id, email in session.execute(
        select(Gebruiker.aanbieder_id, Gebruiker.email)
        .where(
            Gebruiker.rol == rol, Gebruiker.actief.is_(True), Gebruiker.aanbieder_id.is_not(None)
        )
        .order_by(Gebruiker.email)
    ):
        if aanbieder_id is not None:
            uit.setdefault(aanbieder_id, []).append(email)
    return uit


def _gebruiker(session: Session, email: str) -> Gebruiker:
    g = session.scalar(select(Gebruiker).where(Gebruiker.email == email.strip().lower()))
    if g is None:
        raise GebruikerOngeldig("email", f"geen gebruiker met e-mailadres {email!r}")
    return g


def deactiveer(*, session: Session, email: str) -> Gebruiker:
    """Disable a user: their web sessions end and their API tokens stop working at once."""
    g = _gebruiker(session, email)
    g.actief = False
    session.execute(delete(WebSessie).where(WebSessie.gebruiker_id == g.id))
    session.flush()
    return g


def activeer(*, session: Session, email: str) -> Gebruiker:
    """Enable a disabled user again (they log in anew; revoked tokens stay revoked)."""
    g = _gebruiker(session, email)
    g.actief = True
    session.flush()
    return g


def trek_tokens_in(*, session: Session, email: str | None = None, token: str | None = None) -> int:
    """Revoke one API token, or all of a user's; returns how many were revoked."""
    q = update(ApiToken).where(ApiToken.ingetrokken.is_(False))
    if token is not None:
        q = q.where(ApiToken.token_hash == _token_hash(token))
    elif email is not None:
        q = q.where(ApiToken.gebruiker_id == _gebruiker(session, email).id)
    else:
        raise ValueError("give an e-mail address or a token")
    n = session.execute(q.values(ingetrokken=True)).rowcount  # type: ignore[attr-defined]
    session.flush()
    return int(n or 0)


# Web sessions (stored for stelsel.web.sessies; the key is the hash of the cookie's id) ----------


def sessie_laden(session: Session, sleutel: str, nu: datetime) -> dict[str, Any] | None:
    s = session.get(WebSessie, sleutel)
    if s is None or als_utc(s.verloopt_op) <= nu:
        return None
    return json.loads(s.gegevens)


def sessie_bewaren(
    session: Session, sleutel: str, gegevens: dict[str, Any], nu: datetime, verloopt: datetime
) -> None:
    gebruiker_id = gegevens.get("gebruiker_id")
    s = session.get(WebSessie, sleutel)
    if s is None:
        session.execute(delete(WebSessie).where(WebSessie.verloopt_op < nu))
        s = WebSessie(sleutel_hash=sleutel, aangemaakt_op=nu, verloopt_op=verloopt)
        session.add(s)
    s.gegevens = json.dumps(gegevens)
    s.gebruiker_id = uuid.UUID(gebruiker_id) if gebruiker_id else None
    session.flush()


def sessie_verwijderen(session: Session, sleutel: str) -> None:
    session.execute(delete(WebSessie).where(WebSessie.sleutel_hash == sleutel))


# Login with a limit on failed attempts -----------------------------------------------------------


class TeVeelPogingen(Exception):
    """Logging in has to wait; `seconden` says how long."""

    def __init__(self, seconden: int):
        self.seconden = seconden
        super().__init__(f"wait {seconden} s")


def _poging_sleutel(soort: str, waarde: str) -> str:
    return hashlib.sha256(f"inlog:{soort}:{waarde}".encode()).hexdigest()


def _poging(session: Session, sleutel: str, nu: datetime) -> Inlogpoging:
    p = session.get(Inlogpoging, sleutel, with_for_update=True)
    if p is not None:
        return p
    p = Inlogpoging(sleutel_hash=sleutel, mislukt=0, laatste_poging=nu)
    try:
        with session.begin_nested():
            session.add(p)
    except IntegrityError:  # another worker added it just now
        p = session.get(Inlogpoging, sleutel, with_for_update=True, populate_existing=True)
        assert p is not None
    return p


def inloggen(*, session: Session, email: str, wachtwoord: str, adres: str) -> Actor | None:
    """The actor for an e-mail and password, or None. Raises TeVeelPogingen, without checking
    the password, while the account or the client address waits after too many failures."""
    nu = klok()
    drempels = {
        _poging_sleutel("account", email.strip().lower()): DREMPEL_ACCOUNT,
        _poging_sleutel("adres", adres): DREMPEL_ADRES,
    }
    bekend = {k: session.get(Inlogpoging, k) for k in drempels}
    wacht = max(
        (
            (als_utc(p.geblokkeerd_tot) - nu).total_seconds()
            for p in bekend.values()
            if p and p.geblokkeerd_tot
        ),
        default=0.0,
    )
    if wacht > 0:
        raise TeVeelPogingen(int(wacht + 0.999))
    a = by_password(session=session, email=email, wachtwoord=wachtwoord)
    account = next(iter(drempels))
    if a is not None:
        session.execute(delete(Inlogpoging).where(Inlogpoging.sleutel_hash == account))
        return a
    for sleutel, drempel in drempels.items():
        p = _poging(session, sleutel, nu)
        if nu - als_utc(p.laatste_poging) > VERGEET:
            p.mislukt = 0
        p.mislukt += 1
        p.laatste_poging = nu
        if p.mislukt >= drempel:
            p.geblokkeerd_tot = nu + min(BLOKKADE * 2 ** min(p.mislukt - drempel, 12), MAX_BLOKKADE)
    session.flush()
    return None


IdentityProvider = Callable[[Session, dict], Actor | None]


_AUDIT_INSERT = insert(AuditRegel)


def audit_regel(
    *,
    actor: Actor | None,
    actie: str,
    object_type: str,
    object_id: str | None = None,
    doel: str = "",
    toegestaan: bool = True,
) -> dict[str, Any]:
    """An audit entry as the values of its row, stamped now; written by `audit` or, with the
    entries of the same request, by `schrijf_audit`."""
    return {
        "id": uuid.uuid4(),
        "tijdstip": utcnow(),
        "actor_id": actor.id if actor else None,
        "rol": actor.rol if actor else "anoniem",
        "actie": actie,
        "object_type": object_type,
        "object_id": object_id,
        "doel": doel,
        "uitkomst": "toegestaan" if toegestaan else "geweigerd",
    }


def schrijf_audit(*, session: Session, regels: list[dict[str, Any]]) -> None:
    """Write audit entries (from `audit_regel`) at once, in the caller's transaction, with one
    statement; for entries nothing in the request reads back, after the last check that
    could refuse the request."""
    if regels:
        session.connection().execute(_AUDIT_INSERT, regels)


def audit(
    *,
    session: Session,
    actor: Actor | None,
    actie: str,
    object_type: str,
    object_id: str | None = None,
    doel: str = "",
    toegestaan: bool = True,
    direct: bool = False,
) -> None:
    """Append an audit entry (in the caller's transaction). `direct`: written at once with a
    Core INSERT instead of an ORM object (cheaper); for an entry nothing in the request reads
    back, after the last check that could refuse the request."""
    rij = audit_regel(
        actor=actor,
        actie=actie,
        object_type=object_type,
        object_id=object_id,
        doel=doel,
        toegestaan=toegestaan,
    )
    if direct:
        schrijf_audit(session=session, regels=[rij])
    else:
        session.add(AuditRegel(**rij))


def get_audit(
    *, session: Session, offset: int = 0, limit: int = 100
) -> tuple[list[AuditRegel], int]:
    from sqlalchemy import func

    total = session.scalar(select(func.count()).select_from(AuditRegel)) or 0
    rows = session.scalars(
        select(AuditRegel)
        .order_by(AuditRegel.tijdstip.desc(), AuditRegel.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total


def emails_van_regio(*, session: Session, regio_codes: Iterable[str | None]) -> list[str]:
    """E-mail addresses of the active regional coordinators of these regions (escalations)."""
    codes = [c for c in regio_codes if c]
    if not codes:
        return []
    return list(
        session.scalars(
            select(Gebruiker.email)
            .where(
                Gebruiker.rol == rollen.REGIOCOORDINATOR,
                Gebruiker.regio_code.in_(codes),
                Gebruiker.actief.is_(True),
            )
            .order_by(Gebruiker.email)
        )
    )


@dataclass(frozen=True)
class Inzagelog:
    """One audited access to an object, as the person it is about may see it: when, which
    organisation and role (no names of staff), what and why."""

    tijdstip: datetime
    rol: str
    actor_id: uuid.UUID | None
    aanbieder_id: uuid.UUID | None
    actie: str
    doel: str
    toegestaan: bool


def audit_van(*, session: Session, object_ids: Iterable[str]) -> list[Inzagelog]:
    """Every audit entry about these objects, oldest first (for an entrepreneur's inzage)."""
    ids = list(object_ids)
    if not ids:
        return []
    rows = session.execute(
        select(AuditRegel, Gebruiker.aanbieder_id)
        .outerjoin(Gebruiker, Gebruiker.id == AuditRegel.actor_id)
        .where(AuditRegel.object_id.in_(ids))
        .order_by(AuditRegel.tijdstip, AuditRegel.id)
    ).all()
    return [
        Inzagelog(
            tijdstip=r.tijdstip,
            rol=r.rol,
            actor_id=r.actor_id,
            aanbieder_id=aanbieder_id,
            actie=r.actie,
            doel=r.doel,
            toegestaan=r.uitkomst == "toegestaan",
        )
        for r, aanbieder_id in rows
    ]


def aanbieders_met_gebruikers(*, session: Session) -> set[uuid.UUID]:
    """The aanbieders that have at least one active user (one query, for lists)."""
    return set(
        session.scalars(
            select(Gebruiker.aanbieder_id)
            .where(Gebruiker.aanbieder_id.is_not(None), Gebruiker.actief.is_(True))
            .distinct()
        )
    )


# User management (beheerder: everyone; registerbeheerder: the redacteuren) ---------------------

BEHEERT = {
    rollen.BEHEERDER: frozenset(rollen.ROLLEN),
    rollen.REGISTERBEHEERDER: frozenset({rollen.REDACTEUR}),
}


@dataclass(frozen=True)
class GebruikerInfo(GebruikerWaarde):
    """A user as a management list shows it (never a password hash or a token)."""

    aangemaakt_op: datetime
    tokens: int  # active API tokens


def _mag_beheren(session: Session, door: Actor, g: Gebruiker | None, actie: str) -> Gebruiker:
    rollen_ = BEHEERT.get(door.rol, frozenset())
    if g is None or g.rol not in rollen_:
        audit(
            session=session,
            actor=door,
            actie=actie,
            object_type="gebruiker",
            object_id=str(g.id) if g else None,
            doel="gebruikersbeheer",
            toegestaan=False,
        )
        if g is None and rollen_:
            raise NietGevonden("Deze gebruiker", bewaar=True)
        raise Verboden("U mag deze gebruiker niet beheren.", bewaar=True)
    if g.id == door.id and actie == "deactiveren":
        raise Ongeldig("gebruiker", "u kunt uzelf niet uitschakelen")
    return g


def _audit_beheer(
    session: Session, door: Actor, actie: str, g: Gebruiker, doel: str = "gebruikersbeheer"
) -> None:
    audit(
        session=session,
        actor=door,
        actie=actie,
        object_type="gebruiker",
        object_id=str(g.id),
        doel=doel,
    )


def get_all(
    *, session: Session, door: Actor, offset: int = 0, limit: int | None = 100
) -> tuple[list[GebruikerInfo], int]:
    """The users the caller manages, by e-mail address (403 for anyone who manages none)."""
    rollen_ = BEHEERT.get(door.rol)
    if not rollen_:
        audit(
            session=session,
            actor=door,
            actie="lezen",
            object_type="gebruiker",
            doel="gebruikersbeheer",
            toegestaan=False,
        )
        raise Verboden("Alleen beheerders en registerbeheerders beheren gebruikers.", bewaar=True)
    from sqlalchemy import func

    tokens = (
        select(ApiToken.gebruiker_id, func.count().label("n"))
        .where(ApiToken.ingetrokken.is_(False))
        .group_by(ApiToken.gebruiker_id)
        .subquery()
    )
    stmt = select(Gebruiker).where(Gebruiker.rol.in_(sorted(rollen_)))
    totaal = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rijen = session.execute(
        select(Gebruiker, func.coalesce(tokens.c.n, 0))
        .outerjoin(tokens, tokens.c.gebruiker_id == Gebruiker.id)
        .where(Gebruiker.rol.in_(sorted(rollen_)))
        .order_by(Gebruiker.email)
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        GebruikerInfo(
            id=g.id,
            email=g.email,
            naam=g.naam,
            rol=g.rol,
            aanbieder_id=g.aanbieder_id,
            regio_code=g.regio_code,
            actief=g.actief,
            aangemaakt_op=als_utc(g.aangemaakt_op),
            tokens=int(n),
        )
        for g, n in rijen
    ], totaal


def deactiveer_door(*, session: Session, door: Actor, gebruiker_id: uuid.UUID) -> None:
    """Disable a user (sessions end, tokens stop working at once), audited."""
    g = _mag_beheren(session, door, session.get(Gebruiker, gebruiker_id), "deactiveren")
    deactiveer(session=session, email=g.email)
    _audit_beheer(session, door, "deactiveren", g)


def activeer_door(*, session: Session, door: Actor, gebruiker_id: uuid.UUID) -> None:
    g = _mag_beheren(session, door, session.get(Gebruiker, gebruiker_id), "activeren")
    activeer(session=session, email=g.email)
    _audit_beheer(session, door, "activeren", g)


def nieuw_wachtwoord(*, session: Session, door: Actor, gebruiker_id: uuid.UUID) -> str:
    """Reset a user's password to a new random one, returned once (to hand over in person or
    by phone; it is never stored or sent). The user's web sessions end."""
    g = _mag_beheren(session, door, session.get(Gebruiker, gebruiker_id), "wachtwoord")
    woorden = [secrets.token_urlsafe(6) for _ in range(4)]
    wachtwoord = "-".join(woorden)
    g.wachtwoord_hash = _hasher.hash(wachtwoord)
    session.execute(delete(WebSessie).where(WebSessie.gebruiker_id == g.id))
    _audit_beheer(session, door, "wachtwoord", g, doel="gebruikersbeheer: nieuw wachtwoord")
    session.flush()
    return wachtwoord


def trek_tokens_in_door(*, session: Session, door: Actor, gebruiker_id: uuid.UUID) -> int:
    """Revoke every API token of a user; returns how many."""
    g = _mag_beheren(session, door, session.get(Gebruiker, gebruiker_id), "token-intrekken")
    n = trek_tokens_in(session=session, email=g.email)
    _audit_beheer(session, door, "token-intrekken", g, doel=f"gebruikersbeheer: {n} token(s)")
    return n
