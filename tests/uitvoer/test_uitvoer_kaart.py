"""The choropleth map: one path per region, geen gegevens, borders, zooming to a subset."""

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.uitvoer import kaart

REPO = Path(__file__).resolve().parents[2]
S = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def geo() -> list[dict[str, str]]:
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def regios(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        p.get("data-code"): p
        for p in root.iter(f"{S}path")
        if (p.get("class") or "").split()[:1] == ["regio"]
    }


def test_geometry_has_all_342_gemeenten_of_the_register(geo):
    assert kaart.gemeentecodes() == {r["gemeentecode"] for r in geo}


def test_gemeente_map_has_one_titled_path_per_gemeente(geo):
    namen = {r["gemeentecode"]: r["gemeentenaam"] for r in geo}
    waarden = {c: 1.0 for c in namen}
    waarden["GM0014"] = 9.5
    svg = kaart.kaart(waarden, titel="Alle gemeenten", namen=namen)
    paden = regios(svg)
    assert len(paden) == 342
    assert paden["GM0014"].find(f"{S}title").text == "Groningen: 9,5"
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{S}title").text == "Alle gemeenten"


def test_provincie_map_merges_gemeenten_and_marks_missing_values(geo):
    indeling = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    namen = {r["provinciecode"]: r["provincie"] for r in geo}
    waarden = {p: 6.0 + i / 10 for i, p in enumerate(sorted(namen)) if p != "PV25"}
    waarden["PV99"] = 1.0  # a code no gemeente has: not drawn, not an error
    svg = kaart.kaart(waarden, titel="CSAT per provincie", indeling=indeling, namen=namen)
    paden = regios(svg)
    assert set(paden) == set(namen)  # 12 regions, one path each
    gelderland = paden["PV25"]
    assert "geen-gegevens" in gelderland.get("class")
    assert gelderland.find(f"{S}title").text == "Gelderland: geen gegevens"
    legenda = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{S}text")]
    assert "geen gegevens" in legenda
    # a provincie is drawn from its outline, not from its gemeenten's rings: much smaller
    per_gemeente = kaart.kaart(waarden, titel="x")
    assert len(svg) < len(per_gemeente) / 2


def test_a_gemeente_outside_the_indeling_is_geen_gegevens(geo):
    indeling = {r["gemeentecode"]: r["provinciecode"] for r in geo if r["gemeentecode"] != "GM0014"}
    svg = kaart.kaart({"PV20": 5.0}, titel="x", indeling=indeling)
    paden = regios(svg)
    assert "geen-gegevens" in paden["GM0014"].get("class")
    assert "geen-gegevens" not in paden["PV20"].get("class")


def test_alleen_limits_the_map_to_a_region(geo):
    groningen = {r["gemeentecode"] for r in geo if r["arbeidsmarktregio_code"] == "AM01"}
    namen = {r["gemeentecode"]: r["gemeentenaam"] for r in geo}
    svg = kaart.kaart({c: 3 for c in groningen}, titel="AM01", namen=namen, alleen=groningen)
    assert set(regios(svg)) == groningen
    # fitted to the region: its points span the width of the viewBox
    assert len(svg) < 40_000


def test_unknown_gemeentecodes_are_refused():
    with pytest.raises(ValueError, match="GM9999"):
        kaart.kaart({}, titel="x", alleen={"GM9999"})
    with pytest.raises(ValueError, match="GM9999"):
        kaart.kaart({}, titel="x", indeling={"GM9999": "PV20"})


def test_names_are_escaped():
    svg = kaart.kaart(
        {"GM0014": 1.0}, titel="<&>", namen={"GM0014": "Gron<&>ingen"}, alleen={"GM0014"}
    )
    paden = regios(svg)
    assert paden["GM0014"].find(f"{S}title").text == "Gron<&>ingen: 1,0"


