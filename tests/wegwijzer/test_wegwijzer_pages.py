"""The wegwijzer page (issue 15 §4-6): the clarifying question as a form that works without
JavaScript, cards with how to reach the door and why, the self-referral button only where a
question reaches a person, and the focus move after a search. Runs on SQLite and PostgreSQL."""

import re
from html.parser import HTMLParser

import pytest

from stelsel.accounts import service as accounts
from stelsel.register import service as register
from stelsel.wegwijzer import pages, service
from stelsel.wegwijzer.matching import Document
from stelsel.wegwijzer.pages import thema_deuren

VRAAG = "Ik heb 20.000 euro nodig voor een nieuwe bakoven"


class Formulieren(HTMLParser):
    """Every <form> with its action and fields (name -> value), and its submit buttons."""

    def __init__(self):
        super().__init__()
        self.formulieren: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.formulieren.append({"action": a.get("action"), "velden": {}, "knoppen": []})
        elif self.formulieren and tag == "input" and a.get("name"):
            self.formulieren[-1]["velden"][a["name"]] = a.get("value", "")
        elif self.formulieren and tag == "button":
            self.formulieren[-1]["knoppen"].append((a.get("name"), a.get("value")))


def formulieren(html: str) -> list[dict]:
    p = Formulieren()
    p.feed(html)
    return p.formulieren


def _advies(**extra) -> service.Advies:
    """An answer as the service gives it, for what the page does with each part."""
    r = [
        service.Resultaat(
            dienst_id="00000000-0000-0000-0000-000000000001",
            dienst_slug="qredits-microkrediet",
            dienst_naam="Microkrediet",
            aanbieder_id=str(register_id("qredits")),
            aanbieder_naam="Qredits",
            score=1.0,
            uitleg=["U zoekt geld voor een bakoven.", "Qredits leent kleine bedragen."],
            begin_hier=True,
            landelijk=True,
            contact=service.Contact(
                telefoon="(088) 123 45 67", website="https://qredits.nl", van_aanbieder=True
            ),
        ),
        service.Resultaat(
            dienst_id="00000000-0000-0000-0000-000000000002",
            dienst_slug="x",
            dienst_naam="Uw gemeente: ondernemersloket",
            aanbieder_id="00000000-0000-0000-0000-000000000003",
            aanbieder_naam="Uw gemeente",
            score=0.5,
            uitleg=["Elke gemeente heeft een loket."],
            begin_hier=False,
            landelijk=False,
            regio_nodig=True,
        ),
    ]
    return service.Advies(
        themas=["financiering"], soort="advies", ook_over=[], gemeente=None, resultaten=r, **extra
    )


_IDS: dict[str, object] = {}


def register_id(slug: str):
    return _IDS[slug]


class NepAdvies(list):
    """The calls the page made to the service (a list of keyword dicts) and the answer."""

    antwoord: service.Advies


@pytest.fixture
def nep_advies(session, monkeypatch) -> NepAdvies:
    """The page with a fixed answer instead of the matcher's."""
    _IDS["qredits"] = register.get_aanbieder(session=session, aanbieder_id="qredits").id
    nep = NepAdvies()
    nep.antwoord = _advies()

    def advies(**kw):
        nep.append(kw)
        return nep.antwoord

    monkeypatch.setattr(pages.service, "advies", advies)
    return nep


def _adviseur(session, slug: str):
    accounts.create(session=session, email=f"a@{slug}.example.nl", rol="adviseur", aanbieder=slug)
    session.flush()


def test_clarifying_question_is_a_form_that_resubmits_the_question(client, nep_advies):
    nep_advies.antwoord = _advies(
        vervolgvraag=service.Vervolgvraag(
            vraag="Gaat het om geld lenen, of om betalingsproblemen?",
            keuzes=[("financiering", "Geld lenen"), ("zwaar-weer", "Betalingsproblemen")],
        )
    )
    r = client.post("/wegwijzer", data={"vraag": "geld", "gemeente": "Sneek", "fase": "starter"})
    html = r.text
    assert "<legend>Gaat het om geld lenen, of om betalingsproblemen?</legend>" in html
    (vervolg,) = [
        f for f in formulieren(html) if ("verduidelijking", "financiering") in f["knoppen"]
    ]
    assert vervolg["action"] == "/wegwijzer#resultaten"
    assert vervolg["velden"] == {"vraag": "geld", "gemeente": "Sneek", "fase": "starter"}
    assert ("verduidelijking", "zwaar-weer") in vervolg["knoppen"]
    assert html.index("<legend>") < html.index("Begin hier"), "above the results"
    # the chosen code reaches the service
    client.post("/wegwijzer", data={**vervolg["velden"], "verduidelijking": "zwaar-weer"})
    assert nep_advies[-1]["verduidelijking"] == "zwaar-weer"
    assert nep_advies[0]["verduidelijking"] is None
    client.get("/wegwijzer", params={"vraag": "geld", "verduidelijking": "financiering"})
    assert nep_advies[-1]["verduidelijking"] == "financiering"
    r = client.post("/wegwijzer", data={"vraag": "geld", "verduidelijking": "onzin"})
    assert r.status_code == 200 and nep_advies[-1]["verduidelijking"] is None, "not offered"


