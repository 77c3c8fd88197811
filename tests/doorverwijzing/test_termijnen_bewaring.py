"""Deadlines that act and retention that cannot be blocked, on both databases."""

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from stelsel.config import Settings, get_settings, instellingsfouten
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag
from stelsel.meldingen.models import Bericht
from tests import factories


def _soorten(session) -> list[str]:
    return [json.loads(b.inhoud)["type"] for b in session.scalars(select(Bericht))]


def _termijn(session, dv_id, termijn: date) -> None:
    session.execute(
        update(Doorverwijzing)
        .where(Doorverwijzing.id == dv_id)
        .values(eerste_contact_voor=termijn)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()


def test_reminder_escalation_and_expiry_each_happen_once(session):
    regio = factories.gebruiker(session, "regiocoordinator", regio="PV21")  # Fryslân
    zaak = factories.zaak(session)  # Leeuwarden, KVK → Qredits
    termijn = date(2026, 12, 9)  # a Wednesday
    _termijn(session, zaak.doorverwijzing_id, termijn)
    voor = len(_soorten(session))

    # two working days before: nothing yet
    assert service.bewaak(session=session, vandaag=date(2026, 12, 7)) == service.Bewaakt()
    # the working day before: a reminder to the receiver, once
    assert service.bewaak(session=session, vandaag=date(2026, 12, 8)).herinnerd == 1
    assert service.bewaak(session=session, vandaag=date(2026, 12, 8)).herinnerd == 0
    assert _soorten(session)[voor:] == ["doorverwijzing.herinnering"]
    # overdue: an escalation to the sender and the region's coordinator, once
    assert service.bewaak(session=session, vandaag=date(2026, 12, 10)).geescaleerd == 1
    assert service.bewaak(session=session, vandaag=date(2026, 12, 11)).geescaleerd == 0
    escalaties = session.scalars(
        select(Bericht).where(Bericht.onderwerp.like("%zonder antwoord%"))
    ).all()
    assert {b.bestemming for b in escalaties} >= {zaak.verzender.email, regio.email}
    # past the expiry: mislukt with reason verlopen, and the sender hears it
    laatste = lc.plus_werkdagen(termijn, get_settings().verloop_werkdagen)
    assert service.bewaak(session=session, vandaag=laatste - timedelta(days=1)).verlopen == 0
    assert service.bewaak(session=session, vandaag=laatste).verlopen == 1
    dv = session.get(Doorverwijzing, zaak.doorverwijzing_id)
    assert (dv.status, dv.reden_code) == (lc.MISLUKT, lc.VERLOPEN)
    assert "doorverwijzing.mislukt" in _soorten(session)
    assert service.bewaak(session=session, vandaag=laatste + timedelta(days=30)) == (
        service.Bewaakt()
    )


def test_an_answered_referral_gets_no_reminder(session):
    zaak = factories.zaak(session, staat=lc.GEACCEPTEERD)
    _termijn(session, zaak.doorverwijzing_id, date(2026, 12, 9))
    assert service.bewaak(session=session, vandaag=date(2027, 3, 1)) == service.Bewaakt()


def test_a_forgotten_open_referral_cannot_keep_personal_data(session, monkeypatch):
    zaak = factories.zaak(session)  # never answered
    afgerond = factories.zaak(session, staat=lc.AFGEROND)
    h = session.get(Hulpvraag, zaak.hulpvraag_id)
    laatst = session.get(Doorverwijzing, zaak.doorverwijzing_id).bijgewerkt_op
    s = get_settings()
    na_termijn = laatst + timedelta(days=s.bewaartermijn_dagen + 1)
    # past the retention period the closed case goes, the open one gets the grace period
    assert service.opschonen(session=session, nu=na_termijn) == 1
    assert session.get(Hulpvraag, afgerond.hulpvraag_id).ondernemer_naam is None
    assert h.ondernemer_naam == "Jan de Vries"
    # after the grace period it is closed as verlopen and its data removed
    na_uitstel = na_termijn + timedelta(days=s.bewaartermijn_extra_dagen)
    assert service.opschonen(session=session, nu=na_uitstel) == 1
    session.expire_all()
    h = session.get(Hulpvraag, zaak.hulpvraag_id)
    assert (h.ondernemer_naam, h.ondernemer_email, h.vraag) == (None, None, None)
    dv = session.get(Doorverwijzing, zaak.doorverwijzing_id)
    assert (dv.status, dv.reden_code, dv.notitie) == (lc.MISLUKT, lc.VERLOPEN, None)


def test_removal_forgets_the_messages_to_the_entrepreneur(session):
    zaak = factories.zaak(session, berichten=True)
    h = session.get(Hulpvraag, zaak.hulpvraag_id)
    assert session.scalars(select(Bericht).where(Bericht.bestemming == h.ondernemer_email)).all()
    service.anonimiseer(session=session, hulpvraag=h, door=None, doel="test")
    session.flush()
    assert not session.scalars(
        select(Bericht).where(Bericht.bestemming == "jan.devries@example.nl")
    ).all()


@pytest.mark.parametrize(
    ("waarde", "uitleg"),
    [
        ("0", "minstens 30"),
        ("-5", "minstens 30"),
        ("5000", "hoogstens 1095"),
        ("jaar", "heel getal"),
    ],
)
def test_nonsense_retention_settings_are_explained(waarde, uitleg, monkeypatch):
    monkeypatch.setenv("STELSEL_BEWAARTERMIJN_DAGEN", waarde)
    with pytest.raises(ValidationError) as fout:
        Settings()
    (regel,) = instellingsfouten(fout.value)
    assert regel.startswith("STELSEL_BEWAARTERMIJN_DAGEN: ") and uitleg in regel


def test_a_nonsense_setting_stops_the_command_with_its_explanation(tmp_path):
    """The whole path, once, in a real process: exit code 2 and the line, not a traceback."""
    r = subprocess.run(
        [sys.executable, "-m", "stelsel.cli", "opschonen"],
        env={
            "PATH": "/usr/bin:/bin",
            "STELSEL_BEWAARTERMIJN_DAGEN": "0",
            "STELSEL_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2
    assert "STELSEL_BEWAARTERMIJN_DAGEN: moet minstens 30 zijn (nu: 0)" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
