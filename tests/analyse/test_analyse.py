"""The analyses on the bundled register, on SQLite and PostgreSQL: the toets, the scan of every
provincie and arbeidsmarktregio, the basisinfrastructuur of all 342 gemeenten, the read modules,
and the API with its permission matrix."""

import uuid
from datetime import UTC, datetime

import pytest

from stelsel.analyse import service
from stelsel.errors import NietGevonden, Ongeldig
from stelsel.wegwijzer.models import Vraagsignaal
from tests import factories

KOPIE = {
    # a copy of "MKB-krediet voor gevestigde bedrijven" (Qredits) with a reworded description
    "naam": "Krediet voor gevestigde mkb-bedrijven",
    "omschrijving": (
        "Heeft uw gevestigde bedrijf geld nodig om te groeien of te investeren en lukt het bij "
        "de bank niet? U kunt een mkb-krediet aanvragen, met begeleiding door een coach."
    ),
    "soort": "financiering",
    "themas": ["financiering"],
    "fasen": ["kunnen"],
    "doelgroepen": ["peloton", "groeien", "micro", "klein"],
    "werkgebied": [],
}
NIEUW = {
    "naam": "Exportlab voor Friese zuivelmakers",
    "omschrijving": (
        "Kleine kaasmakers uit Friesland testen samen nieuwe buitenlandse markten "
        "met proefzendingen."
    ),
    "soort": "programma",
    "themas": ["internationalisering"],
    "fasen": ["ontmoeten"],
    "doelgroepen": ["koplopers"],
    "werkgebied": ["GM0080"],
}


def test_duplicated_dienst_is_dubbel(session):
    r = service.toets_als_dict(session=session, **KOPIE)
    assert r["oordeel"] == "dubbel", r
    assert r["overlap"][0]["dienst"]["slug"] == "qredits-mkb-krediet"
    assert any("thema" in x for x in r["overlap"][0]["redenen"])


def test_truly_new_dienst_is_aanvullend(session):
    r = service.toets_als_dict(session=session, **NIEUW)
    assert r["oordeel"] == "aanvullend", r
    assert r["gemeenten"] == 1
    assert any(g["thema"] == "internationalisering" and g["zonder_persoonlijk"] for g in r["gaten"])


def test_same_aanbieder_is_named(session):
    r = service.toets_als_dict(session=session, **KOPIE, aanbieder="qredits")
    assert "zelfde aanbieder" in r["overlap"][0]["redenen"]


def test_expired_and_archived_diensten_are_left_out(session):
    from datetime import date, timedelta

    from stelsel.register import service as register
    from stelsel.register.models import Dienst

    vandaag = date.today()
    verlopen = session.query(Dienst).filter_by(slug="qredits-mkb-krediet").one()
    verlopen.geldig_tot = vandaag - timedelta(days=1)
    weg = session.query(Dienst).filter_by(slug="kvk-handelsnaam").one()
    weg.gearchiveerd = True
    session.flush()
    slugs = {d.slug for d in register.analysebron.alle_diensten(session=session, vandaag=vandaag)}
    assert "qredits-mkb-krediet" not in slugs and "kvk-handelsnaam" not in slugs
    assert "qredits-microkrediet" in slugs
    r = service.toets_als_dict(session=session, **KOPIE)
    assert all(o["dienst"]["slug"] != "qredits-mkb-krediet" for o in r["overlap"])


def test_existing_dienst_is_not_its_own_overlap(session):
    r = service.toets_als_dict(session=session, dienst="qredits-mkb-krediet")
    assert all(o["dienst"]["slug"] != "qredits-mkb-krediet" for o in r["overlap"])
    with pytest.raises(NietGevonden):
        service.toets_als_dict(session=session, dienst="bestaat-niet")


@pytest.mark.parametrize(
    ("veld", "waarde"),
    [
        ("themas", ["onzin"]),
        ("themas", []),
        ("werkgebied", ["PV99"]),
        ("fasen", ["later"]),
        ("soort", "x"),
        ("naam", " "),
    ],
)
def test_bad_proposal_names_the_field(session, veld, waarde):
    with pytest.raises(Ongeldig) as e:
        service.toets_als_dict(session=session, **{**NIEUW, veld: waarde})
    assert e.value.veld == veld


def test_scan_of_every_provincie_and_arbeidsmarktregio(session, backend):
    from stelsel.analyse import rapport

    keuzes = service.regio_keuzes(session=session)
    codes = [c for c, _ in keuzes["provincie"] + keuzes["arbeidsmarktregio"]]
    assert len(codes) == 12 + 35
    for code in codes:
        s = service.ecosysteemscan(session=session, regio=code)
        assert s.gemeenten and s.aantal_diensten >= s.landelijk > 0
        assert len(s.thema_fase) == 7 * 4 and len(s.thema_doelgroep) == 7 * 12
        assert len(s.basis) == len(s.gemeenten)
        assert 0 <= s.gini <= 1
        if backend == "sqlite":  # rendering is pure: once is enough
            for svg in (
                rapport.heatmap_fase(s),
                rapport.heatmap_doelgroep(s),
                rapport.kaart_dekking(s),
            ):
                assert svg.startswith("<svg") and s.naam in svg
            assert len(rapport.tabel_basis(s).rijen) == len(s.gemeenten)


