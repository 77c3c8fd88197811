"""Roles and the identity of whoever makes a request. Pure, no database."""

import uuid
from dataclasses import dataclass

ONDERNEMER = "ondernemer"
ADVISEUR = "adviseur"
REGIOCOORDINATOR = "regiocoordinator"
STELSELREGISSEUR = "stelselregisseur"
BEHEERDER = "beheerder"
ROLLEN = (ADVISEUR, REGIOCOORDINATOR, STELSELREGISSEUR, BEHEERDER)


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
