"""Backup and restore (docs/beheer.md): `stelsel backup` and `stelsel restore` on SQLite, and the
documented pg_dump/pg_restore commands on PostgreSQL. Every check compares every table row by
row."""

import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, select, text
from typer.testing import CliRunner

from stelsel import backup
from stelsel.accounts import service as accounts
from stelsel.accounts.rollen import Actor
from stelsel.bootstrap import prepare
from stelsel.cli import app
from stelsel.config import PACKAGE_DIR, REPO_DIR, get_settings
from stelsel.db import Base, get_engine, make_engine, session_scope
from stelsel.domains import import_all_models
from stelsel.doorverwijzing import service as doorverwijzing
from stelsel.schema import alembic_config, migrate
from tests.conftest import DatabaseFactory

DATA = REPO_DIR / "data"
HEADS = ",".join(sorted(ScriptDirectory(str(PACKAGE_DIR / "migrations")).get_heads()))


def _hulpvraag(naam: str) -> doorverwijzing.NieuweHulpvraag:
    return doorverwijzing.NieuweHulpvraag(
        naam=naam,
        email=f"{uuid.uuid4().hex[:8]}@example.nl",
        vraag="Financiering voor een nieuwe machine",
        gemeente="Leeuwarden",
        delen_met_ontvanger=True,
        tekst_versie="2026-11-v1",
        themas=[],
    )


def _vul(engine: Engine) -> Actor:
    """Users, hulpvragen and referrals on top of the bundled register; returns an adviser."""
    with session_scope(engine) as s:
        kvk = accounts.create(session=s, email="a@kvk.example.nl", rol="adviseur", aanbieder="kvk")
        accounts.create(
            session=s, email="b@qredits.example.nl", rol="adviseur", aanbieder="qredits"
        )
        accounts.create(session=s, email="s@ezk.example.nl", rol="stelselregisseur")
        accounts.create_token(session=s, gebruiker=kvk)
        adviseur = accounts.actor(kvk)
        for i in range(5):
            h, _ = doorverwijzing.create_hulpvraag(
                session=s, actor=adviseur, data=_hulpvraag(f"Ondernemer {i}")
            )
            doorverwijzing.create_doorverwijzing(
                session=s, actor=adviseur, hulpvraag_id=h.id, naar_aanbieder="qredits"
            )
    return adviseur


