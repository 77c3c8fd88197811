"""The same report as `pdf.Rapport`, as one self-contained, accessible HTML file.

    r = HtmlRapport("Staat van de dienstverlening", "Arbeidsmarktregio Groningen, 2026-Q3")
    r.kop("Kerncijfers")
    r.kerncijfers([Kerncijfer("Tevredenheid", "6,4", "95%-interval 6,1–6,7; n = 412")])
    r.svg(grafiek, bijschrift="Figuur 1", tabel=gegevens)
    html_bytes = r.bytes()

It has the methods of `pdf.Rapport` (`kop`, `alinea`, `opsomming`, `kerncijfers`, `tabel`,
`svg`, `pagina`, `bytes`), so one function can fill either: `def vul(r: Verslag) -> None`.
The file needs nothing else: charts are inline SVG, styling is in `style` attributes (allowed by
the site's Content-Security-Policy, unlike a `<style>` element), there is no script. It has
`lang="nl"`, a `<title>`, one `<h1>`, headings in order, a `<main>` landmark, tables with
captions and header cells, and key figures as a description list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from stelsel.uitvoer.svg import attribuut, figuur, tekst
from stelsel.uitvoer.tabel import Tabel, html

if TYPE_CHECKING:  # the PDF side (fpdf2) is imported only by what makes a PDF
    from stelsel.uitvoer.pdf import Rapport

_LIJF = (
    "margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1a1a1a;line-height:1.5;background:#ffffff"
)
_HOOFD = "max-width:48rem;margin:0 auto;padding:1rem"
_KOP = {
    1: "color:#004b87;font-size:1.5rem;margin:2rem 0 .5rem",
    2: "font-size:1.2rem;margin:1.5rem 0 .5rem",
}
_CIJFERS = "display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0;padding:0"
_CIJFER = (
    "flex:1 1 12rem;margin:0;padding:.5rem .75rem;background:#f3f6f9;"
    "border:1px solid #c5d0da;border-left:6px solid #004b87"
)


@dataclass(frozen=True)
class Kerncijfer:
    """A key figure: a label, the value as text, and a line of context (interval, n, trend)."""

    label: str
    waarde: str
    toelichting: str = ""


class Verslag(Protocol):
    """What `pdf.Rapport` and `HtmlRapport` both offer, for code that fills either."""

    def kop(self, tekst: str, niveau: int = 1) -> None: ...
    def alinea(self, tekst: str) -> None: ...
    def opsomming(self, punten: Sequence[str]) -> None: ...
    def kerncijfers(self, cijfers: Sequence[Kerncijfer], per_rij: int = 3) -> None: ...
    def tabel(self, tabel: Tabel, *, breedtes: Sequence[float] | None = None) -> None: ...
    def svg(
        self,
        svg: str,
        *,
        bijschrift: str = "",
        breedte: float | None = None,
        tabel: Tabel | None = None,
    ) -> None: ...
    def pagina(self) -> None: ...
    def bytes(self) -> bytes: ...


class HtmlRapport:
    """A report as a standalone HTML document, built top to bottom; `bytes()` gives the file."""

    def __init__(
        self,
        titel: str,
        ondertitel: str = "",
        *,
        auteur: str = "stelsel",
        onderwerp: str = "",
        datum: datetime | None = None,
        regels: Sequence[str] = (),
    ) -> None:
        """Start a report: the title, subtitle, date and any extra lines at its top."""
        self.titel = titel
        self._datum = datum or datetime.now(UTC)
        self._kop = [
            "<!doctype html>",
            '<html lang="nl"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{tekst(titel)}</title>",
            f'<meta name="author" content={attribuut(auteur)}>',
            f'<meta name="description" content={attribuut(onderwerp or ondertitel or titel)}>',
            f'</head><body style="{_LIJF}"><main style="{_HOOFD}">',
            f'<h1 style="color:#004b87;font-size:2rem;margin:1rem 0 .25rem">{tekst(titel)}</h1>',
        ]
        if ondertitel:
            self._kop.append(
                f'<p style="font-size:1.2rem;margin:0 0 .5rem">{tekst(ondertitel)}</p>'
            )
        for regel in (f"Gemaakt op {self._datum:%d-%m-%Y}", *regels):
            self._kop.append(f'<p style="margin:0;color:#4a5a68">{tekst(regel)}</p>')
        self._delen: list[str] = []
        self._figuren = 0

    def kop(self, tekst_: str, niveau: int = 1) -> None:
        """A heading: level 1 is an `<h2>` (the title is the `<h1>`), level 2 an `<h3>`."""
        n = 2 if niveau <= 1 else 3
        self._delen.append(f'<h{n} style="{_KOP[min(niveau, 2)]}">{tekst(tekst_)}</h{n}>')

    def alinea(self, tekst_: str) -> None:
        """A paragraph of running text."""
        self._delen.append(f"<p>{tekst(tekst_)}</p>")

    def opsomming(self, punten: Sequence[str]) -> None:
        """A bulleted list."""
        self._delen.append("<ul>" + "".join(f"<li>{tekst(p)}</li>" for p in punten) + "</ul>")

    def kerncijfers(self, cijfers: Sequence[Kerncijfer], per_rij: int = 3) -> None:
        """Key figures as a description list of boxes: label, large value, context line."""
        del per_rij  # the boxes wrap to the screen width
        delen = [f'<dl class="kerncijfers" style="{_CIJFERS}">']
        for c in cijfers:
            delen.append(
                f'<div style="{_CIJFER}"><dt style="font-size:.9rem">{tekst(c.label)}</dt>'
                f'<dd style="margin:0;font-size:1.6rem;font-weight:700;color:#004b87">'
                f"{tekst(c.waarde)}</dd>"
            )
            if c.toelichting:
                delen.append(f'<dd style="margin:0;font-size:.85rem">{tekst(c.toelichting)}</dd>')
            delen.append("</div>")
        delen.append("</dl>")
        self._delen.append("".join(delen))

    def tabel(self, tabel: Tabel, *, breedtes: Sequence[float] | None = None) -> None:
        """A table with its caption, in a box that scrolls sideways when it is too wide."""
        del breedtes  # the browser sizes the columns
        self._delen.append(
            f'<div style="overflow-x:auto;margin:1rem 0" tabindex="0" role="group" '
            f"aria-label={attribuut(tabel.bijschrift or 'Tabel')}>{html(tabel)}</div>"
        )

    def svg(
        self,
        svg: str,
        *,
        bijschrift: str = "",
        breedte: float | None = None,
        tabel: Tabel | None = None,
    ) -> None:
        """A chart or map with its caption; with `tabel`, its data table below it (`figuur`)."""
        del breedte
        self._figuren += 1
        bijschrift = bijschrift or f"Figuur {self._figuren}"
        if tabel is not None:
            self._delen.append(figuur(svg, tabel, bijschrift=bijschrift))
        else:
            self._delen.append(
                f'<figure style="margin:1rem 0"><figcaption>{tekst(bijschrift)}</figcaption>'
                f'<div style="overflow-x:auto">{svg}</div></figure>'
            )

    def pagina(self) -> None:
        """A page break when printed."""
        self._delen.append('<div style="break-after:page"></div>')

    def tekst(self) -> str:
        """The finished document as text."""
        return "".join([*self._kop, *self._delen, "</main></body></html>"])

    def bytes(self) -> bytes:
        """The finished document, UTF-8."""
        return self.tekst().encode("utf-8")


def _beide_zijn_verslagen(pdf: Rapport, html_: HtmlRapport) -> tuple[Verslag, Verslag]:
    # mypy checks here that both classes keep offering what Verslag promises
    return pdf, html_
