"""Build the bundled register (data/register/) from the curated rows and the geography.

    .venv/bin/python scripts/bouw_register.py            # write data/register/
    .venv/bin/python scripts/bouw_register.py --check    # exit 1 if data/register/ is stale
    .venv/bin/python scripts/bouw_register.py --uit DIR  # write somewhere else
    .venv/bin/python scripts/bouw_register.py --bron DIR # read curated rows from elsewhere

Curated rows live in data/bron/{aanbieders,diensten}.csv, in the format of
docs/register-csv.md. Rows that exist once per area are generated here from
data/geo/gemeenten.csv:

- per arbeidsmarktregio a werkgeversservicepunt (personeel vinden; van werk naar werk) and a
  leerwerkloket (scholing en leven lang ontwikkelen);
- per gemeente the gemeente itself, with its ondernemersloket and its Bbz/schuldhulp desk.

data/bron/contact.csv (`id,website,email,telefoon,bron`, written by scripts/roo_contact.py from
the government's organisation register), when there, then fills the empty website, e-mail and
phone fields of the aanbieders it names. It never replaces a value, and a row that gains one
gets the contact row's `bron` appended to its own.

Everything is validated before anything is written, by the validator of `stelsel import csv`
(stelsel.register.csvformaat.valideer, so the two cannot disagree), plus two curation rules:
trefwoorden in lower case and each once, and every aanbieder has a dienst. Every problem is
reported as `file:line: field: reason` and the script exits 1 without writing.

The output is exactly what `stelsel export csv` writes for the same register: rows sorted by id,
lists in vocabulary order, werkgebied by kind then code, dates ISO, booleans ja/nee. Standard
library only, plus stelsel.register.csvformaat (pure).
"""

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from stelsel.register import csvformaat  # noqa: E402
from stelsel.register.csvformaat import Rij  # noqa: E402

BRON = REPO / "data" / "bron"
GEMEENTEN = REPO / "data" / "geo" / "gemeenten.csv"
UIT = REPO / "data" / "register"
UPL = REPO / "data" / "upl" / "upl-gemeente-ondernemers.csv"
UPL_BIJSTAND_ZELFSTANDIGEN = "http://standaarden.overheid.nl/owms/terms/bijstandZst"
GECONTROLEERD = "2026-11-23"

AANBIEDER_KOLOMMEN = csvformaat.AANBIEDER_KOLOMMEN
DIENST_KOLOMMEN = csvformaat.DIENST_KOLOMMEN
A, D = csvformaat.AANBIEDERS_CSV, csvformaat.DIENSTEN_CSV
CONTACT_CSV = "contact.csv"
CONTACT_VELDEN = ["website", "email", "telefoon", "kvk_nummer", "bezoekadres", "postadres"]
# naam and korte_naam, when given, replace the generated ones: the official name (ROO)
CONTACT_KOLOMMEN = ["id", "naam", "korte_naam", *CONTACT_VELDEN, "bron"]
REGELINGEN_CSV = "regelingen.csv"


# --------------------------------------------------------------------------- rows and problems


class Fouten(Exception):
    def __init__(self, meldingen: list[str]):
        self.meldingen = meldingen
        super().__init__(f"{len(meldingen)} probleem/problemen")


def lees(
    path: Path, kolommen: list[str], fouten: list[str], optioneel: frozenset[str] = frozenset()
) -> list[Rij]:
    """Curated rows, read exactly as `stelsel import csv` reads a file."""
    problemen: list[csvformaat.Probleem] = []
    rijen = csvformaat.read_rows(path, kolommen, problemen, naam=_toon(path), optioneel=optioneel)
    fouten.extend(str(p) for p in problemen)
    return rijen


GEO_KOLOMMEN = [
    "gemeentecode", "gemeentenaam", "provinciecode", "corop_code", "arbeidsmarktregio_code",
    "arbeidsmarktregio",
]  # fmt: skip


