"""Register pages (server-rendered, no JavaScript needed)."""

import math

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from stelsel.geo import service as geo
from stelsel.register import service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Dienst
from stelsel.web.deps import get_session
from stelsel.web.pages import formulierfouten, render
from stelsel.web.paginering import MAX_OFFSET

router = APIRouter(include_in_schema=False)
PER_PAGINA = 20


def _keuze(value: str | None, vocab: tuple[tx.Term, ...]) -> str | None:
    """A filter value from a form: empty or unknown means no filter."""
    return value if value in tx.codes(vocab) else None


def _pagina(value: str | None) -> int:
    """The page number from the query string; anything but a page that fits the database means 1.
    (Not str.isdigit(): it accepts '²', which int() refuses.)"""
    try:
        nr = int(value or "1")
    except ValueError:
        return 1
    return nr if 1 <= nr <= MAX_OFFSET // PER_PAGINA else 1


@router.get("/")
def home(request: Request, session: Session = Depends(get_session)):
    return render(request, "register/home.html", {"tellingen": service.counts(session=session)})


@router.get("/diensten")
def diensten(
    request: Request,
    q: str | None = None,
    gemeente: str | None = None,
    thema: str | None = None,
    soort: str | None = None,
    fase: str | None = None,
    doelgroep: str | None = None,
    pagina: str | None = None,
    session: Session = Depends(get_session),
):
    f = service.DienstFilter(
        q=(q or "").strip()[:200] or None,
        thema=_keuze(thema, tx.THEMAS),
        soort=_keuze(soort, tx.DIENST_SOORTEN),
        fase=_keuze(fase, tx.FASEN),
        doelgroep=_keuze(doelgroep, tx.DOELGROEPEN),
    )
    fouten: dict[str, str] = {}
    gekozen = None
    if gemeente and gemeente.strip():
        with formulierfouten() as gevangen:
            gekozen = geo.resolve(session=session, tekst=gemeente[:100])
            f.gebied = geo.gebied(gekozen)
        fouten.update(gevangen.velden)
    nr = _pagina(pagina)
    items: list[Dienst] = []
    totaal = 0
    if not fouten:
        items, totaal = service.get_all_diensten(
            session=session, filter=f, offset=(nr - 1) * PER_PAGINA, limit=PER_PAGINA
        )
    params = {
        k: v
        for k, v in {
            "q": q,
            "gemeente": gemeente,
            "thema": f.thema,
            "soort": f.soort,
            "fase": f.fase,
            "doelgroep": f.doelgroep,
        }.items()
        if v
    }
    return render(
        request,
        "register/diensten.html",
        {
            "menu": "diensten",
            "diensten": items,
            "totaal": totaal,
            "pagina": nr,
            "paginas": max(1, math.ceil(totaal / PER_PAGINA)),
            "filter": f,
            "params": params,
            "invoer": {"q": q or "", "gemeente": gemeente or ""},
            "gekozen_gemeente": gekozen,
            "fouten": fouten,
            "gebiedsnamen": geo.area_names(session=session),
        },
        status_code=400 if fouten else 200,
    )


@router.get("/diensten/{slug}")
def dienst(slug: str, request: Request, session: Session = Depends(get_session)):
    d = service.dienst_rij(session=session, dienst_id=slug)
    if d is None:
        raise HTTPException(404, "Deze dienst bestaat niet (meer).")
    talen = dict((t.code, t.naam) for t in tx.TALEN)
    return render(
        request,
        "register/dienst.html",
        {
            "menu": "diensten",
            "dienst": d,
            "contact": service.contact(d),
            "talen": [talen.get(c, c) for c in d.codes("taal")],
            "gebiedsnamen": geo.area_names(session=session),
        },
    )


@router.get("/aanbieders")
def aanbieders(
    request: Request,
    q: str | None = None,
    niveau: str | None = None,
    pagina: str | None = None,
    session: Session = Depends(get_session),
):
    nr = _pagina(pagina)
    niveau = _keuze(niveau, tx.NIVEAUS)
    items, totaal = service.get_all_aanbieders(
        session=session,
        niveau=niveau,
        q=(q or "").strip()[:200] or None,
        offset=(nr - 1) * PER_PAGINA,
        limit=PER_PAGINA,
    )
    return render(
        request,
        "register/aanbieders.html",
        {
            "menu": "aanbieders",
            "aanbieders": items,
            "totaal": totaal,
            "pagina": nr,
            "paginas": max(1, math.ceil(totaal / PER_PAGINA)),
            "params": {k: v for k, v in {"q": q, "niveau": niveau}.items() if v},
            "invoer": {"q": q or "", "niveau": niveau or ""},
        },
    )


@router.get("/aanbieders/{slug}")
def aanbieder(slug: str, request: Request, session: Session = Depends(get_session)):
    a = service.aanbieder_rij(session=session, aanbieder_id=slug, ook_gearchiveerd=False)
    if a is None:
        raise HTTPException(404, "Deze aanbieder bestaat niet (meer).")
    return render(
        request,
        "register/aanbieder.html",
        {"menu": "aanbieders", "aanbieder": a, "gebiedsnamen": geo.area_names(session=session)},
    )


@router.get("/gemeenten")
def gemeenten(request: Request, plaats: str | None = None, session: Session = Depends(get_session)):
    fout = None
    kandidaten: list[str] = []
    if plaats and plaats.strip():
        with formulierfouten() as gevangen:
            g = geo.resolve(session=session, tekst=plaats[:100])
            return RedirectResponse(f"/gemeenten/{g.code}", status_code=303)
        if isinstance(gevangen.fout, geo.GemeenteOnbekend):
            fout, kandidaten = gevangen.fout.reden, gevangen.fout.kandidaten
    per_provincie: dict[str, list] = {}
    for g in geo.get_all(session=session):
        per_provincie.setdefault(g.provincie.naam, []).append(g)
    return render(
        request,
        "register/gemeenten.html",
        {
            "menu": "gemeenten",
            "per_provincie": dict(sorted(per_provincie.items())),
            "plaats": plaats or "",
            "fout": fout,
            "kandidaten": kandidaten,
        },
        status_code=400 if fout else 200,
    )


def _gemeente_van(session: Session, tekst: str):
    with formulierfouten(soorten=(geo.GemeenteOnbekend,)) as onbekend:
        g = geo.resolve(session=session, tekst=tekst)
    return None if onbekend.fout else g


@router.get("/gemeenten/{code}")
def gemeente(code: str, request: Request, session: Session = Depends(get_session)):
    # a CBS code, a name, a woonplaats or a postcode, as in the API (GET /gemeenten/{code})
    g = geo.get(session=session, code=code) or _gemeente_van(session, code[:100])
    if g is None:
        raise HTTPException(404, "Deze gemeente kennen we niet.")
    return render(
        request,
        "register/gemeente.html",
        {
            "menu": "gemeenten",
            "gemeente": g,
            "per_thema": service.diensten_per_thema(session=session, gebied=geo.gebied(g)),
        },
    )
