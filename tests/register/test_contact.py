"""Contact and access on every dienst (issue 12, item 2): a dienst without contact data of its
own inherits its aanbieder's, field by field, and the page and the API say so."""

from sqlalchemy import select

from stelsel.register import service
from stelsel.register.models import Aanbieder, Dienst


def test_the_inheritance_rule_field_by_field():
    aanbieder = {"website": "https://a.nl", "telefoon": "058 1", "adres": "Markt 1"}
    c = service.contact_uit({}, aanbieder)
    assert c.van_aanbieder and c.telefoon == "058 1" and c.adres == "Markt 1"
    assert c.van_aanbieder_velden == ("website", "telefoon", "adres")
    c = service.contact_uit({"telefoon": "088 2", "email": "d@x.nl"}, aanbieder)
    assert not c.van_aanbieder and c.telefoon == "088 2" and c.email == "d@x.nl"
    assert c.website == "https://a.nl" and c.van_aanbieder_velden == ("website", "adres")
    assert service.contact_uit({}, {}).leeg


def _dienst_zonder_eigen_contact(session) -> Dienst:
    return session.scalars(
        select(Dienst)
        .join(Aanbieder)
        .where(Aanbieder.telefoon != "", Dienst.telefoon == "", Dienst.email == "")
        .where(Dienst.website == "", Dienst.adres == "", Dienst.openingstijden == "")
        .order_by(Dienst.slug)
    ).first()


def test_api_and_page_say_the_contact_is_the_aanbieders(client, session):
    d = _dienst_zonder_eigen_contact(session)
    body = client.get(f"/api/v1/diensten/{d.slug}").json()
    assert body["contact"]["van_aanbieder"] is True
    assert body["contact"]["telefoon"] == d.aanbieder.telefoon
    page = client.get(f"/diensten/{d.slug}").text
    assert "Deze dienst heeft geen eigen contactgegevens" in page
    assert d.aanbieder.telefoon in page


def test_own_contact_wins_and_the_rest_is_marked(client, session):
    d = _dienst_zonder_eigen_contact(session)
    d.telefoon = "088 765 4321"
    d.openingstijden = "ma–vr 9–17 uur"
    session.flush()
    body = client.get(f"/api/v1/diensten/{d.slug}").json()
    assert body["telefoon"] == "088 765 4321"
    assert body["contact"]["telefoon"] == "088 765 4321" and not body["contact"]["van_aanbieder"]
    assert "telefoon" not in body["contact"]["van_aanbieder_velden"]
    page = client.get(f"/diensten/{d.slug}").text
    assert "088 765 4321" in page and "ma–vr 9–17 uur" in page
    assert f"(van {d.aanbieder.naam})" in page.replace("&#39;", "'")


def test_the_plain_values_for_the_wegwijzer(session):
    d = _dienst_zonder_eigen_contact(session)
    assert service.contact_van_dienst(session=session, dienst_id=d.slug).telefoon == (
        d.aanbieder.telefoon
    )
    bulk = service.contacten(session=session, dienst_ids=[str(d.id), "geen-uuid"])
    assert bulk[str(d.id)] == service.contact(d)
    zoek = {z.slug: z for z in service.zoekdiensten(session=session)}
    assert zoek[d.slug].aanbieder_naam == d.aanbieder.naam
    assert list(zoek[d.slug].themas) == d.codes("thema")
    assert len(zoek) == service.counts(session=session)["diensten"]
