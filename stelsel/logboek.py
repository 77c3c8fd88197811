"""Logging that keeps secrets and personal data out: the entrepreneur's private link code is
masked in access logs."""

import logging
import re

_PRIVE_LINK = re.compile(r"/mijn-hulpvraag/[^/?\s]+")


class VerbergPriveLinks(logging.Filter):
    """Replace private link codes in a log record's arguments and message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _PRIVE_LINK.sub("/mijn-hulpvraag/***", a) if isinstance(a, str) else a
                for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _PRIVE_LINK.sub("/mijn-hulpvraag/***", record.msg)
        return True


def installeer() -> None:
    """Attach the filters to the loggers that see request paths."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(VerbergPriveLinks())
