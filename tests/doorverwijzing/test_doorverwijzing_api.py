"""Referrals over the API: the flow, consent, the permission matrix, privacy and audit."""

import logging
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from stelsel.accounts.models import AuditRegel
from stelsel.config import get_settings
from stelsel.doorverwijzing import levenscyclus as lc
from tests.doorverwijzing.conftest import HULPVRAAG, PERSOONSGEGEVENS, bearer

ROLLEN = [
    "anoniem",
    "verzender",
    "ontvanger",
    "derde",
    "regiocoordinator",
    "stelselregisseur",
    "beheerder",
]


def test_flow_with_outcome_for_sender(client, tokens, zaak):
    dv = zaak["doorverwijzing"]
    assert dv["status"] == "verzonden" and dv["fhir_status"] == "requested"
    assert dv["themas"] == ["financiering"] and dv["gemeente_code"] == "GM0080"
    assert zaak["hulpvraag"]["prive_link"].split("/mijn-hulpvraag/")[1]
    url = f"/api/v1/doorverwijzingen/{dv['id']}"
    ontvanger = bearer(tokens["ontvanger"])
    eerst = client.get(url, headers=ontvanger).json()
    assert eerst["status"] == "ontvangen" and eerst["ontvangen_op"]
    assert eerst["gegevens"]["ondernemer"]["naam"] == "Jan de Vries"
    assert eerst["notitie"] == "Graag snel bellen"
    for body in (
        {"status": "geaccepteerd"},
        {"status": "in_behandeling"},
        {"status": "afgerond", "uitkomst": "opgelost"},
    ):
        r = client.patch(url, json=body, headers=ontvanger)
        assert r.status_code == 200, r.text
    uit = client.get(
        "/api/v1/doorverwijzingen", params={"richting": "uit"}, headers=bearer(tokens["verzender"])
    ).json()
    assert uit["totaal"] == 1
    assert (
        uit["resultaten"][0]["status"] == "afgerond"
        and uit["resultaten"][0]["uitkomst"] == "opgelost"
    )
    assert uit["resultaten"][0]["gegevens"] is None  # lists carry no personal data


def test_consent_to_share_must_be_a_json_true(client, tokens):
    body = {**HULPVRAAG, "toestemming": {"delen_met_ontvanger": "ja", "tekst_versie": "v1"}}
    r = client.post("/api/v1/hulpvragen", json=body, headers=bearer(tokens["verzender"]))
    assert r.status_code == 400
    assert r.json()["invalid_params"][0]["name"] == "toestemming.delen_met_ontvanger"


def test_urgent_case_gets_first_contact_the_next_working_day(client, tokens, zaak):
    verzender = bearer(tokens["verzender"])
    r = client.post("/api/v1/hulpvragen", json={**HULPVRAAG, "urgentie": "hoog"}, headers=verzender)
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/v1/doorverwijzingen",
        json={"hulpvraag": r.json()["id"], "naar_aanbieder": "qredits"},
        headers=verzender,
    )
    dringend = date.fromisoformat(r.json()["eerste_contact_voor"])
    normaal = date.fromisoformat(zaak["doorverwijzing"]["eerste_contact_voor"])
    vandaag = datetime.now(UTC).date()
    assert dringend == lc.plus_werkdagen(vandaag, 1)
    assert normaal == lc.plus_werkdagen(vandaag, get_settings().eerste_contact_werkdagen)
    assert dringend < normaal


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"status": "verzonden"}, 409, None),
        ({"status": "afgerond"}, 409, None),
        ({"status": "geweigerd"}, 400, "reden_code"),
        ({"status": "geweigerd", "reden": "vol"}, 400, "reden_code"),
        ({"status": "geweigerd", "reden_code": "anders"}, 400, "reden"),
        ({"status": "geweigerd", "reden_code": "verlopen"}, 400, "reden_code"),
        ({"status": "kapot"}, 400, "status"),
    ],
)
def test_illegal_transitions(client, tokens, zaak, body, status, name):
    url = f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}"
    r = client.patch(url, json=body, headers=bearer(tokens["ontvanger"]))
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json"
    if name:
        assert r.json()["invalid_params"][0]["name"] == name


