"""The "Staat van de dienstverlening": the figures of a scope and period gathered once
(`verzamel`), then written as PDF or HTML (`vul` fills either uitvoer report) and shown on the
dashboard (the same charts and tables). The commentary is generated from the figures by rules
(`commentaar`): what moved significantly (intervals that do not overlap), where the figures
stand against the 2021 baseline, which regions and thema's changed most, what is hidden.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from stelsel.kwaliteit import cijfers, queries
from stelsel.uitvoer import kaart, svg
from stelsel.uitvoer.htmlrapport import HtmlRapport, Kerncijfer, Verslag
from stelsel.uitvoer.tabel import Tabel

# The 2021 baseline (KplusV 2021, Bijlage 5, 606 responses; data/kwaliteit/baseline_2021.json
# and issue 13): CSAT 6.1/10, CES 3/5, 37% fully and 25% partly solved.
NULMETING = {"csat": 6.1, "ces": 3.0, "volledig": 0.37, "deels": 0.25}
FIGUREN = {
    "csat": "Tevredenheid (1-10)",
    "ces": "Gemak (1-5)",
    "nps": "Aanbevelen (NPS)",
    "volledig": "Volledig opgelost",
    "ftr": "Meteen goed",
}

# the axis of a figure's bars: its whole range (shares in percent)
SCHALEN = {
    "csat": (0.0, 10.0),
    "ces": (0.0, 5.0),
    "nps": (-100.0, 100.0),
    "volledig": (0.0, 100.0),
    "ftr": (0.0, 100.0),
}


def waarde(k: cijfers.Kerncijfers, figuur: str) -> tuple[float | None, tuple[float, float] | None]:
    """A figure's value and interval by name (shares in percent)."""
    if figuur == "csat":
        return k.csat.gemiddelde, k.csat.interval
    if figuur == "ces":
        return k.ces.gemiddelde, k.ces.interval
    if figuur == "nps":
        return k.nps.score, k.nps.interval
    if figuur == "ftr":
        a = k.first_time_right
    else:
        a = k.opgelost.aandelen.get("volledig", cijfers.Aandeel(None, 0, None))
    if a.aandeel is None:
        return None, None
    i = a.interval
    return 100 * a.aandeel, None if i is None else (100 * i[0], 100 * i[1])


def _getal(x: float | None, d: int = 1) -> str:
    return "–" if x is None else f"{x:.{d}f}".replace(".", ",")


@dataclass
class Staat:
    titel: str
    ondertitel: str
    periode: str
    vorige_periode: str
    nu: queries.Overzicht
    vorige: queries.Overzicht
    reeks: list[tuple[str, queries.Overzicht]]
    regio_soort: str
    regios: queries.Uitsplitsing
    regios_vorige: queries.Uitsplitsing
    themas: queries.Uitsplitsing
    themas_vorige: queries.Uitsplitsing
    namen: dict[tuple[str, str], str]
    indeling: dict[str, str] = field(default_factory=dict)
    gemeenten: list[str] | None = None


