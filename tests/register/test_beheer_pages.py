"""The registerbeheer pages without JavaScript: a redacteur edits its own dienst through a form
(every error listed at the top), submits it, a registerbeheerder sees the diff in the queue
and publishes; the history page restores; "Alles klopt nog" confirms in one step."""

from fastapi.testclient import TestClient

from stelsel.accounts import service as accounts
from tests.doorverwijzing.test_pages import WACHTWOORD, _csrf, inloggen

DIENST = "qredits-coaching"


def _mensen(app, client, session):
    accounts.create(
        session=session,
        email="r@qredits.example.nl",
        rol="redacteur",
        aanbieder="qredits",
        wachtwoord=WACHTWOORD,
    )
    accounts.create(
        session=session,
        email="r@kvk.example.nl",
        rol="redacteur",
        aanbieder="kvk",
        wachtwoord=WACHTWOORD,
    )
    accounts.create(
        session=session,
        email="rb@stelsel.example.nl",
        rol="registerbeheerder",
        wachtwoord=WACHTWOORD,
    )
    session.flush()
    inloggen(client, "r@qredits.example.nl")
    beheerder, ander = TestClient(app), TestClient(app)
    inloggen(beheerder, "rb@stelsel.example.nl")
    inloggen(ander, "r@kvk.example.nl")
    return client, beheerder, ander


def _velden(html: str) -> dict[str, str]:
    """The text inputs and selected options of the edit form (enough to post it back)."""
    import re

    velden = dict(
        re.findall(r'<input id="veld-[a-z_]+" name="([a-z_]+)" type="text" value="([^"]*)"', html)
    )
    velden.update(
        re.findall(r'<textarea id="veld-[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>', html)
    )
    for naam, blok in re.findall(
        r'<select id="veld-[a-z_]+" name="([a-z_]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        velden[naam] = re.search(r'<option value="([^"]+)" selected>', blok).group(1)
    velden["etag"] = re.search(r'name="etag" value="([^"]*)"', html).group(1).replace("&#34;", '"')
    import html as h

    return {k: h.unescape(v) for k, v in velden.items()}


def test_edit_submit_review_publish_and_restore_in_the_browser_pages(app, client, session):
    redacteur, beheerder, ander = _mensen(app, client, session)
    r = redacteur.get("/beheer", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/beheer/aanbieders/qredits"
    assert "Alles klopt nog" in redacteur.get("/beheer/aanbieders/qredits").text
    assert ander.get(f"/beheer/diensten/{DIENST}/bewerken").status_code == 403

    form = redacteur.get(f"/beheer/diensten/{DIENST}/bewerken").text
    assert 'name="csrf"' in form and '<label for="veld-naam">' in form
    velden = {**_velden(form), "themas": "financiering", "csrf": _csrf(form)}
    fout = redacteur.post(
        f"/beheer/diensten/{DIENST}/bewerken",
        data={**velden, "email": "geen-adres", "website": "ftp://x"},
    )
    assert fout.status_code == 400
    assert "Er zijn 2 dingen niet goed" in fout.text and 'href="#veld-email"' in fout.text
    assert 'aria-invalid="true"' in fout.text

    r = redacteur.post(
        f"/beheer/diensten/{DIENST}/bewerken",
        data={**velden, "naam": "Coaching met een kop koffie", "indienen": "ja"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    wijziging = r.headers["location"]
    assert "Ter beoordeling" in redacteur.get(wijziging).text
    assert "Coaching met een kop koffie" not in client.get(f"/diensten/{DIENST}").text

    wachtrij = beheerder.get("/beheer").text
    assert wijziging in wachtrij
    pagina = beheerder.get(wijziging).text
    assert "<ins>Coaching met een kop koffie</ins>" in pagina
    r = beheerder.post(
        f"{wijziging}/publiceren",
        data={"csrf": _csrf(pagina), "etag": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Coaching met een kop koffie" in TestClient(app).get(f"/diensten/{DIENST}").text

    geschiedenis = redacteur.get(f"/beheer/diensten/{DIENST}/geschiedenis").text
    assert "Versie 2: Gewijzigd" in geschiedenis and "Versie 1: Eerste versie" in geschiedenis
    import re

    etag = re.search(r'name="etag" value="([^"]*)"', geschiedenis).group(1).replace("&#34;", '"')
    r = redacteur.post(
        f"/beheer/diensten/{DIENST}/herstel/1",
        data={"csrf": _csrf(geschiedenis), "etag": etag},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "<del>Coaching met een kop koffie</del>" in redacteur.get(r.headers["location"]).text


def test_still_correct_is_one_button(app, client, session):
    redacteur, _, ander = _mensen(app, client, session)
    pagina = redacteur.get("/beheer/aanbieders/qredits").text
    r = redacteur.post(
        "/beheer/aanbieders/qredits/bevestig", data={"csrf": _csrf(pagina)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "staan op vandaag gecontroleerd" in redacteur.get("/beheer/aanbieders/qredits").text
    assert ander.get("/beheer/aanbieders/qredits").status_code == 403
    assert TestClient(app).get("/beheer", follow_redirects=False).status_code == 303  # to login