def test_classes_and_table():
    klassen = kaart.klassen_voor([1.0, 2.0, 3.0, 4.0, 5.0], aantal=4)
    assert [(k.van, k.tot) for k in klassen] == [(1, 2), (2, 3), (3, 4), (4, 5)]
    assert len({k.kleur for k in klassen}) == 4
    assert [k.label for k in klassen] == [
        "1,0 tot 2,0",
        "2,0 tot 3,0",
        "3,0 tot 4,0",
        "4,0 tot en met 5,0",
    ]
    # a bound belongs to the class above it, the top value to the last class
    assert kaart._klasse_van(2.0, klassen) is klassen[1]
    assert kaart._klasse_van(5.0, klassen) is klassen[3]
    # whole numbers get whole-number classes that do not share an edge
    tellingen = kaart.klassen_voor([0, 3, 7, 8, 15, 16, 39], aantal=5, decimalen=0)
    assert [k.label for k in tellingen] == [
        "0 t/m 7",
        "8 t/m 15",
        "16 t/m 23",
        "24 t/m 31",
        "32 t/m 39",
    ]
    assert kaart._klasse_van(8, tellingen) is tellingen[1]
    assert kaart._klasse_van(7, tellingen) is tellingen[0]
    procenten = kaart.klassen_voor(
        [0, 55, 100], grenzen=[0, 20, 40, 60, 80, 100], decimalen=0, eenheid="%"
    )
    assert [k.label for k in procenten] == [
        "0% t/m 19%",
        "20% t/m 39%",
        "40% t/m 59%",
        "60% t/m 79%",
        "80% t/m 100%",
    ]
    assert kaart._klasse_van(20, procenten) is procenten[1]
    assert kaart._klasse_van(100, procenten) is procenten[4]
    with pytest.raises(ValueError):
        kaart.klassen_voor([1], grenzen=[3, 2])
    t = kaart.kaart_tabel(
        {"PV20": 6.1, "PV21": None}, titel="t", namen={"PV20": "Groningen", "PV21": "Fryslân"}
    )
    assert t.rijen == [["Fryslân", "PV21", None], ["Groningen", "PV20", 6.1]]


@settings(max_examples=30, deadline=None)
@given(naam=st.text(max_size=30), titel=st.text(max_size=30))
def test_arbitrary_names_never_break_the_map_xml(naam, titel):
    svg = kaart.kaart(
        {"PV20": 1.0},
        titel=titel,
        indeling={"GM0014": "PV20"},
        namen={"PV20": naam},
        alleen={"GM0014"},
    )
    paden = regios(svg)
    assert set(paden) == {"PV20"}
    schoon = re.sub("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", naam)
    verwacht = schoon.replace("\r\n", "\n").replace("\r", "\n") + ": 1,0"
    assert paden["PV20"].find(f"{S}title").text == verwacht


def _binnen(x, y, ring):
    binnen = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
        if (ay <= y) != (by <= y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            binnen = not binnen
    return binnen


def test_label_point_lies_inside_a_concave_region():
    # a U: its centre (50, 40) is in the gap, outside the shape
    u = [(0, 0), (100, 0), (100, 100), (70, 100), (70, 20), (30, 20), (30, 100), (0, 100), (0, 0)]
    x, y = kaart._labelpunt([u])
    assert _binnen(x, y, u)
    # a square with a hole in the middle: the point is not in the hole
    buiten = [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)]
    gat = [(20, 20), (20, 80), (80, 80), (80, 20), (20, 20)]
    x, y = kaart._labelpunt([buiten, gat])
    assert _binnen(x, y, buiten) and not _binnen(x, y, gat)


def test_waarden_tonen_writes_each_value_on_the_map(geo):
    indeling = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    namen = {r["provinciecode"]: r["provincie"] for r in geo}
    waarden = {p: 6.0 + i / 10 for i, p in enumerate(sorted(namen)) if p != "PV25"}
    svg = kaart.kaart(waarden, titel="t", indeling=indeling, namen=namen, waarden_tonen=True)
    root = ET.fromstring(svg)
    etiketten = [
        "".join(t.itertext())
        for g in root.iter(f"{S}g")
        if g.get("class") == "etiket"
        for t in g.iter(f"{S}text")
    ]
    assert sorted(etiketten) == sorted(f"{v:.1f}".replace(".", ",") for v in waarden.values())
    assert "etiket" not in kaart.kaart(waarden, titel="t", indeling=indeling)


