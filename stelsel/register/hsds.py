"""The register as Open Referral HSDS 3.0 (organizations, services, service areas, taxonomies).

Pure: register records in, JSON-ready dicts out. Ids are the register's stable UUIDs; derived
objects (service areas, attributes, taxonomy terms) get uuid5 ids, so re-exports are identical.
"""

import json
import uuid
from datetime import date
from pathlib import Path

from stelsel.register import taxonomie as tx
from stelsel.register.csvformaat import Register
from stelsel.register.models import ID_NAMESPACE, slug_uuid

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
BESTANDEN = ("organizations", "services", "taxonomies", "taxonomy_terms")
# What an HSDS 3.0 API answers at its root ("/"); written as index.json beside the lists.
META = {
    "version": "3.0",
    "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
}


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "hsds:" + ":".join(parts)))


def _taxonomy_id(name: str) -> str:
    return _uuid("taxonomy", name)


def _term_id(taxonomy: str, code: str) -> str:
    return _uuid("term", taxonomy, code)


def taxonomies() -> tuple[list[dict], list[dict]]:
    """HSDS taxonomy and taxonomy_term objects for our vocabularies."""
    tax, terms = [], []
    for name, description, vocab in [*TAXONOMIEEN.values(), *ORGANISATIE_TAXONOMIEEN.values()]:
        tax.append(
            {"id": _taxonomy_id(name), "name": name, "description": description, "version": "1"}
        )
        for t in vocab:
            terms.append(
                {
                    "id": _term_id(name, t.code),
                    "code": t.code,
                    "name": t.naam,
                    "description": t.omschrijving or t.naam,
                    "taxonomy": name,
                    "taxonomy_id": _taxonomy_id(name),
                    "language": "nl",
                }
            )
    return tax, terms


def convert(
    register: Register,
    gebiedsnamen: dict[tuple[str, str], str],
    gewijzigd: dict[str, str] | None = None,
    peildatum: date | None = None,
) -> dict[str, list[dict]]:
    """The whole register as HSDS objects, one list per file."""
    gewijzigd = gewijzigd or {}
    peildatum = peildatum or date.today()
    organisaties = []
    for a in register.aanbieders:
        oid = str(slug_uuid("aanbieder", a.id))
        org = {
            "id": oid,
            "name": a.naam,
            "description": a.omschrijving,
            "attributes": _attributes(oid, "organization", a, ORGANISATIE_TAXONOMIEEN),
        }
        if a.korte_naam and a.korte_naam != a.naam:
            org["alternate_name"] = a.korte_naam
        if a.website:
            org["website"] = a.website
        if a.email:
            org["email"] = a.email
        if a.telefoon:
            org["phones"] = [{"id": _uuid("phone", a.id), "number": a.telefoon}]
        organisaties.append(org)

    services = []
    for d in register.diensten:
        sid = str(slug_uuid("dienst", d.id))
        actief = (d.geldig_van is None or d.geldig_van <= peildatum) and (
            d.geldig_tot is None or d.geldig_tot >= peildatum
        )
        service = {
            "id": sid,
            "organization_id": str(slug_uuid("aanbieder", d.aanbieder)),
            "name": d.naam,
            "description": d.omschrijving,
            "status": "active" if actief else "inactive",
            "fees_description": tx.label(tx.KOSTEN, d.kosten),
            "service_areas": _service_areas(sid, d.werkgebied, gebiedsnamen),
            "attributes": _attributes(sid, "service", d, TAXONOMIEEN),
        }
        if d.website:
            service["url"] = d.website
        if d.id in gewijzigd:
            service["last_modified"] = gewijzigd[d.id]
        services.append(service)
    tax, terms = taxonomies()
    return {
        "organizations": organisaties,
        "services": services,
        "taxonomies": tax,
        "taxonomy_terms": terms,
    }


def _service_areas(sid: str, werkgebied, gebiedsnamen) -> list[dict]:
    if not werkgebied:
        return [
            {
                "id": _uuid("area", sid, "landelijk"),
                "service_id": sid,
                "name": "Nederland",
                "description": "Landelijk",
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


def _attributes(link_id: str, entity: str, record, taxonomieen) -> list[dict]:
    result = []
    for attr, (taxonomy, _, vocab) in taxonomieen.items():
        value = getattr(record, attr)
        for code in [value] if isinstance(value, str) else value:
            term = _term_id(taxonomy, code)
            result.append(
                {
                    "id": _uuid("attribute", link_id, taxonomy, code),
                    "link_id": link_id,
                    "link_type": taxonomy,
                    "link_entity": entity,
                    "taxonomy_term_id": term,
                    "taxonomy_term": {
                        "id": term,
                        "code": code,
                        "name": tx.label(vocab, code),
                        "description": tx.label(vocab, code),
                        "taxonomy_id": _taxonomy_id(taxonomy),
                    },
                }
            )
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
