"""Merge import (`stelsel import csv DIR --bijwerken`): bring the register in line with a CSV.

Rows are matched by id. A new id is added, a row whose fields differ is updated (aanbieders
through service.werk_aanbieder_bij, writing only what differs; diensten in bulk statements,
service.werk_diensten_bij, as 100,000 ORM objects are too slow), a row absent from the files
is left alone, unless `verwijder_ontbrekend`: then it is archived (kept, because
referrals name it, and hidden everywhere, as registerbeheer archives). An archived row that is
in the files again is restored.

Everything is checked before anything is written, in the caller's transaction: the format
(csvformaat.valideer), and what only the database can tell (a name another aanbieder holds, a
dienst whose aanbieder would be archived). The whole merge is one transaction, so the
register gets a new version (service.nieuwe_versie) or, on any problem, none.
"""

from dataclasses import dataclass, field, fields
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.geo import service as geo
from stelsel.register import csvformaat, service
from stelsel.register.csvformaat import (
    AANBIEDERS_CSV,
    DIENSTEN_CSV,
    AanbiederRecord,
    DienstRecord,
    ImportFout,
    Probleem,
    Register,
)
from stelsel.register.models import Aanbieder

AANBIEDER = "aanbieder"
DIENST = "dienst"


@dataclass(frozen=True)
class Wijziging:
    """One row the merge adds, changes or archives; `velden` names the changed fields."""

    soort: str  # aanbieder | dienst
    id: str
    velden: tuple[str, ...] = ()


@dataclass
class Verschil:
    """What a merge does (or, with --droog, would do)."""

    toegevoegd: list[Wijziging] = field(default_factory=list)
    gewijzigd: list[Wijziging] = field(default_factory=list)
    verwijderd: list[Wijziging] = field(default_factory=list)
    ongewijzigd: int = 0

    @property
    def leeg(self) -> bool:
        return not (self.toegevoegd or self.gewijzigd or self.verwijderd)

    def regels(self) -> list[str]:
        """The diff as lines for a terminal: `+ dienst x`, `~ dienst y: naam, website`, `- …`."""
        return (
            [f"+ {w.soort} {w.id}" for w in self.toegevoegd]
            + [f"~ {w.soort} {w.id}: {', '.join(w.velden)}" for w in self.gewijzigd]
            + [f"- {w.soort} {w.id}" for w in self.verwijderd]
        )

    def samenvatting(self) -> str:
        def tel(lijst: list[Wijziging]) -> str:
            a = sum(1 for w in lijst if w.soort == AANBIEDER)
            return f"{a} aanbieders en {len(lijst) - a} diensten"

        return (
            f"toegevoegd: {tel(self.toegevoegd)}; gewijzigd: {tel(self.gewijzigd)}; "
            f"verwijderd (gearchiveerd): {tel(self.verwijderd)}; ongewijzigd: {self.ongewijzigd}"
        )


def verschillende_velden(
    oud: AanbiederRecord | DienstRecord, nieuw: AanbiederRecord | DienstRecord
) -> tuple[str, ...]:
    """The fields in which two records of the same kind differ, in column order."""
    return tuple(f.name for f in fields(oud) if getattr(oud, f.name) != getattr(nieuw, f.name))


def read_csv(*, session: Session, map_: Path) -> Register:
    """Read and validate a folder for a merge: a dienst may name an aanbieder the register
    holds, and aanbieders.csv may be empty (raises ImportFout)."""
    bekend = frozenset(session.scalars(select(Aanbieder.slug)))
    return csvformaat.read_dir(
        map_, geo.known_codes(session=session), bekende_aanbieders=bekend, aanbieders_nodig=False
    )


