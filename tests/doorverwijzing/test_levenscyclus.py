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
        st.sampled_from([None, *lc.ALLE_REDENEN]),
        st.sampled_from([None, "", "geen capaciteit"]),
        st.sampled_from([None, *lc.UITKOMSTEN]),
    ),
    max_size=12,
)


@given(stappen)
def test_random_walks_respect_the_lifecycle(walk):
    status = lc.VERZONDEN
    for nieuw, partij, code, reden, uitkomst in walk:
        vorige = status
        try:
            stap = lc.controleer(status, nieuw, partij, code, reden, uitkomst)
        except (lc.OngeldigeOvergang, lc.GeenRecht, ValueError):
            continue
        status = stap.naar
        assert vorige not in lc.EINDSTATUSSEN, "nothing happens after a final status"
        assert (vorige, status) in lc.OVERGANGEN
        assert status != lc.VERZONDEN, "nothing goes back to verzonden"
        if status == lc.AFGEROND:
            assert stap.uitkomst in lc.UITKOMSTEN
        if status in lc.MET_REDEN:
            assert stap.reden_code in lc.REDENEN, "a coded reason, never the system's own"
            assert stap.reden_code != lc.ANDERS or stap.reden, "'anders' needs a text"


@pytest.mark.parametrize("eind", sorted(lc.EINDSTATUSSEN))
@pytest.mark.parametrize("nieuw", lc.STATUSSEN)
def test_final_statuses_are_final(eind, nieuw):
    for partij in (lc.ONTVANGER, lc.VERZENDER):
        with pytest.raises((lc.OngeldigeOvergang, ValueError)):
            lc.controleer(eind, nieuw, partij, "anders", "r", "opgelost")


def test_who_may_do_what():
    assert lc.controleer(lc.VERZONDEN, lc.GEACCEPTEERD, lc.ONTVANGER).naar == lc.GEACCEPTEERD
    with pytest.raises(lc.GeenRecht):
        lc.controleer(lc.VERZONDEN, lc.GEACCEPTEERD, lc.VERZENDER)
    with pytest.raises(lc.GeenRecht):
        lc.controleer(lc.ONTVANGEN, lc.GEANNULEERD, lc.ONTVANGER)
    with pytest.raises(ValueError, match="reden_code"):
        lc.controleer(lc.ONTVANGEN, lc.GEWEIGERD, lc.ONTVANGER, None, "vol")
    with pytest.raises(ValueError, match="reden"):
        lc.controleer(lc.ONTVANGEN, lc.GEWEIGERD, lc.ONTVANGER, lc.ANDERS, "  ")
    assert lc.controleer(lc.IN_BEHANDELING, lc.AANGEHOUDEN, lc.ONTVANGER).naar == lc.AANGEHOUDEN
    assert (
        lc.controleer(lc.AANGEHOUDEN, lc.MISLUKT, lc.ONTVANGER, "niet_bereikbaar").reden_code
        == "niet_bereikbaar"
    )
    with pytest.raises(lc.GeenRecht):
        lc.controleer(lc.AANGEHOUDEN, lc.MISLUKT, lc.VERZENDER, "niet_bereikbaar")
    with pytest.raises(ValueError, match="status"):
        lc.controleer(lc.ONTVANGEN, "klaar", lc.ONTVANGER)


def test_working_days_skip_weekends():
    vrijdag = date(2026, 11, 27)
    assert lc.plus_werkdagen(vrijdag, 1) == date(2026, 11, 30)
    assert lc.plus_werkdagen(vrijdag, 3) == date(2026, 12, 2)
    assert lc.plus_werkdagen(date(2026, 11, 23), 3) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("start", "dagen", "verwacht", "waarom"),
    [
        (date(2026, 12, 24), 1, date(2026, 12, 28), "Christmas Day and Boxing Day"),
        (date(2026, 12, 24), 3, date(2026, 12, 30), "Christmas"),
        (date(2026, 12, 31), 1, date(2027, 1, 4), "New Year's Day, then the weekend"),
        (date(2027, 4, 26), 1, date(2027, 4, 28), "King's Day"),
        (date(2026, 5, 13), 1, date(2026, 5, 15), "Ascension Day"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Whit Monday"),
        (date(2026, 4, 2), 1, date(2026, 4, 7), "Good Friday and Easter Monday"),
    ],
)
def test_working_days_skip_dutch_public_holidays(start, dagen, verwacht, waarom):
    assert lc.plus_werkdagen(start, dagen) == verwacht, waarom


def test_working_days_between():
    assert lc.werkdagen_tussen(date(2026, 12, 24), date(2026, 12, 28)) == 1
    assert lc.werkdagen_tussen(date(2026, 12, 1), date(2026, 12, 1)) == 0
    assert lc.werkdagen_tussen(date(2026, 12, 4), date(2026, 12, 1)) == 0


def test_chain_hops_and_pingpong():
    assert lc.keten_kenmerken(["A", "B"]) == {"hops": 1, "pingpong": False}
    assert lc.keten_kenmerken(["A", "B", "C"]) == {"hops": 2, "pingpong": False}
    assert lc.keten_kenmerken(["A", "B", "A"]) == {"hops": 2, "pingpong": True}
    assert lc.keten_kenmerken(["A"]) == {"hops": 0, "pingpong": False}


def test_a_step_that_cannot_be_made_is_said_in_words():
    """The page showed "van 'geannuleerd' naar 'geaccepteerd' kan niet" after the sender had
    cancelled: codes, quotes and underscores, no sentence."""
    with pytest.raises(lc.OngeldigeOvergang) as e:
        lc.controleer(lc.GEANNULEERD, lc.IN_BEHANDELING, lc.ONTVANGER)
    assert e.value.detail == (
        "Dit kan niet: de doorverwijzing is geannuleerd, en van daar kan zij niet naar "
        "in behandeling."
    )
