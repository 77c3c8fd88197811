"""The anonymous feedback widget: on the dienst page and the wegwijzer answer, stored without
personal data, validated, back to the page with a thank-you."""

import pytest
from sqlalchemy import func, select

from stelsel.kwaliteit.models import Feedback


def _csrf(html: str) -> str:
    return html.split('name="csrf" value="')[1].split('"')[0]


@pytest.fixture
def dienst(session):
    from stelsel.register.models import Dienst

    return session.scalars(select(Dienst).where(Dienst.gearchiveerd.is_(False))).first()


def test_dienst_page_feedback_is_stored_anonymously(client, session, dienst):
    html = client.get(f"/diensten/{dienst.slug}").text
    assert "Heeft dit u geholpen?" in html and 'action="/feedback"' in html
    r = client.post(
        "/feedback",
        data={
            "soort": "dienst",
            "dienst": str(dienst.id),
            "geholpen": "nee",
            "waarom": "Ik zocht de openingstijden",
            "csrf": _csrf(html),
        },
        headers={"X-Forwarded-For": "203.0.113.9", "User-Agent": "Testbrowser/1.0"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/diensten/{dienst.slug}?feedback=bedankt#feedback"
    assert "Bedankt voor uw reactie" in client.get(r.headers["location"]).text
    (f,) = session.scalars(select(Feedback)).all()
    assert (f.soort, f.dienst_id, f.geholpen, f.waarom) == (
        "dienst",
        dienst.id,
        False,
        "Ik zocht de openingstijden",
    )
    # nothing about the visitor: no address, browser, session or user in any column
    rij = session.execute(select(Feedback.__table__)).one()._asdict()
    assert set(rij) == {
        "id",
        "ontvangen_op",
        "soort",
        "dienst_id",
        "thema",
        "gemeente_code",
        "geholpen",
        "waarom",
    }
    tekst = " ".join(str(v) for v in rij.values())
    assert "203.0.113.9" not in tekst and "Testbrowser" not in tekst
    assert client.cookies.get("stelsel_sessie") not in tekst


def test_wegwijzer_answer_has_the_widget_with_thema_and_gemeente(client, session):
    html = client.post(
        "/wegwijzer", data={"vraag": "Ik zoek een lening voor mijn bakkerij", "gemeente": "Zwolle"}
    ).text
    assert "Heeft dit u geholpen?" in html
    assert 'name="soort" value="wegwijzer"' in html and 'value="GM0193"' in html
    r = client.post(
        "/feedback",
        data={
            "soort": "wegwijzer",
            "thema": "financiering",
            "gemeente": "GM0193",
            "geholpen": "ja",
            "csrf": _csrf(html),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/wegwijzer?feedback=bedankt")
    (f,) = session.scalars(select(Feedback)).all()
    assert (f.soort, f.thema, f.gemeente_code, f.geholpen, f.waarom) == (
        "wegwijzer",
        "financiering",
        "GM0193",
        True,
        None,
    )
    # the question the visitor typed is never stored with it
    assert "bakkerij" not in " ".join(
        str(v) for v in session.execute(select(Feedback.__table__)).one()
    )


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("geholpen", ""),
        ("geholpen", "misschien"),
        ("waarom", "x" * 501),
        ("dienst", "bestaat-niet"),
        ("thema", "koffie"),
        ("gemeente", "GM9999"),
        ("soort", "elders"),
    ],
)
def test_bad_feedback_is_refused_and_writes_nothing(client, session, veld, waarde):
    html = client.get("/inloggen").text  # any form's token: it belongs to the visitor
    data = {"soort": "wegwijzer", "geholpen": "ja", veld: waarde, "csrf": _csrf(html)}
    r = client.post("/feedback", data=data, follow_redirects=False)
    assert r.status_code == 400
    assert "foutoverzicht" in r.text
    if veld in ("geholpen", "waarom"):
        assert f'href="#feedback-{veld}"' in r.text
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_feedback_without_csrf_is_refused(client, session):
    r = client.post("/feedback", data={"soort": "wegwijzer", "geholpen": "ja"})
    assert r.status_code == 403
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_one_visitor_cannot_flood_the_feedback(client, session):
    from stelsel.kwaliteit import pages

    csrf = _csrf(client.get("/inloggen").text)
    data = {"soort": "wegwijzer", "geholpen": "ja", "csrf": csrf}
    codes = [
        client.post("/feedback", data=data, follow_redirects=False).status_code
        for _ in range(pages.FEEDBACK_PER_VENSTER + 2)
    ]
    assert codes == [303] * pages.FEEDBACK_PER_VENSTER + [429, 429]
    assert session.scalar(select(func.count()).select_from(Feedback)) == pages.FEEDBACK_PER_VENSTER
