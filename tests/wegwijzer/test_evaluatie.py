"""Evaluation metrics and the alias rule, on hand-made predictions."""

from stelsel.wegwijzer.evaluatie import Voorspelling, Vraag, evalueer, lees_vragen, past

ALIASSEN = {"KVK": ["kvk", "kamer van koophandel"], "ROM": ["rom", "oost nl"], "115": ["115"]}


def test_alias_matches_whole_words_only():
    assert past("Kamer van Koophandel", ["KVK"], ALIASSEN)
    assert past("Oost NL", ["ROM"], ALIASSEN)
    assert past("115 Red een bedrijf", ["115"], ALIASSEN)
    assert not past("Romeinse Handel", ["ROM"], ALIASSEN)
    assert not past("KVK-achtige", ["ROM"], ALIASSEN)


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
