"""Pages of the analyse domain: a region picker, the ecosysteemscan (with a second region side by
side, CSV/Excel/PDF), vraag versus aanbod, and the consistentietoets form with its report and
PDF. For the regiocoördinator, stelselregisseur and beheerder; work without JavaScript."""

from typing import Any

from fastapi import APIRouter, Form, Request
from markupsafe import Markup
from sqlalchemy.orm import Session

from stelsel.accounts.deps import PaginaActor
from stelsel.analyse import rapport as rp
from stelsel.analyse import service
from stelsel.errors import Ongeldig
from stelsel.register import taxonomie as tx
from stelsel.uitvoer import svg
from stelsel.uitvoer.tabel import html as tabel_html
from stelsel.web.afhankelijkheden import Sessie
from stelsel.web.csrf import MET_CSRF, csrf_token
from stelsel.web.pages import bijlage, formulierfouten, render

router = APIRouter(include_in_schema=False)
SOORT_NAMEN = {
    "provincie": "Provincies",
    "arbeidsmarktregio": "Arbeidsmarktregio's",
    "corop": "COROP-gebieden",
    "gemeente": "Gemeenten",
}


def _page(request: Request, session: Session, name: str, ctx: dict, status_code: int = 200):
    ctx.setdefault("menu", "analyse")
    ctx["csrf"] = csrf_token(request)
    ctx["keuzes"] = service.regio_keuzes(session=session)
    ctx["soort_namen"] = SOORT_NAMEN
    ctx["tx"] = tx
    return render(request, name, ctx, status_code=status_code)


def _tabel(t) -> Markup:
    return Markup(tabel_html(t))  # noqa: S704 (uitvoer escapes every cell)


def _scan_ctx(s) -> dict:
    fase = rp.heatmap_fase(s, uid=f"tf-{s.code}")
    doelgroep = rp.heatmap_doelgroep(s, uid=f"td-{s.code}")
    return {
        "scan": s,
        # uitvoer escapes every text it puts in its SVG and tables
        "heatmap_fase": Markup(  # noqa: S704
            svg.figuur(fase, rp.tabel_fase(s), bijschrift=f"Thema en fase in {s.naam}")
        ),
        "heatmap_doelgroep": Markup(  # noqa: S704
            svg.figuur(
                doelgroep, rp.tabel_doelgroep(s), bijschrift=f"Thema en doelgroep in {s.naam}"
            )
        ),
        "kaart": Markup(rp.kaart_dekking(s)),  # noqa: S704
        "tabel_wit": _tabel(rp.tabel_witte_vlekken(s)),
        "tabel_overlap": _tabel(rp.tabel_overlap(s)),
        "tabel_basis": _tabel(rp.tabel_basis(s)),
        "compleet": sum(b.compleet for b in s.basis),
    }


@router.get("/analyse")
def kies(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
):
    service.mag_analyseren(actor)
    return _page(
        request, session, "analyse/kies.html", {"fouten": {}, "regio": actor.regio_code or ""}
    )


def _scan_of_fout(session: Session, code: str, veld: str):
    with formulierfouten() as f:
        return service.ecosysteemscan(session=session, regio=code), {}
    return None, {veld: f.velden.get("regio", "")}


@router.get("/analyse/scan")
def scan_pagina(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    regio: str = "",
    vergelijk: str = "",
):
    service.mag_analyseren(actor)
    s, fouten = _scan_of_fout(session, regio[:10], "regio")
    ander = None
    if vergelijk.strip() and s is not None:
        ander, f2 = _scan_of_fout(session, vergelijk[:10], "vergelijk")
        fouten.update(f2)
    if fouten:
        ctx = {"fouten": fouten, "regio": regio[:10], "vergelijk": vergelijk[:10]}
        return _page(request, session, "analyse/kies.html", ctx, status_code=400)
    ctx = {"a": _scan_ctx(s), "b": _scan_ctx(ander) if ander else None, "vergelijk": vergelijk}
    return _page(request, session, "analyse/scan.html", ctx)


@router.get("/analyse/scan.{formaat}")
def scan_export(
    request: Request,
    formaat: str,
    actor: PaginaActor,
    session: Sessie,
    regio: str = "",
):
    service.mag_analyseren(actor)
    if formaat not in ("csv", "xlsx", "pdf"):
        raise Ongeldig("formaat", "kies csv, xlsx of pdf")
    s = service.ecosysteemscan(session=session, regio=regio[:10])
    inhoud = {"csv": rp.scan_csv, "xlsx": rp.scan_xlsx, "pdf": rp.scan_pdf}[formaat]
    return bijlage(inhoud(s), f"ecosysteemscan-{s.code}.{formaat}")


@router.get("/analyse/vraag-aanbod")
def vraag_aanbod_pagina(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    regio: str = "",
):
    service.mag_analyseren(actor)
    with formulierfouten() as f:
        va = service.vraag_versus_aanbod(session=session, regio=regio[:10])
        ctx = {
            "va": va,
            "tabel": _tabel(rp.tabel_vraag_aanbod(va.naam, va.rijen, va.minimum)),
            "thema_naam": lambda t: tx.label(tx.THEMAS, t),
        }
        return _page(request, session, "analyse/vraag_aanbod.html", ctx)
    ctx = {"fouten": {"regio": f.velden["regio"]}, "regio": regio[:10], "doel": "vraag-aanbod"}
    return _page(request, session, "analyse/kies.html", ctx, status_code=400)


@router.get("/analyse/toets")
def toets_formulier(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    dienst: str = "",
):
    service.mag_analyseren(actor)
    return _page(request, session, "analyse/toets.html", {"fouten": {}, "v": {"dienst": dienst}})


@router.post("/analyse/toets", dependencies=MET_CSRF)
def toets_versturen(
    request: Request,
    actor: PaginaActor,
    session: Sessie,
    formaat: str = Form("html"),
    dienst: str = Form(""),
    naam: str = Form(""),
    omschrijving: str = Form(""),
    aanbieder: str = Form(""),
    soort: str = Form(""),
    themas: list[str] = Form([]),
    fasen: list[str] = Form([]),
    doelgroepen: list[str] = Form([]),
    werkgebied: str = Form(""),
):
    service.mag_analyseren(actor)
    v: dict[str, Any] = {
        "dienst": dienst.strip()[:160],
        "naam": naam[:250],
        "omschrijving": omschrijving[:5000],
        "aanbieder": aanbieder[:200],
        "soort": soort[:30],
        "themas": themas[:20],
        "fasen": fasen[:10],
        "doelgroepen": doelgroepen[:20],
        "werkgebied": werkgebied[:2000],
    }
    gebied = [w for w in werkgebied.replace(",", " ").replace(";", " ").split() if w][:400]
    with formulierfouten() as f:
        r = service.toets_van(
            session=session, **{**v, "dienst": v["dienst"] or None, "werkgebied": gebied}
        )
        titel = v["naam"] or v["dienst"]
        if formaat == "pdf":
            return bijlage(rp.toets_pdf(titel, r), "consistentietoets.pdf")
        ctx = {
            "v": v,
            "r": r,
            "titel": titel,
            "oordeel": rp.OORDEEL[r.oordeel],
            "tabel_gaten": _tabel(rp.tabel_gaten(r)),
            "fouten": {},
        }
        return _page(request, session, "analyse/toets.html", ctx)
    return _page(
        request, session, "analyse/toets.html", {"fouten": f.velden, "v": v}, status_code=400
    )
