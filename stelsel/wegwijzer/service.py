"""Wegwijzer service: the domain's public face.

`advies()` answers a question; other domains (doorverwijzing) call it to suggest where to
refer. The search index is built once per process and rebuilt when the register changes.
"""

import ctypes
import ctypes.util
import fcntl
import gc
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from stelsel.config import get_settings
from stelsel.db import ALLEEN_LEZEN, get_engine, session_scope
from stelsel.errors import Ongeldig
from stelsel.geo import service as geo
from stelsel.geo.service import GemeenteWaarde
from stelsel.register import service as register
from stelsel.wegwijzer import lexicon as lx
from stelsel.wegwijzer import opslag, semantiek
from stelsel.wegwijzer import plaats as pl
from stelsel.wegwijzer import vraagsignalen as vraagbron  # noqa: F401  (read side for analyse)
from stelsel.wegwijzer.matching import (
    THEMAS,
    Document,
    Matcher,
    Soort,
    keuzevraag,
    ook_over,
    uitleg_kaarten,
    verduidelijk,
)
from stelsel.wegwijzer.models import Vraagsignaal, VraagsignaalThema
from stelsel.wegwijzer.tekst import lees_stopwoorden

log = logging.getLogger(__name__)
MAX_VRAAG = 1000
NETWERK_MIN = 10  # providers of one desk type before it counts as a nationwide network


class VraagOngeldig(Ongeldig):
    """The question is empty or too long."""

    def __init__(self, reden: str):
        super().__init__("vraag", reden)


class PlaatsOnbekend(geo.GemeenteOnbekend):
    """The gemeente field names no known place; the nearest names are suggested."""

    def __init__(self, fout: geo.GemeenteOnbekend, suggesties: list[str]):
        super().__init__(fout.tekst, fout.kandidaten, fout.veld)
        self.suggesties = suggesties
        if suggesties and not fout.kandidaten:
            self.reden += ". Bedoelt u " + " of ".join(suggesties) + "?"


def plaatsen() -> pl.Plaatsen:
    """The place names of the geo reference data, read once per data folder."""
    return _plaatsen(get_settings().data_dir)


@lru_cache(maxsize=4)
def _plaatsen(data_dir: Path) -> pl.Plaatsen:
    # the stop words too: read and split on every question they cost 0.5 ms
    return pl.lees(data_dir / "geo", lees_stopwoorden(data_dir / "wegwijzer" / "stopwoorden.txt"))


def gemeente_van(*, session: Session, tekst: str) -> GemeenteWaarde:
    """The gemeente a user typed in a field; raises PlaatsOnbekend, which suggests the nearest
    names for a misspelled one ("Bedoelt u Sneek?")."""
    try:
        return geo.resolve(session=session, tekst=tekst)
    except geo.GemeenteOnbekend as e:
        raise PlaatsOnbekend(e, plaatsen().suggesties(tekst)) from None


def _gemeente(
    session: Session, vraag: str, gemeente: str | None
) -> tuple[GemeenteWaarde | None, dict | None, list[str], str]:
    """The gemeente of a question: the given one, else a place read in the text. Returns
    (gemeente, place read, suggestions, the question without the place words)."""
    p = plaatsen()
    if gemeente and gemeente.strip():
        gekozen = gemeente_van(session=session, tekst=gemeente)
        return gekozen, None, [], p.zonder(vraag, gekozen.code)
    vondst = p.vind(vraag)
    if vondst is not None:
        g = geo.get(session=session, code=vondst.code)
        if g is not None:
            rest = (vraag[: vondst.begin] + " " + vraag[vondst.eind :]).strip()
            gelezen = {"code": g.code, "naam": g.naam, "woorden": vondst.woorden}
            return g, gelezen, [], rest or vraag
    return None, None, p.suggesties_in_vraag(vraag), vraag


@dataclass(frozen=True)
class Contact:
    """How to reach the door of a card. Empty strings for what the register does not hold."""

    website: str = ""
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    van_aanbieder: bool = False  # the dienst has none of its own: these are the aanbieder's


@dataclass(frozen=True)
class Vervolgvraag:
    """One clarifying choice for a short or ambiguous question. Ask again with
    `verduidelijking=<code>` (the request parameter named in `parameter`)."""

    vraag: str
    keuzes: list[tuple[str, str]]  # (code, label)
    parameter: str = "verduidelijking"


