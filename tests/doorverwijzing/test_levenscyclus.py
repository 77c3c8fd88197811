"""The referral state machine, without a database (hypothesis property tests)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stelsel.doorverwijzing import levenscyclus as lc

stappen = st.lists(
    st.tuples(
        st.sampled_from(lc.STATUSSEN),
        st.sampled_from([lc.ONTVANGER, lc.VERZENDER]),
        st.sampled_from([None, "", "geen capaciteit"]),
        st.sampled_from([None, *lc.UITKOMSTEN]),
    ),
    max_size=12,
)


@given(stappen)
def test_random_walks_respect_the_lifecycle(walk):
    status = lc.VERZONDEN
    for nieuw, partij, reden, uitkomst in walk:
        vorige = status
        try:
            stap = lc.controleer(status, nieuw, partij, reden, uitkomst)
        except (lc.OngeldigeOvergang, lc.GeenRecht, ValueError):
            continue
        status = stap.naar
        assert vorige not in lc.EINDSTATUSSEN, "nothing happens after a final status"
        assert (vorige, status) in lc.OVERGANGEN
        assert status != lc.VERZONDEN, "nothing goes back to verzonden"
        if status == lc.AFGEROND:
            assert stap.uitkomst in lc.UITKOMSTEN
        if status == lc.GEWEIGERD:
            assert stap.reden


@pytest.mark.parametrize("eind", sorted(lc.EINDSTATUSSEN))
@pytest.mark.parametrize("nieuw", lc.STATUSSEN)
def test_final_statuses_are_final(eind, nieuw):
    for partij in (lc.ONTVANGER, lc.VERZENDER):
        with pytest.raises((lc.OngeldigeOvergang, ValueError)):
            lc.controleer(eind, nieuw, partij, "r", "opgelost")


def test_who_may_do_what():
    assert lc.controleer(lc.VERZONDEN, lc.GEACCEPTEERD, lc.ONTVANGER).naar == lc.GEACCEPTEERD
    with pytest.raises(lc.GeenRecht):
        lc.controleer(lc.VERZONDEN, lc.GEACCEPTEERD, lc.VERZENDER)
    with pytest.raises(lc.GeenRecht):
        lc.controleer(lc.ONTVANGEN, lc.GEANNULEERD, lc.ONTVANGER)
    with pytest.raises(ValueError, match="reden"):
        lc.controleer(lc.ONTVANGEN, lc.GEWEIGERD, lc.ONTVANGER, "  ")
    with pytest.raises(ValueError, match="status"):
        lc.controleer(lc.ONTVANGEN, "klaar", lc.ONTVANGER)


def test_working_days_skip_weekends():
    vrijdag = date(2026, 11, 27)
    assert lc.plus_werkdagen(vrijdag, 1) == date(2026, 11, 30)
    assert lc.plus_werkdagen(vrijdag, 3) == date(2026, 12, 2)
    assert lc.plus_werkdagen(date(2026, 11, 23), 3) == date(2026, 11, 26)


def test_chain_hops_and_pingpong():
    assert lc.keten_kenmerken(["A", "B"]) == {"hops": 1, "pingpong": False}
    assert lc.keten_kenmerken(["A", "B", "C"]) == {"hops": 2, "pingpong": False}
    assert lc.keten_kenmerken(["A", "B", "A"]) == {"hops": 2, "pingpong": True}
    assert lc.keten_kenmerken(["A"]) == {"hops": 0, "pingpong": False}
