"""Mutation tests for `stelsel import csv`: every malformed file is refused cleanly.

    STELSEL_FUZZ_RAPPORT=/tmp/fuzz.jsonl .venv/bin/pytest -q tests/register/test_import_fuzz.py
writes one line per mutant and backend (refused, accepted or crash) for a summary.

Each mutant is the small register (tests/data/register-klein) with ids and names made new, so
the unmutated variant imports into a database that already holds the small register, plus one
defect. For every mutant and on both backends the import must: exit non-zero, name file, line,
field and reason (never a traceback), leave the database exactly as it was, and say the very
same thing on SQLite and PostgreSQL. One database per backend is reused for all mutants.
"""

import csv
import io
import json
import os
import random
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.register import csvformaat, service
from stelsel.register import taxonomie as tx
from stelsel.register.models import Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied

REPO = Path(__file__).resolve().parents[2]
KLEIN = REPO / "tests" / "data" / "register-klein"
A, D = csvformaat.AANBIEDERS_CSV, csvformaat.DIENSTEN_CSV
PROBLEEM = re.compile(r"^(aanbieders|diensten)\.csv:\d+: [^:\s]+: \S.*$", re.MULTILINE)

Rows = list[dict[str, str]]


def _read(path: Path) -> Rows:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _csv(rows: Rows, kolommen: list[str], eol: str = "\n") -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=kolommen, lineterminator=eol)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def basis() -> tuple[Rows, Rows]:
    """The small register with new ids and names: valid on top of the small register itself.

    Lines: aanbieders 2 (two lines) and 4; diensten 2 (two lines), 4 and 5.
    """
    aanbieders, diensten = _read(KLEIN / A), _read(KLEIN / D)
    for a in aanbieders:
        a["id"], a["naam"] = f"n-{a['id']}", f"{a['naam']} (nieuw)"
    for d in diensten:
        d["id"], d["aanbieder"] = f"n-{d['id']}", f"n-{d['aanbieder']}"
    return aanbieders, diensten


@dataclass
class Mutant:
    naam: str
    bestanden: dict[str, bytes | None]  # None: the file is absent
    verwacht: str  # the start of one problem line: "file:line: field"


MUTANTS: list[Mutant] = []


def mutant(naam: str, verwacht: str):
    """Register a mutation of the rows: fn(aanbieders, diensten) edits them in place."""

    def register(fn: Callable[[Rows, Rows], None]):
        a, d = basis()
        fn(a, d)
        bestanden = {
            A: _csv(a, csvformaat.AANBIEDER_KOLOMMEN),
            D: _csv(d, csvformaat.DIENST_KOLOMMEN),
        }
        MUTANTS.append(Mutant(naam, bestanden, verwacht))
        return fn

    return register


def rauw(naam: str, verwacht: str):
    """Register a mutation of the file bytes: fn(bestanden) returns the new {name: bytes}."""

    def register(fn: Callable[[dict[str, bytes]], dict[str, bytes | None]]):
        a, d = basis()
        bestanden = {
            A: _csv(a, csvformaat.AANBIEDER_KOLOMMEN),
            D: _csv(d, csvformaat.DIENST_KOLOMMEN),
        }
        MUTANTS.append(Mutant(naam, fn(bestanden), verwacht))
        return fn

    return register


def veld(bestand: str, index: int, kolom: str, waarde: str, verwacht: str, naam: str = ""):
    """A mutant that sets one cell."""

    def fn(a: Rows, d: Rows) -> None:
        rows = a if bestand == A else d
        if bestand == A and kolom == "id":  # keep the diensten pointing at it
            for dienst in d:
                if dienst["aanbieder"] == rows[index]["id"]:
                    dienst["aanbieder"] = waarde
        rows[index][kolom] = waarde

    mutant(naam or f"{bestand[:-4]}-{kolom}-{waarde[:20]}", verwacht)(fn)


REGEL_A = [2, 4]
REGEL_D = [2, 4, 5]


def a_veld(index: int, kolom: str, waarde: str, naam: str = "") -> None:
    veld(A, index, kolom, waarde, f"{A}:{REGEL_A[index]}: {kolom}", naam)


def d_veld(index: int, kolom: str, waarde: str, naam: str = "") -> None:
    veld(D, index, kolom, waarde, f"{D}:{REGEL_D[index]}: {kolom}", naam)


# --------------------------------------------------------------------------- field values

