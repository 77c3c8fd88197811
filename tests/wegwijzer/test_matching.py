"""The matching core, without a database: lexicon, analysis, ranking, explanations."""

from pathlib import Path

import numpy as np
import pytest

from stelsel.wegwijzer import lexicon as lx
from stelsel.wegwijzer.matching import (
    Analyse,
    Document,
    Matcher,
    Weging,
    algemeen,
    ook_over,
    uitleg,
    uitleg_kaarten,
)
from stelsel.wegwijzer.semantiek import grootste
from stelsel.wegwijzer.tekst import lees_stopwoorden, stam, woorden

DATA = Path(__file__).resolve().parents[2] / "data" / "wegwijzer"


def doc(
    slug,
    aanbieder,
    naam,
    tekst,
    themas,
    soort="advies",
    gebieden=(),
    eerstelijns=False,
    doelgroepen=(),
    markt=False,
    netwerk=None,
):
    return Document(
        dienst_id=slug,
        slug=slug,
        naam=naam,
        omschrijving=tekst,
        trefwoorden=(),
        aanbieder_id=aanbieder,
        aanbieder_naam=aanbieder.title(),
        aanbieder_korte_naam="",
        eerstelijns=eerstelijns,
        themas=tuple(themas),
        doelgroepen=tuple(doelgroepen),
        soort=soort,
        kosten="gratis",
        landelijk=not gebieden,
        gebieden=frozenset(gebieden),
        markt=markt,
        netwerk=netwerk,
    )


DOCS = [
    doc(
        "krediet",
        "bankhulp",
        "Lening A",
        "Een lening voor uw bedrijf.",
        ["financiering"],
        "financiering",
        doelgroepen=["starters"],
    ),
    doc(
        "krediet2",
        "bankhulp",
        "Lening C",
        "Een lening voor uw bedrijf.",
        ["financiering"],
        "financiering",
    ),
    doc(
        "groeilening",
        "groeifonds",
        "Lening B",
        "Een lening voor uw bedrijf.",
        ["financiering"],
        "financiering",
        doelgroepen=["peloton"],
    ),
    doc(
        "vacatures",
        "werkpunt",
        "Personeel vinden",
        "Hulp bij vacatures en werving van medewerkers.",
        ["personeel"],
    ),
    doc(
        "btw",
        "fiscus",
        "Btw-aangifte",
        "Uitleg over btw en aangifte doen.",
        ["wet-en-regelgeving"],
        "informatie",
    ),
    doc(
        "faillissement",
        "reddingslijn",
        "Hulp bij faillissement",
        "Advies als uw bedrijf failliet dreigt te gaan.",
        ["zwaar-weer"],
    ),
    doc(
        "friesland",
        "fryske-hub",
        "Eerste aanspreekpunt in Friesland",
        "Advies voor ondernemers in Friesland.",
        ["bedrijfsvoering"],
        gebieden=[("provincie", "PV21")],
        eerstelijns=True,
    ),
    doc(
        "landelijk-advies",
        "loket",
        "Advies voor ondernemers",
        "Advies voor alle ondernemers.",
        ["bedrijfsvoering"],
        eerstelijns=True,
    ),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(DOCS, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))


@pytest.mark.parametrize(
    ("vraag", "thema"),
    [
        ("Ik wil geld lenen voor een nieuwe machine", "financiering"),
        ("Mijn vacatures blijven openstaan", "personeel"),
        ("Hoe doe ik btw-aangifte?", "wet-en-regelgeving"),
        ("Mijn bedrijf gaat bijna failliet", "zwaar-weer"),
        ("export naar Frankrijk", "internationalisering"),
        ("wbso", "innovatie"),
    ],
)
def test_main_thema(matcher, vraag, thema):
    analyse, _, _ = matcher.analyseer(vraag)
    assert thema in analyse.themas


def test_question_spanning_themes_says_so(matcher):
    analyse, _, _ = matcher.analyseer("Ik zoek een lening om personeel aan te nemen")
    assert set(analyse.themas[:2]) == {"financiering", "personeel"}
    assert ook_over(analyse) == analyse.themas[1:]


@pytest.mark.parametrize(
    ("vraag", "soort"),
    [
        ("Welke regels gelden voor mijn terras?", "informatie"),
        ("Ik zoek een coach die mij kan begeleiden", "advies"),
        ("Wie kan mij helpen met mijn schulden?", "advies"),
    ],
)
def test_soort(matcher, vraag, soort):
    assert matcher.analyseer(vraag)[0].soort == soort


