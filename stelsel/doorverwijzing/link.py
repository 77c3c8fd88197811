"""A referral to a provider without users: one person of that provider answers it through the
signed, expiring link e-mailed to its desk address, without an account, and may claim an
account with it (after which the link stops working: they log in)."""

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import berichten
from stelsel.doorverwijzing import doorverwijzingen as dvs
from stelsel.doorverwijzing.models import AanbiederLink, Doorverwijzing
from stelsel.doorverwijzing.toegang import _now
from stelsel.errors import NietGevonden, Ongeldig
from stelsel.register import service as register

ONBEKEND = "Deze link klopt niet, is verlopen of is al gebruikt om een account te maken."


@dataclass(frozen=True)
class LinkToegang:
    link: AanbiederLink
    actor: Actor  # the receiving provider, as the link's holder
    inzicht: dvs.Inzicht


def _actor(link: AanbiederLink) -> Actor:
    return Actor(
        id=link.id, rol=rollen.ADVISEUR, aanbieder_id=link.aanbieder_id, email=link.email or ""
    )


def _link(session: Session, token: str) -> AanbiederLink:
    link = berichten.link_van_token(session, token)
    if link is None:
        accounts.audit(
            session=session,
            actor=None,
            actie="toegang",
            object_type="aanbieder_link",
            toegestaan=False,
        )
        raise NietGevonden(ONBEKEND, bewaar=True)
    dv = session.get(Doorverwijzing, link.doorverwijzing_id)
    if dv is None or dv.naar_aanbieder_id != link.aanbieder_id:
        raise NietGevonden(ONBEKEND)
    return link


def open_link(*, session: Session, token: str) -> LinkToegang:
    """The referral behind a link, for its receiver (audited like any read)."""
    link = _link(session, token)
    actor = _actor(link)
    return LinkToegang(
        link, actor, dvs.get(session=session, actor=actor, doorverwijzing_id=link.doorverwijzing_id)
    )


GENOMEN = (
    "deze link is al in gebruik. Ga verder in de browser waarin de link eerst is geopend, "
    "of vraag de organisatie die doorverwees om een nieuwe link"
)


def neem(*, session: Session, token: str, naam: str, email: str) -> AanbiederLink:
    """The one person who takes the link gives their name and work e-mail address. Only the
    first may: the address is not verified, so typing the same one again in another browser
    is no proof of being that person (it would open the entrepreneur's data to anyone who
    knows a colleague's address)."""
    link = _link(session, token)
    naam, email = naam.strip(), email.strip().lower()
    if not naam:
        raise Ongeldig("naam", "verplicht")
    if "@" not in email or len(email) > 200:
        raise Ongeldig("email", "geen geldig e-mailadres")
    if link.email is not None:
        accounts.audit(
            session=session,
            actor=None,
            actie="toegang",
            object_type="aanbieder_link",
            object_id=str(link.id),
            toegestaan=False,
        )
        raise Ongeldig("email", GENOMEN)
    link.naam, link.email, link.gebruikt_op = naam[:200], email, link.gebruikt_op or _now()
    return link


def _genomen(session: Session, token: str) -> tuple[AanbiederLink, Actor]:
    link = _link(session, token)
    if link.email is None:
        raise Ongeldig("naam", "vul eerst uw naam en e-mailadres in")
    return link, _actor(link)


def wijzig_status(
    *,
    session: Session,
    token: str,
    status: str,
    reden_code: str | None = None,
    reden: str | None = None,
    uitkomst: str | None = None,
) -> Doorverwijzing:
    link, actor = _genomen(session, token)
    return dvs.wijzig_status(
        session=session,
        actor=actor,
        doorverwijzing_id=link.doorverwijzing_id,
        status=status,
        reden_code=reden_code,
        reden=reden,
        uitkomst=uitkomst,
    )


def stel_vraag(*, session: Session, token: str, tekst: str) -> None:
    link, actor = _genomen(session, token)
    dvs.notitie(
        session=session,
        actor=actor,
        doorverwijzing_id=link.doorverwijzing_id,
        tekst=tekst,
        soort="vraag",
    )


def claim_account(*, session: Session, token: str, wachtwoord: str) -> uuid.UUID:
    """Turn the link's person into an adviser of the receiving provider; the link stops."""
    link, _ = _genomen(session, token)
    a = register.get_aanbieder(session=session, aanbieder_id=str(link.aanbieder_id))
    if a is None:
        raise NietGevonden(ONBEKEND)
    g = accounts.create(
        session=session,
        email=link.email or "",
        rol=rollen.ADVISEUR,
        aanbieder=a.slug,
        naam=link.naam or "",
        wachtwoord=wachtwoord,
    )
    for andere in berichten.links_van(session, link.doorverwijzing_id):
        andere.ingetrokken_op = andere.ingetrokken_op or _now()
    accounts.audit(
        session=session,
        actor=accounts.actor(g),
        actie="account_geclaimd",
        object_type="aanbieder_link",
        object_id=str(link.id),
        doel="account via link",
    )
    return g.id