def lees_gemeenten(fouten: list[str]) -> list[Rij]:
    """The gemeenten with the codes of the areas they lie in (extra columns are ignored)."""
    naam = _toon(GEMEENTEN)
    with open(GEMEENTEN, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [k for k in GEO_KOLOMMEN if k not in (reader.fieldnames or [])]
        for k in missing:
            fouten.append(f"{naam}:1: {k}: kolom ontbreekt")
        if missing:
            return []
        rijen = [
            Rij(naam, regel, {k: (row.get(k) or "").strip() for k in GEO_KOLOMMEN})
            for regel, row in enumerate(reader, start=2)
        ]
    for rij in rijen:
        for k, v in rij.velden.items():
            if not v:
                fouten.append(f"{naam}:{rij.regel}: {k}: verplicht veld is leeg")
    if not rijen:
        fouten.append(f"{naam}:0: -: geen gemeenten gevonden")
    return rijen


def _toon(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def slugify(naam: str) -> str:
    """'s-Gravenhage -> s-gravenhage, Súdwest-Fryslân -> sudwest-fryslan."""
    text = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --------------------------------------------------------------------------- generated rows


def _aanbieder(bestand: str, regel: int, **velden: str) -> Rij:
    row = dict.fromkeys(AANBIEDER_KOLOMMEN, "")
    row.update(gecontroleerd_op=GECONTROLEERD, **velden)
    return Rij(bestand, regel, row)


def _dienst(bestand: str, regel: int, **velden: str) -> Rij:
    row = dict.fromkeys(DIENST_KOLOMMEN, "")
    row.update(**velden)
    return Rij(bestand, regel, row)


def per_arbeidsmarktregio(gemeenten: list[Rij]) -> tuple[list[Rij], list[Rij]]:
    """A werkgeversservicepunt and a leerwerkloket in every arbeidsmarktregio."""
    regios: dict[str, tuple[str, int]] = {}
    for g in gemeenten:
        regios.setdefault(
            g.velden["arbeidsmarktregio_code"], (g.velden["arbeidsmarktregio"], g.regel)
        )
    bestand = _toon(GEMEENTEN)
    aanbieders: list[Rij] = []
    diensten: list[Rij] = []
    for code, (naam, regel) in sorted(regios.items()):
        slug = slugify(naam)
        gebied = f"arbeidsmarktregio:{code}"
        wsp = f"werkgeversservicepunt-{slug}"
        aanbieders.append(
            _aanbieder(
                bestand,
                regel,
                id=wsp,
                naam=f"Werkgeversservicepunt {naam}",
                korte_naam="WSP",
                soort="publiek",
                niveau="regionaal",
                eerstelijns="ja",
                tweedelijns="ja",
                omschrijving=(
                    f"In de arbeidsmarktregio {naam} werken de gemeenten en UWV samen in één "
                    "werkgeversservicepunt. Daar helpen ze u gratis aan personeel, ook aan "
                    "mensen die extra steun nodig hebben om aan het werk te komen."
                ),
                bron="000 Tabel 7-9; Bijlage 3 (Tabel 12, voetnoot 38); CBS arbeidsmarktregio's",
            )
        )
        diensten.append(
            _dienst(
                bestand,
                regel,
                id=f"{wsp}-personeel-vinden",
                aanbieder=wsp,
                naam=f"Personeel vinden via het werkgeversservicepunt {naam}",
                omschrijving=(
                    "Lukt het niet om een vacature te vullen? Het werkgeversservicepunt zoekt "
                    "met u naar kandidaten uit de regio. Dat kunnen ook mensen zijn met een "
                    "uitkering of een beperking. U hoort welke regelingen u daarbij helpen, "
                    "zoals loonkostensubsidie, een proefplaatsing en de no-riskpolis."
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
                    "vacature;personeel vinden;personeel zoeken;werknemers zoeken;"
                    "medewerkers werven;werkgeversservicepunt;wsp;afstand tot de arbeidsmarkt;"
                    "arbeidsbeperking;banenafspraak;participatiewet;loonkostensubsidie;"
                    "no-riskpolis;proefplaatsing;jobcoach;sollicitanten;statushouders"
                ),
            )
        )
        diensten.append(
            _dienst(
                bestand,
                regel,
                id=f"{wsp}-van-werk-naar-werk",
                aanbieder=wsp,
                naam=f"Van werk naar werk in de regio {naam}",
                omschrijving=(
                    "Moet u medewerkers laten gaan, bijvoorbeeld door een reorganisatie? Het "
                    "werkgeversservicepunt helpt hen samen met UWV op weg naar ander werk in de "
                    "regio. Zoekt u juist mensen uit een andere sector, dan brengt het "
                    "werkgeversservicepunt u met hen in contact."
                ),
                # the regional mobiliteitsteams were set up in the corona crisis (001) and are
                # no desk to send an employer to any more
                bron=(
                    "000 Tabel 7-9; 001 (regionale mobiliteitsteams: opgericht in de coronacrisis)"
                ),
                gecontroleerd_op=GECONTROLEERD,
                themas="personeel",
                transitiethemas="arbeidsmarkt",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="peloton;hervormen;klein;middelgroot",
                kanalen="telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "regionaal mobiliteitsteam;mobiliteitsteam;rmt;van werk naar werk;"
                    "ontslag;boventallig;reorganisatie;afvloeiing;omscholen;zij-instromers;"
                    "overstap andere sector;outplacement"
                ),
            )
        )
        lwl = f"leerwerkloket-{slug}"
        aanbieders.append(
            _aanbieder(
                bestand,
                regel,
                id=lwl,
                naam=f"Leerwerkloket {naam}",
                korte_naam="Leerwerkloket",
                soort="semipubliek",
                niveau="regionaal",
                eerstelijns="ja",
                tweedelijns="nee",
                omschrijving=(
                    f"Het leerwerkloket {naam} is een samenwerking van onderwijs, gemeenten "
                    "en UWV. Werkgevers en werkenden krijgen er gratis advies over leren naast "
                    "het werk en over scholing."
                ),
                bron="000 Tabel 7; Tabel 9; Bijlage 3 (Tabel 16); CBS arbeidsmarktregio's",
            )
        )
        diensten.append(
            _dienst(
                bestand,
                regel,
                id=f"{lwl}-scholing-personeel",
                aanbieder=lwl,
                naam=f"Advies over leren en werken voor uw personeel ({naam})",
                omschrijving=(
                    "Wilt u dat uw medewerkers bijleren of omscholen? Het leerwerkloket "
                    "adviseert u gratis over opleidingen, leren in de praktijk en een "
                    "ervaringscertificaat (EVC). U hoort ook welke subsidies er zijn voor "
                    "scholing."
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
                    "leerwerkloket;leven lang ontwikkelen;llo;scholing;opleiding personeel;"
                    "bijscholen;omscholen;evc;ervaringscertificaat;leren en werken;bbl;"
                    "praktijkleren;slim-regeling;subsidie scholing;loopbaanadvies"
                ),
            )
        )
    return aanbieders, diensten


def per_gemeente(
    gemeenten: list[Rij],
    bbz_door: dict[str, str] | None = None,
    officieel: dict[str, str] | None = None,
) -> tuple[list[Rij], list[Rij]]:
    """Every gemeente, with its ondernemersloket and its Bbz and schuldhulp desk.

    `bbz_door` maps a gemeentecode to the shared body that runs the Bbz for it (ROO);
    `officieel` an aanbieder id to the gemeente's official name where it is not the CBS name
    ('s-Gravenhage -> Den Haag, Hengelo (O.) -> Hengelo; ROO)."""
    bbz_door = bbz_door or {}
    officieel = officieel or {}
    aanbieders: list[Rij] = []
    diensten: list[Rij] = []
    for g in sorted(gemeenten, key=lambda g: g.velden["gemeentecode"]):
        naam, code = g.velden["gemeentenaam"], g.velden["gemeentecode"]
        naam = officieel.get(f"gemeente-{slugify(naam)}", naam)
        uitvoerder = (
            f" De gemeente laat de Bbz uitvoeren door {bbz_door[code]}: daar kunt u terecht."
            if code in bbz_door
            else ""
        )
        gid = f"gemeente-{slugify(g.velden['gemeentenaam'])}"  # the id stays the CBS one
        gebied = f"gemeente:{code}"
        aanbieders.append(
            _aanbieder(
                g.bestand,
                g.regel,
                id=gid,
                naam=f"Gemeente {naam}",
                korte_naam=naam,
                soort="publiek",
                niveau="lokaal",
                eerstelijns="ja",
                tweedelijns="ja",
                omschrijving=(
                    f"De gemeente {naam} is uw aanspreekpunt voor vergunningen, lokale regels "
                    "en een plek voor uw bedrijf. Komt u als zelfstandige niet rond, dan kan "
                    "de gemeente u ook helpen."
                ),
                bron="000 Tabel 6-9; par. 2.2; Bijlage 3 (Tabel 12); CBS gemeentelijke indeling",
            )
        )
        diensten.append(
            _dienst(
                g.bestand,
                g.regel,
                id=f"{gid}-ondernemersloket",
                aanbieder=gid,
                naam=f"Ondernemersloket {naam}",
                omschrijving=(
                    f"Het ondernemersloket van de gemeente {naam} helpt u met vergunningen en "
                    "lokale regels, bijvoorbeeld voor uw pand, een terras of een evenement. "
                    "Zoekt u een bedrijfslocatie, dan denkt de gemeente mee. Een accounthouder "
                    "of bedrijfscontactfunctionaris brengt u in contact met de juiste mensen."
                ),
                themas="wet-en-regelgeving;bedrijfsvoering",
                soort="informatie",
                fasen="weten;willen",
                doelgroepen="starters;peloton;zzp;micro;klein",
                kanalen="online;telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "gemeente;ondernemersloket;bedrijvenloket;accounthouder;"
                    "bedrijfscontactfunctionaris;accountmanager bedrijven;vergunning;"
                    "omgevingsvergunning;exploitatievergunning;horecavergunning;"
                    "alcoholvergunning;terrasvergunning;evenementenvergunning;omgevingsplan;"
                    "bestemmingsplan;bedrijfslocatie;bedrijfspand;bedrijventerrein;"
                    "reclamebord;markt;lokale regels;precario"
                ),
            )
        )
        diensten.append(
            _dienst(
                g.bestand,
                g.regel,
                id=f"{gid}-bbz-en-schuldhulp",
                aanbieder=gid,
                naam=f"Bbz en schuldhulp voor ondernemers in {naam}",
                omschrijving=(
                    "Komt u als zelfstandige tijdelijk niet rond? Via het Besluit "
                    "bijstandverlening zelfstandigen (Bbz) kan de gemeente uw inkomen "
                    "aanvullen of een lening voor bedrijfskapitaal geven. De gemeente laat "
                    "ook onderzoeken of uw bedrijf kan doorgaan en helpt bij schulden." + uitvoerder
                ),
                upl_uri=UPL_BIJSTAND_ZELFSTANDIGEN,
                bron=(
                    "000 Tabel 7; Bijlage 3 (Tabel 12); UPL 'bijstand zelfstandigen'"
                    + ("; ROO gemeenschappelijke regeling" if uitvoerder else "")
                ),
                gecontroleerd_op=GECONTROLEERD,
                themas="financiering;zwaar-weer",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="starters;hervormen;stoppen;zzp;micro",
                kanalen="telefoon;fysiek",
                kosten="gratis",
                werkgebied=gebied,
                trefwoorden=(
                    "bbz;besluit bijstandverlening zelfstandigen;bijstand zelfstandige;"
                    "bijstand ondernemer;inkomen aanvullen;levensonderhoud;bedrijfskapitaal;"
                    "niet rondkomen;geldzorgen;schulden;schuldhulp;schuldhulpverlening;"
                    "levensvatbaarheid;stoppen met bedrijf;oudere zelfstandige;ioaz;"
                    "starten vanuit de bijstand;tozo;tozo terugbetalen;tozo-lening"
                ),
            )
        )
    return aanbieders, diensten


