"""The report: its commentary follows the figures by rule, and it renders as PDF and HTML."""

import uuid
from datetime import UTC, date, datetime, timedelta

from stelsel.kwaliteit import cijfers, queries, rapport, rollup
from stelsel.kwaliteit.models import EnqueteAntwoord
from stelsel.register import service as register

KVK = register.aanbieder_uuid("kvk")


def antwoorden(session, gemeente, dag, csats):
    for i, c in enumerate(csats):
        a = EnqueteAntwoord(
            id=uuid.uuid4(),
            bron="import",
            ontvangen_op=datetime.combine(dag, datetime.min.time(), UTC) + timedelta(hours=i),
            csat=c,
            ces=5 if c > 7 else 2,
            nps=10 if c > 7 else 3,
            opgelost="volledig" if c > 7 else "nog_niet_verwacht_niet",
            eerste_keer_goed=c > 7,
            aanbieder_id=KVK,
            gemeente_code=gemeente,
        )
        session.add(a)
        session.flush()
        rollup.tel_op(session, a.id)


def test_commentary_names_what_moved_significantly(session):
    # Amsterdam: from 30 low marks in Q2 to 30 high ones in Q3; Rotterdam the same both times
    antwoorden(session, "GM0363", date(2026, 5, 1), [3, 4, 5] * 10)
    antwoorden(session, "GM0363", date(2026, 8, 1), [8, 9, 10] * 10)
    antwoorden(session, "GM0599", date(2026, 5, 1), [6, 7] * 10)
    antwoorden(session, "GM0599", date(2026, 8, 1), [6, 7] * 10)
    s = rapport.verzamel(
        session, queries.Filter(), "2026-Q3", minimum=10, vandaag=date(2026, 10, 1)
    )
    tekst = " ".join(rapport.commentaar(s))
    assert "duidelijk gestegen" in tekst and "tevredenheid (1-10)" in tekst
    assert "boven de nulmeting van 2021" in tekst
    # the region that changed most, and that it is beyond the uncertainty
    assert "per provincie: Noord-Holland" in tekst and "(duidelijk)" in tekst
    v = rapport.veranderingen(s.regios, s.regios_vorige)
    assert v[0][0] == "PV27" and v[0][3] is True
    assert v[1][0] == "PV28" and v[1][3] is False
    assert rapport.als_pdf(s).startswith(b"%PDF")
    html = rapport.als_html(s).decode()
    assert "Staat van de dienstverlening" in html and "<svg" in html and "<table" in html


def test_commentary_when_too_few(session):
    antwoorden(session, "GM0014", date(2026, 8, 1), [7, 8])
    s = rapport.verzamel(
        session, queries.Filter(regio="PV20"), "2026-Q3", minimum=10, vandaag=date(2026, 10, 1)
    )
    assert rapport.commentaar(s)[0].startswith("Over 2026-Q3 zijn te weinig antwoorden")
    assert "te weinig antwoorden" in rapport.als_html(s).decode()
    assert cijfers.kerncijfers(cijfers.Sommen(), minimum=10).verborgen
