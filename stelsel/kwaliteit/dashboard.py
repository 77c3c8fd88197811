"""The dashboards (`/kwaliteit`): one page whose scope follows the role (the nation for a
stelselregisseur, their region for a regiocoördinator, their organisation for a manager), with
filters as a GET form, key figures with intervals and n, the commentary, charts as SVG with a
data table each, every table as CSV and Excel, and the report as PDF or HTML. No JavaScript."""

from datetime import UTC, date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from stelsel.accounts.deps import huidige_actor
from stelsel.accounts.rollen import Actor
from stelsel.config import get_settings
from stelsel.errors import NietGevonden, Ongeldig, Verboden
from stelsel.kwaliteit import queries, rapport
from stelsel.register import taxonomie as tx
from stelsel.uitvoer import svg, tabel
from stelsel.uitvoer.tabel import Tabel
from stelsel.web.deps import get_session
from stelsel.web.pages import render

router = APIRouter(include_in_schema=False)


def _kwartaal(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def _staat(
    session: Session,
    actor: Actor,
    regio: str | None,
    thema: str | None,
    periode: str | None,
) -> tuple[rapport.Staat, queries.Filter, str]:
    g = queries.geografie(session)
    if thema and thema not in tx.codes(tx.THEMAS):
        raise Ongeldig("thema", f"'{thema}' is geen bekend thema")
    f = queries.Filter(regio=regio.upper() if regio else None, thema=thema or None)
    f = queries.binnen_bereik(actor, f, g)
    vandaag = datetime.now(UTC).date()
    periode = periode or _kwartaal(vandaag)
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


MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def _bestand(inhoud: bytes, soort: str, naam: str) -> Response:
    """A download: `inhoud` as the file `naam.soort`."""
    return Response(
        inhoud,
        media_type=MEDIA_TYPES[soort],
        headers={"Content-Disposition": f'attachment; filename="{naam}.{soort}"'},
    )


def _inloggen(request: Request) -> RedirectResponse:
    verder = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/inloggen?" + urlencode({"verder": verder}), status_code=303)


@router.get("/kwaliteit")
def dashboard(
    request: Request,
    regio: str | None = Query(None, max_length=6),
    thema: str | None = Query(None, max_length=40),
    periode: str | None = Query(None, max_length=7),
    figuur: str = Query("csat", max_length=10),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        return _inloggen(request)
    if figuur not in rapport.FIGUREN:
        raise Ongeldig("figuur", f"kies uit {', '.join(rapport.FIGUREN)}")
    staat, f, periode = _staat(session, actor, regio, thema, periode)
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


@router.get("/kwaliteit/tabel/{naam}.{soort}")
def download_tabel(
    request: Request,
    naam: str,
    soort: str,
    regio: str | None = Query(None, max_length=6),
    thema: str | None = Query(None, max_length=40),
    periode: str | None = Query(None, max_length=7),
    figuur: str = Query("csat", max_length=10),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        raise Verboden("Log in om cijfers te downloaden.")
    if soort not in ("csv", "xlsx") or figuur not in rapport.FIGUREN:
        raise NietGevonden("Deze download bestaat niet.")
    staat, _, periode = _staat(session, actor, regio, thema, periode)
    tabellen = _tabellen(staat, figuur)
    if naam not in tabellen:
        raise NietGevonden("Deze tabel bestaat niet.")
    if soort == "csv":
        inhoud = tabel.csv_bytes(tabellen[naam])
    else:
        inhoud = tabel.xlsx_bytes(tabellen[naam], titel=staat.titel)
    return _bestand(inhoud, soort, f"kwaliteit-{naam}-{periode}")


@router.get("/kwaliteit/rapport.{soort}")
def download_rapport(
    soort: str,
    regio: str | None = Query(None, max_length=6),
    thema: str | None = Query(None, max_length=40),
    periode: str | None = Query(None, max_length=7),
    figuur: str = Query("csat", max_length=10),
    actor: Actor | None = Depends(huidige_actor),
    session: Session = Depends(get_session),
):
    if actor is None:
        raise Verboden("Log in om het rapport te downloaden.")
    if soort not in ("pdf", "html") or figuur not in rapport.FIGUREN:
        raise NietGevonden("Dit rapport bestaat niet.")
    staat, _, periode = _staat(session, actor, regio, thema, periode)
    maak = rapport.als_pdf if soort == "pdf" else rapport.als_html
    return _bestand(maak(staat, figuur), soort, f"staat-{periode}")
