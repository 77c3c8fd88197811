"""The permission matrix of registerbeheer: every write and workflow endpoint × every kind of
caller (anonymous, an adviseur, a redacteur of the aanbieder, a redacteur of another aanbieder,
a registerbeheerder, a beheerder), on SQLite and PostgreSQL. A refusal writes nothing and
leaves an audit entry."""

import pytest
from sqlalchemy import func, select

from stelsel.accounts.models import AuditRegel
from stelsel.register import service
from tests import factories

EIGEN = "qredits"
D_WIJZIG, D_CONCEPT, D_BEOORDELING, D_AFWIJZEN, D_ARCHIEF = (
    "qredits-coaching",
    "qredits-microkrediet",
    "qredits-mkb-krediet",
    "qredits-mkb-diagnosetool",
    "qredits-duurzaamheidslening-overijssel",
)
ROLLEN = ["anoniem", "adviseur", "redacteur", "redacteur-ander", "registerbeheerder", "beheerder"]
# who may: E = editors of the entry (its redacteur and the registerbeheerder), B = only the
# registerbeheerder, L = every redacteur may list (its own), nobody else.
MAG = {
    "E": {"redacteur", "registerbeheerder"},
    "B": {"registerbeheerder"},
    "L": {"redacteur", "redacteur-ander", "registerbeheerder"},
}
NIEUWE_DIENST = {
    "id": "qredits-matrixdienst",
    "aanbieder": EIGEN,
    "naam": "Matrixdienst",
    "omschrijving": "Een dienst voor de toegangsmatrix.",
    "themas": ["financiering"],
    "soort": "advies",
    "kosten": "gratis",
}
NIEUWE_AANBIEDER = {
    "id": "matrix-aanbieder",
    "naam": "Matrix Aanbieder",
    "soort": "non-profit",
    "niveau": "landelijk",
    "eerstelijns": True,
    "tweedelijns": False,
    "omschrijving": "Een aanbieder voor de toegangsmatrix.",
    "bron": "test",
}


def _draft(session, slug, status, beheerder):
    """A draft of one of Qredits' diensten in a workflow state, made through the service."""
    huidig = service.werkversie(session=session, soort="dienst", slug=slug)
    v = service.bewaar(
        session=session,
        soort="dienst",
        slug=slug,
        gegevens={**huidig.gegevens, "wachttijd": "2 weken"},
        verwacht_etag=huidig.etag,
        auteur_id=beheerder.id,
        auteur_rol=beheerder.rol,
    )
    if status == "ter_beoordeling":
        v = service.dien_in(session=session, versie_id=v.id)
    return v


@pytest.mark.parametrize("rol", ROLLEN)
def test_registerbeheer_permission_matrix(client, session, rol):
    beheerder = factories.gebruiker(session, "registerbeheerder")
    concept = _draft(session, D_CONCEPT, "concept", beheerder)
    beoordeling = _draft(session, D_BEOORDELING, "ter_beoordeling", beheerder)
    afwijzen = _draft(session, D_AFWIJZEN, "ter_beoordeling", beheerder)
    kop = {}
    if rol != "anoniem":
        soort, aanbieder = {
            "adviseur": ("adviseur", EIGEN),
            "redacteur": ("redacteur", EIGEN),
            "redacteur-ander": ("redacteur", "kvk"),
            "registerbeheerder": ("registerbeheerder", None),
            "beheerder": ("beheerder", None),
        }[rol]
        _, token = factories.met_token(session, soort, aanbieder=aanbieder)
        kop = {"Authorization": f"Bearer {token}"}
    session.flush()

    def etag(soort, slug):
        return {**kop, "If-Match": service.etag(session=session, soort=soort, slug=slug)}

    cellen = [
        ("E", "GET", f"/api/v1/diensten/{D_WIJZIG}/werkversie", None, {}, 200),
        ("E", "PATCH", f"/api/v1/diensten/{D_WIJZIG}", {"wachttijd": "1 week"}, "dienst", 200),
        ("E", "GET", f"/api/v1/diensten/{D_WIJZIG}/versies", None, {}, 200),
        ("E", "POST", "/api/v1/diensten", NIEUWE_DIENST, {}, 201),
        ("E", "DELETE", f"/api/v1/diensten/{D_ARCHIEF}", None, "dienst", 202),
        (
            "E",
            "PATCH",
            f"/api/v1/aanbieders/{EIGEN}",
            {"telefoon": "088 000 0000"},
            "aanbieder",
            200,
        ),
        ("E", "POST", f"/api/v1/aanbieders/{EIGEN}/bevestiging", None, {}, 200),
        ("E", "GET", f"/api/v1/wijzigingen/{concept.id}", None, {}, 200),
        ("E", "POST", f"/api/v1/wijzigingen/{concept.id}/indienen", None, {}, 200),
        ("B", "POST", f"/api/v1/wijzigingen/{beoordeling.id}/publiceren", None, {}, 200),
        (
            "B",
            "POST",
            f"/api/v1/wijzigingen/{afwijzen.id}/afwijzen",
            {"toelichting": "nee"},
            {},
            200,
        ),
        ("B", "POST", "/api/v1/aanbieders", NIEUWE_AANBIEDER, {}, 201),
        ("L", "GET", "/api/v1/wijzigingen", None, {}, 200),
    ]
    for wie, methode, url, body, extra, gelukt in cellen:
        slug = url.split("/")[4] if url.count("/") >= 4 else ""
        koppen = etag(extra, slug) if isinstance(extra, str) else kop
        geweigerd = session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
        r = client.request(methode, url, json=body, headers=koppen)
        if rol == "anoniem":
            verwacht = 401
        elif rol in MAG[wie]:
            verwacht = gelukt
        else:
            verwacht = 403
        assert r.status_code == verwacht, (rol, methode, url, r.status_code, r.text[:300])
        if verwacht == 403:
            assert (
                session.scalar(select(func.count()).where(AuditRegel.uitkomst == "geweigerd"))
                > geweigerd
            ), f"a refusal is audited ({methode} {url})"
    # what a refused caller tried left the register and the drafts as they were
    if rol not in MAG["E"]:
        assert service.dienst_rij(session=session, dienst_id=D_BEOORDELING).wachttijd == ""
        assert service.werkversie(session=session, soort="dienst", slug=D_WIJZIG).open is None
        assert (
            service.werkversie(session=session, soort="dienst", slug=D_CONCEPT).status == "concept"
        )
    if rol == "redacteur-ander":
        # it lists only its own aanbieder's versions
        lijst = client.get("/api/v1/wijzigingen", headers=kop).json()["resultaten"]
        assert all(v["aanbieder"] == "kvk" for v in lijst)
