"""The rollup gives exactly the figures of the raw rows, on both databases: counted one response
at a time (tel_op) and rebuilt (herbouw), for totals, filters and every breakdown."""

import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from stelsel.kwaliteit import cijfers, queries, rollup
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema, KwaliteitMaand

AANBIEDERS = [uuid.UUID(int=i) for i in (1, 2, 3)]
DIENSTEN = [uuid.UUID(int=i) for i in (11, 12)]
GEMEENTEN = ["GM0363", "GM0599", "GM0014", "GM0344", None]
THEMAS = ["financiering", "starten", "personeel"]
BEGIN = datetime(2026, 3, 30, 22, 30, tzinfo=UTC)

antwoord = st.fixed_dictionaries(
    {
        "csat": st.integers(1, 10),
        "ces": st.integers(1, 5),
        "nps": st.integers(0, 10),
        "opgelost": st.sampled_from(cijfers.OPGELOST),
        "eerste_keer_goed": st.sampled_from([True, False, None]),
        "aanbieder_id": st.sampled_from(AANBIEDERS),
        "dienst_id": st.sampled_from([*DIENSTEN, None]),
        "gemeente_code": st.sampled_from(GEMEENTEN),
        "segment": st.sampled_from(["starter_zzp", "gevestigd_klein", None]),
        "bron": st.sampled_from(["enquete", "import"]),
        "uren": st.integers(0, 24 * 200),
        "themas": st.lists(st.sampled_from(THEMAS), unique=True, max_size=2),
    }
)


def schrijf(session, rijen, *, tel_op=True):
    for r in rijen:
        r = dict(r)
        themas = r.pop("themas")
        a = EnqueteAntwoord(
            id=uuid.uuid4(), ontvangen_op=BEGIN + timedelta(hours=r.pop("uren")), **r
        )
        session.add(a)
        session.flush()
        for t in themas:
            session.add(EnqueteAntwoordThema(antwoord_id=a.id, thema=t))
        session.flush()
        if tel_op:
            rollup.tel_op(session, a.id)


def filters():
    yield queries.Filter()
    yield queries.Filter(regio="PV27")  # Noord-Holland: Amsterdam
    yield queries.Filter(regio="GM0599", thema="starten")
    yield queries.Filter(aanbieder_id=AANBIEDERS[0], van=BEGIN.date() + timedelta(days=2))
    yield queries.Filter(thema="financiering", tot=BEGIN.date() + timedelta(days=60))
    # whole months, and a period inside one month
    yield queries.Filter(van=date(2026, 4, 1), tot=date(2026, 5, 31))
    yield queries.Filter(van=date(2026, 4, 3), tot=date(2026, 4, 20))


DIMS = (
    "aanbieder",
    "thema",
    "gemeente",
    "provincie",
    "arbeidsmarktregio",
    "corop",
    "maand",
    "kwartaal",
)


def vergelijk(session, g):
    for i, f in enumerate(filters()):
        assert queries.sommen(session, f, g=g, bron="rollup") == (
            queries.sommen(session, f, g=g, bron="ruw")
        ), f
        for dim in DIMS:
            assert queries.sommen_per(session, f, dim, g=g, bron="rollup") == (
                queries.sommen_per(session, f, dim, g=g, bron="ruw")
            ), (f, dim)
        if i in (0, 2):
            # the figures themselves, intervals and hiding included
            for dim in ("provincie", "thema", "maand"):
                a = queries.uitsplitsing(session, f, dim, minimum=3, g=g, bron="rollup")
                assert a == queries.uitsplitsing(session, f, dim, minimum=3, g=g, bron="ruw")


@settings(
    max_examples=4,
    deadline=None,
    # no shrinking: each example is a database round trip; the failing example is printed
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rijen=st.lists(antwoord, min_size=0, max_size=25))
def test_rollup_equals_raw_rows(session, rijen):
    g = queries.geografie(session)
    nested = session.begin_nested()
    try:
        schrijf(session, rijen)
        vergelijk(session, g)
        # the rebuild gives the same rows as counting one at a time
        voor = sorted(
            tuple(r)
            for r in session.execute(
                select(*[c for c in KwaliteitMaand.__table__.c if c.name != "id"])
            )
        )
        rollup.herbouw(session)
        na = sorted(
            tuple(r)
            for r in session.execute(
                select(*[c for c in KwaliteitMaand.__table__.c if c.name != "id"])
            )
        )
        assert na == voor
    finally:
        nested.rollback()


