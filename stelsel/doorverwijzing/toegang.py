"""What every referral function shares: refusals (audited), the adviser check, the clock,
and who may see what of a case (its chain, and who holds it now)."""

import hashlib
import re
import uuid
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from stelsel.accounts import rollen
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import DELEN, Doorverwijzing, Hulpvraag, Toestemming
from stelsel.errors import StelselFout, Verboden

TOESTEMMING_WAT = "naam, e-mailadres, telefoon, KVK-nummer, uw vraag en gemeente"
TOESTEMMING_DOEL = (
    "zodat de organisatie waarnaar u wordt doorverwezen u kan helpen "
    "zonder dat u uw verhaal opnieuw vertelt"
)
CONTACT_WAT = "uw e-mailadres"
CONTACT_DOEL = "zodat wij u per e-mail laten weten hoe het met uw vraag staat"


def doel_voor(naam: str) -> str:
    """The purpose of a consent to hand the case to one named organisation."""
    return f"zodat {naam} u kan helpen zonder dat u uw verhaal opnieuw vertelt"


def delen_met(
    naar_id: uuid.UUID,
    naar_naam: str,
    *,
    tekst_versie: str,
    kanaal: str,
    vastgelegd_door: uuid.UUID | None,
    **tijden: datetime | None,
) -> Toestemming:
    """A consent to hand the case to one aanbieder: what it covers and why, whichever way it
    is recorded (by the adviser, asked on the private page, or with a self-referral)."""
    return Toestemming(
        id=uuid.uuid4(),
        soort=DELEN,
        naar_aanbieder_id=naar_id,
        delen_met_ontvanger=True,
        wat=TOESTEMMING_WAT,
        doel=doel_voor(naar_naam),
        tekst_versie=tekst_versie,
        kanaal=kanaal,
        vastgelegd_door=vastgelegd_door,
        **tijden,
    )


GEEN_HULPVRAAG = "Deze hulpvraag bestaat niet."
TELEFOON = re.compile(r"\+?[\d\s().-]{10,20}")


def telefoon_geldig(telefoon: str) -> bool:
    """A phone number as people write it: digits, spaces, ( ) . - and a leading +; 10 to 15
    digits (06 12345678, 030-1234567, +31 6 12345678)."""
    t = telefoon.strip()
    return bool(TELEFOON.fullmatch(t)) and 10 <= sum(c.isdigit() for c in t) <= 15


# The sender of every self-referral: no aanbieder, no user (uuid5 of a fixed name, so it is the
# same in every database and export).
ZELF = uuid.uuid5(uuid.NAMESPACE_URL, "urn:stelsel:ondernemer-zelf")
GEEN_VRAAG_ZELF = "de ondernemer stuurde deze vraag zelf: neem direct contact op met de ondernemer"
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


def op_keten(h: Hulpvraag, keten: list[Doorverwijzing], aanbieder_id: uuid.UUID | None) -> bool:
    """The aanbieder took the case or is a sender or receiver somewhere on its chain."""
    return aanbieder_id is not None and (
        aanbieder_id == h.aanbieder_id
        or any(aanbieder_id in (d.van_aanbieder_id, d.naar_aanbieder_id) for d in keten)
    )


def houdt(h: Hulpvraag, keten: list[Doorverwijzing], aanbieder_id: uuid.UUID | None) -> bool:
    """Whether this aanbieder holds the case now, and so may see the entrepreneur's data.

    Nobody does once the entrepreneur withdrew consent or the data was removed. Otherwise:
    - a receiver of an open referral, with consent for that receiver;
    - the provider that took the question, or a receiver that referred it on, as long as no
      referral it sent is still open or done (all came back: declined, cancelled, failed);
      a receiver again only with its own consent.
    Everyone else on the chain is past their hop: they see status and outcome only."""
    if aanbieder_id is None or h.geanonimiseerd_op or h.ingetrokken_op:
        return False
    if aanbieder_id != h.aanbieder_id and h.toestemming_voor(aanbieder_id) is None:
        return False
    inkomend = [d for d in keten if d.naar_aanbieder_id == aanbieder_id]
    if any(d.status in lc.OPEN_STATUSSEN for d in inkomend):
        return True
    was_houder = aanbieder_id == h.aanbieder_id or any(
        d.uitkomst == lc.DOORVERWEZEN for d in inkomend
    )
    uit_actief = any(d.van_aanbieder_id == aanbieder_id and d.status not in lc.TERUG for d in keten)
    return was_houder and not uit_actief