def test_typo_is_corrected(matcher):
    analyse, treffers = matcher.zoek("faillisement dreigt")
    assert analyse.verbeterd == {"faillisement": "faillissement"}
    assert treffers[0].document.slug == "faillissement"


def test_unknown_compounds_are_split_into_known_parts(matcher):
    # 'faillissementshulp' occurs nowhere; its parts do
    assert matcher._delen("faillissementshulp") == ["faillissement", "hulp"]  # linking s
    assert matcher._delen("kwastenwerving") == []  # 'kwast' is not in the index
    analyse, treffers = matcher.zoek("faillissementshulp")
    assert treffers[0].document.slug == "faillissement"
    assert analyse.verbeterd == {}  # split, not 'corrected' to a look-alike word
    assert matcher._verbeter(["faillissementshulp", "medewerkers"])[0] == [
        "faillissementshulp",
        "faillissement",
        "hulp",
        "medewerkers",  # known words stay whole
    ]


def test_an_unknown_compound_with_an_unknown_first_part_keeps_its_known_last_part(matcher):
    # 'kwast' is unknown, 'werving' is known: the last part says what the word is about
    assert matcher._verbeter(["kwastenwerving"])[0] == ["kwastenwerving", "werving"]
    assert matcher._delen("kwastenwerving") == []  # a known compound needs both parts
    # prefixes are no first part: 'be', 'toe', 'aan' are shorter than four letters
    assert matcher._verbeter(["aanwerving"])[0] == ["aanwerving"]


def test_d_for_t_at_the_end_of_a_verb_is_corrected():
    docs = [doc("factuur", "incasso", "Klant betaalt niet", "Als een klant niet betaalt.", [])]
    m = Matcher(docs, [], frozenset())
    words, fixed = m._verbeter(["betaald", "betaalt", "bedrijvd"])
    assert words == ["betaalt", "betaalt", "bedrijvd"]  # no t-form known for the last
    assert fixed == {"betaald": "betaalt"}


def test_a_stemmer_collision_does_not_name_a_thema():
    # the Dutch stemmer reads 'gebeurt' as 'beur', the stem of 'beurs' (a trade fair)
    termen = lx.lees(DATA / "lexicon.csv")
    gevonden = lx.Lexicon(termen).zoek([stam("gebeurt")], ["gebeurt"])
    assert not any("internationalisering" in t.themas for t in gevonden)
    beurs = lx.Lexicon(termen).zoek([stam("beurs")], ["beurs"])
    assert any("internationalisering" in t.themas for t in beurs)


def test_known_compounds_widen_the_search_with_their_parts():
    docs = [
        doc(
            "loket", "gemeente", "Ondernemersloket", "Ook uw terrasvergunning.", ["bedrijfsvoering"]
        ),
        doc("vergunning", "rijk", "Vergunning", "Voor een terras.", ["wet-en-regelgeving"]),
    ]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    analyse, scores, query = m.analyseer("terrasvergunning")
    assert {stam("terras"), stam("vergunning")} <= set(query)
    assert scores[0] > 0 and scores[1] > 0  # the second has only the parts
    # the lexicon term 'vergunning' is not matched by the part of a known word
    assert (stam("vergunning"),) not in [t.stammen for t in analyse.termen]


def test_a_market_party_is_not_the_first_door_when_a_public_one_fits():
    tekst = "Een lening of krediet voor uw bedrijf."
    docs = [
        doc(
            "bank",
            "banken",
            "Zakelijke lening voor uw bedrijf",
            tekst,
            ["financiering"],
            markt=True,
        ),
        doc("fonds", "fonds", "Zakelijke lening", tekst, ["financiering"]),
    ]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    _, treffers = m.zoek("lening voor mijn bedrijf")
    assert [t.document.slug for t in treffers] == ["fonds", "bank"]  # still listed, second
    m.w = Weging(markt=0.0)
    _, treffers = m.zoek("lening voor mijn bedrijf")
    assert treffers[0].document.slug == "bank"  # the better text match, without the rule


