"""The statistics in SQL (queries.py) equal the old computation in Python over ORM rows, on
both databases, for a varied set of cases: chains, ping-pong, late referrals, regions."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import or_, select

from stelsel.accounts.rollen import Actor
from stelsel.doorverwijzing import levenscyclus as lc
from stelsel.doorverwijzing import queries, service
from stelsel.doorverwijzing.models import Doorverwijzing, DoorverwijzingKeten, Hulpvraag
from stelsel.register import taxonomie as tx

VANDAAG = date.today()
A, B, C, D = (uuid.uuid5(uuid.NAMESPACE_URL, f"aanbieder-{n}") for n in "ABCD")
THEMA_CODES = list(tx.codes(tx.THEMAS))
REGIO = [("PV21", "AM01"), ("PV21", "AM02"), ("PV22", "AM03"), ("PV27", "AM01"), (None, None)]


def oud(session, actor: Actor) -> dict:
    """The oracle: service.statistieken as it was before queries.py, every ORM row loaded and
    counted in Python."""
    stmt = select(Doorverwijzing).join(Hulpvraag)
    if actor.rol == "regiocoordinator":
        stmt = stmt.where(
            or_(
                Hulpvraag.provincie_code == actor.regio_code,
                Hulpvraag.arbeidsmarktregio_code == actor.regio_code,
            )
        )
    verwijzingen = session.scalars(stmt).all()
    per_status = {s: 0 for s in lc.STATUSSEN}
    per_uitkomst = {u: 0 for u in lc.UITKOMSTEN}
    per_reden = {s: {r: 0 for r in lc.ALLE_REDENEN} for s in sorted(lc.MET_REDEN)}
    per_zaak: dict[uuid.UUID, list[Doorverwijzing]] = {}
    for d in verwijzingen:
        per_status[d.status] += 1
        if d.uitkomst:
            per_uitkomst[d.uitkomst] += 1
        if d.reden_code:
            per_reden[d.status][d.reden_code] += 1
        per_zaak.setdefault(d.hulpvraag_id, []).append(d)
    per_thema = {t: {"hulpvragen": 0, "doorverwijzingen": 0} for t in tx.codes(tx.THEMAS)}
    for v in per_zaak.values():
        for t in v[0].hulpvraag.themas:
            per_thema[t]["hulpvragen"] += 1
            per_thema[t]["doorverwijzingen"] += len(v)
    kenmerken = [
        service.keten_kenmerken(sorted(v, key=lambda d: d.aangemaakt_op)) for v in per_zaak.values()
    ]
    return {
        "regio": actor.regio_code,
        "aantal_doorverwijzingen": len(verwijzingen),
        "aantal_hulpvragen": len(per_zaak),
        "per_status": per_status,
        "per_uitkomst": per_uitkomst,
        "per_reden": per_reden,
        "te_laat": sum(service.te_laat(d) for d in verwijzingen),
        "gemiddeld_aantal_hops": round(sum(k["hops"] for k in kenmerken) / len(kenmerken), 2)
        if kenmerken
        else 0.0,
        "pingpong": sum(bool(k["pingpong"]) for k in kenmerken),
        "per_thema": per_thema,
    }


def _zaak(session, regio, keten, statussen=None, deadlines=None, themas=()) -> Hulpvraag:
    """A hulpvraag in a region with a chain of providers keten[0] → keten[1] → …; each
    referral a minute after the previous one."""
    provincie, amr = regio
    h = Hulpvraag(
        id=uuid.uuid4(),
        aanbieder_id=keten[0] if keten else A,
        aangemaakt_door=uuid.uuid4(),
        themas=list(themas),
        provincie_code=provincie,
        arbeidsmarktregio_code=amr,
        toegangscode_hash=uuid.uuid4().hex * 2,
    )
    session.add(h)
    start = datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(hours=random.randrange(10_000))
    for i, (van, naar) in enumerate(zip(keten, keten[1:], strict=False)):
        status = statussen[i] if statussen else lc.VERZONDEN
        session.add(
            Doorverwijzing(
                id=uuid.uuid4(),
                hulpvraag_id=h.id,
                van_aanbieder_id=van,
                naar_aanbieder_id=naar,
                status=status,
                uitkomst=random.choice(lc.UITKOMSTEN) if status == lc.AFGEROND else None,
                reden_code=random.choice(lc.ALLE_REDENEN) if status in lc.MET_REDEN else None,
                aangemaakt_op=start + timedelta(minutes=i),
                bijgewerkt_op=start,
                eerste_contact_voor=deadlines[i] if deadlines else VANDAAG + timedelta(days=3),
            )
        )
    return h


def _actoren() -> list[Actor]:
    return [Actor(id=uuid.uuid4(), rol="stelselregisseur")] + [
        Actor(id=uuid.uuid4(), rol="regiocoordinator", regio_code=code)
        for code in ("PV21", "PV22", "PV27", "PV20", "AM01", "AM03")
    ]


def test_sql_equals_the_python_computation(session):
    random.seed(10)
    gisteren, morgen = VANDAAG - timedelta(days=1), VANDAAG + timedelta(days=1)
    # the edge cases by name
    _zaak(session, REGIO[0], [A, B])  # one hop
    _zaak(session, REGIO[0], [A, B, C])  # no ping-pong
    _zaak(session, REGIO[0], [A, B, A])  # back to the first sender
    _zaak(session, REGIO[1], [A, B, C, B])  # back to the receiver two steps earlier
    _zaak(session, REGIO[1], [A, B, A, B, A])  # ping-pong three times, one case
    _zaak(session, REGIO[2], [A, B, C, D, A])  # a long chain that returns, but not 2 back
    _zaak(session, REGIO[2], [])  # a case without referrals
    _zaak(
        session,
        REGIO[3],
        [A, B, C, D, B],
        statussen=[lc.VERZONDEN, lc.ONTVANGEN, lc.GEACCEPTEERD, lc.VERZONDEN],
        deadlines=[gisteren, gisteren, gisteren, VANDAAG],  # late, late, answered, not yet
    )
    _zaak(session, REGIO[4], [C, D], statussen=[lc.ONTVANGEN], deadlines=[morgen])
    # and a random mix
    for _ in range(80):
        n = random.choice([0, 1, 1, 2, 2, 3, 4, 6])
        keten = [random.choice([A, B, C, D])]
        for _ in range(n):
            keten.append(random.choice([p for p in (A, B, C, D) if p != keten[-1]]))
        _zaak(
            session,
            random.choice(REGIO),
            keten,
            statussen=[random.choice(lc.STATUSSEN) for _ in range(n)],
            deadlines=[VANDAAG + timedelta(days=random.randint(-5, 5)) for _ in range(n)],
            themas=random.sample(THEMA_CODES, random.choice([0, 1, 1, 2, 3])),
        )
    session.flush()
    for actor in _actoren():
        verwacht = oud(session, actor)
        assert service.statistieken(session=session, actor=actor) == verwacht, actor.regio_code


def test_hand_counted_region(session):
    """PV20 (Groningen) holds only these cases here: counted by hand."""
    gisteren = VANDAAG - timedelta(days=1)
    regio = ("PV20", "AM99")
    _zaak(
        session,
        regio,
        [A, B, A],
        [lc.AFGEROND, lc.VERZONDEN],
        deadlines=[gisteren] * 2,
        themas=["financiering", "personeel"],
    )
    _zaak(
        session,
        regio,
        [A, C, D, C],
        [lc.GEWEIGERD, lc.ONTVANGEN, lc.GEANNULEERD],
        themas=["financiering"],
    )
    _zaak(session, regio, [B, D], statussen=[lc.ONTVANGEN], deadlines=[gisteren])
    _zaak(session, regio, [], themas=["personeel"])  # no referrals: not counted
    session.flush()
    s = service.statistieken(
        session=session, actor=Actor(id=uuid.uuid4(), rol="regiocoordinator", regio_code="PV20")
    )
    assert s["aantal_doorverwijzingen"] == 6 and s["aantal_hulpvragen"] == 3
    assert s["per_status"] == {
        lc.VERZONDEN: 1,
        lc.ONTVANGEN: 2,
        lc.GEACCEPTEERD: 0,
        lc.GEWEIGERD: 1,
        lc.IN_BEHANDELING: 0,
        lc.AANGEHOUDEN: 0,
        lc.AFGEROND: 1,
        lc.GEANNULEERD: 1,
        lc.MISLUKT: 0,
    }
    assert sum(sum(r.values()) for r in s["per_reden"].values()) == 2  # geweigerd, geannuleerd
    assert sum(s["per_uitkomst"].values()) == 1
    assert s["te_laat"] == 2  # the verzonden one and the last ontvangen one, both past gisteren
    assert s["pingpong"] == 2 and s["gemiddeld_aantal_hops"] == 2.0
    assert s["per_thema"]["financiering"] == {"hulpvragen": 2, "doorverwijzingen": 5}
    assert s["per_thema"]["personeel"] == {"hulpvragen": 1, "doorverwijzingen": 2}
    assert sum(v["hulpvragen"] for v in s["per_thema"].values()) == 3


@pytest.mark.parametrize("rol", ["adviseur", "beheerder"])
def test_only_regional_and_national_roles(session, rol):
    with pytest.raises(service.Verboden):
        service.statistieken(session=session, actor=Actor(id=uuid.uuid4(), rol=rol))


def _keten_tabel(session) -> dict[uuid.UUID, tuple[int, bool]]:
    session.flush()
    rijen = session.execute(
        select(
            DoorverwijzingKeten.hulpvraag_id,
            DoorverwijzingKeten.aantal,
            DoorverwijzingKeten.pingpong,
        )
    )
    return {h: (n, bool(p)) for h, n, p in rijen}


def _uit_de_rijen(session) -> dict[uuid.UUID, tuple[int, bool]]:
    """The oracle of doorverwijzing_keten: each case's chain from its ORM rows in order."""
    per_zaak: dict[uuid.UUID, list[Doorverwijzing]] = {}
    for d in session.scalars(select(Doorverwijzing).order_by(Doorverwijzing.aangemaakt_op)):
        per_zaak.setdefault(d.hulpvraag_id, []).append(d)
    return {h: (len(v), bool(service.keten_kenmerken(v)["pingpong"])) for h, v in per_zaak.items()}


