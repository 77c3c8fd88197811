"""Roles and the identity of whoever makes a request. Pure, no database."""

import uuid
from dataclasses import dataclass

ONDERNEMER = "ondernemer"
ADVISEUR = "adviseur"
REGIOCOORDINATOR = "regiocoordinator"
STELSELREGISSEUR = "stelselregisseur"
BEHEERDER = "beheerder"
# Register editing (issue 12): a redacteur edits its own aanbieder's entries; a
# registerbeheerder edits all and publishes.
REDACTEUR = "redacteur"
REGISTERBEHEERDER = "registerbeheerder"
# A provider's manager sees the quality figures of its own organisation (issue 13).
MANAGER = "manager"
ROLLEN = (
    ADVISEUR,
    REGIOCOORDINATOR,
    STELSELREGISSEUR,
    BEHEERDER,
    REDACTEUR,
    REGISTERBEHEERDER,
    MANAGER,
)
# Roles that belong to one aanbieder.
AANBIEDER_ROLLEN = (ADVISEUR, REDACTEUR, MANAGER)


@dataclass(frozen=True)
class Actor:
    """The authenticated user of a request, however they logged in."""

    id: uuid.UUID
    rol: str
    aanbieder_id: uuid.UUID | None = None
    regio_code: str | None = None
    email: str = ""

    @property
    def ziet_persoonsgegevens(self) -> bool:
        """Only advisers of a provider handle personal data; other roles see aggregates."""
        return self.rol == ADVISEUR
