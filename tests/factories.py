"""Factories with named states, for tests and benchmarks: one place that knows how to make a
person with a role, a case, and a referral in a given state, through the services (so every
record is made the way the product makes it, audit and outbox included).

    adviseur = factories.gebruiker(session, "adviseur", aanbieder="kvk")
    zaak = factories.zaak(session, staat="geaccepteerd")
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service as doorverwijzing

ONDERNEMER = {
    "naam": "Jan de Vries",
    "email": "jan.devries@example.nl",
    "telefoon": "0612345678",
    "kvk_nummer": "12345678",
}
VRAAG = "Ik heb 20.000 euro nodig voor een nieuwe bakoven"
# The same case as the body of POST /api/v1/hulpvragen.
HULPVRAAG = {
    "ondernemer": ONDERNEMER,
    "vraag": VRAAG,
    "gemeente": "Leeuwarden",
    "toestemming": {"delen_met_ontvanger": True, "tekst_versie": "2026-11-v1"},
}

# The steps from `verzonden` to each named state, each taken by the receiver.
STAPPEN: dict[str, list[dict]] = {
    lc.VERZONDEN: [],
    lc.ONTVANGEN: [{"status": lc.ONTVANGEN}],
    lc.GEACCEPTEERD: [{"status": lc.GEACCEPTEERD}],
    lc.IN_BEHANDELING: [{"status": lc.GEACCEPTEERD}, {"status": lc.IN_BEHANDELING}],
    lc.AFGEROND: [{"status": lc.GEACCEPTEERD}, {"status": lc.AFGEROND, "uitkomst": "opgelost"}],
    lc.AANGEHOUDEN: [{"status": lc.GEACCEPTEERD}, {"status": lc.AANGEHOUDEN}],
    lc.GEWEIGERD: [{"status": lc.GEWEIGERD, "reden_code": "geen_capaciteit"}],
    lc.MISLUKT: [
        {"status": lc.GEACCEPTEERD},
        {"status": lc.MISLUKT, "reden_code": "niet_bereikbaar"},
    ],
}

_teller = 0


def _maak(session: Session, rol: str, aanbieder: str | None, regio: str | None, email: str | None):
    global _teller
    _teller += 1
    email = email or f"{rol}{_teller}@{aanbieder or regio or 'stelsel'}.example.nl"
    extra = {"aanbieder": aanbieder} if aanbieder else {}
    if regio:
        extra["regio"] = regio
    return accounts.create(session=session, email=email, rol=rol, **extra)


def gebruiker(
    session: Session,
    rol: str = "adviseur",
    *,
    aanbieder: str | None = None,
    regio: str | None = None,
    email: str | None = None,
) -> Actor:
    """A user with a role (an adviser of `aanbieder`, a regiocoördinator of `regio`, ...)."""
    return accounts.actor(_maak(session, rol, aanbieder, regio, email))


def met_token(
    session: Session,
    rol: str = "adviseur",
    *,
    aanbieder: str | None = None,
    regio: str | None = None,
    email: str | None = None,
) -> tuple[Actor, str]:
    """A user with a role and a bearer token for the API."""
    g = _maak(session, rol, aanbieder, regio, email)
    return accounts.actor(g), accounts.create_token(session=session, gebruiker=g)


@dataclass
class Zaak:
    hulpvraag_id: object
    doorverwijzing_id: object
    code: str
    verzender: Actor
    ontvanger: Actor


def hulpvraag(session: Session, door: Actor, **velden):
    """A case taken by `door`, with consent to share with the receiver; returns (case, code)."""
    data = doorverwijzing.NieuweHulpvraag(
        **{
            **ONDERNEMER,
            "vraag": VRAAG,
            "gemeente": "Leeuwarden",
            "delen_met_ontvanger": True,
            "tekst_versie": "2026-11-v1",
            **velden,
        }
    )
    return doorverwijzing.create_hulpvraag(session=session, actor=door, data=data)


def zaak(
    session: Session,
    staat: str = lc.VERZONDEN,
    *,
    van: str = "kvk",
    naar: str = "qredits",
    verzender: Actor | None = None,
    ontvanger: Actor | None = None,
    **velden,
) -> Zaak:
    """A case referred from `van` to `naar`, brought to the named state `staat`."""
    verzender = verzender or gebruiker(session, "adviseur", aanbieder=van)
    ontvanger = ontvanger or gebruiker(session, "adviseur", aanbieder=naar)
    h, code = hulpvraag(session, verzender, **velden)
    dv = doorverwijzing.create_doorverwijzing(
        session=session, actor=verzender, hulpvraag_id=h.id, naar_aanbieder=naar
    )
    if staat == lc.GEANNULEERD:
        stappen = [
            {"status": lc.GEANNULEERD, "reden_code": "anders", "reden": "Ondernemer heeft al hulp"}
        ]
        door = verzender
    else:
        stappen, door = STAPPEN[staat], ontvanger
    for stap in stappen:
        doorverwijzing.wijzig_status(session=session, actor=door, doorverwijzing_id=dv.id, **stap)
    session.flush()
    return Zaak(h.id, dv.id, code, verzender, ontvanger)
