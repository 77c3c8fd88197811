"""Build the bundled register (data/register/) from the curated sources and the geography.

Curated rows live in data/bron/{aanbieders,diensten}.csv. Rows that exist once per area are
generated here: a werkgeversservicepunt and a leerwerkloket per arbeidsmarktregio, and a
gemeente with its ondernemersloket and Bbz/schuldhulp desk per gemeente. The result is validated
with the same reader the import uses, then written in the export format.

    .venv/bin/python scripts/bouw_register.py [--check]

--check exits non-zero when the committed files differ from what the sources give.
"""

import csv
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from stelsel.register import csvformaat

REPO = Path(__file__).resolve().parent.parent
BRON = REPO / "data" / "bron"
GEO = REPO / "data" / "geo"
UIT = REPO / "data" / "register"
GECONTROLEERD = "2026-11-23"


def slugify(naam: str) -> str:
    text = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def aanbieder(**kw) -> dict[str, str]:
    row = dict.fromkeys(csvformaat.AANBIEDER_KOLOMMEN, "")
    row.update(gecontroleerd_op=GECONTROLEERD, **kw)
    return row


def dienst(**kw) -> dict[str, str]:
    row = dict.fromkeys(csvformaat.DIENST_KOLOMMEN, "")
    row.update(**kw)
    return row


def per_arbeidsmarktregio(regios: dict[str, str]) -> tuple[list[dict], list[dict]]:
    aanbieders, diensten = [], []
    for code, naam in sorted(regios.items()):
        slug = slugify(naam)
        gebied = f"arbeidsmarktregio:{code}"
        aanbieders.append(
            aanbieder(
                id=f"werkgeversservicepunt-{slug}",
                naam=f"Werkgeversservicepunt {naam}",
                korte_naam="WSP",
                soort="publiek",
                niveau="regionaal",
                eerstelijns="ja",
                tweedelijns="ja",
                omschrijving=(
                    f"Het werkgeversservicepunt (WSP) in de arbeidsmarktregio {naam} is een "
                    "samenwerking van gemeenten en UWV. U vindt hier hulp bij het vinden van "
                    "personeel, ook mensen met een afstand tot de arbeidsmarkt."
                ),
                bron="000 Tabel 7-9; Bijlage 3 (Tabel 12, voetnoot 38); CBS arbeidsmarktregio's",
            )
        )
        diensten.append(
            dienst(
                id=f"werkgeversservicepunt-{slug}-personeel-vinden",
                aanbieder=f"werkgeversservicepunt-{slug}",
                naam=f"Personeel vinden via het werkgeversservicepunt {naam}",
                omschrijving=(
                    "Heeft u een vacature die moeilijk te vullen is? Het werkgeversservicepunt "
                    "zoekt met u naar geschikte kandidaten uit de regio, ook mensen met een "
                    "uitkering of een beperking. U hoort welke regelingen er zijn, zoals "
                    "loonkostensubsidie, proefplaatsing en no-riskpolis."
                ),
                themas="personeel",
                transitiethemas="arbeidsmarkt",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="peloton;micro;klein;middelgroot",
                kanalen="telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "vacature;personeel vinden;werknemers zoeken;medewerkers werven;wsp;"
                    "werkgeversservicepunt;banenafspraak;participatiewet;afstand tot de "
                    "arbeidsmarkt;loonkostensubsidie;no-riskpolis;proefplaatsing;sollicitanten"
                ),
            )
        )
        diensten.append(
            dienst(
                id=f"werkgeversservicepunt-{slug}-van-werk-naar-werk",
                aanbieder=f"werkgeversservicepunt-{slug}",
                naam=f"Van werk naar werk in de regio {naam}",
                omschrijving=(
                    "Moet u afscheid nemen van medewerkers, of zoekt u juist mensen uit een "
                    "andere sector? Het regionale mobiliteitsteam van het werkgeversservicepunt "
                    "helpt medewerkers naar ander werk en werkgevers aan omscholers."
                ),
                themas="personeel",
                transitiethemas="arbeidsmarkt",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="peloton;hervormen",
                kanalen="telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "mobiliteitsteam;regionaal mobiliteitsteam;van werk naar werk;ontslag;"
                    "reorganisatie;omscholing;zij-instromers;overstap andere sector"
                ),
            )
        )
        aanbieders.append(
            aanbieder(
                id=f"leerwerkloket-{slug}",
                naam=f"Leerwerkloket {naam}",
                korte_naam="Leerwerkloket",
                soort="semipubliek",
                niveau="regionaal",
                eerstelijns="ja",
                tweedelijns="nee",
                omschrijving=(
                    f"Het leerwerkloket {naam} geeft werkgevers en werkenden gratis advies "
                    "over leren en werken: scholing, erkenning van ervaring en een leven lang "
                    "ontwikkelen."
                ),
                bron="000 Tabel 7; Tabel 9; Bijlage 3 (Tabel 16)",
            )
        )
        diensten.append(
            dienst(
                id=f"leerwerkloket-{slug}-scholing-personeel",
                aanbieder=f"leerwerkloket-{slug}",
                naam=f"Advies over scholing van uw personeel ({naam})",
                omschrijving=(
                    "Wilt u uw medewerkers laten bijleren of omscholen? Het leerwerkloket "
                    "adviseert u gratis over opleidingen, leren in de praktijk, een "
                    "ervaringscertificaat (EVC) en subsidies voor scholing."
                ),
                themas="personeel",
                transitiethemas="arbeidsmarkt",
                soort="advies",
                fasen="weten;willen",
                doelgroepen="peloton;micro;klein;middelgroot",
                kanalen="online;telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "leven lang ontwikkelen;scholing;opleiding personeel;bijscholen;omscholen;"
                    "evc;ervaringscertificaat;leren en werken;bbl;stap-budget;slim-regeling;"
                    "leerwerkloket"
                ),
            )
        )
    return aanbieders, diensten


