"""Integrity of the register as loaded in the database (both backends)."""

from sqlalchemy import func, select

from stelsel.register.models import Aanbieder, Dienst


def test_every_dienst_has_a_thema_and_a_werkgebied(session):
    for d in session.scalars(select(Dienst)):
        assert d.codes("thema"), d.slug
        assert d.landelijk or d.werkgebied, d.slug
        assert not (d.landelijk and d.werkgebied), d.slug


def test_no_duplicate_aanbieders(session):
    namen = session.scalars(select(func.lower(Aanbieder.naam))).all()
    assert len(namen) == len(set(namen))


def test_every_aanbieder_offers_a_dienst(session):
    assert all(a.diensten for a in session.scalars(select(Aanbieder)))