@dataclass
class Resultaat:
    dienst_id: str
    dienst_slug: str
    dienst_naam: str
    aanbieder_id: str
    aanbieder_naam: str
    score: float
    uitleg: list[str]  # short plain-Dutch sentences: why this card, here, in this place
    begin_hier: bool
    landelijk: bool
    regio_nodig: bool = False  # a desk that exists in every region: the user should give a place
    contact: Contact | None = None


@dataclass
class Profiel:
    fase: str | None = None  # starter | gevestigd
    grootte: str | None = None  # zzp | micro | klein | middelgroot
    sector: str | None = None  # free text, added to the search (e.g. 'horeca', 'metaal')

    def doelgroepen(self) -> frozenset[str]:
        """The register's doelgroep codes this profile belongs to."""
        groups = {"starter": "starters", "gevestigd": "peloton"}
        return frozenset(g for g in (groups.get(self.fase or ""), self.grootte) if g)


@dataclass
class Advies:
    themas: list[str]
    soort: Soort
    ook_over: list[str]
    gemeente: dict | None
    resultaten: list[Resultaat] = field(default_factory=list)
    verbeterd: dict[str, str] = field(default_factory=dict)
    # a gemeente read from the question text: {"code", "naam", "woorden"} (the words read as
    # the place, as the user wrote them)
    plaats: dict | None = None
    plaats_suggesties: list[str] = field(default_factory=list)  # "Bedoelt u Sneek?"
    vervolgvraag: Vervolgvraag | None = None


_lock = threading.Lock()
_cache: dict[str, tuple[str, Matcher]] = {}


def _netwerken(
    diensten: list[register.ZoekDienst], namen: dict[tuple[str, str], str]
) -> dict[uuid.UUID, tuple[str, str]]:
    """The diensten that are one desk in many regions: their name and their provider's name are
    the same but for the name of the one area they serve. Dienst id → (name, provider name)
    with the area as {gemeente} or {regio}."""
    sjablonen: dict[uuid.UUID, tuple[str, str]] = {}
    for d in diensten:
        if d.landelijk or len(d.werkgebied) != 1:
            continue
        soort, code = d.werkgebied[0]
        regio = namen.get((soort, code))
        if regio and regio in d.naam and regio in d.aanbieder_naam:
            plek = "{gemeente}" if soort == "gemeente" else "{regio}"
            sjablonen[d.id] = (d.naam.replace(regio, plek), d.aanbieder_naam.replace(regio, plek))
    aanbieders: dict[tuple[str, str], set[uuid.UUID]] = {}
    for d in diensten:
        if d.id in sjablonen:
            aanbieders.setdefault(sjablonen[d.id], set()).add(d.aanbieder_id)
    return {i: s for i, s in sjablonen.items() if len(aanbieders[s]) >= NETWERK_MIN}


def documenten(*, session: Session) -> list[Document]:
    """Every published dienst of the register as a matcher document (plain values from
    register.zoekdiensten: three queries, no ORM rows)."""
    return _documenten(session)[0]


def _documenten(session: Session) -> tuple[list[Document], date | None]:
    """documenten(), and the last day on which all of them are still valid (None: no end).
    A value many diensten share (a provider's id and names, thema's, soort, areas) is one
    object for all of them: at 100,000 diensten that is tens of megabytes."""
    diensten = register.zoekdiensten(session=session)
    netwerken = _netwerken(diensten, geo.area_names(session=session))
    vandaag = datetime.now(UTC).date()
    een: dict = {}
    deel = een.setdefault
    docs: list[Document] = []
    einde: date | None = None
    for d in diensten:
        if d.geldig_tot is not None:
            if d.geldig_tot < vandaag:
                continue
            einde = d.geldig_tot if einde is None else min(einde, d.geldig_tot)
        aanbieder = str(d.aanbieder_id)
        netwerk = netwerken.get(d.id)
        docs.append(
            Document(
                dienst_id=str(d.id),
                slug=d.slug,
                naam=d.naam,
                omschrijving=d.omschrijving,
                trefwoorden=deel(t := tuple(t for t in d.trefwoorden if t), t),
                aanbieder_id=deel(aanbieder, aanbieder),
                aanbieder_naam=deel(d.aanbieder_naam, d.aanbieder_naam),
                aanbieder_korte_naam=deel(d.aanbieder_korte_naam, d.aanbieder_korte_naam),
                eerstelijns=d.aanbieder_eerstelijns,
                markt=d.aanbieder_soort == "privaat",
                netwerk=deel(netwerk, netwerk) if netwerk else None,
                themas=deel(d.themas, d.themas),
                doelgroepen=deel(d.doelgroepen, d.doelgroepen),
                soort=deel(d.soort, d.soort),
                kosten=deel(d.kosten, d.kosten),
                landelijk=d.landelijk,
                gebieden=deel(g := frozenset(deel(w, w) for w in d.werkgebied), g),
            )
        )
    return docs, einde