def test_a_misspelled_place_gets_a_one_tap_suggestion(client, nep_advies):
    nep_advies.antwoord = _advies(plaats_suggesties=["Sneek"])
    html = client.post("/wegwijzer", data={"vraag": "omzet ingestort in Sneeek"}).text
    (f,) = [f for f in formulieren(html) if ("gemeente", "Sneek") in f["knoppen"]]
    assert f["velden"]["vraag"] == "omzet ingestort in Sneeek" and "gemeente" not in f["velden"]
    assert "Bedoelt u" in html


def test_cards_show_contact_reasons_and_whose_contact_it_is(client, nep_advies):
    html = client.post("/wegwijzer", data={"vraag": VRAAG}).text
    kaart = html.split("<h4>")[1]
    assert '<a href="tel:0881234567">(088) 123 45 67</a>' in kaart
    assert "Contactgegevens van Qredits" in kaart
    assert "<p>U zoekt geld voor een bakoven.</p><p>Qredits leent kleine bedragen.</p>" in kaart
    nep_advies.antwoord.resultaten[0].contact = service.Contact(email="info@qredits.nl")
    kaart = client.post("/wegwijzer", data={"vraag": VRAAG}).text.split("<h4>")[1]
    assert "Zo bereikt u deze dienst" in kaart and 'href="mailto:info@qredits.nl"' in kaart


def test_the_button_only_where_a_question_reaches_a_person(client, session, nep_advies):
    # Qredits has no users and no desk address in the bundled register: no button
    html = client.post("/wegwijzer", data={"vraag": VRAAG}).text
    assert "Neem contact met mij op" not in html
    assert "Qredits kan via deze website geen vragen ontvangen" in html
    _adviseur(session, "qredits")
    html = client.post("/wegwijzer", data={"vraag": VRAAG, "gemeente": "Leeuwarden"}).text
    knoppen = [f for f in formulieren(html) if f["action"].startswith("/neem-contact-op/")]
    assert len(knoppen) == 1, "not for the stand-in that needs a place"
    assert knoppen[0]["action"] == f"/neem-contact-op/{register_id('qredits')}/formulier"
    assert knoppen[0]["velden"] == {
        "vraag": VRAAG,
        "gemeente": "Leeuwarden",
        "dienst": "qredits-microkrediet",
    }
    assert 'Neem contact met mij op<span class="visually-hidden">: Qredits</span>' in html
    # the button's form opens the self-referral form, pre-filled
    formulier = client.post(knoppen[0]["action"], data=knoppen[0]["velden"])
    assert formulier.status_code == 200 and f">{VRAAG}</textarea>" in formulier.text
    assert 'value="Leeuwarden"' in formulier.text


def test_real_answer_offers_the_button_for_a_reachable_door(client, session):
    """Without a stand-in answer: the register's own data and reach rule."""
    rijen = register.get_all_aanbieders(session=session, soort="publiek")[0]
    for a in rijen:
        a.email = ""
    session.flush()
    html = client.post("/wegwijzer", data={"vraag": "btw-aangifte doen", "gemeente": "Zwolle"}).text
    assert "Neem contact met mij op" not in html
    _adviseur(session, "kvk")
    _adviseur(session, "rvo")
    html = client.post("/wegwijzer", data={"vraag": "btw-aangifte doen", "gemeente": "Zwolle"}).text
    assert "Neem contact met mij op" in html and 'href="tel:' in html


def test_after_a_search_focus_and_view_go_to_the_results(client, nep_advies):
    leeg = client.get("/wegwijzer").text
    assert 'action="/wegwijzer#resultaten"' in leeg and 'id="resultaten"' not in leeg
    html = client.post("/wegwijzer", data={"vraag": VRAAG}).text
    kop = re.search(r"<h2 id=\"resultaten\"[^>]*>", html).group(0)
    assert 'tabindex="-1"' in kop and "autofocus" in kop and "data-focus" in kop
    assert '<script src="/static/focus.js" defer></script>' in html
    assert "data-focus" in client.get("/static/focus.js").text


