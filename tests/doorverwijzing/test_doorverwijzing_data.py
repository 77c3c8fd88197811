"""Concurrency and retention (real, committed databases); the outbox is tested in
tests/meldingen/."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stelsel.accounts import service as accounts
from stelsel.db import session_factory, session_scope
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import Doorverwijzing, Hulpvraag
from stelsel.register import service as register
from stelsel.wegwijzer import service as wegwijzer


def _hulpvraag(session, actor, vraag="lening nodig", gemeente="Leeuwarden", **kw) -> Hulpvraag:
    """A hulpvraag of Jan, with consent to share, taken by the actor."""
    h, _ = service.create_hulpvraag(
        session=session,
        actor=actor,
        data=service.NieuweHulpvraag(
            naam="Jan",
            email="jan@example.nl",
            vraag=vraag,
            gemeente=gemeente,
            delen_met_ontvanger=True,
            tekst_versie="v1",
            **kw,
        ),
    )
    return h


def _adviseur_kvk(session):
    email = f"a{uuid.uuid4().hex[:6]}@kvk.example.nl"
    return accounts.actor(
        accounts.create(session=session, email=email, rol="adviseur", aanbieder="kvk")
    )


def _zaak(engine, naar="qredits") -> tuple[uuid.UUID, list, list]:
    """Committed: users of KVK and the receiver, and one referral from KVK."""
    with session_scope(engine) as s:
        a = _adviseur_kvk(s)
        ontvangers = [
            accounts.actor(
                accounts.create(
                    session=s,
                    email=f"b{i}{uuid.uuid4().hex[:6]}@x.example.nl",
                    rol="adviseur",
                    aanbieder=naar,
                )
            )
            for i in range(2)
        ]
        h = _hulpvraag(s, a, themas=["financiering"])
        dv = service.create_doorverwijzing(
            session=s, actor=a, hulpvraag_id=h.id, naar_aanbieder=naar
        )
        return dv.id, [a], ontvangers


def test_two_advisers_accept_at_once_exactly_one_wins(databases, backend):
    engine = databases.engine(with_register=True)
    dv_id, _, (b1, b2) = _zaak(engine)
    barrier = threading.Barrier(2, timeout=20)
    uitkomsten: list[str] = []

    def accepteer(actor):
        if backend == "sqlite":
            barrier.wait()  # SQLite serialises writers: the race is decided by its write lock
        s = session_factory(engine)()
        try:
            s.get(Doorverwijzing, dv_id)
            if backend == "postgresql":
                barrier.wait()  # both have read status 'verzonden' before either writes
            service.wijzig_status(
                session=s, actor=actor, doorverwijzing_id=dv_id, status=lc.GEACCEPTEERD
            )
            s.commit()
            uitkomsten.append("gewonnen")
        except lc.OngeldigeOvergang:
            s.rollback()
            uitkomsten.append("409")
        finally:
            s.close()

    threads = [threading.Thread(target=accepteer, args=(b,)) for b in (b1, b2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(uitkomsten) == ["409", "gewonnen"]
    with session_scope(engine) as s:
        assert s.get(Doorverwijzing, dv_id).status == lc.GEACCEPTEERD


def test_retention_anonymises_closed_cases_only(databases):
    engine = databases.engine(with_register=True)
    dv_id, _, (b1, _) = _zaak(engine)
    open_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        service.wijzig_status(session=s, actor=b1, doorverwijzing_id=dv_id, status=lc.GEACCEPTEERD)
        service.wijzig_status(
            session=s, actor=b1, doorverwijzing_id=dv_id, status=lc.AFGEROND, uitkomst="opgelost"
        )
    nu = datetime.now(UTC)
    with session_scope(engine) as s:
        assert service.opschonen(session=s, nu=nu) == 0  # retention period not over
    with session_scope(engine) as s:
        assert service.opschonen(session=s, nu=nu + timedelta(days=366)) == 1
    with session_scope(engine) as s:
        gesloten = s.get(Doorverwijzing, dv_id).hulpvraag
        assert (
            gesloten.ondernemer_naam is None
            and gesloten.vraag is None
            and gesloten.geanonimiseerd_op
        )
        assert gesloten.themas == ["financiering"] and gesloten.gemeente_code == "GM0080"
        assert s.get(Doorverwijzing, open_id).hulpvraag.ondernemer_naam == "Jan"
        assert (
            s.scalar(select(Hulpvraag).where(Hulpvraag.geanonimiseerd_op.is_not(None))) is not None
        )


def test_inzage_exports_everything_about_the_entrepreneur(databases):
    engine = databases.engine(with_register=True)
    dv_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        h = s.get(Doorverwijzing, dv_id).hulpvraag
        data = service.inzage(session=s, hulpvraag=h, door=None)
    assert data["hulpvraag"]["ondernemer"]["naam"] == "Jan"
    assert data["toestemmingen"][0]["tekst_versie"] == "v1"
    assert data["doorverwijzingen"][0]["naar_aanbieder"].startswith("Qredits")


@pytest.mark.parametrize("rol", ["regiocoordinator", "stelselregisseur"])
def test_aggregate_roles_cannot_open_cases(databases, rol):
    engine = databases.engine(with_register=True)
    dv_id, _, _ = _zaak(engine)
    with session_scope(engine) as s:
        g = accounts.create(
            session=s,
            email=f"{rol}@example.nl",
            rol=rol,
            regio="PV21" if rol == "regiocoordinator" else None,
        )
        actor = accounts.actor(g)
        with pytest.raises(service.NietGevonden):
            service.get(session=s, actor=actor, doorverwijzing_id=dv_id)


def test_suggestions_are_partner_providers_other_than_ones_own(session):
    kvk = _adviseur_kvk(session)
    vraag = "Mijn bank wil niet meer lenen voor een nieuwe bakoven, wie kan helpen?"
    h = _hulpvraag(session, kvk, vraag, "Sneek")
    namen = []
    for r in service.suggesties(session=session, actor=kvk, hulpvraag=h):
        a = register.aanbieder_rij(session=session, aanbieder_id=r.aanbieder_id)
        assert a is not None and a.id != kvk.aanbieder_id
        assert a.soort in ("publiek", "semipubliek", "non-profit"), a.naam
        namen.append(a.naam)
    # the wegwijzer lists the banks for this question, but they cannot take over a case
    advies = wegwijzer.advies(
        session=session, vraag=h.vraag, gemeente="Sneek", aantal=15, registreer=False
    )
    assert "Banken" in [r.aanbieder_naam for r in advies.resultaten]
    assert "Banken" not in namen and len(namen) == 5


def test_no_suggestion_is_a_stand_in_for_the_desk_in_some_region(session):
    kvk = _adviseur_kvk(session)
    vraag = "Mijn vacatures blijven open staan, wie helpt mij aan personeel?"
    h = _hulpvraag(session, kvk, vraag, gemeente=None)
    advies = wegwijzer.advies(session=session, vraag=vraag, aantal=15, registreer=False)
    staand = {r.aanbieder_id for r in advies.resultaten if r.regio_nodig}
    assert staand  # the wegwijzer offers "the werkgeversservicepunt in your region"
    gekozen = {r.aanbieder_id for r in service.suggesties(session=session, actor=kvk, hulpvraag=h)}
    assert gekozen and not gekozen & staand
