"""What every referral function shares: refusals (audited), the adviser check, the clock."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.errors import StelselFout, Verboden

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
