"""The hardened web front (issue 9 §4): CSRF without a session, server-side sessions, login
rate limit, password policy, deactivating users and revoking tokens, security headers, CORS."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from stelsel.accounts import service as accounts
from stelsel.config import get_settings

WACHTWOORD = "lang-genoeg-wachtwoord"
HULPVRAAG = {
    "ondernemer": {"naam": "Jan de Vries", "email": "jan.devries@example.nl"},
    "vraag": "Ik heb 20.000 euro nodig voor een nieuwe bakoven",
    "gemeente": "Leeuwarden",
    "toestemming": {"delen_met_ontvanger": True, "tekst_versie": "2026-11-v1"},
}


def _csrf(text: str) -> str:
    return text.split('name="csrf" value="')[1].split('"')[0]


def inloggen(client: TestClient, email: str, wachtwoord: str = WACHTWOORD):
    csrf = _csrf(client.get("/inloggen").text)
    return client.post(
        "/inloggen",
        data={"email": email, "wachtwoord": wachtwoord, "csrf": csrf},
        follow_redirects=False,
    )


def ingelogd(client: TestClient) -> bool:
    return client.get("/doorverwijzingen", follow_redirects=False).status_code != 303


@pytest.fixture
def adviseur(session):
    g = accounts.create(
        session=session,
        email="p@kvk.example.nl",
        rol="adviseur",
        aanbieder="kvk",
        wachtwoord=WACHTWOORD,
    )
    token = accounts.create_token(session=session, gebruiker=g)
    session.flush()
    return {"email": g.email, "token": token}


@pytest.fixture
def prive_code(client, adviseur) -> str:
    r = client.post(
        "/api/v1/hulpvragen",
        json=HULPVRAAG,
        headers={"Authorization": f"Bearer {adviseur['token']}"},
    )
    assert r.status_code == 201, r.text
    return r.json()["prive_link"].split("/mijn-hulpvraag/")[1]


# 1. CSRF is bound to a pre-session token -------------------------------------------------------


@pytest.mark.parametrize("data", [{}, {"csrf": ""}, {"csrf": "fout"}])
def test_login_without_session_or_token_is_refused(client, adviseur, data):
    client.cookies.clear()
    r = client.post(
        "/inloggen",
        data={"email": adviseur["email"], "wachtwoord": WACHTWOORD, **data},
        follow_redirects=False,
    )
    assert r.status_code == 403, (r.status_code, r.headers.get("location"))
    assert "verlopen" in r.text
    assert not ingelogd(client)


@pytest.mark.parametrize("actie", ["intrekken", "verwijderen"])
@pytest.mark.parametrize("data", [{}, {"csrf": ""}])
def test_private_link_actions_without_token_change_nothing(
    client, session, prive_code, actie, data
):
    from stelsel.doorverwijzing.models import Hulpvraag

    client.cookies.clear()
    r = client.post(f"/mijn-hulpvraag/{prive_code}/{actie}", data=data, follow_redirects=False)
    assert r.status_code == 403, r.status_code
    session.expire_all()
    h = session.scalars(select(Hulpvraag)).one()
    assert h.ondernemer_naam == "Jan de Vries" and h.ingetrokken_op is None
    assert h.eerste_hop_toestemming() is not None


def test_private_link_actions_work_with_the_pages_token(client, session, prive_code):
    from stelsel.doorverwijzing.models import Hulpvraag

    client.cookies.clear()
    csrf = _csrf(client.get(f"/mijn-hulpvraag/{prive_code}/verwijderen").text)
    r = client.post(
        f"/mijn-hulpvraag/{prive_code}/verwijderen", data={"csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    session.expire_all()
    assert session.scalars(select(Hulpvraag)).one().ondernemer_naam is None


def test_a_token_from_another_visitor_is_refused(app, client, adviseur):
    ander = TestClient(app)
    csrf = _csrf(ander.get("/inloggen").text)
    client.cookies.clear()
    client.get("/inloggen")
    r = client.post(
        "/inloggen",
        data={"email": adviseur["email"], "wachtwoord": WACHTWOORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 403 and not ingelogd(client)


# 2. Sessions -----------------------------------------------------------------------------------


def test_logout_invalidates_a_copied_cookie(app, client, adviseur):
    assert inloggen(client, adviseur["email"]).status_code == 303
    kopie = dict(client.cookies)
    assert ingelogd(client)
    csrf = _csrf(client.get("/doorverwijzingen").text)
    assert client.post("/uitloggen", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    dief = TestClient(app, cookies=kopie)
    assert not ingelogd(dief)
    assert not ingelogd(client)


def test_login_rotates_the_session(app, client, adviseur):
    client.get("/inloggen")
    voor = dict(client.cookies)
    assert voor, "the login form sets a pre-session cookie"
    assert inloggen(client, adviseur["email"]).status_code == 303
    assert dict(client.cookies) != voor
    assert not ingelogd(TestClient(app, cookies=voor))
    assert ingelogd(client)


def _set_cookie(r) -> str:
    (cookie,) = [v for k, v in r.headers.multi_items() if k == "set-cookie"]
    return cookie


@pytest.mark.parametrize(
    ("base_url", "secure"),
    [
        ("https://stelsel.example.nl", True),
        ("http://127.0.0.1:8000", False),
        ("http://localhost:8000", False),
    ],
)
def test_session_cookie_flags(app, monkeypatch, base_url, secure):
    monkeypatch.setenv("STELSEL_BASE_URL", base_url)
    monkeypatch.delenv("STELSEL_COOKIE_SECURE", raising=False)
    get_settings.cache_clear()
    try:
        with TestClient(app, base_url="https://testserver") as c:
            cookie = _set_cookie(c.get("/inloggen")).lower()
    finally:
        get_settings.cache_clear()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert ("secure" in cookie.split("; ")) == secure, cookie


def test_cookie_holds_nothing_readable(client, adviseur):
    assert inloggen(client, adviseur["email"]).status_code == 303
    csrf = _csrf(client.get("/hulpvragen/nieuw").text)
    r = client.post(
        "/hulpvragen/nieuw",
        data={
            "naam": "Jan de Vries",
            "email": "jan.devries@example.nl",
            "vraag": "Ik heb 20.000 euro nodig voor een nieuwe bakoven",
            "gemeente": "Leeuwarden",
            "toestemming": "ja",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    na_post = dict(client.cookies)
    r = client.get(r.headers["location"])
    assert r.status_code == 200, r.text
    code = re.search(r"/mijn-hulpvraag/([A-Za-z0-9_-]{8,})", r.text)
    assert code, "the page shows the new private link once"
    for waarde in [*na_post.values(), *client.cookies.values()]:
        leesbaar = waarde
        for deel in re.split(r"[.]", waarde):
            try:
                leesbaar += base64.urlsafe_b64decode(deel + "==").decode("latin-1")
            except ValueError:
                pass
        assert code.group(1) not in leesbaar
        assert "gebruiker_id" not in leesbaar and "mijn-hulpvraag" not in leesbaar
    # shown once: a reload does not show it again
    assert code.group(1) not in client.get(r.url).text


# 3. Deactivating a user and revoking tokens ---------------------------------------------------


@pytest.fixture
def eigen_db(databases, monkeypatch):
    """A committed database the CLI can reach, with a beheerder logged in on a page and by API."""
    from stelsel.app import create_app
    from stelsel.db import session_scope

    engine = databases.engine()
    monkeypatch.setattr("stelsel.accounts.cli.get_engine", lambda: engine, raising=False)
    with session_scope(engine) as s:
        g = accounts.create(
            session=s, email="h@beheer.example.nl", rol="beheerder", wachtwoord=WACHTWOORD
        )
        token = accounts.create_token(session=s, gebruiker=g)
    client = TestClient(create_app(engine))
    assert inloggen(client, "h@beheer.example.nl").status_code == 303
    api = {"Authorization": f"Bearer {token}"}
    assert TestClient(client.app).get("/api/v1/audit", headers=api).status_code == 200
    assert ingelogd(client)
    return {"client": client, "api": api, "engine": engine}


def _cli(*args):
    from stelsel.accounts.cli import gebruiker_app

    return CliRunner().invoke(gebruiker_app, list(args))


def test_deactivate_stops_sessions_and_tokens_at_once(eigen_db):
    r = _cli("deactiveer", "--email", "h@beheer.example.nl")
    assert r.exit_code == 0, r.output
    c = eigen_db["client"]
    assert not ingelogd(c)
    kaal = TestClient(c.app)
    assert kaal.get("/api/v1/audit", headers=eigen_db["api"]).status_code == 401
    assert inloggen(kaal, "h@beheer.example.nl").status_code != 303
    assert _cli("deactiveer", "--email", "niemand@example.nl").exit_code == 1


def test_token_revoke(eigen_db):
    r = _cli("token-intrekken", "--email", "h@beheer.example.nl")
    assert r.exit_code == 0, r.output
    kaal = TestClient(eigen_db["client"].app)
    assert kaal.get("/api/v1/audit", headers=eigen_db["api"]).status_code == 401
    assert ingelogd(eigen_db["client"])  # revoking tokens leaves web sessions alone


# 4. Login rate limit ---------------------------------------------------------------------------


class Klok:
    def __init__(self) -> None:
        self.nu = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.nu


@pytest.fixture
def klok(monkeypatch) -> Klok:
    k = Klok()
    monkeypatch.setattr(accounts, "klok", k, raising=False)
    return k


def test_login_is_locked_after_five_failures_with_growing_delay(client, adviseur, klok):
    for _ in range(5):
        assert inloggen(client, adviseur["email"], "fout-wachtwoord").status_code == 400
    r = inloggen(client, adviseur["email"])
    assert r.status_code == 429, r.status_code
    assert int(r.headers["retry-after"]) == 60 and "opnieuw" in r.text
    klok.nu += timedelta(seconds=61)
    assert inloggen(client, adviseur["email"], "nog-steeds-fout").status_code == 400
    r = inloggen(client, adviseur["email"])
    assert r.status_code == 429 and int(r.headers["retry-after"]) == 120  # doubled
    klok.nu += timedelta(seconds=121)
    assert inloggen(client, adviseur["email"]).status_code == 303
    assert ingelogd(client)


def test_login_is_limited_per_address_across_accounts(client, adviseur, klok):
    for i in range(20):
        assert inloggen(client, f"x{i}@example.nl", "fout-wachtwoord").status_code == 400
    r = inloggen(client, adviseur["email"])
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_login_attempts_are_stored_in_the_database(client, session, adviseur, klok):
    from stelsel.accounts.models import Inlogpoging

    inloggen(client, adviseur["email"], "fout-wachtwoord")
    assert session.scalar(select(func.count()).select_from(Inlogpoging)) == 2  # account, address


# 5. Password policy ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wachtwoord",
    ["aaaaaaaaaaaa", "welkom123456", "123456789012", "wachtwoord12", "p@kvk.example.nl"],
)
def test_common_and_repetitive_passwords_are_refused(session, wachtwoord):
    with pytest.raises(accounts.GebruikerOngeldig) as e:
        accounts.create(
            session=session, email="p@kvk.example.nl", rol="beheerder", wachtwoord=wachtwoord
        )
    assert e.value.veld == "wachtwoord" and "raden" in e.value.reden


# 6. Security headers ---------------------------------------------------------------------------

PADEN = ["/", "/inloggen", "/api/v1/themas", "/static/stelsel.css", "/bestaat-niet", "/api/v1/x"]


@pytest.mark.parametrize("pad", PADEN)
def test_security_headers_on_every_response(client, pad):
    r = client.get(pad)
    csp = r.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (pad, r.status_code, csp)
    script = re.search(r"script-src ([^;]*)", csp)
    assert script and "'unsafe-inline'" not in script.group(1)
    assert "default-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in r.headers


def test_api_docs_run_under_the_csp_without_unsafe_inline(client):
    r = client.get("/api/v1/docs")
    csp = r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'sha256-" in csp  # the page's inline script is allowed by its hash only


def test_hsts_only_over_https(app, monkeypatch):
    with TestClient(app, base_url="https://testserver") as c:
        assert "max-age=" in c.get("/").headers["strict-transport-security"]
    with TestClient(app) as c:
        doorgestuurd = {"X-Forwarded-Proto": "https"}
        assert "strict-transport-security" not in c.get("/", headers=doorgestuurd).headers
        monkeypatch.setenv("STELSEL_VERTROUW_PROXY", "true")
        get_settings.cache_clear()
        try:
            assert "strict-transport-security" in c.get("/", headers=doorgestuurd).headers
        finally:
            get_settings.cache_clear()


def test_templates_have_no_inline_scripts_or_handlers():
    from stelsel.web.pages import template_dirs

    for d in template_dirs():
        for t in d.rglob("*.html"):
            text = t.read_text(encoding="utf-8")
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), t
            assert not re.search(r"\son[a-z]+\s*=", text), t


# 7. CORS ---------------------------------------------------------------------------------------

HERKOMST = "https://andere-site.example.org"


def _preflight(client, pad, methode="GET"):
    return client.options(
        pad, headers={"Origin": HERKOMST, "Access-Control-Request-Method": methode}
    )


@pytest.mark.parametrize("pad", ["/api/v1/themas", "/api/v1/aanbieders", "/api/v1/gemeenten"])
def test_cors_is_open_for_the_open_data_api(client, pad):
    r = _preflight(client, pad)
    assert r.status_code in (200, 204), r.status_code
    assert r.headers["access-control-allow-origin"] == "*"
    assert set(r.headers["access-control-allow-methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    assert "access-control-allow-credentials" not in r.headers
    r = client.get(pad, headers={"Origin": HERKOMST})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-methods" not in _preflight(client, pad, "POST").headers


@pytest.mark.parametrize(
    "pad", ["/api/v1/doorverwijzingen", "/api/v1/hulpvragen", "/api/v1/audit", "/inloggen", "/"]
)
def test_cors_is_closed_for_the_rest(client, pad):
    for r in (_preflight(client, pad), _preflight(client, pad, "POST")):
        assert "access-control-allow-origin" not in r.headers, pad
    assert (
        "access-control-allow-origin" not in client.get(pad, headers={"Origin": HERKOMST}).headers
    )
