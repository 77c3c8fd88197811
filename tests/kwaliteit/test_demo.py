"""`stelsel demo`: a consistent population, a banner while it is there, and --verwijder removes
exactly the demo rows: real cases, referrals, responses and feedback survive."""

import json

import pytest
from sqlalchemy import func, select

from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing.models import Doorverwijzing, Gebeurtenis, Hulpvraag, HulpvraagThema
from stelsel.errors import Ongeldig
from stelsel.kwaliteit import demo, enquete, feedback
from stelsel.kwaliteit.models import (
    DemoRij,
    EnqueteAntwoord,
    EnqueteAntwoordThema,
    EnqueteUitnodiging,
    EnqueteUitnodigingThema,
    Feedback,
)
from stelsel.meldingen.models import Bericht
from tests import factories

TABELLEN = (
    Hulpvraag,
    HulpvraagThema,
    Doorverwijzing,
    Gebeurtenis,
    EnqueteUitnodiging,
    EnqueteUitnodigingThema,
    EnqueteAntwoord,
    EnqueteAntwoordThema,
    Feedback,
)


def _alles(session) -> dict:
    return {
        m.__tablename__: sorted(map(tuple, session.execute(select(m.__table__)))) for m in TABELLEN
    }


def _echte_gegevens(session) -> None:
    """A real case with a response, and a real feedback."""
    factories.zaak(session, lc.AFGEROND, enquete=True, themas=["financiering"])
    assert enquete.uitnodigen(session=session) == 1
    b = next(
        b
        for b in session.scalars(select(Bericht))
        if json.loads(b.inhoud)["type"] == "ondernemer.enquete"
    )
    token = json.loads(b.inhoud)["link"].rsplit("/", 1)[1]
    enquete.beantwoord(
        session=session,
        token=token,
        antwoorden=enquete.Antwoorden(csat="9", ces="5", opgelost="volledig", nps="10"),
    )
    feedback.geef(session=session, invoer=feedback.FeedbackIn("wegwijzer", "ja"))
    session.flush()


def test_verwijder_removes_exactly_the_demo_rows(session):
    _echte_gegevens(session)
    voor = _alles(session)
    t = demo.maak(session=session, omvang=120, seed=7)
    assert t.hulpvragen == 120 and t.doorverwijzingen >= 120 and t.antwoorden > 0
    assert demo.aanwezig(session=session)
    na = _alles(session)
    for tabel, rijen in voor.items():
        assert set(rijen) <= set(na[tabel]), tabel  # nothing real touched by making
    assert (
        session.scalar(
            select(func.count()).select_from(EnqueteAntwoord).where(EnqueteAntwoord.bron == "demo")
        )
        == t.antwoorden
    )
    # every demo case is anonymous: no invitation mail can go out for it
    assert (
        session.scalar(
            select(func.count())
            .select_from(Hulpvraag)
            .where(Hulpvraag.ondernemer_email.is_not(None))
        )
        == 1
    )
    assert enquete.uitnodigen(session=session) == 0

    weg = demo.verwijder(session=session)
    assert (weg.hulpvragen, weg.antwoorden) == (t.hulpvragen, t.antwoorden)
    assert _alles(session) == voor
    assert not demo.aanwezig(session=session)
    assert session.scalar(select(func.count()).select_from(DemoRij)) == 0


def test_demo_is_consistent_and_near_the_baseline(session):
    t = demo.maak(session=session, omvang=200, seed=3)
    # every referral belongs to a demo case, every response to an invitation of a demo case
    hids = set(session.scalars(select(Hulpvraag.id)))
    assert set(session.scalars(select(Doorverwijzing.hulpvraag_id))) <= hids
    uitn = {u.id: u for u in session.scalars(select(EnqueteUitnodiging))}
    antwoorden = session.scalars(select(EnqueteAntwoord)).all()
    assert len(antwoorden) == t.antwoorden and len(uitn) == t.uitnodigingen
    for a in antwoorden:
        u = uitn[a.uitnodiging_id]
        assert u.beantwoord_op is not None and u.hulpvraag_id in hids
        assert (a.aanbieder_id, a.gemeente_code) == (u.aanbieder_id, u.gemeente_code)
        if a.eerste_keer_goed:
            assert a.aantal_doorverwijzingen == 1
    csat = sum(a.csat for a in antwoorden) / len(antwoorden)
    ces = sum(a.ces for a in antwoorden) / len(antwoorden)
    assert 5.5 < csat < 7.5 and 2.6 < ces < 3.9
    assert len({a.provincie_code for a in antwoorden}) >= 8
    # the same seed gives the same population
    demo.verwijder(session=session)
    assert demo.maak(session=session, omvang=200, seed=3) == t


def test_banner_while_demo_data_is_present(client, session):
    assert "Deze omgeving toont verzonnen gegevens" not in client.get("/").text
    demo.maak(session=session, omvang=5, seed=1)
    session.flush()
    client.app.state.kwaliteit_demo = None  # the cached answer expires (30 s in production)
    assert "Deze omgeving toont verzonnen gegevens" in client.get("/").text
    assert "Deze omgeving toont verzonnen gegevens" in client.get("/wegwijzer").text


def test_omvang_is_checked(session):
    with pytest.raises(Ongeldig) as e:
        demo.maak(session=session, omvang=0)
    assert e.value.veld == "omvang"
