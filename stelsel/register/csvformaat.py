"""The register's CSV format (docs/register-csv.md): read with full validation, and write.

Pure Python, no database: records in, records out, every problem reported with file, line,
field and reason.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from stelsel.csvbestand import ImportFout, Probleem, Rij, decode, lees_rijen
from stelsel.register import taxonomie as tx

AANBIEDERS_CSV = "aanbieders.csv"
DIENSTEN_CSV = "diensten.csv"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATUM = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
KVK_NUMMER = re.compile(r"^[0-9]{8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
# digits with the usual separators, an optional leading + (e.g. `+31 58 233 8888`, `14 058`)
TELEFOON = re.compile(r"^\+?[0-9][0-9 ()\-]*[0-9]$")
# a product of the Uniforme Productnamenlijst (UPL), e.g. http://standaarden.overheid.nl/owms/terms/terrasvergunning
UPL_URI = re.compile(r"^https?://standaarden\.overheid\.nl/owms/terms/[A-Za-z0-9_.\-]+$")
# A cell a spreadsheet would run as a formula (OWASP, CSV injection). The export puts a `'` in
# front of it, and of a cell that already starts with `'`s before such a character, so the
# import can take exactly one `'` off again: the round trip stays lossless.
FORMULE = re.compile(r"^'*[=+\-@\t\r]")
BEVEILIGD = re.compile(r"^'+[=+\-@\t\r]")

# The longest value of each text field, at most what its database column holds (a test
# compares them with stelsel/register/models.py); every other field is at most 5000 long.
MAX_LENGTE = {
    AANBIEDERS_CSV: {
        "id": 120,
        "naam": 200,
        "korte_naam": 100,
        "website": 300,
        "email": 200,
        "telefoon": 50,
        "kvk_nummer": 8,
        "bezoekadres": 300,
        "postadres": 300,
    },
    DIENSTEN_CSV: {
        "id": 160,
        "aanbieder": 120,
        "naam": 250,
        "website": 300,
        "telefoon": 50,
        "email": 200,
        "adres": 300,
        "wachttijd": 200,
        "upl_uri": 300,
    },
}
STANDAARD_MAX = 5000


@dataclass
class AanbiederRecord:
    id: str
    naam: str
    korte_naam: str
    soort: str
    niveau: str
    eerstelijns: bool
    tweedelijns: bool
    website: str
    email: str
    telefoon: str
    omschrijving: str
    bron: str
    gecontroleerd_op: date
    # optional columns (a file without them is read as if they were empty)
    kvk_nummer: str = ""
    bezoekadres: str = ""
    postadres: str = ""
    openingstijden: str = ""


@dataclass
class DienstRecord:
    id: str
    aanbieder: str
    naam: str
    omschrijving: str
    themas: list[str]
    transitiethemas: list[str]
    soort: str
    fasen: list[str]
    doelgroepen: list[str]
    kanalen: list[str]
    kosten: str
    werkgebied: list[tuple[str, str]]  # empty list = landelijk
    geldig_van: date | None
    geldig_tot: date | None
    trefwoorden: list[str]
    website: str
    # optional columns (a file without them is read as if they were empty); how to reach the
    # dienst when it differs from its aanbieder, and what to expect
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    talen: list[str] = field(default_factory=list)
    kosten_toelichting: str = ""
    wachttijd: str = ""
    upl_uri: str = ""
    bron: str = ""
    gecontroleerd_op: date | None = None


@dataclass
class Register:
    aanbieders: list[AanbiederRecord] = field(default_factory=list)
    diensten: list[DienstRecord] = field(default_factory=list)
    # where each record came from: (bestand, regel) by file and id, for later error messages
    herkomst: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)

    def waar(self, bestand: str, id_: str, volgnummer: int) -> tuple[str, int]:
        """The file and line of a record; a record made in code counts as one line each."""
        return self.herkomst.get(bestand, {}).get(id_, (bestand, volgnummer + 2))


AANBIEDER_KOLOMMEN = [f.name for f in fields(AanbiederRecord)]
DIENST_KOLOMMEN = [f.name for f in fields(DienstRecord)]
# Columns a file may leave out (files from before they existed stay valid); the export writes all.
OPTIONELE_KOLOMMEN = {
    AANBIEDERS_CSV: frozenset(["kvk_nummer", "bezoekadres", "postadres", "openingstijden"]),
    DIENSTEN_CSV: frozenset(
        [
            "telefoon",
            "email",
            "adres",
            "openingstijden",
            "talen",
            "kosten_toelichting",
            "wachttijd",
            "upl_uri",
            "bron",
            "gecontroleerd_op",
        ]
    ),
}

LIJST_VOCABULAIRES: dict[str, tuple[tx.Term, ...]] = {
    "themas": tx.THEMAS,
    "transitiethemas": tx.TRANSITIETHEMAS,
    "fasen": tx.FASEN,
    "doelgroepen": tx.DOELGROEPEN,
    "kanalen": tx.KANALEN,
    "talen": tx.TALEN,
}


_VOLGORDE: dict[int, tuple[tuple[tx.Term, ...], dict[str, int]]] = {}


def _volgorde(vocab: tuple[tx.Term, ...]) -> dict[str, int]:
    """A vocabulary's codes with their position (looked up per cell of an import: kept)."""
    bewaard = _VOLGORDE.get(id(vocab))
    if bewaard is None or bewaard[0] is not vocab:
        bewaard = _VOLGORDE[id(vocab)] = (vocab, {c: i for i, c in enumerate(tx.codes(vocab))})
    return bewaard[1]