def test_basisinfrastructuur_for_all_342_gemeenten(session):
    idx, maskers = service.index(session=session)
    import numpy as np

    from stelsel.analyse import scan as sc

    checks = sc.basisinfrastructuur(idx, maskers, np.arange(len(idx.gemeenten)))
    assert len(checks) == 342
    for c in checks:
        assert set(c.onderdelen) == {r.code for r in sc.BASISREGELS}
    # every gemeente in the bundled register has its own ondernemersloket and a WSP
    assert all(c.onderdelen["eerstelijns"] == "lokaal" for c in checks)
    assert all(c.onderdelen["werkgeversservicepunt"] == "lokaal" for c in checks)


def test_bad_region_code(session):
    for code in ("PV99", "XX01", "", "GM"):
        with pytest.raises(Ongeldig) as e:
            service.ecosysteemscan(session=session, regio=code)
        assert e.value.veld == "regio"


def test_demand_counts_come_from_signals_and_cases(session):
    nu = datetime.now(UTC)
    for i in range(12):
        s = Vraagsignaal(
            id=uuid.uuid4(),
            tijdstip=nu,
            soort="advies",
            gemeente_code="GM0080",
            provincie_code="PV21",
            aantal_resultaten=0 if i < 4 else 3,
        )
        s.themas = ["personeel"]
        session.add(s)
    session.flush()
    factories.zaak(session, themas=["personeel"])  # Leeuwarden = GM0080
    va = service.vraag_versus_aanbod(session=session, regio="PV21")
    rij = next(r for r in va.rijen if r.thema == "personeel")
    assert rij.signalen == 12 and rij.zonder_deur is None  # 4 < minimum: hidden
    assert rij.hulpvragen is None  # 1 case: hidden
    assert rij.diensten > 0 and rij.onderbediend  # a third found no door
    r = service.toets_als_dict(session=session, **{**NIEUW, "themas": ["personeel"]})
    assert r["vraag"]["per_thema"]["personeel"]["signalen"] == 12


def test_index_follows_register_changes(session):
    idx, _ = service.index(session=session)
    from stelsel.register.models import Dienst

    d = session.query(Dienst).filter_by(slug="qredits-mkb-krediet").one()
    session.delete(d)
    session.flush()
    idx2, _ = service.index(session=session)
    assert idx2 is not idx and "qredits-mkb-krediet" not in idx2.pos


# --- API ------------------------------------------------------------------------------------

ROUTES = [
    ("post", "/api/v1/consistentietoets", {"json": NIEUW}),
    ("get", "/api/v1/ecosysteemscan?regio=AM24", {}),
    ("get", "/api/v1/vraag-aanbod?regio=PV21", {}),
]


@pytest.fixture
def tokens(session) -> dict[str, str]:
    uit = {}
    for rol, extra in [
        ("regiocoordinator", {"regio": "PV21"}),
        ("stelselregisseur", {}),
        ("beheerder", {}),
        ("adviseur", {"aanbieder": "kvk"}),
        ("redacteur", {"aanbieder": "kvk"}),
        ("registerbeheerder", {}),
        ("manager", {"aanbieder": "kvk"}),
    ]:
        uit[rol] = factories.met_token(session, rol, **extra)[1]
    session.flush()
    return uit


def test_permission_matrix(client, tokens):
    mag = {"regiocoordinator", "stelselregisseur", "beheerder"}
    for methode, url, extra in ROUTES:
        assert getattr(client, methode)(url, **extra).status_code == 401, url
        for rol, token in tokens.items():
            r = getattr(client, methode)(url, headers={"Authorization": f"Bearer {token}"}, **extra)
            assert r.status_code == (200 if rol in mag else 403), (url, rol, r.text)


def test_api_shapes_and_bad_region(client, tokens):
    h = {"Authorization": f"Bearer {tokens['stelselregisseur']}"}
    r = client.post("/api/v1/consistentietoets", json=KOPIE, headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["oordeel"] == "dubbel"
    assert {"dienst", "score", "redenen"} <= set(body["overlap"][0])
    assert "per_thema" in body["vraag"]
    s = client.get("/api/v1/ecosysteemscan?regio=pv21", headers=h).json()
    assert s["code"] == "PV21" and len(s["basisinfrastructuur"]) == len(s["gemeenten"])
    for url in ("/api/v1/ecosysteemscan?regio=PV99", "/api/v1/vraag-aanbod?regio=nergens"):
        r = client.get(url, headers=h)
        assert r.status_code == 400
        assert r.json()["invalid_params"][0]["name"] == "regio"
    r = client.post("/api/v1/consistentietoets", json={**NIEUW, "themas": ["x"]}, headers=h)
    assert r.status_code == 400 and r.json()["invalid_params"][0]["name"] == "themas"
