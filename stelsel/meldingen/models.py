"""Tables of the outbox: messages to deliver, and the providers' own systems (webhooks).

The table names are the ones the referral domain created (migration 0003), so no data moves.
"""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from stelsel.db import Base, utcnow


class Bericht(Base):
    """Outbox: a notification to deliver (e-mail or webhook), written with the change itself.

    `bestemming` is an e-mail address, or for a webhook `aanbieder:<id>`: the URL and key are
    looked up at delivery, so a replaced koppeling applies to what is still queued. (Rows queued
    before that hold the URL itself.)"""

    __tablename__ = "bericht"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    sleutel: Mapped[str] = mapped_column(String(120), unique=True)  # idempotency key
    kanaal: Mapped[str] = mapped_column(String(10))  # email | webhook
    bestemming: Mapped[str] = mapped_column(String(300))
    onderwerp: Mapped[str] = mapped_column(String(200))
    inhoud: Mapped[str] = mapped_column(Text)  # JSON; never personal data of the entrepreneur
    status: Mapped[str] = mapped_column(String(12), default="wachtend", index=True)
    pogingen: Mapped[int] = mapped_column(Integer, default=0)
    volgende_poging: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verzonden_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    laatste_fout: Mapped[str | None] = mapped_column(Text)


class Koppeling(Base):
    """A provider's own system: where to send signed webhooks."""

    __tablename__ = "koppeling"

    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    webhook_url: Mapped[str] = mapped_column(String(300))
    geheim: Mapped[str] = mapped_column(String(100))