class _RowReader:
    """Reads typed fields from one CSV row, collecting problems instead of stopping."""

    def __init__(self, rij: Rij, soort: str, problemen: list[Probleem]):
        self.bestand, self.regel, self.row, self.problemen = (
            rij.bestand,
            rij.regel,
            rij.velden,
            problemen,
        )
        self.max_lengte = MAX_LENGTE[soort]

    def fout(self, veld: str, reden: str) -> None:
        self.problemen.append(Probleem(self.bestand, self.regel, veld, reden))

    def text(self, veld: str, required: bool = False) -> str:
        value = (self.row.get(veld) or "").strip()
        if value[:1] == "'":
            value = ontgrendel(value)
        if "\x00" in value:
            self.fout(veld, "bevat een NUL-teken (0x00)")
            value = value.replace("\x00", "")
        if required and not value:
            self.fout(veld, "verplicht veld is leeg")
        max_len = self.max_lengte.get(veld, STANDAARD_MAX)
        if len(value) > max_len:
            self.fout(veld, f"langer dan {max_len} tekens ({len(value)})")
            value = value[:max_len]
        return value

    def slug(self, veld: str) -> str:
        value = self.text(veld, required=True)
        if value and not SLUG.match(value):
            self.fout(veld, f"'{kort(value)}' is geen geldige id (alleen a-z, 0-9 en '-')")
        return value

    def keuze(self, veld: str, vocab: tuple[tx.Term, ...]) -> str:
        value = self.text(veld, required=True)
        if value and value not in _volgorde(vocab):
            self.fout(veld, f"'{kort(value)}' is onbekend; kies uit {', '.join(tx.codes(vocab))}")
        return value

    def lijst(self, veld: str, vocab: tuple[tx.Term, ...], required: bool = False) -> list[str]:
        values = [v for v in (v.strip() for v in self.text(veld).split(";")) if v]
        if required and not values:
            self.fout(veld, "minstens één waarde nodig")
        volgorde = _volgorde(vocab)
        for v in values:
            if v not in volgorde:
                self.fout(veld, f"'{kort(v)}' is onbekend; kies uit {', '.join(volgorde)}")
        uniek = set(values)
        if len(uniek) != len(values):
            self.fout(veld, "dubbele waarde")
        return sorted((v for v in uniek if v in volgorde), key=volgorde.__getitem__)

    def boolean(self, veld: str) -> bool:
        value = self.text(veld, required=True).lower()
        if value not in ("ja", "nee"):
            if value:
                self.fout(veld, f"'{kort(value)}' moet 'ja' of 'nee' zijn")
            return False
        return value == "ja"

    def datum(self, veld: str, required: bool = False) -> date | None:
        value = self.text(veld, required=required)
        if not value:
            return None
        try:
            if not DATUM.match(value):  # fromisoformat also reads 20261123 and 2026-W47-1
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fout(veld, f"'{kort(value)}' is geen datum (JJJJ-MM-DD)")
            return None

    def url(self, veld: str) -> str:
        value = self.text(veld)
        if value and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
            self.fout(veld, f"'{kort(value)}' is geen geldige webadres (https://…)")
        return value

    def email(self, veld: str) -> str:
        value = self.text(veld)
        if value and not EMAIL.match(value):
            self.fout(veld, f"'{kort(value)}' is geen geldig e-mailadres")
        return value

    def telefoon(self, veld: str) -> str:
        value = self.text(veld)
        if value and not TELEFOON.match(value):
            self.fout(veld, f"'{kort(value)}' is geen telefoonnummer (cijfers, spaties, + - ( ))")
        return value

    def patroon(self, veld: str, patroon: re.Pattern[str], wat: str) -> str:
        value = self.text(veld)
        if value and not patroon.match(value):
            self.fout(veld, f"'{kort(value)}' is {wat}")
        return value


