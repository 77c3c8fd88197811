"""Backup and restore: `stelsel backup --uit FILE` and `stelsel restore FILE`.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database in one step,
inside one read transaction, so the copy is a consistent snapshot that includes what sits in the
-wal file, while other connections go on writing. A plain file copy of a WAL database misses
that. Both commands write to a temporary file next to the target and rename it into place, so a
crash never leaves a half-written backup or database behind.

PostgreSQL: `pg_dump`/`pg_restore` are the tools (docs/beheer.md). `stelsel backup` runs
`pg_dump --format=custom --no-owner` when it can find it; `stelsel restore` explains the
`pg_restore` command instead of running it.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

import typer
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from stelsel.config import PACKAGE_DIR, get_settings
from stelsel.db import make_engine
from stelsel.schema import migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_OPDRACHT = 'pg_dump --format=custom --no-owner "$URL" > stelsel.dump'
PG_RESTORE_OPDRACHT = 'pg_restore --clean --if-exists --no-owner -d "$URL" stelsel.dump'
# How long restore waits for other connections to the target to let go before it gives up.
_BEZET_SECONDEN = 5


class BackupFout(Exception):
    """A backup or restore that cannot be done; the message is for the operator (Dutch)."""


@dataclass
class Resultaat:
    pad: Path
    bytes: int
    revisie: str
    seconden: float
    revisie_voor: str = ""  # restore: the schema revision of the backup before migrating


def _sqlite_pad(url: str) -> Path | None:
    """The database file of a SQLite URL; None for any other backend."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:" or u.database.startswith("file:"):
        raise BackupFout("Back-up en herstel werken alleen met een SQLite-databasebestand.")
    return Path(u.database).resolve()


def _fsync(pad: Path) -> None:
    fd = os.open(pad, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publiceer(tmp: Path, doel: Path) -> None:
    """Make `tmp` durable, then atomically put it in place of `doel`."""
    _fsync(tmp)
    os.replace(tmp, doel)
    _fsync(doel.parent)


def _opruimen(tmp: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(f"{tmp}{extra}").unlink(missing_ok=True)


def _tijdelijk(doel: Path, modus: int = 0o644) -> Path:
    """A new, empty temporary file next to `doel` (same file system, so it can be renamed)."""
    tmp = doel.with_name(f".{doel.name}.{os.getpid()}.tmp")
    _opruimen(tmp)  # left by a crashed run with the same process id
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, modus))
    return tmp


def _bekende_revisies() -> tuple[set[str], str]:
    script = ScriptDirectory(str(PACKAGE_DIR / "migrations"))
    bekend = {r.revision for r in script.walk_revisions()}
    return bekend, ",".join(sorted(script.get_heads()))


def _revisie(conn: sqlite3.Connection, naam: str) -> str:
    """The schema revision recorded in a stelsel database, or a clear error."""
    tabellen = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tabellen:
        raise BackupFout(f"{naam} is geen stelsel-back-up: de tabel alembic_version ontbreekt.")
    revisies = sorted(r[0] for r in conn.execute("SELECT version_num FROM alembic_version"))
    if not revisies:
        raise BackupFout(f"{naam} is geen stelsel-back-up: er staat geen schemaversie in.")
    return ",".join(revisies)


def _controleer(conn: sqlite3.Connection, naam: str) -> None:
    uitkomst = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if uitkomst != ["ok"]:
        raise BackupFout(f"{naam} is beschadigd: {'; '.join(uitkomst[:3])}")


# --- backup ----------------------------------------------------------------------------------


def backup(url: str, uit: Path) -> Resultaat:
    """Write a consistent backup of the database at `url` to the file `uit`."""
    start = time.perf_counter()
    uit = uit.resolve()
    if uit.is_dir():
        raise BackupFout(f"{uit} is een map; geef een bestandsnaam, bijvoorbeeld {uit}/stelsel.db")
    if not uit.parent.is_dir():
        raise BackupFout(f"De map {uit.parent} bestaat niet.")
    bron = _sqlite_pad(url)
    if bron is None:
        return _pg_backup(url, uit, start)
    if not bron.is_file():
        raise BackupFout(f"De database {bron} bestaat niet.")
    if uit == bron:
        raise BackupFout("Schrijf de back-up naar een ander bestand dan de database zelf.")
    tmp = _tijdelijk(uit, 0o600)  # personal data: for the service user only
    try:
        src = sqlite3.connect(bron, timeout=15)
        dst = sqlite3.connect(tmp)
        try:
            # pages=-1: everything in one step, so one read transaction and one snapshot
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _controleer(dst, "De back-up")
            revisie = _revisie(dst, str(bron))
        finally:
            dst.close()
            src.close()
        _publiceer(tmp, uit)
    except sqlite3.Error as e:
        raise BackupFout(f"Back-up mislukt: {e}") from None
    finally:
        _opruimen(tmp)
    return Resultaat(uit, uit.stat().st_size, revisie, time.perf_counter() - start)


