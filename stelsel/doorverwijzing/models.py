"""Tables of the referral domain: hulpvragen, consent, referrals, their history (its
notifications are in the meldingen domain)."""

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy import insert as sql_insert
from sqlalchemy import inspect as sql_inspect
from sqlalchemy.orm import Mapped, Session, make_transient_to_detached, mapped_column, relationship

from stelsel.db import Base, themalijst, utcnow


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
    # set when the entrepreneur withdrew consent: from then on nobody but they see their data
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    toestemmingen: Mapped[list["Toestemming"]] = relationship(
        order_by="Toestemming.gegeven_op", cascade="all, delete-orphan", lazy="selectin"
    )
    # the thema codes as rows (hulpvraag_thema), so reports can GROUP BY thema
    thema_rijen: Mapped[list["HulpvraagThema"]] = relationship(
        order_by="HulpvraagThema.volgorde", cascade="all, delete-orphan", lazy="selectin"
    )

    themas = themalijst("thema_rijen", lambda t, i: HulpvraagThema(thema=t, volgorde=i))

    def toestemming_voor(self, aanbieder_id: uuid.UUID) -> "Toestemming | None":
        """The consent in force to share this case with this aanbieder, if any."""
        for t in reversed(self.toestemmingen):
            if t.geldig() and t.soort == DELEN and t.naar_aanbieder_id == aanbieder_id:
                return t
        return None

    def eerste_hop_toestemming(self) -> "Toestemming | None":
        """Consent given at intake for 'the organisation you are referred to', not yet bound to
        a recipient: it covers the first referral only, and is bound to it then."""
        for t in reversed(self.toestemmingen):
            if t.geldig() and t.soort == DELEN and t.naar_aanbieder_id is None:
                return t
        return None

    def mag_berichten(self) -> bool:
        """The entrepreneur agreed to be contacted by e-mail about this case."""
        return self.ondernemer_email is not None and any(
            t.geldig() and t.soort == CONTACT for t in self.toestemmingen
        )


class HulpvraagThema(Base):
    """One thema code of a hulpvraag; `volgorde` keeps the order it was given in."""

    __tablename__ = "hulpvraag_thema"

    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hulpvraag.id"), primary_key=True)
    thema: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    volgorde: Mapped[int] = mapped_column(Integer, default=0)


DELEN, CONTACT = "delen", "contact"
# soort `enquete`: the entrepreneur may get a short questionnaire once the case is closed
# (the kwaliteit domain's invitations ask doorverwijzing.service for it).
ENQUETE = "enquete"
ENQUETE_WAT = "uw e-mailadres"
ENQUETE_DOEL = "zodat wij u later een korte vragenlijst kunnen sturen over hoe het ging"


class Toestemming(Base):
    """Recorded consent: what is shared, with whom, for what, when, and which text was shown.

    soort `delen`: hand the case to one receiving aanbieder (`naar_aanbieder_id`; empty only for
    an intake consent not yet bound to its first recipient). soort `contact`: the entrepreneur
    may get e-mails about the case. soort `enquete`: they may be sent a questionnaire later.
    `gegeven_op` is empty while an adviser's request waits for
    the entrepreneur's answer on their private page; `vastgelegd_door` is the adviser who
    recorded a consent given by phone or in person (empty: the entrepreneur themself)."""

    __tablename__ = "toestemming"
    __table_args__ = (Index("ix_toestemming_naar", "hulpvraag_id", "naar_aanbieder_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hulpvraag.id"), index=True)
    soort: Mapped[str] = mapped_column(String(10), default=DELEN, server_default=DELEN)
    naar_aanbieder_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    delen_met_ontvanger: Mapped[bool] = mapped_column(Boolean)
    wat: Mapped[str] = mapped_column(Text)
    doel: Mapped[str] = mapped_column(Text)
    tekst_versie: Mapped[str] = mapped_column(String(40))
    kanaal: Mapped[str] = mapped_column(String(20), default="intake", server_default="intake")
    vastgelegd_door: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    gevraagd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # no default: empty means asked and not (yet) given, so every writer sets it explicitly
    gegeven_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def geldig(self) -> bool:
        return self.delen_met_ontvanger and self.gegeven_op is not None and not self.ingetrokken_op

    def open_verzoek(self) -> bool:
        """An adviser asked; the entrepreneur has not answered yet."""
        return self.gegeven_op is None and self.ingetrokken_op is None


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
    reden_code: Mapped[str | None] = mapped_column(String(30))
    reden: Mapped[str | None] = mapped_column(Text)
    uitkomst: Mapped[str | None] = mapped_column(String(20))
    # the consent this hand-over rests on
    toestemming_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("toestemming.id", name="fk_doorverwijzing_toestemming")
    )
    herinnerd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    geescaleerd_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bijgewerkt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ontvangen_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    eerste_contact_voor: Mapped[date] = mapped_column(Date)

    hulpvraag: Mapped[Hulpvraag] = relationship(lazy="joined")


