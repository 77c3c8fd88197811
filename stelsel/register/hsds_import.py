"""Read an Open Referral HSDS 3.0 export into register records (`stelsel import hsds DIR`).

Pure: files in, a validated Register out (or ImportFout listing every problem, with file,
record number and field). The HSDS objects become the cells of the register's CSV format and
go through its one validator (csvformaat.valideer), so an HSDS import is judged exactly as a
CSV import is. Reads what `stelsel export hsds` writes without loss (see hsds.py), and the
exports of other directories: unknown fields and taxonomies are ignored, optional ones may be
missing. A register field such an export cannot fill (the thema of a dienst, say) can be given
for every record with `standaard` (`--standaard dienst.themas=financiering`).
"""

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stelsel.register import csvformaat, hsds
from stelsel.register import taxonomie as tx
from stelsel.register.csvformaat import (
    AANBIEDER_KOLOMMEN,
    AANBIEDERS_CSV,
    DIENST_KOLOMMEN,
    DIENSTEN_CSV,
    ImportFout,
    Probleem,
    Register,
    Rij,
)

ORGANIZATIONS = "organizations.json"
SERVICES = "services.json"
TAXONOMIES = "taxonomies.json"
TAXONOMY_TERMS = "taxonomy_terms.json"
# record attribute -> taxonomy name, for the labels of aanbieders and diensten
_DIENST_TAXONOMIEEN = {t: attr for attr, (t, _, _) in hsds.TAXONOMIEEN.items()}
_AANBIEDER_TAXONOMIEEN = {t: attr for attr, (t, _, _) in hsds.ORGANISATIE_TAXONOMIEEN.items()}
_GEGEVEN_KOLOM = {
    "id": "id",
    "bron": "bron",
    "gecontroleerd-op": "gecontroleerd_op",
    "geldig-van": "geldig_van",
    "geldig-tot": "geldig_tot",
}
SOORTEN = {"aanbieder": AANBIEDER_KOLOMMEN, "dienst": DIENST_KOLOMMEN}


def standaard_uit(paren: list[str]) -> dict[str, dict[str, str]]:
    """`--standaard` values (`aanbieder.gecontroleerd_op=2026-11-01`, `dienst.themas=…`) by
    kind and column; raises ValueError naming a wrong one."""
    result: dict[str, dict[str, str]] = {"aanbieder": {}, "dienst": {}}
    for paar in paren:
        sleutel, is_, waarde = paar.partition("=")
        soort, punt, kolom = sleutel.strip().partition(".")
        if not is_ or not punt or soort not in SOORTEN or kolom not in SOORTEN[soort]:
            raise ValueError(
                f"'{paar}': schrijf aanbieder.KOLOM=WAARDE of dienst.KOLOM=WAARDE "
                "(kolommen als in docs/register-csv.md)"
            )
        result[soort][kolom] = waarde.strip()
    return result


class _Lezer:
    """Reads typed values from one HSDS object, collecting a problem for each wrong type."""

    def __init__(self, bestand: str, record: int, problemen: list[Probleem]):
        self.bestand, self.record, self.problemen = bestand, record, problemen

    def fout(self, pad: str, reden: str) -> None:
        self.problemen.append(Probleem(self.bestand, self.record, pad, reden))

    def tekst(self, obj: dict, veld: str, pad: str = "") -> str:
        value = obj.get(veld)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fout(pad + veld, f"moet tekst zijn, niet {_soort(value)}")
            return ""
        return str(value)

    def lijst(self, obj: dict, veld: str, pad: str = "") -> list[tuple[str, dict]]:
        """The objects of a list field, each with its path (`phones[0].`)."""
        value = obj.get(veld)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fout(pad + veld, f"moet een lijst zijn, niet {_soort(value)}")
            return []
        result = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                result.append((f"{pad}{veld}[{i}].", item))
            else:
                self.fout(f"{pad}{veld}[{i}]", f"moet een object zijn, niet {_soort(item)}")
        return result

    def object(self, obj: dict, veld: str, pad: str = "") -> dict:
        value = obj.get(veld)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fout(pad + veld, f"moet een object zijn, niet {_soort(value)}")
            return {}
        return value


