"""The HTML report: a complete, accessible document with the same methods as the PDF report."""

from datetime import UTC, datetime
from html.parser import HTMLParser

from stelsel.uitvoer import svg
from stelsel.uitvoer.htmlrapport import HtmlRapport, Verslag
from stelsel.uitvoer.pdf import Kerncijfer, Rapport
from stelsel.uitvoer.svg import Staaf
from stelsel.uitvoer.tabel import Tabel


class Koppen(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.koppen: list[int] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.koppen.append(int(tag[1]))


def vul(r: Verslag) -> None:
    """One filler for both kinds of report."""
    staven = [Staaf("Groningen", 6.4), Staaf("<Zeeland>", None)]
    r.kop("Kerncijfers")
    r.kerncijfers([Kerncijfer("Tevredenheid", "6,4", "n = 412")])
    r.kop("Per regio", 2)
    r.alinea("Tekst met <tags> & tekens.")
    r.opsomming(["een", "twee"])
    r.svg(
        svg.staafdiagram(staven, titel="Tevredenheid"),
        bijschrift="Figuur 1",
        tabel=svg.staafdiagram_tabel(staven, titel="Tevredenheid"),
    )
    r.tabel(Tabel(["a", "b"], [["x", 1]], bijschrift="Tabel 1"))
    r.pagina()


def test_html_report_is_a_complete_accessible_document():
    r = HtmlRapport(
        "Staat <van> de dienstverlening", "Regio", datum=datetime(2026, 12, 2, tzinfo=UTC)
    )
    vul(r)
    tekst = r.bytes().decode("utf-8")
    assert tekst.startswith("<!doctype html>\n".strip()) and '<html lang="nl">' in tekst
    assert "<title>Staat &lt;van&gt; de dienstverlening</title>" in tekst
    assert "Gemaakt op 02-12-2026" in tekst
    assert "Tekst met &lt;tags&gt; &amp; tekens." in tekst
    assert "<style" not in tekst and "<script" not in tekst  # nothing the CSP would block
    p = Koppen()
    p.feed(tekst)
    assert p.koppen == [1, 2, 3]  # one h1, then in order, none skipped
    assert p.tags.count("main") == 1 and p.tags.count("svg") == 1
    assert p.tags.count("table") == 2 and p.tags.count("caption") == 2 and "dl" in p.tags


def test_the_same_filler_makes_a_pdf():
    r = Rapport("Staat van de dienstverlening", comprimeer=False)
    vul(r)
    assert r.bytes().startswith(b"%PDF-")