def verzamel(
    session: Session,
    f: queries.Filter,
    periode: str,
    *,
    minimum: int,
    vandaag: date,
    g: queries.Geografie | None = None,
) -> Staat:
    """Everything the report and dashboard show for the scope `f` and the period."""
    g = g or queries.geografie(session)
    van, tot = queries.periode_grenzen(periode)
    vorige = queries.vorige_periode(periode)
    vvan, vtot = queries.periode_grenzen(vorige)
    fnu, fvor = replace(f, van=van, tot=tot), replace(f, van=vvan, tot=vtot)
    # the regions side by side: provincies of the nation, COROP areas of a provincie,
    # gemeenten of anything smaller
    soort = "provincie" if f.regio is None else "gemeente"
    if f.regio is not None and g.soort(f.regio) == "provincie":
        soort = "corop"
    gemeenten = None if f.regio is None else g.gemeenten_in(f.regio)
    # the trend: the four quarters (or twelve months) up to this period
    jaar_terug = replace(f, van=date(van.year - 1, van.month, 1), tot=tot)
    per = "maand" if "-Q" not in periode and len(periode) > 4 else "kwartaal"
    if len(periode) == 4:
        per = "kwartaal"
    regio = f.regio or "NL"
    naam = "Nederland" if f.regio is None else g.naam(g.soort(f.regio), f.regio)
    return Staat(
        titel="Staat van de dienstverlening",
        ondertitel=f"{naam} ({regio}), {periode}",
        periode=periode,
        vorige_periode=vorige,
        nu=queries.overzicht(session, fnu, minimum=minimum, vandaag=vandaag, g=g),
        # the previous period only for the survey figures' comparison: no referral statistics
        vorige=queries.overzicht(
            session, fvor, minimum=minimum, vandaag=vandaag, g=g, met_keten=False
        ),
        reeks=queries.reeks(
            session, jaar_terug, per, minimum=minimum, vandaag=vandaag, g=g, met_keten=False
        ),
        regio_soort=soort,
        regios=queries.uitsplitsing(session, fnu, soort, minimum=minimum, g=g),
        regios_vorige=queries.uitsplitsing(session, fvor, soort, minimum=minimum, g=g),
        themas=queries.uitsplitsing(session, fnu, "thema", minimum=minimum, g=g),
        themas_vorige=queries.uitsplitsing(session, fvor, "thema", minimum=minimum, g=g),
        namen=g.namen,
        indeling={gm: r[soort] for gm, r in g.gemeenten.items()},
        gemeenten=gemeenten,
    )


# --------------------------------------------------------------------------- commentary


def _overlap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    return a is None or b is None or not (a[1] < b[0] or b[1] < a[0])


def veranderingen(
    nu: queries.Uitsplitsing, vorige: queries.Uitsplitsing, figuur: str = "csat"
) -> list[tuple[str, float, float, bool]]:
    """(key, before, now, significant) for groups shown in both periods, largest change first."""
    oud = {gr.sleutel: gr.cijfers for gr in vorige.groepen}
    uit = []
    for gr in nu.groepen:
        if gr.sleutel not in oud:
            continue
        a, ia = waarde(oud[gr.sleutel], figuur)
        b, ib = waarde(gr.cijfers, figuur)
        if a is None or b is None:
            continue
        uit.append((gr.sleutel, a, b, not _overlap(ia, ib)))
    return sorted(uit, key=lambda t: -abs(t[2] - t[1]))


