"""Geography tables: reference data loaded from data/geo/ (CBS classifications)."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stelsel.db import Base


class Provincie(Base):
    __tablename__ = "provincie"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # PV20
    naam: Mapped[str] = mapped_column(String(100))


class Arbeidsmarktregio(Base):
    __tablename__ = "arbeidsmarktregio"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # AM01
    naam: Mapped[str] = mapped_column(String(100))


class Corop(Base):
    __tablename__ = "corop"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)  # CR01
    naam: Mapped[str] = mapped_column(String(100))


class Gemeente(Base):
    __tablename__ = "gemeente"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # GM0014
    naam: Mapped[str] = mapped_column(String(100), index=True)
    provincie_code: Mapped[str] = mapped_column(ForeignKey("provincie.code"), index=True)
    corop_code: Mapped[str] = mapped_column(ForeignKey("corop.code"), index=True)
    arbeidsmarktregio_code: Mapped[str] = mapped_column(
        ForeignKey("arbeidsmarktregio.code"), index=True
    )
    inwoners: Mapped[int | None] = mapped_column(Integer)

    provincie: Mapped[Provincie] = relationship(lazy="joined")
    corop: Mapped[Corop] = relationship(lazy="joined")
    arbeidsmarktregio: Mapped[Arbeidsmarktregio] = relationship(lazy="joined")


class Postcodegebied(Base):
    """A 4-digit postcode, assigned to the gemeente holding most of its addresses."""

    __tablename__ = "postcodegebied"

    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(ForeignKey("gemeente.code"), index=True)


class Plaatsnaam(Base):
    """A name people use for a place (woonplaats or common alias) → gemeente."""

    __tablename__ = "plaatsnaam"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    naam_genormaliseerd: Mapped[str] = mapped_column(String(120), index=True)
    naam: Mapped[str] = mapped_column(String(120))
    # 0 = the gemeente's own name, 1 = a common alias, 2 = a woonplaats; lower wins.
    rang: Mapped[int] = mapped_column(Integer, default=2)
    gemeente_code: Mapped[str] = mapped_column(ForeignKey("gemeente.code"), index=True)
