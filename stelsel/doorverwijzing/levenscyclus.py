"""The referral lifecycle, aligned with HL7 FHIR Task. Pure Python, no database.

verzonden → ontvangen → geaccepteerd | geweigerd → in_behandeling → afgerond; geannuleerd by
the sender while nothing final happened. The receiver may accept or decline straight from
verzonden. afgerond, geweigerd and geannuleerd are final.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from stelsel.errors import Conflict, Ongeldig, Verboden

VERZONDEN = "verzonden"  # FHIR requested
ONTVANGEN = "ontvangen"  # FHIR received
GEACCEPTEERD = "geaccepteerd"  # FHIR accepted
GEWEIGERD = "geweigerd"  # FHIR rejected
IN_BEHANDELING = "in_behandeling"  # FHIR in-progress
AFGEROND = "afgerond"  # FHIR completed
GEANNULEERD = "geannuleerd"  # FHIR cancelled

STATUSSEN = (VERZONDEN, ONTVANGEN, GEACCEPTEERD, GEWEIGERD, IN_BEHANDELING, AFGEROND, GEANNULEERD)
EINDSTATUSSEN = frozenset({GEWEIGERD, AFGEROND, GEANNULEERD})
UITKOMSTEN = ("opgelost", "deels_opgelost", "niet_opgelost", "doorverwezen")
FHIR = {
    VERZONDEN: "requested",
    ONTVANGEN: "received",
    GEACCEPTEERD: "accepted",
    GEWEIGERD: "rejected",
    IN_BEHANDELING: "in-progress",
    AFGEROND: "completed",
    GEANNULEERD: "cancelled",
}

ONTVANGER, VERZENDER = "ontvanger", "verzender"

# (from, to) → who may make that step
OVERGANGEN: dict[tuple[str, str], str] = {
    (VERZONDEN, ONTVANGEN): ONTVANGER,
    (VERZONDEN, GEACCEPTEERD): ONTVANGER,
    (VERZONDEN, GEWEIGERD): ONTVANGER,
    (ONTVANGEN, GEACCEPTEERD): ONTVANGER,
    (ONTVANGEN, GEWEIGERD): ONTVANGER,
    (GEACCEPTEERD, IN_BEHANDELING): ONTVANGER,
    (GEACCEPTEERD, AFGEROND): ONTVANGER,
    (IN_BEHANDELING, AFGEROND): ONTVANGER,
    (VERZONDEN, GEANNULEERD): VERZENDER,
    (ONTVANGEN, GEANNULEERD): VERZENDER,
    (GEACCEPTEERD, GEANNULEERD): VERZENDER,
    (IN_BEHANDELING, GEANNULEERD): VERZENDER,
}


class OngeldigeOvergang(Conflict):
    """This step is not allowed from the current status (HTTP 409)."""


class GeenRecht(Verboden):
    """The party may not make this step (HTTP 403)."""


@dataclass(frozen=True)
class Stap:
    van: str
    naar: str
    reden: str | None = None
    uitkomst: str | None = None


def controleer(
    huidig: str, nieuw: str, partij: str, reden: str | None = None, uitkomst: str | None = None
) -> Stap:
    """Check a transition; raise OngeldigeOvergang, GeenRecht or Ongeldig for missing data."""
    if nieuw not in STATUSSEN:
        raise Ongeldig("status", f"'{nieuw}' is onbekend; kies uit {', '.join(STATUSSEN)}")
    wie = OVERGANGEN.get((huidig, nieuw))
    if wie is None:
        raise OngeldigeOvergang(f"van '{huidig}' naar '{nieuw}' kan niet")
    if wie != partij:
        raise GeenRecht(f"alleen de {wie} mag '{nieuw}' zetten")
    if nieuw == GEWEIGERD and not (reden or "").strip():
        raise Ongeldig("reden", "verplicht bij weigeren")
    if nieuw == AFGEROND and uitkomst not in UITKOMSTEN:
        raise Ongeldig("uitkomst", f"verplicht bij afronden; kies uit {', '.join(UITKOMSTEN)}")
    return Stap(huidig, nieuw, reden, uitkomst if nieuw == AFGEROND else None)


def voorgangers(nieuw: str) -> tuple[str, ...]:
    """Statuses from which `nieuw` can be reached (for a conditional UPDATE)."""
    return tuple(sorted(v for (v, n) in OVERGANGEN if n == nieuw))


def plus_werkdagen(start: date, dagen: int) -> date:
    """The date `dagen` working days (Monday to Friday) after `start`."""
    d = start
    while dagen > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            dagen -= 1
    return d


def keten_kenmerken(aanbieders: list[str]) -> dict[str, int | bool]:
    """Hops and ping-pong of a case, from the ordered chain of providers A→B→C….

    `aanbieders` starts with the first sender followed by each receiver in order.
    """
    hops = max(len(aanbieders) - 1, 0)
    pingpong = any(aanbieders[i] == aanbieders[i + 2] for i in range(len(aanbieders) - 2))
    return {"hops": hops, "pingpong": pingpong}
