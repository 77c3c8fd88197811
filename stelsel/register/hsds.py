"""The register as Open Referral HSDS 3.0 (organizations, services, service areas, taxonomies).

Pure: register records in, JSON-ready dicts out. Ids are the register's stable UUIDs; derived
objects (service areas, attributes, taxonomy terms) get uuid5 ids, so re-exports are identical.

Every field the register holds has a place, so that `stelsel import hsds` reads an export back
without loss (docs/import-export.md has the table). Where HSDS has a field, it is used (url,
email, phones, languages, schedules, wait_time, assured_date, cost_options, locations with
addresses, organization_identifiers for the KVK-nummer); the rest are attributes with a value
under the taxonomy `stelsel-registergegeven` (the register's id, source, dates, keywords).
"""

import json
import re
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from stelsel.register import taxonomie as tx
from stelsel.register.csvformaat import AanbiederRecord, DienstRecord, Register
from stelsel.register.models import ID_NAMESPACE, slug_uuid

LIJNEN = (
    tx.Term("eerstelijns", "Eerstelijns", "Eerste aanspreekpunt voor ondernemers."),
    tx.Term("tweedelijns", "Tweedelijns", "Specialistische hulp, vaak na een verwijzing."),
)
# Register fields without an HSDS field of their own: attributes with a value.
REGISTERGEGEVENS = (
    tx.Term("id", "Register-id", "De vaste id van het gegeven in het register (a-z, 0-9, -)."),
    tx.Term("bron", "Bron", "Waar het gegeven vandaan komt."),
    tx.Term("gecontroleerd-op", "Gecontroleerd op", "Datum (JJJJ-MM-DD) van de laatste controle."),
    tx.Term("geldig-van", "Geldig van", "Datum (JJJJ-MM-DD) vanaf wanneer de dienst bestaat."),
    tx.Term("geldig-tot", "Geldig tot", "Datum (JJJJ-MM-DD) tot wanneer de dienst bestaat."),
    tx.Term("trefwoord", "Trefwoord", "Een zoekwoord van de dienst."),
)
REGISTERGEGEVEN = "stelsel-registergegeven"
UPL = "upl"
UPL_BESCHRIJVING = "Uniforme Productnamenlijst (UPL) van de overheid: het product van een dienst."
KVK_SCHEMA = "NL-KVK"  # org-id.guide's code of the Dutch Kamer van Koophandel register

TAXONOMIEEN: dict[str, tuple[str, str, tuple[tx.Term, ...]]] = {
    # record attribute: (taxonomy name, description, vocabulary)
    "themas": (
        "stelsel-thema",
        "De zeven thema's van het stelsel van mkb-dienstverlening.",
        tx.THEMAS,
    ),
    "transitiethemas": (
        "stelsel-transitiethema",
        "Transitiethema's die door de thema's heen lopen.",
        tx.TRANSITIETHEMAS,
    ),
    "soort": (
        "stelsel-dienstsoort",
        "Soort dienst: informatie, advies, financiering, ….",
        tx.DIENST_SOORTEN,
    ),
    "fasen": (
        "stelsel-klantreisfase",
        "Fase van de klantreis: ontmoeten, weten, willen, kunnen.",
        tx.FASEN,
    ),
    "doelgroepen": ("stelsel-doelgroep", "Doelgroepen in het mkb.", tx.DOELGROEPEN),
    "kanalen": ("stelsel-kanaal", "Kanaal waarlangs de dienst wordt geleverd.", tx.KANALEN),
    "kosten": ("stelsel-kosten", "Kosten voor de ondernemer.", tx.KOSTEN),
}
ORGANISATIE_TAXONOMIEEN: dict[str, tuple[str, str, tuple[tx.Term, ...]]] = {
    # aanbieder attribute: (taxonomy name, description, vocabulary)
    "soort": (
        "stelsel-aanbiedersoort",
        "Soort aanbieder: publiek, semipubliek, non-profit, vertegenwoordiging, privaat.",
        tx.AANBIEDER_SOORTEN,
    ),
    "niveau": (
        "stelsel-niveau",
        "Waar de aanbieder werkt: landelijk, regionaal of lokaal.",
        tx.NIVEAUS,
    ),
}
# Vocabularies that are not one record attribute each.
EXTRA_TAXONOMIEEN: dict[str, tuple[str, tuple[tx.Term, ...]]] = {
    "stelsel-lijn": ("Eerstelijns of tweedelijns aanbieder (beide kan).", LIJNEN),
    REGISTERGEGEVEN: (
        "Gegevens van het register zonder eigen HSDS-veld; de waarde staat in `value`.",
        REGISTERGEGEVENS,
    ),
}
BESTANDEN = ("organizations", "services", "taxonomies", "taxonomy_terms")
# What an HSDS 3.0 API answers at its root ("/"); written as index.json beside the lists.
META = {
    "version": "3.0",
    "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
}
# A Dutch address as the register writes it: "Straat 1, 1234 AB Plaats". Split into HSDS's
# address fields only when joining them again gives the same text back.
ADRES = re.compile(r"^(?P<straat>\S.*), (?P<postcode>[0-9]{4} ?[A-Z]{2}) (?P<plaats>\S.*)$")
GEBIED = re.compile(r"^(?P<soort>[a-z]+) (?P<code>\S+) \(CBS-code\)$")
LANDELIJK = "Landelijk"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "hsds:" + ":".join(parts)))


