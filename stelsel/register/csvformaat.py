"""The register's CSV format (docs/register-csv.md): read with full validation, and write.

Pure Python, no database: records in, records out, every problem reported with file, line,
field and reason.
"""

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from stelsel.register import taxonomie as tx

AANBIEDERS_CSV = "aanbieders.csv"
DIENSTEN_CSV = "diensten.csv"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


@dataclass(frozen=True)
class Probleem:
    bestand: str
    regel: int
    veld: str
    reden: str

    def __str__(self) -> str:
        return f"{self.bestand}:{self.regel}: {self.veld}: {self.reden}"


@dataclass
class Register:
    aanbieders: list[AanbiederRecord] = field(default_factory=list)
    diensten: list[DienstRecord] = field(default_factory=list)


class ImportFout(ValueError):
    """The input has problems; nothing was written."""

    def __init__(self, problemen: list[Probleem]):
        self.problemen = problemen
        super().__init__(f"{len(problemen)} probleem/problemen in de invoer")


AANBIEDER_KOLOMMEN = [f.name for f in fields(AanbiederRecord)]
DIENST_KOLOMMEN = [f.name for f in fields(DienstRecord)]

LIJST_VOCABULAIRES: dict[str, tuple[tx.Term, ...]] = {
    "themas": tx.THEMAS,
    "transitiethemas": tx.TRANSITIETHEMAS,
    "fasen": tx.FASEN,
    "doelgroepen": tx.DOELGROEPEN,
    "kanalen": tx.KANALEN,
}


