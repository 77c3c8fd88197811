"""The wegwijzer page: a question box, a clarifying choice when the question is unclear, and
results as 'Begin hier' and 'Ook relevant', each card with how to reach the door and, where a
question reaches a person, the button 'Neem contact met mij op'. Works without JavaScript;
after a search, focus and view go to the results heading (or to the error summary)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from sqlalchemy.orm import Session

from stelsel.geo import service as geo
from stelsel.register import taxonomie as tx
from stelsel.web.deps import get_lees_session, get_session
from stelsel.web.pages import formulierfouten, render, templates
from stelsel.wegwijzer import service, site
from stelsel.wegwijzer.api import toelichting
from stelsel.wegwijzer.matching import Document, algemeen

router = APIRouter(include_in_schema=False)
router.include_router(site.router)
THEMA_CODES = frozenset(t.code for t in tx.THEMAS)
FASEN = {"starter": "Ik begin of ben net begonnen", "gevestigd": "Mijn bedrijf bestaat al langer"}
GROOTTES = {
    "zzp": "Alleen ikzelf (zzp)",
    "micro": "2 tot 10 mensen",
    "klein": "10 tot 50 mensen",
    "middelgroot": "50 tot 250 mensen",
}


def _zelfverwijzing_mogelijk(session: Session, aanbieder_ids: Iterable[str]) -> set[str]:
    """Which aanbieders can take a self-referral. That is the referral domain's rule (its reach
    rule, a layer above this one): its pages register the function in the template environment
    (stelsel.doorverwijzing.zelf_pages). Without it, no card offers the button."""
    fn: Callable[[Session, list[str]], set[str]] | None = templates.env.globals.get(  # type: ignore[assignment]
        "zelfverwijzing_mogelijk"
    )
    ids = list(dict.fromkeys(aanbieder_ids))
    return fn(session, ids) if fn is not None and ids else set()


@router.get("/wegwijzer")
def wegwijzer(
    request: Request,
    vraag: str | None = None,
    gemeente: str | None = None,
    bewaren: str | None = None,
    fase: str | None = None,
    grootte: str | None = None,
    sector: str | None = None,
    verduidelijking: str | None = None,
    session: Session = Depends(get_session),
):
    """The question box; a link may carry a question in the query (the form itself posts)."""
    return _antwoord(
        request, session, vraag, gemeente, bewaren, fase, grootte, sector, verduidelijking
    )


@router.post("/wegwijzer")
def wegwijzer_vraag(
    request: Request,
    vraag: str = Form(""),
    gemeente: str | None = Form(None),
    bewaren: str | None = Form(None),
    fase: str | None = Form(None),
    grootte: str | None = Form(None),
    sector: str | None = Form(None),
    verduidelijking: str | None = Form(None),
    session: Session = Depends(get_lees_session),
):
    """The form posts its question, so it never stands in a URL (nor in an access log)."""
    return _antwoord(
        request, session, vraag, gemeente, bewaren, fase, grootte, sector, verduidelijking
    )


def _antwoord(
    request: Request,
    session: Session,
    vraag: str | None,
    gemeente: str | None,
    bewaren: str | None,
    fase: str | None,
    grootte: str | None,
    sector: str | None,
    verduidelijking: str | None,
):
    # the form offers only valid choices; anything else is read as "not given"
    profiel = service.Profiel(
        fase=fase if fase in FASEN else None,
        grootte=grootte if grootte in GROOTTES else None,
        sector=(sector or "").strip()[:100] or None,
    )
    context: dict = {
        "menu": "wegwijzer",
        "vraag": vraag or "",
        "gemeente": gemeente or "",
        "bewaren": bool(bewaren),
        "profiel": profiel,
        "FASEN": FASEN,
        "GROOTTES": GROOTTES,
        "advies": None,
        "zelf": set(),
    }
    with formulierfouten() as fouten:
        if vraag is not None:
            advies = service.advies(
                session=session,
                vraag=vraag,
                gemeente=gemeente,
                aantal=6,
                profiel=profiel,
                bewaar_vraag=bool(bewaren),
                # the form offers only the service's own choices; anything else is "not given"
                verduidelijking=verduidelijking if verduidelijking in THEMA_CODES else None,
            )
            context.update(
                advies=advies,
                toelichting=toelichting(advies),
                zelf=_zelfverwijzing_mogelijk(
                    session, (r.aanbieder_id for r in advies.resultaten if not r.regio_nodig)
                ),
            )
    if "vraag" in fouten.velden:
        fouten.velden["vraag"] = f"Vul uw vraag in: {fouten.velden['vraag']}."
    context["fouten"] = fouten.velden
    # a misspelled or ambiguous place: the names it may mean, each one tap away
    context["plaats_keuzes"] = (
        list(dict.fromkeys([*getattr(fouten.fout, "suggesties", []), *fouten.fout.kandidaten]))
        if isinstance(fouten.fout, geo.GemeenteOnbekend)
        else []
    )
    status = 400 if context["fouten"] else 200
    return render(request, "wegwijzer/wegwijzer.html", context, status_code=status)


# A thema's doors (the home page's tiles) -------------------------------------------------------


@dataclass
class Deur:
    """One organisation on a thema page with its diensten of that thema; or, for a network of
    identical local desks (`netwerk`), one card for all of them that asks for the place."""

    naam: str
    aanbieder_id: str
    diensten: list[tuple[str, str]] = field(default_factory=list)  # (slug, naam)
    landelijk: bool = True
    markt: bool = False
    eerstelijns: bool = False
    netwerk: bool = False
    aantal: int = 1  # desks in the network


def thema_deuren(
    docs: Sequence[Document], thema: str, gebied: set[tuple[str, str]] | None
) -> tuple[list[Deur], int]:
    """The doors for a thema, national and regional ones first (public and first-line before
    market parties), then each network of local desks as one card; with a place its own desks
    instead. Also returns how many regional organisations only a place reveals. Pure."""
    deuren: dict[str, Deur] = {}
    netwerken: dict[tuple[str, str], set[str]] = {}  # network -> its desks' aanbieders
    regionaal: set[str] = set()
    for d in docs:
        if thema not in d.themas:
            continue
        if not d.landelijk and not (gebied and d.gebieden & gebied):
            if d.netwerk and not gebied:
                netwerken.setdefault(d.netwerk, set()).add(d.aanbieder_id)
            elif not d.netwerk:
                regionaal.add(d.aanbieder_id)
            continue
        deur = deuren.setdefault(
            d.aanbieder_id,
            Deur(d.aanbieder_naam, d.aanbieder_id, [], d.landelijk, d.markt, d.eerstelijns),
        )
        deur.diensten.append((d.slug, d.naam))
        deur.landelijk = deur.landelijk and d.landelijk
        deur.eerstelijns = deur.eerstelijns or d.eerstelijns
    volgorde = sorted(
        deuren.values(),
        key=lambda x: (x.markt, x.landelijk, not x.eerstelijns, x.naam.lower()),
    )
    for deur in volgorde:
        deur.diensten.sort(key=lambda x: x[1].lower())
    kaarten = sorted(
        (
            Deur(
                algemeen(aanbieder),
                "",
                [("", algemeen(dienst))],
                landelijk=False,
                netwerk=True,
                aantal=len(ids),
            )
            for (dienst, aanbieder), ids in netwerken.items()
        ),
        key=lambda x: (-x.aantal, x.naam.lower()),
    )
    return volgorde + kaarten, len(regionaal)


@router.get("/wegwijzer/thema/{code}")
def thema(
    code: str,
    request: Request,
    gemeente: str | None = None,
    session: Session = Depends(get_session),
):
    """A thema's doors: where the home page's tiles lead."""
    term = next((t for t in (*tx.THEMAS, *tx.TRANSITIETHEMAS) if t.code == code), None)
    if term is None:
        raise HTTPException(404, "Dit thema bestaat niet.")
    fouten: dict[str, str] = {}
    gekozen = None
    if gemeente and gemeente.strip():
        with formulierfouten() as gevangen:
            gekozen = service.gemeente_van(session=session, tekst=gemeente[:100])
        fouten.update(gevangen.velden)
    gebied = set(geo.gebied(gekozen).codes()) if gekozen else None
    deuren, regionaal = thema_deuren(service.matcher(session=session).docs, code, gebied)
    return render(
        request,
        "wegwijzer/thema.html",
        {
            "menu": "wegwijzer",
            "term": term,
            "deuren": deuren,
            "regionaal": regionaal,
            "gemeente": gemeente or "",
            "gekozen": gekozen,
            "fouten": fouten,
        },
        status_code=400 if fouten else 200,
    )
