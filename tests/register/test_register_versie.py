"""The register's version changes with every write to it, so the wegwijzer's cached index is
rebuilt after a change and only then."""

from sqlalchemy import select

from stelsel.register import service
from stelsel.register.models import Dienst, DienstKenmerk
from stelsel.wegwijzer import service as wegwijzer


def test_reads_and_other_writes_keep_the_version(session):
    voor = service.versie(session=session)
    assert voor
    service.get_all_diensten(session=session, filter=service.DienstFilter())
    wegwijzer.advies(session=session, vraag="Ik wil exporteren")  # writes a demand signal
    session.flush()
    assert service.versie(session=session) == voor


def test_changing_removing_or_adding_a_label_gives_a_new_version(session):
    dienst = session.scalars(select(Dienst).order_by(Dienst.slug)).first()
    versies = [service.versie(session=session)]
    dienst.naam = dienst.naam + " (nieuw)"
    session.flush()
    versies.append(service.versie(session=session))
    session.add(DienstKenmerk(dienst_id=dienst.id, soort="trefwoord", code="testwoord"))
    session.flush()
    versies.append(service.versie(session=session))
    session.delete(dienst)
    session.flush()
    versies.append(service.versie(session=session))
    assert len(set(versies)) == 4


def test_the_wegwijzer_finds_a_renamed_dienst_at_once(session):
    dienst = session.scalars(select(Dienst).where(Dienst.slug.like("qredits%"))).first()
    vraag = "zeppelinwerf voor luchtschepen"
    assert all(
        r.dienst_slug != dienst.slug
        for r in wegwijzer.advies(session=session, vraag=vraag).resultaten
    )
    dienst.naam = "Zeppelinwerf voor luchtschepen"
    dienst.omschrijving = "Wij helpen met de zeppelinwerf voor luchtschepen."
    session.flush()
    gevonden = wegwijzer.advies(session=session, vraag=vraag).resultaten
    assert dienst.slug in [r.dienst_slug for r in gevonden]


def test_contact_data_alone_keeps_the_version_a_name_does_not(session):
    """The wegwijzer's index holds no contact data, so a provider keeping its phone number and
    desk address current does not make every worker rebuild it."""
    from stelsel.register.models import Aanbieder

    a = session.scalars(select(Aanbieder).order_by(Aanbieder.slug)).first()
    voor = service.versie(session=session)
    a.email, a.telefoon, a.website = "balie@example.nl", "030 123 45 67", "https://example.nl"
    session.flush()
    assert service.versie(session=session) == voor
    a.naam = a.naam + " (nieuw)"
    session.flush()
    assert service.versie(session=session) != voor
