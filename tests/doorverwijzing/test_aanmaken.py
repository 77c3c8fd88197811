"""Creating a referral on both databases: consent, referral, history, outbox message and audit
entries are one transaction (a failure after the last write leaves none of them), and the
names in the answer follow the register as it is now."""

import pytest
from sqlalchemy import func, select

from stelsel.accounts import service as accounts
from stelsel.accounts.models import AuditRegel
from stelsel.doorverwijzing.models import Doorverwijzing, Gebeurtenis, Toestemming
from stelsel.meldingen.models import Bericht
from stelsel.register import service as register
from tests.doorverwijzing.conftest import HULPVRAAG, bearer

TOESTEMMING = {"tekst_versie": "2026-12-v1", "kanaal": "telefoon"}
RIJEN = (Toestemming, Doorverwijzing, Gebeurtenis, Bericht, AuditRegel)


def _aantallen(session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in RIJEN}


def _hulpvraag(client, tokens) -> str:
    r = client.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=bearer(tokens["verzender"]))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _verwijs(client, tokens, hulpvraag_id: str):
    return client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(tokens["verzender"]),
        json={"hulpvraag": hulpvraag_id, "naar_aanbieder": "qredits", "toestemming": TOESTEMMING},
    )


def test_a_failure_after_the_audit_entries_leaves_nothing(client, session, tokens, monkeypatch):
    hulpvraag_id = _hulpvraag(client, tokens)
    voor = _aantallen(session)
    geschreven = []
    schrijf = accounts.schrijf_audit

    def schrijf_en_faal(**kw):
        schrijf(**kw)
        geschreven.extend(kw["regels"])
        raise RuntimeError("na de audit")

    monkeypatch.setattr(accounts, "schrijf_audit", schrijf_en_faal)
    with pytest.raises(RuntimeError, match="na de audit"):
        _verwijs(client, tokens, hulpvraag_id)
    # the consent's and the referral's audit entries were written, then all was rolled back
    assert {r["actie"] for r in geschreven} == {"toestemming_vastleggen", "doorverwijzen"}
    assert _aantallen(session) == voor

    monkeypatch.undo()
    r = _verwijs(client, tokens, hulpvraag_id)
    assert r.status_code == 201, r.text
    na = _aantallen(session)
    # one each: consent, referral, history entry, message to Qredits' adviser; two audit entries
    assert {k: na[k] - voor[k] for k in na} == {
        "Toestemming": 1,
        "Doorverwijzing": 1,
        "Gebeurtenis": 1,
        "Bericht": 1,
        "AuditRegel": 2,
    }


def test_the_answer_names_the_receiver_as_the_register_does_now(client, session, tokens):
    qredits = register.aanbieder_rij(session=session, aanbieder_id="qredits")
    kvk = register.aanbieder_rij(session=session, aanbieder_id="kvk")
    r = _verwijs(client, tokens, _hulpvraag(client, tokens))
    assert r.status_code == 201, r.text
    assert r.json()["naar_aanbieder"]["naam"] == qredits.naam != "Qredits Microfinanciering"
    assert r.json()["van_aanbieder"]["naam"] == kvk.naam

    qredits.naam = "Qredits Microfinanciering"
    session.flush()
    r = _verwijs(client, tokens, _hulpvraag(client, tokens))
    assert r.status_code == 201, r.text
    assert r.json()["naar_aanbieder"]["naam"] == "Qredits Microfinanciering"
    t = session.scalars(select(Toestemming).order_by(Toestemming.gegeven_op.desc())).first()
    assert t is not None and "Qredits Microfinanciering" in t.doel
