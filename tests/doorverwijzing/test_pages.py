"""The referral pages an adviser's day runs on (issue 11 §6), without JavaScript: the intake
form shows every error at once, the referral form offers every partner with nothing chosen
and unreachable ones blocked, personal data only for the holder, the entrepreneur confirms
before withdrawing or removing and reads their data, and a provider without users answers
through the link from its e-mail. Runs on SQLite and PostgreSQL."""

import json
import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from stelsel.accounts import service as accounts
from stelsel.doorverwijzing.models import AanbiederLink, Doorverwijzing, Hulpvraag
from stelsel.meldingen import kanalen
from stelsel.meldingen.models import Bericht
from stelsel.register import service as register
from tests.factories import VRAAG

WACHTWOORD = "lang-genoeg-wachtwoord"
INTAKE = {
    "naam": "Jan de Vries",
    "email": "jan.devries@example.nl",
    "telefoon": "0612345678",
    "kvk_nummer": "12345678",
    "vraag": VRAAG,
    "gemeente": "Leeuwarden",
    "urgentie": "normaal",
    "toestemming": "ja",
    "berichten": "ja",
}
BALIE = "balie@rvo.example.nl"


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def inloggen(client: TestClient, email: str) -> None:
    r = client.post(
        "/inloggen",
        data={
            "email": email,
            "wachtwoord": WACHTWOORD,
            "csrf": _csrf(client.get("/inloggen").text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def post(client: TestClient, url: str, data: dict, bron: str | None = None):
    """A form post with the CSRF token of the page it is on (or of `bron`)."""
    csrf = _csrf(client.get(bron or url).text)
    return client.post(url, data={**data, "csrf": csrf}, follow_redirects=False)


class Opties(HTMLParser):
    """The options of one <select>, with their optgroup."""

    def __init__(self, select_id: str):
        super().__init__()
        self.id, self.binnen, self.groep = select_id, False, None
        self.opties: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.binnen = a.get("id") == self.id
        elif self.binnen and tag == "optgroup":
            self.groep = a.get("label")
        elif self.binnen and tag == "option":
            self.opties.append(
                {
                    "value": a.get("value"),
                    "disabled": "disabled" in a,
                    "selected": "selected" in a,
                    "groep": self.groep,
                    "tekst": "",
                }
            )

    def handle_endtag(self, tag):
        if tag == "select":
            self.binnen = False

    def handle_data(self, data):
        if self.binnen and self.opties:
            self.opties[-1]["tekst"] += data


def opties(html: str, select_id: str = "naar_aanbieder") -> list[dict]:
    p = Opties(select_id)
    p.feed(html)
    return p.opties


@pytest.fixture
def mensen(app, client, session):
    """KVK's adviser (logged in on `client`), Qredits' adviser on a client of its own; RVO has
    no users but a desk address in the register."""
    for email, aanbieder in [("a@kvk.example.nl", "kvk"), ("b@qredits.example.nl", "qredits")]:
        accounts.create(
            session=session, email=email, rol="adviseur", aanbieder=aanbieder, wachtwoord=WACHTWOORD
        )
    rvo = register.aanbieder_rij(session=session, aanbieder_id="rvo")
    rvo.email = BALIE
    session.flush()
    inloggen(client, "a@kvk.example.nl")
    qredits = TestClient(app)
    inloggen(qredits, "b@qredits.example.nl")
    return {"kvk": client, "qredits": qredits}


def intake(client: TestClient, **anders) -> str:
    """A case taken through the intake form; returns its page's URL."""
    r = post(client, "/hulpvragen/nieuw", {**INTAKE, **anders})
    assert r.status_code == 303, r.text
    return r.headers["location"]


def verwijs(client: TestClient, zaak: str, naar: str, **extra):
    return post(client, f"{zaak}/doorverwijzen", {"naar_aanbieder": naar, **extra}, bron=zaak)


def prive_code(session) -> str:
    """The entrepreneur's private code, from the confirmation message in the outbox."""
    b = session.scalars(select(Bericht).where(Bericht.onderwerp == "Uw vraag is genoteerd")).one()
    return json.loads(b.inhoud)["link"].rsplit("/", 1)[1]


def zaak_van(session) -> str:
    return f"/hulpvragen/{session.scalars(select(Hulpvraag)).one().id}"


def berichten(session, soort: str) -> list[Bericht]:
    return [b for b in session.scalars(select(Bericht)) if json.loads(b.inhoud)["type"] == soort]


# The intake form ----------------------------------------------------------------------------


def test_intake_shows_every_error_at_once_in_a_focused_summary(mensen):
    kvk = mensen["kvk"]
    r = post(
        kvk,
        "/hulpvragen/nieuw",
        {
            "naam": "",
            "email": "jan@",
            "telefoon": "abc",
            "kvk_nummer": "1234",
            "vraag": "",
            "gemeente": "Xqzwyk",
        },
    )
    assert r.status_code == 400
    summary = r.text.split('id="foutoverzicht"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#(\w+)">', summary)
    assert links == ["naam", "email", "telefoon", "kvk_nummer", "gemeente", "vraag"]
    assert (
        'autofocus aria-labelledby="foutoverzicht-titel"' in r.text.split('id="foutoverzicht"')[0]
    )
    for veld in links:
        assert f'id="{veld}-fout"' in r.text and f'id="{veld}"' in r.text
    assert 'value="jan@"' in r.text  # what was typed stays
    assert kvk.get("/doorverwijzingen").text.count("kaart") == 0


def test_intake_records_consent_to_messages_and_sends_the_private_link(mensen, session):
    intake(mensen["kvk"])
    (bevestiging,) = berichten(session, "ondernemer.bevestiging")
    assert bevestiging.bestemming == INTAKE["email"]
    tekst = kanalen.mailtekst(bevestiging.onderwerp, bevestiging.inhoud)
    assert "/mijn-hulpvraag/" in tekst and "Kamer van Koophandel" in tekst
    assert VRAAG not in tekst


def test_without_consent_to_messages_the_entrepreneur_gets_no_mail(mensen, session):
    intake(mensen["kvk"], berichten="")
    assert berichten(session, "ondernemer.bevestiging") == []


# The case page and the referral form ----------------------------------------------------------


def test_referral_form_offers_every_partner_with_nothing_chosen(mensen, session):
    zaak = intake(mensen["kvk"])
    o = opties(mensen["kvk"].get(zaak).text)
    assert o[0]["value"] == "" and not any(x["selected"] for x in o)
    voorgesteld = [x for x in o if x["groep"] == "Voorgesteld"]
    overige = [x for x in o if x["groep"] == "Alle organisaties (A tot Z)"]
    assert voorgesteld, "the wegwijzer's suggestions come first"
    assert o.index(voorgesteld[-1]) < o.index(overige[0])
    assert len(voorgesteld) + len(overige) > 100, "any partner in the register, not 5"
    waarden = [x["value"] for x in o]
    assert "kvk" not in waarden, "not one's own organisation"
    (rvo,) = [x for x in o if x["value"] == "rvo"]
    assert "krijgt een e-mail met een link" in rvo["tekst"] and not rvo["disabled"]
    (qredits,) = [x for x in o if x["value"] == "qredits"]
    assert not qredits["disabled"] and "(" not in qredits["tekst"].split(":")[-1]
    onbereikbaar = [x for x in o if x["disabled"]]
    assert onbereikbaar and all("niet bereikbaar" in x["tekst"] for x in onbereikbaar)
    assert "geen gebruikers en geen e-mailadres" in mensen["kvk"].get(zaak).text


def test_an_unreachable_provider_cannot_be_chosen(mensen, session):
    zaak = intake(mensen["kvk"])
    onbereikbaar = next(x for x in opties(mensen["kvk"].get(zaak).text) if x["disabled"])
    r = verwijs(mensen["kvk"], zaak, onbereikbaar["value"])
    assert r.status_code == 400
    assert "niet bereikbaar via stelsel" in r.text and 'id="foutoverzicht"' in r.text
    assert session.scalars(select(Doorverwijzing)).all() == []


def test_referring_without_a_choice_says_so(mensen, session):
    zaak = intake(mensen["kvk"])
    r = verwijs(mensen["kvk"], zaak, "", toestemming="ja")
    assert r.status_code == 400
    assert '<a href="#naar_aanbieder">Kies de organisatie' in r.text
    assert '<a href="#kanaal">' in r.text, "every error at once"


def test_personal_data_only_for_who_holds_the_case(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    zaak = intake(kvk)
    assert "Jan de Vries" in kvk.get(zaak).text
    r = verwijs(kvk, zaak, "qredits", notitie="Belt liever na vijven")
    assert r.status_code == 303, r.text
    dv = r.headers["location"]
    sender = kvk.get(zaak).text
    assert "Jan de Vries" not in sender and "voorbij uw stap" in sender
    assert 'id="naar_aanbieder"' not in sender, "no referral form past one's hop"
    assert "Jan de Vries" not in kvk.get(dv).text
    receiver = qredits.get(dv).text
    assert "Jan de Vries" in receiver and "Belt liever na vijven" in receiver
    assert "Jan de Vries" in qredits.get(zaak).text


def test_a_further_hop_needs_consent_for_that_recipient(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    zaak = intake(kvk)
    dv = verwijs(kvk, zaak, "qredits").headers["location"]
    post(qredits, f"{dv}/status", {"status": "geaccepteerd"}, bron=dv)
    r = verwijs(qredits, zaak, "rvo")
    assert r.status_code == 400
    assert "geen toestemming gegeven om gegevens te delen met Rijksdienst" in r.text
    r = verwijs(qredits, zaak, "rvo", toestemming="ja")
    assert r.status_code == 400 and "Kies hoe de ondernemer toestemming gaf" in r.text
    r = verwijs(qredits, zaak, "rvo", toestemming="ja", kanaal="telefoon")
    assert r.status_code == 303, r.text
    h = session.scalars(select(Hulpvraag)).one()
    session.refresh(h)
    rvo = register.aanbieder_rij(session=session, aanbieder_id="rvo")
    assert h.toestemming_voor(rvo.id).kanaal == "telefoon"


def test_asking_the_entrepreneur_for_consent_through_the_private_page(mensen, session, client):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    zaak = intake(kvk)
    code = prive_code(session)
    dv = verwijs(kvk, zaak, "qredits").headers["location"]
    post(qredits, f"{dv}/status", {"status": "geaccepteerd"}, bron=dv)
    r = post(qredits, f"{zaak}/toestemming-vragen", {"naar_aanbieder": "rvo"}, bron=zaak)
    assert r.status_code == 303
    assert "staat op de persoonlijke pagina" in qredits.get(zaak).text
    assert berichten(session, "ondernemer.toestemmingsverzoek")

    ondernemer = TestClient(client.app)
    pagina = ondernemer.get(f"/mijn-hulpvraag/{code}").text
    assert "Ja, deel met Rijksdienst voor Ondernemend Nederland" in pagina
    actie = re.search(r'action="(/mijn-hulpvraag/[^"]+/toestemming/[^"]+)"', pagina).group(1)
    r = ondernemer.post(
        actie, data={"antwoord": "ja", "csrf": _csrf(pagina)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "Uw gegevens mogen naar Rijksdienst" in ondernemer.get(f"/mijn-hulpvraag/{code}").text
    assert verwijs(qredits, zaak, "rvo").status_code == 303, "the entrepreneur's yes is enough"


def test_timeline_shows_notes_only_to_the_holder(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    zaak = intake(kvk)
    dv = verwijs(kvk, zaak, "qredits").headers["location"]
    r = post(qredits, f"{dv}/notitie", {"tekst": "Gebeld, belt morgen terug"}, bron=dv)
    assert r.status_code == 303
    assert "Gebeld, belt morgen terug" in qredits.get(dv).text
    assert "Gebeld, belt morgen terug" in qredits.get(zaak).text
    sender = kvk.get(zaak).text
    assert "<strong>Notitie</strong>" in sender and "Gebeld, belt morgen terug" not in sender


# Inbox and outbox ------------------------------------------------------------------------------


def test_inbox_rows_show_names_labels_and_deadline_not_codes(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    verwijs(kvk, intake(kvk), "qredits")
    inbox = qredits.get("/doorverwijzingen").text
    assert "Van Kamer van Koophandel" in inbox
    assert "Doorverwijzing 1" not in inbox
    assert '<li class="label">Financiering</li>' in inbox
    assert ">financiering<" not in inbox
    assert "eerste contact voor" in inbox and "Verzonden" in inbox
    assert "<table" not in inbox, "cards: no sideways scrolling on a phone"
    outbox = kvk.get("/doorverwijzingen").text
    assert "Naar Qredits Microfinanciering Nederland" in outbox


def test_inbox_filters_sorts_and_searches_on_the_server(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    verwijs(kvk, intake(kvk), "qredits")
    assert "Van Kamer" in qredits.get("/doorverwijzingen", params={"status": "open"}).text
    assert "Van Kamer" not in qredits.get("/doorverwijzingen", params={"status": "afgerond"}).text
    assert "Van Kamer" in qredits.get("/doorverwijzingen", params={"zoek": "kamer van"}).text
    assert "Van Kamer" in qredits.get("/doorverwijzingen", params={"zoek": "financ"}).text
    gezocht = qredits.get("/doorverwijzingen", params={"zoek": "bakkerij"}).text
    assert "Van Kamer" not in gezocht and "Geen doorverwijzingen die passen" in gezocht
    r = qredits.get("/doorverwijzingen", params={"sorteer": "termijn", "status": "onzin"})
    assert r.status_code == 200 and "Van Kamer" in r.text


# The referral page -----------------------------------------------------------------------------


def test_referral_page_offers_the_partys_steps_with_coded_reasons(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    dv = verwijs(kvk, intake(kvk), "qredits").headers["location"]
    pagina = qredits.get(dv).text
    assert ">Accepteren</button>" in pagina and ">Weigeren</button>" in pagina
    assert ">Annuleren</button>" not in pagina
    redenen = [x["value"] for x in opties(pagina, "reden_code-geweigerd")]
    assert redenen == ["", "geen_capaciteit", "voldoet_niet", "niet_bereikbaar"] + [
        "verkeerde_doorverwijzing",
        "anders",
    ]
    assert ">Annuleren</button>" in kvk.get(dv).text and ">Accepteren<" not in kvk.get(dv).text
    post(qredits, f"{dv}/status", {"status": "geweigerd", "reden_code": "anders"}, bron=dv)
    pagina = qredits.get(dv).text
    assert "korte toelichting verplicht" in pagina and 'id="status">Ontvangen' in pagina
    post(
        qredits,
        f"{dv}/status",
        {"status": "geweigerd", "reden_code": "anders", "reden": "Past niet bij ons"},
        bron=dv,
    )
    assert 'id="status">Geweigerd' in qredits.get(dv).text
    assert "Reden: Anders" in kvk.get(zaak_van(session)).text, "the sender sees the reason code"
    assert "Anders: Past niet bij ons" in kvk.get(dv).text, "declined: the case is back with KVK"


# The entrepreneur's page ----------------------------------------------------------------------


def test_entrepreneur_sees_who_contacts_them_and_by_when(mensen, session, client):
    kvk = mensen["kvk"]
    verwijs(kvk, intake(kvk), "qredits")
    dv = session.scalars(select(Doorverwijzing)).one()
    pagina = TestClient(client.app).get(f"/mijn-hulpvraag/{prive_code(session)}").text
    datum = dv.eerste_contact_voor.strftime("%d-%m-%Y")
    assert f"neemt uiterlijk <strong>{datum}</strong> contact met u op" in pagina
    assert "Qredits Microfinanciering Nederland" in pagina.split('id="wie"')[1].split("</div>")[0]


@pytest.mark.parametrize("actie", ["intrekken", "verwijderen"])
def test_withdraw_and_remove_ask_for_confirmation_first(mensen, session, client, actie):
    intake(mensen["kvk"])
    code = prive_code(session)
    ondernemer = TestClient(client.app)
    hoofd = ondernemer.get(f"/mijn-hulpvraag/{code}").text
    assert f'<a href="/mijn-hulpvraag/{code}/{actie}">' in hoofd, "a link, not a one-tap button"
    bevestig = ondernemer.get(f"/mijn-hulpvraag/{code}/{actie}")
    assert bevestig.status_code == 200
    assert f'<form method="post" action="/mijn-hulpvraag/{code}/{actie}"' in bevestig.text
    assert "Nee, terug" in bevestig.text
    h = session.scalars(select(Hulpvraag)).one()
    session.refresh(h)
    assert h.ingetrokken_op is None and h.ondernemer_naam == "Jan de Vries", "GET changes nothing"
    r = ondernemer.post(
        f"/mijn-hulpvraag/{code}/{actie}",
        data={"csrf": _csrf(bevestig.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.refresh(h)
    assert h.ingetrokken_op is not None
    assert (h.ondernemer_naam is None) == (actie == "verwijderen")
    if actie == "verwijderen":  # what was given and removed does not read as never given
        gegevens = ondernemer.get(f"/mijn-hulpvraag/{code}/inzage").text.split("</dl>")[0]
        assert gegevens.count("(verwijderd)") == 5 and "(niet opgegeven)" not in gegevens


def test_inzage_is_a_readable_page_and_a_file(mensen, session, client):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    dv = verwijs(kvk, intake(kvk), "qredits", notitie="Belt liever na vijven").headers["location"]
    post(qredits, f"{dv}/notitie", {"tekst": "Gebeld, belt morgen terug"}, bron=dv)
    code = prive_code(session)
    ondernemer = TestClient(client.app)
    r = ondernemer.get(f"/mijn-hulpvraag/{code}/inzage")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for tekst in [
        "Jan de Vries",
        "12345678",
        "Financiering",
        "Gegevens delen met Qredits Microfinanciering Nederland",
        "Kamer van Koophandel → Qredits Microfinanciering Nederland",
        "Belt liever na vijven",
        "Gebeld, belt morgen terug",
        "Wie uw gegevens bekeek of wijzigde",
        "Qredits Microfinanciering Nederland (adviseur)",
    ]:
        assert tekst in r.text, tekst
    bestand = ondernemer.get(f"/mijn-hulpvraag/{code}/inzage.json")
    assert "attachment" in bestand.headers["content-disposition"]
    assert bestand.json()["hulpvraag"]["ondernemer"]["naam"] == "Jan de Vries"
    assert ondernemer.get("/mijn-hulpvraag/verkeerde-code/inzage").status_code == 404


def test_the_link_in_the_entrepreneurs_mails_leads_somewhere(mensen, client):
    r = TestClient(client.app).get("/mijn-hulpvraag")
    assert r.status_code == 200 and "persoonlijke link" in r.text


# A provider without users: the link -------------------------------------------------------------


def _link(session) -> str:
    (b,) = berichten(session, "doorverwijzing.link")
    assert b.bestemming == BALIE
    tekst = kanalen.mailtekst(b.onderwerp, b.inhoud)
    assert VRAAG not in tekst and "Jan de Vries" not in tekst
    return re.search(r"https?://\S+/aanbieder-link/(\S+)", tekst).group(0).split("/", 3)[3]


def test_a_provider_without_users_answers_through_the_link(mensen, session, client):
    kvk = mensen["kvk"]
    zaak = intake(kvk)
    assert verwijs(kvk, zaak, "rvo").status_code == 303
    url = "/" + _link(session)
    balie = TestClient(client.app)
    eerst = balie.get(url)
    assert eerst.status_code == 200
    assert "Jan de Vries" not in eerst.text, "no data before they say who they are"
    r = post(balie, f"{url}/neem", {"naam": "Riet Balie", "email": "riet@rvo.example.nl"}, url)
    assert r.status_code == 303
    pagina = balie.get(url).text
    assert "Jan de Vries" in pagina and ">Accepteren</button>" in pagina
    r = post(balie, f"{url}/status", {"status": "geaccepteerd"}, url)
    assert r.status_code == 303
    assert 'id="status">Geaccepteerd' in balie.get(url).text
    assert berichten(session, "ondernemer.geaccepteerd"), "the entrepreneur hears of it"
    r = post(balie, f"{url}/vraag", {"tekst": "Mag ik de jaarcijfers zien?"}, url)
    assert r.status_code == 303
    # the sender is told who asks and how to reach them, not the question (it cannot read it)
    (vraag,) = berichten(session, "doorverwijzing.vraag")
    tekst = kanalen.mailtekst(vraag.onderwerp, vraag.inhoud)
    assert "riet@rvo.example.nl" in tekst and "jaarcijfers" not in tekst
    post(balie, f"{url}/status", {"status": "afgerond", "uitkomst": "opgelost"}, url)
    assert (
        'id="status">Afgerond: opgelost' in kvk.get(zaak).text.replace("", "")
        or "Afgerond (opgelost)" in kvk.get(zaak).text
    )

    collega = TestClient(client.app)
    r = post(collega, f"{url}/neem", {"naam": "Piet", "email": "piet@rvo.example.nl"}, url)
    assert r.status_code == 400 and "al in gebruik" in r.text
    assert "Jan de Vries" not in collega.get(url).text
    assert post(collega, f"{url}/status", {"status": "mislukt"}, url).status_code == 303


def test_a_bad_link_is_a_clear_404(client):
    r = client.get("/aanbieder-link/dit-is-geen-token")
    assert r.status_code == 404 and "Deze link werkt niet" in r.text


def test_a_claimed_link_stops_and_the_person_logs_in(mensen, session, client):
    kvk = mensen["kvk"]
    verwijs(kvk, intake(kvk), "rvo")
    url = "/" + _link(session)
    balie = TestClient(client.app)
    post(balie, f"{url}/neem", {"naam": "Riet Balie", "email": "riet@rvo.example.nl"}, url)
    r = post(balie, f"{url}/account", {"wachtwoord": "kort", "herhaal": "kort"}, url)
    # the form's pattern: a focused summary that links to the field, the error beside it
    assert r.status_code == 400 and 'id="foutoverzicht"' in r.text
    assert '<a href="#wachtwoord">Minstens 12 tekens' in r.text
    assert 'id="wachtwoord-fout"' in r.text
    r = post(balie, f"{url}/vraag", {"tekst": "  "}, url)
    assert r.status_code == 400 and '<a href="#vraag-tekst">Schrijf eerst uw vraag.' in r.text
    zin = "paarse olifant fietst naar zee"
    r = post(balie, f"{url}/account", {"wachtwoord": zin, "herhaal": zin}, url)
    assert r.status_code == 200 and "Uw account is gemaakt" in r.text
    weg = balie.get(url)
    assert weg.status_code == 404 and 'href="/inloggen"' in weg.text
    assert session.scalars(select(AanbiederLink)).one().ingetrokken_op is not None
    nieuw = TestClient(client.app)
    csrf = _csrf(nieuw.get("/inloggen").text)
    r = nieuw.post(
        "/inloggen",
        data={"email": "riet@rvo.example.nl", "wachtwoord": zin, "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Van Kamer van Koophandel" in nieuw.get("/doorverwijzingen").text


def test_every_message_renders_and_none_carries_the_question(mensen, session):
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    zaak = intake(kvk)
    dv = verwijs(kvk, zaak, "qredits").headers["location"]
    post(qredits, f"{dv}/status", {"status": "geaccepteerd"}, bron=dv)
    post(qredits, f"{dv}/status", {"status": "in_behandeling"}, bron=dv)
    post(qredits, f"{zaak}/toestemming-vragen", {"naar_aanbieder": "techleap"}, bron=zaak)
    verwijs(qredits, zaak, "rvo", toestemming="ja", kanaal="gesprek")
    soorten = set()
    for b in session.scalars(select(Bericht).where(Bericht.kanaal == "email")):
        tekst = kanalen.mailtekst(b.onderwerp, b.inhoud)
        soorten.add(json.loads(b.inhoud)["type"])
        assert VRAAG not in tekst and "Jan de Vries" not in tekst and "0612345678" not in tekst
        assert "{{" not in tekst
    assert {
        "ondernemer.bevestiging",
        "ondernemer.geaccepteerd",
        "ondernemer.in_behandeling",
        "ondernemer.toestemmingsverzoek",
        "doorverwijzing.nieuw",
        "doorverwijzing.link",
    } <= soorten, soorten


def test_reloading_a_form_address_goes_back_to_its_page_not_a_405(mensen, session):
    """After an error the browser shows the form's POST address; a reload or a shared link of
    it (a GET) gave an English 405 'Method Not Allowed'."""
    kvk = mensen["kvk"]
    zaak = intake(kvk)
    r = kvk.get(f"{zaak}/doorverwijzen", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == zaak
    r = kvk.put(zaak)  # another method the page does not take: a Dutch page
    assert r.status_code == 405 and "Dit kan op dit adres niet." in r.text


def test_the_referral_figures_page_counts_the_reasons_and_shows_no_personal_data(
    app, mensen, session
):
    """The reasons were reported only in the API: a regiocoördinator or stelselregisseur had
    no page. Advisers get 403 there."""
    kvk, qredits = mensen["kvk"], mensen["qredits"]
    dv = verwijs(kvk, intake(kvk), "qredits").headers["location"]
    r = post(qredits, f"{dv}/status", {"status": "geweigerd", "reden_code": "geen_capaciteit"}, dv)
    assert r.status_code == 303
    accounts.create(
        session=session, email="s@ezk.example.nl", rol="stelselregisseur", wachtwoord=WACHTWOORD
    )
    regisseur = TestClient(app)
    inloggen(regisseur, "s@ezk.example.nl")
    pagina = regisseur.get("/doorverwijzingen/cijfers")
    assert pagina.status_code == 200 and "Heel Nederland" in pagina.text
    reden = pagina.text.split("Geen capaciteit</th>")[1].split("</tr>")[0]
    assert re.findall(r">(\d+)<", reden) == ["0", "1", "0"]  # geannuleerd, geweigerd, mislukt
    for waarde in (INTAKE["naam"], INTAKE["email"], INTAKE["vraag"]):
        assert waarde not in pagina.text
    assert kvk.get("/doorverwijzingen/cijfers").status_code == 403
