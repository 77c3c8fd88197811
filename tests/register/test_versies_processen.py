"""The wegwijzer follows a published edit at once on every server process (issue 12, item 6):
two engines on one database stand for two workers. The one that answers questions has built
its index; the other publishes and commits; the next question on the first finds the edit,
with no restart and no message between them: the register_versie row is the mechanism."""

from datetime import date

from stelsel.bootstrap import prepare
from stelsel.db import make_engine, session_scope
from stelsel.register import service as register
from stelsel.register.csvformaat import AanbiederRecord, DienstRecord, Register
from stelsel.wegwijzer import service as wegwijzer
from tests.conftest import REPO

VRAAG = "hulp bij een zeppelinhangaar voor luchtschepen"


def _klein_register() -> Register:
    a = AanbiederRecord(
        id="proef",
        naam="Proefloket",
        korte_naam="",
        soort="publiek",
        niveau="landelijk",
        eerstelijns=True,
        tweedelijns=False,
        website="https://proef.example.nl",
        email="",
        telefoon="",
        omschrijving="Een loket voor de proef.",
        bron="test",
        gecontroleerd_op=date(2026, 1, 1),
    )
    diensten = [
        DienstRecord(
            id=f"proef-{n}",
            aanbieder="proef",
            naam=naam,
            omschrijving=tekst,
            themas=["financiering"],
            transitiethemas=[],
            soort="advies",
            fasen=[],
            doelgroepen=[],
            kanalen=[],
            kosten="gratis",
            werkgebied=[],
            geldig_van=None,
            geldig_tot=None,
            trefwoorden=[],
            website="",
        )
        for n, naam, tekst in (
            (1, "Krediet voor starters", "Een lening om te beginnen."),
            (2, "Advies over personeel", "Hulp bij het aannemen van mensen."),
        )
    ]
    return Register(aanbieders=[a], diensten=diensten)


def test_a_published_edit_is_found_by_the_next_question_in_another_process(databases):
    schrijver = databases.engine()  # migrated, geography, no register
    url = schrijver.url.render_as_string(hide_password=False)
    with session_scope(schrijver) as s:
        register.load(session=s, register=_klein_register())
    vrager = make_engine(url)
    prepare(vrager, with_register=False, data_dir=REPO / "data")
    try:
        with session_scope(vrager) as s:
            eerst = wegwijzer.advies(session=s, vraag=VRAAG, registreer=False).resultaten
            assert "Zeppelinhangaar voor luchtschepen" not in [r.dienst_naam for r in eerst]
            versie_voor = register.versie(session=s)
        with session_scope(schrijver) as s:
            w = register.werkversie(session=s, soort="dienst", slug="proef-2")
            v = register.bewaar(
                session=s,
                soort="dienst",
                slug="proef-2",
                gegevens={
                    **w.gegevens,
                    "naam": "Zeppelinhangaar voor luchtschepen",
                    "omschrijving": "Hulp bij een zeppelinhangaar voor luchtschepen.",
                },
                verwacht_etag=w.etag,
                auteur_id=None,
                auteur_rol="registerbeheerder",
            )
            register.dien_in(session=s, versie_id=v.id)
        # a draft under review changes nothing the wegwijzer sees
        with session_scope(vrager) as s:
            assert register.versie(session=s) == versie_voor
        with session_scope(schrijver) as s:
            register.publiceer(session=s, versie_id=v.id, beoordelaar_id=None)
        with session_scope(vrager) as s:
            assert register.versie(session=s) != versie_voor
            daarna = wegwijzer.advies(session=s, vraag=VRAAG, registreer=False).resultaten
            assert daarna and daarna[0].dienst_slug == "proef-2"
            assert daarna[0].dienst_naam == "Zeppelinhangaar voor luchtschepen"
    finally:
        vrager.dispose()
