"""The self-referral ("Neem contact met mij op", issue 15 §5): an entrepreneur sends their own
question to one aanbieder. The case and its referral exist with consent bound to that one
recipient, travel the same lifecycle, audit and outbox as an adviser's referral, reach only the
receiver, stop on withdrawal, and are refused for an aanbieder no referral reaches. Runs on
SQLite and PostgreSQL."""

import json
import logging
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from stelsel.accounts import service as accounts
from stelsel.accounts.models import AuditRegel
from stelsel.doorverwijzing import zelf_pages
from stelsel.doorverwijzing import zelfverwijzing as zv
from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag, Toestemming
from stelsel.meldingen import kanalen
from stelsel.meldingen.models import Bericht
from stelsel.register import service as register
from tests.doorverwijzing.conftest import PERSOONSGEGEVENS, bearer
from tests.factories import VRAAG

FORMULIER = {
    "naam": "Jan de Vries",
    "email": "jan.devries@example.nl",
    "telefoon": "0612345678",
    "kvk_nummer": "12345678",
    "vraag": VRAAG,
    "gemeente": "Leeuwarden",
    "toestemming": "ja",
    "berichten": "ja",
}


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def stuur(client: TestClient, aanbieder: str = "qredits", **anders):
    """The card's button (the pre-filled form), then the form sent with its CSRF token."""
    r = client.post(
        f"/neem-contact-op/{aanbieder}/formulier",
        data={"vraag": VRAAG, "gemeente": "Leeuwarden", "dienst": ""},
    )
    assert r.status_code == 200, r.text
    data = {**FORMULIER, **anders, "csrf": _csrf(r.text)}
    return client.post(f"/neem-contact-op/{aanbieder}", data=data, follow_redirects=False)


@pytest.fixture(autouse=True)
def _limiet():
    zelf_pages.limiet.leeg()
    yield
    zelf_pages.limiet.leeg()


@pytest.fixture
def tokens(session) -> dict[str, str]:
    def maak(email, aanbieder):
        g = accounts.create(session=session, email=email, rol="adviseur", aanbieder=aanbieder)
        return accounts.create_token(session=session, gebruiker=g)

    t = {"qredits": maak("b@qredits.example.nl", "qredits"), "rvo": maak("c@rvo.example.nl", "rvo")}
    session.flush()
    return t


def _onbereikbaar(session) -> str:
    """A partner aanbieder without users, linked system or desk address."""
    a = register.aanbieder_rij(session=session, aanbieder_id="mkb-doorgaan") or next(
        a for a in register.get_all_aanbieders(session=session, soort="non-profit")[0] if a.diensten
    )
    a.email = ""
    session.flush()
    return a.slug


def test_the_case_and_referral_rest_on_consent_for_that_one_recipient(client, session, tokens):
    r = stuur(client)
    assert r.status_code == 303 and r.headers["location"] == "/neem-contact-op/verstuurd"
    qredits = register.aanbieder_rij(session=session, aanbieder_id="qredits")
    (h,) = session.scalars(select(Hulpvraag)).all()
    (dv,) = session.scalars(select(Doorverwijzing)).all()
    assert h.aanbieder_id == zv.ZELF and h.aangemaakt_door == zv.ZELF
    assert (h.ondernemer_naam, h.ondernemer_email, h.kvk_nummer) == (
        "Jan de Vries",
        "jan.devries@example.nl",
        "12345678",
    )
    assert h.gemeente_code == "GM0080" and h.themas
    assert (dv.van_aanbieder_id, dv.naar_aanbieder_id, dv.status) == (
        zv.ZELF,
        qredits.id,
        "verzonden",
    )
    t = session.get(Toestemming, dv.toestemming_id)
    assert t.naar_aanbieder_id == qredits.id and t.geldig()
    assert t.kanaal == "zelf" and t.vastgelegd_door is None and "Qredits" in t.doel
    assert h.toestemming_voor(qredits.id) is t
    assert h.eerste_hop_toestemming() is None, "no open consent for 'whoever comes next'"
    acties = {
        (a.actie, a.rol)
        for a in session.scalars(select(AuditRegel))
        if a.object_id in {str(h.id), str(dv.id)}
    }
    assert {("aanmaken", "anoniem"), ("doorverwijzen", "anoniem")} <= acties
    assert ("toestemming_vastleggen", "anoniem") in acties