def _opsomming(namen: list[str]) -> str:
    return namen[0] if len(namen) == 1 else ", ".join(namen[:-1]) + " en " + namen[-1]


def per_regeling(regelingen: list[Rij], gemeenten: list[Rij]) -> tuple[list[Rij], list[Rij]]:
    """The shared bodies that run the Bbz or the werkgeversservicepunt for several gemeenten
    (data/bron/regelingen.csv, from ROO by scripts/roo_contact.py), each with its dienst."""
    namen = {g.velden["gemeentecode"]: g.velden["gemeentenaam"] for g in gemeenten}
    aanbieders: list[Rij] = []
    diensten: list[Rij] = []
    for r in regelingen:
        v = {k: w.strip() for k, w in r.velden.items()}
        codes = [c for c in v["gemeenten"].split(";") if c]
        lijst = _opsomming([namen.get(c, c) for c in codes])
        gebied = ";".join(f"gemeente:{c}" for c in codes)
        contact = {k: v[k] for k in CONTACT_VELDEN}
        if v["taak"] == "bbz":
            omschrijving = (
                f"{v['naam']} is een samenwerking van de gemeenten {lijst}. Zij voert voor "
                "deze gemeenten onder meer de bijstand voor zelfstandigen (Bbz) uit."
            )
            dienst = dict(
                id=f"{v['id']}-bbz",
                naam=f"Bbz voor zelfstandigen in {lijst}",
                omschrijving=(
                    "Komt u als zelfstandige tijdelijk niet rond? Via het Besluit "
                    "bijstandverlening zelfstandigen (Bbz) kan uw inkomen worden aangevuld of "
                    f"krijgt u een lening voor bedrijfskapitaal. {v['naam']} voert dit uit "
                    f"voor de gemeenten {lijst} en laat ook onderzoeken of uw bedrijf kan "
                    "doorgaan."
                ),
                themas="financiering;zwaar-weer",
                soort="financiering",
                fasen="willen;kunnen",
                doelgroepen="starters;hervormen;stoppen;zzp;micro",
                kanalen="telefoon;fysiek",
                trefwoorden=(
                    "bbz;besluit bijstandverlening zelfstandigen;bijstand zelfstandige;"
                    "bijstand ondernemer;inkomen aanvullen;bedrijfskapitaal;niet rondkomen;"
                    "levensvatbaarheid;ioaz;" + v["naam"].lower()
                ),
                upl_uri=UPL_BIJSTAND_ZELFSTANDIGEN,
            )
        elif v["taak"] == "wsp":
            omschrijving = (
                f"Het {v['naam']} is het werkgeversservicepunt van de gemeenten {lijst}. "
                "Het helpt werkgevers gratis aan personeel uit de regio."
            )
            dienst = dict(
                id=f"{v['id']}-personeel-vinden",
                naam=f"Personeel vinden via {v['korte_naam'] or v['naam']}",
                omschrijving=(
                    "Lukt het niet om een vacature te vullen? Het werkgeversservicepunt zoekt "
                    f"met u naar kandidaten uit {lijst}, ook naar mensen met een uitkering of "
                    "een beperking, en vertelt u welke regelingen daarbij helpen."
                ),
                themas="personeel",
                soort="advies",
                fasen="willen;kunnen",
                doelgroepen="peloton;micro;klein;middelgroot",
                kanalen="telefoon;fysiek",
                trefwoorden=(
                    "vacature;personeel vinden;werkgeversservicepunt;wsp;"
                    "loonkostensubsidie;banenafspraak;" + v["naam"].lower()
                ),
                transitiethemas="arbeidsmarkt",
            )
        else:
            raise Fouten([f"{r.bestand}:{r.regel}: taak: '{v['taak']}' is onbekend (bbz, wsp)"])
        aanbieders.append(
            _aanbieder(
                r.bestand,
                r.regel,
                id=v["id"],
                naam=v["naam"],
                korte_naam=v["korte_naam"],
                soort="publiek",
                niveau="regionaal",
                eerstelijns="ja",
                tweedelijns="ja",
                omschrijving=omschrijving,
                bron=v["bron"],
                **contact,
            )
        )
        diensten.append(
            _dienst(
                r.bestand,
                r.regel,
                aanbieder=v["id"],
                kosten="gratis",
                werkgebied=gebied,
                bron=v["bron"],
                gecontroleerd_op=GECONTROLEERD,
                **dienst,
            )
        )
    return aanbieders, diensten