# oversized: one character more than the column (or the documented limit) holds
a_veld(1, "id", "a" * 121, "aanbieder-id-121")
a_veld(1, "naam", "N" * 201, "aanbieder-naam-201")
a_veld(1, "korte_naam", "K" * 101, "korte-naam-101")
a_veld(1, "email", "x" * 190 + "@example.org", "email-202")
a_veld(1, "telefoon", "0" * 51, "telefoon-51")
a_veld(1, "website", "https://example.org/" + "p" * 281, "aanbieder-website-301")
a_veld(1, "omschrijving", "o" * 5001, "aanbieder-omschrijving-5001")
a_veld(1, "bron", "b" * 5001, "bron-5001")
d_veld(2, "id", "d" * 161, "dienst-id-161")
d_veld(2, "naam", "N" * 251, "dienst-naam-251")
d_veld(2, "website", "https://example.org/" + "p" * 281, "dienst-website-301")
d_veld(2, "omschrijving", "o" * 100_000, "dienst-omschrijving-100k")
d_veld(2, "trefwoorden", ";".join(["woord"] * 1000), "trefwoorden-6000")
veld(D, 2, "omschrijving", "o" * 200_000, f"{D}:5: -", "veld-boven-csv-limiet")

# unknown codes
a_veld(1, "soort", "geheim")
a_veld(1, "niveau", "overal")
a_veld(1, "soort", "Publiek", "soort-hoofdletter")
d_veld(2, "themas", "onbekend")
d_veld(2, "themas", "financiering;" + "x" * 300, "thema-langer-dan-kolom")
d_veld(2, "themas", "", "themas-leeg")
d_veld(2, "themas", "personeel;personeel", "thema-dubbel")
d_veld(2, "transitiethemas", "ruimtevaart")
d_veld(2, "soort", "cursus")
d_veld(2, "fasen", "later")
d_veld(2, "doelgroepen", "iedereen")
d_veld(2, "kanalen", "post")
d_veld(2, "kosten", "duur")

# dates
a_veld(1, "gecontroleerd_op", "20261123", "datum-zonder-streepjes")
a_veld(1, "gecontroleerd_op", "2026-13-01", "datum-maand-13")
a_veld(1, "gecontroleerd_op", "2026-02-30", "datum-30-februari")
a_veld(1, "gecontroleerd_op", "23-11-2026", "datum-omgekeerd")
a_veld(1, "gecontroleerd_op", "2026-W47-1", "datum-weeknummer")
a_veld(1, "gecontroleerd_op", "2026-11-23T10:00", "datum-met-tijd")
a_veld(1, "gecontroleerd_op", "", "datum-leeg")
d_veld(2, "geldig_van", "+2026-01-01", "datum-met-plus")
d_veld(2, "geldig_tot", "2019-12-31", "geldig-tot-voor-van")

# booleans
a_veld(1, "eerstelijns", "misschien")
a_veld(1, "eerstelijns", "1", "boolean-1")
a_veld(1, "tweedelijns", "", "boolean-leeg")

# references and areas
d_veld(2, "aanbieder", "bestaat-niet")
d_veld(2, "aanbieder", "", "aanbieder-leeg")
d_veld(1, "aanbieder", "zzp-netwerk", "aanbieder-alleen-in-database")
d_veld(2, "werkgebied", "gemeente:GM9999")
d_veld(2, "werkgebied", "provincie:PV99")
d_veld(2, "werkgebied", "corop:CR99")
d_veld(2, "werkgebied", "arbeidsmarktregio:AM99")
d_veld(2, "werkgebied", "gemeente:GM00340", "gemeentecode-te-lang")
d_veld(2, "werkgebied", "wijk:1")
d_veld(2, "werkgebied", "landelijk;gemeente:GM0034", "landelijk-en-gebied")
d_veld(2, "werkgebied", "gemeente:GM0034;gemeente:GM0034", "gebied-dubbel")
d_veld(2, "werkgebied", "", "werkgebied-leeg")

# other formats
a_veld(1, "id", "Zzp Netwerk", "id-met-spatie")
a_veld(1, "id", "zzp-netwérk", "id-met-accent")
a_veld(1, "email", "geen-mail")
a_veld(1, "website", "javascript:alert(1)", "website-javascript")

