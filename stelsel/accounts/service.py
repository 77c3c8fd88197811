"""Accounts service: users, tokens, passwords, identity and the audit log.

Identity is resolved by providers tried in order (bearer token, web session). An OIDC login
is one more provider mapping an external identity (`extern_id`) to a Gebruiker; nothing else
changes.
"""

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts.models import ApiToken, AuditRegel, Gebruiker
from stelsel.accounts.rollen import Actor
from stelsel.geo import service as geo
from stelsel.register import service as register

_hasher = PasswordHasher()


class GebruikerOngeldig(ValueError):
    def __init__(self, veld: str, reden: str):
        self.veld, self.reden = veld, reden
        super().__init__(f"{veld}: {reden}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor(g: Gebruiker) -> Actor:
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
) -> Gebruiker:
    """Create a user; the role decides whether an aanbieder or regio is required."""
    email = email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", email):
        raise GebruikerOngeldig("email", f"'{email}' is geen geldig e-mailadres")
    if rol not in rollen.ROLLEN:
        raise GebruikerOngeldig("rol", f"kies uit {', '.join(rollen.ROLLEN)}")
    if session.scalar(select(Gebruiker).where(Gebruiker.email == email)):
        raise GebruikerOngeldig("email", "bestaat al")
    aanbieder_id = None
    if rol == rollen.ADVISEUR:
        a = register.get_aanbieder(session=session, aanbieder_id=aanbieder or "")
        if a is None:
            raise GebruikerOngeldig("aanbieder", "een adviseur hoort bij een bestaande aanbieder")
        aanbieder_id = a.id
    if rol == rollen.REGIOCOORDINATOR:
        codes = geo.known_codes(session=session)
        if not regio or not (regio in codes["provincie"] or regio in codes["arbeidsmarktregio"]):
            raise GebruikerOngeldig(
                "regio", "geef een provinciecode (PV21) of arbeidsmarktregio (AM01)"
            )
    if wachtwoord is not None and len(wachtwoord) < 12:
        raise GebruikerOngeldig("wachtwoord", "minstens 12 tekens")
    g = Gebruiker(
        id=uuid.uuid4(),
        email=email,
        naam=naam,
        rol=rol,
        aanbieder_id=aanbieder_id,
        regio_code=regio if rol == rollen.REGIOCOORDINATOR else None,
        wachtwoord_hash=_hasher.hash(wachtwoord) if wachtwoord else None,
    )
    session.add(g)
    session.flush()
    return g


def create_token(*, session: Session, gebruiker: Gebruiker) -> str:
    """A new API token for a user; only its hash is stored, the token is returned once."""
    token = "stl_" + secrets.token_urlsafe(32)
    session.add(ApiToken(gebruiker_id=gebruiker.id, token_hash=_token_hash(token)))
    session.flush()
    return token


def by_token(*, session: Session, token: str) -> Actor | None:
    """The actor owning an active API token."""
    g = session.scalar(
        select(Gebruiker)
        .join(ApiToken, ApiToken.gebruiker_id == Gebruiker.id)
        .where(
            ApiToken.token_hash == _token_hash(token),
            ApiToken.ingetrokken.is_(False),
            Gebruiker.actief.is_(True),
        )
    )
    return actor(g) if g else None


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
    return list(
        session.scalars(
            select(Gebruiker.email)
            .where(Gebruiker.aanbieder_id == aanbieder_id, Gebruiker.actief.is_(True))
            .order_by(Gebruiker.email)
        )
    )


IdentityProvider = Callable[[Session, dict], Actor | None]


def audit(
    *,
    session: Session,
    actor: Actor | None,
    actie: str,
    object_type: str,
    object_id: str | None = None,
    doel: str = "",
    toegestaan: bool = True,
) -> None:
    """Append an audit entry (in the caller's transaction)."""
    session.add(
        AuditRegel(
            actor_id=actor.id if actor else None,
            rol=actor.rol if actor else "anoniem",
            actie=actie,
            object_type=object_type,
            object_id=object_id,
            doel=doel,
            uitkomst="toegestaan" if toegestaan else "geweigerd",
        )
    )


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