def test_nothing_after_afgerond(client, tokens, zaak):
    url = f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}"
    h = bearer(tokens["ontvanger"])
    client.patch(url, json={"status": "geaccepteerd"}, headers=h)
    client.patch(url, json={"status": "afgerond", "uitkomst": "deels_opgelost"}, headers=h)
    for body in (
        {"status": "in_behandeling"},
        {"status": "geweigerd", "reden_code": "geen_capaciteit"},
    ):
        assert client.patch(url, json=body, headers=h).status_code == 409
    assert (
        client.patch(
            url,
            json={"status": "geannuleerd", "reden_code": "anders", "reden": "x"},
            headers=bearer(tokens["verzender"]),
        ).status_code
        == 409
    )


def test_no_referral_without_consent(client, tokens):
    zonder = {**HULPVRAAG, "toestemming": {"delen_met_ontvanger": False, "tekst_versie": "v1"}}
    h = client.post("/api/v1/hulpvragen", json=zonder, headers=bearer(tokens["verzender"])).json()
    r = client.post(
        "/api/v1/doorverwijzingen",
        json={"hulpvraag": h["id"], "naar_aanbieder": "qredits"},
        headers=bearer(tokens["verzender"]),
    )
    assert r.status_code == 400
    assert r.json()["invalid_params"][0]["name"] == "toestemming"


def test_withdrawing_consent_hides_personal_data(client, tokens, zaak):
    code = zaak["hulpvraag"]["prive_link"].split("/mijn-hulpvraag/")[1]
    page = client.get(f"/mijn-hulpvraag/{code}")
    assert page.status_code == 200 and "Toestemming intrekken" in page.text
    bevestig = client.get(f"/mijn-hulpvraag/{code}/intrekken").text
    csrf = bevestig.split('name="csrf" value="')[1].split('"')[0]
    r = client.post(
        f"/mijn-hulpvraag/{code}/intrekken", data={"csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    dv = client.get(
        f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}",
        headers=bearer(tokens["ontvanger"]),
    ).json()
    assert dv["gegevens"] is None and dv["notitie"] is None
    r = client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(tokens["verzender"]),
        json={"hulpvraag": zaak["hulpvraag"]["id"], "naar_aanbieder": "rvo"},
    )
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "toestemming"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (
            {**HULPVRAAG, "ondernemer": {**HULPVRAAG["ondernemer"], "kvk_nummer": "1234"}},
            "ondernemer.kvk_nummer",
        ),
        (
            {**HULPVRAAG, "ondernemer": {**HULPVRAAG["ondernemer"], "email": "geen-mail"}},
            "ondernemer.email",
        ),
        (
            {**HULPVRAAG, "ondernemer": {**HULPVRAAG["ondernemer"], "telefoon": "abc!!"}},
            "ondernemer.telefoon",
        ),
        ({**HULPVRAAG, "gemeente": "Atlantis"}, "gemeente"),
        ({**HULPVRAAG, "vraag": " "}, "vraag"),
        ({k: v for k, v in HULPVRAAG.items() if k != "toestemming"}, "toestemming"),
    ],
)
def test_hulpvraag_validation(client, tokens, body, name):
    r = client.post("/api/v1/hulpvragen", json=body, headers=bearer(tokens["verzender"]))
    assert r.status_code == 400
    assert r.json()["invalid_params"][0]["name"] == name