def test_sector_widens_the_search_but_names_no_thema():
    docs = [
        doc(
            "khn",
            "horecabond",
            "Advies voor de horeca",
            "Voor cafés en restaurants.",
            ["personeel"],
        ),
        doc("loket", "loket", "Advies over personeel", "Personeel vinden.", ["personeel"]),
    ]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    zonder, treffers = m.zoek("advies over personeel")
    voor = {t.document.slug: t.score for t in treffers}
    met, treffers = m.zoek("advies over personeel", sector="horeca")
    na = {t.document.slug: t.score for t in treffers}
    assert na["khn"] > voor["khn"] and na["loket"] <= voor["loket"]
    assert met.themas == zonder.themas  # 'horeca' is a lexicon term, but not a question


def test_a_question_without_a_place_gets_one_stand_in_per_network_of_desks():
    def wsp(regio, code):
        return doc(
            f"wsp-{code}",
            f"wsp-{code}",
            f"Personeel vinden via het werkgeversservicepunt {regio}",
            "Hulp bij vacatures.",
            ["personeel"],
            gebieden=[("arbeidsmarktregio", code)],
            netwerk=("Personeel vinden via het werkgeversservicepunt {regio}", "WSP {regio}"),
        )

    docs = [wsp("Friesland", "AM01"), wsp("Drenthe", "AM03"), *DOCS]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    _, treffers = m.zoek("vacatures personeel")
    staand = [t for t in treffers if t.netwerk]
    assert len(staand) == 1 and not any(t.document.slug == "wsp-AM03" for t in treffers)
    assert staand[0].dienst_naam == "Personeel vinden via het werkgeversservicepunt in uw regio"
    assert staand[0].aanbieder_naam == "WSP in uw regio"
    assert "vul uw gemeente of postcode in" in uitleg(staand[0], Analyse([], "advies", {}), None)

    _, treffers = m.zoek("vacatures personeel", gebied=[("arbeidsmarktregio", "AM03")])
    eigen = [t for t in treffers if t.document.slug.startswith("wsp-")]
    assert [t.document.slug for t in eigen] == ["wsp-AM03"] and not eigen[0].netwerk
    assert eigen[0].aanbieder_naam == "Wsp-Am03"  # its own name, not the stand-in's


def test_network_names_read_for_anyone():
    assert algemeen("Gemeente {gemeente}") == "Uw gemeente"
    assert algemeen("Ondernemersloket {gemeente}") == "Ondernemersloket van uw gemeente"
    assert algemeen("Van werk naar werk in de regio {regio}") == "Van werk naar werk in uw regio"
    assert algemeen("Advies voor uw personeel ({regio})") == "Advies voor uw personeel in uw regio"


def test_a_real_word_is_not_corrected_into_a_look_alike():
    docs = [doc("oost", "oost", "Hulp in het oosten", "Voor bedrijven in Oost.", ["personeel"])]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    # 'oogst' is one letter from 'oost' (ratio 89): too far to be a typo of it
    assert m.zoek("extra mensen voor de oogst")[0].verbeterd == {}
    assert m.zoek("bedrijven in het ooosten")[0].verbeterd == {"ooosten": "oosten"}