def vind_pg_tool(naam: str) -> str | None:
    """pg_dump or pg_restore: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    if gevonden := shutil.which(naam):
        return gevonden
    kandidaten = glob.glob(f"/usr/lib/postgresql/*/bin/{naam}")
    kandidaten.sort(key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return kandidaten[-1] if kandidaten else None


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """A SQLAlchemy PostgreSQL URL as a libpq URL without password, and the environment that
    carries the password (so it does not show in the process list)."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    return u.set(drivername="postgresql", password=None).render_as_string(False), env


def _pg_backup(url: str, uit: Path, start: float) -> Resultaat:
    pg_dump = vind_pg_tool("pg_dump")
    if pg_dump is None:
        raise BackupFout(
            "Voor PostgreSQL maakt u een back-up met pg_dump, dat hier niet te vinden is. "
            "Installeer het (pakket postgresql-client) of draai zelf, met URL gelijk aan "
            f"STELSEL_DATABASE_URL zonder +psycopg: {PG_DUMP_OPDRACHT}. "
            "Zie docs/beheer.md."
        )
    doel, env = libpq(url)
    tmp = _tijdelijk(uit, 0o600)
    try:
        r = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", "--file", str(tmp), doel],
            env=env,
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            raise BackupFout(f"pg_dump is mislukt: {r.stderr.strip()}")
        _publiceer(tmp, uit)
    finally:
        tmp.unlink(missing_ok=True)
    return Resultaat(uit, uit.stat().st_size, "", time.perf_counter() - start)


# --- restore ---------------------------------------------------------------------------------


def _inhoud(doel: Path) -> dict[str, int]:
    """Rows per table (alembic_version aside) of an existing database; {} when it is empty."""
    if not doel.exists() or doel.stat().st_size == 0:
        return {}
    conn = sqlite3.connect(doel, timeout=_BEZET_SECONDEN)
    try:
        tabellen = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        rijen = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in tabellen
            if t != "alembic_version"
        }
    except sqlite3.DatabaseError as e:
        raise BackupFout(f"De database {doel} is niet te lezen ({e}).") from None
    finally:
        conn.close()
    return {t: n for t, n in rijen.items() if n}


def _controleer_kop(bestand: Path) -> None:
    """The file starts like a SQLite database and is as long as its header says."""
    if not bestand.is_file():
        raise BackupFout(f"Het bestand {bestand} bestaat niet.")
    with bestand.open("rb") as f:
        kop = f.read(100)
    if len(kop) < 100 or not kop.startswith(SQLITE_MAGIC):
        raise BackupFout(f"{bestand} is geen stelsel-back-up: het is geen SQLite-bestand.")
    paginagrootte = int.from_bytes(kop[16:18], "big")
    paginagrootte = 65536 if paginagrootte == 1 else paginagrootte
    paginas = int.from_bytes(kop[28:32], "big")
    if paginas and bestand.stat().st_size < paginas * paginagrootte:
        raise BackupFout(f"{bestand} is onvolledig: het bestand is korter dan de kop aangeeft.")


def _vrijgeven(doel: Path) -> None:
    """Fold the target's -wal into the file and leave WAL mode, so no stale -wal can be applied
    to the restored file; fails when another process (a running server) holds the database.
    A target that is no database at all (it is being overwritten) loses its -wal and -shm."""
    if not doel.exists():
        return
    conn = sqlite3.connect(doel, timeout=_BEZET_SECONDEN)
    try:
        modus = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as e:
        modus = "bezet" if "locked" in str(e) or "busy" in str(e) else "kapot"
    except sqlite3.DatabaseError:
        modus = "kapot"
    finally:
        conn.close()
    if modus == "kapot":
        for extra in ("-wal", "-shm"):
            Path(f"{doel}{extra}").unlink(missing_ok=True)
        return
    if modus != "delete" or Path(f"{doel}-wal").exists():
        raise BackupFout(
            f"De database {doel} is in gebruik. Stop eerst stelsel serve en andere opdrachten."
        )


