"""The questionnaire page and the consent at intake, over HTTP."""

import json
import uuid

from sqlalchemy import func, select

from stelsel.accounts import service as accounts
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import ENQUETE, Hulpvraag
from stelsel.kwaliteit import enquete
from stelsel.kwaliteit.models import EnqueteAntwoord
from stelsel.meldingen.models import Bericht
from tests import factories

GOED = {"csat": "7", "ces": "3", "opgelost": "deels", "nps": "8", "aantal_organisaties": "3"}


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def _token(session) -> str:
    factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    assert enquete.uitnodigen(session=session) == 1
    (b,) = [
        b
        for b in session.scalars(select(Bericht))
        if json.loads(b.inhoud)["type"] == "ondernemer.enquete"
    ]
    return json.loads(b.inhoud)["link"].rsplit("/", 1)[1]


def _post(client, token, data):
    csrf = _csrf(client.get(f"/enquete/{token}").text)
    return client.post(f"/enquete/{token}", data={**data, "csrf": csrf}, follow_redirects=False)


def test_questionnaire_has_the_eight_questions_as_accessible_groups(client, session):
    token = _token(session)
    r = client.get(f"/enquete/{token}")
    assert r.status_code == 200
    html = r.text
    assert "Hoe gemakkelijk was het om de juiste informatie en advies te vinden?" in html
    assert html.count("<fieldset") == 6 and html.count("<legend>") == 6
    for veld, aantal in (
        ("csat", 10),
        ("ces", 5),
        ("opgelost", 4),
        ("nps", 11),
        ("fase", 2),
        ("grootte", 4),
    ):
        assert html.count(f'name="{veld}"') == aantal
    assert 'name="aantal_organisaties"' in html and 'name="opmerking"' in html


def test_submit_all_errors_at_once_then_thanks_then_already_answered(client, session):
    token = _token(session)
    r = _post(client, token, {"aantal_organisaties": "99"})
    assert r.status_code == 400
    assert "Er zijn 5 dingen niet goed" in r.text
    for veld in ("csat", "ces", "opgelost", "nps", "aantal_organisaties"):
        assert f'href="#{veld}"' in r.text and f'id="{veld}"' in r.text
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 0

    r = _post(client, token, GOED)
    assert r.status_code == 303 and r.headers["location"] == "/enquete/bedankt"
    assert "Bedankt" in client.get("/enquete/bedankt").text
    (a,) = session.scalars(select(EnqueteAntwoord)).all()
    assert (a.csat, a.ces, a.opgelost, a.nps, a.aantal_organisaties) == (7, 3, "deels", 8, 3)

    # the link is used: the page says so, and a new submit changes nothing
    r = client.get(f"/enquete/{token}")
    assert r.status_code == 409 and "al ingevuld" in r.text
    csrf = _csrf(client.get("/inloggen").text)
    r = client.post(
        f"/enquete/{token}",
        data={**GOED, "csat": "1", "nps": "0", "csrf": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 409 and "al ingevuld" in r.text
    session.expire_all()
    (a,) = session.scalars(select(EnqueteAntwoord)).all()
    assert (a.csat, a.nps) == (7, 8)


def test_forged_link_is_404_and_writes_nothing(client, session):
    token = _token(session)
    assert client.get(f"/enquete/{token[:-3]}abc").status_code == 404
    csrf = _csrf(client.get(f"/enquete/{token}").text)
    r = client.post(f"/enquete/{token[:-3]}abc", data={**GOED, "csrf": csrf})
    assert r.status_code == 404
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 0


def test_no_route_changes_a_stored_response(client, session):
    """Every route under /enquete, /feedback and the kwaliteit API with every method other than
    the questionnaire's own POST leaves the stored response as it is."""
    token = _token(session)
    assert _post(client, token, GOED).status_code == 303
    voor = session.execute(select(EnqueteAntwoord.__table__)).all()
    for methode in ("PUT", "PATCH", "DELETE"):
        for pad in (f"/enquete/{token}", "/enquete/bedankt", "/api/v1/kwaliteit/antwoorden"):
            assert client.request(methode, pad, data=GOED).status_code in (403, 404, 405)
    session.expire_all()
    assert session.execute(select(EnqueteAntwoord.__table__)).all() == voor


def test_intake_form_records_the_enquete_consent(client, session):
    from tests.doorverwijzing.test_pages import WACHTWOORD, inloggen

    accounts.create(
        session=session,
        email="a@kvk.example.nl",
        rol="adviseur",
        aanbieder="kvk",
        wachtwoord=WACHTWOORD,
    )
    session.flush()
    inloggen(client, "a@kvk.example.nl")
    csrf = _csrf(client.get("/hulpvragen/nieuw").text)
    assert (
        "Mag u later een korte vragenlijst krijgen over hoe het ging?"
        in client.get("/hulpvragen/nieuw").text
    )
    data = {
        "naam": "Jan de Vries",
        "email": "jan.devries@example.nl",
        "vraag": "Ik zoek financiering voor een bakoven",
        "gemeente": "Leeuwarden",
        "urgentie": "normaal",
        "toestemming": "ja",
        "csrf": csrf,
    }
    for enquete_vink, verwacht in (("ja", 1), ("", 0)):
        r = client.post(
            "/hulpvragen/nieuw", data={**data, "enquete": enquete_vink}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
        h = session.scalars(select(Hulpvraag).order_by(Hulpvraag.aangemaakt_op.desc())).first()
        assert sum(t.soort == ENQUETE and t.geldig() for t in h.toestemmingen) == verwacht


def test_intake_api_records_the_enquete_consent(client, session):
    _, token = factories.met_token(session, aanbieder="kvk")
    body = {**factories.HULPVRAAG, "toestemming": {**factories.HULPVRAAG["toestemming"]}}
    body["toestemming"]["enquete"] = True
    body["themas"] = ["financiering"]  # no wegwijzer run needed
    r = client.post("/api/v1/hulpvragen", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    h = session.get(Hulpvraag, uuid.UUID(r.json()["id"]))
    assert [t.soort for t in h.toestemmingen if t.soort == ENQUETE] == [ENQUETE]
    body["toestemming"]["enquete"] = "ja"  # a JSON true only
    r = client.post("/api/v1/hulpvragen", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400


def test_the_entrepreneur_gives_the_segment_in_the_questionnaire(client, session):
    # the segment (phase and size) is two optional questions: both answered give the segment
    token = _token(session)
    r = _post(client, token, {**GOED, "fase": "starter", "grootte": "kaas"})
    assert r.status_code == 400 and 'href="#grootte"' in r.text
    assert session.scalar(select(func.count()).select_from(EnqueteAntwoord)) == 0
    r = _post(client, token, {**GOED, "fase": "starter", "grootte": "micro"})
    assert r.status_code == 303
    (a,) = session.scalars(select(EnqueteAntwoord)).all()
    assert a.segment == "starter_micro"
    # one of the two alone: no segment, and no error
    waarden, fouten = enquete.controleer(enquete.Antwoorden(**GOED, fase="gevestigd"))
    assert fouten == {} and waarden is not None and waarden.segment is None
