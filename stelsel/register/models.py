"""Register tables: aanbieders, diensten, their labels and werkgebied."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stelsel.db import Base, utcnow

# Stable UUIDs derived from slugs, so ids survive export/import and reloads.
ID_NAMESPACE = uuid.UUID("6f1d4c0e-8a53-4f5e-9b0e-7c2f1d9a3b11")


def slug_uuid(kind: str, slug: str) -> uuid.UUID:
    """The stable UUID of an aanbieder or dienst slug."""
    return uuid.uuid5(ID_NAMESPACE, f"{kind}:{slug}")


class Aanbieder(Base):
    __tablename__ = "aanbieder"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    naam: Mapped[str] = mapped_column(String(200), unique=True)
    korte_naam: Mapped[str] = mapped_column(String(100), default="")
    soort: Mapped[str] = mapped_column(String(30))
    niveau: Mapped[str] = mapped_column(String(20), index=True)
    eerstelijns: Mapped[bool] = mapped_column(Boolean)
    tweedelijns: Mapped[bool] = mapped_column(Boolean)
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    telefoon: Mapped[str] = mapped_column(String(50), default="")
    omschrijving: Mapped[str] = mapped_column(Text)
    bron: Mapped[str] = mapped_column(Text)
    gecontroleerd_op: Mapped[date] = mapped_column(Date)
    bijgewerkt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    diensten: Mapped[list["Dienst"]] = relationship(
        back_populates="aanbieder", order_by="Dienst.naam", cascade="all, delete-orphan"
    )


class Dienst(Base):
    __tablename__ = "dienst"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("aanbieder.id"), index=True)
    naam: Mapped[str] = mapped_column(String(250))
    omschrijving: Mapped[str] = mapped_column(Text)
    soort: Mapped[str] = mapped_column(String(30), index=True)
    kosten: Mapped[str] = mapped_column(String(20))
    landelijk: Mapped[bool] = mapped_column(Boolean, index=True)
    geldig_van: Mapped[date | None] = mapped_column(Date)
    geldig_tot: Mapped[date | None] = mapped_column(Date)
    trefwoorden: Mapped[str] = mapped_column(Text, default="")  # ';'-separated
    website: Mapped[str] = mapped_column(String(300), default="")
    bijgewerkt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    aanbieder: Mapped[Aanbieder] = relationship(back_populates="diensten", lazy="joined")
    kenmerken: Mapped[list["DienstKenmerk"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    werkgebied: Mapped[list["DienstWerkgebied"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def codes(self, soort: str) -> list[str]:
        """The codes of one kind of label (thema, transitiethema, fase, doelgroep, kanaal)."""
        ordered = sorted(self.kenmerken, key=lambda k: k.volgorde)
        return [k.code for k in ordered if k.soort == soort]


class DienstKenmerk(Base):
    """One label of a dienst: a thema, transitiethema, fase, doelgroep or kanaal code."""

    __tablename__ = "dienst_kenmerk"
    __table_args__ = (
        UniqueConstraint("dienst_id", "soort", "code"),
        Index("ix_dienst_kenmerk_soort_code", "soort", "code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    dienst_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dienst.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    volgorde: Mapped[int] = mapped_column(default=0)


class DienstWerkgebied(Base):
    """One area a regional or local dienst serves: provincie, arbeidsmarktregio, corop, gemeente."""

    __tablename__ = "dienst_werkgebied"
    __table_args__ = (
        UniqueConstraint("dienst_id", "soort", "code"),
        Index("ix_dienst_werkgebied_soort_code", "soort", "code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    dienst_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dienst.id", ondelete="CASCADE"), index=True
    )
    soort: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(6))


class RegisterVersie(Base):
    """One row whose `versie` changes with every write to the register (see service.py), so a
    cache of the register (the wegwijzer's index) checks it with one primary-key read."""

    __tablename__ = "register_versie"

    id: Mapped[int] = mapped_column(primary_key=True)
    versie: Mapped[str] = mapped_column(String(32))
    gewijzigd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
