"""The SVG charts: valid XML, accessible names, values as text, escaping, gaps, white spots."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stelsel.uitvoer import svg
from stelsel.uitvoer.svg import Reeks, Referentie, Staaf
from stelsel.uitvoer.tabel import html

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(tekst: str) -> ET.Element:
    return ET.fromstring(tekst)


def teksten(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def titel_en_desc(root: ET.Element) -> tuple[str, str]:
    titel = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    assert titel is not None and desc is not None
    ids = root.get("aria-labelledby", "").split()
    assert ids == [titel.get("id"), desc.get("id")]
    return titel.text or "", desc.text or ""


STAVEN = [
    Staaf("Groningen", 6.4, (6.1, 6.7)),
    Staaf("Fryslân & <Drenthe>", 5.8),
    Staaf("Zeeland", None, notitie="te weinig reacties"),
]


def test_staafdiagram_is_accessible_svg_with_values_as_text():
    s = svg.staafdiagram(
        STAVEN,
        titel="Tevredenheid per regio",
        beschrijving="Gemiddeld rapportcijfer",
        referentie=Referentie(6.1, "Nulmeting 2021"),
        schaal=(0, 10),
    )
    root = parse(s)
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 ")
    titel, desc = titel_en_desc(root)
    assert titel == "Tevredenheid per regio"
    # the caller's description, then a summary of the data for screen-reader users
    assert desc == (
        "Gemiddeld rapportcijfer Staafdiagram met 3 staven. Hoogste: Groningen, 6,4. "
        "Laagste: Fryslân & <Drenthe>, 5,8. 1 zonder waarde. 1 van 2 boven Nulmeting 2021 (6,1)."
    )
    alle = teksten(root)
    assert "6,4 (6,1–6,7)" in alle
    assert "5,8" in alle
    assert "te weinig reacties" in alle
    assert "Nulmeting 2021: 6,1" in alle
    assert "Fryslân & <Drenthe>" in alle  # escaped in the source, intact after parsing
    assert "&lt;Drenthe&gt;" in s
    # the hidden bar draws no filled bar
    staven = root.findall(".//s:g[@class='staaf']", NS)
    assert len(staven) == 3
    assert staven[2].find("s:rect", NS).get("class") == "geen-gegevens"


def test_text_is_at_least_12px_on_a_320px_screen():
    for s in (
        svg.staafdiagram(STAVEN, titel="t"),
        svg.lijndiagram(["a", "b"], [Reeks("r", [1, 2])], titel="t"),
        svg.heatmap(["r"], ["k"], [[1]], titel="t"),
        svg.heatmap(["r"], [f"doelgroep {i}" for i in range(12)], [list(range(12))], titel="t"),
    ):
        root = parse(s)
        breedte = float(root.get("viewBox").split()[2])
        # a wide chart keeps a minimum width (and scrolls in its container) instead
        stijl = root.get("style") or ""
        getoond = max(288.0, float(stijl.split(":")[1].rstrip("px")) if stijl else 0.0)
        groottes = [float(e.get("font-size")) for e in root.iter() if e.get("font-size")]
        assert groottes and min(groottes) * getoond / breedte >= 12


def test_mark_colours_have_3_to_1_contrast_against_white():
    for kleur in (svg.BALK, svg.MERK, svg.REFERENTIE, svg.AS, *svg.REEKSKLEUREN):
        assert svg.contrast(kleur, "#ffffff") >= 3, kleur
    # the interval whiskers are black on the bar colour
    assert svg.contrast("#000000", svg.BALK) >= 3
    # heatmap cell text picks the better of black and white: always readable (4.5:1)
    for i in range(11):
        achtergrond = svg.kleur_op_schaal(i / 10)
        assert svg.contrast(achtergrond, svg.tekstkleur_op(achtergrond)) >= 4.5


def test_lijndiagram_leaves_gaps_for_missing_values():
    s = svg.lijndiagram(
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
        [
            Reeks("Nederland", [6.0, 6.1, 6.2, 6.3, 6.4], [(5.9, 6.1)] * 5),
            Reeks("Groningen", [5.8, None, 6.0, 6.2, None]),
        ],
        titel="CSAT per maand",
        referentie=Referentie(6.1, "Nulmeting 2021"),
    )
    root = parse(s)
    lijnen = [
        p.get("d")
        for p in root.iter("{http://www.w3.org/2000/svg}path")
        if p.get("class") == "lijn"
    ]
    assert len(lijnen) == 2
    assert lijnen[0].count("M") == 1  # unbroken
    assert lijnen[1].count("M") == 2  # a gap after the first point
    assert "Nederland" in teksten(root) and "Groningen" in teksten(root)
    assert "6,4" in teksten(root)  # last value written at the end of the line
    assert any(p.get("class") == "interval" for p in root.iter("{http://www.w3.org/2000/svg}path"))


def test_lijndiagram_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="Kort"):
        svg.lijndiagram(["a", "b"], [Reeks("Kort", [1.0])], titel="t")


def test_heatmap_marks_white_spots_no_data_and_highlights():
    s = svg.heatmap(
        ["Starten", "Financiering"],
        ["ontmoeten", "weten"],
        [[0, 5], [None, 25]],
        titel="Aanbod",
        markeer=lambda r, k, v: v >= 20,
    )
    root = parse(s)
    cellen = {
        tuple(g.get("class").split()[1:]): g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if (g.get("class") or "").startswith("cel")
    }
    assert ("witte-vlek",) in cellen and ("geen-gegevens",) in cellen and ("gemarkeerd",) in cellen
    assert cellen[("witte-vlek",)].find("s:title", NS).text == "Starten, ontmoeten: 0"
    alle = teksten(root)
    assert "25" in alle and "5" in alle and "–" in alle
    assert "Witte vlek: geen aanbod" in alle and "Geen gegevens" in alle


def test_data_tables_hold_the_chart_values():
    t = svg.staafdiagram_tabel(STAVEN, titel="Tevredenheid", label="Regio")
    assert t.kolommen == ["Regio", "Waarde", "Ondergrens", "Bovengrens"]
    assert t.rijen[0] == ["Groningen", 6.4, 6.1, 6.7]
    assert t.rijen[2][1] == "te weinig reacties"
    h = html(t, opmaak=False)
    assert "<caption>Tevredenheid</caption>" in h
    assert (
        '<th scope="col">Regio</th>' in h
        and '<th scope="row">Fryslân &amp; &lt;Drenthe&gt;</th>' in h
    )
    assert '<td class="getal">6,4</td>' in h
    lt = svg.lijndiagram_tabel(["a", "b"], [Reeks("r", [1.0, None])], titel="x", leeg="verborgen")
    assert lt.rijen == [["a", 1.0], ["b", None]]
    assert "<td>verborgen</td>" in html(lt, opmaak=False)
    # with the built-in look, numbers are right-aligned and text left
    opgemaakt = html(t)
    assert 'class="getal" style="padding:.25rem .5rem;' in opgemaakt
    assert 'text-align:right">6,4</td>' in opgemaakt
    assert "text-align:left;font-weight:600" in opgemaakt  # the row header
    ht = svg.heatmap_tabel(["r1"], ["k1", "k2"], [[1, None]], titel="h", rijkop="Thema")
    assert ht.kolommen == ["Thema", "k1", "k2"] and ht.rijen == [["r1", 1, None]]


tekst_strategie = st.text(max_size=40)


@settings(max_examples=60, deadline=None)
@given(label=tekst_strategie, titel=tekst_strategie, kolom=tekst_strategie)
def test_arbitrary_text_never_breaks_the_xml(label, titel, kolom):
    for s in (
        svg.staafdiagram([Staaf(label, 1.0)], titel=titel, beschrijving=label),
        svg.lijndiagram([kolom, label], [Reeks(label, [1.0, None])], titel=titel),
        svg.heatmap([label], [kolom], [[3]], titel=titel),
    ):
        root = parse(s)
        gevonden = root.find("s:title", NS).text or ""
        schoon = re.sub("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", titel)
        # XML parsers normalise \r and \r\n to \n
        assert gevonden == schoon.replace("\r\n", "\n").replace("\r", "\n")


def test_negative_values_and_intervals_read_without_a_double_minus():
    s = svg.staafdiagram(
        [Staaf("Groningen", -4, (-12, 4)), Staaf("Utrecht", 12, (5, 19))],
        titel="NPS",
        decimalen=0,
    )
    alle = teksten(parse(s))
    assert "−4 (−12 tot 4)" in alle and "12 (5–19)" in alle
    # the negative bar runs left from zero
    balken = [
        r for r in parse(s).iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") == svg.BALK
    ]
    assert float(balken[0].get("x")) + float(balken[0].get("width")) == pytest.approx(
        float(balken[1].get("x")), abs=0.2
    )


@pytest.mark.parametrize(
    "maak",
    [
        lambda: svg.staafdiagram([], titel="leeg"),
        lambda: svg.staafdiagram([Staaf("a", None)], titel="alleen verborgen"),
        lambda: svg.lijndiagram(["2026"], [Reeks("a", [1.0])], titel="één periode"),
        lambda: svg.lijndiagram(["a", "b"], [Reeks("a", [None, None])], titel="geen waarden"),
        lambda: svg.heatmap(["a"], ["b"], [[None]], titel="geen gegevens"),
        lambda: svg.heatmap(["a"], ["b", "c"], [[3, 3]], titel="gelijke waarden"),
    ],
)
def test_edge_cases_still_give_valid_labelled_svg(maak):
    root = parse(maak())
    assert root.find("s:title", NS).text


def test_figuur_puts_chart_and_table_together():
    staven = [Staaf("a & b", 1.0)]
    h = svg.figuur(
        svg.staafdiagram(staven, titel="t"),
        svg.staafdiagram_tabel(staven, titel="t"),
        bijschrift="Figuur <1>",
    )
    assert h.startswith(
        '<figure class="grafiek-figuur" style="margin:1rem 0">'
        "<figcaption>Figuur &lt;1&gt;</figcaption>"
    )
    assert 'tabindex="0"' in h and 'aria-label="Figuur &lt;1&gt;"><svg' in h
    assert "<details><summary>" in h and "<table" in h and h.endswith("</details></figure>")


def test_a_row_label_that_fits_is_not_broken():
    root = parse(svg.heatmap(["Financiering"], ["a"], [[1]], titel="t"))
    assert "Financiering" in teksten(root)


def test_afbreken_wraps_on_words_and_cuts_what_is_left():
    regels = svg.afbreken("Kamer van Koophandel Noord-Nederland", 120)
    assert regels == ["Kamer van", "Koophandel", "Noord-Neder…"]
    assert all(svg.breedte_van(r) <= 120 for r in regels)
    assert svg.afbreken("kort", 120) == ["kort"]
    regels = svg.afbreken("een twee drie vier vijf zes zeven acht negen tien", 60, max_regels=2)
    assert len(regels) == 2 and regels[-1].endswith("…")


def test_a_gap_in_a_line_is_explained_in_words():
    met_gat = svg.lijndiagram(
        ["a", "b"], [Reeks("r", [1.0, None])], titel="t", gat="te weinig reacties"
    )
    assert "Onderbroken lijn: te weinig reacties" in teksten(parse(met_gat))
    zonder = svg.lijndiagram(["a", "b"], [Reeks("r", [1.0, 2.0])], titel="t")
    assert not any(t.startswith("Onderbroken") for t in teksten(parse(zonder)))


@pytest.mark.parametrize("slecht", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_naming_where(slecht):
    with pytest.raises(ValueError, match="Groningen"):
        svg.staafdiagram([Staaf("Groningen", slecht)], titel="t")
    with pytest.raises(ValueError, match="Groningen"):
        svg.lijndiagram(["a"], [Reeks("Groningen", [slecht])], titel="t")
    with pytest.raises(ValueError, match="Groningen"):
        svg.heatmap(["Groningen"], ["a"], [[slecht]], titel="t")


def test_a_fixed_scale_has_no_ticks_outside_it():
    root = parse(svg.staafdiagram([Staaf("a", 5.0)], titel="t", schaal=(0, 7), decimalen=0))
    assert teksten(root)[-1] == "6"  # 0, 2, 4, 6; not 8, which lies beyond the scale


def test_an_unsafe_uid_is_made_safe():
    s = svg.staafdiagram([Staaf("a", 1.0)], titel="t", uid='x" onload="alert(1)')
    root = parse(s)
    assert root.get("onload") is None
    assert root.get("aria-labelledby") == "x--onload--alert-1--t x--onload--alert-1--d"


def test_long_series_keep_markers_only_where_they_matter():
    perioden = [f"p{i}" for i in range(30)]
    waarden = [1.0] * 30
    waarden[10] = waarden[12] = None  # p11 stands alone between two gaps
    root = parse(svg.lijndiagram(perioden, [Reeks("r", waarden)], titel="t"))
    reeks = next(g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "reeks")
    markers = [p for p in reeks.findall("s:path", NS) if p.get("class") is None]
    assert len(markers) == 2  # the lone point and the last one
    kort = parse(svg.lijndiagram(perioden[:5], [Reeks("r", waarden[:5])], titel="t"))
    reeks = next(g for g in kort.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "reeks")
    assert len([p for p in reeks.findall("s:path", NS) if p.get("class") is None]) == 5


def test_line_and_heatmap_descriptions_summarise_the_data():
    _, desc = titel_en_desc(
        parse(
            svg.lijndiagram(
                ["2026-Q1", "2026-Q2", "2026-Q3"],
                [Reeks("Nederland", [6.0, 6.2, 6.4]), Reeks("Zeeland", [None, None, None])],
                titel="t",
            )
        )
    )
    assert desc == (
        "Lijndiagram over 3 perioden, 2026-Q1 tot 2026-Q3. "
        "Nederland: van 6,0 in 2026-Q1 naar 6,4 in 2026-Q3. Zeeland: geen waarden."
    )
    _, desc = titel_en_desc(
        parse(svg.heatmap(["A", "B"], ["x", "y"], [[0, 3], [None, 9]], titel="t"))
    )
    assert (
        desc
        == "Tabel van 2 rijen en 2 kolommen. Hoogste: B, y: 9. 1 witte vlek. 1 zonder gegevens."
    )


def test_heatmap_row_labels_wrap_between_words_not_inside_them():
    root = parse(
        svg.heatmap(["Internationalisering", "Wet- en regelgeving"], ["a"], [[1], [2]], titel="t")
    )
    alle = teksten(root)
    assert "Internationalisering" in alle
    assert "Wet- en regelgeving" in alle or ("Wet- en" in alle and "regelgeving" in alle)


def test_a_shared_bereik_shades_equal_values_alike():
    def kleur_van(s: str, waarde: str) -> str:
        root = parse(s)
        for g in root.iter("{http://www.w3.org/2000/svg}g"):
            if (g.get("class") or "").startswith("cel") and g.find("s:text", NS).text == waarde:
                return g.find("s:rect", NS).get("fill")
        raise AssertionError(waarde)

    a = svg.heatmap(["r"], ["x", "y"], [[5, 10]], titel="a", bereik=(0, 20))
    b = svg.heatmap(["r"], ["x", "y"], [[5, 20]], titel="b", bereik=(0, 20))
    assert kleur_van(a, "5") == kleur_van(b, "5")
    # without it, each heatmap scales to its own maximum
    c = svg.heatmap(["r"], ["x", "y"], [[5, 10]], titel="c")
    assert kleur_van(c, "5") != kleur_van(b, "5")


def test_a_long_series_name_wraps_inside_the_chart():
    naam = "Zuid-Kennemerland en IJmond samen met Groot Amsterdam en Gooi en Vechtstreek"
    root = parse(svg.lijndiagram(["a", "b"], [Reeks(naam, [1.0, 2.0])], titel="t"))
    breedte = float(root.get("viewBox").split()[2])
    legenda = [
        t
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "legenda"
        for t in g.iter("{http://www.w3.org/2000/svg}text")
    ]
    assert len(legenda) == 2
    for t in legenda:
        assert float(t.get("x")) + svg.breedte_van(t.text) <= breedte


def test_a_square_root_scale_darkens_small_counts_more():
    def vulling(s: str, waarde: str) -> str:
        for g in parse(s).iter("{http://www.w3.org/2000/svg}g"):
            if (g.get("class") or "").startswith("cel") and g.find("s:text", NS).text == waarde:
                return g.find("s:rect", NS).get("fill")
        raise AssertionError(waarde)

    lineair = svg.heatmap(["r"], ["a", "b"], [[4, 100]], titel="t")
    wortel = svg.heatmap(["r"], ["a", "b"], [[4, 100]], titel="t", wortel=True)
    assert svg.luminantie(vulling(wortel, "4")) < svg.luminantie(vulling(lineair, "4"))
    assert vulling(wortel, "100") == vulling(lineair, "100")  # the top stays the top


def _periodelabels(s: str) -> list[tuple[float, float, str]]:
    """The period labels under the x axis as (left, right, text), by the layout estimate."""
    root = parse(s)
    labels = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("fill") == svg.AS]
    onder = max(float(t.get("y", 0)) for t in labels)
    uit = []
    for t in labels:
        if float(t.get("y", 0)) != onder:
            continue
        b, x = svg.breedte_van(t.text or ""), float(t.get("x", 0))
        links = {"middle": x - b / 2, "end": x - b}.get(t.get("text-anchor", "start"), x)
        uit.append((links, links + b, t.text or ""))
    return sorted(uit)


@pytest.mark.parametrize("breedte", [360, 480])
@pytest.mark.parametrize("laatste", [6.0, -29.8])
def test_lijndiagram_period_labels_stand_evenly_end_at_the_newest_and_never_touch(breedte, laatste):
    """The x labels are thinned counting back from the newest period: that one is always
    named, the shown ones are evenly spaced, and no two (as anchored) come within 8 units.
    (Before, the last label was added to an every-other-one series from the first, so the last
    step was uneven, e.g. 2025-Q1, 2025-Q3, 2026-Q1, 2026-Q4.)"""
    for soort in ("kwartaal", "maand"):
        for n in range(1, 30):
            if soort == "kwartaal":
                perioden = [f"{2020 + i // 4}-Q{i % 4 + 1}" for i in range(n)]
            else:
                perioden = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]
            waarden = [6.0 + (i % 3) / 4 for i in range(n - 1)] + [laatste]
            s = svg.lijndiagram(
                perioden,
                [Reeks("Tevredenheid", waarden)],
                titel="t",
                referentie=Referentie(6.1, "Nulmeting 2021"),
                breedte=breedte,
            )
            labels = _periodelabels(s)
            waar = (soort, n)
            assert labels[-1][2] == perioden[-1], waar
            plekken = [perioden.index(t) for _, _, t in labels]
            stappen = {b - a for a, b in zip(plekken, plekken[1:], strict=False)}
            assert len(stappen) <= 1, (waar, plekken)
            for (_, rechts, a), (links, _, b) in zip(labels, labels[1:], strict=False):
                assert links - rechts >= 8 - 1e-9, (waar, a, b)