def _call(client, endpoint, zaak, headers):
    dv_id = zaak["doorverwijzing"]["id"]
    if endpoint == "POST /hulpvragen":
        return client.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=headers)
    if endpoint == "POST /doorverwijzingen":
        return client.post(
            "/api/v1/doorverwijzingen",
            headers=headers,
            json={
                "hulpvraag": zaak["hulpvraag"]["id"],
                "naar_aanbieder": "rvo",
                "toestemming": {"tekst_versie": "2026-12-v1", "kanaal": "telefoon"},
            },
        )
    if endpoint == "POST /doorverwijzingen/{id}/notities":
        return client.post(
            f"/api/v1/doorverwijzingen/{dv_id}/notities", json={"tekst": "Gebeld"}, headers=headers
        )
    if endpoint == "GET /doorverwijzingen":
        return client.get("/api/v1/doorverwijzingen", headers=headers)
    if endpoint == "GET /doorverwijzingen/{id}":
        return client.get(f"/api/v1/doorverwijzingen/{dv_id}", headers=headers)
    if endpoint == "PATCH /doorverwijzingen/{id}":
        return client.patch(
            f"/api/v1/doorverwijzingen/{dv_id}", json={"status": "geaccepteerd"}, headers=headers
        )
    if endpoint == "GET /doorverwijzingen/statistieken":
        return client.get("/api/v1/doorverwijzingen/statistieken", headers=headers)
    if endpoint == "GET /audit":
        return client.get("/api/v1/audit", headers=headers)
    hv_id = zaak["hulpvraag"]["id"]
    if endpoint == "GET /hulpvragen/{id}/inzage":
        return client.get(f"/api/v1/hulpvragen/{hv_id}/inzage", headers=headers)
    if endpoint == "GET /hulpvragen/{id}/keten":
        return client.get(f"/api/v1/hulpvragen/{hv_id}/keten", headers=headers)
    if endpoint == "GET /hulpvragen/{id}/ontvangers":
        return client.get(f"/api/v1/hulpvragen/{hv_id}/ontvangers", headers=headers)
    if endpoint == "POST /hulpvragen/{id}/toestemmingsverzoeken":
        return client.post(
            f"/api/v1/hulpvragen/{hv_id}/toestemmingsverzoeken",
            json={"naar_aanbieder": "rvo"},
            headers=headers,
        )
    if endpoint == "DELETE /hulpvragen/{id}/toestemming":
        return client.delete(f"/api/v1/hulpvragen/{hv_id}/toestemming", headers=headers)
    if endpoint == "DELETE /hulpvragen/{id}/persoonsgegevens":
        return client.delete(f"/api/v1/hulpvragen/{hv_id}/persoonsgegevens", headers=headers)
    raise AssertionError(endpoint)


# The verzender (KVK) referred the case to the ontvanger (Qredits), so it is past its own hop:
# it follows the chain but no longer holds the case (no personal data, cannot refer it again).
#            anoniem verzender ontvanger derde regio stelsel beheer
MATRIX = {
    "POST /hulpvragen": (401, 201, 201, 201, 403, 403, 403),
    "POST /doorverwijzingen": (401, 409, 201, 404, 403, 403, 403),
    "GET /doorverwijzingen": (401, 200, 200, 200, 403, 403, 403),
    "GET /doorverwijzingen/{id}": (401, 200, 200, 404, 404, 404, 404),
    "PATCH /doorverwijzingen/{id}": (401, 403, 200, 404, 404, 404, 404),
    "POST /doorverwijzingen/{id}/notities": (401, 201, 201, 404, 404, 404, 404),
    "GET /doorverwijzingen/statistieken": (401, 403, 403, 403, 200, 200, 403),
    "GET /audit": (401, 403, 403, 403, 403, 200, 200),
    "GET /hulpvragen/{id}/inzage": (401, 404, 200, 404, 404, 404, 404),
    "GET /hulpvragen/{id}/keten": (401, 200, 200, 404, 403, 403, 403),
    "GET /hulpvragen/{id}/ontvangers": (401, 404, 200, 404, 404, 404, 404),
    "POST /hulpvragen/{id}/toestemmingsverzoeken": (401, 404, 201, 404, 404, 404, 404),
    "DELETE /hulpvragen/{id}/toestemming": (401, 204, 204, 404, 404, 404, 404),
    "DELETE /hulpvragen/{id}/persoonsgegevens": (401, 204, 204, 404, 404, 404, 404),
}


