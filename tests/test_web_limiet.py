"""The shared in-memory limit (stelsel.web.limiet) of the self-referral and feedback forms."""

from stelsel.web.limiet import Limiet


def test_neem_counts_only_what_it_allows_and_says_how_long_to_wait():
    limiet = Limiet(aantal=2, seconden=60)
    assert [limiet.neem("a", nu=t) for t in (0, 10, 20, 30)] == [0, 0, 41, 31]
    assert limiet.neem("b", nu=30) == 0, "another key has its own window"
    assert limiet.neem("a", nu=60.5) == 0, "the first one left the window"
    assert limiet.wacht("a", nu=61) == 10, "the refused ones were not counted"


def test_old_keys_are_forgotten_and_the_number_of_keys_is_bounded():
    limiet = Limiet(aantal=1, seconden=60, max_sleutels=3)
    for i, k in enumerate("abcd"):
        limiet.tel(k, nu=i)
    assert list(limiet._tijden) == ["b", "c", "d"], "the oldest key is dropped beyond the bound"
    assert limiet.wacht("b", nu=62) == 0 and list(limiet._tijden) == ["d"]


def test_keys_are_kept_only_as_a_hash():
    sleutel = Limiet.sleutel("zelfverwijzing", "192.0.2.7")
    assert "192.0.2.7" not in sleutel and sleutel == Limiet.sleutel("zelfverwijzing", "192.0.2.7")
    assert sleutel != Limiet.sleutel("feedback", "192.0.2.7")
