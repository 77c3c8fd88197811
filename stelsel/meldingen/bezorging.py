"""Delivering the outbox: claim a due message with a lease, send it, record the outcome.

A worker claims a message with a conditional UPDATE that sets a lease (`outbox_lease_seconden`,
60 s by default) and counts the attempt; two workers never send the same message while its lease
runs. While sending, a background thread renews the lease every third of it, so a slow but
living worker keeps it; a worker that dies (kill -9) stops renewing, and after at most one lease
another worker sends the message again. The attempt count is the claim's token: a worker whose
lease was taken over records nothing.

No transaction is open while a message is sent (on SQLite that would hold the write lock). A
webhook's URL and key are those of the aanbieder's koppeling at the moment of sending.

A second delivery carries the identical idempotency key and body (kanalen.py), so a receiver
drops duplicates by key; see docs/meldingen.md.
"""

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from stelsel.config import get_settings
from stelsel.db import session_factory
from stelsel.meldingen import kanalen
from stelsel.meldingen.models import Bericht, Koppeling
from stelsel.meldingen.service import WEBHOOK_BESTEMMING

log = logging.getLogger(__name__)

MAX_POGINGEN = 10
Klok = Callable[[], datetime]


class GeenKoppeling(Exception):
    """The aanbieder of a queued webhook has no koppeling (any more)."""


def lease() -> timedelta:
    """How long a claim holds before another worker may take the message over."""
    return timedelta(seconds=get_settings().outbox_lease_seconden)


@dataclass(frozen=True)
class _Opdracht:
    """One claimed delivery, read before sending."""

    id: uuid.UUID
    poging: int  # the claim's token
    sleutel: str
    kanaal: str
    bestemming: str
    onderwerp: str
    inhoud: str
    webhook: tuple[str, str] | None  # (url, key) of the koppeling, now


def _koppeling(s: Session, bestemming: str) -> tuple[str, str] | None:
    if bestemming.startswith(WEBHOOK_BESTEMMING):
        k = s.get(Koppeling, uuid.UUID(bestemming.removeprefix(WEBHOOK_BESTEMMING)))
    else:  # queued before the URL was resolved at delivery: the URL itself
        k = s.scalar(select(Koppeling).where(Koppeling.webhook_url == bestemming))
    return (k.webhook_url, k.geheim) if k is not None else None


def _claim(s: Session, bericht_id: uuid.UUID, nu: Klok, duur: timedelta) -> _Opdracht | None:
    # an UPDATE without RETURNING gives a CursorResult; Session.execute is typed as Result
    claim = cast(
        "CursorResult[Any]",
        s.execute(
            update(Bericht)
            .where(
                Bericht.id == bericht_id,
                Bericht.status.in_(("wachtend", "bezig")),
                Bericht.volgende_poging <= nu(),
            )
            .values(status="bezig", volgende_poging=nu() + duur, pogingen=Bericht.pogingen + 1)
        ),
    )
    s.commit()
    if claim.rowcount != 1:
        return None  # another worker has it
    b = s.get(Bericht, bericht_id)
    if b is None:
        return None  # deleted since it was claimed: nothing left to deliver
    opdracht = _Opdracht(
        id=b.id,
        poging=b.pogingen,
        sleutel=b.sleutel,
        kanaal=b.kanaal,
        bestemming=b.bestemming,
        onderwerp=b.onderwerp,
        inhoud=b.inhoud,
        webhook=_koppeling(s, b.bestemming) if b.kanaal == "webhook" else None,
    )
    s.commit()  # end the read: no transaction stays open while sending
    return opdracht


def _van_ons(opdracht: _Opdracht) -> Any:
    """The claim is still ours: not finished, and no other worker has claimed it since."""
    return (
        (Bericht.id == opdracht.id)
        & (Bericht.status == "bezig")
        & (Bericht.pogingen == opdracht.poging)
    )


class _Verlenger:
    """Renews the lease of a claimed message in the background until the delivery ends."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        opdracht: _Opdracht,
        nu: Klok,
        duur: timedelta,
        elke: float,
    ) -> None:
        self.sessions, self.opdracht, self.nu, self.duur, self.elke = (
            sessions,
            opdracht,
            nu,
            duur,
            elke,
        )
        self.klaar = threading.Event()
        self.draad = threading.Thread(target=self._verleng, name="outbox-lease", daemon=True)

    def _verleng(self) -> None:
        while not self.klaar.wait(self.elke):
            try:
                with self.sessions() as s:
                    s.execute(
                        update(Bericht)
                        .where(_van_ons(self.opdracht))
                        .values(volgende_poging=self.nu() + self.duur)
                    )
                    s.commit()
            except Exception as e:  # noqa: BLE001 - try again next round; the lease still runs
                log.warning("outbox_lease_niet_verlengd", extra={"fout": type(e).__name__})

    def __enter__(self) -> "_Verlenger":
        self.draad.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.klaar.set()
        self.draad.join()


def _verstuur(opdracht: _Opdracht) -> None:
    if opdracht.kanaal == "email":
        kanalen.email(
            sleutel=opdracht.sleutel,
            ontvanger=opdracht.bestemming,
            onderwerp=opdracht.onderwerp,
            tekst=kanalen.mailtekst(opdracht.onderwerp, opdracht.inhoud),
        )
        return
    if opdracht.webhook is None:
        raise GeenKoppeling
    url, geheim = opdracht.webhook
    kanalen.webhook(url=url, geheim=geheim, sleutel=opdracht.sleutel, body=opdracht.inhoud.encode())


def verwerk(
    bind: Engine,
    nu: Klok = lambda: datetime.now(UTC),
    verleng_elke: float | None = None,
) -> dict[str, int]:
    """Deliver every due message once; returns counts of sent and failed attempts.

    `nu` is the clock (tests move it); `verleng_elke` the seconds between lease renewals (a
    third of the lease unless given)."""
    sessions = session_factory(bind)
    duur = lease()
    elke = verleng_elke if verleng_elke is not None else duur.total_seconds() / 3
    result = {"verzonden": 0, "mislukt": 0}
    with sessions() as s:
        ids = s.scalars(
            select(Bericht.id)
            .where(Bericht.status.in_(("wachtend", "bezig")), Bericht.volgende_poging <= nu())
            .order_by(Bericht.volgende_poging)
            .limit(500)
        ).all()
    for bericht_id in ids:
        with sessions() as s:
            opdracht = _claim(s, bericht_id, nu, duur)
        if opdracht is None:
            continue
        fout: Exception | None = None
        with _Verlenger(sessions, opdracht, nu, duur, elke):
            try:
                _verstuur(opdracht)
            except Exception as e:  # noqa: BLE001 - any failure means: retry later
                fout = e
        if fout is None:
            waarden: dict[str, Any] = {"status": "verzonden", "verzonden_op": nu()}
            result["verzonden"] += 1
        else:
            wacht = timedelta(seconds=30 * 2 ** min(opdracht.poging, 10))
            waarden = {
                "status": "mislukt" if opdracht.poging >= MAX_POGINGEN else "wachtend",
                "volgende_poging": nu() + wacht,
                "laatste_fout": type(fout).__name__,  # no message text: it may hold addresses
            }
            result["mislukt"] += 1
        with sessions() as s:
            s.execute(update(Bericht).where(_van_ons(opdracht)).values(**waarden))
            s.commit()
    return result
