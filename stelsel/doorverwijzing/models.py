"""Tables of the referral domain: hulpvragen, consent, referrals, their history (its
notifications are in the meldingen domain)."""

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stelsel.db import Base, utcnow


class Hulpvraag(Base):
    """An entrepreneur's case. Personal data is emptied by retention or on request."""

    __tablename__ = "hulpvraag"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)  # who took the question
    aangemaakt_door: Mapped[uuid.UUID] = mapped_column(Uuid)
    ondernemer_naam: Mapped[str | None] = mapped_column(String(200))
    ondernemer_email: Mapped[str | None] = mapped_column(String(200))
    ondernemer_telefoon: Mapped[str | None] = mapped_column(String(50))
    kvk_nummer: Mapped[str | None] = mapped_column(String(8))
    vraag: Mapped[str | None] = mapped_column(Text)
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    provincie_code: Mapped[str | None] = mapped_column(String(4), index=True)
    arbeidsmarktregio_code: Mapped[str | None] = mapped_column(String(4), index=True)
    urgentie: Mapped[str] = mapped_column(String(10), default="normaal")
    toegangscode_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    geanonimiseerd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    toestemmingen: Mapped[list["Toestemming"]] = relationship(
        order_by="Toestemming.gegeven_op", cascade="all, delete-orphan", lazy="selectin"
    )
    # the thema codes as rows (hulpvraag_thema), so reports can GROUP BY thema
    thema_rijen: Mapped[list["HulpvraagThema"]] = relationship(
        order_by="HulpvraagThema.volgorde", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def themas(self) -> list[str]:
        """The thema codes, most relevant first."""
        return [r.thema for r in self.thema_rijen]

    @themas.setter
    def themas(self, codes: list[str]) -> None:
        self.thema_rijen = [
            HulpvraagThema(thema=t, volgorde=i) for i, t in enumerate(dict.fromkeys(codes))
        ]

    def toestemming(self) -> "Toestemming | None":
        """The consent in force: the newest one, unless withdrawn."""
        actief = [t for t in self.toestemmingen if t.ingetrokken_op is None]
        return actief[-1] if actief else None


class HulpvraagThema(Base):
    """One thema code of a hulpvraag; `volgorde` keeps the order it was given in."""

    __tablename__ = "hulpvraag_thema"

    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hulpvraag.id"), primary_key=True)
    thema: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)


class Toestemming(Base):
    """Recorded consent: what is shared, with whom, for what, when, and which text was shown."""

    __tablename__ = "toestemming"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hulpvraag.id"), index=True)
    delen_met_ontvanger: Mapped[bool] = mapped_column(Boolean)
    wat: Mapped[str] = mapped_column(Text)
    doel: Mapped[str] = mapped_column(Text)
    tekst_versie: Mapped[str] = mapped_column(String(40))
    gegeven_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Doorverwijzing(Base):
    __tablename__ = "doorverwijzing"
    # A case's chain in order, covering what the statistics read (queries.py): PostgreSQL walks
    # it with an index-only scan instead of sorting every referral.
    __table_args__ = (
        Index(
            "ix_doorverwijzing_keten",
            "hulpvraag_id",
            "aangemaakt_op",
            "id",
            "van_aanbieder_id",
            "naar_aanbieder_id",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hulpvraag.id"), index=True)
    van_aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    naar_aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    dienst_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    vorige_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("doorverwijzing.id"))
    notitie: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reden: Mapped[str | None] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(String(20))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bijgewerkt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ontvangen_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    eerste_contact_voor: Mapped[date] = mapped_column(Date)

    hulpvraag: Mapped[Hulpvraag] = relationship(lazy="joined")


class Gebeurtenis(Base):
    """One status change of a referral (its history)."""

    __tablename__ = "doorverwijzing_gebeurtenis"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    doorverwijzing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("doorverwijzing.id"), index=True
    )
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    van_status: Mapped[str | None] = mapped_column(String(20))
    naar_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