# duplicates, in the files and against the database
a_veld(1, "id", "n-ondernemershuis-fryslan", "aanbieder-id-dubbel")
a_veld(1, "naam", 'Ondernemershuis "Fryslân", Leeuwarden (nieuw)', "aanbieder-naam-dubbel")
a_veld(1, "naam", 'ONDERNEMERSHUIS "FRYSLÂN", LEEUWARDEN (NIEUW)', "naam-dubbel-hoofdletters")
d_veld(2, "id", "n-zzp-ontbijt", "dienst-id-dubbel")
a_veld(1, "id", "zzp-netwerk", "aanbieder-id-in-database")
a_veld(1, "naam", "Zzp-netwerk", "aanbieder-naam-in-database")
a_veld(1, "naam", "ZZP-NETWERK", "naam-in-database-hoofdletters")
d_veld(2, "id", "zzp-oude-cursus", "dienst-id-in-database")


# --------------------------------------------------------------------------- columns


def _header(bestand: str, oud: str, nieuw: str):
    def fn(b: dict[str, bytes]) -> dict[str, bytes | None]:
        kop, _, rest = b[bestand].partition(b"\n")
        kop = ",".join(nieuw if k == oud else k for k in kop.decode().split(",")).strip(",")
        return {**b, bestand: kop.replace(",,", ",").encode() + b"\n" + rest}

    return fn


rauw("kolom-ontbreekt", f"{A}:1: soort")(_header(A, "soort", ""))
rauw("kolom-hernoemd", f"{D}:1: trefwoorden")(_header(D, "trefwoorden", "woorden"))
rauw("kolom-dubbel", f"{A}:1: naam")(_header(A, "korte_naam", "naam"))


@rauw("kolom-extra", f"{A}:1: extra")
def _(b):
    lines = b[A].decode().split("\n")
    lines[0] += ",extra"
    return {**b, A: "\n".join(lines).encode()}


@rauw("meer-cellen-dan-kolommen", f"{A}:4: -")
def _(b):
    return {**b, A: b[A].rstrip(b"\n") + b",over\n"}


@rauw("minder-cellen-dan-kolommen", f"{A}:4: -")
def _(b):
    return {**b, A: b[A].rstrip(b"\n").rsplit(b",", 3)[0] + b"\n"}


@rauw("lege-regel-van-komma-s", f"{D}:6: id")
def _(b):
    return {**b, D: b[D] + b"," * (len(csvformaat.DIENST_KOLOMMEN) - 1) + b"\n"}


# --------------------------------------------------------------------------- files and bytes

rauw("aanbieders-ontbreekt", f"{A}:0: -")(lambda b: {**b, A: None})
rauw("diensten-ontbreekt", f"{D}:0: -")(lambda b: {**b, D: None})
rauw("aanbieders-leeg", f"{A}:1: -")(lambda b: {**b, A: b""})
rauw("diensten-leeg", f"{D}:1: -")(lambda b: {**b, D: b""})
rauw("alleen-bom", f"{A}:1: -")(lambda b: {**b, A: b"\xef\xbb\xbf"})
rauw("alleen-kopregels", f"{A}:1: -")(
    lambda b: {n: v.split(b"\n", 1)[0] + b"\n" for n, v in b.items()}
)
rauw("latin-1", f"{A}:2: -")(lambda b: {**b, A: b[A].decode().encode("latin-1", "replace")})
rauw("cp1252-diensten", f"{D}:5: -")(
    lambda b: {**b, D: b[D].decode().replace("Oude", "Oudé").encode("cp1252")}
)
rauw("utf-16-le", f"{A}:1: -")(lambda b: {**b, A: b[A].decode().encode("utf-16")})
rauw("utf-16-be", f"{D}:1: -")(lambda b: {**b, D: b"\xfe\xff" + b[D].decode().encode("utf-16-be")})
rauw("ongeldige-byte", f"{D}:5: -")(lambda b: {**b, D: b[D].replace(b"Oude", b"O\xffde")})
rauw("surrogaat", f"{D}:4: -")(lambda b: {**b, D: b[D].replace(b"ontbijt,", b"ont\xed\xa0\x80,")})
rauw("overlong-utf-8", f"{A}:4: -")(lambda b: {**b, A: b[A].replace(b"Een netwerk", b"\xc0\xafE")})
rauw("nul-byte", f"{A}:4: naam")(lambda b: {**b, A: b[A].replace(b"Zzp-netwerk (", b"Zzp\0 (")})
rauw("nul-byte-in-kop", f"{D}:1: -")(lambda b: {**b, D: b[D].replace(b"kosten", b"kos\0ten", 1)})
rauw("nul-byte-omschrijving", f"{D}:4: omschrijving")(
    lambda b: {**b, D: b[D].replace(b"samen", b"sa\0men")}
)
rauw("willekeurige-bytes", f"{A}:1: -")(
    lambda b: {**b, A: bytes(random.Random(9).randrange(256) for _ in range(4000))}
)
rauw("gzip", f"{D}:1: -")(lambda b: {**b, D: b"\x1f\x8b\x08\x00" + bytes(range(256))})
rauw("losse-aanhalingstekens", f"{A}:4: -")(lambda b: {**b, A: b[A].replace(b"n-zzp", b'"n-zzp')})
rauw("zeer-lange-regel", f"{D}:5: -")(lambda b: {**b, D: b[D].rstrip(b"\n") + b"," * 50_000})
rauw("crlf-met-fout", f"{A}:4: gecontroleerd_op")(
    lambda b: {
        **b,
        A: b[A].replace(b"2025-12-01", b"2025-12-32").replace(b"\n", b"\r\n"),
        D: b[D].replace(b"\n", b"\r\n"),
    }
)
rauw("alleen-cr-met-fout", f"{A}:4: gecontroleerd_op")(
    lambda b: {
        **b,
        A: b[A].replace(b"2025-12-01", b"2025-12-32").replace(b"\n", b"\r"),
        D: b[D].replace(b"\n", b"\r"),
    }
)


