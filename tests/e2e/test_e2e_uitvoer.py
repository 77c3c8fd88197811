"""The charts and maps of stelsel.uitvoer in a real browser at 320 px: axe-core finds no WCAG
2.1 A/AA violation, the page does not scroll sideways, and the chart text is at least 12 px."""

import csv
from pathlib import Path

import pytest

from stelsel.uitvoer import kaart, svg
from stelsel.uitvoer.htmlrapport import HtmlRapport
from stelsel.uitvoer.pdf import Kerncijfer
from stelsel.uitvoer.svg import Reeks, Referentie, Staaf
from stelsel.uitvoer.tabel import Tabel

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def _pagina() -> str:
    with open(REPO / "data" / "geo" / "gemeenten.csv", encoding="utf-8") as f:
        geo = list(csv.DictReader(f))
    pv = {r["gemeentecode"]: r["provinciecode"] for r in geo}
    pv_naam = {r["provinciecode"]: r["provincie"] for r in geo}
    staven = [
        Staaf("Groningen", 6.4, (6.1, 6.7)),
        Staaf("Fryslân & <Drenthe>", 5.8, (5.2, 6.3)),
        Staaf("Zeeland", None, notitie="te weinig reacties"),
    ]
    perioden = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    reeksen = [Reeks("Nederland", [6.0, 6.2, 6.3, 6.5]), Reeks("Groningen", [5.9, None, 6.1, 6.6])]
    rijen, kolommen = ["Starten", "Financiering"], ["ontmoeten", "weten", "willen", "kunnen"]
    matrix = [[0, 3, None, 12], [1, 0, 4, 25]]
    brede_kolommen = [f"Doelgroep {i}" for i in range(12)]
    breed = [list(range(12)), list(range(12, 24))]
    waarden = {c: 5.5 + i / 10 for i, c in enumerate(sorted(pv_naam)) if c != "PV25"}
    figuren = [
        svg.figuur(
            svg.staafdiagram(
                staven,
                titel="Tevredenheid per regio",
                referentie=Referentie(6.1, "Nulmeting 2021"),
                schaal=(0, 10),
            ),
            svg.staafdiagram_tabel(staven, titel="Tevredenheid per regio", label="Regio"),
            bijschrift="Tevredenheid per regio",
        ),
        svg.figuur(
            svg.lijndiagram(perioden, reeksen, titel="Tevredenheid per kwartaal"),
            svg.lijndiagram_tabel(perioden, reeksen, titel="Tevredenheid per kwartaal"),
            bijschrift="Tevredenheid per kwartaal",
            tabel_open=True,
        ),
        svg.figuur(
            svg.heatmap(rijen, kolommen, matrix, titel="Aanbod", markeer=lambda r, k, v: v > 20),
            svg.heatmap_tabel(rijen, kolommen, matrix, titel="Aanbod", rijkop="Thema"),
            bijschrift="Aanbod per thema en fase",
        ),
        svg.figuur(
            svg.heatmap(rijen, brede_kolommen, breed, titel="Aanbod per doelgroep"),
            svg.heatmap_tabel(rijen, brede_kolommen, breed, titel="Aanbod per doelgroep"),
            bijschrift="Aanbod per thema en doelgroep",
        ),
        svg.figuur(
            kaart.kaart(waarden, titel="Tevredenheid per provincie", indeling=pv, namen=pv_naam),
            kaart.kaart_tabel(waarden, titel="Tevredenheid per provincie", namen=pv_naam),
            bijschrift="Tevredenheid per provincie",
        ),
    ]
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Grafieken</title></head><body style='margin:0'><main style='padding:0 16px'>"
        "<h1>Grafieken</h1>" + "".join(figuren) + "</main></body></html>"
    )


def test_charts_pass_axe_and_reflow_at_320px(browser, axe_check):
    context = browser.new_context(viewport={"width": 320, "height": 900}, locale="nl-NL")
    page = context.new_page()
    try:
        page.set_content(_pagina())
        assert axe_check(page, None) == []
        # no sideways scrolling of the page: a wide chart scrolls inside its own box
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        # every chart text is drawn at 12 px or more
        kleinste = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg text')].map(t => {
                const size = parseFloat(getComputedStyle(t).fontSize);
                const m = t.getScreenCTM();
                return size * Math.hypot(m.a, m.b);  // the scale, also of turned text
            }))"""
        )
        assert kleinste >= 11.9
        # the HTML report holds up too
        r = HtmlRapport("Staat van de dienstverlening", "Regio Groningen")
        r.kop("Kerncijfers")
        r.kerncijfers([Kerncijfer("Tevredenheid", "6,4", "n = 412")])
        r.svg(svg.staafdiagram([Staaf("Groningen", 6.4)], titel="CSAT"), bijschrift="Figuur 1")
        r.tabel(Tabel(["Regio", "CSAT"], [["Groningen", 6.4]], bijschrift="Tabel 1"))
        page.set_content(r.tekst())
        assert axe_check(page, None) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
