"""The analyses as tables, SVG charts, a map, CSV, Excel and PDF, built with stelsel.uitvoer.
Pure: plain values in, text or bytes out."""

from stelsel.analyse.index import DOELGROEPEN, FASEN, THEMAS
from stelsel.analyse.overlap import Toetsrapport
from stelsel.analyse.scan import BASISREGELS, OVERLAP_DREMPEL, Scan
from stelsel.analyse.vraagaanbod import VraagAanbodRij
from stelsel.register import taxonomie as tx
from stelsel.uitvoer import kaart, svg
from stelsel.uitvoer.htmlrapport import Kerncijfer
from stelsel.uitvoer.tabel import Tabel, csv_bytes, xlsx_bytes

STATUS = {"lokaal": "aanwezig", "landelijk": "alleen landelijk", "ontbreekt": "ontbreekt"}
OORDEEL = {
    "aanvullend": "Aanvullend",
    "gedeeltelijk_overlappend": "Gedeeltelijk overlappend",
    "dubbel": "Dubbel",
}
THEMA_NAMEN = [tx.label(tx.THEMAS, t) for t in THEMAS]
FASE_NAMEN = [tx.label(tx.FASEN, f) for f in FASEN]
DOELGROEP_NAMEN = [tx.label(tx.DOELGROEPEN, d) for d in DOELGROEPEN]


def _matrix(cellen, kolommen) -> list[list[float | None]]:
    m = {(c.rij, c.kolom): c.aantal for c in cellen}
    return [[m[(t, k)] for k in kolommen] for t in THEMAS]


def heatmap_fase(s: Scan, uid: str = "tf") -> str:
    overlap = {(c.rij, c.kolom) for c in s.overlappen}
    return svg.heatmap(
        THEMA_NAMEN,
        FASE_NAMEN,
        _matrix(s.thema_fase, FASEN),
        titel=f"Diensten per thema en fase in {s.naam}",
        beschrijving="Aantal diensten dat een ondernemer hier kan gebruiken. Omrand: in een "
        f"gemeente {OVERLAP_DREMPEL} of meer regionale diensten in dezelfde cel.",
        markeer=lambda r, k, v: (THEMAS[r], FASEN[k]) in overlap,
        markering="veel regionaal aanbod",
        uid=uid,
    )


def heatmap_doelgroep(s: Scan, uid: str = "td") -> str:
    return svg.heatmap(
        THEMA_NAMEN,
        DOELGROEP_NAMEN,
        _matrix(s.thema_doelgroep, DOELGROEPEN),
        titel=f"Diensten per thema en doelgroep in {s.naam}",
        uid=uid,
    )


def tabel_fase(s: Scan) -> Tabel:
    return svg.heatmap_tabel(
        THEMA_NAMEN,
        FASE_NAMEN,
        _matrix(s.thema_fase, FASEN),
        titel=f"Diensten per thema en fase in {s.naam}",
        rijkop="Thema",
    )


def tabel_doelgroep(s: Scan) -> Tabel:
    return svg.heatmap_tabel(
        THEMA_NAMEN,
        DOELGROEP_NAMEN,
        _matrix(s.thema_doelgroep, DOELGROEPEN),
        titel=f"Diensten per thema en doelgroep in {s.naam}",
        rijkop="Thema",
    )


def _kolom(c) -> str:
    return tx.label(tx.FASEN if c.kolom in FASEN else tx.DOELGROEPEN, c.kolom)


def tabel_witte_vlekken(s: Scan) -> Tabel:
    soort = {"leeg": "geen dienst", "geen_persoonlijk": "geen persoonlijke hulp"}
    return Tabel(
        kolommen=["Thema", "Fase of doelgroep", "Wat ontbreekt", "Diensten", "Gemeenten zonder"],
        rijen=[
            [
                tx.label(tx.THEMAS, c.rij),
                _kolom(c),
                soort[c.wit or "leeg"],
                c.aantal,
                c.witte_gemeenten,
            ]
            for c in s.witte_vlekken
        ],
        bijschrift=f"Witte vlekken in {s.naam}",
    )


def tabel_overlap(s: Scan) -> Tabel:
    return Tabel(
        kolommen=["Thema", "Fase", "Regionale diensten", "Meeste in één gemeente"],
        rijen=[
            [tx.label(tx.THEMAS, c.rij), _kolom(c), c.regionaal, c.max_regionaal]
            for c in s.overlappen
        ],
        bijschrift=f"Overlap in {s.naam}: cellen met {OVERLAP_DREMPEL} of meer regionale diensten",
    )


def tabel_basis(s: Scan) -> Tabel:
    return Tabel(
        kolommen=["Gemeente", *(r.naam for r in BASISREGELS), "Dekking"],
        rijen=[
            [
                b.naam,
                *(STATUS[b.onderdelen[r.code]] for r in BASISREGELS),
                f"{round(100 * s.dekking[b.gemeente])}%",
            ]
            for b in s.basis
        ],
        bijschrift=f"Basisinfrastructuur per gemeente in {s.naam}",
    )