# --------------------------------------------------------------------------- the databases


def _tabellen(session: Session) -> tuple:
    """The register's whole content, for comparing before and after."""
    return (
        sorted(tuple(r) for r in session.execute(select(Aanbieder.slug, Aanbieder.naam))),
        sorted(tuple(r) for r in session.execute(select(Dienst.slug, Dienst.naam))),
        sorted(
            (str(r[0]), r[1], r[2])
            for r in session.execute(
                select(DienstKenmerk.dienst_id, DienstKenmerk.soort, DienstKenmerk.code)
            )
        ),
        sorted(
            (str(r[0]), r[1], r[2])
            for r in session.execute(
                select(DienstWerkgebied.dienst_id, DienstWerkgebied.soort, DienstWerkgebied.code)
            )
        ),
    )


@pytest.fixture(scope="module")
def fuzz_dbs(tmp_path_factory, pg_admin_url) -> Iterator[dict[str, str]]:
    """One database per backend, with geography and the small register, for all mutants."""
    naam = f"stelsel_fuzz_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{naam}"'))
    urls = {
        "sqlite": f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}",
        "postgresql": pg_admin_url.rsplit("/", 1)[0] + f"/{naam}",
    }
    for url in urls.values():
        engine = make_engine(url)
        prepare(engine, with_register=False, data_dir=REPO / "data")
        with session_scope(engine) as s:
            service.load(session=s, register=service.read_csv(session=s, map_=KLEIN))
        engine.dispose()
    yield urls
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
    admin.dispose()


def _inhoud(url: str) -> tuple:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            return _tabellen(s)
    finally:
        engine.dispose()


def _herstel(url: str, voor: tuple) -> None:
    """Remove what an accepted mutant added."""
    aanbieders, diensten = {r[0] for r in voor[0]}, {r[0] for r in voor[1]}
    engine = make_engine(url)
    try:
        with session_scope(engine) as s:
            for d in s.scalars(select(Dienst).where(Dienst.slug.not_in(diensten))):
                s.delete(d)
            s.flush()
            for a in s.scalars(select(Aanbieder).where(Aanbieder.slug.not_in(aanbieders))):
                s.delete(a)
    finally:
        engine.dispose()


def _schrijf(map_: Path, bestanden: dict[str, bytes | None]) -> None:
    map_.mkdir()
    for naam, inhoud in bestanden.items():
        if inhoud is not None:
            (map_ / naam).write_bytes(inhoud)


def test_the_unmutated_variant_imports(fuzz_dbs, tmp_path):
    """Each mutant fails through its own defect: without it, the files are valid."""
    a, d = basis()
    _schrijf(
        tmp_path / "basis",
        {A: _csv(a, csvformaat.AANBIEDER_KOLOMMEN), D: _csv(d, csvformaat.DIENST_KOLOMMEN)},
    )
    for url in fuzz_dbs.values():
        engine = make_engine(url)
        with Session(engine) as s:
            register = service.read_csv(session=s, map_=tmp_path / "basis")
            assert service.load(session=s, register=register) == (2, 3)
            s.rollback()
        engine.dispose()