def read_rows(
    path: Path,
    kolommen: list[str],
    problemen: list[Probleem],
    naam: str | None = None,
    optioneel: Iterable[str] = (),
) -> list[Rij]:
    """The rows of one CSV file with the line each starts on; file-level problems collected.

    A column in `optioneel` may be absent from the header; its cells then read as empty.

    Never raises on bad input: a missing or empty file, another encoding, a broken header, a
    row with more or fewer cells than the header, or a CSV syntax error each become a problem.
    """
    bestand = naam or path.name  # the name problems and rows carry
    if not path.is_file():
        problemen.append(Probleem(bestand, 0, "-", "bestand ontbreekt"))
        return []
    tekst = decode(path.read_bytes(), bestand, problemen)
    if tekst is None:
        return []
    return lees_rijen(tekst, bestand, kolommen, problemen, optioneel=optioneel)


def read_dir(
    map_: Path,
    geldige_gebieden: dict[str, set[str]],
    bekende_aanbieders: frozenset[str] = frozenset(),
    aanbieders_nodig: bool = True,
) -> Register:
    """Read and validate aanbieders.csv and diensten.csv; raise ImportFout listing every problem.

    `bekende_aanbieders` are aanbieder ids a dienst may name besides those in aanbieders.csv
    (a merge import: the database holds them); with `aanbieders_nodig` False an aanbieders.csv
    without rows is fine."""
    problemen: list[Probleem] = []
    aanbieders = read_rows(
        map_ / AANBIEDERS_CSV,
        AANBIEDER_KOLOMMEN,
        problemen,
        optioneel=OPTIONELE_KOLOMMEN[AANBIEDERS_CSV],
    )
    diensten = read_rows(
        map_ / DIENSTEN_CSV, DIENST_KOLOMMEN, problemen, optioneel=OPTIONELE_KOLOMMEN[DIENSTEN_CSV]
    )
    if not problemen and not aanbieders and aanbieders_nodig:
        problemen.append(
            Probleem(AANBIEDERS_CSV, 1, "-", "geen enkele aanbieder: er is niets te importeren")
        )
    return valideer(aanbieders, diensten, geldige_gebieden, problemen, bekende_aanbieders)


def _eerder(rij: Rij, eerder: Rij) -> str:
    if eerder.bestand == rij.bestand:
        return f"regel {eerder.regel}"
    return f"{eerder.bestand}:{eerder.regel}"


def kort(value: str, n: int = 60) -> str:
    """A value to quote in a message: long ones cut short."""
    return value if len(value) <= n else value[:n] + "…"