def semantische_teksten(docs: list[Document]) -> list[str]:
    """Every text the sentence encoder needs for these documents (for a precomputed store)."""
    teksten = [semantiek.document_tekst(d.naam, d.omschrijving, d.aanbieder_naam) for d in docs]
    for d in docs:
        teksten += semantiek.document_delen(d.naam, d.omschrijving, d.trefwoorden)
    return list(dict.fromkeys(teksten))


@lru_cache(maxsize=4)
def _taal(data_dir: Path, _versie: tuple[float, float]) -> tuple[list[lx.Term], frozenset[str]]:
    """The lexicon and the stop words of a data folder, read once per version of the files."""
    return lx.lees(data_dir / "lexicon.csv"), lees_stopwoorden(data_dir / "stopwoorden.txt")


def taal(data_dir: Path) -> tuple[list[lx.Term], frozenset[str]]:
    bestanden = (data_dir / "lexicon.csv", data_dir / "stopwoorden.txt")
    return _taal(data_dir, (bestanden[0].stat().st_mtime, bestanden[1].stat().st_mtime))


def bouw_matcher(
    docs: list[Document],
    data_dir: Path | None = None,
    *,
    semantisch: bool = True,
    vorige: Matcher | None = None,
) -> Matcher:
    """A matcher over documents with the lexicon and stop words from the data folder, and the
    sentence encoder's vectors of every dienst (precomputed ones from the data folder first).
    `vorige`, the matcher of an earlier version of the register: what did not change is
    reused (the stems of unchanged texts; the encoder's vectors are kept per text anyway)."""
    data_dir = (data_dir or get_settings().data_dir) / "wegwijzer"
    sem = None
    if semantisch:
        semantiek.laad_voorraad(data_dir / "vectoren.npz")
        sem = semantiek.Semantiek(
            [semantiek.document_tekst(d.naam, d.omschrijving, d.aanbieder_naam) for d in docs],
            [semantiek.document_delen(d.naam, d.omschrijving, d.trefwoorden) for d in docs],
        )
    termen, stopwoorden = taal(data_dir)
    return Matcher(docs, termen, stopwoorden, semantiek=sem, vorige=vorige)


APART_VANAF = 20_000  # diensten: from this size a server builds its index in a child process


def matcher(*, session: Session) -> Matcher:
    """The process-wide matcher for this database, rebuilt when the register changed. In a
    server process (`warm`) the first one is read from the stored index when that is of this
    register version, and every build is stored for the next start (`opslag`).

    A large register (APART_VANAF) is built in a child process that stores the index; the
    server then only reads the finished arrays, so the register's rows and the build's
    garbage never enter it (at 100,000 diensten some 600 MB that fragmentation keeps). While
    such a build runs, questions are answered from the previous version; server processes
    of one database take turns by a file lock, and the second reads what the first built."""
    engine = session.get_bind().engine
    key = str(engine.url)
    versie = register.versie(session=session)
    cached = _cache.get(key)
    if cached and cached[0] == versie:
        return cached[1]
    groot = cached is not None and len(cached[1].docs) >= APART_VANAF
    if groot and key in _volgers and threading.current_thread().name != VOLGER:
        assert cached is not None
        return cached[1]  # a large index is rebuilt by the follower, not by a question
    if not _lock.acquire(blocking=not groot):
        assert cached is not None
        return cached[1]  # a large index is being rebuilt: the previous version meanwhile
    try:
        cached = _cache.get(key)
        if cached and cached[0] == versie:
            return cached[1]
        pad = opslag.bestand(key) if key in _opslaan else None
        if pad is not None:
            with _beurt(pad):
                apart = groot or (
                    cached is None and register.counts(session=session)["diensten"] >= APART_VANAF
                )
                if apart:
                    cached = None  # not held while the next one is read (_uit_opslag)
                gelezen = _uit_opslag(engine, pad, versie, apart=apart)
            if gelezen is not None:
                _cache[key] = gelezen
                return gelezen[1]
            cached = _cache.get(key)
        docs, einde = _documenten(session)
        m = bouw_matcher(docs, vorige=cached[1] if cached else None)
        del docs
        if pad is not None:
            try:
                opslag.bewaar(pad, m, _sleutel(key, versie), einde)
            except OSError:
                log.warning("wegwijzer_index_niet_bewaard", exc_info=True)
        _cache[key] = (versie, m)
        del cached  # the previous index is not held beyond the swap
        return m
    finally:
        _lock.release()