def commentaar(s: Staat) -> list[str]:
    """Sentences generated from the figures by rules (docs/kwaliteit.md, "Commentaar")."""
    zinnen: list[str] = []
    if s.nu.kern.verborgen:
        return [
            f"Over {s.periode} zijn te weinig antwoorden om cijfers te tonen "
            f"(n = {s.nu.kern.n} of minder dan nodig)."
        ]
    gestegen, gedaald, gelijk = [], [], []
    for fig, label in FIGUREN.items():
        a, ia = waarde(s.vorige.kern, fig)
        b, ib = waarde(s.nu.kern, fig)
        if a is None or b is None:
            continue
        if _overlap(ia, ib):
            gelijk.append(label.lower())
        elif b > a:
            gestegen.append(f"{label.lower()} ({_getal(a)} → {_getal(b)})")
        else:
            gedaald.append(f"{label.lower()} ({_getal(a)} → {_getal(b)})")
    if gestegen:
        zinnen.append(
            f"Ten opzichte van {s.vorige_periode} is duidelijk gestegen: {', '.join(gestegen)}; "
            "de betrouwbaarheidsintervallen overlappen niet."
        )
    if gedaald:
        zinnen.append(
            f"Duidelijk gedaald ten opzichte van {s.vorige_periode}: {', '.join(gedaald)}."
        )
    if gelijk and not (gestegen or gedaald):
        zinnen.append(
            f"Geen cijfer is duidelijk veranderd ten opzichte van {s.vorige_periode}: "
            "de intervallen overlappen."
        )
    elif gelijk:
        zinnen.append(f"Niet duidelijk veranderd: {', '.join(gelijk)}.")
    for fig in ("csat", "ces", "volledig"):
        b, ib = waarde(s.nu.kern, fig)
        basis = NULMETING[fig] * (100 if fig == "volledig" else 1)
        if b is None or ib is None:
            continue
        if ib[0] > basis:
            zinnen.append(
                f"{FIGUREN[fig]} ligt met {_getal(b)} duidelijk boven de nulmeting van 2021 "
                f"({_getal(basis)})."
            )
        elif ib[1] < basis:
            zinnen.append(
                f"{FIGUREN[fig]} ligt met {_getal(b)} duidelijk onder de nulmeting van 2021 "
                f"({_getal(basis)})."
            )
    for soort, nu, vorige in (
        (s.regio_soort, s.regios, s.regios_vorige),
        ("thema", s.themas, s.themas_vorige),
    ):
        v = veranderingen(nu, vorige)
        if v:
            k, a, b, sig = v[0]
            naam = s.namen.get((soort, k), k or "onbekend")
            zinnen.append(
                f"De grootste verandering in tevredenheid per {soort}: {naam}, van {_getal(a)} "
                f"naar {_getal(b)}{' (duidelijk)' if sig else ' (binnen de onzekerheid)'}."
            )
        verborgen = sum(1 for gr in nu.groepen if gr.cijfers.verborgen)
        if verborgen:
            zinnen.append(
                f"{verborgen} van {len(nu.groepen)} groepen per {soort} zijn niet getoond: "
                "te weinig antwoorden, of nodig om een kleine groep te beschermen."
            )
    r = s.nu.respons
    if r.aandeel is not None and r.aandeel < 0.2:
        zinnen.append(
            f"Maar {_getal(100 * r.aandeel, 0)}% van de uitgenodigde ondernemers antwoordde: "
            "lees de cijfers met voorzichtigheid."
        )
    return zinnen


# --------------------------------------------------------------------------- charts and tables


@dataclass(frozen=True)
class Blok:
    """A chart with its data table, or a table alone (svg empty)."""

    naam: str
    titel: str
    svg: str
    tabel: Tabel


def kerncijfers(s: Staat) -> list[Kerncijfer]:
    uit = []
    k = s.nu.kern
    for fig, label in FIGUREN.items():
        w, i = waarde(k, fig)
        if w is None:
            uit.append(Kerncijfer(label, cijfers.TE_WEINIG, k.reden or ""))
            continue
        eenheid = "%" if fig in ("volledig", "ftr") else ""
        # "tot", not a dash: "-40,0–-21,9" reads badly for a negative NPS
        toel = f"95%-interval {_getal(i[0])} tot {_getal(i[1])}" if i else ""
        uit.append(Kerncijfer(label, f"{_getal(w)}{eenheid}", f"{toel}; n = {k.n}"))
    h = s.nu.keten.hops_per_hulpvraag
    uit.append(
        Kerncijfer(
            "Doorverwijzingen per vraag",
            _getal(h.gemiddelde, 2) if h.gemiddelde is not None else "te weinig gegevens",
            f"n = {h.n}",
        )
    )
    return uit