def test_the_receiver_is_told_and_the_entrepreneur_gets_the_private_link(client, session, tokens):
    stuur(client)
    berichten = {json.loads(b.inhoud)["type"]: b for b in session.scalars(select(Bericht))}
    nieuw = berichten["doorverwijzing.nieuw"]
    assert nieuw.bestemming == "b@qredits.example.nl"
    bevestiging = berichten["ondernemer.zelfverwijzing"]
    assert bevestiging.bestemming == FORMULIER["email"]
    tekst = kanalen.mailtekst(bevestiging.onderwerp, bevestiging.inhoud)
    assert "Qredits" in tekst and "/mijn-hulpvraag/" in tekst
    for b in berichten.values():
        assert not any(p in b.inhoud + b.onderwerp for p in PERSOONSGEGEVENS)
    # the confirmation page shows the same private link, once
    pagina = client.get("/neem-contact-op/verstuurd").text
    link = re.search(r'href="(/mijn-hulpvraag/[^"]+)"', pagina).group(1)
    assert link == json.loads(bevestiging.inhoud)["link"].split("127.0.0.1:8000")[-1]
    assert "/mijn-hulpvraag/" not in client.get("/neem-contact-op/verstuurd").text
    prive = client.get(link)
    assert prive.status_code == 200
    assert "Uw vraag is doorgestuurd naar <strong>Qredits" in prive.text
    assert zv.ZELF_NAAM in prive.text and "onbekend" not in prive.text, "the sender is named"


def test_without_consent_to_mail_no_mail_but_the_link_on_the_page(client, session, tokens):
    stuur(client, berichten="", email="")
    soorten = [json.loads(b.inhoud)["type"] for b in session.scalars(select(Bericht))]
    assert "ondernemer.zelfverwijzing" not in soorten and "doorverwijzing.nieuw" in soorten
    assert "/mijn-hulpvraag/" in client.get("/neem-contact-op/verstuurd").text
    (h,) = session.scalars(select(Hulpvraag)).all()
    assert h.ondernemer_email is None and h.ondernemer_telefoon == "0612345678"


def test_only_the_receiver_reads_it_and_the_lifecycle_is_the_same(client, session, tokens):
    stuur(client)
    (dv,) = session.scalars(select(Doorverwijzing)).all()
    inbox = client.get("/api/v1/doorverwijzingen?richting=in", headers=bearer(tokens["qredits"]))
    assert [d["id"] for d in inbox.json()["resultaten"]] == [str(dv.id)]
    gelezen = client.get(f"/api/v1/doorverwijzingen/{dv.id}", headers=bearer(tokens["qredits"]))
    assert gelezen.json()["gegevens"]["ondernemer"]["naam"] == "Jan de Vries"
    assert gelezen.json()["status"] == "ontvangen", "the receiver's first look marks it"
    assert gelezen.json()["van_aanbieder"] == {"id": str(zv.ZELF), "naam": zv.ZELF_NAAM}
    for url in (
        f"/api/v1/doorverwijzingen/{dv.id}",
        f"/api/v1/hulpvragen/{dv.hulpvraag_id}/inzage",
    ):
        anders = client.get(url, headers=bearer(tokens["rvo"]))
        assert anders.status_code == 404 and "Jan de Vries" not in anders.text
    assert (
        client.get("/api/v1/doorverwijzingen", headers=bearer(tokens["rvo"])).json()["totaal"] == 0
    )
    assert client.get(f"/api/v1/doorverwijzingen/{dv.id}").status_code == 401
    r = client.patch(
        f"/api/v1/doorverwijzingen/{dv.id}",
        json={"status": "geaccepteerd"},
        headers=bearer(tokens["qredits"]),
    )
    assert r.status_code == 200, r.text
    soorten = [json.loads(b.inhoud)["type"] for b in session.scalars(select(Bericht))]
    assert "ondernemer.geaccepteerd" in soorten, "the entrepreneur hears it, like any referral"


def test_withdrawal_on_the_private_page_stops_sharing(client, session, tokens):
    stuur(client)
    link = re.search(
        r'href="(/mijn-hulpvraag/[^"]+)"', client.get("/neem-contact-op/verstuurd").text
    )
    prive = link.group(1)
    (dv,) = session.scalars(select(Doorverwijzing)).all()
    bevestig = client.get(f"{prive}/intrekken")
    r = client.post(
        f"{prive}/intrekken", data={"csrf": _csrf(bevestig.text)}, follow_redirects=False
    )
    assert r.status_code == 303
    gelezen = client.get(f"/api/v1/doorverwijzingen/{dv.id}", headers=bearer(tokens["qredits"]))
    assert gelezen.status_code == 200 and gelezen.json()["gegevens"] is None
    assert "Jan de Vries" not in gelezen.text
    inzage = client.get(
        f"/api/v1/hulpvragen/{dv.hulpvraag_id}/inzage", headers=bearer(tokens["qredits"])
    )
    assert inzage.status_code == 404


