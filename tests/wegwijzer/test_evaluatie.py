"""Evaluation metrics and the alias rule, on hand-made predictions."""

from stelsel.wegwijzer.evaluatie import Voorspelling, Vraag, evalueer, lees_vragen, past

ALIASSEN = {"KVK": ["kvk", "kamer van koophandel"], "ROM": ["rom", "oost nl"], "115": ["115"]}


def test_alias_matches_whole_words_only():
    assert past("Kamer van Koophandel", ["KVK"], ALIASSEN)
    assert past("Oost NL", ["ROM"], ALIASSEN)
    assert past("115 Red een bedrijf", ["115"], ALIASSEN)
    assert not past("Romeinse Handel", ["ROM"], ALIASSEN)
    assert not past("KVK-achtige", ["ROM"], ALIASSEN)


def test_a_label_that_is_no_alias_key_is_the_providers_own_name():
    assert past("Provincie Flevoland", ["Provincie Flevoland"], ALIASSEN)
    assert not past("Provincie Friesland", ["Provincie Flevoland"], ALIASSEN)


def test_metrics():
    vragen = [
        Vraag("a", "x", None, ("financiering",), "advies", ("KVK",)),
        Vraag("b", "y", None, ("personeel", "zwaar-weer"), "informatie", ("ROM",)),
    ]
    antwoorden = {
        "a": Voorspelling(["financiering"], "advies", ["Kamer van Koophandel", "X"]),
        "b": Voorspelling(["personeel", "innovatie"], "advies", ["X", "Y", "Oost NL"]),
    }
    u = evalueer(vragen, lambda v: antwoorden[v.id], ALIASSEN)
    assert (u.hit1, u.hit3) == (0.5, 1.0)
    # tp=2 (financiering, personeel), fp=1 (innovatie), fn=1 (zwaar-weer): 4/6
    assert abs(u.thema_f1 - 2 * 2 / (2 * 2 + 1 + 1)) < 1e-9
    assert u.soort_acc == 0.5
    assert u.missers == []


def test_reads_the_dev_set_format(tmp_path):
    f = tmp_path / "set.jsonl"
    f.write_text(
        '{"id": "q1", "vraag": "v", "gemeente": null, "themas": ["innovatie"], '
        '"soort": "advies", "aanbieders": ["RVO"]}\n\n',
        encoding="utf-8",
    )
    assert lees_vragen(f) == [Vraag("q1", "v", None, ("innovatie",), "advies", ("RVO",))]


def test_the_learnt_ranking_scores_as_the_fitted_trees_do():
    """The trees are kept as arrays and evaluated with numpy: the order they give is the
    fitted model's (its log-odds less a constant)."""
    import numpy as np

    from stelsel.wegwijzer.evaluatie import leer_rangschikking

    rng = np.random.default_rng(1)
    x = rng.random((400, 6)).astype(np.float32)
    goed = x[:, 0] + 0.5 * x[:, 3] * (x[:, 5] > 0.5) + 0.1 * rng.random(400) > 0.8
    bomen = leer_rangschikking([x[:200], x[200:]], [goed[:200], goed[200:]])
    s = bomen.score(x)
    assert np.corrcoef(s, x[:, 0])[0, 1] > 0.5  # it learnt the signal
    from sklearn.ensemble import GradientBoostingClassifier

    from stelsel.wegwijzer import evaluatie as ev

    model = GradientBoostingClassifier(
        n_estimators=ev.BOMEN,
        max_depth=ev.DIEPTE,
        learning_rate=ev.LEERTEMPO,
        subsample=0.8,
        random_state=0,
    ).fit(x, goed.astype(int))
    verschil = model.decision_function(x) - s
    assert np.allclose(verschil, verschil[0], atol=1e-4)


def test_the_thema_model_round_trip(tmp_path):
    """A fitted thema model gives a thema from its features, and the model file holds both
    models as they were fitted."""
    import numpy as np

    from stelsel.wegwijzer.evaluatie import (
        bewaar_model,
        leer_rangschikking,
        leer_themamodel,
        voorspel_themas,
    )
    from stelsel.wegwijzer.matching import THEMAS, Bomen

    rng = np.random.default_rng(2)
    kenmerken, goud = [], []
    for _ in range(60):
        k = int(rng.integers(len(THEMAS)))
        x = rng.random((len(THEMAS), 4)) * 0.2
        x[k, 0] = 1.0  # the thema the lexicon names
        kenmerken.append(x)
        goud.append([THEMAS[k]])
    model = leer_themamodel(kenmerken, goud, c=10.0)
    assert voorspel_themas(model, kenmerken[0]) == set(goud[0])
    bomen = leer_rangschikking([rng.random((50, 3))], [rng.random(50) > 0.5])
    bewaar_model(tmp_path / "m.npz", bomen, model)
    with np.load(tmp_path / "m.npz") as z:
        terug = Bomen(
            z["kenmerk"], z["drempel"], z["links"], z["rechts"], z["waarde"], 3, int(z["kenmerken"])
        )
        assert terug.past(np.zeros((1, 3))) and not terug.past(np.zeros((1, 4)))
        assert tuple(z["thema"]) == model
    x = rng.random((5, 3)).astype(np.float32)
    assert np.allclose(terug.score(x), bomen.score(x))


def test_the_learnt_choice_only_reorders_the_three_best_providers(session):
    """The learnt ranking picks "Begin hier" among the three best providers of the fused
    ranking: the three are the same with and without it (so the right door in the top 3 is
    never lost), and on the development set it changes the first card for some questions."""
    import dataclasses
    from pathlib import Path

    from stelsel.wegwijzer import service

    m = service.matcher(session=session)
    assert m.w.rangschikker is not None and m.w.thema_model  # shipped with the code
    zonder = dataclasses.replace(m.w, rangschikker=None)
    vragen = lees_vragen(Path(__file__).parents[1] / "data" / "eval" / "wegwijzer-dev.jsonl")
    anders = 0
    met_w = m.w
    try:
        for v in vragen:
            m.w = met_w
            met = [t.document.aanbieder_id for t in m.zoek(v.vraag, None, 5)[1]]
            m.w = zonder
            los = [t.document.aanbieder_id for t in m.zoek(v.vraag, None, 5)[1]]
            assert set(met[:3]) == set(los[:3]) and met[3:] == los[3:]
            anders += met[0] != los[0]
    finally:
        m.w = met_w
    assert 0 < anders < len(vragen) / 2