def test_matrix_covers_every_endpoint():
    from stelsel.accounts.api import router as accounts_router
    from stelsel.doorverwijzing.api import router as doorverwijzing_router

    routes = {
        f"{m} {r.path}"
        for router in (accounts_router, doorverwijzing_router)
        for r in router.routes
        for m in getattr(r, "methods", ())  # registerbeheer's router has its own matrix
        if not r.path.startswith("/gebruikers")  # user management: the registerbeheer matrix
    }
    assert routes == set(MATRIX)


CELLS = [(e, rol, codes[i]) for e, codes in MATRIX.items() for i, rol in enumerate(ROLLEN)]


@pytest.mark.parametrize(
    ("endpoint", "rol", "verwacht"), CELLS, ids=[f"{e}-{r}" for e, r, _ in CELLS]
)
def test_permission_matrix(client, session, tokens, zaak, endpoint, rol, verwacht):
    geweigerd_voor = session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
    r = _call(client, endpoint, zaak, bearer(tokens[rol]))
    assert r.status_code == verwacht, r.text
    if verwacht >= 400:
        assert r.headers["content-type"] == "application/problem+json"
    geweigerd_na = session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
    if verwacht in (403, 404):
        assert geweigerd_na == geweigerd_voor + 1, "a refused request leaves an audit entry"
    # aggregate roles never see personal data, nor does a provider past its own hop
    if rol in ("regiocoordinator", "stelselregisseur", "beheerder", "verzender") and r.is_success:
        for waarde in [*PERSOONSGEGEVENS, "Graag snel bellen"]:
            assert waarde not in r.text, f"personal data in a response for {rol}"


def test_statistics_are_regional(client, tokens, zaak, session):
    from stelsel.accounts import service as accounts

    g = accounts.create(
        session=session, email="d@drenthe.example.nl", rol="regiocoordinator", regio="PV22"
    )
    drenthe = accounts.create_token(session=session, gebruiker=g)
    fryslan = client.get(
        "/api/v1/doorverwijzingen/statistieken", headers=bearer(tokens["regiocoordinator"])
    ).json()
    assert fryslan["aantal_doorverwijzingen"] == 1 and fryslan["per_status"]["verzonden"] == 1
    leeg = client.get("/api/v1/doorverwijzingen/statistieken", headers=bearer(drenthe)).json()
    assert leeg["aantal_doorverwijzingen"] == 0


def test_chain_pingpong_is_counted(client, tokens, zaak):
    url = f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}"
    client.patch(url, json={"status": "geaccepteerd"}, headers=bearer(tokens["ontvanger"]))
    terug = client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(tokens["ontvanger"]),
        json={
            "hulpvraag": zaak["hulpvraag"]["id"],
            "naar_aanbieder": "kvk",
            "toestemming": {"tekst_versie": "2026-12-v1", "kanaal": "gesprek"},
        },
    )
    assert terug.status_code == 201 and terug.json()["vorige"] == zaak["doorverwijzing"]["id"]
    assert client.get(url, headers=bearer(tokens["verzender"])).json()["uitkomst"] == "doorverwezen"
    stats = client.get(
        "/api/v1/doorverwijzingen/statistieken", headers=bearer(tokens["stelselregisseur"])
    ).json()
    assert stats["pingpong"] == 1 and stats["gemiddeld_aantal_hops"] == 2.0