def test_geen_gegevens_is_hatched_inside_its_region_only():
    vierkant = [(0, 0), (600, 0), (600, 600), (0, 600), (0, 0)]
    d = kaart._arcering([vierkant], 60)
    stukken = re.findall(r"M(-?\d+) (-?\d+)l(-?\d+) (-?\d+)", d)
    assert len(stukken) >= 15
    for x, y, dx, dy in ((int(a), int(b), int(c), int(e)) for a, b, c, e in stukken):
        assert dx == dy > 0  # diagonal, down to the right
        for px, py in ((x, y), (x + dx, y + dy)):
            assert -1 <= px <= 601 and -1 <= py <= 601
    # a hole is not hatched
    gat = [(200, 200), (200, 400), (400, 400), (400, 200), (200, 200)]
    for x, y, dx, _ in (
        (int(a), int(b), int(c), int(e))
        for a, b, c, e in re.findall(
            r"M(-?\d+) (-?\d+)l(-?\d+) (-?\d+)", kaart._arcering([vierkant, gat], 60)
        )
    ):
        for t in range(1, 10):
            px, py = x + dx * t / 10, y + dx * t / 10
            assert not (205 < px < 395 and 205 < py < 395)


def test_the_map_hatches_only_when_something_has_no_value(geo):
    indeling = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    alle = {r["provinciecode"]: 1.0 for r in geo}
    assert 'class="arcering"' not in kaart.kaart(alle, titel="t", indeling=indeling)
    del alle["PV25"]
    assert 'class="arcering"' in kaart.kaart(alle, titel="t", indeling=indeling)


def test_a_non_finite_value_is_refused():
    with pytest.raises(ValueError, match="GM0014"):
        kaart.kaart({"GM0014": float("nan")}, titel="t")


def test_a_withheld_value_is_told_apart_from_no_data(geo):
    """A region whose value is withheld (a note such as "te weinig antwoorden") says so on the
    map, in the legend, the summary and the table, in its own grey; "geen gegevens" stays for
    regions without any value."""
    indeling = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    namen = {r["provinciecode"]: r["provincie"] for r in geo}
    waarden: dict[str, float | None] = {p: 7.0 for p in namen if p not in ("PV20", "PV21")}
    waarden["PV20"] = None  # hidden; PV21 has no value at all
    notities = {"PV20": "te weinig antwoorden"}
    svg = kaart.kaart(waarden, titel="t", indeling=indeling, namen=namen, notities=notities)
    paden = regios(svg)
    assert paden["PV20"].find(f"{S}title").text == "Groningen: te weinig antwoorden"
    assert "verborgen" in paden["PV20"].get("class")
    assert paden["PV21"].find(f"{S}title").text == "Friesland: geen gegevens"
    assert paden["PV20"].get("fill") != paden["PV21"].get("fill")
    root = ET.fromstring(svg)
    legenda = {
        g.get("class"): "".join(g.itertext())
        for g in root.iter(f"{S}g")
        if (g.get("class") or "").startswith("legenda")
    }
    assert legenda["legenda legenda-verborgen"] == "te weinig antwoorden"
    assert legenda["legenda legenda-geen-gegevens"] == "geen gegevens"
    assert "1 regio: te weinig antwoorden. 1 zonder gegevens." in root.find(f"{S}desc").text
    # with no region lacking data, no "geen gegevens" line
    waarden["PV21"] = 7.0
    alleen_verborgen = kaart.kaart(waarden, titel="t", indeling=indeling, notities=notities)
    assert "legenda-geen-gegevens" not in alleen_verborgen
    assert "legenda-verborgen" in alleen_verborgen
    t = kaart.kaart_tabel(
        {"PV20": None, "PV21": None, "PV22": 6.0}, titel="t", namen=namen, notities=notities
    )
    # by name: Drenthe, Friesland, Groningen
    assert [r[2] for r in t.rijen] == [6.0, None, "te weinig antwoorden"]
