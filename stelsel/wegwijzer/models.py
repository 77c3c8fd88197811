"""Wegwijzer tables: demand signals from questions asked."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from stelsel.db import Base


class Vraagsignaal(Base):
    """One question's derived demand: thema's, soort and where. The text only with consent."""

    __tablename__ = "vraagsignaal"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    themas: Mapped[str] = mapped_column(String(200))  # ';'-separated codes
    soort: Mapped[str] = mapped_column(String(20))
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    provincie_code: Mapped[str | None] = mapped_column(String(4), index=True)
    vraag: Mapped[str | None] = mapped_column(Text)  # only when the user consented
    aantal_resultaten: Mapped[int] = mapped_column(Integer)