def test_an_unreachable_aanbieder_gets_no_form_and_no_referral(client, session, tokens):
    slug = _onbereikbaar(session)
    pagina = client.get(f"/neem-contact-op/{slug}")
    assert pagina.status_code == 200 and "Neem zelf contact op" in pagina.text
    assert 'name="toestemming"' not in pagina.text
    csrf = _csrf(client.get("/neem-contact-op/qredits").text)
    r = client.post(f"/neem-contact-op/{slug}", data={**FORMULIER, "csrf": csrf})
    assert r.status_code == 400 and "Neem zelf contact op" in r.text
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 0
    with pytest.raises(zv.Ongeldig) as e:
        zv.create_zelfverwijzing(
            session=session,
            data=zv.NieuweZelfverwijzing(
                naar_aanbieder=slug,
                naam="Jan de Vries",
                vraag=VRAAG,
                email=FORMULIER["email"],
                toestemming=True,
            ),
        )
    assert e.value.veld == "naar_aanbieder"
    assert session.scalar(select(func.count()).select_from(Doorverwijzing)) == 0


def test_a_market_party_cannot_take_a_self_referral(client, session, tokens):
    markt = register.get_all_aanbieders(session=session, soort="privaat")[0][0]
    markt.email = "info@markt.example.nl"
    session.flush()
    assert not zv.ontvanger(session=session, aanbieder_id=markt.slug).mogelijk
    assert str(markt.id) not in zv.mogelijk_bij(session=session, aanbieder_ids=[str(markt.id)])
    assert 'name="toestemming"' not in client.get(f"/neem-contact-op/{markt.slug}").text
    csrf = _csrf(client.get("/neem-contact-op/qredits").text)
    r = client.post(f"/neem-contact-op/{markt.slug}", data={**FORMULIER, "csrf": csrf})
    assert r.status_code == 400
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 0


def test_every_problem_at_once_and_nothing_written(client, session, tokens):
    r = stuur(
        client, naam="", email="jan@", telefoon="12", kvk_nummer="123", vraag="", toestemming=""
    )
    assert r.status_code == 400
    overzicht = r.text.split('id="foutoverzicht"')[1].split("</div>")[0]
    assert re.findall(r'<a href="#(\w+)">', overzicht) == [
        "naam",
        "email",
        "telefoon",
        "kvk_nummer",
        "vraag",
        "toestemming",
    ]
    assert 'value="jan@"' in r.text, "what was typed stays"
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 0
    r = stuur(client, email="", telefoon="", berichten="ja", gemeente="Xqzwyk")
    assert r.status_code == 400
    assert "e-mailadres of uw telefoonnummer" in r.text and 'id="berichten-fout"' in r.text
    assert 'id="gemeente-fout"' in r.text, "the gemeente's problem with the others, not after"
    r = stuur(client, email="piet@", gemeente="Zwoll")
    assert 'id="email-fout"' in r.text and "Bedoelt u Zwolle?" in r.text
    r = stuur(client, gemeente="Xqzwyk")
    assert r.status_code == 400 and 'id="gemeente-fout"' in r.text
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 0


def test_without_a_csrf_token_nothing_is_sent(client, session, tokens):
    r = client.post("/neem-contact-op/qredits", data=FORMULIER)
    assert r.status_code == 403
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 0


def test_one_client_is_limited(client, session, tokens, monkeypatch):
    monkeypatch.setattr(zelf_pages, "limiet", zelf_pages.Limiet(aantal=2, seconden=3600))
    assert stuur(client).status_code == 303
    assert stuur(client).status_code == 303
    r = stuur(client)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 3500
    assert session.scalar(select(func.count()).select_from(Hulpvraag)) == 2


def test_the_limit_forgets_after_its_window():
    limiet = zelf_pages.Limiet(aantal=2, seconden=60)
    limiet.tel("a", nu=0)
    limiet.tel("a", nu=10)
    assert limiet.wacht("a", nu=20) == 41 and limiet.wacht("b", nu=20) == 0
    assert limiet.wacht("a", nu=60.5) == 0, "the first one left the window"
    assert limiet.wacht("a", nu=200) == 0 and limiet._tijden == {}, "forgotten"


def test_no_personal_data_in_the_logs(client, session, tokens, caplog):
    with caplog.at_level(logging.DEBUG):
        stuur(client)
        client.get("/neem-contact-op/verstuurd")
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert not any(p in log for p in PERSOONSGEGEVENS)
    assert not re.search(r"/mijn-hulpvraag/[A-Za-z0-9_-]{8,}", log)


def test_unknown_aanbieder_is_404(client):
    assert client.get(f"/neem-contact-op/{uuid.uuid4()}").status_code == 404
    assert client.post("/neem-contact-op/bestaat-niet/formulier", data={}).status_code == 404


