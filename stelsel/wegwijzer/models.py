"""Wegwijzer tables: demand signals from questions asked."""

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stelsel.db import Base, themalijst


class Vraagsignaal(Base):
    """One question's derived demand: thema's, soort and where. The text only with consent."""

    __tablename__ = "vraagsignaal"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    soort: Mapped[str] = mapped_column(String(20))
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    provincie_code: Mapped[str | None] = mapped_column(String(4), index=True)
    vraag: Mapped[str | None] = mapped_column(Text)  # only when the user consented
    aantal_resultaten: Mapped[int] = mapped_column(Integer)

    thema_rijen: Mapped[list["VraagsignaalThema"]] = relationship(
        order_by="VraagsignaalThema.volgorde", cascade="all, delete-orphan", lazy="selectin"
    )

    themas = themalijst("thema_rijen", lambda t, i: VraagsignaalThema(thema=t, volgorde=i))


class VraagsignaalThema(Base):
    """One thema code of a demand signal, as a row to GROUP BY."""

    __tablename__ = "vraagsignaal_thema"

    vraagsignaal_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("vraagsignaal.id"), primary_key=True
    )
    thema: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)