REGELING_KOLOMMEN = [
    "id", "naam", "korte_naam", "taak", "gemeenten", *CONTACT_VELDEN, "bron",
]  # fmt: skip


def upl_uris(fouten: list[str]) -> set[str]:
    """The UPL product URIs the register may link to (data/upl, names and URIs only)."""
    rijen = lees(UPL, ["uniforme_productnaam", "uri"], fouten)
    return {r.velden["uri"].strip() for r in rijen}


# --------------------------------------------------------------------------- contact data

# (file, line, field) of an aanbieder value -> (file, line) of the contact row it came from
Herkomst = dict[tuple[str, int, str], tuple[str, int]]


def vul_contact(aanbieders: list[Rij], contact: list[Rij]) -> tuple[Herkomst, list[str]]:
    """Fill empty contact fields of aanbieders from contact rows, in place; never overwrite.

    Returns where each filled value came from (so a problem with it names the contact row) and
    the problems of the contact rows themselves: an unknown or repeated id, a missing bron."""
    per_id = {r.velden["id"].strip(): r for r in aanbieders}
    herkomst: Herkomst = {}
    fouten: list[str] = []
    gezien: dict[str, int] = {}
    for c in contact:
        id_, bron = c.velden["id"].strip(), c.velden["bron"].strip()
        waar = f"{c.bestand}:{c.regel}"
        if id_ in gezien:
            fouten.append(f"{waar}: id: '{id_}' staat ook op regel {gezien[id_]}")
            continue
        gezien[id_] = c.regel
        if id_ not in per_id:
            fouten.append(
                f"{waar}: id: '{csvformaat.kort(id_)}' is geen aanbieder; "
                "draai scripts/roo_contact.py opnieuw of haal de regel weg"
            )
            continue
        if not bron:
            fouten.append(f"{waar}: bron: verplicht veld is leeg")
            continue
        rij = per_id[id_]
        for veld in ("naam", "korte_naam"):
            if waarde := c.velden[veld].strip():
                rij.velden[veld] = waarde
                herkomst[(rij.bestand, rij.regel, veld)] = (c.bestand, c.regel)
        gevuld = False
        for veld in CONTACT_VELDEN:
            waarde = c.velden[veld].strip()
            if waarde and not rij.velden[veld].strip():
                rij.velden[veld] = waarde
                herkomst[(rij.bestand, rij.regel, veld)] = (c.bestand, c.regel)
                gevuld = True
        if gevuld:
            rij.velden["bron"] = f"{rij.velden['bron'].strip()}; {bron}"
    # generated rows share their gemeente's line: keep a place only when one value lies there
    bezet = Counter(
        (r.bestand, r.regel, veld) for r in aanbieders for veld in CONTACT_VELDEN if r.velden[veld]
    )
    return {k: v for k, v in herkomst.items() if bezet[k] == 1}, fouten


