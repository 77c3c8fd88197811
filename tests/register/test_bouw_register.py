"""scripts/bouw_register.py validates through the importer's code: both accept or refuse alike."""

import csv
import importlib.util
import shutil
from pathlib import Path

import pytest

from stelsel.register import csvformaat

REPO = Path(__file__).resolve().parents[2]
KLEIN = REPO / "tests" / "data" / "register-klein"


def _builder():
    spec = importlib.util.spec_from_file_location(
        "bouw_register", REPO / "scripts" / "bouw_register.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _set(path: Path, kolom: str, waarde: str) -> None:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][kolom] = waarde
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("kolom", "waarde"),
    [
        ("gecontroleerd_op", "20261123"),
        ("gecontroleerd_op", "2026-W47-1"),
        ("gecontroleerd_op", "2026-13-01"),
        ("gecontroleerd_op", "2026-11-23"),
        ("eerstelijns", "Ja"),
        ("naam", "N" * 201),
        ("id", "a" * 121),
        ("telefoon", "=1+1"),
    ],
)
def test_builder_and_importer_agree(tmp_path, kolom, waarde):
    bouw = _builder()
    # the builder, on the curated rows with the first aanbieder changed
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    _set(bron / "aanbieders.csv", kolom, waarde)
    try:
        bouw.bouw(bron)
        builder = "aanvaard"
    except bouw.Fouten as e:
        builder = next((m.split(": ", 1)[1] for m in e.meldingen if f": {kolom}: " in m), "?")
    # the importer, on the small register with the same change
    map_ = tmp_path / "klein"
    shutil.copytree(KLEIN, map_)
    if kolom == "id":  # keep its diensten pointing at it
        tekst = (map_ / "diensten.csv").read_text(encoding="utf-8")
        (map_ / "diensten.csv").write_text(
            tekst.replace(",ondernemershuis-fryslan,", f",{waarde},")
        )
    _set(map_ / "aanbieders.csv", kolom, waarde)
    gebieden = {
        "provincie": {"PV21"},
        "arbeidsmarktregio": {"AM02"},
        "corop": {"CR04"},
        "gemeente": {"GM0014", "GM0034", "GM0080"},
    }
    try:
        csvformaat.read_dir(map_, gebieden)
        importer = "aanvaard"
    except csvformaat.ImportFout as e:
        importer = next((str(p).split(": ", 1)[1] for p in e.problemen if p.veld == kolom), "?")
    assert builder == importer


def _contact(bron: Path, *rijen: str) -> None:
    (bron / "contact.csv").write_text(
        "id,website,email,telefoon,bron\n" + "".join(f"{r}\n" for r in rijen), encoding="utf-8"
    )


def _aanbieder(tekst: str, id_: str) -> dict[str, str]:
    return next(r for r in csv.DictReader(tekst.splitlines()) if r["id"] == id_)


def test_contact_fills_only_empty_fields_and_names_its_source(tmp_path):
    bouw = _builder()
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    _contact(
        bron,
        "kvk,https://elders.example,loket@kvk.nl,,contact: test",
        "gemeente-groningen,,,14 050,contact: test",
        "gemeente-almere,,,,contact: test",
    )
    tekst = bouw.bouw(bron)["aanbieders.csv"]
    kvk = _aanbieder(tekst, "kvk")
    assert (kvk["website"], kvk["email"], kvk["telefoon"]) == (
        "https://www.kvk.nl",
        "loket@kvk.nl",
        "",
    )
    assert kvk["bron"].endswith("; contact: test")
    groningen = _aanbieder(tekst, "gemeente-groningen")
    assert groningen["telefoon"] == "14 050" and groningen["bron"].endswith("; contact: test")
    assert "contact" not in _aanbieder(tekst, "gemeente-almere")["bron"]  # nothing filled


def test_contact_problems_name_the_contact_row(tmp_path):
    bouw = _builder()
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    _contact(
        bron,
        "gemeente-groningen,,geen-adres,,contact: test",
        "bestaat-niet,,,14 050,contact: test",
        "gemeente-almere,,,14 036,",
    )
    with pytest.raises(bouw.Fouten) as e:
        bouw.bouw(bron)
    meldingen = "\n".join(e.value.meldingen)
    assert "contact.csv:2: email: 'geen-adres' is geen geldig e-mailadres" in meldingen
    assert "contact.csv:3: id: 'bestaat-niet' is geen aanbieder" in meldingen
    assert "contact.csv:4: bron: verplicht veld is leeg" in meldingen


def test_contact_gives_the_official_name_and_the_new_contact_fields(tmp_path):
    bouw = _builder()
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    (bron / "contact.csv").write_text(
        "id,naam,korte_naam,website,email,telefoon,kvk_nummer,bezoekadres,postadres,bron\n"
        "gemeente-s-gravenhage,Gemeente Den Haag,Den Haag,,,,27365698,"
        '"Spui 70, 2511 BT Den Haag",,contact: test\n'
        "gemeente-almere,,,,,,123,,,contact: test\n",
        encoding="utf-8",
    )
    with pytest.raises(bouw.Fouten) as e:  # 123 is no KVK-nummer, and says where it came from
        bouw.bouw(bron)
    assert any(
        m.endswith("contact.csv:3: kvk_nummer: '123' is geen KVK-nummer (8 cijfers)")
        for m in e.value.meldingen
    ), e.value.meldingen
    tekst = (bron / "contact.csv").read_text(encoding="utf-8").replace(",123,", ",,")
    (bron / "contact.csv").write_text(tekst, encoding="utf-8")
    bestanden = bouw.bouw(bron)
    haag = _aanbieder(bestanden["aanbieders.csv"], "gemeente-s-gravenhage")  # the id stays
    assert (haag["naam"], haag["korte_naam"]) == ("Gemeente Den Haag", "Den Haag")
    assert (haag["kvk_nummer"], haag["bezoekadres"]) == ("27365698", "Spui 70, 2511 BT Den Haag")
    loket = _aanbieder(bestanden["diensten.csv"], "gemeente-s-gravenhage-ondernemersloket")
    assert loket["naam"] == "Ondernemersloket Den Haag"


def test_a_upl_uri_must_be_a_bundled_upl_product(tmp_path):
    bouw = _builder()
    bron = tmp_path / "bron"
    shutil.copytree(REPO / "data" / "bron", bron)
    regelingen = (bron / "regelingen.csv").read_text(encoding="utf-8")
    assert "kempenplus" in regelingen
    bouw.UPL_BIJSTAND_ZELFSTANDIGEN += "-bestaat-niet"
    try:
        with pytest.raises(bouw.Fouten) as e:
            bouw.bouw(bron)
    finally:
        bouw.UPL_BIJSTAND_ZELFSTANDIGEN = bouw.UPL_BIJSTAND_ZELFSTANDIGEN.removesuffix(
            "-bestaat-niet"
        )
    assert any("upl_uri" in m and "staat niet in data/upl" in m for m in e.value.meldingen)
