"""The privacy promise and the closed loop over the API, on both databases: consent is bound to
each recipient, withdrawal stops all sharing (inzage included), only the provider that holds
the case sees personal data, the whole chain sees status and outcome, referring on closes one's
own hop, and a referral never silently goes nowhere."""

import json
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import Doorverwijzing
from stelsel.meldingen.models import Bericht
from stelsel.register import service as register
from tests.doorverwijzing.conftest import HULPVRAAG, PERSOONSGEGEVENS, bearer

TOESTEMMING = {"tekst_versie": "2026-12-v1", "kanaal": "telefoon"}
ADVISEURS = ("verzender", "ontvanger", "derde")
NOTITIE = "Graag snel bellen"  # the note on the first hop (conftest.zaak)


def _verwijs(client, token, hulpvraag, naar, **extra):
    return client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(token),
        json={"hulpvraag": hulpvraag, "naar_aanbieder": naar, **extra},
    )


def _accepteer(client, token, dv_id):
    r = client.patch(
        f"/api/v1/doorverwijzingen/{dv_id}", json={"status": "geaccepteerd"}, headers=bearer(token)
    )
    assert r.status_code == 200, r.text


def _code(zaak) -> str:
    return zaak["hulpvraag"]["prive_link"].split("/mijn-hulpvraag/")[1]


def _csrf(client, code) -> str:
    """The form token from the confirmation step before withdrawing."""
    pagina = client.get(f"/mijn-hulpvraag/{code}/intrekken").text
    return pagina.split('name="csrf" value="')[1].split('"')[0]