def _melding(p: csvformaat.Probleem, herkomst: Herkomst) -> str:
    """A problem as file:line: field: reason, naming the contact row for a value it gave."""
    bestand, regel = herkomst.get((p.bestand, p.regel, p.veld), (p.bestand, p.regel))
    return str(csvformaat.Probleem(bestand, regel, p.veld, p.reden))


# --------------------------------------------------------------------------- validation
# The format itself is checked by stelsel.register.csvformaat.valideer, the validator of
# `stelsel import csv`, so the two cannot disagree. Two curation rules of the bundled register
# come on top: trefwoorden in lower case, each once, and no aanbieder without a dienst.


def curatie(register: csvformaat.Register) -> list[str]:
    """Problems with the curation rules of the bundled register (on top of the format)."""
    fouten = []

    def fout(bestand: str, id_: str, veld: str, reden: str) -> None:
        waar, regel = register.herkomst[bestand][id_]
        fouten.append(f"{waar}:{regel}: {veld}: {reden}")

    for d in register.diensten:
        woorden = d.trefwoorden
        if len({w.lower() for w in woorden}) != len(woorden):
            dubbel = ", ".join(sorted({w for w in woorden if woorden.count(w) > 1}))
            fout(
                csvformaat.DIENSTEN_CSV,
                d.id,
                "trefwoorden",
                f"dubbel trefwoord: {dubbel or '(hoofdletters)'}",
            )
        for w in woorden:
            if w != w.lower():
                fout(
                    csvformaat.DIENSTEN_CSV,
                    d.id,
                    "trefwoorden",
                    f"'{w}': schrijf trefwoorden in kleine letters",
                )
    met_dienst = {d.aanbieder for d in register.diensten}
    for a in register.aanbieders:
        if a.id not in met_dienst:
            fout(
                csvformaat.AANBIEDERS_CSV,
                a.id,
                "id",
                f"aanbieder '{a.id}' heeft geen enkele dienst",
            )
    return fouten


