"""`stelsel import enquete FILE.csv`: responses from existing survey exports.

The columns are documented in docs/kwaliteit-enquete.md.
Everything is read and checked first; every problem is reported with line, field and reason,
and on any problem nothing is written. UTF-8 with or without BOM; `,` or `;` between cells.
Imported rows get bron `import`.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from stelsel.csvbestand import ImportFout, Probleem, decode, lees_rijen, regel_op
from stelsel.geo import service as geo
from stelsel.kwaliteit.enquete import herbouw_rollup
from stelsel.kwaliteit.models import (
    BRON_IMPORT,
    OPGELOST,
    OPMERKING_MAX,
    SEGMENTEN,
    EnqueteAntwoord,
    EnqueteAntwoordThema,
)
from stelsel.register import service as register
from stelsel.register import taxonomie as tx
from stelsel.uitvoer.tabel import FORMULE  # a cell a spreadsheet would run: refused on import

VERPLICHT = ["ontvangen_op", "aanbieder", "csat", "ces", "opgelost", "nps"]
OPTIONEEL = [
    "aantal_organisaties",
    "opmerking",
    "dienst",
    "gemeente",
    "themas",
    "segment",
    "eerste_keer_goed",
    "aantal_doorverwijzingen",
]
KOLOMMEN = VERPLICHT + OPTIONEEL
MAX_REGELS = 1_000_000
JA, NEE = ("ja", "true", "1"), ("nee", "false", "0")
_GETAL = re.compile(r"^[0-9]{1,3}$")


@dataclass(frozen=True)
class Opzoeken:
    """What the checks look up: aanbieder and dienst by slug or id, a gemeente's regions."""

    aanbieder: Callable[[str], uuid.UUID | None]
    dienst: Callable[[str], uuid.UUID | None]
    gemeente: Callable[[str], geo.Gebied | None]


def lees(data: bytes, bestand: str, opzoeken: Opzoeken) -> list[dict]:
    """Check a file and return its rows as column values; ImportFout lists every problem."""
    problemen: list[Probleem] = []
    tekst = decode(data, bestand, problemen)
    if tekst is None:
        raise ImportFout(problemen)
    if "\x00" in tekst:
        regel = regel_op(tekst, tekst.index("\x00"))
        raise ImportFout([Probleem(bestand, regel, "-", "het bestand bevat een NUL-teken")])
    rijen = [
        rij
        for r in lees_rijen(
            tekst,
            bestand,
            KOLOMMEN,
            problemen,
            optioneel=OPTIONEEL,
            kop_kleine_letters=True,
            strikt=True,
            max_regels=MAX_REGELS,
        )
        if (rij := _rij(r.velden, bestand, r.regel, opzoeken, problemen)) is not None
    ]
    if not problemen and not rijen:
        problemen.append(Probleem(bestand, 2, "-", "geen enkele regel: er is niets te importeren"))
    if problemen:
        raise ImportFout(problemen)
    return rijen


