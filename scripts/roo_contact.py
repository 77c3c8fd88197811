"""Contact data for the bundled register from the Register van Overheidsorganisaties (ROO).

    .venv/bin/python scripts/roo_contact.py              # ../shared/data/roo -> data/bron/
                                                         # contact.csv, then data/register/
    .venv/bin/python scripts/roo_contact.py --roo DIR    # the ROO extract elsewhere
    .venv/bin/python scripts/roo_contact.py --geen-bouw  # only write data/bron/contact.csv

Reads the ROO extract (see its SOURCES.md; CC0): `gemeenten_contact_roo_2026-05.csv` for the 342
gemeenten and `landelijk/*.yaml` for the national bodies and ROMs, and writes one row per
aanbieder with a website, a general e-mail address and a phone number (`id,website,email,
telefoon,bron`). scripts/bouw_register.py fills the empty fields of those aanbieders from it and
never replaces a value the curated rows already have. Re-running gives the same file.

Only certain matches and only general desk addresses:
- a gemeente by `register_aanbieder_id`, checked against its gemeentecode and CBS name;
- a national body or ROM by the table LANDELIJK below (name and website checked by hand), and
  the ROO website, where it has one, must be the register's own;
- e-mail: a gemeente's `email_algemeen`, else its `email` when that is not the omgevingsloket
  address; a national body's addresses labelled `algemeen`. Never a Woo (information request),
  omgevingsloket, vergunningen, complaints or council (griffie) address: a referral sent there
  would land at the wrong desk;
- phone: the one labelled `zakelijk`, else `algemeen`, as ROO writes it.

Needs the ROO extract (../shared, not in CI) and PyYAML (installed with the test extras); the
tests need neither: data/bron/contact.csv is committed.
"""

import argparse
import csv
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bouw_register  # noqa: E402

from stelsel.register import csvformaat  # noqa: E402

ROO = bouw_register.BRON / "roo"  # a copy of the project's shared/data/roo (CC0), see SOURCES.md
GEMEENTEN_ROO = "gemeenten_contact_roo_2026-05.csv"
UIT = bouw_register.BRON / bouw_register.CONTACT_CSV
REGISTER = bouw_register.UIT / csvformaat.AANBIEDERS_CSV
REGELINGEN_UIT = bouw_register.BRON / bouw_register.REGELINGEN_CSV
GEO = bouw_register.GEMEENTEN
BRON = "contact: ROO 2026-05"
KVK = re.compile(r"^[0-9]{7,8}$")

# Shared bodies (gemeenschappelijke regelingen) that run the Bbz, or the werkgeversservicepunt,
# for a group of gemeenten: ROO file -> (register id, name an entrepreneur knows, short name,
# task). The gemeenten are the ROO record's deelnemende_organisaties, unless given here (a record
# without them). `contact` names the ROO file with the body's own contact data, when another.
REGELINGEN = {
    "bedrijfsvoeringsorganisatie-participatiebedrijf-kempenplus-30176589.yaml": (
        "kempenplus", "Participatiebedrijf KempenPlus", "KempenPlus", "bbz"),
    "gemeenschappelijke-regeling-meerinzicht.yaml": (
        "meerinzicht", "Meerinzicht", "Meerinzicht", "bbz"),
    "gemeenschappelijke-regeling-samenwerking-sociale-zaken-2016-29482012.yaml": (
        "sociale-zaken-bloemendaal-heemstede",
        "Samenwerking Sociale Zaken Bloemendaal en Heemstede", "", "bbz"),
    "gemeenschappelijke-regeling-van-isd-bol-30469577.yaml": (
        "isd-bol", "ISD BOL", "ISD BOL", "bbz"),
    "gemeenschappelijke-regeling-werk-en-inkomen-lekstroom-29515976.yaml": (
        "werk-en-inkomen-lekstroom", "Werk en Inkomen Lekstroom", "WIL", "bbz"),
    "gemeenschappelijke-regeling-werksaam-westfriesland-29619579.yaml": (
        "werksaam-westfriesland", "WerkSaam Westfriesland", "WerkSaam", "bbz"),
    "gemeenschappelijke-regeling-werkgeversservicepunt-parkstad-wsp-parkstad-29470760.yaml": (
        "wsp-parkstad", "Werkgeversservicepunt Parkstad", "WSP Parkstad", "wsp"),
}  # fmt: skip
REGELING_CONTACT = {"wsp-parkstad": "wsp.yaml"}
REGELING_KOLOMMEN = bouw_register.REGELING_KOLOMMEN

