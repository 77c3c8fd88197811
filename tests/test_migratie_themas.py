"""Migration 0006 carries ';'-joined thema codes over to link tables and back, losslessly, on
both databases."""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command

from stelsel.db import make_engine
from stelsel.schema import alembic_config

# stored text → the codes it holds, in order
THEMAS = {
    "": [],
    "financiering": ["financiering"],
    "financiering;personeel;starten": ["financiering", "personeel", "starten"],
    "innovatie;financiering": ["innovatie", "financiering"],
}
# not canonical: empty parts and repeats are dropped, as every reader of the old column did
RUW = {"personeel;;innovatie;personeel;": ["personeel", "innovatie"]}


def _naar(engine, revisie: str, omlaag: bool = False) -> None:
    with engine.begin() as conn:
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        (command.downgrade if omlaag else command.upgrade)(cfg, revisie)


def test_themas_move_to_rows_and_back(databases):
    engine = make_engine(databases.url())
    databases.engines.append(engine)
    _naar(engine, "0005")
    alles = {**THEMAS, **RUW}
    hulpvragen = {uuid.uuid4(): tekst for tekst in alles}
    signalen = {uuid.uuid4(): tekst for tekst in alles}
    nu = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as c:
        for id_, tekst in hulpvragen.items():
            c.execute(
                sa.text(
                    "INSERT INTO hulpvraag (id, aanbieder_id, aangemaakt_door, themas, urgentie,"
                    " toegangscode_hash, aangemaakt_op)"
                    " VALUES (:id, :a, :a, :t, 'normaal', :h, :nu)"
                ).bindparams(
                    sa.bindparam("id", type_=sa.Uuid()), sa.bindparam("a", type_=sa.Uuid())
                ),
                {"id": id_, "a": uuid.uuid4(), "t": tekst, "h": uuid.uuid4().hex * 2, "nu": nu},
            )
        for id_, tekst in signalen.items():
            c.execute(
                sa.text(
                    "INSERT INTO vraagsignaal (id, tijdstip, themas, soort, aantal_resultaten)"
                    " VALUES (:id, :nu, :t, 'vraag', 0)"
                ).bindparams(sa.bindparam("id", type_=sa.Uuid())),
                {"id": id_, "t": tekst, "nu": nu},
            )

    _naar(engine, "0006")
    for tabel, fk, rijen in (
        ("hulpvraag_thema", "hulpvraag_id", hulpvragen),
        ("vraagsignaal_thema", "vraagsignaal_id", signalen),
    ):
        t = sa.table(tabel, sa.column(fk, sa.Uuid()), sa.column("thema"), sa.column("volgorde"))
        with engine.connect() as c:
            gevonden: dict[uuid.UUID, list[str]] = {id_: [] for id_ in rijen}
            for id_, thema in c.execute(sa.select(t.c[fk], t.c.thema).order_by(t.c.volgorde)):
                gevonden[id_].append(thema)
        assert gevonden == {id_: alles[tekst] for id_, tekst in rijen.items()}, tabel
    with engine.connect() as c:
        kolommen = {k["name"] for k in sa.inspect(c).get_columns("hulpvraag")}
    assert "themas" not in kolommen

    _naar(engine, "0005", omlaag=True)
    for tabel, rijen in (("hulpvraag", hulpvragen), ("vraagsignaal", signalen)):
        t = sa.table(tabel, sa.column("id", sa.Uuid()), sa.column("themas"))
        with engine.connect() as c:
            terug = dict(c.execute(sa.select(t.c.id, t.c.themas)).all())
        assert terug == {id_: ";".join(alles[tekst]) for id_, tekst in rijen.items()}, tabel
        # canonical values come back byte for byte
        assert all(terug[id_] == tekst for id_, tekst in rijen.items() if tekst in THEMAS)
    with engine.connect() as c:
        assert not {"hulpvraag_thema", "vraagsignaal_thema"} & set(sa.inspect(c).get_table_names())
