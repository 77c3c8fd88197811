"""The pure cores on a small hand-made register: every basisinfrastructuur rule, white spots,
overlap, Gini, the verdict and the network copies. No database."""

import uuid

import numpy as np
import pytest

from stelsel.analyse import overlap as ov
from stelsel.analyse import scan as sc
from stelsel.analyse.index import GemeenteInfo, Index
from stelsel.analyse.vraagaanbod import vraag_aanbod
from stelsel.register import service as register

AnalyseDienst = register.analysebron.AnalyseDienst

GEMEENTEN = [
    GemeenteInfo("GM0001", "Aadorp", "PV01", "CR01", "AM01"),
    GemeenteInfo("GM0002", "Beekstad", "PV01", "CR01", "AM01"),
    GemeenteInfo("GM0003", "Cedam", "PV01", "CR02", "AM02"),
    GemeenteInfo("GM0004", "Dorpen", "PV02", "CR03", "AM03"),
]
NAMEN = {
    **{("gemeente", g.code): g.naam for g in GEMEENTEN},
    ("provincie", "PV01"): "Noordland",
    ("provincie", "PV02"): "Zuidland",
    ("corop", "CR01"): "Kop",
    ("corop", "CR02"): "Midden",
    ("corop", "CR03"): "Zuid",
    ("arbeidsmarktregio", "AM01"): "Regio Een",
    ("arbeidsmarktregio", "AM02"): "Regio Twee",
    ("arbeidsmarktregio", "AM03"): "Regio Drie",
}


def dienst(slug: str, **v) -> AnalyseDienst:
    basis = {
        "id": uuid.uuid5(uuid.NAMESPACE_DNS, slug),
        "slug": slug,
        "naam": slug,
        "omschrijving": "",
        "trefwoorden": "",
        "soort": "advies",
        "landelijk": False,
        "geldig_tot": None,
        "aanbieder_slug": "a-" + slug,
        "aanbieder_naam": "Aanbieder " + slug,
        "aanbieder_soort": "publiek",
        "aanbieder_niveau": "regionaal",
        "eerstelijns": True,
        "themas": ("bedrijfsvoering",),
        "fasen": ("weten",),
        "kanalen": ("fysiek",),
    }
    basis.update(v)
    if not basis["werkgebied"] if "werkgebied" in basis else False:
        basis["landelijk"] = True
    return AnalyseDienst(**basis)


LOKET = {
    "soort": "informatie",
    "themas": ("wet-en-regelgeving", "bedrijfsvoering"),
    "fasen": ("weten", "willen"),
    "kanalen": ("online", "fysiek"),
    "aanbieder_niveau": "lokaal",
}
WSP = {
    "themas": ("personeel",),
    "transitiethemas": ("arbeidsmarkt",),
    "fasen": ("willen", "kunnen"),
    "kanalen": ("telefoon",),
}
ROM = {
    "soort": "financiering",
    "themas": ("financiering", "innovatie"),
    "fasen": ("kunnen",),
    "kanalen": ("telefoon", "fysiek"),
}
LWL = {
    "aanbieder_soort": "semipubliek",
    "themas": ("personeel",),
    "transitiethemas": ("arbeidsmarkt",),
    "fasen": ("weten", "willen"),
    "kanalen": ("online",),
}
ZWAAR = {"themas": ("zwaar-weer", "financiering"), "fasen": ("kunnen",), "kanalen": ("telefoon",)}
GELD = {"soort": "financiering", "themas": ("financiering",), "fasen": ("kunnen",), "kanalen": ()}


def register_klein() -> list[AnalyseDienst]:
    """GM0001 has everything; GM0002 only what its AM and PV give; GM0003 and GM0004 less."""
    return [
        dienst("loket-aadorp", werkgebied=(("gemeente", "GM0001"),), **LOKET),
        dienst("wsp-een", werkgebied=(("arbeidsmarktregio", "AM01"),), **WSP),
        dienst("lwl-een", werkgebied=(("arbeidsmarktregio", "AM01"),), **LWL),
        dienst("rom-noord", werkgebied=(("provincie", "PV01"),), **ROM),
        dienst("bbz-aadorp", werkgebied=(("gemeente", "GM0001"),), **ZWAAR),
        dienst("lening-kop", werkgebied=(("corop", "CR01"),), **GELD),
        dienst("info-landelijk", soort="informatie", fasen=("weten", "willen"), landelijk=True),
    ]


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(register_klein(), GEMEENTEN, NAMEN)


def _basis(index: Index, code: str) -> dict[str, str]:
    checks = sc.basisinfrastructuur(index, sc.basismaskers(index), np.arange(len(GEMEENTEN)))
    return next(c for c in checks if c.gemeente == code).onderdelen


