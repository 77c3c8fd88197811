"""The analyses at scale on PostgreSQL: a synthetic register of 100,000 diensten (bulk-inserted),
then the ecosysteemscan of all 35 arbeidsmarktregio's (target ≤ 5 s) and single
consistentietoetsen (target ≤ 200 ms p95), through the analyse service as a request calls it.

    STELSEL_TEST_POSTGRES_URL=... .venv/bin/python bench/analyse.py [--aantal 100000]

The index is built once per register version; its build time is reported separately (the
first request after a register change pays it).
"""

import argparse
import cProfile
import csv
import pstats
import random
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, select

from stelsel.analyse import service
from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.register import taxonomie as tx
from stelsel.register.models import Aanbieder, Dienst, DienstKenmerk, DienstWerkgebied

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench._pg import tijdelijke_database  # noqa: E402

THEMAS = list(tx.codes(tx.THEMAS))
FASEN = list(tx.codes(tx.FASEN))
DOELGROEPEN = list(tx.codes(tx.DOELGROEPEN))
SOORTEN = list(tx.codes(tx.DIENST_SOORTEN))


def zinnen() -> list[str]:
    with open(REPO / "data/register/diensten.csv", encoding="utf-8") as f:
        rijen = list(csv.DictReader(f))
    return [z.strip() + "." for r in rijen for z in r["omschrijving"].split(".") if len(z) > 20]


def vul(engine, aantal: int, rnd: random.Random) -> None:
    with session_scope(engine) as s:
        gemeenten = list(service.geo.known_codes(session=s)["gemeente"])
        codes = service.geo.known_codes(session=s)
    zin = zinnen()
    aanbieders = []
    for i in range(2000):
        aanbieders.append(
            {
                "id": uuid.uuid5(uuid.NAMESPACE_URL, f"a{i}"),
                "slug": f"bench-a{i}",
                "naam": f"Bench aanbieder {i}",
                "soort": rnd.choice(tx.codes(tx.AANBIEDER_SOORTEN)),
                "niveau": rnd.choice(tx.codes(tx.NIVEAUS)),
                "eerstelijns": rnd.random() < 0.5,
                "tweedelijns": rnd.random() < 0.5,
                "omschrijving": "",
                "bron": "bench",
                "gecontroleerd_op": __import__("datetime").date(2026, 1, 1),
            }
        )
    diensten, kenmerken, gebieden = [], [], []
    for i in range(aantal):
        did = uuid.uuid5(uuid.NAMESPACE_URL, f"d{i}")
        landelijk = rnd.random() < 0.1
        diensten.append(
            {
                "id": did,
                "slug": f"bench-d{i}",
                "aanbieder_id": aanbieders[i % len(aanbieders)]["id"],
                "naam": " ".join(rnd.choice(z.split()) for z in rnd.sample(zin, 4)).capitalize(),
                "omschrijving": " ".join(rnd.sample(zin, 3)),
                "soort": rnd.choice(SOORTEN),
                "kosten": "gratis",
                "landelijk": landelijk,
                "trefwoorden": "",
            }
        )
        for soort, pool, k in (
            ("thema", THEMAS, rnd.randint(1, 3)),
            ("fase", FASEN, rnd.randint(1, 2)),
            ("doelgroep", DOELGROEPEN, rnd.randint(1, 4)),
            ("kanaal", ["online", "telefoon", "fysiek"], rnd.randint(1, 2)),
        ):
            for v, code in enumerate(rnd.sample(pool, k)):
                kenmerken.append(
                    {
                        "id": uuid.uuid4(),
                        "dienst_id": did,
                        "soort": soort,
                        "code": code,
                        "volgorde": v,
                    }
                )
        if not landelijk:
            r = rnd.random()
            if r < 0.6:
                soort, code = "gemeente", rnd.choice(gemeenten)
            elif r < 0.8:
                soort, code = "arbeidsmarktregio", rnd.choice(sorted(codes["arbeidsmarktregio"]))
            elif r < 0.9:
                soort, code = "corop", rnd.choice(sorted(codes["corop"]))
            else:
                soort, code = "provincie", rnd.choice(sorted(codes["provincie"]))
            gebieden.append({"id": uuid.uuid4(), "dienst_id": did, "soort": soort, "code": code})
    with engine.begin() as c:
        c.execute(insert(Aanbieder.__table__), aanbieders)
        for tabel, rijen in (
            (Dienst.__table__, diensten),
            (DienstKenmerk.__table__, kenmerken),
            (DienstWerkgebied.__table__, gebieden),
        ):
            for start in range(0, len(rijen), 20000):
                c.execute(insert(tabel), rijen[start : start + 20000])


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--aantal", type=int, default=100_000)
    p.add_argument("--toetsen", type=int, default=60)
    p.add_argument("--profiel", action="store_true", help="profile the toetsen (cProfile)")
    args = p.parse_args()
    rnd = random.Random(14)
    with tijdelijke_database() as url:
        engine = make_engine(url)
        prepare(engine, with_register=False, data_dir=REPO / "data")
        t = time.perf_counter()
        vul(engine, args.aantal, rnd)
        print(f"register: {args.aantal} diensten ingevoegd in {time.perf_counter() - t:.1f} s")
        with session_scope(engine) as s:
            t = time.perf_counter()
            idx, _ = service.index(session=s)
            print(f"index (structuur): {time.perf_counter() - t:.2f} s, {len(idx)} diensten")
            t = time.perf_counter()
            idx.tekst  # noqa: B018 (the TF-IDF part, built on first toets)
            print(f"index (tekst, TF-IDF): {time.perf_counter() - t:.2f} s")
            t = time.perf_counter()
            idx.netwerk  # noqa: B018 (network copies, also built on first toets)
            print(f"index (netwerken): {time.perf_counter() - t:.2f} s")
            ams = [c for c, _ in service.regio_keuzes(session=s)["arbeidsmarktregio"]]
            t = time.perf_counter()
            for code in ams:
                service.ecosysteemscan(session=s, regio=code)
            scan = time.perf_counter() - t
            print(
                f"ecosysteemscan van alle {len(ams)} arbeidsmarktregio's: {scan:.2f} s (doel ≤ 5 s)"
            )
            slugs = list(s.scalars(select(Dienst.slug).limit(5000)))
            tijden = []
            profiel = cProfile.Profile() if args.profiel else None
            if profiel:
                profiel.enable()
            for i in range(args.toetsen):
                d = service.bestaand(session=s, dienst=rnd.choice(slugs))
                v = d if i % 2 else service.Voorstel(**{**d.__dict__, "slug": None})
                t = time.perf_counter()
                service.consistentietoets(session=s, voorstel=v)
                tijden.append(time.perf_counter() - t)
            if profiel:
                profiel.disable()
                pstats.Stats(profiel).sort_stats("cumtime").print_stats(15)
            tijden.sort()
            p50 = tijden[len(tijden) // 2] * 1000
            p95 = tijden[int(len(tijden) * 0.95) - 1] * 1000
            print(f"consistentietoets: p50 {p50:.0f} ms, p95 {p95:.0f} ms (doel ≤ 200 ms p95)")
        engine.dispose()
    ok = scan <= 5 and p95 <= 200
    print("OK" if ok else "TE LANGZAAM")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