def test_the_receivers_pages_name_the_entrepreneur_as_sender(app, client, session):
    accounts.create(
        session=session,
        email="b@qredits.example.nl",
        rol="adviseur",
        aanbieder="qredits",
        wachtwoord="lang-genoeg-wachtwoord",
    )
    session.flush()
    stuur(client)
    (dv,) = session.scalars(select(Doorverwijzing)).all()
    ontvanger = TestClient(app)
    csrf = _csrf(ontvanger.get("/inloggen").text)
    r = ontvanger.post(
        "/inloggen",
        data={
            "email": "b@qredits.example.nl",
            "wachtwoord": "lang-genoeg-wachtwoord",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    inbox = ontvanger.get("/doorverwijzingen").text
    assert f"Van {zv.ZELF_NAAM}" in inbox
    pagina = ontvanger.get(f"/doorverwijzingen/{dv.id}").text
    assert f"Doorverwijzing van {zv.ZELF_NAAM} naar Qredits" in pagina
    assert "Jan de Vries" in pagina and "onbekend" not in pagina


def test_the_same_form_sent_twice_makes_one_case_and_shows_its_link_both_times(
    client, session, tokens
):
    """A double tap on "Verstuur" made two cases and showed the link of one: the other case's
    data (name, e-mail, question) had a private code nobody ever saw, so the entrepreneur could
    not view, withdraw or delete it. The form carries an id; the code follows from it."""
    r = client.post(
        "/neem-contact-op/qredits/formulier",
        data={"vraag": VRAAG, "gemeente": "Leeuwarden", "dienst": ""},
    )
    formulier = r.text.split('name="formulier" value="')[1].split('"')[0]
    data = {**FORMULIER, "csrf": _csrf(r.text), "formulier": formulier}
    links = []
    for _ in range(2):
        r = client.post("/neem-contact-op/qredits", data=data, follow_redirects=False)
        assert r.status_code == 303, r.text
        pagina = client.get("/neem-contact-op/verstuurd").text
        links.append(pagina.split("/mijn-hulpvraag/")[1].split('"')[0])
    assert len(session.scalars(select(Hulpvraag)).all()) == 1
    assert len(session.scalars(select(Doorverwijzing)).all()) == 1
    assert links[0] == links[1]
    assert client.get(f"/mijn-hulpvraag/{links[0]}").status_code == 200
    # another form (a new question) is another case
    r = client.post(
        "/neem-contact-op/qredits/formulier",
        data={"vraag": VRAAG, "gemeente": "Leeuwarden", "dienst": ""},
    )
    nieuw = r.text.split('name="formulier" value="')[1].split('"')[0]
    assert nieuw != formulier
    data = {**FORMULIER, "csrf": _csrf(r.text), "formulier": nieuw}
    assert client.post("/neem-contact-op/qredits", data=data).status_code == 200
    assert len(session.scalars(select(Hulpvraag)).all()) == 2


def test_a_desk_with_a_self_referral_is_not_offered_a_question_to_nobody(client, session):
    """The desk's "Een vraag aan ..." on a self-referral said "verstuurd naar de organisatie die
    doorverwees": there is none, and nothing was sent. The entrepreneur gave their own contact
    data, so the desk is told to contact them; the e-mail row is left out when none was given
    (it read "mailto:None")."""
    r = stuur(client, aanbieder="gemeente-zwolle", email="", berichten="", gemeente="Zwolle")
    assert r.status_code == 303, r.text
    (b,) = [
        b
        for b in session.scalars(select(Bericht))
        if json.loads(b.inhoud)["type"] == "doorverwijzing.link"
    ]
    tekst = kanalen.mailtekst(b.onderwerp, b.inhoud)
    url = "/" + re.search(r"https?://\S+/aanbieder-link/(\S+)", tekst).group(0).split("/", 3)[3]
    balie = TestClient(client.app)
    pagina = balie.get(url).text
    csrf = _csrf(pagina)
    data = {"naam": "Riet Balie", "email": "riet@zwolle.example.nl", "csrf": csrf}
    assert balie.post(f"{url}/neem", data=data, follow_redirects=False).status_code == 303
    pagina = balie.get(url).text
    assert "Jan de Vries" in pagina and "direct contact op met de ondernemer" in pagina
    assert "Vraag versturen" not in pagina and "mailto:None" not in pagina
    r = balie.post(f"{url}/vraag", data={"tekst": "Eenmanszaak of bv?", "csrf": _csrf(pagina)})
    assert "direct contact op met de ondernemer" in r.text
    soorten = [json.loads(b.inhoud)["type"] for b in session.scalars(select(Bericht))]
    assert "doorverwijzing.vraag" not in soorten
