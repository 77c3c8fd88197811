"""GET /api/v1/diensten and /diensten/{id} are written from plain rows (register/service.py
dienst_gegevens, schemas.dienst_waarden), not from ORM objects and DienstRead models: every
dienst in the answer is, byte for byte, what DienstRead built from the ORM row writes, and the
whole answer is what its response model would write. On SQLite and PostgreSQL."""

from sqlalchemy import select

from stelsel.register import service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Dienst
from stelsel.register.schemas import (
    AanbiederKort,
    ContactRead,
    DienstPagina,
    DienstRead,
    Gebied,
    utc,
)


def _uit_orm(d: Dienst, namen: dict[tuple[str, str], str]) -> DienstRead:
    """A dienst as the API built it before, from the ORM row and its relationships."""
    order = {s: i for i, s in enumerate(tx.WERKGEBIED_SOORTEN)}
    c = service.contact(d)
    return DienstRead(
        id=d.id,
        slug=d.slug,
        naam=d.naam,
        omschrijving=d.omschrijving,
        aanbieder=AanbiederKort(
            id=d.aanbieder.id,
            slug=d.aanbieder.slug,
            naam=d.aanbieder.naam,
            korte_naam=d.aanbieder.korte_naam,
        ),
        themas=d.codes("thema"),
        transitiethemas=d.codes("transitiethema"),
        soort=d.soort,
        fasen=d.codes("fase"),
        doelgroepen=d.codes("doelgroep"),
        kanalen=d.codes("kanaal"),
        kosten=d.kosten,
        landelijk=d.landelijk,
        werkgebied=[
            Gebied(soort=w.soort, code=w.code, naam=namen.get((w.soort, w.code), w.code))
            for w in sorted(d.werkgebied, key=lambda w: (order[w.soort], w.code))
        ],
        geldig_van=d.geldig_van,
        geldig_tot=d.geldig_tot,
        trefwoorden=[t for t in d.trefwoorden.split(";") if t],
        website=d.website,
        telefoon=d.telefoon,
        email=d.email,
        adres=d.adres,
        openingstijden=d.openingstijden,
        talen=d.codes("taal"),
        kosten_toelichting=d.kosten_toelichting,
        wachttijd=d.wachttijd,
        upl_uri=d.upl_uri,
        bron=d.bron,
        gecontroleerd_op=d.gecontroleerd_op,
        bijgewerkt_op=utc(d.bijgewerkt_op),
        contact=ContactRead(
            website=c.website,
            telefoon=c.telefoon,
            email=c.email,
            adres=c.adres,
            openingstijden=c.openingstijden,
            van_aanbieder=c.van_aanbieder,
            van_aanbieder_velden=list(c.van_aanbieder_velden),
        ),
    )


def _delen(body: bytes) -> list[bytes]:
    """The JSON of each item of `resultaten`, as written (pydantic writes them one after the
    other, so each is found by writing it again)."""
    pagina = DienstPagina.model_validate_json(body)
    return [d.model_dump_json().encode() for d in pagina.resultaten]


def test_the_list_is_byte_for_byte_what_dienst_read_wrote(client, session):
    r = client.get("/api/v1/diensten", params={"perPagina": 1000})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["API-Version"]
    # the whole answer is what its response model writes for it: the same fields in the same
    # order, the same formats (dates, date-times with their offset, UUIDs)
    assert DienstPagina.model_validate_json(r.content).model_dump_json().encode() == r.content
    body = r.json()
    assert body["totaal"] == len(body["resultaten"]) > 300
    orm = {d.slug: d for d in session.scalars(select(Dienst).where(~Dienst.gearchiveerd))}
    assert [d["slug"] for d in body["resultaten"]] == sorted(orm, key=lambda s: (orm[s].naam, s))
    namen = service.gebiedsnamen(session=session)
    delen = _delen(r.content)
    for d, deel in zip(body["resultaten"], delen, strict=True):
        assert deel == _uit_orm(orm[d["slug"]], namen).model_dump_json().encode(), d["slug"]
    # each item appears in the answer as written: the list is those items, comma-separated
    assert b",".join(delen) in r.content
    # the register holds the kinds of value this covers
    assert any(d["werkgebied"] for d in body["resultaten"])
    assert any(d["contact"]["van_aanbieder_velden"] for d in body["resultaten"])
    assert any(d["geldig_tot"] for d in body["resultaten"])


def test_a_filtered_page_and_its_next_link(client, session):
    params = {"gemeente": "Leeuwarden", "thema": "financiering", "perPagina": 7, "pagina": 2}
    r = client.get("/api/v1/diensten", params=params)
    body = r.json()
    assert DienstPagina.model_validate_json(r.content).model_dump_json().encode() == r.content
    assert len(body["resultaten"]) == 7 and body["totaal"] > 14
    assert "pagina=3" in body["volgende"] and "perPagina=7" in body["volgende"]
    alle = client.get("/api/v1/diensten", params={**params, "perPagina": 1000, "pagina": 1})
    assert body["resultaten"] == alle.json()["resultaten"][7:14]


def test_one_dienst_is_what_dienst_read_wrote_with_its_etag(client, session):
    namen = service.gebiedsnamen(session=session)
    diensten = session.scalars(select(Dienst).where(~Dienst.gearchiveerd).limit(40)).all()
    for d in diensten:
        for sleutel in (d.slug, str(d.id)):
            r = client.get(f"/api/v1/diensten/{sleutel}")
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            assert r.content == _uit_orm(d, namen).model_dump_json().encode()
            assert r.headers["ETag"] == service.etag(session=session, soort="dienst", slug=d.slug)
