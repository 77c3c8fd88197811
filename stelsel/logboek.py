"""Logging that keeps secrets and personal data out, in every process.

- Access log lines lose their query string (a question typed into a form, a search term) and
  the client's address (personal data under the AVG); private link codes are masked.
- Tracebacks keep their frames and exception types but not the exception messages: a database
  error's message holds the statement's parameters, a validation error's the input.
- Every record carries the request id (`X-Request-ID`), so a line can be traced to a request
  without naming the person behind it.
- `STELSEL_LOG_FORMAT=json` writes one JSON object a line, for log collectors.

`log_config()` is a logging dictConfig: uvicorn applies it in each worker process, so the
filters hold with `--workers 2` as well.
"""

import contextvars
import json
import logging
import re
import traceback
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# the entrepreneur's private link and the link e-mailed to a provider: both are credentials
_PRIVE_LINK = re.compile(r"/(mijn-hulpvraag|aanbieder-link|enquete)/[^/?\s\"]+")
_QUERY = re.compile(r"\?[^\s\"]*")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
VERBORGEN = "(tekst verborgen: kan persoonsgegevens bevatten)"

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def schoon(tekst: str) -> str:
    """A path or message without query strings and private link codes."""
    if (
        "?" not in tekst
        and "/mijn-hulpvraag/" not in tekst
        and "/aanbieder-link/" not in tekst
        and "/enquete/" not in tekst
    ):
        return tekst  # nothing to hide: most lines, and no regular expression run for them
    return _QUERY.sub("", _PRIVE_LINK.sub(r"/\1/***", tekst))


class VerbergPersoonsgegevens(logging.Filter):
    """Mask private links and query strings in a record; drop the client address from access
    records; add the request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if isinstance(record.args, tuple):
            args = [schoon(a) if isinstance(a, str) else a for a in record.args]
            if record.name == "uvicorn.access" and args:
                args[0] = "-"  # the client's address and port
            record.args = tuple(args)
        if isinstance(record.msg, str):
            record.msg = schoon(record.msg)
        return True


# The older name, kept for callers that attach the filter by hand.
VerbergPriveLinks = VerbergPersoonsgegevens


def _traceback_zonder_teksten(exc: BaseException) -> str:
    """A traceback with every exception's message replaced: frames and types stay."""
    regels: list[str] = []
    gezien: set[int] = set()
    keten: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and id(e) not in gezien:
        gezien.add(id(e))
        keten.append(e)
        e = e.__cause__ or e.__context__
    for i, e in enumerate(reversed(keten)):
        if i:
            regels.append("\nDe fout hierboven leidde tot deze fout:\n\n")
        regels.append("Traceback (most recent call last):\n")
        regels.extend(traceback.format_tb(e.__traceback__))
        soort = type(e)
        regels.append(f"{soort.__module__}.{soort.__qualname__}: {VERBORGEN}\n")
    return "".join(regels).rstrip("\n")


class _Tekst(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return _traceback_zonder_teksten(ei[1]) if ei[1] is not None else ""


# Attributes every LogRecord has; the rest came in through `extra`.
_STANDAARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "color_message",
}


class _Json(_Tekst):
    def format(self, record: logging.LogRecord) -> str:
        uit: dict[str, Any] = {
            "tijd": self.formatTime(record),
            "niveau": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id.get()),
            "bericht": record.getMessage(),
        }
        uit.update({k: v for k, v in vars(record).items() if k not in _STANDAARD})
        if record.exc_info and record.exc_info[1] is not None:
            uit["fout"] = self.formatException(record.exc_info)
        return json.dumps(uit, ensure_ascii=False, default=str)


def formatter(formaat: str) -> logging.Formatter:
    return _Json() if formaat == "json" else _Tekst()


def log_config(niveau: str = "INFO", formaat: str = "tekst") -> dict[str, Any]:
    """A dictConfig for stelsel and uvicorn: one handler on stderr, filtered and formatted."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"persoonsgegevens": {"()": VerbergPersoonsgegevens}},
        "formatters": {"stelsel": {"()": formatter, "formaat": formaat}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "filters": ["persoonsgegevens"],
                "formatter": "stelsel",
            }
        },
        "loggers": {
            name: {"handlers": ["stderr"], "level": niveau.upper(), "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "stelsel")
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def installeer(niveau: str = "INFO", formaat: str = "tekst") -> None:
    """Configure logging in this process (the CLI; uvicorn's workers get log_config())."""
    import logging.config

    logging.config.dictConfig(log_config(niveau, formaat))


class RequestId:
    """ASGI middleware: take a well-formed X-Request-ID or make one, log with it, return it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gegeven = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"")
        rid = gegeven.decode("latin-1") if gegeven else ""
        if not _REQUEST_ID.match(rid):
            rid = uuid.uuid4().hex
        token = request_id.set(rid)

        async def verstuur(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, verstuur)
        finally:
            request_id.reset(token)