def _trek_in(client, zaak) -> str:
    """The entrepreneur withdraws consent on their private page; returns its code."""
    code = _code(zaak)
    r = client.post(
        f"/mijn-hulpvraag/{code}/intrekken",
        data={"csrf": _csrf(client, code)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return code


def _alles_wat_een_partij_leest(client, token, zaak, verwijzingen) -> list:
    """Every read an adviser can try on a case: the referrals, the chain, the inzage."""
    hid = zaak["hulpvraag"]["id"]
    urls = [f"/api/v1/doorverwijzingen/{d}" for d in verwijzingen]
    urls += [f"/api/v1/hulpvragen/{hid}/keten", f"/api/v1/hulpvragen/{hid}/inzage"]
    urls += ["/api/v1/doorverwijzingen?richting=in", "/api/v1/doorverwijzingen?richting=uit"]
    return [(u, client.get(u, headers=bearer(token))) for u in urls]


def _geen_persoonsgegevens(antwoorden, wie):
    for url, r in antwoorden:
        for waarde in [*PERSOONSGEGEVENS, NOTITIE]:
            assert waarde not in r.text, f"{wie} got {waarde!r} from {url} ({r.status_code})"


@pytest.fixture
def keten(client, tokens, zaak) -> list[str]:
    """KVK → Qredits (accepted) → RVO, with consent for RVO given by phone."""
    eerste = zaak["doorverwijzing"]["id"]
    _accepteer(client, tokens["ontvanger"], eerste)
    r = _verwijs(
        client, tokens["ontvanger"], zaak["hulpvraag"]["id"], "rvo", toestemming=TOESTEMMING
    )
    assert r.status_code == 201, r.text
    return [eerste, r.json()["id"]]


def test_withdrawal_stops_all_sharing_for_everyone_on_the_chain(client, tokens, zaak, keten):
    # before: RVO holds the case and sees the data
    r = client.get(f"/api/v1/doorverwijzingen/{keten[1]}", headers=bearer(tokens["derde"]))
    assert r.json()["gegevens"]["ondernemer"]["naam"] == "Jan de Vries"
    code = _trek_in(client, zaak)
    for wie in ADVISEURS:
        antwoorden = _alles_wat_een_partij_leest(client, tokens[wie], zaak, keten)
        _geen_persoonsgegevens(antwoorden, wie)
        inzage = dict(antwoorden)[f"/api/v1/hulpvragen/{zaak['hulpvraag']['id']}/inzage"]
        assert inzage.status_code == 404, f"{wie} still gets the inzage"
    # and nobody can hand the case on
    r = _verwijs(client, tokens["derde"], zaak["hulpvraag"]["id"], "kvk", toestemming=TOESTEMMING)
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "toestemming"
    # the entrepreneur still sees everything about themself
    eigen = client.get(f"/mijn-hulpvraag/{code}/inzage.json")
    assert eigen.status_code == 200 and eigen.json()["hulpvraag"]["ondernemer"]["naam"]


def test_consent_covers_one_recipient_each_further_hop_needs_its_own(client, tokens, zaak):
    hid = zaak["hulpvraag"]["id"]
    _accepteer(client, tokens["ontvanger"], zaak["doorverwijzing"]["id"])
    # the intake consent was for the first hop (Qredits) only
    r = _verwijs(client, tokens["ontvanger"], hid, "rvo")
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "toestemming"
    assert "Rijksdienst voor Ondernemend Nederland" in r.json()["invalid_params"][0]["reason"]
    r = _verwijs(client, tokens["ontvanger"], hid, "rvo", toestemming=TOESTEMMING)
    assert r.status_code == 201, r.text
    inzage = client.get(
        f"/mijn-hulpvraag/{_code(zaak)}/inzage.json"
    ).json()  # the entrepreneur sees both consents, each with its recipient
    delen = [t for t in inzage["toestemmingen"] if t["soort"] == "delen"]
    assert [t["met"] for t in delen] == [
        "Qredits Microfinanciering Nederland",
        "Rijksdienst voor Ondernemend Nederland",
    ]
    assert delen[1]["kanaal"] == "telefoon" and delen[1]["gegeven_op"]


def test_only_the_holder_sees_personal_data_the_others_see_status(client, tokens, zaak, keten):
    for wie, ziet in (("verzender", False), ("ontvanger", False), ("derde", True)):
        antwoorden = _alles_wat_een_partij_leest(client, tokens[wie], zaak, keten)
        if not ziet:
            _geen_persoonsgegevens(antwoorden, wie)
        else:
            assert any("Jan de Vries" in r.text for _, r in antwoorden)
    # the first sender follows the whole chain, also the hop it was not part of
    r = client.get(f"/api/v1/doorverwijzingen/{keten[1]}", headers=bearer(tokens["verzender"]))
    assert r.status_code == 200 and r.json()["partij"] == "keten"
    r = client.get(
        f"/api/v1/hulpvragen/{zaak['hulpvraag']['id']}/keten", headers=bearer(tokens["verzender"])
    )
    # (RVO looked at its referral above, which marked it received)
    assert [d["status"] for d in r.json()["doorverwijzingen"]] == ["afgerond", "ontvangen"]
    assert r.json()["doorverwijzingen"][0]["uitkomst"] == "doorverwezen"


def test_first_sender_hears_the_outcome_of_a_later_hop(client, session, tokens, zaak, keten):
    url = f"/api/v1/doorverwijzingen/{keten[1]}"
    for body in ({"status": "geaccepteerd"}, {"status": "afgerond", "uitkomst": "opgelost"}):
        assert client.patch(url, json=body, headers=bearer(tokens["derde"])).status_code == 200
    kvk = session.scalars(select(Bericht).where(Bericht.bestemming == "a@kvk.example.nl")).all()
    uitkomst = [
        json.loads(b.inhoud) for b in kvk if json.loads(b.inhoud)["type"].endswith("uitkomst")
    ]
    assert uitkomst and uitkomst[0]["uitkomst"] == "opgelost"
    r = client.get(url, headers=bearer(tokens["verzender"]))
    assert r.json()["status"] == "afgerond" and r.json()["uitkomst"] == "opgelost"


@pytest.mark.parametrize("vanuit", [lc.VERZONDEN, lc.ONTVANGEN, lc.GEACCEPTEERD])
def test_referring_on_closes_ones_own_hop_from_any_open_state(client, tokens, zaak, vanuit):
    eerste = zaak["doorverwijzing"]["id"]
    ontvanger = bearer(tokens["ontvanger"])
    if vanuit == lc.ONTVANGEN:
        client.get(f"/api/v1/doorverwijzingen/{eerste}", headers=ontvanger)
    if vanuit == lc.GEACCEPTEERD:
        _accepteer(client, tokens["ontvanger"], eerste)
    r = _verwijs(
        client, tokens["ontvanger"], zaak["hulpvraag"]["id"], "rvo", toestemming=TOESTEMMING
    )
    assert r.status_code == 201, r.text
    vorige = client.get(f"/api/v1/doorverwijzingen/{eerste}", headers=ontvanger).json()
    assert (vorige["status"], vorige["uitkomst"]) == ("afgerond", "doorverwezen")
    assert vorige["te_laat"] is False


def test_no_silent_dead_end(client, session, tokens, zaak):
    """A provider without users and without an address in the register is refused before
    anything is stored; with an address it gets an e-mail with a link."""
    hid = zaak["hulpvraag"]["id"]
    _accepteer(client, tokens["ontvanger"], zaak["doorverwijzing"]["id"])
    okb = register.aanbieder_rij(session=session, aanbieder_id="ondernemersklankbord")
    okb.email = ""
    session.flush()
    voor = session.scalar(select(func.count()).select_from(Doorverwijzing))
    r = _verwijs(client, tokens["ontvanger"], hid, "ondernemersklankbord", toestemming=TOESTEMMING)
    assert r.status_code == 400, r.text
    fout = r.json()["invalid_params"][0]
    assert fout["name"] == "naar_aanbieder" and "niet bereikbaar" in fout["reason"]
    assert session.scalar(select(func.count()).select_from(Doorverwijzing)) == voor
    # the form tells it before sending
    ontvangers = client.get(
        f"/api/v1/hulpvragen/{hid}/ontvangers", headers=bearer(tokens["ontvanger"])
    ).json()
    assert {o["slug"]: o["bereikbaar"] for o in ontvangers}["ondernemersklankbord"] == "geen"
    assert not any(o["slug"] == "qredits" for o in ontvangers), "not to oneself"

    okb.email = "balie@okb.example.nl"
    session.flush()
    r = _verwijs(client, tokens["ontvanger"], hid, "ondernemersklankbord", toestemming=TOESTEMMING)
    assert r.status_code == 201, r.text
    (mail,) = session.scalars(
        select(Bericht).where(Bericht.bestemming == "balie@okb.example.nl")
    ).all()
    inhoud = json.loads(mail.inhoud)
    assert inhoud["type"] == "doorverwijzing.link" and "/aanbieder-link/" in inhoud["link"]
    for waarde in PERSOONSGEGEVENS:
        assert waarde not in mail.inhoud and waarde not in mail.onderwerp


def test_urgent_case_on_christmas_eve_is_due_after_christmas(client, tokens, monkeypatch):
    from stelsel.doorverwijzing import doorverwijzingen

    monkeypatch.setattr(doorverwijzingen, "_now", lambda: datetime(2026, 12, 24, 15, tzinfo=UTC))
    verzender = bearer(tokens["verzender"])
    h = client.post(
        "/api/v1/hulpvragen", json={**HULPVRAAG, "urgentie": "hoog"}, headers=verzender
    ).json()
    r = _verwijs(client, tokens["verzender"], h["id"], "qredits")
    assert r.status_code == 201, r.text
    assert date.fromisoformat(r.json()["eerste_contact_voor"]) == date(2026, 12, 28)


def test_entrepreneur_is_kept_informed_only_with_consent_and_never_gets_the_question(
    client, session, tokens
):
    verzender = bearer(tokens["verzender"])
    met = {**HULPVRAAG, "toestemming": {**HULPVRAAG["toestemming"], "berichten": True}}
    h = client.post("/api/v1/hulpvragen", json=met, headers=verzender).json()
    dv = _verwijs(client, tokens["verzender"], h["id"], "qredits").json()
    url = f"/api/v1/doorverwijzingen/{dv['id']}"
    for body in (
        {"status": "geaccepteerd"},
        {"status": "in_behandeling"},
        {"status": "afgerond", "uitkomst": "opgelost"},
    ):
        assert client.patch(url, json=body, headers=bearer(tokens["ontvanger"])).status_code == 200
    aan_ondernemer = session.scalars(
        select(Bericht).where(Bericht.bestemming == "jan.devries@example.nl")
    ).all()
    soorten = [json.loads(b.inhoud)["type"] for b in aan_ondernemer]
    assert soorten == [
        "ondernemer.bevestiging",
        "ondernemer.geaccepteerd",
        "ondernemer.in_behandeling",
        "ondernemer.afgerond",
    ]
    assert h["prive_link"].split("/mijn-hulpvraag/")[1] in aan_ondernemer[0].inhoud
    for b in aan_ondernemer:
        assert "bakoven" not in b.inhoud and "bakoven" not in b.onderwerp
    # without consent to be contacted: nothing
    zonder = client.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=verzender).json()
    _verwijs(client, tokens["verzender"], zonder["id"], "qredits")
    assert (
        len(
            session.scalars(
                select(Bericht).where(Bericht.bestemming == "jan.devries@example.nl")
            ).all()
        )
        == 4
    )


def test_a_request_is_no_consent_until_the_entrepreneur_says_yes(client, session, tokens, zaak):
    from stelsel.doorverwijzing import service
    from stelsel.doorverwijzing.models import Hulpvraag

    hid = zaak["hulpvraag"]["id"]
    _accepteer(client, tokens["ontvanger"], zaak["doorverwijzing"]["id"])
    r = client.post(
        f"/api/v1/hulpvragen/{hid}/toestemmingsverzoeken",
        json={"naar_aanbieder": "rvo"},
        headers=bearer(tokens["ontvanger"]),
    )
    assert r.status_code == 201 and r.json()["gegeven"] is False
    r = _verwijs(client, tokens["ontvanger"], hid, "rvo")
    assert r.status_code == 400, "asking is not consent"
    h = session.get(Hulpvraag, uuid.UUID(hid))
    (verzoek,) = [t for t in h.toestemmingen if t.open_verzoek()]
    service.beantwoord(
        session=session, hulpvraag=h, toestemming_id=verzoek.id, ja=True, tekst_versie="v2"
    )
    session.flush()
    r = _verwijs(client, tokens["ontvanger"], hid, "rvo")
    assert r.status_code == 201, r.text


def test_withdrawal_closes_the_open_referrals_so_nobody_acts_or_promises_contact(
    client, session, tokens, zaak, keten
):
    """After a withdrawal the receiver could still accept, and the entrepreneur's page said
    RVO would contact them: the open hop is now cancelled by the system (reason
    `ingetrokken`), the receiver cannot accept it, and both ends of the hop are told."""
    code = _trek_in(client, zaak)
    dv = session.get(Doorverwijzing, uuid.UUID(keten[1]))
    session.refresh(dv)
    assert (dv.status, dv.reden_code) == (lc.GEANNULEERD, lc.INGETROKKEN)
    r = client.patch(
        f"/api/v1/doorverwijzingen/{keten[1]}",
        json={"status": "geaccepteerd"},
        headers=bearer(tokens["derde"]),
    )
    assert r.status_code in (403, 409), r.text
    pagina = client.get(f"/mijn-hulpvraag/{code}").text
    assert "contact met u op" not in pagina
    gehoord = {
        b.bestemming
        for b in session.scalars(select(Bericht))
        if json.loads(b.inhoud).get("doorverwijzing") == keten[1]
        and json.loads(b.inhoud).get("status") == lc.GEANNULEERD
    }
    assert {"b@qredits.example.nl", "c@rvo.example.nl"} <= gehoord
