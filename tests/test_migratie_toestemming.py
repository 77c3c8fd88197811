"""Migration 0008 binds each consent without a recipient to its case's first referral only,
on both databases: after it, the first receiver still sees the data, later ones do not."""

import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from stelsel.db import make_engine
from stelsel.doorverwijzing import service
from stelsel.doorverwijzing.models import Hulpvraag
from tests.test_migratie_themas import _naar

U = sa.Uuid()
A, B, C = (uuid.uuid4() for _ in range(3))


def _rij(c, tabel: str, **waarden) -> None:
    kolommen = ", ".join(waarden)
    params = ", ".join(f":{k}" for k in waarden)
    stmt = sa.text(f"INSERT INTO {tabel} ({kolommen}) VALUES ({params})").bindparams(
        *(sa.bindparam(k, type_=U) for k, v in waarden.items() if isinstance(v, uuid.UUID))
    )
    c.execute(stmt, waarden)


def _zaak(c, nu, ketens: list[tuple[uuid.UUID, uuid.UUID]], ingetrokken=False) -> uuid.UUID:
    hid = uuid.uuid4()
    _rij(
        c,
        "hulpvraag",
        id=hid,
        aanbieder_id=A,
        aangemaakt_door=A,
        ondernemer_naam="Jan de Vries",
        urgentie="normaal",
        toegangscode_hash=uuid.uuid4().hex * 2,
        aangemaakt_op=nu,
    )
    _rij(
        c,
        "toestemming",
        id=uuid.uuid4(),
        hulpvraag_id=hid,
        delen_met_ontvanger=True,
        wat="w",
        doel="d",
        tekst_versie="2026-11-v1",
        gegeven_op=nu,
        ingetrokken_op=nu if ingetrokken else None,
    )
    for i, (van, naar) in enumerate(ketens):
        _rij(
            c,
            "doorverwijzing",
            id=uuid.uuid4(),
            hulpvraag_id=hid,
            van_aanbieder_id=van,
            naar_aanbieder_id=naar,
            status="verzonden" if i == len(ketens) - 1 else "afgerond",
            uitkomst=None if i == len(ketens) - 1 else "doorverwezen",
            aangemaakt_op=nu + timedelta(minutes=i),
            bijgewerkt_op=nu,
            eerste_contact_voor=date(2026, 12, 1),
        )
    return hid


def test_a_consent_without_recipient_covers_only_the_first_hop(databases):
    engine = make_engine(databases.url())
    databases.engines.append(engine)
    _naar(engine, "0007")
    nu = datetime(2026, 11, 20, tzinfo=UTC)
    with engine.begin() as c:
        twee_hops = _zaak(c, nu, [(A, B), (B, C)])
        nog_niet = _zaak(c, nu, [])
        ingetrokken = _zaak(c, nu, [(A, B)], ingetrokken=True)
    _naar(engine, "0008")
    with Session(engine) as s:
        h = s.get(Hulpvraag, twee_hops)
        keten = service.keten(session=s, hulpvraag_id=twee_hops)
        assert [t.naar_aanbieder_id for t in h.toestemmingen] == [B]
        assert keten[0].toestemming_id == h.toestemmingen[0].id and keten[1].toestemming_id is None
        # B's hop is done; C, the later hop, got no consent: it sees nothing
        assert not service.houdt(h, keten, C)
        assert h.ingetrokken_op is None
        # without a referral the consent still waits for "the organisation you are referred to"
        h = s.get(Hulpvraag, nog_niet)
        assert h.eerste_hop_toestemming() is not None
        # a withdrawn consent was a withdrawal of the case
        h = s.get(Hulpvraag, ingetrokken)
        assert h.ingetrokken_op is not None
        assert not service.houdt(h, service.keten(session=s, hulpvraag_id=ingetrokken), B)
    _naar(engine, "0007", omlaag=True)
    with engine.connect() as c:
        kolommen = {k["name"] for k in sa.inspect(c).get_columns("toestemming")}
    assert "naar_aanbieder_id" not in kolommen
