"""The register's version: one value that changes with every change of its searchable
content, in the same transaction, for caches such as the wegwijzer's index and the lists of
GET /diensten. Every ORM flush of a register row and every Core statement no cache would see
gives a new version (the listeners below, registered on import)."""

import uuid

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from stelsel.register.models import (
    Aanbieder,
    Dienst,
    DienstKenmerk,
    DienstWerkgebied,
    RegisterVersie,
)


def versie(*, session: Session) -> str:
    """A value that changes whenever the register's searchable content changes (for caches
    such as the wegwijzer's index): one primary-key read, bumped by every flush that writes a
    register row (_bump_versie). A change of an aanbieder's contact data alone (e-mail,
    telephone, website) does not count: nothing cached holds it, it is always read live."""
    return session.scalar(select(RegisterVersie.versie).where(RegisterVersie.id == 1)) or ""


_REGISTER_RIJEN = (Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied)
# Fields no cache of the register holds (they are always read live): changing only these does
# not give the register a new version, so a provider keeping its contact data current, or
# confirming its entries are still correct, does not rebuild the wegwijzer index everywhere.
NIET_GEINDEXEERD: dict[type, frozenset[str]] = {
    Aanbieder: frozenset(
        {
            "email",
            "telefoon",
            "website",
            "kvk_nummer",
            "bezoekadres",
            "postadres",
            "openingstijden",
            "bron",
            "gecontroleerd_op",
            "revisie",
            "bijgewerkt_op",
        }
    ),
    Dienst: frozenset(
        {
            "website",
            "telefoon",
            "email",
            "adres",
            "openingstijden",
            "kosten_toelichting",
            "wachttijd",
            "bron",
            "gecontroleerd_op",
            "revisie",
            "bijgewerkt_op",
        }
    ),
}


def _alleen_contact(rij: object) -> bool:
    """A changed aanbieder or dienst of which only fields no cache holds changed."""
    velden = NIET_GEINDEXEERD.get(type(rij))
    if velden is None:
        return False
    staat = inspect(rij)
    gewijzigd = {a.key for a in staat.attrs if a.history.has_changes()}
    return gewijzigd <= velden


@event.listens_for(Session, "before_flush")
def _bump_versie(session: Session, _context, _instances) -> None:
    """Any register row added, changed or removed gives the register a new version, in the same
    transaction (so a rolled-back change leaves the version as it was)."""
    gewijzigd = [r for r in session.dirty if not _alleen_contact(r)]
    rijen = (*session.new, *gewijzigd, *session.deleted)
    if any(isinstance(r, _REGISTER_RIJEN) for r in rijen):
        nieuwe_versie(session)


# Tables whose rows hold no bijgewerkt_op, and (with a DELETE) the ones that do: a Core INSERT,
# UPDATE or DELETE of the first, or a Core DELETE of the second, is seen by no cache's check
# (_stand reads max(bijgewerkt_op); Core statements bypass the flush), so it gives the register
# a new version itself (_bump_bij_dml). Core UPDATEs of dienst and aanbieder set bijgewerkt_op
# (onupdate), Core INSERTs set it (default): the check sees those.
_KOPPELTABELLEN = frozenset({DienstKenmerk.__table__, DienstWerkgebied.__table__})
_RIJTABELLEN = frozenset({Dienst.__table__, Aanbieder.__table__})


@event.listens_for(Session, "do_orm_execute")
def _bump_bij_dml(state) -> None:
    """A register row written with a Core statement through a session (session.execute of
    insert/update/delete) gives the register a new version when no cache would see it
    otherwise, in the same transaction. (A statement in plain SQL text, or one run on a
    connection outside a session, is not seen.)"""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    tabel = getattr(state.statement, "table", None)
    if tabel in _KOPPELTABELLEN or (state.is_delete and tabel in _RIJTABELLEN):
        nieuwe_versie(state.session)


def nieuwe_versie(session: Session) -> None:
    """Give the register a new version in the caller's transaction: done by every flush of
    register rows (_bump_versie); bulk statements, which bypass the flush, call it themselves."""
    session.execute(
        update(RegisterVersie)
        .where(RegisterVersie.id == 1)
        .values(versie=uuid.uuid4().hex, gewijzigd_op=func.now())
    )


def versie_kolom() -> ScalarSelect[str]:
    """`versie` as a scalar subquery, for a caller that reads it as a column of a statement
    it runs anyway (one round trip less than `versie`)."""
    return select(RegisterVersie.versie).where(RegisterVersie.id == 1).scalar_subquery()