class _RowReader:
    """Reads typed fields from one CSV row, collecting problems instead of stopping."""

    def __init__(self, bestand: str, regel: int, row: dict[str, str], problemen: list[Probleem]):
        self.bestand, self.regel, self.row, self.problemen = bestand, regel, row, problemen

    def fout(self, veld: str, reden: str) -> None:
        self.problemen.append(Probleem(self.bestand, self.regel, veld, reden))

    def text(self, veld: str, required: bool = False, max_len: int = 5000) -> str:
        value = (self.row.get(veld) or "").strip()
        if required and not value:
            self.fout(veld, "verplicht veld is leeg")
        if len(value) > max_len:
            self.fout(veld, f"langer dan {max_len} tekens")
        return value

    def slug(self, veld: str) -> str:
        value = self.text(veld, required=True, max_len=160)
        if value and not SLUG.match(value):
            self.fout(veld, f"'{value}' is geen geldige id (alleen a-z, 0-9 en '-')")
        return value

    def keuze(self, veld: str, vocab: tuple[tx.Term, ...]) -> str:
        value = self.text(veld, required=True)
        if value and value not in tx.codes(vocab):
            self.fout(veld, f"'{value}' is onbekend; kies uit {', '.join(tx.codes(vocab))}")
        return value

    def lijst(self, veld: str, vocab: tuple[tx.Term, ...], required: bool = False) -> list[str]:
        values = [v.strip() for v in self.text(veld).split(";") if v.strip()]
        if required and not values:
            self.fout(veld, "minstens één waarde nodig")
        allowed = tx.codes(vocab)
        for v in values:
            if v not in allowed:
                self.fout(veld, f"'{v}' is onbekend; kies uit {', '.join(allowed)}")
        if len(set(values)) != len(values):
            self.fout(veld, "dubbele waarde")
        return sorted(set(values) & set(allowed), key=allowed.index)

    def boolean(self, veld: str) -> bool:
        value = self.text(veld, required=True).lower()
        if value not in ("ja", "nee"):
            if value:
                self.fout(veld, f"'{value}' moet 'ja' of 'nee' zijn")
            return False
        return value == "ja"

    def datum(self, veld: str, required: bool = False) -> date | None:
        value = self.text(veld, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fout(veld, f"'{value}' is geen datum (JJJJ-MM-DD)")
            return None

    def url(self, veld: str) -> str:
        value = self.text(veld, max_len=300)
        if value and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
            self.fout(veld, f"'{value}' is geen geldige webadres (https://…)")
        return value


def _read_rows(
    path: Path, kolommen: list[str], problemen: list[Probleem]
) -> list[tuple[int, dict]]:
    if not path.exists():
        problemen.append(Probleem(path.name, 0, "-", "bestand ontbreekt"))
        return []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [k for k in kolommen if k not in header]
        unknown = [k for k in header if k not in kolommen]
        for k in missing:
            problemen.append(Probleem(path.name, 1, k, "kolom ontbreekt"))
        for k in unknown:
            problemen.append(Probleem(path.name, 1, k, "onbekende kolom"))
        if missing:
            return []
        # the line a record starts on, also when earlier cells span several lines
        rows, previous = [], reader.line_num
        for row in reader:
            rows.append((previous + 1, row))
            previous = reader.line_num
        return rows


def read_dir(map_: Path, geldige_gebieden: dict[str, set[str]]) -> Register:
    """Read and validate aanbieders.csv and diensten.csv; raise ImportFout listing every problem."""
    problemen: list[Probleem] = []
    register = Register()
    namen: dict[str, int] = {}
    ids: dict[str, int] = {}
    for regel, row in _read_rows(map_ / AANBIEDERS_CSV, AANBIEDER_KOLOMMEN, problemen):
        r = _RowReader(AANBIEDERS_CSV, regel, row, problemen)
        aanbieder = AanbiederRecord(
            id=r.slug("id"),
            naam=r.text("naam", required=True, max_len=200),
            korte_naam=r.text("korte_naam", max_len=100),
            soort=r.keuze("soort", tx.AANBIEDER_SOORTEN),
            niveau=r.keuze("niveau", tx.NIVEAUS),
            eerstelijns=r.boolean("eerstelijns"),
            tweedelijns=r.boolean("tweedelijns"),
            website=r.url("website"),
            email=r.text("email", max_len=200),
            telefoon=r.text("telefoon", max_len=50),
            omschrijving=r.text("omschrijving", required=True),
            bron=r.text("bron", required=True),
            gecontroleerd_op=r.datum("gecontroleerd_op", required=True) or date.min,
        )
        if aanbieder.email and not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", aanbieder.email):
            r.fout("email", f"'{aanbieder.email}' is geen geldig e-mailadres")
        if aanbieder.id in ids:
            r.fout("id", f"'{aanbieder.id}' staat ook op regel {ids[aanbieder.id]}")
        if aanbieder.naam.lower() in namen:
            r.fout("naam", f"'{aanbieder.naam}' staat ook op regel {namen[aanbieder.naam.lower()]}")
        ids.setdefault(aanbieder.id, regel)
        namen.setdefault(aanbieder.naam.lower(), regel)
        register.aanbieders.append(aanbieder)

    dienst_ids: dict[str, int] = {}
    for regel, row in _read_rows(map_ / DIENSTEN_CSV, DIENST_KOLOMMEN, problemen):
        r = _RowReader(DIENSTEN_CSV, regel, row, problemen)
        dienst = DienstRecord(
            id=r.slug("id"),
            aanbieder=r.text("aanbieder", required=True),
            naam=r.text("naam", required=True, max_len=250),
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
        )
        if dienst.aanbieder and dienst.aanbieder not in ids:
            r.fout("aanbieder", f"'{dienst.aanbieder}' staat niet in {AANBIEDERS_CSV}")
        if dienst.geldig_van and dienst.geldig_tot and dienst.geldig_tot < dienst.geldig_van:
            r.fout("geldig_tot", "ligt voor geldig_van")
        if dienst.id in dienst_ids:
            r.fout("id", f"'{dienst.id}' staat ook op regel {dienst_ids[dienst.id]}")
        dienst_ids.setdefault(dienst.id, regel)
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
                f"'{part}': soort moet een van {', '.join(tx.WERKGEBIED_SOORTEN)} zijn",
            )
        elif code not in geldige.get(soort, set()):
            r.fout("werkgebied", f"'{part}': onbekende {soort}-code")
        else:
            gebieden.append((soort, code))
    if len(set(gebieden)) != len(gebieden):
        r.fout("werkgebied", "dubbel gebied")
    return sort_werkgebied(set(gebieden))


def sort_werkgebied(gebieden: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Areas in canonical order: by kind (provincie first), then code."""
    return sorted(gebieden, key=lambda g: (tx.WERKGEBIED_SOORTEN.index(g[0]), g[1]))


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
        writer = csv.DictWriter(f, fieldnames=kolommen, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_dir(
    map_: Path, register: Register, voortgang: Callable[[int], None] | None = None
) -> None:
    """Write the register as aanbieders.csv and diensten.csv, rows sorted by id."""
    map_.mkdir(parents=True, exist_ok=True)
    tick = voortgang or (lambda n: None)

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

    write_rows(map_ / AANBIEDERS_CSV, AANBIEDER_KOLOMMEN, aanbieder_rows())
    write_rows(map_ / DIENSTEN_CSV, DIENST_KOLOMMEN, dienst_rows())
