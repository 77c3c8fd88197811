"""POST /api/v1/wegwijzer and the page, on SQLite and PostgreSQL."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from stelsel.wegwijzer import service
from stelsel.wegwijzer.evaluatie import Baseline, Voorspelling, evalueer, lees_aliassen, lees_vragen
from stelsel.wegwijzer.models import Vraagsignaal

# Copies of ../shared/eval (the dev set and the aanbieder aliases), so the tests need no shared/.
EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"


def ask(client, **body):
    return client.post("/api/v1/wegwijzer", json=body)


def test_answer_shape(client):
    r = ask(client, vraag="Ik wil geld lenen om een bedrijfsbus te kopen", gemeente="Utrecht")
    assert r.status_code == 200 and r.headers["API-Version"]
    body = r.json()
    assert body["themas"][0] == "financiering"
    assert body["soort"] in ("informatie", "advies")
    assert body["gemeente"]["code"] == "GM0344"
    assert 1 <= len(body["resultaten"]) <= 5
    first = body["resultaten"][0]
    assert first["begin_hier"] and not any(r["begin_hier"] for r in body["resultaten"][1:])
    assert first["dienst"]["id"] and first["dienst"]["naam"] and first["aanbieder"]["naam"]
    assert isinstance(first["uitleg"], list) and all(isinstance(z, str) for z in first["uitleg"])
    assert "financiering" in " ".join(first["uitleg"]).lower()
    assert client.get(first["dienst"]["url"]).status_code == 200
    scores = [r["score"] for r in body["resultaten"]]
    assert scores == sorted(scores, reverse=True)


def test_regional_first_door_ranks_first(client):
    body = ask(
        client,
        vraag="Waar vind ik een adviseur die met mij meedenkt over mijn bedrijf?",
        gemeente="Sneek",
    ).json()
    assert body["resultaten"][0]["aanbieder"]["naam"] == "YnBusiness"
    body = ask(
        client,
        vraag="Waar vind ik een adviseur die met mij meedenkt over mijn bedrijf?",
        gemeente="7811",
    ).json()  # Emmen, Drenthe
    assert body["resultaten"][0]["aanbieder"]["naam"] == "Ik Ben Drents Ondernemer"


def test_spanning_question_says_so(client):
    body = ask(client, vraag="Ik wil digitaliseren en zoek daarvoor een lening").json()
    assert {"bedrijfsvoering", "financiering"} <= set(body["themas"])
    assert "ook over" in body["toelichting"]


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"vraag": ""}, "vraag"),
        ({"vraag": "   "}, "vraag"),
        ({"vraag": "x" * 1001}, "vraag"),
        ({}, "vraag"),
        ({"vraag": "btw", "gemeente": "Atlantis"}, "gemeente"),
        ({"vraag": "btw", "aantal": 0}, "aantal"),
        ({"vraag": "btw", "aantal": 21}, "aantal"),
        ({"vraag": "btw", "fase": "oud"}, "fase"),
        # U+0000, which PostgreSQL cannot store: kept with consent, it used to be a 500
        ({"vraag": "geld\x00lenen", "toestemming_opslaan_vraag": True}, "vraag"),
        ({"vraag": "geld lenen", "gemeente": "Sneek\x00"}, "gemeente"),
    ],
)
def test_bad_requests(client, body, name):
    r = ask(client, **body)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert [p["name"] for p in r.json()["invalid_params"]] == [name]


def test_signals_keep_text_only_with_consent(client, session):
    ask(client, vraag="Hoe vraag ik een octrooi aan?", gemeente="Leeuwarden")
    ask(client, vraag="Ik wil stoppen met mijn bedrijf", toestemming_opslaan_vraag=True)
    signalen = session.scalars(select(Vraagsignaal).order_by(Vraagsignaal.tijdstip)).all()
    assert len(signalen) == 2
    eerste, tweede = signalen
    assert eerste.vraag is None and "innovatie" in eerste.themas
    assert (eerste.gemeente_code, eerste.provincie_code) == ("GM0080", "PV21")
    assert tweede.vraag == "Ik wil stoppen met mijn bedrijf" and tweede.gemeente_code is None
    per_thema = service.vraagsignalen(session=session, provincie="PV21")
    assert ("innovatie", "GM0080", 1) in per_thema
    per_provincie = service.vraagsignalen(session=session, per="provincie")
    assert ("innovatie", "PV21", 1) in per_provincie
    assert all(code != "GM0080" for _, code, _ in per_provincie)


def test_page_without_javascript(client):
    r = client.get("/wegwijzer", params={"vraag": "Ik wil exporteren", "gemeente": "Zwolle"})
    assert r.status_code == 200
    assert "Begin hier" in r.text and "Ook relevant" in r.text
    assert "Resultaten voor Zwolle" in r.text
    r = client.get("/wegwijzer", params={"vraag": ""})
    assert r.status_code == 400 and 'aria-invalid="true"' in r.text


def test_without_a_place_the_regional_desk_is_named_for_anyone(client):
    vraag = "Mijn vacatures blijven open staan, wie helpt mij aan personeel?"
    zonder = ask(client, vraag=vraag).json()["resultaten"]
    staand = [r for r in zonder if r["regio_nodig"]]
    namen = [r["aanbieder"]["naam"] for r in staand]
    assert namen[0] == "Werkgeversservicepunt in uw regio"
    assert all(n.endswith(" in uw regio") for n in namen)
    assert all(r["dienst"]["url"] == "/gemeenten" and not r["landelijk"] for r in staand)
    met = ask(client, vraag=vraag, gemeente="Utrecht").json()["resultaten"]
    assert not any(r["regio_nodig"] for r in met)
    assert "Werkgeversservicepunt Midden-Utrecht" in [r["aanbieder"]["naam"] for r in met]
    pagina = client.get("/wegwijzer", params={"vraag": vraag})
    assert '<a href="#gemeente">Personeel vinden via het werkgeversservicepunt in uw regio' in (
        pagina.text
    )


def test_page_profile_reaches_the_wegwijzer(client):
    vraag = {"vraag": "ik zoek advies over personeel en een cao"}
    zonder = client.get("/wegwijzer", params=vraag)
    met = client.get("/wegwijzer", params={**vraag, "sector": "detailhandel", "fase": "gevestigd"})

    def aanbieders(r):
        return re.findall(r'<p class="meta">([^<]+)</p><p>', r.text)

    def plek(namen):
        return namen.index("INretail") if "INretail" in namen else len(namen)

    assert "INretail" in aanbieders(met) and plek(aanbieders(met)) < plek(aanbieders(zonder))
    assert (
        '<option value="gevestigd" selected>' in met.text
        and '<details class="profiel" open>' in met.text
    )
    # a tampered choice is read as 'not given', not as an error
    r = client.get("/wegwijzer", params={**vraag, "grootte": "reus"})
    assert r.status_code == 200 and "Begin hier" in r.text


@pytest.mark.parametrize(
    ("vragen", "hit1", "hit3", "thema_f1"),
    [
        # the targets of the wegwijzer issue
        (EVAL / "wegwijzer-dev.jsonl", 0.70, 0.90, 0.85),
        # written blind to the method: guards against gains on dev alone (thema labels follow
        # another writer's judgement, hence the lower bar)
        (Path(__file__).parents[1] / "data" / "wegwijzer-extra.jsonl", 0.70, 0.90, 0.78),
        # in the dev set's style, about other situations; below the hit@1 target, so
        # this bar only keeps what was reached (0.65 / 0.92 / 0.81)
        (Path(__file__).parents[1] / "data" / "wegwijzer-extra2.jsonl", 0.60, 0.85, 0.75),
    ],
    ids=["dev", "extra", "extra2"],
)
def test_quality_on_the_evaluation_sets(session, vragen, hit1, hit3, thema_f1):
    aliassen = lees_aliassen(EVAL / "aanbieders-aliases.json")

    def voorspel(v):
        a = service.advies(session=session, vraag=v.vraag, gemeente=v.gemeente, registreer=False)
        return Voorspelling(a.themas, a.soort, [r.aanbieder_naam for r in a.resultaten])

    vraagset = lees_vragen(vragen)
    ons = evalueer(vraagset, voorspel, aliassen)
    basis = evalueer(vraagset, Baseline(service.documenten(session=session)).voorspel, aliassen)
    assert ons.hit3 >= hit3 and ons.hit1 >= hit1 and ons.thema_f1 >= thema_f1
    assert ons.hit3 - basis.hit3 >= 0.15


def test_concurrent_questions_all_succeed(databases):
    """Reads and signal writes of parallel requests do not block each other (SQLite too)."""
    from concurrent.futures import ThreadPoolExecutor

    from fastapi.testclient import TestClient

    from stelsel.app import create_app

    engine = databases.engine(with_register=True)
    vragen = ["Ik wil geld lenen", "vacature vullen", "btw", "export", "failliet", "octrooi"] * 4
    with TestClient(create_app(engine)) as c:
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(
                pool.map(
                    lambda v: c.post("/api/v1/wegwijzer", json={"vraag": v}).status_code, vragen
                )
            )
    assert codes == [200] * len(vragen)
    with engine.connect() as conn:
        from sqlalchemy import func

        assert conn.execute(select(func.count()).select_from(Vraagsignaal)).scalar() == len(vragen)


@pytest.mark.parametrize("raw", [b'{"vraag": "geld"', b"\xff\xfe", b"\x80", b'{"vraag": "\xff"}'])
def test_unreadable_body_is_400_naming_the_body(client, raw):
    """The name used to be the character position ('15'), or missing when not UTF-8."""
    r = client.post("/api/v1/wegwijzer", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["API-Version"]
    assert [p["name"] for p in r.json()["invalid_params"]] == ["body"]


@pytest.mark.parametrize("waarde", ["yes", "ja", 1, "true"])
def test_consent_to_keep_the_text_must_be_a_json_true(client, waarde):
    r = ask(client, vraag="Ik wil geld lenen", toestemming_opslaan_vraag=waarde)
    assert r.status_code == 400
    assert r.json()["invalid_params"][0]["name"] == "toestemming_opslaan_vraag"


def test_fields_the_wegwijzer_does_not_read_may_hold_anything(client):
    assert ask(client, vraag="Ik wil geld lenen", onbekend="\x00").status_code == 200


def test_page_refuses_nul_characters(client):
    """PostgreSQL cannot hold U+0000: a question kept with consent used to be a 500."""
    r = client.get("/wegwijzer", params={"vraag": "geld\x00lenen", "bewaren": "ja"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")


def test_page_form_posts_the_question_so_it_stays_out_of_urls(client):
    """The form's question is sent in the body: it never appears in a URL, a browser history or
    an access log."""
    formulier = client.get("/wegwijzer").text
    assert re.search(r'method="post" action="/wegwijzer(#[a-z]+)?"', formulier)
    r = client.post("/wegwijzer", data={"vraag": "Ik wil exporteren", "gemeente": "Zwolle"})
    assert r.status_code == 200
    assert "Begin hier" in r.text
    assert client.post("/wegwijzer", data={"vraag": ""}).status_code == 400


def test_api_gives_the_clarifying_question_place_and_contact(client):
    body = ask(client, vraag="geld").json()
    v = body["vervolgvraag"]
    assert v["parameter"] == "verduidelijking" and [k["code"] for k in v["keuzes"]] == [
        "financiering",
        "zwaar-weer",
    ]
    verfijnd = ask(client, vraag="geld", verduidelijking="zwaar-weer").json()
    assert verfijnd["vervolgvraag"] is None and verfijnd["themas"] == ["zwaar-weer"]
    r = ask(client, vraag="geld", verduidelijking="onzin")
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "verduidelijking"

    body = ask(client, vraag="personeel gezocht voor mijn bakkerij in Emmen").json()
    assert body["plaats"] == {"code": "GM0114", "naam": "Emmen", "woorden": "Emmen"}
    assert body["gemeente"]["code"] == "GM0114"
    kaart = next(r for r in body["resultaten"] if r["contact"])
    assert set(kaart["contact"]) == {
        "website",
        "telefoon",
        "email",
        "adres",
        "openingstijden",
        "van_aanbieder",
    }
    r = ask(client, vraag="schulden", gemeente="Sneeek")
    assert r.status_code == 400 and "Bedoelt u Sneek?" in r.text