def _soort(value: Any) -> str:
    return {
        bool: "ja/nee (boolean)",
        int: "een getal",
        float: "een getal",
        str: "tekst",
        list: "een lijst",
        dict: "een object",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _lees_json(pad: Path, problemen: list[Probleem], verplicht: bool) -> list[tuple[int, dict]]:
    """The objects of one file as (record number from 1, object); file problems collected. A
    list, or a page of the HSDS API (`{"contents": [...]}`)."""
    naam = pad.name
    if not pad.is_file():
        if verplicht:
            problemen.append(Probleem(naam, 0, "-", "bestand ontbreekt"))
        return []
    try:
        data = json.loads(pad.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        problemen.append(Probleem(naam, 0, "-", f"byte {e.start} is geen UTF-8"))
        return []
    except json.JSONDecodeError as e:
        problemen.append(
            Probleem(
                naam, 0, "-", f"geen geldige JSON (regel {e.lineno}, kolom {e.colno}: {e.msg})"
            )
        )
        return []
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    if not isinstance(data, list):
        problemen.append(Probleem(naam, 0, "-", "moet een lijst (JSON-array) van objecten zijn"))
        return []
    result = []
    ids: dict[str, int] = {}
    for i, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            problemen.append(Probleem(naam, i, "-", f"moet een object zijn, niet {_soort(obj)}"))
            continue
        oid = obj.get("id")
        if not isinstance(oid, str) or not oid.strip():
            problemen.append(Probleem(naam, i, "id", "verplicht: een niet-lege tekst"))
            continue
        if oid in ids:
            problemen.append(Probleem(naam, i, "id", f"'{oid}' staat ook in record {ids[oid]}"))
            continue
        ids[oid] = i
        result.append((i, obj))
    return result


def slugify(tekst: str, max_lengte: int) -> str:
    """A register id from a name: lower case a-z, 0-9 and '-'."""
    ascii_ = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:max_lengte].rstrip("-") or "zonder-naam"


class _Termen:
    """Which taxonomy and code a term (id) stands for, from taxonomies.json and
    taxonomy_terms.json when the attribute does not carry its term."""

    def __init__(self, taxonomieen: list[tuple[int, dict]], termen: list[tuple[int, dict]]):
        self.taxonomie_namen = {
            obj["id"]: obj.get("name") for _, obj in taxonomieen if isinstance(obj.get("name"), str)
        }
        self.termen = {obj["id"]: obj for _, obj in termen}

    def van(self, attribuut: dict, lezer: _Lezer, pad: str) -> tuple[str, str, str]:
        """(taxonomy name, code, term_uri) of an attribute; empty strings when unknown."""
        term = lezer.object(attribuut, "taxonomy_term", pad)
        if not term:
            term_id = attribuut.get("taxonomy_term_id")
            term = self.termen.get(term_id, {}) if isinstance(term_id, str) else {}
        code = lezer.tekst(term, "code", pad + "taxonomy_term.")
        uri = lezer.tekst(term, "term_uri", pad + "taxonomy_term.")
        taxonomie = (
            (term.get("taxonomy") if isinstance(term.get("taxonomy"), str) else None)
            or self.taxonomie_namen.get(term.get("taxonomy_id"))
            or lezer.tekst(attribuut, "link_type", pad)
        )
        return taxonomie, code, uri


def _attributen(
    obj: dict, lezer: _Lezer, termen: _Termen
) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """Codes per taxonomy, values per registergegeven, and UPL URIs of an object's attributes."""
    codes: dict[str, list[str]] = {}
    waarden: dict[str, list[str]] = {}
    upl: list[str] = []
    for pad, a in lezer.lijst(obj, "attributes"):
        taxonomie, code, uri = termen.van(a, lezer, pad)
        if uri and (taxonomie == hsds.UPL or csvformaat.UPL_URI.match(uri)):
            upl.append(uri)
        elif taxonomie == hsds.REGISTERGEGEVEN:
            waarden.setdefault(code, []).append(lezer.tekst(a, "value", pad))
        elif code:
            codes.setdefault(taxonomie, []).append(code)
    return codes, waarden, upl


def _adres(location: dict, lezer: _Lezer, pad: str) -> str:
    for apad, address in lezer.lijst(location, "addresses", pad):
        return hsds.adres_tekst({k: lezer.tekst(address, k, apad) for k in _ADRESVELDEN})
    return lezer.tekst(location, "description", pad)


_ADRESVELDEN = ("address_1", "address_2", "postal_code", "city")


def _schema_tekst(obj: dict, lezer: _Lezer, pad: str = "") -> str:
    for spad, schedule in lezer.lijst(obj, "schedules", pad):
        return lezer.tekst(schedule, "description", spad) or lezer.tekst(schedule, "notes", spad)
    return ""


def _eerste(obj: dict, lijst: str, veld: str, lezer: _Lezer) -> str:
    for pad, item in lezer.lijst(obj, lijst):
        return lezer.tekst(item, veld, pad)
    return ""


def _datum(waarde: str) -> str:
    """A date as JJJJ-MM-DD; a date-time (`2026-11-23T10:00:00Z`) keeps its date."""
    return waarde[:10] if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T", waarde) else waarde


class _Ids:
    """Register ids: the one in the export, or one made from the name, unique per kind."""

    def __init__(self, max_lengte: int):
        self.max_lengte = max_lengte
        self.gebruikt: set[str] = set()

    def __call__(self, gegeven: str, naam: str) -> str:
        if gegeven:
            self.gebruikt.add(gegeven)
            return gegeven
        basis = slugify(naam, self.max_lengte - 4)
        slug, n = basis, 1
        while slug in self.gebruikt:
            n += 1
            slug = f"{basis}-{n}"
        self.gebruikt.add(slug)
        return slug


def _cellen(velden: dict[str, str], kolommen: list[str], standaard: dict[str, str]) -> dict:
    # Every cell as the CSV reader would see it (guarded, so a value that starts with `'`
    # comes through unchanged), empty ones filled with the given default.
    return {k: csvformaat.vergrendel(velden.get(k, "") or standaard.get(k, "")) for k in kolommen}


def read_dir(
    map_: Path,
    geldige_gebieden: dict[str, set[str]],
    gebiedsnamen: dict[tuple[str, str], str],
    standaard: dict[str, dict[str, str]] | None = None,
) -> Register:
    """Read and validate an HSDS 3.0 export folder; raise ImportFout listing every problem.

    Problems name the file, the record (from 1; 0 for the file itself) and the field: an HSDS
    path (`phones[0].number`) for a wrong type, a register column for a wrong value."""
    standaard = standaard or {"aanbieder": {}, "dienst": {}}
    problemen: list[Probleem] = []
    organisaties = _lees_json(map_ / ORGANIZATIONS, problemen, verplicht=True)
    services = _lees_json(map_ / SERVICES, problemen, verplicht=True)
    termen = _Termen(
        _lees_json(map_ / TAXONOMIES, problemen, verplicht=False),
        _lees_json(map_ / TAXONOMY_TERMS, problemen, verplicht=False),
    )
    if not problemen and not organisaties:
        problemen.append(Probleem(ORGANIZATIONS, 0, "-", "geen enkele organization"))
    bron = f"Open Referral HSDS-export {map_.name}"
    a_ids = _Ids(csvformaat.MAX_LENGTE[AANBIEDERS_CSV]["id"])
    org_slugs: dict[str, str] = {}
    aanbieder_rijen = []
    for record, org in organisaties:
        lezer = _Lezer(ORGANIZATIONS, record, problemen)
        velden = _organisatie(org, lezer, termen)
        velden["id"] = a_ids(velden["id"], velden["naam"])
        velden["bron"] = velden["bron"] or standaard["aanbieder"].get("bron", bron)
        org_slugs[org["id"]] = velden["id"]
        cellen = _cellen(velden, AANBIEDER_KOLOMMEN, standaard["aanbieder"])
        aanbieder_rijen.append(Rij(ORGANIZATIONS, record, cellen))

    d_ids = _Ids(csvformaat.MAX_LENGTE[DIENSTEN_CSV]["id"])
    namen_gebieden: dict[str, list[tuple[str, str]]] = {}
    for sleutel, naam in gebiedsnamen.items():
        namen_gebieden.setdefault(naam.lower(), []).append(sleutel)
    onbekende_org: set[int] = set()
    dienst_rijen = []
    for record, s in services:
        lezer = _Lezer(SERVICES, record, problemen)
        velden = _service(s, lezer, termen, namen_gebieden.get, "werkgebied" in standaard["dienst"])
        org_id = velden.pop("organization_id")
        velden["aanbieder"] = org_slugs.get(org_id, "")
        if not velden["aanbieder"]:
            onbekende_org.add(record)
            lezer.fout(
                "organization_id",
                f"'{csvformaat.kort(org_id)}' staat niet in {ORGANIZATIONS}"
                if org_id
                else "verplicht: de organization van de service",
            )
            velden["aanbieder"] = "-"  # reported above; keeps the validator from repeating it
        velden["id"] = d_ids(velden["id"], velden["naam"])
        cellen = _cellen(velden, DIENST_KOLOMMEN, standaard["dienst"])
        dienst_rijen.append(Rij(SERVICES, record, cellen))
    try:
        return csvformaat.valideer(
            aanbieder_rijen,
            dienst_rijen,
            geldige_gebieden,
            problemen,
            bekende_aanbieders=frozenset({"-"}),
        )
    except ImportFout as e:
        e.problemen.sort(key=lambda p: (p.bestand != ORGANIZATIONS, p.bestand, p.regel))
        raise


def _organisatie(org: dict, lezer: _Lezer, termen: _Termen) -> dict[str, str]:
    codes, waarden, _ = _attributen(org, lezer, termen)
    v: dict[str, str] = {
        "naam": lezer.tekst(org, "name"),
        "korte_naam": lezer.tekst(org, "alternate_name"),
        "omschrijving": lezer.tekst(org, "description"),
        "website": lezer.tekst(org, "website") or lezer.tekst(org, "uri"),
        "email": lezer.tekst(org, "email"),
        "telefoon": _eerste(org, "phones", "number", lezer),
        "eerstelijns": "ja" if "eerstelijns" in codes.get("stelsel-lijn", []) else "nee",
        "tweedelijns": "ja" if "tweedelijns" in codes.get("stelsel-lijn", []) else "nee",
    }
    for taxonomie, attr in _AANBIEDER_TAXONOMIEEN.items():
        v[attr] = ";".join(codes.get(taxonomie, []))
    for code, kolom in _GEGEVEN_KOLOM.items():
        if kolom in AANBIEDER_KOLOMMEN:
            v[kolom] = ";".join(waarden.get(code, []))
    v["gecontroleerd_op"] = _datum(v["gecontroleerd_op"])
    for pad, ident in lezer.lijst(org, "organization_identifiers"):
        soort = (
            lezer.tekst(ident, "identifier_scheme", pad)
            + lezer.tekst(ident, "identifier_type", pad)
        ).lower()
        if "kvk" in soort:
            v["kvk_nummer"] = lezer.tekst(ident, "identifier", pad)
    for pad, location in lezer.lijst(org, "locations"):
        soort = lezer.tekst(location, "location_type", pad)
        if soort == "physical" and "bezoekadres" not in v:
            v["bezoekadres"] = _adres(location, lezer, pad)
            v["openingstijden"] = _schema_tekst(location, lezer, pad)
        elif soort == "postal" and "postadres" not in v:
            v["postadres"] = _adres(location, lezer, pad)
    return v


def _service(
    s: dict,
    lezer: _Lezer,
    termen: _Termen,
    gebied_met_naam: Callable[[str], list[tuple[str, str]] | None],
    gebied_standaard: bool,
) -> dict[str, str]:
    codes, waarden, upl = _attributen(s, lezer, termen)
    org_id = lezer.tekst(s, "organization_id") or lezer.tekst(
        lezer.object(s, "organization"), "id", "organization."
    )
    fees = lezer.tekst(s, "fees_description")
    v: dict[str, str] = {
        "organization_id": org_id,
        "naam": lezer.tekst(s, "name"),
        "omschrijving": lezer.tekst(s, "description"),
        "website": lezer.tekst(s, "url"),
        "email": lezer.tekst(s, "email"),
        "telefoon": _eerste(s, "phones", "number", lezer),
        "openingstijden": _schema_tekst(s, lezer),
        "wachttijd": lezer.tekst(s, "wait_time"),
        # our export writes the kosten label when there is no toelichting
        "kosten_toelichting": (
            _eerste(s, "cost_options", "amount_description", lezer)
            if fees in {t.naam for t in tx.KOSTEN} or not fees
            else fees
        ),
        "talen": ";".join(
            lezer.tekst(taal, "code", pad) for pad, taal in lezer.lijst(s, "languages")
        ),
        "upl_uri": ";".join(upl),
        "trefwoorden": ";".join(waarden.get("trefwoord", [])),
        "werkgebied": _werkgebied(s, lezer, gebied_met_naam, gebied_standaard),
    }
    for pad, sal in lezer.lijst(s, "service_at_locations"):
        location = lezer.object(sal, "location", pad)
        if location:
            v["adres"] = _adres(location, lezer, pad + "location.")
            break
    for taxonomie, attr in _DIENST_TAXONOMIEEN.items():
        v[attr] = ";".join(codes.get(taxonomie, []))
    for code, kolom in _GEGEVEN_KOLOM.items():
        v[kolom] = ";".join(waarden.get(code, []))
    v["gecontroleerd_op"] = _datum(v["gecontroleerd_op"] or lezer.tekst(s, "assured_date"))
    return v


def _werkgebied(
    s: dict,
    lezer: _Lezer,
    gebied_met_naam: Callable[[str], list[tuple[str, str]] | None],
    gebied_standaard: bool,
) -> str:
    """The werkgebied cell from the service areas: ours by CBS code, another export's by the
    name of a provincie, arbeidsmarktregio, COROP-gebied or gemeente. An area that names none
    is a problem, unless a default werkgebied is given: then it is left out."""
    gebieden: list[str] = []
    for pad, area in lezer.lijst(s, "service_areas"):
        beschrijving = lezer.tekst(area, "description", pad)
        naam = lezer.tekst(area, "name", pad)
        m = hsds.GEBIED.match(beschrijving)
        if m:
            gebieden.append(f"{m['soort']}:{m['code']}")
        elif beschrijving == hsds.LANDELIJK or naam.lower() == "nederland":
            return "landelijk"
        elif len(kandidaten := gebied_met_naam(naam.lower()) or []) == 1:
            gebieden.append(":".join(kandidaten[0]))
        elif not gebied_standaard:
            reden = "meer dan één gebied" if kandidaten else "geen bekend gebied"
            lezer.fout(f"{pad}name", f"'{csvformaat.kort(naam)}': {reden} met die naam")
    return ";".join(gebieden)
