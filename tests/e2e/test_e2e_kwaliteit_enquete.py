"""The questionnaire and the feedback widget in a real browser: errors all at once, the answer
stored once, the link then used up; every page passes the accessibility scan."""

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stelsel.db import make_engine, session_scope
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.kwaliteit import enquete
from stelsel.meldingen.models import Bericht
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def _uitnodiging(url: str) -> str:
    """A closed case with enquete consent in the live database, invited; returns the link path."""
    engine = make_engine(url)

    def links(s) -> set[str]:
        berichten = s.scalars(select(Bericht).where(Bericht.bestemming == "e2e.enquete@example.nl"))
        inhoud = [json.loads(b.inhoud) for b in berichten]
        return {i["link"] for i in inhoud if i["type"] == "ondernemer.enquete"}

    with session_scope(engine) as s:
        eerder = links(s)  # another test of the session may have invited this address before
        factories.zaak(
            s, lc.AFGEROND, enquete=True, themas=["financiering"], email="e2e.enquete@example.nl"
        )
        assert enquete.uitnodigen(session=s) >= 1
        (link,) = links(s) - eerder
    engine.dispose()
    return "/enquete/" + link.rsplit("/", 1)[1]


def test_questionnaire_and_feedback(page, live_database_url, axe_check):
    pad = _uitnodiging(live_database_url)
    page.goto(pad)
    expect(page.locator("h1")).to_have_text("Hoe ging het?")
    assert axe_check(page) == []
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    samenvatting = page.locator("#foutoverzicht")
    expect(samenvatting).to_contain_text("Er zijn 4 dingen niet goed")
    assert axe_check(page) == []
    page.get_by_role("group", name="Welk cijfer geeft u de hulp die u kreeg?").get_by_label(
        "8", exact=True
    ).check()
    page.get_by_label("Makkelijk", exact=True).check()
    page.get_by_label("Ja, helemaal").check()
    page.get_by_role(
        "group", name="Zou u deze hulp aanraden aan een andere ondernemer?"
    ).get_by_label("9", exact=True).check()
    page.get_by_label("Met hoeveel organisaties had u contact over deze vraag?").fill("2")
    page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    expect(page.locator("h1")).to_have_text("Bedankt voor uw antwoorden")
    assert axe_check(page) == []
    page.goto(pad)
    expect(page.locator("h1")).to_have_text("Deze vragenlijst is al ingevuld")

    # the feedback widget on a dienst page, without JavaScript needed
    page.goto("/diensten")
    page.locator("main a[href^='/diensten/']").first.click()
    feedback = page.locator("#feedback")
    expect(feedback.get_by_role("heading", name="Heeft dit u geholpen?")).to_be_visible()
    assert axe_check(page) == []
    feedback.get_by_label("Ja", exact=True).check()
    feedback.get_by_role("button", name="Verstuur").click()
    expect(page.get_by_role("status")).to_contain_text("Bedankt voor uw reactie")
