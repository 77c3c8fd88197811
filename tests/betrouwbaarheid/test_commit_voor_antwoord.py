"""Every write is committed before its response is sent. The process is made to die right after
the client has received the whole response (the send of its last byte raises, like a SIGKILL
would end everything there): what the client was told was stored must be in the database."""

import asyncio
import json
import uuid

from sqlalchemy import text

from tests.factories import HULPVRAAG


class Afgebroken(BaseException):
    """The process ends here (BaseException: no handler of the app may catch it)."""


def _post_en_sterf(app, path: str, body: dict, token: str) -> tuple[int, dict]:
    """POST through the ASGI app; 'crash' once the response has gone out. Returns what the
    client received."""
    data = json.dumps(body).encode()
    ontvangen: dict = {"status": None, "body": b""}

    async def receive():
        return {"type": "http.request", "body": data, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            ontvangen["status"] = message["status"]
        elif message["type"] == "http.response.body":
            ontvangen["body"] += message.get("body", b"")
            if not message.get("more_body"):
                raise Afgebroken

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode()),
            (b"authorization", f"Bearer {token}".encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run():
        try:
            await app(scope, receive, send)
        except Afgebroken:
            pass

    asyncio.run(run())
    return ontvangen["status"], json.loads(ontvangen["body"] or b"{}")


def _ids(db, tabel: str) -> set[uuid.UUID]:
    with db.connect() as conn:
        return {uuid.UUID(str(r[0])) for r in conn.execute(text(f"SELECT id FROM {tabel}"))}


def test_a_write_acknowledged_just_before_a_crash_is_stored(db, adviseur_token):
    from stelsel.app import create_app

    app = create_app(db)
    status, body = _post_en_sterf(app, "/api/v1/hulpvragen", HULPVRAAG, adviseur_token)
    assert status == 201, body
    assert uuid.UUID(body["id"]) in _ids(db, "hulpvraag"), "got 201, but it is not stored"


def test_a_referral_acknowledged_just_before_a_crash_is_stored(db, adviseur_token):
    from stelsel.app import create_app

    app = create_app(db)
    status, hulpvraag = _post_en_sterf(app, "/api/v1/hulpvragen", HULPVRAAG, adviseur_token)
    assert status == 201
    status, dv = _post_en_sterf(
        create_app(db),
        "/api/v1/doorverwijzingen",
        {"hulpvraag": hulpvraag["id"], "naar_aanbieder": "qredits"},
        adviseur_token,
    )
    assert status == 201, dv
    assert uuid.UUID(dv["id"]) in _ids(db, "doorverwijzing"), "got 201, but it is not stored"


def test_a_failed_commit_is_an_error_not_a_success(db, adviseur_token, monkeypatch):
    """When the commit fails the client is told so (503 to retry when the database was busy,
    else 500), never 201, and nothing of the request is stored."""
    import sqlite3

    from fastapi.testclient import TestClient
    from sqlalchemy.exc import IntegrityError, OperationalError

    from stelsel.app import create_app
    from stelsel.web import transactie

    headers = {"Authorization": f"Bearer {adviseur_token}"}
    for fout, status in (
        (OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked")), 503),
        (OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error")), 500),
        (IntegrityError("COMMIT", {}, Exception()), 500),
    ):

        def mislukt(session, fout=fout):
            session.rollback()
            raise fout

        monkeypatch.setattr(transactie, "_commit", mislukt)
        voor = _ids(db, "hulpvraag")
        with TestClient(create_app(db)) as c:
            r = c.post("/api/v1/hulpvragen", json=HULPVRAAG, headers=headers)
        assert r.status_code == status, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["title"] == "Niet opgeslagen"
        assert ("retry-after" in r.headers) == (status == 503)
        assert _ids(db, "hulpvraag") == voor
