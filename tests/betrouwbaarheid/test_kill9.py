"""Nothing acknowledged is lost: 20 clients write hulpvragen and referrals while the server is
killed with SIGKILL ten times. Every id that was answered 201 must be in the database
afterwards, and a referral posted right after its hulpvraag's 201 never gets a 404."""

import threading
import time
import uuid

import httpx
from sqlalchemy import text

from tests.factories import HULPVRAAG

CLIENTS = 20
KILLS = 10


def _ids(db, tabel: str) -> set[uuid.UUID]:
    with db.connect() as conn:
        return {uuid.UUID(str(r[0])) for r in conn.execute(text(f"SELECT id FROM {tabel}"))}


def test_no_acknowledged_write_is_lost_over_ten_kill9s(db, adviseur_token, server_factory):
    server = server_factory()
    server.start()
    headers = {"Authorization": f"Bearer {adviseur_token}"}
    bevestigd: dict[str, list[uuid.UUID]] = {"hulpvraag": [], "doorverwijzing": []}
    niet_gevonden: list[int] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=server.base, headers=headers, timeout=10) as http:
            while not stop.is_set():
                try:
                    r = http.post("/api/v1/hulpvragen", json=HULPVRAAG)
                    if r.status_code != 201:
                        continue
                    h = uuid.UUID(r.json()["id"])
                    with lock:
                        bevestigd["hulpvraag"].append(h)
                    r = http.post(
                        "/api/v1/doorverwijzingen",
                        json={"hulpvraag": str(h), "naar_aanbieder": "qredits"},
                    )
                    with lock:
                        if r.status_code == 201:
                            bevestigd["doorverwijzing"].append(uuid.UUID(r.json()["id"]))
                        elif r.status_code == 404:
                            niet_gevonden.append(1)
                except httpx.HTTPError:
                    time.sleep(0.05)  # the server is down: try again shortly

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    try:
        for _ in range(KILLS):
            time.sleep(0.8)
            server.kill9()
            server.start()
        time.sleep(0.8)
    finally:
        stop.set()
        for t in threads:
            t.join()
    print(
        f"{db.dialect.name}: {len(bevestigd['hulpvraag'])} hulpvragen and "
        f"{len(bevestigd['doorverwijzing'])} referrals acknowledged over {KILLS} SIGKILLs"
    )
    assert len(bevestigd["hulpvraag"]) >= 100, "too little load to show anything"
    for tabel, ids in bevestigd.items():
        verloren = set(ids) - _ids(db, tabel)
        assert not verloren, f"{len(verloren)} of {len(ids)} acknowledged {tabel} rows are lost"
    assert not niet_gevonden, f"{len(niet_gevonden)} referrals got 404 right after a 201"