def _uit_opslag(
    engine: Engine, pad: Path, versie: str, *, apart: bool
) -> tuple[str, Matcher] | None:
    """The stored index of this register version; with `apart`, when there is none, one
    built by a child process first (of the version it found, which may be newer)."""
    gelezen = _lees(engine, pad, versie)
    if gelezen is None and apart and _bouw_apart(engine, pad):
        gelezen = _lees(engine, pad, None)
    return gelezen


def _lees(engine: Engine, pad: Path, versie: str | None) -> tuple[str, Matcher] | None:
    """The stored index when it was built from this database and data (and, given `versie`,
    of that register version). The previous index in memory is dropped before the next is
    read: one at a time."""
    key = str(engine.url)
    sleutel = (opslag.lees_kop(pad) or {}).get("sleutel", {})
    gebouwd = sleutel.get("versie")
    if gebouwd is None or versie not in (None, gebouwd) or sleutel != _sleutel(key, gebouwd):
        return None
    bevroren = gc.get_freeze_count() > 0
    _laat_los(key)
    m = opslag.laad(pad, sleutel, *taal(get_settings().data_dir / "wegwijzer"))
    if m is None:
        return None
    log.info("wegwijzer_index_gelezen", extra={"diensten": len(m.docs)})
    if bevroren:
        gc.freeze()  # as at start (app.py): the index lives until the next one
    return gebouwd, m


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def _laat_los(key: str, wachten: float = 1.0) -> None:
    """Drop this database's index from memory and free it now, before the next is read: a
    question in flight may still hold it for some milliseconds, a cycle would keep it until
    the next collection, and the heap keeps free pages unless asked to give them back."""
    oud = _cache.pop(key, None)
    if oud is None:
        return
    weg = weakref.ref(oud[1])
    del oud
    gc.unfreeze()  # a server froze it at start (app.py): only then can a cycle in it go
    libc = _libc()
    einde = time.monotonic() + wachten
    while True:
        gc.collect()
        if weg() is None or time.monotonic() > einde:
            break
        time.sleep(0.01)
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