# --------------------------------------------------------------------------- build


def bouw(bron: Path = BRON) -> dict[str, str]:
    """Read, generate and validate; return {filename: text}. Raises Fouten."""
    fouten: list[str] = []
    gemeenten = lees_gemeenten(fouten)
    if fouten:
        raise Fouten(fouten)
    gebieden = {
        "provincie": {g.velden["provinciecode"] for g in gemeenten},
        "corop": {g.velden["corop_code"] for g in gemeenten},
        "arbeidsmarktregio": {g.velden["arbeidsmarktregio_code"] for g in gemeenten},
        "gemeente": {g.velden["gemeentecode"] for g in gemeenten},
    }
    optioneel = csvformaat.OPTIONELE_KOLOMMEN
    a_rijen = lees(bron / "aanbieders.csv", AANBIEDER_KOLOMMEN, fouten, optioneel[A])
    d_rijen = lees(bron / "diensten.csv", DIENST_KOLOMMEN, fouten, optioneel[D])
    contact = bron / CONTACT_CSV
    nieuw = frozenset(["naam", "korte_naam", "kvk_nummer", "bezoekadres", "postadres"])
    c_rijen = lees(contact, CONTACT_KOLOMMEN, fouten, nieuw) if contact.is_file() else []
    regelingen = bron / REGELINGEN_CSV
    r_rijen = lees(regelingen, REGELING_KOLOMMEN, fouten) if regelingen.is_file() else []
    upl = upl_uris(fouten)
    if fouten:
        raise Fouten(fouten)
    bbz_door = {
        code: r.velden["naam"]
        for r in r_rijen
        if r.velden["taak"] == "bbz"
        for code in r.velden["gemeenten"].split(";")
    }
    for a, d in (
        per_arbeidsmarktregio(gemeenten),
        per_gemeente(
            gemeenten,
            bbz_door,
            {c.velden["id"]: k for c in c_rijen if (k := c.velden["korte_naam"].strip())},
        ),
        per_regeling(r_rijen, gemeenten),
    ):
        a_rijen += a
        d_rijen += d
    herkomst, contact_fouten = vul_contact(a_rijen, c_rijen)

    try:
        register = csvformaat.valideer(a_rijen, d_rijen, gebieden)
    except csvformaat.ImportFout as e:
        raise Fouten([_melding(p, herkomst) for p in e.problemen] + contact_fouten) from None
    if contact_fouten:
        raise Fouten(contact_fouten)
    if fouten := curatie(register) + [
        f"{register.waar(csvformaat.DIENSTEN_CSV, d.id, i)[0]}:"
        f"{register.waar(csvformaat.DIENSTEN_CSV, d.id, i)[1]}: upl_uri: '{d.upl_uri}' "
        f"staat niet in {_toon(UPL)}"
        for i, d in enumerate(register.diensten)
        if d.upl_uri and d.upl_uri not in upl
    ]:
        raise Fouten(fouten)
    return csvformaat.register_tekst(register)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bron", type=Path, default=BRON, help="map met de handmatige rijen")
    p.add_argument("--uit", type=Path, default=UIT, help="map om naartoe te schrijven")
    p.add_argument("--check", action="store_true", help="alleen controleren of --uit actueel is")
    args = p.parse_args(argv)
    try:
        bestanden = bouw(args.bron)
    except Fouten as e:
        for m in e.meldingen:
            print(m, file=sys.stderr)
        print(f"{len(e.meldingen)} probleem/problemen; niets geschreven", file=sys.stderr)
        return 1
    if args.check:
        verschil = [
            n
            for n, tekst in bestanden.items()
            if not (args.uit / n).exists() or (args.uit / n).read_bytes() != tekst.encode()
        ]
        if verschil:
            print(f"{_toon(args.uit)} wijkt af ({', '.join(verschil)}): bouw opnieuw")
            return 1
        print(f"{_toon(args.uit)} is actueel")
        return 0
    args.uit.mkdir(parents=True, exist_ok=True)
    for n, tekst in bestanden.items():
        (args.uit / n).write_bytes(tekst.encode("utf-8"))
    d = len(list(csv.DictReader(io.StringIO(bestanden["diensten.csv"]))))
    a = len(list(csv.DictReader(io.StringIO(bestanden["aanbieders.csv"]))))
    print(f"{a} aanbieders en {d} diensten geschreven naar {_toon(args.uit)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
