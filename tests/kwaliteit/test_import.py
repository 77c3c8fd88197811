"""`stelsel import enquete`: a good export is written as bron `import`; a malformed one is
refused with every problem by line and field, and nothing is written."""

from pathlib import Path

import pytest
import typer.main
from sqlalchemy import func, select

from stelsel.kwaliteit import importeren
from stelsel.kwaliteit.importeren import ImportFout
from stelsel.kwaliteit.models import EnqueteAntwoord, EnqueteAntwoordThema

KOP = "ontvangen_op,aanbieder,csat,ces,opgelost,nps,aantal_organisaties,opmerking,gemeente,themas"
GOED = [
    "2021-06-14,kvk,7,3,volledig,8,2,Snel geholpen,GM0193,financiering;personeel",
    "2021-07-01T10:30:00+02:00,qredits,4,2,nog_niet_verwacht_niet,3,,,,",
]


def _bestand(tmp_path: Path, regels: list[str], *, codering="utf-8", naam="export.csv") -> Path:
    pad = tmp_path / naam
    pad.write_bytes("\n".join(regels).encode(codering) + b"\n")
    return pad


def _aantal(session) -> int:
    return session.scalar(select(func.count()).select_from(EnqueteAntwoord))


def _problemen(session, pad: Path) -> list[tuple[int, str]]:
    with pytest.raises(ImportFout) as e:
        importeren.importeer(session=session, pad=pad)
    assert _aantal(session) == 0  # nothing written
    return [(p.regel, p.veld) for p in e.value.problemen]


def test_good_file_is_imported_as_bron_import(session, tmp_path):
    assert importeren.importeer(session=session, pad=_bestand(tmp_path, [KOP, *GOED])) == 2
    rijen = session.scalars(select(EnqueteAntwoord).order_by(EnqueteAntwoord.csat.desc())).all()
    a, b = rijen
    assert (a.bron, a.csat, a.ces, a.opgelost, a.nps, a.aantal_organisaties) == (
        "import",
        7,
        3,
        "volledig",
        8,
        2,
    )
    assert (a.gemeente_code, a.provincie_code, a.uitnodiging_id) == ("GM0193", "PV23", None)
    assert a.corop_code and a.arbeidsmarktregio_code
    assert sorted(
        session.scalars(
            select(EnqueteAntwoordThema.thema).where(EnqueteAntwoordThema.antwoord_id == a.id)
        )
    ) == ["financiering", "personeel"]
    assert b.gemeente_code is None and b.opmerking is None and b.aantal_organisaties is None
    assert b.ontvangen_op.replace(tzinfo=None).hour == 8  # 10:30 +02:00 is 08:30 UTC


def test_bom_and_semicolons_are_accepted(session, tmp_path):
    regels = [
        KOP.replace(",", ";"),
        *(
            r.replace(",", ";").replace("financiering;personeel", '"financiering;personeel"')
            for r in GOED
        ),
    ]
    pad = _bestand(tmp_path, regels, codering="utf-8-sig")
    assert importeren.importeer(session=session, pad=pad) == 2


@pytest.mark.parametrize(
    ("regels", "verwacht"),
    [
        # truncated: the last row stops halfway
        ([KOP, GOED[0], "2021-07-01,qredits,4"], [(3, "-")]),
        # an open quote never closed: the file was cut
        ([KOP, GOED[0], '2021-07-01,qredits,4,2,deels,3,1,"Het ging'], [(3, "-")]),
        # out of range, every one reported
        (
            [KOP, "2021-06-14,kvk,11,0,misschien,12,99,,GM0193,"],
            [(2, "csat"), (2, "ces"), (2, "opgelost"), (2, "nps"), (2, "aantal_organisaties")],
        ),
        # formula-like text (CSV injection)
        ([KOP, '2021-06-14,kvk,7,3,volledig,8,2,=HYPERLINK("x"),GM0193,'], [(2, "opmerking")]),
        ([KOP, "2021-06-14,kvk,7,3,volledig,8,2,@SUM(A1),GM0193,"], [(2, "opmerking")]),
        # unknown references, a date in the future, a bad date
        (
            [KOP, "2099-01-01,bestaat-niet,7,3,volledig,8,,,GM9999,koffie"],
            [(2, "ontvangen_op"), (2, "aanbieder"), (2, "gemeente"), (2, "themas")],
        ),
        ([KOP, "14-06-2021,kvk,7,3,volledig,8,,,,"], [(2, "ontvangen_op")]),
        # a missing required column, an unknown column
        (
            ["ontvangen_op,aanbieder,csat,ces,opgelost,naam", "2021-06-14,kvk,7,3,volledig,Jan"],
            [(1, "nps"), (1, "naam")],
        ),
        # only a header
        ([KOP], [(2, "-")]),
    ],
)
def test_malformed_file_writes_nothing(session, tmp_path, regels, verwacht):
    # a good row first: it is not written either
    assert sorted(_problemen(session, _bestand(tmp_path, regels))) == sorted(verwacht)


def test_wrong_encoding_is_refused(session, tmp_path):
    pad = _bestand(
        tmp_path, [KOP, *GOED, "2021-08-01,kvk,6,3,deels,6,1,Dat was té laat,,"], codering="latin-1"
    )
    assert _problemen(session, pad) == [(4, "-")]
    pad.write_bytes(b"\xff\xfe" + KOP.encode("utf-16-le"))
    assert _problemen(session, pad) == [(1, "-")]


def test_every_problem_of_a_file_at_once(session, tmp_path):
    regels = [
        KOP,
        GOED[0],
        "2021-06-14,kvk,0,3,volledig,8,,,,",
        GOED[1],
        "2021-06-14,kvk,7,3,volledig,-1,,,,",
    ]
    problemen = _problemen(session, _bestand(tmp_path, regels))
    assert (3, "csat") in problemen and (5, "nps") in problemen


def test_the_commands_are_wired():
    from stelsel.cli import app

    groep = typer.main.get_command(app)
    assert "demo" in groep.commands  # type: ignore[attr-defined]
    assert "enquete" in groep.commands["import"].commands  # type: ignore[attr-defined]
    assert {"uitnodigen", "opschonen"} <= set(groep.commands["kwaliteit"].commands)  # type: ignore[attr-defined]