@contextmanager
def _beurt(pad: Path) -> Iterator[None]:
    """One server process of a database at a time reads or builds its stored index."""
    with open(pad.with_suffix(".lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


BOUW_TIJD = 900  # seconds a child process may take to build an index


def _bouw_apart(engine: Engine, pad: Path) -> bool:
    """Build this database's index in a child process (`bouw_en_bewaar`) and store it at
    `pad`. The URL travels in the environment, not on the command line where `ps` shows it."""
    omgeving = dict(
        os.environ,
        STELSEL_WEGWIJZER_BOUW=engine.url.render_as_string(False),
        STELSEL_WEGWIJZER_BOUW_PAD=str(pad),
    )
    opdracht = "from stelsel.wegwijzer.service import bouw_en_bewaar; bouw_en_bewaar()"
    try:
        klaar = subprocess.run(
            [sys.executable, "-c", opdracht], env=omgeving, timeout=BOUW_TIJD, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        log.warning("wegwijzer_bouw_apart_mislukt", exc_info=True)
        return False
    if klaar.returncode != 0:
        log.warning("wegwijzer_bouw_apart_mislukt", extra={"code": klaar.returncode})
    return klaar.returncode == 0


def bouw_en_bewaar() -> None:
    """In a child process: read the register, build its index and store it (`opslag`)."""
    engine = get_engine(os.environ["STELSEL_WEGWIJZER_BOUW"])
    key = str(engine.url)
    pad = Path(os.environ["STELSEL_WEGWIJZER_BOUW_PAD"])
    with session_scope(engine.execution_options(**{ALLEEN_LEZEN: True})) as session:
        versie = register.versie(session=session)
        docs, einde = _documenten(session)
    opslag.bewaar(pad, bouw_matcher(docs), _sleutel(key, versie), einde)


_opslaan: set[str] = set()  # databases whose index is stored on disk (server processes)


def _sleutel(database: str, versie: str) -> dict:
    """What a stored index must have been built from to be used for this register version."""
    return {
        "database": database,
        "versie": versie,
        "data": opslag.vingerafdruk(get_settings().data_dir / "wegwijzer"),
    }


def warm(engine: Engine) -> None:
    """Build the index for this database now (at server start), not on the first question,
    and follow the register from then on (`volg`). The index is kept on disk for the next
    start (not for an in-memory database)."""
    if engine.url.database not in (None, "", ":memory:"):
        _opslaan.add(str(engine.url))
    with session_scope(engine.execution_options(**{ALLEEN_LEZEN: True})) as session:
        m = matcher(session=session)
    if m.semantiek is not None:
        semantiek.warm()
    volg(engine)


VOLGER = "wegwijzer-volgen"  # the name of the thread that follows the register
VOLG_INTERVAL = 0.2  # seconds between two looks at the register's version in a server process
_volgers: dict[str, threading.Event] = {}


def volg(engine: Engine, interval: float = VOLG_INTERVAL) -> threading.Thread | None:
    """Follow the register in a background thread: its version is read every `interval`
    seconds (one primary-key read), and a change rebuilds the index at once. Every server
    process does so, so a published edit reaches all of them within about a rebuild, without
    waiting for a question to find the new version (issue 12). One thread per database."""
    sleutel = str(engine.url)
    with _lock:
        if sleutel in _volgers:
            return None
        stop = _volgers[sleutel] = threading.Event()
    lezen = engine.execution_options(**{ALLEEN_LEZEN: True})

    def volgen() -> None:
        while not stop.wait(interval):
            try:
                with session_scope(lezen) as session:
                    matcher(session=session)
            except Exception:  # a database that is briefly away: try again next time
                log.warning("wegwijzer_volgen_mislukt", exc_info=True)

    t = threading.Thread(target=volgen, name=VOLGER, daemon=True)
    t.start()
    return t


def volg_niet_meer(engine: Engine) -> None:
    """Stop following this database (volg)."""
    with _lock:
        stop = _volgers.pop(str(engine.url), None)
    if stop is not None:
        stop.set()


def advies(
    *,
    session: Session,
    vraag: str,
    gemeente: str | None = None,
    aantal: int = 5,
    profiel: Profiel | None = None,
    bewaar_vraag: bool = False,
    registreer: bool = True,
    verduidelijking: str | None = None,
) -> Advies:
    """Thema's, soort and the best diensten for a question in a gemeente (raises VraagOngeldig
    or geo.GemeenteOnbekend)."""
    vraag = (vraag or "").strip()
    if not vraag:
        raise VraagOngeldig("de vraag is leeg")
    if len(vraag) > MAX_VRAAG:
        raise VraagOngeldig(f"de vraag is langer dan {MAX_VRAAG} tekens")
    g, gelezen, suggesties, zoekvraag = _gemeente(session, vraag, gemeente)
    gebied = geo.gebied(g).codes() if g else None
    m = matcher(session=session)
    doelgroepen = profiel.doelgroepen() if profiel else frozenset()
    sector = (profiel.sector or "") if profiel else ""
    if verduidelijking is not None and verduidelijking not in THEMAS:
        raise Ongeldig("verduidelijking", f"'{verduidelijking}' is geen thema van de wegwijzer")
    analyse, treffers = m.zoek(zoekvraag, gebied, aantal, doelgroepen, sector, verduidelijking)
    keuze = [] if verduidelijking else verduidelijk(analyse)
    vervolg = None
    if keuze:
        tekst, keuzes = keuzevraag(keuze)
        vervolg = Vervolgvraag(vraag=tekst, keuzes=keuzes)
    uitleg = uitleg_kaarten(treffers, analyse, g.naam if g else None)
    # read per question in one query: contact data changes without a new register version
    contacten = register.contacten(
        session=session, dienst_ids=[t.document.dienst_id for t in treffers if not t.netwerk]
    )
    resultaten = [
        Resultaat(
            dienst_id=t.document.dienst_id,
            dienst_slug=t.document.slug,
            dienst_naam=t.dienst_naam,
            aanbieder_id=t.document.aanbieder_id,
            aanbieder_naam=t.aanbieder_naam,
            score=t.score,
            uitleg=uitleg[i],
            begin_hier=i == 0,
            landelijk=t.document.landelijk,
            regio_nodig=t.netwerk,
            contact=None if t.netwerk else _contact(contacten.get(t.document.dienst_id)),
        )
        for i, t in enumerate(treffers)
    ]
    if registreer:
        _registreer(
            session,
            Vraagsignaal(
                id=uuid.uuid4(),
                tijdstip=datetime.now(UTC),
                themas=list(analyse.themas),
                soort=analyse.soort,
                gemeente_code=g.code if g else None,
                provincie_code=g.provincie_code if g else None,
                vraag=vraag if bewaar_vraag else None,
                aantal_resultaten=len(resultaten),
            ),
        )
    return Advies(
        themas=analyse.themas,
        soort=analyse.soort,
        ook_over=ook_over(analyse),
        gemeente={"code": g.code, "naam": g.naam, "provincie": g.provincie.naam} if g else None,
        resultaten=resultaten,
        verbeterd=analyse.verbeterd,
        plaats=gelezen,
        plaats_suggesties=suggesties,
        vervolgvraag=vervolg,
    )


def _contact(c: register.Contact | None) -> Contact | None:
    """The register's contact (its inheritance rule: each missing field from the aanbieder)
    as the card's; None when it holds nothing."""
    if c is None or c.leeg:
        return None
    return Contact(
        website=c.website,
        telefoon=c.telefoon,
        email=c.email,
        adres=c.adres,
        openingstijden=c.openingstijden,
        van_aanbieder=c.van_aanbieder,
    )


def contact_uit(d) -> Contact | None:
    """How to reach a loaded register dienst (with its aanbieder)."""
    return _contact(register.contact(d))


def contact_van(*, session: Session, dienst_id: str) -> Contact | None:
    """How to reach one dienst, read now (contact changes do not change the register's
    version, so the index does not hold them)."""
    return _contact(register.contact_van_dienst(session=session, dienst_id=dienst_id))


def _registreer(session: Session, signaal: Vraagsignaal) -> None:
    """Store a demand signal with the request. In a read session (the wegwijzer's routes use
    one) the read transaction ends first, so the signal gets a short write transaction of its
    own: on SQLite the question's work never holds the write lock, and the write never meets a
    stale snapshot. Elsewhere it joins the caller's transaction."""
    if session.get_bind().get_execution_options().get(ALLEEN_LEZEN):
        session.commit()
    session.add(signaal)
    session.flush()


def vraagsignalen(
    *,
    session: Session,
    dagen: int = 30,
    provincie: str | None = None,
    per: str = "gemeente",
) -> list[tuple[str, str | None, int]]:
    """Demand per thema and gemeente (or provincie) over the last days: (thema, code, aantal)."""
    if per not in ("gemeente", "provincie"):
        raise ValueError("per must be 'gemeente' or 'provincie'")
    gebied = Vraagsignaal.gemeente_code if per == "gemeente" else Vraagsignaal.provincie_code
    since = datetime.now(UTC) - timedelta(days=dagen)
    stmt = (
        select(VraagsignaalThema.thema, gebied, func.count())
        .join(Vraagsignaal, Vraagsignaal.id == VraagsignaalThema.vraagsignaal_id)
        .where(Vraagsignaal.tijdstip >= since)
        .group_by(VraagsignaalThema.thema, gebied)
    )
    if provincie:
        stmt = stmt.where(Vraagsignaal.provincie_code == provincie)
    rijen = [(t, code, n) for t, code, n in session.execute(stmt)]
    # sorted here, not in SQL: SQLite and PostgreSQL place NULL codes differently
    return sorted(rijen, key=lambda r: (-r[2], r[0], r[1] or ""))