class DoorverwijzingKeten(Base):
    """Per case with referrals: how many, and whether one goes back to the provider two steps
    back (lc.keten_kenmerken). Read side of the statistics (queries.py); written only by the
    database triggers of migration 0015, after every change to a case's chain."""

    __tablename__ = "doorverwijzing_keten"

    hulpvraag_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)
    pingpong: Mapped[bool] = mapped_column(Boolean)


class Gebeurtenis(Base):
    """One entry on a referral's timeline: a status change (soort `status`), a note of the
    sender or receiver (`notitie`), or a question from a provider without an account (`vraag`).
    `toelichting` may hold personal data: it is emptied with the case's personal data."""

    __tablename__ = "doorverwijzing_gebeurtenis"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    doorverwijzing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("doorverwijzing.id"), index=True
    )
    tijdstip: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    van_status: Mapped[str | None] = mapped_column(String(20))
    naar_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    aanbieder_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    soort: Mapped[str] = mapped_column(String(10), default="status", server_default="status")
    reden_code: Mapped[str | None] = mapped_column(String(30))
    toelichting: Mapped[str | None] = mapped_column(Text)


class AanbiederLink(Base):
    """A signed, expiring link e-mailed to the desk of a provider that has no users: one
    person of that provider uses it to accept, decline or ask a question without an account,
    and may claim an account with it. Only the hash of its token is stored."""

    __tablename__ = "aanbieder_link"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    doorverwijzing_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("doorverwijzing.id"), index=True
    )
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # the one person who took the link; later visits must be theirs (same e-mail)
    naam: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    gebruikt_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def schrijf_direct(session: Session, rij: Base) -> None:
    """Insert a new row with one Core INSERT and keep its object in the session as if it had
    just been loaded (persistent, nothing to flush): for a row the request writes once and does
    not change again, the unit of work's flush is the larger part of its cost. Every column is
    set first (its default when empty), so the object knows every value it was stored with.
    Relationships are not followed: the caller inserts parents first and sets loaded
    collections itself (sqlalchemy.orm.attributes.set_committed_value)."""
    stmt, kolommen = _schrijfplan(type(rij))
    waarden = {}
    for attribuut, kolom, standaard in kolommen:
        waarde = getattr(rij, attribuut)
        if waarde is None and standaard is not None:
            waarde = standaard.arg if standaard.is_scalar else standaard.arg(None)
        # set even when empty: an attribute never set would be expired, and read back later
        setattr(rij, attribuut, waarde)
        waarden[kolom] = waarde
    session.connection().execute(stmt, waarden)
    make_transient_to_detached(rij)
    session.add(rij)


_SCHRIJFPLANNEN: dict[type[Base], tuple] = {}


def _schrijfplan(model: type[Base]) -> tuple:
    """A model's INSERT and its (attribute, column, default) triples, worked out once."""
    plan = _SCHRIJFPLANNEN.get(model)
    if plan is None:
        kolommen = [
            (prop.key, prop.columns[0].key, prop.columns[0].default)
            for prop in sql_inspect(model).column_attrs
        ]
        plan = _SCHRIJFPLANNEN[model] = (sql_insert(model), kolommen)
    return plan
