"""People with roles and a referred case, inside the rolled-back test transaction."""

import pytest

from stelsel.accounts import service as accounts
from tests.factories import HULPVRAAG

PERSOONSGEGEVENS = ["Jan de Vries", "jan.devries@example.nl", "0612345678", "12345678", "bakoven"]


def bearer(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture
def tokens(session) -> dict[str, str | None]:
    def maak(email, rol, **kw):
        g = accounts.create(session=session, email=email, rol=rol, **kw)
        return accounts.create_token(session=session, gebruiker=g)

    result = {
        "anoniem": None,
        "verzender": maak("a@kvk.example.nl", "adviseur", aanbieder="kvk"),
        "ontvanger": maak("b@qredits.example.nl", "adviseur", aanbieder="qredits"),
        "derde": maak("c@rvo.example.nl", "adviseur", aanbieder="rvo"),
        "regiocoordinator": maak("r@fryslan.example.nl", "regiocoordinator", regio="PV21"),
        "stelselregisseur": maak("s@ezk.example.nl", "stelselregisseur"),
        "beheerder": maak("h@beheer.example.nl", "beheerder"),
    }
    session.flush()
    return result


@pytest.fixture
def zaak(client, tokens) -> dict:
    """KVK took a question with consent and referred it to Qredits."""
    r = client.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=bearer(tokens["verzender"]))
    assert r.status_code == 201, r.text
    hulpvraag = r.json()
    r = client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(tokens["verzender"]),
        json={
            "hulpvraag": hulpvraag["id"],
            "naar_aanbieder": "qredits",
            "notitie": "Graag snel bellen",
        },
    )
    assert r.status_code == 201, r.text
    return {"hulpvraag": hulpvraag, "doorverwijzing": r.json()}
