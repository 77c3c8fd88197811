"""A webhook receiver on loopback and a referred case, for the outbox tests (committed data)."""

import http.server
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from stelsel.accounts import service as accounts
from stelsel.db import session_scope
from stelsel.doorverwijzing import service as doorverwijzing


@dataclass
class Verzoek:
    pad: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Ontvanger:
    """A provider's system: records every POST; answers with the next status in `antwoorden`
    (then 200); holds a request while `vasthouden` is set, until `los` is set."""

    antwoorden: list[int] = field(default_factory=list)
    verzoeken: list[Verzoek] = field(default_factory=list)
    binnen: threading.Event = field(default_factory=threading.Event)
    vasthouden: bool = False
    los: threading.Event = field(default_factory=threading.Event)
    server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def start(self) -> "Ontvanger":
        ontvanger = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                ontvanger.verzoeken.append(Verzoek(self.path, dict(self.headers.items()), body))
                ontvanger.binnen.set()
                if ontvanger.vasthouden:
                    ontvanger.los.wait(10)
                status = ontvanger.antwoorden.pop(0) if ontvanger.antwoorden else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep the test output quiet
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):  # a killed sender: expected
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.los.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def ontvanger() -> Iterator[Ontvanger]:
    """A started webhook receiver on 127.0.0.1; more with `ontvanger_maker`."""
    o = Ontvanger().start()
    yield o
    o.stop()


@pytest.fixture
def ontvanger_maker() -> Iterator:
    gemaakt: list[Ontvanger] = []

    def maak() -> Ontvanger:
        gemaakt.append(Ontvanger().start())
        return gemaakt[-1]

    yield maak
    for o in gemaakt:
        o.stop()


def maak_zaak(engine, naar: str = "qredits") -> uuid.UUID:
    """Committed: an adviser of KVK, two of the receiver, and one referral from KVK to it (which
    queues one e-mail per receiving adviser, and a webhook when the receiver is linked)."""
    with session_scope(engine) as s:
        a = accounts.actor(
            accounts.create(
                session=s,
                email=f"a{uuid.uuid4().hex[:6]}@kvk.example.nl",
                rol="adviseur",
                aanbieder="kvk",
            )
        )
        for i in range(2):
            accounts.create(
                session=s,
                email=f"b{i}{uuid.uuid4().hex[:6]}@x.example.nl",
                rol="adviseur",
                aanbieder=naar,
            )
        h, _ = doorverwijzing.create_hulpvraag(
            session=s,
            actor=a,
            data=doorverwijzing.NieuweHulpvraag(
                naam="Jan",
                email="jan@example.nl",
                vraag="lening nodig",
                gemeente="Leeuwarden",
                delen_met_ontvanger=True,
                tekst_versie="v1",
                themas=["financiering"],
            ),
        )
        dv = doorverwijzing.create_doorverwijzing(
            session=s, actor=a, hulpvraag_id=h.id, naar_aanbieder=naar
        )
        return dv.id