def test_the_main_thema_weighs_double_in_the_ranking():
    tekst = "Hulp voor uw bedrijf."
    docs = [
        doc("geld", "geldloket", "Hulp", tekst, ["financiering"]),
        doc("mensen", "mensenloket", "Hulp", tekst, ["personeel"]),
    ]
    m = Matcher(docs, lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt"))
    analyse, treffers = m.zoek("hulp bij een lening en een vacature")
    assert set(analyse.themas) == {"financiering", "personeel"}
    assert treffers[0].document.themas[0] == analyse.themas[0]
    assert treffers[0].score > treffers[1].score
    m.w = Weging(hoofdthema=1.0)
    _, treffers = m.zoek("hulp bij een lening en een vacature")
    assert treffers[0].score == treffers[1].score


def test_one_result_per_provider(matcher):
    _, treffers = matcher.zoek("lening krediet", aantal=5)
    aanbieders = [t.document.aanbieder_id for t in treffers]
    assert len(aanbieders) == len(set(aanbieders))


def test_region_filter_and_regional_first_door(matcher):
    _, zonder = matcher.zoek("advies voor mijn bedrijf als ondernemer")
    assert "friesland" not in [t.document.slug for t in zonder]
    friesland = [("gemeente", "GM0080"), ("provincie", "PV21")]
    _, met = matcher.zoek("advies voor mijn bedrijf als ondernemer", friesland)
    assert met[0].document.slug == "friesland" and met[0].in_regio
    _, elders = matcher.zoek("advies voor mijn bedrijf als ondernemer", [("provincie", "PV22")])
    assert "friesland" not in [t.document.slug for t in elders]


def test_profile_prefers_matching_doelgroep(matcher):
    _, starter = matcher.zoek("lening", doelgroepen=frozenset({"starters"}))
    _, gevestigd = matcher.zoek("lening", doelgroepen=frozenset({"peloton"}))
    assert starter[0].document.slug == "krediet"
    assert gevestigd[0].document.slug == "groeilening"


def test_explanation_names_thema_region_and_first_line_role(matcher):
    analyse, treffers = matcher.zoek("advies voor mijn bedrijf", [("provincie", "PV21")])
    tekst = uitleg(treffers[0], analyse, "Leeuwarden")
    assert "vernieuwen van de bedrijfsvoering" in tekst
    assert "Voor ondernemers in Leeuwarden." in tekst
    assert "eerste aanspreekpunt" in tekst


def test_explanations_differ_per_card_and_say_why_one_ranks_above_the_next(matcher):
    analyse, treffers = matcher.zoek("lening om personeel aan te nemen", [("provincie", "PV21")])
    kaarten = uitleg_kaarten(treffers, analyse, "Leeuwarden")
    assert len(kaarten) == len(treffers) >= 2
    # the words of the question that matched are quoted, on the card they matched
    assert any("‘lening’" in z for z in kaarten[0] + kaarten[1])
    # no sentence is repeated on every card
    for zin in kaarten[0]:
        assert not all(zin in k for k in kaarten), zin
    # every card but the last says why it is above the next, naming that next provider
    for k, volgende in zip(kaarten[:-1], treffers[1:], strict=True):
        boven = [z for z in k if z.startswith("Staat boven")]
        assert not boven or volgende.aanbieder_naam in boven[0]
    assert not any(z.startswith("Staat boven") for z in kaarten[-1])


def test_explanation_says_what_in_the_question_matched_what_in_the_dienst(matcher):
    analyse, treffers = matcher.zoek("faillisement")
    zin = uitleg_kaarten(treffers, analyse, None)[0][0]
    # the user's word as typed, and the dienst's own word for it, found in its name
    assert zin.startswith("U noemt ‘faillisement’; deze dienst noemt in de naam")
    assert "‘faillissement’" in zin


def test_nonsense_finds_nothing(matcher):
    analyse, treffers = matcher.zoek("qqq zzz")
    assert analyse.themas == [] and treffers == []


def test_lexicon_rejects_unknown_codes(tmp_path):
    bad = tmp_path / "lexicon.csv"
    bad.write_text("term,themas,uitbreiding,soort\nlening,geld,,\n", encoding="utf-8")
    with pytest.raises(lx.LexiconFout, match="lexicon.csv:2: themas: onbekend thema 'geld'"):
        lx.lees(bad)
    bad.write_text(
        "term,themas,uitbreiding,soort\nlening,financiering,,misschien\n", encoding="utf-8"
    )
    with pytest.raises(lx.LexiconFout, match="soort"):
        lx.lees(bad)


def test_exact_terms_match_the_word_not_its_stem(tmp_path):
    f = tmp_path / "lexicon.csv"
    f.write_text(
        "term,themas,uitbreiding,soort\n=regeling,financiering,,\nlening,financiering,,\n",
        encoding="utf-8",
    )
    lexicon = lx.Lexicon(lx.lees(f))

    def themas(vraag):
        words = woorden(vraag)
        return {c for t in lexicon.zoek([stam(w) for w in words], words) for c in t.themas}

    assert stam("regelen") == stam("regeling")  # why exact terms exist
    assert themas("is er een regeling voor mij") == {"financiering"}
    assert themas("wat moet ik regelen") == set()
    assert themas("twee leningen") == {"financiering"}  # stems still match for plain terms


def test_longest_match_wins(tmp_path):
    f = tmp_path / "lexicon.csv"
    f.write_text(
        "term,themas,uitbreiding,soort\nhoe,,,informatie\nhoe vind ik,,,advies\n"
        "personeel,personeel,,\n",
        encoding="utf-8",
    )
    lexicon = lx.Lexicon(lx.lees(f))

    def soorten(vraag):
        words = woorden(vraag)
        return [t.soort or t.themas[0] for t in lexicon.zoek([stam(w) for w in words], words)]

    assert soorten("Hoe vind ik personeel?") == ["advies", "personeel"]
    assert soorten("Hoe werkt het, en hoe vind ik het?") == ["informatie", "advies"]


def test_bundled_lexicon_loads():
    terms = lx.lees(DATA / "lexicon.csv")
    assert len(terms) > 200
    assert any(t.stammen == ("wbso",) for t in terms)


@pytest.mark.filterwarnings("ignore:Label not .* is present in all training examples")
def test_optional_classifier_learns_themas_from_the_register():
    # the small fixture lacks some thema's; a one-vs-rest model warns about those
    from stelsel.wegwijzer.matching import Weging

    m = Matcher(
        DOCS,
        [],  # no lexicon: the thema can only come from retrieval and the classifier
        lees_stopwoorden(DATA / "stopwoorden.txt"),
        Weging(retrieval_thema=0.0, classificatie=1.0),
    )
    analyse, _, _ = m.analyseer("lening voor mijn bedrijf")
    assert analyse.themas[0] == "financiering"


def test_a_rebuild_from_the_previous_index_equals_a_full_build():
    termen, stop = lx.lees(DATA / "lexicon.csv"), lees_stopwoorden(DATA / "stopwoorden.txt")
    eerst = Matcher(DOCS, termen, stop)
    nieuw = doc("zeppelin", "luchtvaart", "Zeppelinwerf", "Hulp bij luchtschepen", ["innovatie"])
    daarna = [nieuw, *DOCS[1:]]  # the first dienst removed, one added
    stap = Matcher(daarna, termen, stop, vorige=eerst)
    geheel = Matcher(daarna, termen, stop)
    assert stap.vocab == geheel.vocab
    assert "zeppelinwerf" in stap.vocab
    weg = set(woorden(DOCS[0].naam + " " + DOCS[0].omschrijving)) - {
        w for d in daarna for w in woorden(d.naam + " " + d.omschrijving + " " + d.aanbieder_naam)
    }
    assert weg and not (weg & set(stap.vocab))
    for vraag in ("zeppelinwerf", "geld lenen voor een machine", DOCS[0].naam):
        a, b = stap.analyseer(vraag)[1], geheel.analyseer(vraag)[1]
        assert np.allclose(a, b), vraag
        assert [t.document.slug for t in stap.zoek(vraag)[1]] == [
            t.document.slug for t in geheel.zoek(vraag)[1]
        ]


def test_a_context_word_names_a_thema_only_when_nothing_else_does(tmp_path):
    pad = tmp_path / "lexicon.csv"
    pad.write_text(
        "term,themas,uitbreiding,soort,context\n"
        "winkel,bedrijfsvoering,retail,,ja\n"
        "stoppen,zwaar-weer,,,\n",
        encoding="utf-8",
    )
    m = Matcher(DOCS, lx.lees(pad), frozenset())
    assert m.analyseer("stoppen met mijn winkel")[0].themas == ["zwaar-weer"]
    assert m.analyseer("mijn winkel")[0].themas[0] == "bedrijfsvoering"
    zonder = Matcher(DOCS, lx.lees(pad), frozenset(), weging=Weging(context=False))
    assert "bedrijfsvoering" in zonder.analyseer("stoppen met mijn winkel")[0].themas


@pytest.mark.parametrize(
    "soort",
    ["verschillend", "bijna alle gelijk", "alle gelijk", "bijna alle -inf", "klein", "k >= n"],
)
def test_the_k_largest_are_found_whatever_the_values(soort):
    """semantiek.grootste returns the k largest values (what a full sort gives), also when most
    values are equal (diensten without an encoder vector all score 0) or -inf (masked)."""
    rng = np.random.default_rng(3)
    n, k = 100_000, 2000
    x = rng.random(n).astype(np.float32)
    if soort == "bijna alle gelijk":
        x[rng.random(n) < 0.99] = 0.0
    elif soort == "alle gelijk":
        x[:] = 0.5
    elif soort == "bijna alle -inf":
        x[rng.random(n) < 0.995] = -np.inf
    elif soort == "klein":
        x, k = x[:900], 10
    elif soort == "k >= n":
        x, k = x[:50], 60
    gevonden = grootste(x, k)
    assert len(gevonden) == min(k, len(x)) == len(set(gevonden.tolist()))
    assert np.array_equal(np.sort(x[gevonden]), np.sort(x)[len(x) - len(gevonden) :])
    if soort == "alle gelijk":  # ties at the boundary in index order
        assert gevonden.tolist() == list(range(k))
