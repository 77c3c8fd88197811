"""Keeping the register current (issue 12, item 4): what is not checked for a year, per
aanbieder and per region; the freshness figure; reminders to the redacteuren through the outbox,
once a month however often the job runs. On SQLite and PostgreSQL."""

from datetime import date

from sqlalchemy import select, update
from typer.testing import CliRunner

from stelsel.accounts import registerbeheer
from stelsel.accounts.cli import register_app
from stelsel.meldingen.models import Bericht
from stelsel.register import service
from stelsel.register.models import Aanbieder, Dienst
from tests import factories

VANDAAG = date(2026, 12, 2)


def _zet(session, datum, **waar):
    session.execute(update(Dienst).values(gecontroleerd_op=datum))
    session.execute(update(Aanbieder).values(gecontroleerd_op=datum))
    session.flush()


def test_the_year_boundary():
    assert service.grens_actueel(VANDAAG) == date(2025, 12, 2)
    assert service.grens_actueel(date(2028, 2, 29)) == date(2027, 2, 28)


def test_overdue_per_aanbieder_and_region_and_the_freshness_figure(client, session):
    _zet(session, VANDAAG)
    qredits = session.scalars(
        select(Dienst).join(Aanbieder).where(Aanbieder.slug == "qredits")
    ).all()
    qredits[0].gecontroleerd_op = date(2025, 12, 1)  # a year and a day
    qredits[1].gecontroleerd_op = date(2025, 12, 2)  # exactly a year: still current
    friesland = session.scalars(
        select(Dienst).where(Dienst.landelijk.is_(False), Dienst.slug.like("%leeuwarden%"))
    ).first()
    friesland.gecontroleerd_op = None  # falls back to its aanbieder's date
    session.execute(
        update(Aanbieder)
        .where(Aanbieder.id == friesland.aanbieder_id)
        .values(gecontroleerd_op=date(2024, 1, 1))
    )
    session.flush()
    items, totaal = service.verouderd(session=session, vandaag=VANDAAG, aanbieder_slug="qredits")
    assert [i.slug for i in items] == [qredits[0].slug] and totaal == 1
    regio = service.regio_gebieden(session=session, soort="provincie", tekst="PV21")
    items, _ = service.verouderd(session=session, vandaag=VANDAAG, regio=regio)
    assert friesland.slug in [i.slug for i in items]
    assert all(i.aanbieder_slug != "qredits" for i in items)  # national diensten left out
    cijfers = {
        a.code: a
        for a in service.actualiteit_per_regio(session=session, soort="provincie", vandaag=VANDAAG)
    }
    assert len(cijfers) == 12
    fr = cijfers["PV21"]
    assert 0 < fr.actueel < fr.diensten and fr.aandeel == fr.actueel / fr.diensten
    assert cijfers["PV31"].aandeel == 1.0  # Limburg: all checked today
    # the same over the API
    r = client.get(
        "/api/v1/verouderde-diensten", params={"aanbieder": "qredits", "peildatum": "2026-12-02"}
    )
    assert [d["slug"] for d in r.json()["resultaten"]] == [qredits[0].slug]
    r = client.get("/api/v1/actualiteit", params={"peildatum": "2026-12-02"})
    assert {a["code"]: a["actueel"] for a in r.json()}["PV21"] == fr.actueel


def test_reminders_go_to_the_redacteuren_once_a_month(session):
    _zet(session, date(2024, 6, 1))  # everything overdue
    redacteur = factories.gebruiker(session, "redacteur", aanbieder="qredits")
    factories.gebruiker(session, "adviseur", aanbieder="qredits")  # not a redacteur: no mail
    session.flush()
    eerst = registerbeheer.stuur_herinneringen(session=session, vandaag=VANDAAG)
    assert eerst["verstuurd"] == 1 and eerst["zonder_redacteur"] > 100
    berichten = session.scalars(
        select(Bericht).where(Bericht.sleutel.like("register-herinnering:%"))
    ).all()
    assert [b.bestemming for b in berichten] == [redacteur.email]
    assert "qredits" in berichten[0].inhoud and "/beheer/aanbieders/qredits" in berichten[0].inhoud
    again = registerbeheer.stuur_herinneringen(session=session, vandaag=date(2026, 12, 20))
    assert again["verstuurd"] == 0 and again["al_verstuurd"] == 1
    assert (
        len(
            session.scalars(
                select(Bericht).where(Bericht.sleutel.like("register-herinnering:%"))
            ).all()
        )
        == 1
    )
    # the next month it comes again; after "still correct" it does not
    assert (
        registerbeheer.stuur_herinneringen(session=session, vandaag=date(2027, 1, 5))["verstuurd"]
        == 1
    )
    service.bevestig(session=session, aanbieder_slug="qredits", vandaag=date(2027, 2, 1))
    assert (
        registerbeheer.stuur_herinneringen(session=session, vandaag=date(2027, 2, 2))["verstuurd"]
        == 0
    )


def test_the_cron_command_runs(monkeypatch, databases):
    engine = databases.engine()  # no register: nothing to remind
    monkeypatch.setenv("STELSEL_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    from stelsel.config import get_settings
    from stelsel.db import get_engine

    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        import typer

        stelsel = typer.Typer()  # as stelsel.cli mounts domains.cli_apps()
        stelsel.add_typer(register_app, name="register")
        stelsel.command("versie")(lambda: None)
        uit = CliRunner().invoke(stelsel, ["register", "herinneringen"])
        assert uit.exit_code == 0, uit.output
        assert "0 herinnering(en) klaargezet" in uit.output
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
