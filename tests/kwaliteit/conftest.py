"""Shared set-up for the kwaliteit tests: a spread of survey responses over three gemeenten."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from stelsel.kwaliteit import cijfers, rollup
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema
from stelsel.register import service as register

KVK = register.aanbieder_uuid("kvk")
QREDITS = register.aanbieder_uuid("qredits")
OPMERKING = "Jan de Vries belde mij terug, 0612345678"
BEGIN = datetime(2026, 7, 1, 9, tzinfo=UTC)
# Amsterdam (PV27, AM18) 12 responses, Rotterdam (PV28) 11, Groningen (PV20, AM01) 3
GROEPEN = [("GM0363", 12, KVK), ("GM0599", 11, QREDITS), ("GM0014", 3, KVK)]


@pytest.fixture
def data(session):
    csats = {}
    i = 0
    for gemeente, n, aanbieder in GROEPEN:
        for _ in range(n):
            i += 1
            a = EnqueteAntwoord(
                id=uuid.uuid4(),
                bron="enquete",
                ontvangen_op=BEGIN + timedelta(days=(i * 7) % 80),
                csat=1 + (i * 3) % 10,
                ces=1 + i % 5,
                nps=i % 11,
                opgelost=cijfers.OPGELOST[i % 4],
                eerste_keer_goed=bool(i % 2),
                aanbieder_id=aanbieder,
                gemeente_code=gemeente,
                opmerking=OPMERKING,
            )
            session.add(a)
            session.flush()
            session.add(EnqueteAntwoordThema(antwoord_id=a.id, thema="financiering"))
            session.flush()
            rollup.tel_op(session, a.id)
            csats.setdefault(gemeente, []).append(a.csat)
    return csats