def test_availability_follows_the_werkgebied(index):
    j = index.pos["wsp-een"]
    assert index.beschikbaar[:, j].tolist() == [True, True, False, False]
    assert index.beschikbaar[:, index.pos["info-landelijk"]].all()
    assert index.beschikbaar[:, index.pos["lening-kop"]].tolist() == [True, True, False, False]


def test_gemeente_with_everything_passes_every_rule(index):
    assert _basis(index, "GM0001") == {
        "eerstelijns": "lokaal",
        "werkgeversservicepunt": "lokaal",
        "rom": "lokaal",
        "leerwerkloket": "lokaal",
        "zwaar_weer": "lokaal",
        "financiering": "lokaal",
    }


def test_each_rule_fails_where_its_dienst_is_missing(index):
    b2 = _basis(index, "GM0002")
    assert b2["eerstelijns"] == "ontbreekt"  # the loket is Aadorp's only
    assert b2["zwaar_weer"] == "ontbreekt"  # so is the Bbz help
    assert b2["werkgeversservicepunt"] == b2["leerwerkloket"] == "lokaal"
    b3 = _basis(index, "GM0003")
    assert b3["werkgeversservicepunt"] == b3["leerwerkloket"] == "ontbreekt"  # other AM
    assert b3["rom"] == "lokaal" and b3["financiering"] == "lokaal"  # the ROM lends
    b4 = _basis(index, "GM0004")
    assert set(b4.values()) == {"ontbreekt"}


@pytest.mark.parametrize(
    ("regel", "goed", "fout"),
    [
        ("eerstelijns", LOKET, {**LOKET, "themas": ("bedrijfsvoering",)}),
        ("eerstelijns", LOKET, {**LOKET, "kanalen": ("online",)}),
        ("eerstelijns", LOKET, {**LOKET, "eerstelijns": False}),
        ("werkgeversservicepunt", WSP, {**WSP, "fasen": ("weten",)}),
        ("werkgeversservicepunt", WSP, {**WSP, "aanbieder_soort": "semipubliek"}),
        ("rom", ROM, {**ROM, "themas": ("financiering",)}),
        ("rom", ROM, {**ROM, "aanbieder_niveau": "lokaal"}),
        ("leerwerkloket", LWL, {**LWL, "transitiethemas": ()}),
        ("leerwerkloket", LWL, {**LWL, "soort": "informatie"}),
        ("zwaar_weer", ZWAAR, {**ZWAAR, "soort": "informatie"}),
        ("zwaar_weer", ZWAAR, {**ZWAAR, "kanalen": ("online",)}),
        ("financiering", GELD, {**GELD, "soort": "informatie"}),
    ],
)
def test_each_rule_on_one_dienst(regel, goed, fout):
    r = next(b for b in sc.BASISREGELS if b.code == regel)
    gebied = {"werkgebied": (("arbeidsmarktregio", "AM01"),)}
    if regel == "rom":
        gebied = {"werkgebied": (("provincie", "PV01"),)}
    assert r.regel(dienst("x", **gebied, **goed))
    assert not r.regel(dienst("x", **gebied, **fout))


def test_national_dienst_counts_only_where_the_rule_says_so():
    zwaar = next(b for b in sc.BASISREGELS if b.code == "zwaar_weer")
    wsp = next(b for b in sc.BASISREGELS if b.code == "werkgeversservicepunt")
    assert zwaar.regel(dienst("hulplijn", landelijk=True, **ZWAAR))
    assert not wsp.regel(dienst("uwv", landelijk=True, **WSP))
    idx = Index([dienst("hulplijn", landelijk=True, **ZWAAR)], GEMEENTEN, NAMEN)
    assert _basis(idx, "GM0004")["zwaar_weer"] == "landelijk"


def test_white_spots_and_overlap(index):
    s = sc.scan(index, sc.basismaskers(index), "PV02")  # only the national information
    cel = {(c.rij, c.kolom): c for c in s.thema_fase}
    assert cel[("bedrijfsvoering", "willen")].wit == "geen_persoonlijk"
    assert cel[("bedrijfsvoering", "weten")].wit is None  # information is fine for weten
    assert cel[("personeel", "kunnen")].wit == "leeg"
    crowd = [
        dienst(f"coach-{i}", werkgebied=(("gemeente", "GM0004"),), fasen=("kunnen",))
        for i in range(sc.OVERLAP_DREMPEL)
    ]
    s2 = sc.scan(Index(crowd, GEMEENTEN, NAMEN), np.zeros((len(crowd), 6), bool), "PV02")
    assert [(c.rij, c.kolom) for c in s2.overlappen] == [("bedrijfsvoering", "kunnen")]
    s3 = sc.scan(Index(crowd[:-1], GEMEENTEN, NAMEN), np.zeros((len(crowd) - 1, 6), bool), "PV02")
    assert s3.overlappen == []


def test_gini():
    assert sc.gini(np.array([0.5, 0.5, 0.5])) == 0.0
    assert sc.gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)
    assert sc.gini(np.array([0.0, 0.0])) == 0.0


