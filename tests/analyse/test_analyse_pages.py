"""The analyse pages without a browser: who may see them, the picker's field error, the toets
form round trip with its PDF, and the exports."""

import pytest

from tests import factories

from .test_analyse import KOPIE


@pytest.fixture
def regisseur(session) -> dict:
    _, token = factories.met_token(session, "stelselregisseur")
    session.flush()
    return {"Authorization": f"Bearer {token}"}


def test_pages_need_login_and_role(client, session):
    r = client.get("/analyse/scan?regio=AM24", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen")
    _, token = factories.met_token(session, "adviseur", aanbieder="kvk")
    session.flush()
    assert client.get("/analyse", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_scan_page_side_by_side_and_bad_code(client, regisseur):
    r = client.get("/analyse/scan?regio=AM24&vergelijk=PV21", headers=regisseur)
    assert r.status_code == 200
    assert "Ecosysteemscan Zeeland en Friesland" in r.text
    assert r.text.count("<svg") >= 6  # two heatmaps and a map per region
    assert "Basisinfrastructuur per gemeente in Friesland" in r.text
    r = client.get("/analyse/scan?regio=PV99", headers=regisseur)
    assert r.status_code == 400
    assert 'id="regio-fout"' in r.text and 'aria-invalid="true"' in r.text


@pytest.mark.parametrize(
    ("formaat", "soort", "begin"),
    [("csv", "text/csv", b"Gemeente"), ("xlsx", "spreadsheetml", b"PK"), ("pdf", "pdf", b"%PDF")],
)
def test_exports(client, regisseur, formaat, soort, begin):
    r = client.get(f"/analyse/scan.{formaat}?regio=AM24", headers=regisseur)
    assert r.status_code == 200 and soort in r.headers["content-type"]
    assert r.content.lstrip(b"\xef\xbb\xbf").startswith(begin)
    if formaat == "csv":
        assert "Goes" in r.content.decode("utf-8-sig")


def test_toets_form_report_and_pdf(client, regisseur):
    form = client.get("/analyse/toets", headers=regisseur)
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    data = {**KOPIE, "csrf": csrf, "werkgebied": ""}
    r = client.post("/analyse/toets", data=data, headers=regisseur)
    assert r.status_code == 200 and "Dubbel" in r.text and "MKB-krediet" in r.text
    r = client.post("/analyse/toets", data={**data, "formaat": "pdf"}, headers=regisseur)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = client.post("/analyse/toets", data={**data, "themas": []}, headers=regisseur)
    assert r.status_code == 400 and "kies ten minste één thema" in r.text
    r = client.post("/analyse/toets", data={**data, "csrf": "fout"}, headers=regisseur)
    assert r.status_code == 403


def test_vraag_aanbod_page(client, regisseur):
    r = client.get("/analyse/vraag-aanbod?regio=PV21", headers=regisseur)
    assert r.status_code == 200 and "Vraag en aanbod in Friesland" in r.text
    assert client.get("/analyse/vraag-aanbod?regio=nee", headers=regisseur).status_code == 400