def restore(bestand: Path, url: str, *, overschrijf: bool = False) -> Resultaat:
    """Replace the database at `url` with the backup `bestand` and migrate it to the current
    schema. Refuses a non-empty database unless `overschrijf`."""
    start = time.perf_counter()
    doel = _sqlite_pad(url)
    if doel is None:
        raise BackupFout(
            "Herstellen in PostgreSQL doet u met pg_restore, met URL gelijk aan "
            f"STELSEL_DATABASE_URL zonder +psycopg: {PG_RESTORE_OPDRACHT}. Zie docs/beheer.md."
        )
    bestand = bestand.resolve()
    _controleer_kop(bestand)
    if bestand == doel:
        raise BackupFout("De back-up en de database zijn hetzelfde bestand.")
    if not doel.parent.is_dir():
        raise BackupFout(f"De map {doel.parent} bestaat niet.")
    if not overschrijf and (inhoud := _inhoud(doel)):
        raise BackupFout(
            f"De database {doel} is niet leeg ({sum(inhoud.values())} rijen in {len(inhoud)} "
            "tabellen). Gebruik --overschrijf om hem te vervangen door de back-up."
        )
    bekend, nieuwste = _bekende_revisies()
    tmp = _tijdelijk(doel)
    try:
        try:
            src = sqlite3.connect(f"file:{quote(str(bestand))}?mode=ro", uri=True)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst, pages=-1)
                _controleer(dst, str(bestand))
                revisie = _revisie(dst, str(bestand))
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
                src.close()
        except sqlite3.DatabaseError as e:
            raise BackupFout(f"{bestand} is geen bruikbare stelsel-back-up ({e}).") from None
        onbekend = set(revisie.split(",")) - bekend
        if onbekend:
            raise BackupFout(
                f"De back-up heeft schemaversie {revisie}, nieuwer dan deze versie van stelsel "
                f"kent (nieuwste: {nieuwste}). Werk stelsel eerst bij en herstel dan opnieuw."
            )
        engine = make_engine(f"sqlite:///{tmp}")
        try:
            migrate(engine)  # an older backup comes up to the current schema before it goes live
        finally:
            engine.dispose()
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
            nieuw = _revisie(conn, str(tmp))
        finally:
            conn.close()
        _vrijgeven(doel)
        _publiceer(tmp, doel)
    finally:
        _opruimen(tmp)
    return Resultaat(doel, doel.stat().st_size, nieuw, time.perf_counter() - start, revisie)


# --- commands --------------------------------------------------------------------------------


def _stop(fout: BackupFout) -> NoReturn:
    typer.echo(str(fout), err=True)
    raise typer.Exit(1)


def backup_command(
    uit: Path = typer.Option(..., "--uit", help="Bestand voor de back-up."),
) -> None:
    """Write a consistent backup of the database (SQLite; PostgreSQL through pg_dump)."""
    try:
        r = backup(get_settings().database_url, uit)
    except BackupFout as e:
        _stop(e)
    schema = f", schemaversie {r.revisie}" if r.revisie else ""
    typer.echo(f"Back-up gemaakt: {r.pad} ({r.bytes / 1e6:.1f} MB{schema}) in {r.seconden:.2f} s.")


def restore_command(
    bestand: Path = typer.Argument(..., help="De back-up (gemaakt met stelsel backup)."),
    overschrijf: bool = typer.Option(
        False, "--overschrijf", help="Vervang ook een database die niet leeg is."
    ),
) -> None:
    """Restore a backup into the database (SQLite) and bring it to the current schema."""
    try:
        r = restore(bestand, get_settings().database_url, overschrijf=overschrijf)
    except BackupFout as e:
        _stop(e)
    bijgewerkt = f", bijgewerkt van {r.revisie_voor}" if r.revisie_voor != r.revisie else ""
    typer.echo(f"Hersteld: {r.pad} (schemaversie {r.revisie}{bijgewerkt}) in {r.seconden:.2f} s.")