def taxonomy_id(name: str) -> str:
    return _uuid("taxonomy", name)


def term_id(taxonomy: str, code: str) -> str:
    return _uuid("term", taxonomy, code)


def organization_id(slug: str) -> str:
    return str(slug_uuid("aanbieder", slug))


def service_id(slug: str) -> str:
    return str(slug_uuid("dienst", slug))


def upl_code(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def _vocabularies() -> list[tuple[str, str, tuple[tx.Term, ...]]]:
    return [
        *TAXONOMIEEN.values(),
        *ORGANISATIE_TAXONOMIEEN.values(),
        *((name, d, v) for name, (d, v) in EXTRA_TAXONOMIEEN.items()),
    ]


def _term(taxonomy: str, code: str, name: str, description: str, **extra: str) -> dict:
    return {
        "id": term_id(taxonomy, code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "taxonomy_id": taxonomy_id(taxonomy),
        "language": "nl",
        **extra,
    }


def _upl_term(uri: str) -> dict:
    code = upl_code(uri)
    return _term(UPL, code, code, f"UPL-product {code}", term_uri=uri)


def taxonomies(upl_uris: Iterable[str] = ()) -> tuple[list[dict], list[dict]]:
    """HSDS taxonomy and taxonomy_term objects for our vocabularies, and for the UPL products
    the given diensten link to."""
    tax, terms = [], []
    for name, description, vocab in _vocabularies():
        tax.append(
            {"id": taxonomy_id(name), "name": name, "description": description, "version": "1"}
        )
        terms += [_term(name, t.code, t.naam, t.omschrijving or t.naam) for t in vocab]
    tax.append(
        {"id": taxonomy_id(UPL), "name": UPL, "description": UPL_BESCHRIJVING, "version": "2025-04"}
    )
    terms += [_upl_term(uri) for uri in sorted(set(upl_uris))]
    return tax, terms


def organization(a: AanbiederRecord) -> dict:
    """One aanbieder as an HSDS organization."""
    oid = organization_id(a.id)
    org: dict = {"id": oid, "name": a.naam, "description": a.omschrijving}
    if a.korte_naam:
        org["alternate_name"] = a.korte_naam
    if a.website:
        org["website"] = a.website
    if a.email:
        org["email"] = a.email
    if a.telefoon:
        org["phones"] = [{"id": _uuid("phone", oid), "organization_id": oid, "number": a.telefoon}]
    if a.kvk_nummer:
        org["organization_identifiers"] = [
            {
                "id": _uuid("kvk", oid),
                "organization_id": oid,
                "identifier_scheme": KVK_SCHEMA,
                "identifier_type": "KVK-nummer",
                "identifier": a.kvk_nummer,
            }
        ]
    locations = []
    if a.bezoekadres or a.openingstijden:
        locations.append(_location(oid, "physical", a.naam, a.bezoekadres, a.openingstijden))
        locations[-1]["organization_id"] = oid
    if a.postadres:
        locations.append(_location(oid, "postal", a.naam, a.postadres, ""))
        locations[-1]["organization_id"] = oid
    if locations:
        org["locations"] = locations
    attributes = _attributes(oid, "organization", a, ORGANISATIE_TAXONOMIEEN)
    for lijn in LIJNEN:
        if getattr(a, lijn.code):
            attributes.append(_attribute(oid, "organization", "stelsel-lijn", lijn.code, lijn.naam))
    attributes += _gegevens(
        oid,
        "organization",
        [("id", a.id), ("bron", a.bron), ("gecontroleerd-op", _datum(a.gecontroleerd_op))],
    )
    org["attributes"] = attributes
    return org


def service(
    d: DienstRecord,
    gebiedsnamen: dict[tuple[str, str], str],
    gewijzigd: str | None = None,
    peildatum: date | None = None,
) -> dict:
    """One dienst as an HSDS service."""
    peildatum = peildatum or date.today()
    sid = service_id(d.id)
    actief = (d.geldig_van is None or d.geldig_van <= peildatum) and (
        d.geldig_tot is None or d.geldig_tot >= peildatum
    )
    kosten = tx.label(tx.KOSTEN, d.kosten)
    s: dict = {
        "id": sid,
        "organization_id": organization_id(d.aanbieder),
        "name": d.naam,
        "description": d.omschrijving,
        "status": "active" if actief else "inactive",
        "fees_description": d.kosten_toelichting or kosten,
        "service_areas": _service_areas(sid, d.werkgebied, gebiedsnamen),
    }
    if d.kosten_toelichting:
        s["cost_options"] = [
            {
                "id": _uuid("cost", sid),
                "service_id": sid,
                "option": kosten,
                "amount_description": d.kosten_toelichting,
            }
        ]
    if d.website:
        s["url"] = d.website
    if d.email:
        s["email"] = d.email
    if d.telefoon:
        s["phones"] = [{"id": _uuid("phone", sid), "service_id": sid, "number": d.telefoon}]
    if d.openingstijden:
        s["schedules"] = [
            {"id": _uuid("schedule", sid), "service_id": sid, "description": d.openingstijden}
        ]
    if d.adres:
        location = _location(sid, "physical", d.naam, d.adres, "")
        s["service_at_locations"] = [
            {
                "id": _uuid("sal", sid),
                "service_id": sid,
                "location_id": location["id"],
                "location": location,
            }
        ]
    if d.talen:
        s["languages"] = [
            {
                "id": _uuid("language", sid, code),
                "service_id": sid,
                "code": code,
                "name": tx.label(tx.TALEN, code),
            }
            for code in d.talen
        ]
    if d.wachttijd:
        s["wait_time"] = d.wachttijd
    if d.gecontroleerd_op:
        s["assured_date"] = d.gecontroleerd_op.isoformat()
    if gewijzigd:
        s["last_modified"] = gewijzigd
    attributes = _attributes(sid, "service", d, TAXONOMIEEN)
    if d.upl_uri:
        term = _upl_term(d.upl_uri)
        attributes.append(
            {
                "id": _uuid("attribute", sid, UPL, term["code"]),
                "link_id": sid,
                "link_type": UPL,
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": {
                    k: v for k, v in term.items() if k not in ("taxonomy", "language")
                },
            }
        )
    attributes += _gegevens(
        sid,
        "service",
        [
            ("id", d.id),
            ("bron", d.bron),
            ("gecontroleerd-op", _datum(d.gecontroleerd_op)),
            ("geldig-van", _datum(d.geldig_van)),
            ("geldig-tot", _datum(d.geldig_tot)),
            *(("trefwoord", t) for t in d.trefwoorden),
        ],
    )
    s["attributes"] = attributes
    return s


def convert(
    register: Register,
    gebiedsnamen: dict[tuple[str, str], str],
    gewijzigd: dict[str, str] | None = None,
    peildatum: date | None = None,
) -> dict[str, list[dict]]:
    """The whole register as HSDS objects, one list per file."""
    gewijzigd = gewijzigd or {}
    tax, terms = taxonomies(d.upl_uri for d in register.diensten if d.upl_uri)
    return {
        "organizations": [organization(a) for a in register.aanbieders],
        "services": [
            service(d, gebiedsnamen, gewijzigd.get(d.id), peildatum) for d in register.diensten
        ],
        "taxonomies": tax,
        "taxonomy_terms": terms,
    }


def _datum(value: date | None) -> str:
    return value.isoformat() if value and value != date.min else ""


def _location(owner: str, soort: str, naam: str, adres: str, openingstijden: str) -> dict:
    lid = _uuid("location", owner, soort)
    location: dict = {"id": lid, "location_type": soort, "name": naam}
    m = ADRES.match(adres)
    if m:
        location["addresses"] = [
            {
                "id": _uuid("address", lid),
                "location_id": lid,
                "address_1": m["straat"],
                "city": m["plaats"],
                "state_province": "",
                "postal_code": m["postcode"],
                "country": "NL",
                "address_type": soort,
            }
        ]
    elif adres:
        location["description"] = adres  # not in the usual form: kept whole
    if openingstijden:
        location["schedules"] = [
            {"id": _uuid("schedule", lid), "location_id": lid, "description": openingstijden}
        ]
    return location


def adres_tekst(address: dict) -> str:
    """An HSDS address as one line of text, the inverse of the split in _location."""
    straat = " ".join(p for p in (address.get("address_1"), address.get("address_2")) if p)
    plaats = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    return ", ".join(p for p in (straat, plaats) if p)


def _service_areas(sid: str, werkgebied, gebiedsnamen) -> list[dict]:
    if not werkgebied:
        return [
            {
                "id": _uuid("area", sid, "landelijk"),
                "service_id": sid,
                "name": "Nederland",
                "description": LANDELIJK,
            }
        ]
    return [
        {
            "id": _uuid("area", sid, soort, code),
            "service_id": sid,
            "name": gebiedsnamen.get((soort, code), code),
            "description": f"{soort} {code} (CBS-code)",
        }
        for soort, code in werkgebied
    ]


def _attribute(link_id: str, entity: str, taxonomy: str, code: str, name: str) -> dict:
    term = term_id(taxonomy, code)
    return {
        "id": _uuid("attribute", link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": taxonomy,
        "link_entity": entity,
        "taxonomy_term_id": term,
        "taxonomy_term": {
            "id": term,
            "code": code,
            "name": name,
            "description": name,
            "taxonomy_id": taxonomy_id(taxonomy),
        },
    }


def _attributes(link_id: str, entity: str, record, taxonomieen) -> list[dict]:
    result = []
    for attr, (taxonomy, _, vocab) in taxonomieen.items():
        value = getattr(record, attr)
        for code in [value] if isinstance(value, str) else value:
            result.append(_attribute(link_id, entity, taxonomy, code, tx.label(vocab, code)))
    return result


def _gegevens(link_id: str, entity: str, waarden: list[tuple[str, str]]) -> list[dict]:
    result = []
    for i, (code, value) in enumerate(waarden):
        if value:
            a = _attribute(link_id, entity, REGISTERGEGEVEN, code, tx.label(REGISTERGEGEVENS, code))
            a["id"] = _uuid("attribute", link_id, REGISTERGEGEVEN, code, str(i))
            a["value"] = value
            result.append(a)
    return result


def write(map_: Path, documenten: dict[str, list[dict]]) -> None:
    """Write index.json and each list as <name>.json (UTF-8, sorted keys, stable order)."""
    map_.mkdir(parents=True, exist_ok=True)
    inhoud = {"index": META} | {
        name: sorted(documenten[name], key=lambda o: o["id"]) for name in BESTANDEN
    }
    for name, data in inhoud.items():
        (map_ / f"{name}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