def blokken(s: Staat, figuur: str = "csat") -> list[Blok]:
    uit = []
    label = FIGUREN[figuur]
    basis = {"csat": 6.1, "ces": 3.0, "volledig": 37.0}.get(figuur)
    # the figure's whole range: bars per region and per thema are comparable at a glance, and
    # the baseline line stays left of the values printed at the right end
    schaal = SCHALEN[figuur]
    ref = svg.Referentie(basis, "Nulmeting 2021") if basis is not None else None
    perioden = [p for p, _ in s.reeks]
    waarden = [waarde(o.kern, figuur) for _, o in s.reeks]
    reeks = svg.Reeks(label, [w for w, _ in waarden], [i for _, i in waarden])
    titel = f"{label} per periode"
    if perioden:
        uit.append(
            Blok(
                "trend",
                titel,
                svg.lijndiagram(perioden, [reeks], titel=titel, referentie=ref),
                svg.lijndiagram_tabel(perioden, [reeks], titel=titel),
            )
        )
    for naam, u, soort in (
        ("regios", s.regios, s.regio_soort),
        ("themas", s.themas, "thema"),
    ):
        staven = []
        for gr in u.groepen:
            w, i = waarde(gr.cijfers, figuur)
            staven.append(
                svg.Staaf(
                    s.namen.get((soort, gr.sleutel), gr.sleutel or "onbekend"),
                    w,
                    i,
                    notitie=cijfers.TE_WEINIG if w is None else "",
                )
            )
        if staven:
            t = f"{label} per {soort}, {s.periode}"
            uit.append(
                Blok(
                    naam,
                    t,
                    svg.staafdiagram(staven, titel=t, referentie=ref, schaal=schaal, breedte=480),
                    svg.staafdiagram_tabel(staven, titel=t, label=soort.capitalize(), waarde=label),
                )
            )
    waarden_kaart = {
        gr.sleutel: waarde(gr.cijfers, figuur)[0] for gr in s.regios.groepen if gr.sleutel
    }
    # a region in the breakdown without a value was hidden (minimum group): said so, not
    # "geen gegevens", which stays for the regions without any answer
    verborgen = {c: cijfers.TE_WEINIG for c, w in waarden_kaart.items() if w is None}
    t = f"Kaart: {label.lower()} per {s.regio_soort}, {s.periode}"
    namen = {c: n for (k, c), n in s.namen.items() if k == s.regio_soort}
    kaart_svg = kaart.kaart(
        waarden_kaart,
        titel=t,
        indeling=None if s.regio_soort == "gemeente" else s.indeling,
        namen=namen,
        alleen=s.gemeenten,
        notities=verborgen,
    )
    uit.append(
        Blok(
            "kaart",
            t,
            kaart_svg,
            kaart.kaart_tabel(
                waarden_kaart,
                titel=t,
                namen=namen,
                regio=s.regio_soort.capitalize(),
                waarde=label,
                notities=verborgen,
            ),
        )
    )
    return uit


def vul(r: Verslag, s: Staat, figuur: str = "csat") -> None:
    r.kop("Kerncijfers")
    r.kerncijfers(kerncijfers(s))
    r.kop("Wat valt op")
    r.opsomming(commentaar(s) or ["Geen opvallende veranderingen."])
    for b in blokken(s, figuur):
        r.kop(b.titel, 2)  # the heading is the caption: no second one under it
        r.svg(b.svg, tabel=b.tabel)
    r.kop("Hoe lees ik dit?", 2)
    r.alinea(
        "Elk cijfer staat met een 95%-betrouwbaarheidsinterval en het aantal antwoorden (n). "
        "Groepen met te weinig antwoorden tonen wij niet; soms verbergen wij ook een tweede "
        "groep, zodat een kleine groep niet uit het totaal is af te leiden."
    )


def als_pdf(s: Staat, figuur: str = "csat") -> bytes:
    from stelsel.uitvoer.pdf import Rapport  # fpdf2 only when a PDF is made

    r = Rapport(s.titel, s.ondertitel, onderwerp="Kwaliteit van de dienstverlening aan het mkb")
    vul(r, s, figuur)
    return r.bytes()


def als_html(s: Staat, figuur: str = "csat") -> bytes:
    r = HtmlRapport(s.titel, s.ondertitel)
    vul(r, s, figuur)
    return r.bytes()