def bijwerken(
    *,
    session: Session,
    register: Register,
    verwijder_ontbrekend: bool = False,
    droog: bool = False,
) -> Verschil:
    """Merge validated records into the register in the caller's transaction; returns the diff.

    Raises ImportFout (nothing written) on a problem only the database shows. With `droog`
    nothing is written at all."""
    aanbieders = {a.slug: a for a in session.scalars(select(Aanbieder))}
    # diensten as plain records (three queries, no ORM objects: 100,000 of them)
    diensten = service.bestaande_diensten(session=session)
    verschil = Verschil()
    nieuwe_aanbieders: list[AanbiederRecord] = []
    nieuwe_diensten: list[DienstRecord] = []
    bij_aanbieders: list[tuple[Aanbieder, AanbiederRecord]] = []
    bij_diensten: list[tuple[service.BestaandeDienst, DienstRecord]] = []
    for a in register.aanbieders:
        rij = aanbieders.get(a.id)
        if _vergelijk(AANBIEDER, a, service.aanbieder_record(rij) if rij else None, rij, verschil):
            if rij is None:
                nieuwe_aanbieders.append(a)
            else:
                bij_aanbieders.append((rij, a))
    for d in register.diensten:
        drij = diensten.get(d.id)
        if _vergelijk(DIENST, d, drij.record if drij else None, drij, verschil):
            if drij is None:
                nieuwe_diensten.append(d)
            else:
                bij_diensten.append((drij, d))
    weg_aanbieders: list[Aanbieder] = []
    weg_diensten: list[service.BestaandeDienst] = []
    if verwijder_ontbrekend:
        in_a = {a.id for a in register.aanbieders}
        in_d = {d.id for d in register.diensten}
        weg_aanbieders = [
            r for s, r in sorted(aanbieders.items()) if s not in in_a and not r.gearchiveerd
        ]
        weg_diensten = [
            r for s, r in sorted(diensten.items()) if s not in in_d and not r.gearchiveerd
        ]
        verschil.verwijderd += [Wijziging(AANBIEDER, r.slug) for r in weg_aanbieders]
        verschil.verwijderd += [Wijziging(DIENST, r.record.id) for r in weg_diensten]

    _controleer(register, aanbieders, weg_aanbieders)
    if droog or verschil.leeg:
        return verschil

    # New aanbieders first (an existing dienst may move to one), then renames, through a name
    # no one holds, so two aanbieders may swap names in one file.
    if nieuwe_aanbieders:
        nieuw = Register(aanbieders=nieuwe_aanbieders, herkomst=register.herkomst)
        service.load(session=session, register=nieuw)
    hernoemd = [(r, a) for r, a in bij_aanbieders if r.naam != a.naam]
    if hernoemd:
        for r, _a in hernoemd:
            r.naam = f"{r.naam[:150]} ~ {r.slug}"[:200]
        session.flush()
    for r, a in bij_aanbieders:
        service.werk_aanbieder_bij(r, a)
        r.gearchiveerd = False
    session.flush()
    # diensten in bulk statements (an aanbieder they move to exists by now)
    service.werk_diensten_bij(session=session, wijzigingen=bij_diensten, archiveer=weg_diensten)
    for archief in weg_aanbieders:
        archief.gearchiveerd = True
        archief.revisie = (archief.revisie or 0) + 1
    session.flush()
    service.voeg_diensten_toe(session=session, diensten=nieuwe_diensten)
    return verschil


def _vergelijk(
    soort: str,
    nieuw: AanbiederRecord | DienstRecord,
    oud: AanbiederRecord | DienstRecord | None,
    rij: Aanbieder | service.BestaandeDienst | None,
    verschil: Verschil,
) -> bool:
    """Note in `verschil` what a record does to its row (None: a new one); True when it
    changes anything (new, different, or archived and so restored)."""
    if oud is None or rij is None:
        verschil.toegevoegd.append(Wijziging(soort, nieuw.id))
        return True
    velden = verschillende_velden(oud, nieuw)
    if rij.gearchiveerd:
        velden = (*velden, "gearchiveerd")
    if velden:
        verschil.gewijzigd.append(Wijziging(soort, nieuw.id, velden))
        return True
    verschil.ongewijzigd += 1
    return False


def _controleer(
    register: Register,
    aanbieders: dict[str, Aanbieder],
    weg: list[Aanbieder],
) -> None:
    """Problems only the database shows; raise ImportFout naming file, line and field."""
    problemen: list[Probleem] = []

    def fout(bestand: str, id_: str, i: int, veld: str, reden: str) -> None:
        waar, regel = register.waar(bestand, id_, i)
        problemen.append(Probleem(waar, regel, veld, reden))

    in_bestand = {a.id for a in register.aanbieders}
    # a name is unique over all aanbieders: those in the file and those the file leaves alone
    # lower-cased in Python: SQLite's lower() leaves non-ASCII letters alone, PostgreSQL's not
    houders = {r.naam.lower(): s for s, r in aanbieders.items() if s not in in_bestand}
    for i, a in enumerate(register.aanbieders):
        houder = houders.get(a.naam.lower())
        if houder is not None:
            fout(AANBIEDERS_CSV, a.id, i, "naam", f"'{a.naam}' is al de naam van '{houder}'")
    weg_ids = {r.slug for r in weg}
    gearchiveerd = {s for s, r in aanbieders.items() if r.gearchiveerd and s not in in_bestand}
    for i, d in enumerate(register.diensten):
        if d.aanbieder in weg_ids:
            fout(
                DIENSTEN_CSV,
                d.id,
                i,
                "aanbieder",
                f"'{d.aanbieder}' staat niet in {AANBIEDERS_CSV} en wordt dus verwijderd "
                "(--verwijder-ontbrekend)",
            )
        elif d.aanbieder in gearchiveerd:
            fout(
                DIENSTEN_CSV,
                d.id,
                i,
                "aanbieder",
                f"'{d.aanbieder}' is gearchiveerd; zet de aanbieder ook in {AANBIEDERS_CSV}",
            )
    if problemen:
        raise ImportFout(sorted(problemen, key=lambda p: (p.bestand, p.regel)))
