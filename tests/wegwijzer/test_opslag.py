"""The index stored on disk (opslag): read back, it ranks exactly as the index it was written
from, and it is used only for the register version and data it was built from."""

import dataclasses
import os
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from stelsel.wegwijzer import opslag, service
from stelsel.wegwijzer.evaluatie import lees_vragen

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"


def alleen_sqlite(backend):
    """The index is in memory and on disk: the database behind it does not change it."""
    if backend != "sqlite":
        pytest.skip("index in memory; once is enough")


@pytest.fixture()
def pad(tmp_path):
    return tmp_path / "index.npz"


def _uitkomst(m, vraag, gebied=None):
    a, treffers = m.zoek(vraag, gebied, 5)
    return (
        a.themas,
        a.soort,
        a.thema_scores,
        [(t.document, t.score, t.woorden, t.semantisch, t.in_regio) for t in treffers],
    )


def test_a_stored_index_ranks_as_the_built_one(session, backend, pad):
    alleen_sqlite(backend)
    gebouwd = service.matcher(session=session)
    termen, stop = gebouwd.termen, gebouwd.stopwoorden
    assert opslag.bewaar(pad, gebouwd, {"versie": "a"}, None)
    gelezen = opslag.laad(pad, {"versie": "a"}, termen, stop)
    assert gelezen is not None and gelezen is not gebouwd
    assert gelezen.docs == gebouwd.docs
    assert np.array_equal(gelezen.bm25.data, gebouwd.bm25.data)
    vragen = [v.vraag for v in lees_vragen(EVAL / "wegwijzer-dev.jsonl")]
    for vraag in [*vragen, "kredietzeppelin", "Bbz in Emmen"]:
        assert _uitkomst(gelezen, vraag) == _uitkomst(gebouwd, vraag), vraag
    emmen = [("gemeente", "GM0114"), ("provincie", "PV22")]
    assert _uitkomst(gelezen, "schulden", emmen) == _uitkomst(gebouwd, "schulden", emmen)
    # a rebuild on a read index takes the unchanged diensten from it, as from a built one
    docs = list(gebouwd.docs)
    docs[0] = dataclasses.replace(docs[0], naam=docs[0].naam + " zeppelinwerf")
    na_gelezen = service.bouw_matcher(docs, vorige=gelezen)
    na_gebouwd = service.bouw_matcher(docs, vorige=gebouwd)
    assert na_gelezen.gestemd == na_gebouwd.gestemd == 1
    assert na_gelezen.vocab == na_gebouwd.vocab
    assert np.array_equal(na_gelezen.bm25.data, na_gebouwd.bm25.data)
    assert _uitkomst(na_gelezen, "zeppelinwerf") == _uitkomst(na_gebouwd, "zeppelinwerf")


def test_a_stored_index_of_another_version_or_past_its_end_is_not_used(session, backend, pad):
    alleen_sqlite(backend)
    m = service.matcher(session=session)
    gisteren = date.today() - timedelta(days=1)
    assert opslag.bewaar(pad, m, {"versie": "a"}, date.today())
    assert opslag.laad(pad, {"versie": "b"}, m.termen, m.stopwoorden) is None
    assert opslag.laad(pad, {"versie": "a"}, m.termen, m.stopwoorden) is not None
    assert opslag.bewaar(pad, m, {"versie": "a"}, gisteren)  # a dienst ended yesterday
    assert opslag.laad(pad, {"versie": "a"}, m.termen, m.stopwoorden) is None
    pad.write_bytes(b"geen index")
    assert opslag.laad(pad, {"versie": "a"}, m.termen, m.stopwoorden) is None


def test_a_text_with_a_separator_is_not_stored(session, backend, pad):
    alleen_sqlite(backend)
    m = service.matcher(session=session)
    kopie = service.bouw_matcher(
        [dataclasses.replace(m.docs[0], naam="a\x00b"), *m.docs[1:]], semantisch=False
    )
    assert not opslag.bewaar(pad, kopie, {"versie": "a"}) and not pad.exists()


def test_the_folder_is_the_users_own(tmp_path, monkeypatch):
    monkeypatch.setattr(opslag.tempfile, "gettempdir", lambda: str(tmp_path))
    pad = opslag.bestand("sqlite:///x.db")
    assert pad is not None and pad.parent.stat().st_mode & 0o077 == 0
    os.chmod(pad.parent, 0o777)  # another user could have put a file there
    assert opslag.bestand("sqlite:///x.db") is None


def test_a_server_reads_the_stored_index_at_its_next_start(databases, backend, monkeypatch):
    """warm() stores the index it built; the next process (an empty process cache) reads it
    instead of building, and a new register version is built again."""
    alleen_sqlite(backend)
    from stelsel.db import session_scope
    from stelsel.register import service as register

    monkeypatch.setattr(opslag.tempfile, "gettempdir", lambda: str(databases.tmp))
    engine = databases.engine(with_register=True)
    gebouwd = []
    echte = service.bouw_matcher
    monkeypatch.setattr(
        service, "bouw_matcher", lambda *a, **k: gebouwd.append(1) or echte(*a, **k)
    )
    monkeypatch.setattr(service, "volg", lambda engine: None)
    service.warm(engine)
    assert len(gebouwd) == 1 and opslag.bestand(str(engine.url)).exists()
    service._cache.pop(str(engine.url))
    service.warm(engine)  # a new process: nothing in memory
    assert len(gebouwd) == 1
    with session_scope(engine) as s:
        register.nieuwe_versie(s)
    service._cache.pop(str(engine.url))
    service.warm(engine)
    assert len(gebouwd) == 2
    service._cache.pop(str(engine.url))
    service._opslaan.discard(str(engine.url))


