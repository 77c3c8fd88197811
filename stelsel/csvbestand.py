"""Reading a CSV file that people made (a spreadsheet's export): its encoding, its delimiter,
its header and its rows, every problem kept with file, line and field and none raised.

Shared by the imports that read such files: the register's (register/csvformaat.py) and
kwaliteit's survey responses (kwaliteit/importeren.py). What a cell means is theirs.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Probleem:
    bestand: str
    regel: int
    veld: str
    reden: str

    def __str__(self) -> str:
        return f"{self.bestand}:{self.regel}: {self.veld}: {self.reden}"


class ImportFout(ValueError):
    """The input has problems; nothing was written."""

    def __init__(self, problemen: list[Probleem]):
        self.problemen = problemen
        super().__init__(f"{len(problemen)} probleem/problemen in de invoer")


@dataclass
class Rij:
    """One row of cells and where it came from (file and line), before validation."""

    bestand: str
    regel: int
    velden: dict[str, str]


_EINDE_REGEL = re.compile(r"\r\n|\r|\n")
_ANDERE_CODERING = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


def regel_op(tekst: str, positie: int) -> int:
    """The physical line (from 1) a character position lies on."""
    return len(_EINDE_REGEL.findall(tekst, 0, positie)) + 1


def decode(data: bytes, bestand: str, problemen: list[Probleem]) -> str | None:
    """The text of a CSV file: UTF-8, with or without BOM; None (and a problem) otherwise."""
    for bom, naam in _ANDERE_CODERING.items():
        if data.startswith(bom):
            problemen.append(
                Probleem(bestand, 1, "-", f"het bestand is {naam}; sla het op als UTF-8")
            )
            return None
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as e:
        regel = regel_op(data.decode("latin-1"), e.start)
        byte = data[e.start : e.start + 1].hex()
        problemen.append(
            Probleem(
                bestand,
                regel,
                "-",
                f"byte 0x{byte} is geen UTF-8; sla het bestand op als UTF-8 (zonder Latin-1 of "
                "Windows-1252)",
            )
        )
        return None


def scheidingsteken(tekst: str) -> str:
    """The delimiter of a CSV text, from its header line: `,`, or `;` as a spreadsheet with
    Dutch settings writes it (or a tab). Column names hold none of the three."""
    kop = tekst.split("\n", 1)[0]
    return max((",", ";", "\t"), key=kop.count) if kop.count(",") == 0 else ","


def lees_rijen(
    tekst: str,
    bestand: str,
    kolommen: Sequence[str],
    problemen: list[Probleem],
    *,
    optioneel: Iterable[str] = (),
    kop_kleine_letters: bool = False,
    strikt: bool = False,
    max_regels: int | None = None,
) -> list[Rij]:
    """The rows of a CSV text with the line each starts on; every problem of the file as such
    collected in `problemen` (none raised): an empty file, a broken header (a column missing,
    unknown or twice), a row with more or fewer cells than the header, a CSV syntax error.
    With a column missing or twice no row is read.

    A column in `optioneel` may be absent from the header; its cells then read as empty.
    `kop_kleine_letters` reads the header's names in lower case; `strikt` refuses a quote in
    the middle of a cell; `max_regels` stops after that many rows, with a problem.
    """
    if not tekst.strip():
        problemen.append(Probleem(bestand, 1, "-", "het bestand is leeg (geen kopregel)"))
        return []
    rijen: list[Rij] = []
    reader = csv.reader(
        io.StringIO(tekst, newline=""), delimiter=scheidingsteken(tekst), strict=strikt
    )
    try:
        header = next(reader)
        if any("\x00" in k for k in header):
            problemen.append(Probleem(bestand, 1, "-", "de kopregel bevat een NUL-teken (0x00)"))
            return []
        header = [k.strip().lower() if kop_kleine_letters else k.strip() for k in header]
        optioneel = frozenset(optioneel)
        missing = [k for k in kolommen if k not in header and k not in optioneel]
        leeg = dict.fromkeys((k for k in kolommen if k not in header), "")
        for k in missing:
            problemen.append(Probleem(bestand, 1, k, "kolom ontbreekt"))
        for k in dict.fromkeys(header):
            if k not in kolommen:
                problemen.append(Probleem(bestand, 1, k or "-", "onbekende kolom"))
            elif header.count(k) > 1:
                problemen.append(Probleem(bestand, 1, k, "kolom staat meer dan één keer in de kop"))
        if len(set(header)) != len(header) or missing:
            return []
        # the line a record starts on, also when earlier cells span several lines
        previous = reader.line_num
        for cells in reader:
            regel = previous + 1
            previous = reader.line_num
            if not cells:
                continue  # a blank line
            if max_regels is not None and len(rijen) >= max_regels:
                problemen.append(Probleem(bestand, regel, "-", f"meer dan {max_regels} regels"))
                break
            if len(cells) != len(header):
                meer = "meer" if len(cells) > len(header) else "minder"
                afgebroken = " (is het bestand afgebroken?)" if meer == "minder" else ""
                problemen.append(
                    Probleem(
                        bestand,
                        regel,
                        "-",
                        f"{len(cells)} cellen, {meer} dan de {len(header)} kolommen van de kop"
                        + afgebroken,
                    )
                )
                continue
            rijen.append(Rij(bestand, regel, leeg | dict(zip(header, cells, strict=True))))
    except csv.Error as e:
        regel = reader.line_num
        reden = (
            f"een cel is langer dan {csv.field_size_limit()} tekens"
            if "field limit" in str(e)
            else f"geen geldige CSV ({e})"
        )
        problemen.append(Probleem(bestand, regel, "-", reden))
        return []
    return rijen