def valideer(
    aanbieder_rijen: list[Rij],
    dienst_rijen: list[Rij],
    geldige_gebieden: dict[str, set[str]],
    problemen: list[Probleem] | None = None,
    bekende_aanbieders: frozenset[str] = frozenset(),
) -> Register:
    """Validate rows (from files or made in code) into a Register; raise ImportFout listing every
    problem. The one validator of the format: `stelsel import csv` and scripts/bouw_register.py."""
    problemen = [] if problemen is None else problemen
    register = Register(herkomst={AANBIEDERS_CSV: {}, DIENSTEN_CSV: {}})
    namen: dict[str, Rij] = {}
    ids: dict[str, Rij] = {}
    for rij in aanbieder_rijen:
        r = _RowReader(rij, AANBIEDERS_CSV, problemen)
        aanbieder = AanbiederRecord(
            id=r.slug("id"),
            naam=r.text("naam", required=True),
            korte_naam=r.text("korte_naam"),
            soort=r.keuze("soort", tx.AANBIEDER_SOORTEN),
            niveau=r.keuze("niveau", tx.NIVEAUS),
            eerstelijns=r.boolean("eerstelijns"),
            tweedelijns=r.boolean("tweedelijns"),
            website=r.url("website"),
            email=r.email("email"),
            telefoon=r.text("telefoon"),
            omschrijving=r.text("omschrijving", required=True),
            bron=r.text("bron", required=True),
            gecontroleerd_op=r.datum("gecontroleerd_op", required=True) or date.min,
            kvk_nummer=r.patroon("kvk_nummer", KVK_NUMMER, "geen KVK-nummer (8 cijfers)"),
            bezoekadres=r.text("bezoekadres"),
            postadres=r.text("postadres"),
            openingstijden=r.text("openingstijden"),
        )
        if aanbieder.id in ids:
            r.fout("id", f"'{aanbieder.id}' staat ook op {_eerder(rij, ids[aanbieder.id])}")
        if aanbieder.naam.lower() in namen:
            eerder = _eerder(rij, namen[aanbieder.naam.lower()])
            r.fout("naam", f"'{kort(aanbieder.naam)}' staat ook op {eerder}")
        ids.setdefault(aanbieder.id, rij)
        namen.setdefault(aanbieder.naam.lower(), rij)
        register.herkomst[AANBIEDERS_CSV].setdefault(aanbieder.id, (rij.bestand, rij.regel))
        register.aanbieders.append(aanbieder)

    dienst_ids: dict[str, Rij] = {}
    for rij in dienst_rijen:
        r = _RowReader(rij, DIENSTEN_CSV, problemen)
        dienst = DienstRecord(
            id=r.slug("id"),
            aanbieder=r.text("aanbieder", required=True),
            naam=r.text("naam", required=True),
            omschrijving=r.text("omschrijving", required=True),
            themas=r.lijst("themas", tx.THEMAS, required=True),
            transitiethemas=r.lijst("transitiethemas", tx.TRANSITIETHEMAS),
            soort=r.keuze("soort", tx.DIENST_SOORTEN),
            fasen=r.lijst("fasen", tx.FASEN),
            doelgroepen=r.lijst("doelgroepen", tx.DOELGROEPEN),
            kanalen=r.lijst("kanalen", tx.KANALEN),
            kosten=r.keuze("kosten", tx.KOSTEN),
            werkgebied=_werkgebied(r, geldige_gebieden),
            geldig_van=r.datum("geldig_van"),
            geldig_tot=r.datum("geldig_tot"),
            trefwoorden=[t.strip() for t in r.text("trefwoorden").split(";") if t.strip()],
            website=r.url("website"),
            telefoon=r.telefoon("telefoon"),
            email=r.email("email"),
            adres=r.text("adres"),
            openingstijden=r.text("openingstijden"),
            talen=r.lijst("talen", tx.TALEN),
            kosten_toelichting=r.text("kosten_toelichting"),
            wachttijd=r.text("wachttijd"),
            upl_uri=r.patroon(
                "upl_uri", UPL_URI, "geen UPL-URI (http://standaarden.overheid.nl/owms/terms/…)"
            ),
            bron=r.text("bron"),
            gecontroleerd_op=r.datum("gecontroleerd_op"),
        )
        if (
            dienst.aanbieder
            and dienst.aanbieder not in ids
            and (dienst.aanbieder not in bekende_aanbieders)
        ):
            r.fout("aanbieder", f"'{kort(dienst.aanbieder)}' staat niet in {AANBIEDERS_CSV}")
        if dienst.geldig_van and dienst.geldig_tot and dienst.geldig_tot < dienst.geldig_van:
            r.fout("geldig_tot", "ligt voor geldig_van")
        if dienst.id in dienst_ids:
            r.fout("id", f"'{dienst.id}' staat ook op {_eerder(rij, dienst_ids[dienst.id])}")
        dienst_ids.setdefault(dienst.id, rij)
        register.herkomst[DIENSTEN_CSV].setdefault(dienst.id, (rij.bestand, rij.regel))
        register.diensten.append(dienst)
    if problemen:
        raise ImportFout(problemen)
    return register