def test_audit_records_reads_of_personal_data(client, tokens, zaak):
    client.get(
        f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}",
        headers=bearer(tokens["ontvanger"]),
    )
    log = client.get(
        "/api/v1/audit", params={"perPagina": 100}, headers=bearer(tokens["beheerder"])
    ).json()
    acties = {(r["actie"], r["object_type"], r["uitkomst"]) for r in log["resultaten"]}
    assert ("aanmaken", "hulpvraag", "toegestaan") in acties
    assert ("doorverwijzen", "doorverwijzing", "toegestaan") in acties
    assert ("lezen", "doorverwijzing", "toegestaan") in acties
    assert ("status_ontvangen", "doorverwijzing", "toegestaan") in acties
    for waarde in PERSOONSGEGEVENS:
        assert waarde not in str(log)


def test_no_personal_data_in_logs(client, tokens, caplog):
    caplog.set_level(logging.DEBUG)
    h = client.post(
        "/api/v1/hulpvragen", json=HULPVRAAG, headers=bearer(tokens["verzender"])
    ).json()
    dv = client.post(
        "/api/v1/doorverwijzingen",
        headers=bearer(tokens["verzender"]),
        json={"hulpvraag": h["id"], "naar_aanbieder": "qredits"},
    ).json()
    client.get(f"/api/v1/doorverwijzingen/{dv['id']}", headers=bearer(tokens["ontvanger"]))
    client.post(
        "/api/v1/hulpvragen", json={**HULPVRAAG, "vraag": ""}, headers=bearer(tokens["verzender"])
    )
    for waarde in PERSOONSGEGEVENS:
        assert waarde not in caplog.text


def _actor(session, email):
    from stelsel.accounts import service as accounts
    from stelsel.accounts.models import Gebruiker

    return accounts.actor(session.scalar(select(Gebruiker).where(Gebruiker.email == email)))


def test_inzage_and_deletion_on_request(client, session, tokens, zaak):
    hid = zaak["hulpvraag"]["id"]
    r = client.get(f"/api/v1/hulpvragen/{hid}/inzage", headers=bearer(tokens["ontvanger"]))
    assert (
        r.status_code == 200
        and r.json()["hulpvraag"]["ondernemer"]["email"] == "jan.devries@example.nl"
    )
    assert (
        client.get(f"/api/v1/hulpvragen/{hid}/inzage", headers=bearer(tokens["derde"])).status_code
        == 404
    )
    r = client.delete(
        f"/api/v1/hulpvragen/{hid}/persoonsgegevens", headers=bearer(tokens["verzender"])
    )
    assert r.status_code == 204
    # after removal nobody holds the case: only the entrepreneur's own link shows what is left
    assert (
        client.get(f"/api/v1/hulpvragen/{hid}/inzage", headers=bearer(tokens["ontvanger"]))
    ).status_code == 404
    from stelsel.doorverwijzing import service

    h = service.get_hulpvraag(
        session=session,
        actor=_actor(session, "a@kvk.example.nl"),
        hulpvraag_id=uuid.UUID(hid),
        doel="test",
    )
    na = service.inzage(session=session, hulpvraag=h, door=None)
    assert na["hulpvraag"]["ondernemer"] == {
        "naam": None,
        "email": None,
        "telefoon": None,
        "kvk_nummer": None,
    }
    assert na["hulpvraag"]["vraag"] is None and na["hulpvraag"]["themas"] == ["financiering"]
    assert all(d["notitie"] is None for d in na["doorverwijzingen"])
    dv = client.get(
        f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}",
        headers=bearer(tokens["ontvanger"]),
    )
    assert dv.json()["gegevens"] is None


