"""Managing users (issue 12, item 3): list, deactivate, a new password shown once, revoke
tokens; a beheerder manages everyone, a registerbeheerder the redacteuren, nobody else anyone.
Over the API and the page, on SQLite and PostgreSQL, every action audited."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from stelsel.accounts import service as accounts
from stelsel.accounts.models import AuditRegel
from tests import factories
from tests.doorverwijzing.test_pages import WACHTWOORD, _csrf, inloggen


def _kop(token):
    return {"Authorization": f"Bearer {token}"}


def test_list_deactivate_reset_and_revoke_over_the_api(client, session):
    beheerder, b_token = factories.met_token(session, "beheerder")
    rb, rb_token = factories.met_token(session, "registerbeheerder")
    redacteur, r_token = factories.met_token(session, "redacteur", aanbieder="qredits")
    adviseur, a_token = factories.met_token(session, "adviseur", aanbieder="kvk")
    session.flush()

    alle = client.get("/api/v1/gebruikers", headers=_kop(b_token)).json()["resultaten"]
    assert {redacteur.email, adviseur.email, rb.email} <= {g["email"] for g in alle}
    eigen = client.get("/api/v1/gebruikers", headers=_kop(rb_token)).json()["resultaten"]
    assert {g["rol"] for g in eigen} == {"redacteur"}
    assert client.get("/api/v1/gebruikers", headers=_kop(a_token)).status_code == 403
    assert client.get("/api/v1/gebruikers").status_code == 401
    # a registerbeheerder cannot touch an adviser; nobody switches themselves off
    assert (
        client.post(
            f"/api/v1/gebruikers/{adviseur.id}/deactivering", headers=_kop(rb_token)
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/gebruikers/{beheerder.id}/deactivering", headers=_kop(b_token)
        ).status_code
        == 400
    )

    # revoking tokens stops the token at once
    assert client.get("/api/v1/wijzigingen", headers=_kop(r_token)).status_code == 200
    r = client.post(f"/api/v1/gebruikers/{redacteur.id}/tokens/intrekking", headers=_kop(rb_token))
    assert r.status_code == 200 and r.json() == {"ingetrokken": 1}
    assert client.get("/api/v1/wijzigingen", headers=_kop(r_token)).status_code == 401

    # a new password works, and is shown only in this answer
    r = client.post(f"/api/v1/gebruikers/{redacteur.id}/wachtwoord", headers=_kop(rb_token))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    nieuw = r.json()["wachtwoord"]
    assert len(nieuw) >= 20
    assert accounts.by_password(session=session, email=redacteur.email, wachtwoord=nieuw)

    # deactivating: the token of an adviser stops working at once
    assert client.get("/api/v1/wijzigingen", headers=_kop(a_token)).status_code == 403
    assert (
        client.post(
            f"/api/v1/gebruikers/{adviseur.id}/deactivering", headers=_kop(b_token)
        ).status_code
        == 204
    )
    assert client.get("/api/v1/wijzigingen", headers=_kop(a_token)).status_code == 401
    assert not accounts.by_password(session=session, email=redacteur.email, wachtwoord="x")
    acties = set(
        session.scalars(select(AuditRegel.actie).where(AuditRegel.object_type == "gebruiker"))
    )
    assert {"deactiveren", "wachtwoord", "token-intrekken"} <= acties
    assert (
        session.scalar(
            select(func.count()).where(
                AuditRegel.object_type == "gebruiker", AuditRegel.uitkomst == "geweigerd"
            )
        )
        >= 2
    )


def test_the_users_page_shows_a_new_password_once(app, client, session):
    accounts.create(
        session=session,
        email="rb@stelsel.example.nl",
        rol="registerbeheerder",
        wachtwoord=WACHTWOORD,
    )
    r = accounts.create(
        session=session,
        email="r@qredits.example.nl",
        rol="redacteur",
        aanbieder="qredits",
        wachtwoord=WACHTWOORD,
    )
    session.flush()
    inloggen(client, "rb@stelsel.example.nl")
    pagina = client.get("/beheer/gebruikers").text
    assert "r@qredits.example.nl" in pagina
    antwoord = client.post(f"/beheer/gebruikers/{r.id}/wachtwoord", data={"csrf": _csrf(pagina)})
    assert antwoord.status_code == 200 and "Het nieuwe wachtwoord" in antwoord.text
    wachtwoord = antwoord.text.split("<code>")[1].split("</code>")[0]
    assert "Het nieuwe wachtwoord" not in client.get("/beheer/gebruikers").text
    redacteur = TestClient(app)
    r2 = redacteur.post(
        "/inloggen",
        data={
            "email": "r@qredits.example.nl",
            "wachtwoord": wachtwoord,
            "csrf": _csrf(redacteur.get("/inloggen").text),
        },
        follow_redirects=False,
    )
    assert r2.status_code == 303


def test_unknown_query_parameters_are_a_400_naming_them_on_every_router_we_own(client, session):
    """The shared guard (stelsel.web.invoer.alleen_bekende_parameters) on the accounts,
    registerbeheer, analyse and geography routers: a typo is refused, not silently ignored."""
    _, b_token = factories.met_token(session, "beheerder")
    session.flush()
    for url in (
        "/api/v1/gebruikers?rol=adviseur",
        "/api/v1/audit?wie=iemand",
        "/api/v1/wijzigingen?staat=concept",
        "/api/v1/ecosysteemscan?regio=PV21&jaar=2025",
        "/api/v1/gemeenten?provincei=PV21",
        "/api/v1/provincies?x=1",
        "/api/v1/gemeenten/GM0080?x=1",
    ):
        naam = url.split("?")[1].split("&")[-1].split("=")[0]
        r = client.get(url, headers=_kop(b_token))
        assert r.status_code == 400, (url, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert [p["name"] for p in r.json()["invalid_params"]] == [naam], url
    # known parameters, and the per_pagina alias, still work
    ok = client.get("/api/v1/gebruikers?per_pagina=2&pagina=1", headers=_kop(b_token))
    assert ok.status_code == 200
    assert client.get("/api/v1/gemeenten?provincie=PV21&perPagina=5").status_code == 200
