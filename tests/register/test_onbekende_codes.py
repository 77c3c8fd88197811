"""Unknown codes are refused with the allowed values, in the API and in the CSV import (both
backends). stelsel/register/taxonomie.py is the one vocabulary."""

import pytest

from stelsel.accounts import service as accounts
from stelsel.register import taxonomie as tx

HULPVRAAG = {
    "ondernemer": {"naam": "Jan de Vries", "email": "jan.devries@example.nl"},
    "vraag": "Ik heb 20.000 euro nodig voor een nieuwe bakoven",
    "gemeente": "Leeuwarden",
    "toestemming": {"delen_met_ontvanger": True, "tekst_versie": "2026-11-v1"},
}


def _problem(r, naam: str, vocab: tuple[tx.Term, ...]) -> str:
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    (param,) = [p for p in r.json()["invalid_params"] if p["name"] == naam]
    assert ", ".join(tx.codes(vocab)) in param["reason"], param
    return param["reason"]


@pytest.mark.parametrize(
    ("pad", "naam", "vocab"),
    [
        ("/api/v1/diensten", "thema", tx.THEMAS),
        ("/api/v1/diensten", "soort", tx.DIENST_SOORTEN),
        ("/api/v1/diensten", "fase", tx.FASEN),
        ("/api/v1/diensten", "doelgroep", tx.DOELGROEPEN),
        ("/api/v1/aanbieders", "soort", tx.AANBIEDER_SOORTEN),
        ("/api/v1/aanbieders", "niveau", tx.NIVEAUS),
    ],
)
@pytest.mark.parametrize("waarde", ["geheim", "Financiering", "x" * 5000])
def test_unknown_code_in_a_filter_is_a_400_listing_the_allowed_codes(
    client, pad, naam, vocab, waarde
):
    reden = _problem(client.get(pad, params={naam: waarde}), naam, vocab)
    assert len(reden) < 400  # a long value is cut short, not echoed whole


def test_known_codes_still_filter(client):
    r = client.get("/api/v1/diensten", params={"thema": "financiering", "fase": "weten"})
    assert r.status_code == 200, r.text


@pytest.fixture
def token(session) -> str:
    g = accounts.create(session=session, email="a@kvk.example.nl", rol="adviseur", aanbieder="kvk")
    t = accounts.create_token(session=session, gebruiker=g)
    session.flush()
    return t


@pytest.mark.parametrize(
    "themas",
    [
        ["geld"],
        ["financiering", "onbekend"],
        ["x" * 250],  # longer than any code and than the column: a 500 on PostgreSQL before
        ["financiering;personeel"],
        [""],
    ],
)
def test_unknown_thema_in_a_hulpvraag_is_a_400_listing_the_allowed_codes(client, token, themas):
    r = client.post(
        "/api/v1/hulpvragen",
        json={**HULPVRAAG, "themas": themas},
        headers={"Authorization": f"Bearer {token}"},
    )
    _problem(r, "themas", tx.THEMAS)
    assert "Jan de Vries" not in r.text and "bakoven" not in r.text


def test_repeated_themas_are_kept_once_and_never_overflow(client, token):
    r = client.post(
        "/api/v1/hulpvragen",
        json={**HULPVRAAG, "themas": ["zwaar-weer", "financiering"] * 40},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["themas"] == ["zwaar-weer", "financiering"]


def test_known_themas_are_accepted(client, token):
    r = client.post(
        "/api/v1/hulpvragen",
        json={**HULPVRAAG, "themas": ["personeel"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["themas"] == ["personeel"]
