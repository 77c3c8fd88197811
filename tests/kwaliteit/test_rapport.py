"""The report: its commentary follows the figures by rule, and it renders as PDF and HTML."""

import uuid
import xml.etree.ElementTree as ET
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


def test_the_map_says_too_few_answers_for_a_hidden_group_and_no_data_for_none(session):
    """Groningen has 5 answers (below the minimum of 10): on the map and in its table it is
    "te weinig antwoorden", told apart from a provincie without any answer ("geen gegevens")."""
    antwoorden(session, "GM0363", date(2026, 8, 1), [8, 9, 10] * 10)  # Amsterdam
    antwoorden(session, "GM0599", date(2026, 8, 1), [6, 7] * 15)  # Rotterdam
    antwoorden(session, "GM0014", date(2026, 8, 1), [7, 8, 6, 7, 8])  # Groningen
    s = rapport.verzamel(
        session, queries.Filter(), "2026-Q3", minimum=10, vandaag=date(2026, 10, 1)
    )
    blok = next(b for b in rapport.blokken(s, "csat") if b.naam == "kaart")
    titels = {
        p.get("data-code"): p.find("{http://www.w3.org/2000/svg}title").text
        for p in ET.fromstring(blok.svg).iter("{http://www.w3.org/2000/svg}path")
        if p.get("data-code")
    }
    assert titels["PV20"] == "Groningen: te weinig antwoorden"
    assert titels["PV22"] == "Drenthe: geen gegevens"  # no answer at all
    # one of the two large groups is hidden too, so Groningen cannot be derived from the
    # national figure; it says the same (as its bar does), the other shows its mark
    assert {titels["PV27"], titels["PV28"]} == {
        "Noord-Holland: te weinig antwoorden",
        "Zuid-Holland: 6,5",
    }
    rij = {r[1]: r[2] for r in blok.tabel.rijen}
    assert rij["PV20"] == "te weinig antwoorden"