def test_totals_count_a_response_with_two_themas_once(session):
    g = queries.geografie(session)
    schrijf(
        session,
        [
            {
                "csat": 8,
                "ces": 4,
                "nps": 9,
                "opgelost": "volledig",
                "eerste_keer_goed": True,
                "aanbieder_id": AANBIEDERS[0],
                "dienst_id": None,
                "gemeente_code": "GM0363",
                "segment": None,
                "bron": "enquete",
                "uren": 1,
                "themas": ["starten", "personeel"],
            }
        ],
    )
    assert queries.sommen(session, queries.Filter(), g=g).n == 1
    per = queries.sommen_per(session, queries.Filter(), "thema", g=g)
    assert {k: s.n for k, s in per.items()} == {"personeel": 1, "starten": 1}
    rows = session.scalar(select(func.count()).select_from(KwaliteitMaand))
    assert rows == 3  # '*', personeel, starten


def test_a_month_is_one_row_and_partial_months_read_the_raw_rows(session):
    g = queries.geografie(session)
    basis = {
        "csat": 8,
        "ces": 4,
        "nps": 9,
        "opgelost": "volledig",
        "eerste_keer_goed": True,
        "aanbieder_id": AANBIEDERS[0],
        "dienst_id": None,
        "gemeente_code": "GM0363",
        "segment": None,
        "bron": "enquete",
        "themas": [],
    }
    # BEGIN is 2026-03-30 22:30 UTC: +1 h is March 30, +26 h April 1st, +3 days April 2nd
    schrijf(session, [{**basis, "uren": u} for u in (0, 1, 26, 24 * 3, 24 * 40)])
    maanden = session.scalars(
        select(KwaliteitMaand.maand).where(KwaliteitMaand.thema == rollup.ALLE)
    ).all()
    assert sorted(m.isoformat() for m in maanden) == ["2026-03-01", "2026-04-01", "2026-05-01"]
    n = lambda **kw: queries.sommen(session, queries.Filter(**kw), g=g).n  # noqa: E731
    assert n() == 5
    assert n(van=date(2026, 4, 1), tot=date(2026, 4, 30)) == 2
    assert n(van=date(2026, 4, 2)) == 2  # April 2nd (partial, raw) and May (rollup)
    assert n(tot=date(2026, 4, 1)) == 3  # March (rollup) and April 1st (raw)
    assert n(van=date(2026, 3, 31), tot=date(2026, 4, 1)) == 1
    per = queries.sommen_per(session, queries.Filter(van=date(2026, 3, 31)), "maand", g=g)
    assert {k: s.n for k, s in per.items()} == {"2026-04": 2, "2026-05": 1}


def test_rebuild_of_one_bron_leaves_the_others(session):
    g = queries.geografie(session)
    basis = {
        "csat": 7,
        "ces": 3,
        "nps": 5,
        "opgelost": "deels",
        "eerste_keer_goed": None,
        "aanbieder_id": AANBIEDERS[1],
        "dienst_id": None,
        "gemeente_code": None,
        "segment": None,
        "uren": 5,
        "themas": [],
    }
    schrijf(session, [{**basis, "bron": "import"}, {**basis, "bron": "demo"}])
    session.execute(delete(EnqueteAntwoord).where(EnqueteAntwoord.bron == "demo"))
    rollup.herbouw(session, bron="demo")
    assert queries.sommen(session, queries.Filter(), g=g).n == 1
    assert queries.sommen(session, queries.Filter(), g=g, bron="ruw").n == 1


def test_day_is_the_utc_date():
    assert rollup.dag_van(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)).isoformat() == "2026-03-31"
    cet = datetime(2026, 4, 1, 0, 30, tzinfo=UTC) + timedelta(hours=0)
    assert rollup.dag_van(cet.astimezone()).isoformat() == "2026-04-01"


def test_periods():
    assert queries.periode_van(date(2026, 7, 14), "kwartaal") == "2026-Q3"
    assert queries.periode_grenzen("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert queries.periode_grenzen("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert queries.vorige_periode("2026-Q1") == "2025-Q4"
    assert queries.vorige_periode("2026-01") == "2025-12"
