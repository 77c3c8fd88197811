"""The dashboard pages and the report download, per role, on both databases."""

import io

import openpyxl

from stelsel.accounts import service as accounts

WACHTWOORD = "lang-genoeg-wachtwoord"


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


def inloggen(client, session, rol, email, **kw):
    accounts.create(session=session, email=email, rol=rol, wachtwoord=WACHTWOORD, **kw)
    session.flush()
    csrf = _csrf(client.get("/inloggen").text)
    return client.post(
        "/inloggen",
        data={"email": email, "wachtwoord": WACHTWOORD, "csrf": csrf},
        follow_redirects=False,
    )


def test_a_stelselregisseur_lands_on_the_nation(client, session, data):  # noqa: F811
    r = inloggen(client, session, "stelselregisseur", "sr@ezk.example.nl")
    assert r.status_code == 303 and r.headers["location"] == "/kwaliteit"
    page = client.get("/kwaliteit?periode=2026-Q3")
    assert page.status_code == 200
    html = page.text
    assert "Nederland (NL), 2026-Q3" in html
    # key figures with interval and n; the nation has 26 responses
    assert "95%-interval" in html and "n = 26" in html
    # Groningen (3) is hidden and Zuid-Holland with it (the subtraction case)
    assert "te weinig antwoorden" in html
    assert "<svg" in html and "<table" in html and "Nulmeting 2021" in html
    assert "Jan de Vries" not in html
    # the downloads
    csv = client.get("/kwaliteit/tabel/vergelijking.csv?periode=2026-Q3")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    rijen = csv.content.decode("utf-8-sig").splitlines()
    assert rijen[0].startswith("Provincie") and any(r.startswith("Noord-Holland") for r in rijen)
    xlsx = client.get("/kwaliteit/tabel/regios.xlsx?periode=2026-Q3")
    assert xlsx.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.active.max_row >= 3
    pdf = client.get("/kwaliteit/rapport.pdf?periode=2026-Q3")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/kwaliteit/tabel/bestaat-niet.csv").status_code == 404


def test_a_regiocoordinator_sees_their_region_only(client, session, data):  # noqa: F811
    r = inloggen(client, session, "regiocoordinator", "rc@nh.example.nl", regio="PV27")
    assert r.headers["location"] == "/kwaliteit"
    page = client.get("/kwaliteit?periode=2026-Q3")
    assert page.status_code == 200 and "Noord-Holland (PV27)" in page.text
    assert "n = 12" in page.text
    assert client.get("/kwaliteit?regio=PV28&periode=2026-Q3").status_code == 403
    assert client.get("/kwaliteit/rapport.pdf?regio=PV28&periode=2026-Q3").status_code == 403
    assert client.get("/kwaliteit?regio=XX99").status_code == 400


def test_others_get_no_figures(client, session, data):  # noqa: F811
    assert client.get("/kwaliteit", follow_redirects=False).status_code == 303
    inloggen(client, session, "adviseur", "ad@kvk.example.nl", aanbieder="kvk")
    assert client.get("/kwaliteit").status_code == 403
    assert client.get("/kwaliteit/tabel/regios.csv").status_code == 403
