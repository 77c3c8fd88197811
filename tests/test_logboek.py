"""Private link codes never reach the logs."""

import json
import logging
import sys

from stelsel import logboek
from stelsel.logboek import VerbergPriveLinks


def test_access_log_masks_private_link_codes():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/mijn-hulpvraag/Zx9_secret-code/inzage", "1.1", 200),
        None,
    )
    assert VerbergPriveLinks().filter(record)
    assert "secret" not in record.getMessage()
    assert "/mijn-hulpvraag/***/inzage" in record.getMessage()


def _access(path: str) -> logging.LogRecord:
    return logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("192.0.2.7:5000", "GET", path, "1.1", 200),
        None,
    )


def test_access_log_drops_query_strings_and_the_client_address():
    record = _access("/wegwijzer?vraag=Bakkerij+Zonnebloem+wil+lenen&gemeente=Dokkum")
    assert VerbergPriveLinks().filter(record)
    regel = record.getMessage()
    assert "Zonnebloem" not in regel and "Dokkum" not in regel and "192.0.2.7" not in regel
    assert '"GET /wegwijzer HTTP/1.1" 200' in regel


def test_tracebacks_keep_types_and_frames_but_not_messages():
    naam = "".join(["Jan", " de ", "Vries"])  # not in the source line the traceback quotes
    try:
        raise ValueError(f"naam={naam}")
    except ValueError:
        record = logging.LogRecord("stelsel", logging.ERROR, __file__, 1, "mis", (), sys.exc_info())
    for formaat in ("tekst", "json"):
        regel = logboek.formatter(formaat).format(record)
        assert naam not in regel
        assert "ValueError" in regel and "test_tracebacks_keep_types" in regel


def test_json_lines_carry_the_request_id_and_extra_fields():
    token = logboek.request_id.set("abc123")
    try:
        record = logging.LogRecord("stelsel", logging.INFO, __file__, 1, "geladen", (), None)
        record.diensten = 976
        logboek.VerbergPersoonsgegevens().filter(record)
        regel = json.loads(logboek.formatter("json").format(record))
    finally:
        logboek.request_id.reset(token)
    assert regel["request_id"] == "abc123"
    assert regel["bericht"] == "geladen" and regel["diensten"] == 976


def test_every_response_carries_a_request_id(client):
    eigen = client.get("/api/v1/themas", headers={"X-Request-ID": "storing-42"})
    assert eigen.headers["X-Request-ID"] == "storing-42"
    # a malformed id is not echoed (it would go into every log line): a fresh one replaces it
    vreemd = client.get("/api/v1/themas", headers={"X-Request-ID": "a b\\c" * 30})
    assert len(vreemd.headers["X-Request-ID"]) == 32
