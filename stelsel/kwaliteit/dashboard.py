"""The dashboards (`/kwaliteit`): one page whose scope follows the role (the nation for a
stelselregisseur, their region for a regiocoördinator, their organisation for a manager), with
filters as a GET form, key figures with intervals and n, the commentary, charts as SVG with a
data table each, every table as CSV and Excel, and the report as PDF or HTML. No JavaScript."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from stelsel.accounts.deps import MisschienActor
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.errors import NietGevonden, Ongeldig, Verboden
from stelsel.kwaliteit import queries, rapport
from stelsel.register import taxonomie as tx
from stelsel.uitvoer import svg, tabel
from stelsel.uitvoer.tabel import Tabel
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.pages import bijlage, render

router = APIRouter(include_in_schema=False)


def _kwartaal(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


@dataclass
class Keuze:
    """The dashboard's choices, from its query string: the page and every download of it take
    the same ones."""

    regio: str | None = Query(None, max_length=6)
    thema: str | None = Query(None, max_length=40)
    periode: str | None = Query(None, max_length=7)
    figuur: str = Query("csat", max_length=10)


def _staat(session: Session, actor: Actor, k: Keuze) -> tuple[rapport.Staat, queries.Filter, str]:
    g = queries.geografie(session)
    if k.thema and k.thema not in tx.codes(tx.THEMAS):
        raise Ongeldig("thema", f"'{k.thema}' is geen bekend thema")
    f = queries.Filter(regio=k.regio.upper() if k.regio else None, thema=k.thema or None)
    f = queries.binnen_bereik(actor, f, g)
    vandaag = datetime.now(UTC).date()
    periode = k.periode or _kwartaal(vandaag)
    staat = rapport.verzamel(
        session, f, periode, minimum=get_settings().minimale_groep, vandaag=vandaag, g=g
    )
    return staat, f, periode


def vergelijking(s: rapport.Staat) -> Tabel:
    """The regions side by side: every figure of each region (hidden: empty)."""
    rijen = []
    for gr in s.regios.groepen:
        k = gr.cijfers
        rij: list = [s.namen.get((s.regio_soort, gr.sleutel), gr.sleutel or "onbekend")]
        rij.append(None if k.verborgen else k.n)
        for fig in rapport.FIGUREN:
            rij.append(rapport.waarde(k, fig)[0])
        rijen.append(rij)
    return Tabel(
        kolommen=[s.regio_soort.capitalize(), "n", *rapport.FIGUREN.values()],
        rijen=rijen,
        bijschrift=f"Alle cijfers per {s.regio_soort}, {s.periode}",
        leeg="te weinig antwoorden",
        decimalen=(None, 0, 1, 1, 0, 0, 0),
    )


def _tabellen(s: rapport.Staat, figuur: str) -> dict[str, Tabel]:
    uit = {b.naam: b.tabel for b in rapport.blokken(s, figuur)}
    uit["vergelijking"] = vergelijking(s)
    uit["kerncijfers"] = Tabel(
        kolommen=["Cijfer", "Waarde", "Toelichting"],
        rijen=[[k.label, k.waarde, k.toelichting] for k in rapport.kerncijfers(s)],
        bijschrift=f"Kerncijfers {s.ondertitel}",
    )
    return uit


def _inloggen(request: Request) -> RedirectResponse:
    verder = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/inloggen?" + urlencode({"verder": verder}), status_code=303)


@router.get("/kwaliteit")
def dashboard(
    request: Request,
    actor: MisschienActor,
    session: Sessie,
    keuze: Annotated[Keuze, Depends()],
):
    if actor is None:
        return _inloggen(request)
    figuur = keuze.figuur
    if figuur not in rapport.FIGUREN:
        raise Ongeldig("figuur", f"kies uit {', '.join(rapport.FIGUREN)}")
    staat, f, periode = _staat(session, actor, keuze)
    params = {"regio": f.regio or "", "thema": f.thema or "", "periode": periode, "figuur": figuur}
    query = urlencode({k: v for k, v in params.items() if v})
    blokken = [
        {
            "naam": b.naam,
            "titel": b.titel,
            "figuur": svg.figuur(b.svg, b.tabel, bijschrift=b.titel),
        }
        for b in rapport.blokken(staat, figuur)
    ]
    return render(
        request,
        "kwaliteit/dashboard.html",
        {
            "menu": "kwaliteit",
            "staat": staat,
            "kerncijfers": rapport.kerncijfers(staat),
            "commentaar": rapport.commentaar(staat),
            "blokken": blokken,
            "vergelijking": tabel.html(vergelijking(staat)),
            "params": params,
            "query": query,
            "figuren": rapport.FIGUREN,
            "themas": tx.codes(tx.THEMAS),
            "rol": actor.rol,
            "vaste_regio": actor.rol == "regiocoordinator" and actor.regio_code,
        },
    )


# What a download may be, by path: its file kinds, and what a refusal says.
_TABEL = (("csv", "xlsx"), "Log in om cijfers te downloaden.", "Deze download bestaat niet.")
_RAPPORT = (("pdf", "html"), "Log in om het rapport te downloaden.", "Dit rapport bestaat niet.")


def _download(
    session: Session,
    actor: Actor | None,
    k: Keuze,
    soort: str,
    download: tuple[tuple[str, ...], str, str],
) -> tuple[rapport.Staat, str]:
    """The state and period a download shows: for a logged-in user (else 403), in one of its
    kinds, of a figure that exists (else 404)."""
    soorten, verboden, onbekend = download
    if actor is None:
        raise Verboden(verboden)
    if soort not in soorten or k.figuur not in rapport.FIGUREN:
        raise NietGevonden(onbekend)
    staat, _, periode = _staat(session, actor, k)
    return staat, periode


@router.get("/kwaliteit/tabel/{naam}.{soort}")
def download_tabel(
    request: Request,
    naam: str,
    soort: str,
    actor: MisschienActor,
    session: Sessie,
    keuze: Annotated[Keuze, Depends()],
):
    staat, periode = _download(session, actor, keuze, soort, _TABEL)
    tabellen = _tabellen(staat, keuze.figuur)
    if naam not in tabellen:
        raise NietGevonden("Deze tabel bestaat niet.")
    if soort == "csv":
        inhoud = tabel.csv_bytes(tabellen[naam])
    else:
        inhoud = tabel.xlsx_bytes(tabellen[naam], titel=staat.titel)
    return bijlage(inhoud, f"kwaliteit-{naam}-{periode}.{soort}")


@router.get("/kwaliteit/rapport.{soort}")
def download_rapport(
    soort: str,
    actor: MisschienActor,
    session: Sessie,
    keuze: Annotated[Keuze, Depends()],
):
    staat, periode = _download(session, actor, keuze, soort, _RAPPORT)
    maak = rapport.als_pdf if soort == "pdf" else rapport.als_html
    return bijlage(maak(staat, keuze.figuur), f"staat-{periode}.{soort}")