def _werkgebied(r: _RowReader, geldige: dict[str, set[str]]) -> list[tuple[str, str]]:
    value = r.text("werkgebied", required=True)
    if not value or value == "landelijk":
        return []
    gebieden: list[tuple[str, str]] = []
    for part in value.split(";"):
        soort, _, code = part.strip().partition(":")
        if soort not in tx.WERKGEBIED_SOORTEN:
            r.fout(
                "werkgebied",
                f"'{kort(part)}': soort moet een van {', '.join(tx.WERKGEBIED_SOORTEN)} zijn",
            )
        elif code not in geldige.get(soort, set()):
            r.fout("werkgebied", f"'{kort(part)}': onbekende {soort}-code")
        else:
            gebieden.append((soort, code))
    if len(set(gebieden)) != len(gebieden):
        r.fout("werkgebied", "dubbel gebied")
    return sort_werkgebied(set(gebieden))


def sort_werkgebied(gebieden: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Areas in canonical order: by kind (provincie first), then code."""
    return sorted(gebieden, key=lambda g: (tx.WERKGEBIED_SOORTEN.index(g[0]), g[1]))


def vergrendel(value: str) -> str:
    """A cell a spreadsheet would run as a formula, made inert with a leading `'`."""
    return "'" + value if FORMULE.match(value) else value


def ontgrendel(value: str) -> str:
    """The inverse of vergrendel: one leading `'` off a guarded cell, anything else unchanged."""
    return value[1:] if BEVEILIGD.match(value) else value


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def write_rows(path: Path, kolommen: list[str], rows: Iterable[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        _write(f, kolommen, rows)


def csv_tekst(kolommen: list[str], rows: Iterable[dict[str, str]]) -> str:
    """Rows as the text of a CSV file, exactly as write_rows writes it."""
    buf = io.StringIO()
    _write(buf, kolommen, rows)
    return buf.getvalue()


def _write(f, kolommen: list[str], rows: Iterable[dict[str, str]]) -> None:
    writer = csv.DictWriter(f, fieldnames=kolommen, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: vergrendel(v) for k, v in row.items()} for row in rows)


def _rows(register: Register, tick: Callable[[int], None]) -> dict[str, Iterable[dict[str, str]]]:
    """The canonical cells of each file (before the formula guard), rows sorted by id."""

    def aanbieder_rows():
        for a in sorted(register.aanbieders, key=lambda a: a.id):
            tick(1)
            yield {k: _cell(getattr(a, k)) for k in AANBIEDER_KOLOMMEN}

    def dienst_rows():
        for d in sorted(register.diensten, key=lambda d: d.id):
            tick(1)
            row = {k: _cell(getattr(d, k)) for k in DIENST_KOLOMMEN}
            for k in (*LIJST_VOCABULAIRES, "trefwoorden"):
                row[k] = ";".join(getattr(d, k))
            row["werkgebied"] = (
                ";".join(f"{s}:{c}" for s, c in d.werkgebied) if d.werkgebied else "landelijk"
            )
            yield row

    return {AANBIEDERS_CSV: aanbieder_rows(), DIENSTEN_CSV: dienst_rows()}


KOLOMMEN = {AANBIEDERS_CSV: AANBIEDER_KOLOMMEN, DIENSTEN_CSV: DIENST_KOLOMMEN}


def write_dir(
    map_: Path, register: Register, voortgang: Callable[[int], None] | None = None
) -> None:
    """Write the register as aanbieders.csv and diensten.csv, rows sorted by id."""
    map_.mkdir(parents=True, exist_ok=True)
    for naam, rows in _rows(register, voortgang or (lambda n: None)).items():
        write_rows(map_ / naam, KOLOMMEN[naam], rows)


def register_tekst(register: Register) -> dict[str, str]:
    """The text of aanbieders.csv and diensten.csv, exactly as write_dir writes them."""
    return {
        naam: csv_tekst(KOLOMMEN[naam], rows)
        for naam, rows in _rows(register, lambda n: None).items()
    }
