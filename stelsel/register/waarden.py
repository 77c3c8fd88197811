"""Plain values the register hands to other domains for reading at scale: how to reach a
dienst (`Contact`, with its inheritance from the aanbieder) and every published dienst as the
wegwijzer's index needs it (`zoekdiensten`). No ORM rows leave through here."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from stelsel.register import csvformaat
from stelsel.register.models import Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied

CONTACTVELDEN = ("website", "telefoon", "email", "adres", "openingstijden")


@dataclass(frozen=True)
class Contact:
    """How to reach a dienst: its own contact data, each empty field filled from its aanbieder
    (adres from the aanbieder's bezoekadres). `van_aanbieder`: the dienst has none of its own;
    `van_aanbieder_velden`: which fields came from the aanbieder."""

    website: str = ""
    telefoon: str = ""
    email: str = ""
    adres: str = ""
    openingstijden: str = ""
    van_aanbieder: bool = False
    van_aanbieder_velden: tuple[str, ...] = ()

    @property
    def leeg(self) -> bool:
        return not any(getattr(self, v) for v in CONTACTVELDEN)


def _aanbieder_contact(a: Aanbieder) -> dict[str, str]:
    return {
        "website": a.website,
        "telefoon": a.telefoon,
        "email": a.email,
        "adres": a.bezoekadres,
        "openingstijden": a.openingstijden,
    }


def contact_uit(eigen: dict[str, str], van_aanbieder: dict[str, str]) -> Contact:
    """The inheritance rule of contact data, on plain values."""
    eigen = {v: (eigen.get(v) or "").strip() for v in CONTACTVELDEN}
    geleend = tuple(v for v in CONTACTVELDEN if not eigen[v] and (van_aanbieder.get(v) or ""))
    velden = {v: eigen[v] or (van_aanbieder.get(v) or "").strip() for v in CONTACTVELDEN}
    return Contact(**velden, van_aanbieder=not any(eigen.values()), van_aanbieder_velden=geleend)


def contact(d: Dienst) -> Contact:
    """The contact of a loaded dienst (its aanbieder is loaded with it)."""
    return contact_uit({v: getattr(d, v) for v in CONTACTVELDEN}, _aanbieder_contact(d.aanbieder))


def contacten(*, session: Session, dienst_ids: list[str]) -> dict[str, Contact]:
    """The contact of several diensten by UUID (as strings), in one query."""
    ids = []
    for i in dienst_ids:
        try:
            ids.append(uuid.UUID(i))
        except ValueError:
            continue
    if not ids:
        return {}
    rijen = session.execute(
        select(
            Dienst.id,
            *(getattr(Dienst, v) for v in CONTACTVELDEN),
            Aanbieder.website,
            Aanbieder.telefoon,
            Aanbieder.email,
            Aanbieder.bezoekadres,
            Aanbieder.openingstijden,
        )
        .join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
        .where(Dienst.id.in_(ids))
    )
    n = len(CONTACTVELDEN)
    return {
        str(r[0]): contact_uit(
            dict(zip(CONTACTVELDEN, r[1 : n + 1], strict=True)),
            dict(zip(CONTACTVELDEN, r[n + 1 :], strict=True)),
        )
        for r in rijen
    }


@dataclass(frozen=True)
class ZoekDienst:
    """A published dienst as the wegwijzer's index needs it: plain values, no ORM."""

    id: uuid.UUID
    slug: str
    naam: str
    omschrijving: str
    trefwoorden: tuple[str, ...]
    aanbieder_id: uuid.UUID
    aanbieder_slug: str
    aanbieder_naam: str
    aanbieder_korte_naam: str
    aanbieder_soort: str
    aanbieder_eerstelijns: bool
    soort: str
    kosten: str
    landelijk: bool
    themas: tuple[str, ...]
    transitiethemas: tuple[str, ...]
    fasen: tuple[str, ...]
    doelgroepen: tuple[str, ...]
    kanalen: tuple[str, ...]
    werkgebied: tuple[tuple[str, str], ...]
    geldig_van: date | None
    geldig_tot: date | None


def zoekdiensten(*, session: Session) -> list[ZoekDienst]:
    """Every published, not archived dienst as plain values, by name (three queries).
    At 100,000 diensten this reads about 1.3 million rows, so the rows are Core tuples and
    the labels and areas are keyed on the id as the driver returns it: one uuid.UUID per
    dienst and per aanbieder, not one per label (that took 10 of its 20 s)."""
    ruw = type_coerce(Dienst.id, String)
    conn = session.connection()
    diensten = conn.execute(
        select(
            ruw,
            Dienst.slug,
            Dienst.naam,
            Dienst.omschrijving,
            Dienst.trefwoorden,
            Dienst.soort,
            Dienst.kosten,
            Dienst.landelijk,
            Dienst.geldig_van,
            Dienst.geldig_tot,
            type_coerce(Aanbieder.id, String),
            Aanbieder.slug,
            Aanbieder.naam,
            Aanbieder.korte_naam,
            Aanbieder.soort,
            Aanbieder.eerstelijns,
        )
        .join(Aanbieder, Aanbieder.id == Dienst.aanbieder_id)
        .where(Dienst.gearchiveerd.is_(False))
        .order_by(Dienst.naam, Dienst.slug)
    ).all()
    labels: dict[tuple[Any, str], list[str]] = {}
    for dienst_id, soort, code in conn.execute(
        select(
            type_coerce(DienstKenmerk.dienst_id, String), DienstKenmerk.soort, DienstKenmerk.code
        ).order_by(DienstKenmerk.dienst_id, DienstKenmerk.soort, DienstKenmerk.volgorde)
    ).all():
        labels.setdefault((dienst_id, soort), []).append(code)
    gebieden: dict[Any, list[tuple[str, str]]] = {}
    for dienst_id, soort, code in conn.execute(
        select(
            type_coerce(DienstWerkgebied.dienst_id, String),
            DienstWerkgebied.soort,
            DienstWerkgebied.code,
        )
    ).all():
        gebieden.setdefault(dienst_id, []).append((soort, code))
    aanbieders: dict[Any, uuid.UUID] = {}
    leeg: tuple = ()
    uit = []
    for r in diensten:
        sleutel = r[0]
        aanbieder = aanbieders.get(r[10])
        if aanbieder is None:
            aanbieder = aanbieders[r[10]] = _als_uuid(r[10])
        gebied = gebieden.get(sleutel)
        uit.append(
            ZoekDienst(
                id=_als_uuid(sleutel),
                slug=r[1],
                naam=r[2],
                omschrijving=r[3],
                trefwoorden=tuple(t for t in r[4].split(";") if t),
                soort=r[5],
                kosten=r[6],
                landelijk=r[7],
                geldig_van=r[8],
                geldig_tot=r[9],
                aanbieder_id=aanbieder,
                aanbieder_slug=r[11],
                aanbieder_naam=r[12],
                aanbieder_korte_naam=r[13],
                aanbieder_soort=r[14],
                aanbieder_eerstelijns=r[15],
                themas=tuple(labels.get((sleutel, "thema"), leeg)),
                transitiethemas=tuple(labels.get((sleutel, "transitiethema"), leeg)),
                fasen=tuple(labels.get((sleutel, "fase"), leeg)),
                doelgroepen=tuple(labels.get((sleutel, "doelgroep"), leeg)),
                kanalen=tuple(labels.get((sleutel, "kanaal"), leeg)),
                werkgebied=tuple(csvformaat.sort_werkgebied(gebied)) if gebied else leeg,
            )
        )
    return uit


def _als_uuid(waarde: Any) -> uuid.UUID:
    """An id column read without its type: PostgreSQL's driver gives a UUID, SQLite the
    32 hex digits it stores."""
    return waarde if isinstance(waarde, uuid.UUID) else uuid.UUID(waarde)