def per_gemeente(gemeenten: list[dict[str, str]]) -> tuple[list[dict], list[dict]]:
    aanbieders, diensten = [], []
    for g in sorted(gemeenten, key=lambda g: g["gemeentecode"]):
        naam, code = g["gemeentenaam"], g["gemeentecode"]
        slug = slugify(naam)
        gebied = f"gemeente:{code}"
        aanbieders.append(
            aanbieder(
                id=f"gemeente-{slug}",
                naam=f"Gemeente {naam}",
                korte_naam=naam,
                soort="publiek",
                niveau="lokaal",
                eerstelijns="ja",
                tweedelijns="ja",
                omschrijving=(
                    f"De gemeente {naam} helpt ondernemers met vergunningen, lokale regels en "
                    "een bedrijfslocatie, en met de Bbz als het financieel tegenzit."
                ),
                bron="000 Tabel 7-9; par. 2.2; Bijlage 3; CBS gemeentelijke indeling 2025",
            )
        )
        diensten.append(
            dienst(
                id=f"gemeente-{slug}-ondernemersloket",
                aanbieder=f"gemeente-{slug}",
                naam=f"Ondernemersloket {naam}",
                omschrijving=(
                    f"Bij het ondernemersloket van de gemeente {naam} kunt u terecht met vragen "
                    "over vergunningen, regels voor uw pand of terras, een bedrijfslocatie en "
                    "lokale netwerken. Een accounthouder brengt u in contact met de juiste "
                    "mensen binnen en buiten de gemeente."
                ),
                themas="wet-en-regelgeving;bedrijfsvoering",
                soort="informatie",
                fasen="weten;willen",
                doelgroepen="starters;peloton;zzp",
                kanalen="online;telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "gemeente;ondernemersloket;bedrijvenloket;accounthouder;vergunning;"
                    "omgevingsvergunning;exploitatievergunning;horecavergunning;terras;"
                    "bestemmingsplan;omgevingsplan;bedrijfspand;bedrijventerrein;"
                    "ondernemersvereniging;lokaal netwerk;markt;evenement"
                ),
            )
        )
        diensten.append(
            dienst(
                id=f"gemeente-{slug}-bbz-en-schuldhulp",
                aanbieder=f"gemeente-{slug}",
                naam=f"Bbz en schuldhulp voor ondernemers in {naam}",
                omschrijving=(
                    "Komt u als zelfstandige niet rond, of heeft u schulden? De gemeente kan u "
                    "tijdelijk inkomen geven of een lening voor bedrijfskapitaal via de Bbz, "
                    "laat onderzoeken of uw bedrijf levensvatbaar is en helpt bij schulden, "
                    "ook privé."
                ),
                themas="zwaar-weer;financiering",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="zzp;micro;hervormen;stoppen;starters",
                kanalen="telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "bbz;besluit bijstandverlening zelfstandigen;bijstand zelfstandige;"
                    "schuldhulp;schuldhulpverlening;schulden;geldzorgen;inkomen;"
                    "levensonderhoud;bedrijfskapitaal;rondkomen;stoppen met bedrijf;"
                    "gemeente"
                ),
            )
        )
    return aanbieders, diensten


def build(uit: Path) -> csvformaat.Register:
    """Combine curated and generated rows, validate them, write them to `uit`."""
    gemeenten = read(GEO / "gemeenten.csv")
    regios = {g["arbeidsmarktregio_code"]: g["arbeidsmarktregio"] for g in gemeenten}
    a1, d1 = per_arbeidsmarktregio(regios)
    a2, d2 = per_gemeente(gemeenten)
    aanbieders = read(BRON / "aanbieders.csv") + a1 + a2
    diensten = read(BRON / "diensten.csv") + d1 + d2
    geldig = {
        "provincie": {g["provinciecode"] for g in gemeenten},
        "arbeidsmarktregio": set(regios),
        "corop": {g["corop_code"] for g in gemeenten},
        "gemeente": {g["gemeentecode"] for g in gemeenten},
    }
    with tempfile.TemporaryDirectory() as tmp:
        ruw = Path(tmp)
        csvformaat.write_rows(
            ruw / csvformaat.AANBIEDERS_CSV, csvformaat.AANBIEDER_KOLOMMEN, aanbieders
        )
        csvformaat.write_rows(ruw / csvformaat.DIENSTEN_CSV, csvformaat.DIENST_KOLOMMEN, diensten)
        register = csvformaat.read_dir(ruw, geldig)
    zonder_dienst = {a.id for a in register.aanbieders} - {d.aanbieder for d in register.diensten}
    if zonder_dienst:
        raise SystemExit(f"aanbieders zonder dienst: {sorted(zonder_dienst)}")
    csvformaat.write_dir(uit, register)
    return register


def main() -> int:
    check = "--check" in sys.argv
    try:
        if check:
            with tempfile.TemporaryDirectory() as tmp:
                build(Path(tmp))
                same = all(
                    (Path(tmp) / n).read_bytes() == (UIT / n).read_bytes()
                    for n in (csvformaat.AANBIEDERS_CSV, csvformaat.DIENSTEN_CSV)
                )
            print("data/register is actueel" if same else "data/register wijkt af: bouw opnieuw")
            return 0 if same else 1
        register = build(UIT)
    except csvformaat.ImportFout as e:
        for p in e.problemen:
            print(p, file=sys.stderr)
        return 1
    print(f"{len(register.aanbieders)} aanbieders, {len(register.diensten)} diensten geschreven")
    return 0


if __name__ == "__main__":
    sys.exit(main())
