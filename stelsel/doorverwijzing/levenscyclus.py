"""The referral lifecycle, aligned with HL7 FHIR Task. Pure Python, no database.

verzonden → ontvangen → geaccepteerd | geweigerd → in_behandeling ⇄ aangehouden → afgerond.
The receiver may accept or decline straight from verzonden, and may end a case it took on as
mislukt (failed, e.g. the entrepreneur could not be reached). The sender may cancel while
nothing final happened. The system closes untouched referrals as mislukt with the reason
`verlopen`, and a hop as afgerond/doorverwezen when its receiver refers the case on.
afgerond, geweigerd, geannuleerd and mislukt are final.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from stelsel.errors import Conflict, Ongeldig, Verboden

VERZONDEN = "verzonden"  # FHIR requested
ONTVANGEN = "ontvangen"  # FHIR received
GEACCEPTEERD = "geaccepteerd"  # FHIR accepted
GEWEIGERD = "geweigerd"  # FHIR rejected
IN_BEHANDELING = "in_behandeling"  # FHIR in-progress
AANGEHOUDEN = "aangehouden"  # FHIR on-hold
AFGEROND = "afgerond"  # FHIR completed
GEANNULEERD = "geannuleerd"  # FHIR cancelled
MISLUKT = "mislukt"  # FHIR failed

STATUSSEN = (
    VERZONDEN,
    ONTVANGEN,
    GEACCEPTEERD,
    GEWEIGERD,
    IN_BEHANDELING,
    AANGEHOUDEN,
    AFGEROND,
    GEANNULEERD,
    MISLUKT,
)
EINDSTATUSSEN = frozenset({GEWEIGERD, AFGEROND, GEANNULEERD, MISLUKT})
OPEN_STATUSSEN = tuple(s for s in STATUSSEN if s not in EINDSTATUSSEN)
# Untouched: the receiver has not answered yet (first-contact deadline, reminders, expiry).
ONBEANTWOORD = (VERZONDEN, ONTVANGEN)
# The case came back to the sender: this hop did not take it over.
TERUG = frozenset({GEWEIGERD, GEANNULEERD, MISLUKT})
DOORVERWEZEN = "doorverwezen"
UITKOMSTEN = ("opgelost", "deels_opgelost", "niet_opgelost", DOORVERWEZEN)
FHIR = {
    VERZONDEN: "requested",
    ONTVANGEN: "received",
    GEACCEPTEERD: "accepted",
    GEWEIGERD: "rejected",
    IN_BEHANDELING: "in-progress",
    AANGEHOUDEN: "on-hold",
    AFGEROND: "completed",
    GEANNULEERD: "cancelled",
    MISLUKT: "failed",
}

# Coded reasons for declining, cancelling and failing (FHIR Task.statusReason); `anders`
# needs a text. `verlopen` and `ingetrokken` are set by the system only: a referral nobody
# answered in time, one the entrepreneur withdrew consent for (or had their data deleted).
VERLOPEN = "verlopen"
INGETROKKEN = "ingetrokken"
ANDERS = "anders"
REDENEN = {
    "geen_capaciteit": "Geen capaciteit",
    "voldoet_niet": "Ondernemer voldoet niet aan de voorwaarden",
    "niet_bereikbaar": "Ondernemer niet bereikbaar",
    "verkeerde_doorverwijzing": "Verkeerde doorverwijzing",
    ANDERS: "Anders",
}
ALLE_REDENEN = (*REDENEN, VERLOPEN, INGETROKKEN)
MET_REDEN = frozenset({GEWEIGERD, GEANNULEERD, MISLUKT})

ONTVANGER, VERZENDER = "ontvanger", "verzender"

# (from, to) → who may make that step
OVERGANGEN: dict[tuple[str, str], str] = {
    (VERZONDEN, ONTVANGEN): ONTVANGER,
    (VERZONDEN, GEACCEPTEERD): ONTVANGER,
    (VERZONDEN, GEWEIGERD): ONTVANGER,
    (ONTVANGEN, GEACCEPTEERD): ONTVANGER,
    (ONTVANGEN, GEWEIGERD): ONTVANGER,
    (GEACCEPTEERD, IN_BEHANDELING): ONTVANGER,
    (GEACCEPTEERD, AANGEHOUDEN): ONTVANGER,
    (GEACCEPTEERD, AFGEROND): ONTVANGER,
    (GEACCEPTEERD, MISLUKT): ONTVANGER,
    (IN_BEHANDELING, AANGEHOUDEN): ONTVANGER,
    (IN_BEHANDELING, AFGEROND): ONTVANGER,
    (IN_BEHANDELING, MISLUKT): ONTVANGER,
    (AANGEHOUDEN, IN_BEHANDELING): ONTVANGER,
    (AANGEHOUDEN, AFGEROND): ONTVANGER,
    (AANGEHOUDEN, MISLUKT): ONTVANGER,
    (VERZONDEN, GEANNULEERD): VERZENDER,
    (ONTVANGEN, GEANNULEERD): VERZENDER,
    (GEACCEPTEERD, GEANNULEERD): VERZENDER,
    (IN_BEHANDELING, GEANNULEERD): VERZENDER,
    (AANGEHOUDEN, GEANNULEERD): VERZENDER,
}


def woord(status: str) -> str:
    """A status as a word in a sentence ('in_behandeling' -> 'in behandeling')."""
    return status.replace("_", " ")


class OngeldigeOvergang(Conflict):
    """This step is not allowed from the current status (HTTP 409)."""


class GeenRecht(Verboden):
    """The party may not make this step (HTTP 403)."""


@dataclass(frozen=True)
class Stap:
    van: str
    naar: str
    reden_code: str | None = None
    reden: str | None = None
    uitkomst: str | None = None


def controleer(
    huidig: str,
    nieuw: str,
    partij: str,
    reden_code: str | None = None,
    reden: str | None = None,
    uitkomst: str | None = None,
) -> Stap:
    """Check a transition; raise OngeldigeOvergang, GeenRecht or Ongeldig for missing data."""
    if nieuw not in STATUSSEN:
        raise Ongeldig("status", f"'{nieuw}' is onbekend; kies uit {', '.join(STATUSSEN)}")
    wie = OVERGANGEN.get((huidig, nieuw))
    if wie is None:
        raise OngeldigeOvergang(
            f"Dit kan niet: de doorverwijzing is {woord(huidig)}, "
            f"en van daar kan zij niet naar {woord(nieuw)}."
        )
    if wie != partij:
        raise GeenRecht(f"alleen de {wie} mag '{nieuw}' zetten")
    tekst = (reden or "").strip() or None
    if nieuw in MET_REDEN:
        if reden_code not in REDENEN:
            raise Ongeldig("reden_code", f"verplicht bij '{nieuw}'; kies uit {', '.join(REDENEN)}")
        if reden_code == ANDERS and not tekst:
            raise Ongeldig("reden", "verplicht bij reden 'anders': licht kort toe")
    elif reden_code is not None:
        raise Ongeldig("reden_code", f"hoort alleen bij {', '.join(sorted(MET_REDEN))}")
    if nieuw == AFGEROND and uitkomst not in UITKOMSTEN:
        raise Ongeldig("uitkomst", f"verplicht bij afronden; kies uit {', '.join(UITKOMSTEN)}")
    return Stap(
        huidig,
        nieuw,
        reden_code if nieuw in MET_REDEN else None,
        tekst,
        uitkomst if nieuw == AFGEROND else None,
    )


def stappen_voor(status: str, partij: str | None) -> list[str]:
    """The statuses this party may move a referral to from `status`."""
    return [naar for (van, naar), wie in OVERGANGEN.items() if van == status and wie == partij]


@lru_cache(maxsize=1)
def _feestdagen() -> holidays.HolidayBase:
    return holidays.country_holidays("NL")


def is_werkdag(d: date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return d.weekday() < 5 and d not in _feestdagen()


def plus_werkdagen(start: date, dagen: int) -> date:
    """The date `dagen` working days after `start` (weekends and public holidays skipped)."""
    d = start
    while dagen > 0:
        d += timedelta(days=1)
        if is_werkdag(d):
            dagen -= 1
    return d


def werkdagen_tussen(van: date, tot: date) -> int:
    """Working days after `van` up to and including `tot` (0 when `tot` is not later)."""
    n, d = 0, van
    while d < tot:
        d += timedelta(days=1)
        n += is_werkdag(d)
    return n


def keten_kenmerken(aanbieders: list[str]) -> dict[str, int | bool]:
    """Hops and ping-pong of a case, from the ordered chain of providers A→B→C….

    `aanbieders` starts with the first sender followed by each receiver in order.
    """
    hops = max(len(aanbieders) - 1, 0)
    pingpong = any(aanbieders[i] == aanbieders[i + 2] for i in range(len(aanbieders) - 2))
    return {"hops": hops, "pingpong": pingpong}
