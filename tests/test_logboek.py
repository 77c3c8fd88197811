"""Private link codes never reach the logs."""

import logging

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
