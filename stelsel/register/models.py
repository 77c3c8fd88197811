"""Register tables: aanbieders, diensten, their labels and werkgebied."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
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
    gecontroleerd_op: Mapped[date] = mapped_column(Date, index=True)
    kvk_nummer: Mapped[str] = mapped_column(String(8), default="")
    bezoekadres: Mapped[str] = mapped_column(String(300), default="")
    postadres: Mapped[str] = mapped_column(String(300), default="")
    openingstijden: Mapped[str] = mapped_column(Text, default="")
    # The published revision: +1 with every published change (the ETag of the entry).
    revisie: Mapped[int] = mapped_column(Integer, default=1)
    # Archived: kept (referrals still name it), hidden from the public lists, pages and API.
    gearchiveerd: Mapped[bool] = mapped_column(Boolean, default=False)
    # indexed: the dienst list's cache checks max(bijgewerkt_op) (migration 0014)
    bijgewerkt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    diensten: Mapped[list["Dienst"]] = relationship(
        back_populates="aanbieder", order_by="Dienst.naam", cascade="all, delete-orphan"
    )


_ZOEKTEKST = "lower((((naam::text || ' '::text) || omschrijving) || ' '::text) || trefwoorden)"


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
    # How to reach it and what to expect, where it differs from its aanbieder (empty = inherit).
    telefoon: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    adres: Mapped[str] = mapped_column(String(300), default="")
    openingstijden: Mapped[str] = mapped_column(Text, default="")
    kosten_toelichting: Mapped[str] = mapped_column(Text, default="")
    wachttijd: Mapped[str] = mapped_column(String(200), default="")
    upl_uri: Mapped[str] = mapped_column(String(300), default="")
    bron: Mapped[str] = mapped_column(Text, default="")
    gecontroleerd_op: Mapped[date | None] = mapped_column(Date, index=True)
    revisie: Mapped[int] = mapped_column(Integer, default=1)
    gearchiveerd: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # indexed: the dienst list's cache checks max(bijgewerkt_op) (migration 0014)
    bijgewerkt_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    __table_args__ = (
        # LIKE '%woord%' on register.service.zoektekst(): a trigram index on PostgreSQL
        # (migration 0009 creates it; a plain expression index on SQLite)
        # (written as PostgreSQL reflects it, so Alembic's comparison sees no drift)
        Index(
            "ix_dienst_zoektekst",
            text(_ZOEKTEKST),
            postgresql_using="gin",
            postgresql_ops={_ZOEKTEKST: "gin_trgm_ops"},
        ),
        # the list's order, so a page is read from the index, not sorted (migration 0014)
        Index("ix_dienst_naam_slug", "naam", "slug"),
        Index("ix_dienst_landelijk_naam_slug", "landelijk", "naam", "slug"),
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
    """One label of a dienst: a thema, transitiethema, fase, doelgroep, kanaal or taal code."""

    __tablename__ = "dienst_kenmerk"
    __table_args__ = (
        UniqueConstraint("dienst_id", "soort", "code"),
        # covering: a thema filter reads the dienst ids from the index alone
        Index("ix_dienst_kenmerk_soort_code_dienst", "soort", "code", "dienst_id"),
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
        Index("ix_dienst_werkgebied_soort_code_dienst", "soort", "code", "dienst_id"),
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


class RegisterWijziging(Base):
    """One version of an aanbieder or dienst in the editing workflow (registerbeheer): a
    proposed state (concept, ter_beoordeling) or one that was published. The live tables hold
    only the published state; drafts and reviews live here until they are published, and every
    published version stays here as the entry's history.

    At most one version per entry is open (concept or ter_beoordeling): `open` is True for it and
    NULL otherwise, and (soort, slug, open) is unique (NULLs never clash, on both databases), so
    two editors cannot both start a draft of the same entry."""

    __tablename__ = "register_wijziging"
    __table_args__ = (
        UniqueConstraint("soort", "slug", "nummer"),
        UniqueConstraint("soort", "slug", "open", name="uq_register_wijziging_open"),
        Index("ix_register_wijziging_status", "status", "aangemaakt_op"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    soort: Mapped[str] = mapped_column(String(20))  # aanbieder | dienst
    slug: Mapped[str] = mapped_column(String(160))
    # The aanbieder the entry belongs to (itself, or the dienst's): who may edit it.
    aanbieder_slug: Mapped[str] = mapped_column(String(120), index=True)
    nummer: Mapped[int] = mapped_column(Integer)  # 1, 2, … per entry
    actie: Mapped[str] = mapped_column(String(20))  # aanmaken | wijzigen | archiveren | herstellen
    status: Mapped[str] = mapped_column(String(20))  # concept | ter_beoordeling | gepubliceerd
    open: Mapped[bool | None] = mapped_column(Boolean)
    gegevens: Mapped[str] = mapped_column(Text)  # the record as JSON (csvformaat cells)
    basis_revisie: Mapped[int] = mapped_column(Integer, default=0)  # 0: a new entry
    teller: Mapped[int] = mapped_column(Integer, default=1)  # +1 with every edit of the draft
    auteur_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    auteur_rol: Mapped[str] = mapped_column(String(30), default="")
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    gewijzigd_op: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    beoordelaar_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    beoordeeld_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    toelichting: Mapped[str] = mapped_column(Text, default="")


class Herinnering(Base):
    """A reminder sent to an aanbieder's redacteuren that entries are not checked for a year;
    one per aanbieder per month, so `stelsel register herinneringen` can run daily."""

    __tablename__ = "register_herinnering"
    __table_args__ = (UniqueConstraint("aanbieder_slug", "periode"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    aanbieder_slug: Mapped[str] = mapped_column(String(120))
    periode: Mapped[str] = mapped_column(String(7))  # JJJJ-MM
    aantal: Mapped[int] = mapped_column(Integer)
    verstuurd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