# ROO file -> register aanbieder id. Matched by hand on name and website; an organisation whose
# ROO record has ended (valid_until in the past) is skipped.
LANDELIJK = {
    "kvk.yaml": "kvk",
    "uwv.yaml": "uwv",
    "rvo.yaml": "rvo",
    "sbb.yaml": "sbb",  # the record also carries Staatsbosbeheer's name; its contact is s-bb.nl
    "belastingdienst.yaml": "belastingdienst",
    "invest-nl.yaml": "invest-nl",
    "brabantse-ontwikkelings-maatschappij-holding-bv.yaml": "bom",
    "nv-economische-impuls-zeeland.yaml": "impuls-zeeland",
    "ontwikkelingsmaatschappij-flevoland-bv.yaml": "horizon-flevoland",
    # ended 2020-06-19; ROM Utrecht Region is its successor, a different legal entity
    "nv-ontwikkelingsmaatschappij-utrecht.yaml": "rom-utrecht-region",
}

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
# not a desk for an entrepreneur's question
GEEN_LOKET = re.compile(
    r"(^|[^a-z])(woo|wob)([^a-z]|$)|transparant|openoverheid|omgevings|vergunning|schade|griffie",
    re.IGNORECASE,
)


class Fout(Exception):
    pass


def _lees_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _loket_email(adres: str) -> bool:
    return bool(EMAIL.match(adres)) and not GEEN_LOKET.search(adres)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def gemeenten(roo: Path, register: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    geo = {g["gemeentecode"]: g["gemeentenaam"] for g in _lees_csv(GEO)}
    rijen = []
    for r in _lees_csv(roo / GEMEENTEN_ROO):
        id_, code, naam = r["register_aanbieder_id"], r["gemeentecode"], r["cbs_naam"]
        aanbieder = register.get(id_)
        if (
            aanbieder is None
            or geo.get(code) != naam
            or aanbieder["naam"] not in (f"Gemeente {naam}", r["roo_naam"])
        ):
            raise Fout(f"{GEMEENTEN_ROO}: {code} {naam}: past niet bij aanbieder '{id_}'")
        email = r["email_algemeen"]
        if not email and r["email"] != r["email_omgevingsloket"]:
            email = r["email"]
        rijen.append(
            {
                "id": id_,
                "website": r["website"],
                "email": email if _loket_email(email) else "",
                "telefoon": r["telefoon"],
                "kvk_nummer": _kvk(r["kvk"]),
                "bezoekadres": r["bezoekadres"],
                "postadres": r["postadres"],
                # the official name (ROO), where the CBS name carries a province suffix or
                # the old name ('s-Gravenhage -> Den Haag, Hengelo (O.) -> Hengelo)
                "naam": r["roo_naam"] if r["roo_naam"] != f"Gemeente {naam}" else "",
                "korte_naam": r["roo_naam"].removeprefix("Gemeente ")
                if r["roo_naam"] != f"Gemeente {naam}"
                else "",
                "bron": f"{BRON} ({r['roo_url']}, geverifieerd {r['last_verified']})",
            }
        )
    return rijen


def _kvk(waarde: object) -> str:
    """A KVK-nummer as 8 digits (YAML reads 09215631 as a number and drops the 0)."""
    tekst = str(waarde or "").strip()
    return tekst.zfill(8) if KVK.match(tekst) else ""


def _roo_url(org: dict) -> str:
    return next((s["url"] for s in org.get("sources") or [] if s.get("id") == "roo"), "")


def _label(items: list[dict] | None, sleutel: str, *labels: str) -> str:
    """The first value whose label is one of labels, in the order of labels."""
    for label in labels:
        for item in items or []:
            if str(item.get("label", "")).lower() == label and item.get(sleutel):
                return str(item[sleutel]).strip()
    return ""


def landelijk(roo: Path, register: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    try:
        import yaml
    except ImportError:
        raise Fout("PyYAML ontbreekt: pip install -e '.[test]'") from None
    rijen = []
    for bestand, id_ in sorted(LANDELIJK.items(), key=lambda x: x[1]):
        org = yaml.safe_load((roo / "landelijk" / bestand).read_text(encoding="utf-8"))
        tot = org.get("valid_until")
        if tot and date.fromisoformat(str(tot)) < date.today():
            continue
        aanbieder = register.get(id_)
        if aanbieder is None:
            raise Fout(f"landelijk/{bestand}: aanbieder '{id_}' staat niet in het register")
        contact = org.get("contact") or {}
        website = str(contact.get("website") or "").strip()
        if website and aanbieder["website"] and _host(website) != _host(aanbieder["website"]):
            raise Fout(f"landelijk/{bestand}: {website} is niet {aanbieder['website']} ({id_})")
        email = _label(contact.get("emails"), "email", "algemeen")
        rij = {
            "id": id_,
            "naam": "",
            "korte_naam": "",
            "website": website,
            "email": email if _loket_email(email) else "",
            "telefoon": _label(contact.get("phones"), "nummer", "zakelijk", "algemeen"),
            "kvk_nummer": _kvk((org.get("identifiers") or {}).get("kvk")),
            "bezoekadres": str(contact.get("bezoekadres") or "").strip(),
            "postadres": str(contact.get("postadres") or "").strip(),
            "bron": f"{BRON} ({_roo_url(org)}, geverifieerd {org.get('last_verified')})",
        }
        if any(rij[k] for k in bouw_register.CONTACT_VELDEN):
            rijen.append(rij)
    return rijen


def regelingen(roo: Path) -> list[dict[str, str]]:
    """The shared bodies of REGELINGEN with their gemeenten (CBS codes) and contact data."""
    import yaml

    rijen = []
    for bestand, (id_, naam, kort, taak) in sorted(REGELINGEN.items(), key=lambda x: x[1][0]):
        org = yaml.safe_load((roo / "gemeenschappelijke-regelingen" / bestand).read_text("utf-8"))
        if org.get("valid_until"):
            raise Fout(f"gemeenschappelijke-regelingen/{bestand}: beëindigd")
        deelnemers = (org.get("gr_meta") or {}).get("deelnemende_organisaties") or []
        codes = sorted(
            d["tooi"].rsplit("/", 1)[1].upper()
            for d in deelnemers
            if "/tooi/id/gemeente/" in (d.get("tooi") or "")
        )
        if not codes:
            raise Fout(f"gemeenschappelijke-regelingen/{bestand}: geen deelnemende gemeenten")
        bron_org = org
        if id_ in REGELING_CONTACT:
            pad = roo / "gemeenschappelijke-regelingen" / REGELING_CONTACT[id_]
            bron_org = yaml.safe_load(pad.read_text("utf-8"))
        contact = bron_org.get("contact") or {}
        email = str(contact.get("email") or "").strip()
        website = str(contact.get("website") or "").strip()
        if website and not website.startswith("http"):
            website = "https://" + website
        rijen.append(
            {
                "id": id_,
                "naam": naam,
                "korte_naam": kort,
                "taak": taak,
                "gemeenten": ";".join(codes),
                "website": website,
                "email": email if _loket_email(email) else "",
                "telefoon": _label(contact.get("phones"), "nummer", "zakelijk", "algemeen"),
                "kvk_nummer": _kvk((bron_org.get("identifiers") or {}).get("kvk")),
                "bezoekadres": str(contact.get("bezoekadres") or "").strip(),
                "postadres": str(contact.get("postadres") or "").strip(),
                "bron": (
                    f"ROO 2026-05, gemeenschappelijke regeling ({_roo_url(org)}, geverifieerd "
                    f"{org.get('last_verified')})"
                    + (
                        f"; contact: ROO ({_roo_url(bron_org)}, geverifieerd "
                        f"{bron_org.get('last_verified')})"
                        if bron_org is not org
                        else ""
                    )
                ),
            }
        )
    return rijen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--roo", type=Path, default=ROO, help="map met het ROO-uittreksel")
    p.add_argument("--uit", type=Path, default=UIT, help="het contactbestand")
    p.add_argument("--geen-bouw", action="store_true", help="data/register/ niet opnieuw bouwen")
    args = p.parse_args(argv)
    if not (args.roo / GEMEENTEN_ROO).is_file():
        print(f"{args.roo / GEMEENTEN_ROO}: niet gevonden (zie --roo)", file=sys.stderr)
        return 1
    register = {a["id"]: a for a in _lees_csv(REGISTER)}
    try:
        rijen = gemeenten(args.roo, register) + landelijk(args.roo, register)
        regeling_rijen = regelingen(args.roo)
    except Fout as e:
        print(e, file=sys.stderr)
        return 1
    rijen.sort(key=lambda r: r["id"])
    csvformaat.write_rows(args.uit, bouw_register.CONTACT_KOLOMMEN, rijen)
    csvformaat.write_rows(REGELINGEN_UIT, REGELING_KOLOMMEN, regeling_rijen)
    telling = ", ".join(
        f"{sum(1 for r in rijen if r[k])} {k}" for k in bouw_register.CONTACT_VELDEN
    )
    print(f"{len(rijen)} aanbieders ({telling}) naar {bouw_register._toon(args.uit)}")
    return 0 if args.geen_bouw else bouw_register.main([])


if __name__ == "__main__":
    sys.exit(main())
