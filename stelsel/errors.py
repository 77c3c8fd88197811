"""The one error model. Services raise these; the web layer maps them once, to problem+json in
the API (web/problems.py) and to an error page or a form's field errors on the pages
(web/pages.py). Routes catch none of them by hand.

Each carries text for people (plain Dutch) and never personal data.
"""


class StelselFout(Exception):
    """Base of every error a service raises on purpose. `status` is its HTTP meaning."""

    status = 500
    titel = "Fout"

    def __init__(self, detail: str, *, bewaar: bool = False):
        self.detail = detail
        # Keep what the request wrote (the audit entry of a refusal) instead of rolling back.
        self.bewaar = bewaar
        super().__init__(detail)


class Ongeldig(StelselFout, ValueError):
    """Input that cannot be accepted: which field, and why."""

    status = 400
    titel = "Ongeldige invoer"

    def __init__(self, veld: str, reden: str):
        self.veld, self.reden = veld, reden
        super().__init__(f"{veld}: {reden}")


class NietGevonden(StelselFout, LookupError):
    """What was asked for does not exist (or the caller may not know that it does)."""

    status = 404
    titel = "Niet gevonden"


class Verboden(StelselFout, PermissionError):
    """The caller may not do this."""

    status = 403
    titel = "Geen toegang"


class Conflict(StelselFout):
    """The request clashes with the current state (a duplicate, a stale version)."""

    status = 409
    titel = "Conflict"