def test_the_case_table_follows_every_write(session):
    """doorverwijzing_keten (kept by the database's triggers) equals the chains after inserts,
    an insert that sorts before existing referrals, deletes, moves and status changes."""
    z1 = _zaak(session, REGIO[0], [A, B, C])
    z2 = _zaak(session, REGIO[1], [A, B])
    session.flush()
    assert _keten_tabel(session) == _uit_de_rijen(session) == {z1.id: (2, False), z2.id: (1, False)}
    eerste = session.scalars(
        select(Doorverwijzing)
        .where(Doorverwijzing.hulpvraag_id == z1.id)
        .order_by(Doorverwijzing.aangemaakt_op)
    ).first()
    assert eerste is not None
    # a referral C → A dated before the others: the chain becomes C, A, B, C (C is three back)
    session.add(
        Doorverwijzing(
            id=uuid.uuid4(),
            hulpvraag_id=z1.id,
            van_aanbieder_id=C,
            naar_aanbieder_id=A,
            status=lc.VERZONDEN,
            aangemaakt_op=eerste.aangemaakt_op - timedelta(hours=1),
            bijgewerkt_op=eerste.aangemaakt_op,
            eerste_contact_voor=VANDAAG,
        )
    )
    assert _keten_tabel(session) == _uit_de_rijen(session)
    assert _keten_tabel(session)[z1.id] == (3, False)
    # A → B now goes to C: the chain C, A, C, C returns to C two steps back
    eerste.naar_aanbieder_id = C
    assert _keten_tabel(session) == _uit_de_rijen(session)
    assert _keten_tabel(session)[z1.id] == (3, True)
    # a status change leaves it alone; moving a referral changes both cases
    eerste.status = lc.GEACCEPTEERD
    eerste.hulpvraag_id = z2.id
    assert _keten_tabel(session) == _uit_de_rijen(session)
    assert _keten_tabel(session)[z1.id][0] == 2 and _keten_tabel(session)[z2.id][0] == 2
    # deleting every referral of a case removes its row
    for d in session.scalars(select(Doorverwijzing).where(Doorverwijzing.hulpvraag_id == z1.id)):
        session.delete(d)
    assert _keten_tabel(session) == _uit_de_rijen(session)
    assert z1.id not in _keten_tabel(session)


def test_rebuilding_the_case_table_gives_what_the_triggers_kept(session):
    random.seed(11)
    for _ in range(40):
        keten = [random.choice([A, B, C, D]) for _ in range(random.choice([1, 2, 3, 5]))]
        _zaak(session, random.choice(REGIO), keten)
    bijgehouden = _keten_tabel(session)
    assert queries.herbouw_keten(session.connection()) == len(bijgehouden)
    assert _keten_tabel(session) == bijgehouden == _uit_de_rijen(session)
