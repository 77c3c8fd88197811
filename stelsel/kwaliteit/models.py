"""Tables of the kwaliteit domain: survey invitations and responses, the anonymous feedback
widget, the rollup the figures read, and the register of demo rows.

A response (`enquete_antwoord`) is an anonymous measurement: it carries the dimensions it is
counted under (aanbieder, dienst, region, thema, segment), copied when the invitation was made,
and survives the removal of the case it came from. Its free-text comment (`opmerking`) is the
only field that may hold personal data: it is shown to the judged aanbieder's own manager only
and emptied after the retention period.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from stelsel.db import Base, utcnow

# Where a response came from.
BRON_ENQUETE, BRON_IMPORT, BRON_DEMO = "enquete", "import", "demo"
BRONNEN = (BRON_ENQUETE, BRON_IMPORT, BRON_DEMO)

# "Is uw vraag opgelost?"
OPGELOST = ("volledig", "deels", "nog_niet_verwacht_wel", "nog_niet_verwacht_niet")

# Segment of the entrepreneur: phase (starter: < 5 years) and size (zzp: no staff, micro < 10,
# klein < 50, middel < 250), joined with '_', e.g. 'gevestigd_klein' (docs/kwaliteit-enquete.md).
FASEN = ("starter", "gevestigd")
GROOTTES = ("zzp", "micro", "klein", "middel")
SEGMENTEN = tuple(f"{f}_{g}" for f in FASEN for g in GROOTTES)

# Where a feedback came from.
FEEDBACK_SOORTEN = ("wegwijzer", "dienst")

WAAROM_MAX = 500
OPMERKING_MAX = 2000


def _in(kolom: str, waarden: tuple[str, ...]) -> str:
    return f"{kolom} IN ({', '.join(repr(w) for w in waarden)})"


class EnqueteUitnodiging(Base):
    """An invitation to the questionnaire, one per closed case, only with the entrepreneur's
    `enquete` consent. Only the hash of the link's token is stored. The dimensions are copied
    here when the invitation is made, so the response needs nothing from the case."""

    __tablename__ = "enquete_uitnodiging"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # no foreign keys to the case: its retention must never take measurements with it
    hulpvraag_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    doorverwijzing_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verloopt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beantwoord_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dienst_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    gemeente_code: Mapped[str | None] = mapped_column(String(6))
    arbeidsmarktregio_code: Mapped[str | None] = mapped_column(String(4))
    corop_code: Mapped[str | None] = mapped_column(String(4))
    provincie_code: Mapped[str | None] = mapped_column(String(4))
    segment: Mapped[str | None] = mapped_column(String(20))
    eerste_keer_goed: Mapped[bool | None] = mapped_column(Boolean)
    aantal_doorverwijzingen: Mapped[int | None] = mapped_column(Integer)


class EnqueteUitnodigingThema(Base):
    """One thema code of the case an invitation is for."""

    __tablename__ = "enquete_uitnodiging_thema"

    uitnodiging_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enquete_uitnodiging.id", ondelete="CASCADE"), primary_key=True
    )
    thema: Mapped[str] = mapped_column(String(40), primary_key=True)


class EnqueteAntwoord(Base):
    """One response: written once, never changed (only `opmerking` is emptied by retention)."""

    __tablename__ = "enquete_antwoord"
    __table_args__ = (
        CheckConstraint("csat BETWEEN 1 AND 10", name="ck_enquete_antwoord_csat"),
        CheckConstraint("ces BETWEEN 1 AND 5", name="ck_enquete_antwoord_ces"),
        CheckConstraint("nps BETWEEN 0 AND 10", name="ck_enquete_antwoord_nps"),
        CheckConstraint(_in("opgelost", OPGELOST), name="ck_enquete_antwoord_opgelost"),
        CheckConstraint(_in("bron", BRONNEN), name="ck_enquete_antwoord_bron"),
        CheckConstraint(
            "aantal_organisaties IS NULL OR aantal_organisaties BETWEEN 0 AND 50",
            name="ck_enquete_antwoord_aantal_organisaties",
        ),
        CheckConstraint(
            "aantal_doorverwijzingen IS NULL OR aantal_doorverwijzingen >= 0",
            name="ck_enquete_antwoord_aantal_doorverwijzingen",
        ),
        CheckConstraint(
            f"segment IS NULL OR {_in('segment', SEGMENTEN)}", name="ck_enquete_antwoord_segment"
        ),
        # the figures read by time and by aanbieder or region
        Index("ix_enquete_antwoord_ontvangen", "ontvangen_op"),
        Index("ix_enquete_antwoord_aanbieder", "aanbieder_id", "ontvangen_op"),
        Index("ix_enquete_antwoord_gemeente", "gemeente_code", "ontvangen_op"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # empty for imported and demo rows
    uitnodiging_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enquete_uitnodiging.id"), unique=True
    )
    bron: Mapped[str] = mapped_column(String(10))
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    csat: Mapped[int] = mapped_column(Integer)
    ces: Mapped[int] = mapped_column(Integer)
    opgelost: Mapped[str] = mapped_column(String(30))
    nps: Mapped[int] = mapped_column(Integer)
    aantal_organisaties: Mapped[int | None] = mapped_column(Integer)
    opmerking: Mapped[str | None] = mapped_column(Text)
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    dienst_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    gemeente_code: Mapped[str | None] = mapped_column(String(6))
    arbeidsmarktregio_code: Mapped[str | None] = mapped_column(String(4), index=True)
    corop_code: Mapped[str | None] = mapped_column(String(4), index=True)
    provincie_code: Mapped[str | None] = mapped_column(String(4), index=True)
    segment: Mapped[str | None] = mapped_column(String(20))
    eerste_keer_goed: Mapped[bool | None] = mapped_column(Boolean)
    aantal_doorverwijzingen: Mapped[int | None] = mapped_column(Integer)


class EnqueteAntwoordThema(Base):
    """One thema code of a response (multi-valued codes as rows, as since migration 0006)."""

    __tablename__ = "enquete_antwoord_thema"

    antwoord_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enquete_antwoord.id", ondelete="CASCADE"), primary_key=True
    )
    thema: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Feedback(Base):
    """The anonymous one-question widget ("Heeft dit u geholpen?"). No IP address, no session,
    no question text: only where it was given and the answer."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint(_in("soort", FEEDBACK_SOORTEN), name="ck_feedback_soort"),
        CheckConstraint(
            f"waarom IS NULL OR length(waarom) <= {WAAROM_MAX}", name="ck_feedback_waarom"
        ),
        Index("ix_feedback_ontvangen", "ontvangen_op"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ontvangen_op: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    soort: Mapped[str] = mapped_column(String(10))
    dienst_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    thema: Mapped[str | None] = mapped_column(String(40))
    gemeente_code: Mapped[str | None] = mapped_column(String(6))
    geholpen: Mapped[bool] = mapped_column(Boolean)
    waarom: Mapped[str | None] = mapped_column(String(WAAROM_MAX))


class KwaliteitMaand(Base):
    """Counts and sums per month × aanbieder × gemeente × thema × bron, kept up to date as
    responses arrive (cijfers owns its meaning: see kwaliteit/rollup.py). `maand` is the first
    day of the UTC month. Unknown gemeente and thema are '' (not NULL), so the unique key holds
    on both databases. Migration 0013 replaced the per-day rollup by this one."""

    __tablename__ = "kwaliteit_maand"
    __table_args__ = (
        UniqueConstraint(
            "maand", "aanbieder_id", "gemeente_code", "thema", "bron", name="uq_kwaliteit_maand"
        ),
        Index("ix_kwaliteit_maand_thema", "thema", "maand"),
        Index("ix_kwaliteit_maand_gemeente", "gemeente_code", "maand"),
        Index("ix_kwaliteit_maand_aanbieder", "aanbieder_id", "maand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    maand: Mapped[date] = mapped_column(Date)
    aanbieder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    gemeente_code: Mapped[str] = mapped_column(String(6), default="", server_default="")
    thema: Mapped[str] = mapped_column(String(40), default="", server_default="")
    bron: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    csat_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    csat_som: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    csat_kwadraatsom: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ces_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ces_som: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ces_kwadraatsom: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_promotors: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_passief: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    nps_criticasters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opgelost_volledig: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opgelost_deels: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    opgelost_nog_niet_verwacht_wel: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )
    opgelost_nog_niet_verwacht_niet: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )
    ftr_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ftr_ja: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class DemoRij(Base):
    """A row written by `stelsel demo`, in another domain's table or this one's: `stelsel demo
    --verwijder` removes exactly these rows and nothing else."""

    __tablename__ = "kwaliteit_demo_rij"

    tabel: Mapped[str] = mapped_column(String(40), primary_key=True)
    rij_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