def test_an_error_takes_the_focus_instead(client):
    r = client.post("/wegwijzer", data={"vraag": "btw", "gemeente": "Xqzwyk"})
    assert r.status_code == 400
    samenvatting = r.text.split('class="foutoverzicht"')[1].split(">")[0]
    assert "autofocus" in samenvatting and "data-focus" in samenvatting
    assert '<a href="#gemeente">' in r.text and 'id="resultaten"' not in r.text


# A thema's doors -------------------------------------------------------------------------------


def _doc(slug, aanbieder, *, landelijk=True, gebied=(), netwerk=None, markt=False, eerste=True):
    return Document(
        dienst_id=slug,
        slug=slug,
        naam=f"Dienst {slug}",
        omschrijving="",
        trefwoorden=(),
        aanbieder_id=aanbieder,
        aanbieder_naam=aanbieder.upper(),
        aanbieder_korte_naam="",
        eerstelijns=eerste,
        themas=("zwaar-weer",),
        doelgroepen=(),
        soort="advies",
        kosten="gratis",
        landelijk=landelijk,
        gebieden=frozenset(gebied),
        markt=markt,
        netwerk=netwerk,
    )


def test_a_network_of_local_desks_is_one_card_after_the_national_doors():
    gemeente = ("Bbz-loket {gemeente}", "Gemeente {gemeente}")
    docs = [
        _doc(
            f"bbz-{i}", f"gm{i}", landelijk=False, gebied={("gemeente", f"GM{i}")}, netwerk=gemeente
        )
        for i in range(342)
    ] + [
        _doc("bank", "bank", markt=True),
        _doc("rvo-1", "rvo", eerste=False),
        _doc("rvo-2", "rvo", eerste=False),
        _doc("kvk", "kvk"),
        _doc("ynbusiness", "yn", landelijk=False, gebied={("provincie", "PV21")}),
    ]
    deuren, regionaal = thema_deuren(docs, "zwaar-weer", None)
    assert [d.aanbieder_id for d in deuren] == ["kvk", "rvo", "bank", ""]
    assert deuren[1].diensten == [("rvo-1", "Dienst rvo-1"), ("rvo-2", "Dienst rvo-2")]
    (netwerk,) = [d for d in deuren if d.netwerk]
    assert netwerk.aantal == 342 and netwerk.naam == "Uw gemeente"
    assert regionaal == 1, "YnBusiness needs a place"
    # with a place: its own desk and its regional door first, no network card
    deuren, regionaal = thema_deuren(
        docs, "zwaar-weer", {("gemeente", "GM7"), ("provincie", "PV21")}
    )
    assert [d.aanbieder_id for d in deuren] == ["gm7", "yn", "kvk", "rvo", "bank"]
    assert regionaal == 0 and not any(d.netwerk for d in deuren)
    assert thema_deuren(docs, "personeel", None) == ([], 0)


def test_the_thema_page_shows_national_doors_first_and_asks_for_the_place(client):
    html = client.get("/wegwijzer/thema/zwaar-weer").text
    kaarten = re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", html)
    for naam in ("115 Red een bedrijf", "MKB Doorgaan", "Kamer van Koophandel"):
        assert kaarten.index(naam) < 10, kaarten
    assert sum("uw gemeente" in k.lower() for k in kaarten) == 1, "342 desks, one card"
    assert len(kaarten) < 40
    met = client.get("/wegwijzer/thema/zwaar-weer", params={"gemeente": "Sneek"}).text
    kaarten = re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", met)
    assert kaarten[0] == "Gemeente Súdwest-Fryslân" and "Hulp voor Súdwest-Fryslân" in met
    verschreven = client.get("/wegwijzer/thema/zwaar-weer", params={"gemeente": "Emen"})
    assert verschreven.status_code == 400 and "Bedoelt u Emmen" in verschreven.text
    fout = client.get("/wegwijzer/thema/zwaar-weer", params={"gemeente": "Xqzwyk"})
    assert fout.status_code == 400 and 'aria-invalid="true"' in fout.text
    assert client.get("/wegwijzer/thema/bestaat-niet").status_code == 404


def test_a_misspelled_place_in_the_field_is_one_tap_from_the_right_one(client):
    r = client.post("/wegwijzer", data={"vraag": "omzet ingestort", "gemeente": "Sneeek"})
    assert r.status_code == 400
    (f,) = [f for f in formulieren(r.text) if ("gemeente", "Sneek") in f["knoppen"]]
    assert f["action"] == "/wegwijzer#resultaten" and f["velden"] == {"vraag": "omzet ingestort"}
    assert client.post("/wegwijzer", data={**f["velden"], "gemeente": "Sneek"}).status_code == 200