def _rij(
    cel: dict[str, str], bestand: str, regel: int, opzoeken: Opzoeken, problemen: list[Probleem]
) -> dict | None:
    fout = len(problemen)

    def probleem(veld: str, reden: str) -> None:
        problemen.append(Probleem(bestand, regel, veld, reden))

    def tekst(veld: str) -> str:
        return (cel.get(veld) or "").strip()

    for veld, waarde in cel.items():
        if FORMULE.match(waarde or ""):
            probleem(veld, "begint met =, +, -, @ of een tab: dat lijkt een formule")

    def getal(veld: str, laag: int, hoog: int, verplicht: bool = True) -> int | None:
        w = tekst(veld)
        if not w:
            if verplicht:
                probleem(veld, "verplicht")
            return None
        if not _GETAL.match(w) or not laag <= int(w) <= hoog:
            probleem(veld, f"een heel getal van {laag} tot en met {hoog} (nu: {w[:20]!r})")
            return None
        return int(w)

    ontvangen = _moment(tekst("ontvangen_op"))
    if ontvangen is None:
        probleem("ontvangen_op", "een datum als 2024-03-31 of 2024-03-31T14:05:00+01:00")
    elif ontvangen > datetime.now(UTC):
        probleem("ontvangen_op", "ligt in de toekomst")
    aanbieder = opzoeken.aanbieder(tekst("aanbieder")) if tekst("aanbieder") else None
    if aanbieder is None:
        probleem("aanbieder", "onbekende aanbieder (id of slug uit het register)")
    csat = getal("csat", 1, 10)
    ces = getal("ces", 1, 5)
    nps = getal("nps", 0, 10)
    opgelost = tekst("opgelost").lower()
    if opgelost not in OPGELOST:
        probleem("opgelost", f"kies uit {', '.join(OPGELOST)}")
    aantal = getal("aantal_organisaties", 0, 50, verplicht=False)
    doorverwijzingen = getal("aantal_doorverwijzingen", 0, 50, verplicht=False)
    opmerking = tekst("opmerking") or None
    if opmerking and len(opmerking) > OPMERKING_MAX:
        probleem("opmerking", f"hooguit {OPMERKING_MAX} tekens")
    dienst = None
    if tekst("dienst"):
        dienst = opzoeken.dienst(tekst("dienst"))
        if dienst is None:
            probleem("dienst", "onbekende dienst (id of slug uit het register)")
    gebied = None
    if tekst("gemeente"):
        gebied = opzoeken.gemeente(tekst("gemeente").upper())
        if gebied is None:
            probleem("gemeente", "onbekende gemeentecode (zoals GM0193)")
    themas = [t.strip() for t in re.split(r"[;|]", tekst("themas")) if t.strip()]
    bekend = tx.codes(tx.THEMAS)
    for t in themas:
        if t not in bekend:
            probleem("themas", f"onbekend thema {t[:40]!r}; kies uit {', '.join(sorted(bekend))}")
    segment = tekst("segment").lower() or None
    if segment is not None and segment not in SEGMENTEN:
        probleem("segment", f"kies uit {', '.join(SEGMENTEN)}")
    ftr: bool | None = None
    if tekst("eerste_keer_goed"):
        w = tekst("eerste_keer_goed").lower()
        if w in JA:
            ftr = True
        elif w in NEE:
            ftr = False
        else:
            probleem("eerste_keer_goed", "ja of nee")
    if len(problemen) > fout:
        return None
    return {
        "id": uuid.uuid4(),
        "uitnodiging_id": None,
        "bron": BRON_IMPORT,
        "ontvangen_op": ontvangen,
        "csat": csat,
        "ces": ces,
        "opgelost": opgelost,
        "nps": nps,
        "aantal_organisaties": aantal,
        "opmerking": opmerking,
        "aanbieder_id": aanbieder,
        "dienst_id": dienst,
        "gemeente_code": gebied.gemeente if gebied else None,
        "arbeidsmarktregio_code": gebied.arbeidsmarktregio if gebied else None,
        "corop_code": gebied.corop if gebied else None,
        "provincie_code": gebied.provincie if gebied else None,
        "segment": segment,
        "eerste_keer_goed": ftr,
        "aantal_doorverwijzingen": doorverwijzingen,
        "themas": list(dict.fromkeys(themas)),
    }


def _moment(w: str) -> datetime | None:
    try:
        if len(w) == 10:
            return datetime.combine(date.fromisoformat(w), time(12), tzinfo=UTC)
        t = datetime.fromisoformat(w)
    except ValueError:
        return None
    return t.astimezone(UTC) if t.tzinfo else t.replace(tzinfo=UTC)


def opzoeken(session: Session) -> Opzoeken:
    """The register and geography lookups the checks need (each asked once)."""
    aanbieders: dict[str, uuid.UUID] = {}
    for a in register.aanbieder_keuzes(session=session):
        aanbieders[a.slug] = a.id
        aanbieders[str(a.id)] = a.id
    gebieden = {g.code: geo.gebied(g) for g in geo.get_all(session=session)}
    diensten: dict[str, uuid.UUID | None] = {}

    def dienst(w: str) -> uuid.UUID | None:
        if w not in diensten:
            d = register.get_dienst(session=session, dienst_id=w[:160], ook_gearchiveerd=True)
            diensten[w] = d.id if d else None
        return diensten[w]

    return Opzoeken(aanbieders.get, dienst, gebieden.get)


def importeer(*, session: Session, pad: Path) -> int:
    """Check the whole file, then write every row (bron `import`); returns how many."""
    if not pad.is_file():
        raise ImportFout([Probleem(pad.name, 0, "-", "bestand ontbreekt")])
    rijen = lees(pad.read_bytes(), pad.name, opzoeken(session))
    themas = [{"antwoord_id": r["id"], "thema": t} for r in rijen for t in r["themas"]]
    waarden = [{k: v for k, v in r.items() if k != "themas"} for r in rijen]
    conn = session.connection()
    for start in range(0, len(waarden), 5000):
        conn.execute(insert(EnqueteAntwoord), waarden[start : start + 5000])
    for start in range(0, len(themas), 5000):
        conn.execute(insert(EnqueteAntwoordThema), themas[start : start + 5000])
    herbouw_rollup(session, bron=BRON_IMPORT)
    return len(rijen)