def test_a_large_register_is_built_in_a_child_process(databases, backend, monkeypatch):
    """From APART_VANAF diensten the server process does not read the register or build:
    a child process builds and stores the index, the server reads the stored arrays, and
    the result ranks exactly as an index built in the process."""
    alleen_sqlite(backend)
    from stelsel.db import session_scope

    monkeypatch.setattr(opslag.tempfile, "gettempdir", lambda: str(databases.tmp))
    engine = databases.engine(with_register=True)
    with session_scope(engine) as s:
        zelf = service.bouw_matcher(service.documenten(session=s))
    gebouwd = []
    echte = service.bouw_matcher
    monkeypatch.setattr(
        service, "bouw_matcher", lambda *a, **k: gebouwd.append(1) or echte(*a, **k)
    )
    monkeypatch.setattr(service, "volg", lambda engine: None)
    monkeypatch.setattr(service, "APART_VANAF", 1)
    try:
        service.warm(engine)
        assert gebouwd == [] and opslag.bestand(str(engine.url)).exists()
        m = service._cache[str(engine.url)][1]
        for v in lees_vragen(EVAL / "wegwijzer-dev.jsonl")[:10]:
            assert _uitkomst(m, v.vraag) == _uitkomst(zelf, v.vraag)
    finally:
        service._cache.pop(str(engine.url), None)
        service._opslaan.discard(str(engine.url))


def test_while_a_large_index_is_rebuilt_questions_get_the_previous_one(session, backend):
    """A rebuild of a large register takes long: questions meanwhile are answered from the
    previous version instead of waiting; a small register still waits (a publish is seen at
    once)."""
    alleen_sqlite(backend)
    from stelsel.register import service as register

    m = service.matcher(session=session)
    register.nieuwe_versie(session)
    with service._lock:  # a rebuild running in another thread
        oud = service.APART_VANAF
        service.APART_VANAF = 1
        try:
            assert service.matcher(session=session) is m
        finally:
            service.APART_VANAF = oud
    assert service.matcher(session=session) is not m


def test_a_replaced_index_is_freed_before_the_next_is_read(session, backend):
    """A question in flight may still hold the previous index when the next is read; the
    swap waits for it (`_laat_los`), so two large indexes are never in memory at once."""
    import threading
    import weakref

    alleen_sqlite(backend)
    key = str(session.get_bind().engine.url)
    vast = [service.matcher(session=session)]
    weg = weakref.ref(vast[0])
    bezig = threading.Thread(target=lambda: (time.sleep(1.0), vast.clear()))
    bezig.start()
    service._laat_los(key, wachten=10)
    assert weg() is None and key not in service._cache
    bezig.join()


def test_stored_indexes_nobody_uses_are_removed(session, backend, tmp_path, monkeypatch):
    """Each database a machine served kept its file for ever (95 files, 516 MB in one day of
    tests and benchmarks): a write clears what was neither read nor written for two weeks,
    and half-written files of a writer that died; a read keeps its own file."""
    alleen_sqlite(backend)
    monkeypatch.setattr(opslag.tempfile, "gettempdir", lambda: str(tmp_path))
    m = service.matcher(session=session)
    map_pad = opslag.map_()
    assert map_pad is not None
    oud, gelezen, nieuw = (map_pad / f"{n}.npz" for n in ("oud", "gelezen", "nieuw"))
    for p in (oud, gelezen):
        assert opslag.bewaar(p, m, {"versie": p.stem})
    (map_pad / "oud.lock").touch()
    (map_pad / "wees.lock").touch()
    half = map_pad / "nieuw.123.456.tmp"
    half.write_bytes(b"half")
    lang_geleden = time.time() - (opslag.BEWAARDAGEN + 1) * 86400
    for p in (oud, gelezen, half, map_pad / "oud.lock", map_pad / "wees.lock"):
        os.utime(p, (lang_geleden, lang_geleden))
    assert opslag.laad(gelezen, {"versie": "gelezen"}, m.termen, m.stopwoorden) is not None
    assert opslag.bewaar(nieuw, m, {"versie": "nieuw"})
    assert sorted(p.name for p in map_pad.iterdir()) == ["gelezen.npz", "nieuw.npz"]


def test_a_dropped_database_leaves_no_stored_index(tmp_path, monkeypatch):
    monkeypatch.setattr(opslag.tempfile, "gettempdir", lambda: str(tmp_path))
    url = "postgresql+psycopg://stelsel@127.0.0.1:55432/stelsel_bench_weg"
    pad = opslag.bestand(url)
    assert pad is not None
    pad.write_bytes(b"index")
    pad.with_suffix(".lock").touch()
    opslag.vergeet(url)
    assert list(pad.parent.iterdir()) == []