def test_pages_refuse_other_providers_with_404_and_audit(client, session, tokens, zaak):
    from stelsel.accounts import service as accounts

    g = accounts.create(
        session=session,
        email="p@rvo.example.nl",
        rol="adviseur",
        aanbieder="rvo",
        wachtwoord="lang-genoeg-wachtwoord",
    )
    session.flush()
    page = client.get("/inloggen")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = client.post(
        "/inloggen",
        data={
            "email": g.email,
            "wachtwoord": "lang-genoeg-wachtwoord",
            "csrf": csrf,
            "verder": "/doorverwijzingen",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    voor = session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
    assert client.get(f"/doorverwijzingen/{zaak['doorverwijzing']['id']}").status_code == 404
    assert client.get(f"/hulpvragen/{zaak['hulpvraag']['id']}").status_code == 404
    assert (
        session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd")) == voor + 2
    )


def test_login_requires_csrf_and_right_password(client, tokens):
    assert (
        client.post(
            "/inloggen", data={"email": "a@kvk.example.nl", "wachtwoord": "x", "csrf": "fout"}
        ).status_code
        == 403
    )
    csrf = client.get("/inloggen").text.split('name="csrf" value="')[1].split('"')[0]
    r = client.post(
        "/inloggen", data={"email": "a@kvk.example.nl", "wachtwoord": "fout", "csrf": csrf}
    )
    assert r.status_code == 400 and "klopt niet" in r.text
    assert client.get("/doorverwijzingen", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/doorverwijzingen"),
        ("GET", "/hulpvragen/nieuw"),
        ("POST", "/hulpvragen/nieuw"),
        ("GET", "/hulpvragen/{hid}"),
        ("POST", "/hulpvragen/{hid}/doorverwijzen"),
        ("GET", "/doorverwijzingen/{did}"),
        ("POST", "/doorverwijzingen/{did}/status"),
    ],
)
def test_pages_send_anonymous_callers_to_login(client, session, zaak, method, path):
    from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag

    url = path.format(hid=zaak["hulpvraag"]["id"], did=zaak["doorverwijzing"]["id"])
    csrf = client.get("/inloggen").text.split('name="csrf" value="')[1].split('"')[0]
    form = {
        "csrf": csrf,
        "naam": "Piet",
        "email": "piet@example.nl",
        "vraag": "Hulp bij exporteren",
        "toestemming": "ja",
        "naar_aanbieder": "rvo",
        "status": "geannuleerd",
    }
    voor = (
        session.scalar(select(func.count()).select_from(Hulpvraag)),
        session.scalar(select(func.count()).select_from(Doorverwijzing)),
        session.scalar(select(func.count()).select_from(AuditRegel)),
    )
    r = client.request(method, url, data=form if method == "POST" else None, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/inloggen?verder={url}"
    assert (
        session.scalar(select(func.count()).select_from(Hulpvraag)),
        session.scalar(select(func.count()).select_from(Doorverwijzing)),
        session.scalar(select(func.count()).select_from(AuditRegel)),
    ) == voor
    api = client.get(f"/api/v1/doorverwijzingen/{zaak['doorverwijzing']['id']}")
    assert api.status_code == 401  # the client really is anonymous


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/doorverwijzingen?pagina=0",
        "/api/v1/doorverwijzingen?richting=in%00",
        "/api/v1/audit?perPagina=0",
    ],
)
def test_anonymous_callers_get_401_before_their_input_is_judged(client, url):
    """The pagination parameters used to be checked first: a 400 to an anonymous caller."""
    r = client.get(url)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 401


def test_nul_characters_are_400_naming_the_field(client, tokens, zaak):
    """PostgreSQL cannot hold U+0000: such text used to reach the database and answer 500."""
    verzender = bearer(tokens["verzender"])
    naam = {**HULPVRAAG, "ondernemer": {**HULPVRAAG["ondernemer"], "naam": "Jan\x00"}}
    r = client.post("/api/v1/hulpvragen", json=naam, headers=verzender)
    assert r.status_code == 400, r.text
    assert [p["name"] for p in r.json()["invalid_params"]] == ["ondernemer.naam"]
    naar = {"hulpvraag": zaak["hulpvraag"]["id"], "naar_aanbieder": "qredits\x00"}
    r = client.post("/api/v1/doorverwijzingen", json=naar, headers=verzender)
    assert r.status_code == 400, r.text
    assert [p["name"] for p in r.json()["invalid_params"]] == ["naar_aanbieder"]