def _rijen(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key."""
    import_all_models()
    uit = {}
    with engine.connect() as conn:
        for tabel in Base.metadata.sorted_tables:
            volgorde = list(tabel.primary_key.columns) or list(tabel.columns)
            uit[tabel.name] = [tuple(r) for r in conn.execute(select(tabel).order_by(*volgorde))]
    return uit


def _url(pad: Path) -> str:
    return f"sqlite:///{pad}"


@pytest.fixture(scope="module")
def bron_en_adviseur(tmp_path_factory) -> tuple[Path, Actor]:
    """A SQLite database with the bundled register, users, hulpvragen and referrals."""
    pad = tmp_path_factory.mktemp("bron") / "stelsel.db"
    engine = make_engine(_url(pad))
    prepare(engine, data_dir=DATA)
    adviseur = _vul(engine)
    engine.dispose()
    return pad, adviseur


@pytest.fixture
def bron(bron_en_adviseur) -> Path:
    return bron_en_adviseur[0]


@pytest.fixture
def stelsel(monkeypatch):
    """Run `stelsel …` against the database at a URL."""

    def run(url: str, *args: str):
        monkeypatch.setenv("STELSEL_DATABASE_URL", url)
        get_settings.cache_clear()
        get_engine.cache_clear()
        try:
            return CliRunner().invoke(app, list(args))
        finally:
            get_engine.cache_clear()
            get_settings.cache_clear()

    return run


# --- the finding -------------------------------------------------------------------------------


def test_a_plain_copy_of_a_wal_database_in_use_has_no_tables(tmp_path):
    """Why the command exists: in WAL mode the newest writes (here: the whole schema) sit in the
    -wal file until a checkpoint, so copying the database file alone loses them."""
    pad = tmp_path / "stelsel.db"
    engine = make_engine(_url(pad))
    migrate(engine)
    with engine.connect() as open_connectie:  # the server holds its connections open
        open_connectie.execute(text("SELECT 1"))
        assert Path(f"{pad}-wal").stat().st_size > 0
        shutil.copyfile(pad, tmp_path / "kopie.db")
        backup.backup(_url(pad), tmp_path / "backup.db")
    engine.dispose()

    def tabellen(p: Path) -> set[str]:
        with sqlite3.connect(p) as c:
            return {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    assert tabellen(tmp_path / "kopie.db") == set()
    import_all_models()
    assert tabellen(tmp_path / "backup.db") == {"alembic_version"} | set(Base.metadata.tables)


# --- backup and restore on SQLite --------------------------------------------------------------


def test_backup_under_concurrent_writes_restores_every_table(bron_en_adviseur, tmp_path, stelsel):
    """A backup taken while another thread keeps writing hulpvragen restores into an empty
    database with every table equal to the source, apart from the hulpvragen written after the
    snapshot; those that are in it are complete (hulpvraag, consent and audit line together)."""
    bron, adviseur = bron_en_adviseur
    werk = tmp_path / "stelsel.db"
    shutil.copyfile(bron, werk)  # a closed database: nothing in a -wal file
    engine = make_engine(_url(werk))
    stop, geschreven, fouten = threading.Event(), [], []

    def schrijver() -> None:
        try:
            while not stop.is_set():
                with session_scope(engine) as s:
                    h, _ = doorverwijzing.create_hulpvraag(
                        session=s, actor=adviseur, data=_hulpvraag("Tijdens back-up")
                    )
                geschreven.append(h.id)
        except Exception as e:  # pragma: no cover - reported below
            fouten.append(e)

    t = threading.Thread(target=schrijver)
    t.start()
    while len(geschreven) < 20:
        time.sleep(0.01)
    voor = len(geschreven)
    r = stelsel(_url(werk), "backup", "--uit", str(tmp_path / "backup.db"))
    tijdens = len(geschreven) - voor
    time.sleep(0.2)
    stop.set()
    t.join()
    assert not fouten, fouten
    assert r.exit_code == 0, r.output
    assert "Back-up gemaakt" in r.output
    assert tijdens > 0, "the writer did not write during the backup"

    doel = tmp_path / "hersteld" / "stelsel.db"
    doel.parent.mkdir()
    r = stelsel(_url(doel), "restore", str(tmp_path / "backup.db"))
    assert r.exit_code == 0, r.output
    assert "Hersteld" in r.output

    hersteld_engine = make_engine(_url(doel))
    bron_rijen, hersteld = _rijen(engine), _rijen(hersteld_engine)
    engine.dispose()
    hersteld_engine.dispose()
    assert bron_rijen.keys() == hersteld.keys()
    in_backup = {
        uuid.UUID(str(r[0])) if not isinstance(r[0], uuid.UUID) else r[0]
        for r in hersteld["hulpvraag"]
    }
    # at least the hulpvragen committed before the backup began, not all of the later ones
    assert set(geschreven[:voor]) <= in_backup
    assert not set(geschreven) <= in_backup
    geraakt = {"hulpvraag", "toestemming", "audit_regel"}
    for naam, rijen in bron_rijen.items():
        if naam in geraakt:
            assert set(hersteld[naam]) <= set(rijen), naam
        else:
            assert hersteld[naam] == rijen, naam
    # every hulpvraag in the backup has its consent and audit line: one transaction, one snapshot
    assert len(hersteld["toestemming"]) == len(hersteld["hulpvraag"])
    with sqlite3.connect(doel) as c:
        regels = c.execute(
            "SELECT count(*) FROM audit_regel"
            " WHERE actie = 'aanmaken' AND object_type = 'hulpvraag'"
        ).fetchone()[0]
    assert regels == len(hersteld["hulpvraag"])
    assert sum(len(v) for v in hersteld.values()) > 1000


def test_a_quiet_backup_restores_identically(bron, tmp_path, stelsel):
    r = stelsel(_url(bron), "backup", "--uit", str(tmp_path / "b.db"))
    assert r.exit_code == 0, r.output
    r = stelsel(_url(tmp_path / "leeg.db"), "restore", str(tmp_path / "b.db"))
    assert r.exit_code == 0, r.output
    a, b = make_engine(_url(bron)), make_engine(_url(tmp_path / "leeg.db"))
    assert _rijen(a) == _rijen(b)
    a.dispose()
    b.dispose()
    # the backup is one self-contained file, not in WAL mode
    assert not Path(f"{tmp_path / 'b.db'}-wal").exists()
    with open(tmp_path / "b.db", "rb") as f:
        assert f.read(20)[18] == 1  # file format 1: rollback journal


def test_restore_migrates_an_older_backup(tmp_path, stelsel):
    oud = tmp_path / "oud.db"
    engine = make_engine(_url(oud))
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    r = stelsel(_url(tmp_path / "nieuw.db"), "restore", str(oud))
    assert r.exit_code == 0, r.output
    assert f"schemaversie {HEADS}, bijgewerkt van 0001" in r.output
    with sqlite3.connect(tmp_path / "nieuw.db") as c:
        assert [r[0] for r in c.execute("SELECT version_num FROM alembic_version")] == [HEADS]


def test_restore_overwrites_only_when_asked(bron, tmp_path, stelsel):
    doel = tmp_path / "doel.db"
    engine = make_engine(_url(doel))
    prepare(engine, with_register=False, data_dir=DATA)
    engine.dispose()
    stelsel(_url(bron), "backup", "--uit", str(tmp_path / "b.db"))

    r = stelsel(_url(doel), "restore", str(tmp_path / "b.db"))
    assert r.exit_code != 0
    assert "is niet leeg" in r.output and "--overschrijf" in r.output

    # a running server holds the database: refused, whatever the flag says
    bezet = sqlite3.connect(doel)
    bezet.execute("SELECT count(*) FROM gemeente").fetchone()
    try:
        r = stelsel(_url(doel), "restore", "--overschrijf", str(tmp_path / "b.db"))
    finally:
        bezet.close()
    assert r.exit_code != 0
    assert "in gebruik" in r.output

    r = stelsel(_url(doel), "restore", "--overschrijf", str(tmp_path / "b.db"))
    assert r.exit_code == 0, r.output
    a, b = make_engine(_url(bron)), make_engine(_url(doel))
    assert _rijen(a) == _rijen(b)
    a.dispose()
    b.dispose()
    assert not list(tmp_path.glob(".*.tmp*")), "temporary files left behind"


# --- restore refuses what is no (usable) backup, and leaves the target as it was ------------


def _nep_bestanden(tmp: Path, bron: Path) -> dict[str, tuple[Path, str]]:
    rommel = tmp / "rommel.db"
    rommel.write_bytes(os.urandom(50_000))
    leeg = tmp / "leeg.db"
    leeg.write_bytes(b"")
    tekst = tmp / "stelsel.csv"
    tekst.write_text("naam;kvk\nBakker;12345678\n")
    vreemd = tmp / "vreemd.db"
    with sqlite3.connect(vreemd) as c:
        c.execute("CREATE TABLE klant (naam TEXT)")
        c.execute("INSERT INTO klant VALUES ('x')")
    volledig = tmp / "volledig.db"
    backup.backup(_url(bron), volledig)
    afgekapt = tmp / "afgekapt.db"
    afgekapt.write_bytes(volledig.read_bytes()[: volledig.stat().st_size // 2])
    kapot = tmp / "kapot.db"  # right length, damaged pages in the middle
    data = bytearray(volledig.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 40_000] = os.urandom(40_000)
    kapot.write_bytes(bytes(data))
    nieuwer = tmp / "nieuwer.db"
    shutil.copyfile(volledig, nieuwer)
    with sqlite3.connect(nieuwer) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    return {
        "rommel": (rommel, "geen SQLite-bestand"),
        "leeg": (leeg, "geen SQLite-bestand"),
        "tekst": (tekst, "geen SQLite-bestand"),
        "ontbreekt": (tmp / "bestaat-niet.db", "bestaat niet"),
        "vreemd": (vreemd, "geen stelsel-back-up: de tabel alembic_version ontbreekt"),
        "afgekapt": (afgekapt, "onvolledig"),
        "kapot": (kapot, "beschadigd|geen bruikbare stelsel-back-up"),
        "nieuwer": (nieuwer, "schemaversie 9999, nieuwer dan deze versie van stelsel kent"),
    }


@pytest.mark.parametrize("doel_soort", ["leeg", "gevuld"])
def test_restore_refuses_what_is_no_backup(bron, tmp_path, stelsel, doel_soort):
    doel = tmp_path / "doel" / "stelsel.db"
    doel.parent.mkdir()
    if doel_soort == "gevuld":
        shutil.copyfile(bron, doel)
    voor = doel.read_bytes() if doel.exists() else None
    for naam, (bestand, melding) in _nep_bestanden(tmp_path, bron).items():
        args = ["restore", str(bestand)] + (["--overschrijf"] if doel_soort == "gevuld" else [])
        r = stelsel(_url(doel), *args)
        assert r.exit_code == 1, (naam, r.output)
        assert re.search(melding, r.output), (naam, r.output)
        assert "Traceback" not in r.output
        assert (doel.read_bytes() if doel.exists() else None) == voor, naam
        assert not list(doel.parent.glob(".*")), f"{naam}: temporary files left behind"


def test_backup_refuses_a_missing_database_and_a_folder(tmp_path, stelsel, bron):
    r = stelsel(_url(tmp_path / "nergens.db"), "backup", "--uit", str(tmp_path / "b.db"))
    assert r.exit_code == 1 and "bestaat niet" in r.output
    assert not (tmp_path / "nergens.db").exists()
    r = stelsel(_url(bron), "backup", "--uit", str(tmp_path))
    assert r.exit_code == 1 and "is een map" in r.output
    r = stelsel(_url(bron), "backup", "--uit", str(bron))
    assert r.exit_code == 1 and "ander bestand" in r.output


# --- PostgreSQL: the documented commands ---------------------------------------------------


def _pg_bin(admin_url: str) -> Path:
    """The binaries of the test server's own version (pg_dump must match the server)."""
    engine = create_engine(admin_url)
    with engine.connect() as conn:
        versie = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    engine.dispose()
    return Path(f"/usr/lib/postgresql/{versie}/bin")


def _documented(opdracht: str) -> str:
    beheer = (REPO_DIR / "docs" / "beheer.md").read_text()
    assert opdracht in beheer, f"docs/beheer.md does not give: {opdracht}"
    return opdracht


URL_REGEL = 'URL="${STELSEL_DATABASE_URL/+psycopg/}"'
PROEF_REGELS = """psql "$URL" -c 'CREATE DATABASE stelsel_proef'
PROEF="${URL%/*}/stelsel_proef"     # the same server, database stelsel_proef (mind ?sslmode=…)
pg_restore --clean --if-exists --no-owner -d "$PROEF" stelsel.dump
psql "$PROEF" -c 'SELECT version_num FROM alembic_version' -c 'SELECT count(*) FROM aanbieder'
psql "$URL" -c 'DROP DATABASE stelsel_proef'"""


def test_documented_pg_dump_and_pg_restore_restore_every_table(
    pg_admin_url, tmp_path, stelsel, monkeypatch
):
    """The exact commands of docs/beheer.md, with the test server's own pg_dump and pg_restore:
    dump, restore into an empty and into a filled database, check; every table compared."""
    monkeypatch.setenv("PATH", f"{_pg_bin(pg_admin_url)}:{os.environ['PATH']}")
    fabriek = DatabaseFactory("postgresql", tmp_path, pg_admin_url)

    def sh(opdracht: str, url: str) -> str:
        r = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", f"{_documented(URL_REGEL)}\n{opdracht}"],
            cwd=tmp_path,
            env={**os.environ, "STELSEL_DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout

    try:
        bron = fabriek.engine(with_register=True)
        bron_url = bron.url.render_as_string(False)
        _vul(bron)
        verwacht = _rijen(bron)
        assert len(verwacht["doorverwijzing"]) == 5 and len(verwacht["aanbieder"]) > 10

        sh(_documented(backup.PG_DUMP_OPDRACHT), bron_url)
        leeg = fabriek.url()
        gevuld = fabriek.engine(with_register=False).url.render_as_string(False)
        for doel in (leeg, gevuld):
            sh(_documented(backup.PG_RESTORE_OPDRACHT), doel)
            hersteld = make_engine(doel)
            assert _rijen(hersteld) == verwacht, doel
            hersteld.dispose()
        uit = sh(_documented(PROEF_REGELS), bron_url)
        assert HEADS in uit and str(len(verwacht["aanbieder"])) in uit

        # `stelsel backup` runs the same pg_dump; `stelsel restore` points to pg_restore
        (tmp_path / "stelsel.dump").unlink()
        r = stelsel(bron_url, "backup", "--uit", str(tmp_path / "stelsel.dump"))
        assert r.exit_code == 0, r.output
        assert (tmp_path / "stelsel.dump").stat().st_mode & 0o777 == 0o600
        derde = fabriek.url()
        sh(backup.PG_RESTORE_OPDRACHT, derde)
        hersteld = make_engine(derde)
        assert _rijen(hersteld) == verwacht
        hersteld.dispose()

        r = stelsel(derde, "restore", str(tmp_path / "stelsel.dump"))
        assert r.exit_code == 1
        assert backup.PG_RESTORE_OPDRACHT in r.output
    finally:
        fabriek.close()
        admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS stelsel_proef WITH (FORCE)"))
        admin.dispose()