def test_region_equality_uses_regional_coverage(index):
    s = sc.scan(index, sc.basismaskers(index), "PV01")
    assert s.dekking["GM0001"] > s.dekking["GM0002"] > s.dekking["GM0003"]
    assert 0 < s.gini < 1


def test_unknown_region_is_a_key_error(index):
    with pytest.raises(KeyError):
        index.regio("PV99")
    with pytest.raises(KeyError):
        index.regio("XX01")


def test_network_copies_share_a_key():
    diensten = [
        dienst(
            f"wsp-{c}",
            naam="Personeel vinden via het werkgeversservicepunt "
            + NAMEN[("arbeidsmarktregio", c)],
            aanbieder_naam=f"Werkgeversservicepunt {NAMEN[('arbeidsmarktregio', c)]}",
            werkgebied=(("arbeidsmarktregio", c),),
            **WSP,
        )
        for c in ("AM01", "AM02", "AM03")
    ]
    diensten.append(dienst("anders", naam="Personeel vinden met een uitzendbureau", **WSP))
    idx = Index(diensten, GEMEENTEN, NAMEN)
    net = ov.netwerken(idx)
    assert net[0] == net[1] == net[2] != net[3]


def test_verdict_dubbel_deels_aanvullend(index):
    kopie = ov.Voorstel(
        naam="Ondernemersloket in Aadorp",
        omschrijving="",
        themas=LOKET["themas"],
        fasen=LOKET["fasen"],
        soort="informatie",
        werkgebied=(("gemeente", "GM0001"),),
    )
    idx = Index(
        [
            dienst(
                "loket",
                naam="Ondernemersloket Aadorp",
                omschrijving="Vragen over regels en vergunningen stelt u aan het loket.",
                werkgebied=(("gemeente", "GM0001"),),
                **LOKET,
            )
        ],
        GEMEENTEN,
        NAMEN,
    )
    kopie = ov.Voorstel(
        **{
            **kopie.__dict__,
            "omschrijving": "Met vragen over vergunningen en regels kunt u bij het loket terecht.",
        }
    )
    assert ov.toets(idx, kopie).oordeel == "dubbel"
    elders = ov.Voorstel(**{**kopie.__dict__, "werkgebied": (("gemeente", "GM0004"),)})
    r = ov.toets(idx, elders)
    assert r.oordeel == "aanvullend" and r.kandidaten == 0
    ander = ov.Voorstel(**{**kopie.__dict__, "themas": ("internationalisering",)})
    assert ov.toets(idx, ander).oordeel == "aanvullend"


def test_vraag_aanbod_hides_small_counts_and_flags_underserved():
    rijen = vraag_aanbod(
        gemeenten=["GM0001", "GM0002"],
        signalen={("GM0001", "personeel"): (30, 12), ("GM0002", "innovatie"): (3, 3)},
        verwijzingen={("GM0001", "personeel"): (4, 6)},
        aanbod={"personeel": (5, 2, 2), "innovatie": (4, 0, 0)},
        zonder_persoonlijk={"personeel": [], "innovatie": ["GM0001", "GM0002"]},
        minimum=10,
    )
    r = {x.thema: x for x in rijen}
    assert r["personeel"].signalen == 30 and r["personeel"].zonder_deur == 12
    assert r["personeel"].hulpvragen is None and r["personeel"].doorverwijzingen is None
    assert r["personeel"].onderbediend  # 40% found no door
    assert r["innovatie"].signalen is None and r["innovatie"].vraag_klein
    assert not r["innovatie"].onderbediend  # too few to say
    assert r["financiering"].signalen == 0 and not r["financiering"].onderbediend


def test_copies_of_a_network_together_cover_the_proposal():
    """A desk in each of two gemeenten duplicates one proposal for both: one overlap, dubbel."""
    loketten = [
        dienst(
            f"loket-{g.code}",
            naam=f"Ondernemersloket {g.naam}",
            aanbieder_naam=f"Gemeente {g.naam}",
            omschrijving="Vragen over regels en vergunningen stelt u aan het loket.",
            werkgebied=(("gemeente", g.code),),
            **LOKET,
        )
        for g in GEMEENTEN[:2]
    ]
    idx = Index(loketten, GEMEENTEN, NAMEN)
    v = ov.Voorstel(
        naam="Gezamenlijk ondernemersloket Aadorp en Beekstad",
        omschrijving="Met vragen over vergunningen en regels kunt u bij het loket terecht.",
        themas=LOKET["themas"],
        fasen=LOKET["fasen"],
        soort="informatie",
        werkgebied=(("gemeente", "GM0001"), ("gemeente", "GM0002")),
    )
    r = ov.toets(idx, v)
    assert len(r.overlap) == 1 and r.overlap[0].netwerk == 2
    assert r.overlap[0].delen["gebied"] == 1.0
    assert r.oordeel == "dubbel"