def test_there_are_enough_mutants():
    assert len(MUTANTS) >= 60
    assert len({m.naam for m in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("m", MUTANTS, ids=[m.naam for m in MUTANTS])
def test_malformed_file_is_refused_cleanly_and_alike_on_both_backends(
    m: Mutant, fuzz_dbs, stelsel, tmp_path
):
    _schrijf(tmp_path / "in", m.bestanden)
    runs = {}
    for backend, url in fuzz_dbs.items():
        voor = _inhoud(url)
        r = stelsel(url, "import", "csv", str(tmp_path / "in"))
        na = _inhoud(url)
        if na != voor:
            _herstel(url, voor)  # keep the next mutants independent of this one
        runs[backend] = (r, na == voor)
        _rapport(m, backend, r)
    for backend, (r, ongewijzigd) in runs.items():
        crash = r.exception is not None and not isinstance(r.exception, SystemExit)
        assert not crash, f"{backend}: {type(r.exception).__name__}: {r.exception}"
        assert "Traceback" not in r.output, backend
        assert r.exit_code != 0, f"{backend}: accepted\n{r.output}"
        assert ongewijzigd, f"{backend}: the database changed"
        assert PROBLEEM.search(r.stderr), f"{backend}: no 'file:line: field: reason'\n{r.stderr}"
        assert m.verwacht + ": " in r.stderr, f"{backend}: expected {m.verwacht}\n{r.stderr}"
        assert "Niets geïmporteerd" in r.stderr, backend
    sqlite, postgresql = ((r.exit_code, r.stdout, r.stderr) for r, _ in runs.values())
    assert sqlite == postgresql


def _rapport(m: Mutant, backend: str, r) -> None:
    if not (rapport := os.environ.get("STELSEL_FUZZ_RAPPORT")):
        return
    crash = r.exception is not None and not isinstance(r.exception, SystemExit)
    verdict = "crash" if crash else "aanvaard" if r.exit_code == 0 else "geweigerd"
    uit = f"{type(r.exception).__name__}: {r.exception}" if crash else r.output
    with open(rapport, "a", encoding="utf-8") as f:
        regel = {"mutant": m.naam, "backend": backend, "verdict": verdict, "uit": uit}
        f.write(json.dumps(regel, ensure_ascii=False) + "\n")


def test_length_limits_fit_the_database_columns():
    """The validator refuses anything longer than its column, before the database sees it."""
    tabellen = {A: Aanbieder.__table__, D: Dienst.__table__}
    kolommen = {A: csvformaat.AANBIEDER_KOLOMMEN, D: csvformaat.DIENST_KOLOMMEN}
    for bestand, tabel in tabellen.items():
        for veld_ in kolommen[bestand]:
            kolom = {"id": "slug", "aanbieder": "aanbieder_id"}.get(veld_, veld_)
            if kolom == "aanbieder_id":
                lengte = Aanbieder.__table__.c.slug.type.length
            elif kolom in tabel.c:
                lengte = getattr(tabel.c[kolom].type, "length", None)
            else:
                continue  # stored elsewhere: labels (vocabulary codes) and werkgebied (geo codes)
            grens = csvformaat.MAX_LENGTE[bestand].get(veld_, csvformaat.STANDAARD_MAX)
            if (bestand, veld_) in KEUZES:  # a code from a vocabulary
                grens = max(len(c) for c in tx.codes(KEUZES[bestand, veld_]))
            assert lengte is None or grens <= lengte, (bestand, veld_, grens, lengte)
    for vocab in csvformaat.LIJST_VOCABULAIRES.values():
        assert max(len(c) for c in tx.codes(vocab)) <= DienstKenmerk.__table__.c.code.type.length


KEUZES = {
    (A, "soort"): tx.AANBIEDER_SOORTEN,
    (A, "niveau"): tx.NIVEAUS,
    (D, "soort"): tx.DIENST_SOORTEN,
    (D, "kosten"): tx.KOSTEN,
}


def test_a_utf8_bom_as_spreadsheets_write_it_is_accepted(tmp_path):
    a, d = basis()
    _schrijf(
        tmp_path / "bom",
        {
            A: b"\xef\xbb\xbf" + _csv(a, csvformaat.AANBIEDER_KOLOMMEN),
            D: b"\xef\xbb\xbf" + _csv(d, csvformaat.DIENST_KOLOMMEN, eol="\r\n"),
        },
    )
    register = csvformaat.read_dir(
        tmp_path / "bom",
        {
            "gemeente": {"GM0034", "GM0014", "GM0080"},
            "provincie": {"PV21"},
            "arbeidsmarktregio": {"AM02"},
            "corop": {"CR04"},
        },
    )
    assert [x.id for x in register.diensten] == [x["id"] for x in d]
