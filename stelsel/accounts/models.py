"""Account tables: gebruikers, API tokens (hashed), web sessions, login attempts and the
append-only audit log."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from stelsel.db import Base, utcnow


class Gebruiker(Base):
    __tablename__ = "gebruiker"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    naam: Mapped[str] = mapped_column(String(200), default="")
    rol: Mapped[str] = mapped_column(String(30))
    aanbieder_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    regio_code: Mapped[str | None] = mapped_column(String(6))
    wachtwoord_hash: Mapped[str | None] = mapped_column(String(200))
    # For an external identity provider (OIDC): issuer and subject of the linked identity.
    extern_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    gebruiker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ingetrokken: Mapped[bool] = mapped_column(Boolean, default=False)


class WebSessie(Base):
    """A web session on the server. The cookie holds a random id; only its hash is stored, so
    the table does not hand out sessions. Deleted at logout; all of a user's at deactivation."""

    __tablename__ = "web_sessie"

    sleutel_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    gebruiker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    gegevens: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Inlogpoging(Base):
    """Failed logins of one account or one client address (both hashed), shared by every
    worker: after a few failures, logging in waits, longer after each next failure."""

    __tablename__ = "inlogpoging"

    sleutel_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    mislukt: Mapped[int] = mapped_column(Integer, default=0)
    laatste_poging: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditRegel(Base):
    """Who did what with which object, when and why. Rows are only ever added."""

    __tablename__ = "audit_regel"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    rol: Mapped[str] = mapped_column(String(30))
    actie: Mapped[str] = mapped_column(String(40))  # lezen, aanmaken, wijzigen, ...
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    doel: Mapped[str] = mapped_column(Text, default="")
    uitkomst: Mapped[str] = mapped_column(String(20))  # toegestaan | geweigerd
