"""Read side for the analyse domain: every dienst with its aanbieder, labels and werkgebied as
plain values, in three Core queries (no ORM objects), the same on SQLite and PostgreSQL."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from stelsel.register.models import Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied

A = Aanbieder.__table__.c
D = Dienst.__table__.c
K = DienstKenmerk.__table__.c
W = DienstWerkgebied.__table__.c


@dataclass(frozen=True)
class AnalyseDienst:
    """One dienst as the analyses see it."""

    id: uuid.UUID
    slug: str
    naam: str
    omschrijving: str
    trefwoorden: str
    soort: str
    landelijk: bool
    geldig_tot: date | None
    aanbieder_slug: str
    aanbieder_naam: str
    aanbieder_soort: str
    aanbieder_niveau: str
    eerstelijns: bool
    themas: tuple[str, ...] = ()
    transitiethemas: tuple[str, ...] = ()
    fasen: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()
    kanalen: tuple[str, ...] = ()
    # (soort, code) pairs: provincie/arbeidsmarktregio/corop/gemeente; empty when landelijk
    werkgebied: tuple[tuple[str, str], ...] = ()


_SOORTEN = {
    "thema": "themas",
    "transitiethema": "transitiethemas",
    "fase": "fasen",
    "doelgroep": "doelgroepen",
    "kanaal": "kanalen",
}


def alle_diensten(*, session: Session, vandaag: date | None = None) -> list[AnalyseDienst]:
    """Every dienst (of an aanbieder) not archived and valid on `vandaag` (None: any day)."""
    stmt = (
        select(
            D.id,
            D.slug,
            D.naam,
            D.omschrijving,
            D.trefwoorden,
            D.soort,
            D.landelijk,
            D.geldig_tot,
            A.slug,
            A.naam,
            A.soort,
            A.niveau,
            A.eerstelijns,
        )
        .select_from(Dienst.__table__.join(Aanbieder.__table__, A.id == D.aanbieder_id))
        .where(D.gearchiveerd.is_(False), A.gearchiveerd.is_(False))
        .order_by(D.slug)
    )
    if vandaag is not None:
        stmt = stmt.where((D.geldig_tot.is_(None)) | (D.geldig_tot >= vandaag))
    rijen = session.execute(stmt).all()
    labels: dict[uuid.UUID, dict[str, list[str]]] = {}
    for dienst_id, soort, code in session.execute(
        select(K.dienst_id, K.soort, K.code).order_by(K.dienst_id, K.volgorde, K.code)
    ):
        if soort in _SOORTEN:
            labels.setdefault(dienst_id, {}).setdefault(_SOORTEN[soort], []).append(code)
    gebieden: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for dienst_id, soort, code in session.execute(
        select(W.dienst_id, W.soort, W.code).order_by(W.dienst_id, W.soort, W.code)
    ):
        gebieden.setdefault(dienst_id, []).append((soort, code))
    uit = []
    for r in rijen:
        lab = labels.get(r[0], {})
        uit.append(
            AnalyseDienst(
                id=r[0],
                slug=r[1],
                naam=r[2],
                omschrijving=r[3],
                trefwoorden=r[4] or "",
                soort=r[5],
                landelijk=bool(r[6]),
                geldig_tot=r[7],
                aanbieder_slug=r[8],
                aanbieder_naam=r[9],
                aanbieder_soort=r[10],
                aanbieder_niveau=r[11],
                eerstelijns=bool(r[12]),
                werkgebied=tuple(gebieden.get(r[0], ())),
                **{k: tuple(v) for k, v in lab.items()},
            )
        )
    return uit