def kaart_dekking(s: Scan) -> str:
    codes = [c for c, _ in s.gemeenten]
    geldig = kaart.gemeentecodes()
    waarden = {c: round(100 * s.dekking[c]) for c in codes if c in geldig}
    return kaart.kaart(
        waarden,
        titel=f"Regionale dekking per gemeente in {s.naam}",
        beschrijving="Deel van de 28 cellen thema × fase met ten minste één regionale of "
        "lokale dienst.",
        namen=dict(s.gemeenten),
        alleen=list(waarden),
        grenzen=[0, 20, 40, 60, 80, 101],
        decimalen=0,
        eenheid="%",
        uid=f"kaart-{s.code}",
    )


def scan_tabellen(s: Scan) -> list[Tabel]:
    return [
        tabel_fase(s),
        tabel_doelgroep(s),
        tabel_witte_vlekken(s),
        tabel_overlap(s),
        tabel_basis(s),
    ]


def scan_csv(s: Scan) -> bytes:
    """The basisinfrastructuur table with each gemeente's coverage (the per-gemeente view)."""
    return csv_bytes(tabel_basis(s))


def scan_xlsx(s: Scan) -> bytes:
    return xlsx_bytes(*scan_tabellen(s), titel=f"Ecosysteemscan {s.naam}")


def scan_pdf(s: Scan) -> bytes:
    from stelsel.uitvoer import pdf  # fpdf2 only when a PDF is made

    r = pdf.Rapport(
        f"Ecosysteemscan {s.naam}",
        f"{s.soort} {s.code}, {len(s.gemeenten)} gemeenten",
        onderwerp="Ecosysteemscan",
    )
    r.kerncijfers(
        [
            Kerncijfer("Diensten", str(s.aantal_diensten)),
            Kerncijfer("Regionaal en lokaal", str(s.regionaal)),
            Kerncijfer("Gini van de dekking", f"{s.gini:.2f}".replace(".", ",")),
        ]
    )
    r.kop("Thema en fase")
    r.svg(heatmap_fase(s))
    r.tabel(tabel_witte_vlekken(s))
    r.tabel(tabel_overlap(s))
    r.kop("Basisinfrastructuur")
    r.tabel(tabel_basis(s))
    return r.bytes()


def tabel_vraag_aanbod(naam: str, rijen: list[VraagAanbodRij], minimum: int) -> Tabel:
    klein = f"minder dan {minimum}"
    return Tabel(
        kolommen=[
            "Thema",
            "Vragen wegwijzer",
            "Zonder dienst",
            "Hulpvragen",
            "Doorverwijzingen",
            "Diensten",
            "Regionaal",
            "Persoonlijk",
            "Onderbediend",
        ],
        rijen=[
            [
                tx.label(tx.THEMAS, r.thema),
                r.signalen,
                r.zonder_deur,
                r.hulpvragen,
                r.doorverwijzingen,
                r.diensten,
                r.regionaal,
                r.persoonlijk,
                "ja" if r.onderbediend else "nee",
            ]
            for r in rijen
        ],
        bijschrift=f"Vraag en aanbod per thema in {naam}",
        leeg=klein,
    )


def toets_pdf(naam: str, r: Toetsrapport) -> bytes:
    from stelsel.uitvoer import pdf

    rap = pdf.Rapport(
        f"Consistentietoets: {naam}", OORDEEL[r.oordeel], onderwerp="Consistentietoets"
    )
    rap.kop("Oordeel")
    rap.alinea(OORDEEL[r.oordeel])
    rap.opsomming(r.redenen)
    rap.kop("Overlappende diensten")
    rap.tabel(
        Tabel(
            kolommen=["Dienst", "Aanbieder", "Score", "Waarom"],
            rijen=[[o.naam, o.aanbieder, o.score, "; ".join(o.redenen)] for o in r.overlap],
            bijschrift="Overlappende diensten, de meest overlappende eerst",
        )
    )
    rap.kop("Gaten die de dienst vult")
    rap.tabel(tabel_gaten(r))
    return rap.bytes()


def tabel_gaten(r: Toetsrapport) -> Tabel:
    return Tabel(
        kolommen=["Thema", "Fase", "Gemeenten", "Zonder dienst", "Zonder persoonlijke hulp"],
        rijen=[
            [
                tx.label(tx.THEMAS, g.thema),
                tx.label(tx.FASEN, g.fase),
                g.gemeenten,
                g.leeg,
                g.zonder_persoonlijk,
            ]
            for g in r.gaten
        ],
        bijschrift="Waar in het werkgebied hulp ontbreekt",
    )
