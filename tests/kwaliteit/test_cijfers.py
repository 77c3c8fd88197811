"""The figure definitions against hand-computed examples (docs/kwaliteit.md)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stelsel.kwaliteit import cijfers as c


def test_mean_and_t_interval_by_hand():
    # 6, 7, 8, 9: mean 7.5, s² = (230 - 30²/4)/3 = 5/3, t(0.975, 3) = 3.182446
    g = c.gemiddelde(4, 30, 230)
    assert g.gemiddelde == 7.5
    h = 3.182446305 * math.sqrt(5 / 3 / 4)
    assert g.interval == pytest.approx((7.5 - h, 7.5 + h), abs=1e-6)
    assert g.interval == pytest.approx((5.44574, 9.55426), abs=1e-5)
    # one answer: a mean but no interval; all the same: a zero-width interval
    assert c.gemiddelde(1, 7, 49) == c.Gemiddelde(7.0, 1, None)
    assert c.gemiddelde(3, 15, 75).interval == (5.0, 5.0)


def test_t_quantiles_match_the_table():
    for df, t in ((1, 12.706), (9, 2.262), (29, 2.045), (120, 1.980)):
        assert c.t_kwantiel(df) == pytest.approx(t, abs=1e-3)


def test_wilson_by_hand():
    # 3 of 10: centre (0.3 + z²/20)/(1 + z²/10), half-width z/(1+z²/10)·√(0.021 + z²/400)
    assert c.wilson(3, 10) == pytest.approx((0.10779, 0.60322), abs=1e-5)
    # 0 of 10 and 10 of 10 stay inside [0, 1] and are not degenerate
    lo, hi = c.wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.27753, abs=1e-5)
    lo, hi = c.wilson(10, 10)
    assert lo == pytest.approx(0.72247, abs=1e-5) and hi == 1.0


def test_nps_by_hand():
    # 5 promoters, 3 passive, 2 detractors: 50% − 20% = 30;
    # Var = (0.5 + 0.2 − 0.3²)/10 = 0.061, half-width 1.96·√0.061 = 0.48408
    n = c.nps(5, 3, 2)
    assert n.score == pytest.approx(30.0)
    assert n.n == 10
    assert n.interval == pytest.approx((30 - 48.408, 30 + 48.408), abs=1e-3)
    assert (n.promotors, n.passief, n.criticasters) == (0.5, 0.3, 0.2)
    # clipped to the scale
    assert c.nps(10, 0, 0).interval == (100.0, 100.0)
    assert c.nps(0, 0, 10).score == -100.0


def test_nps_categories_from_answers():
    s = c.optellen(
        [
            c.van_antwoord(csat=8, ces=4, nps=x, opgelost=None, eerste_keer_goed=None)
            for x in (0, 6, 7, 8, 9, 10)
        ]
    )
    assert (s.nps_criticasters, s.nps_passief, s.nps_promotors) == (2, 2, 2)


def test_first_time_right_and_resolution_shares():
    rijen = [
        c.van_antwoord(csat=7, ces=3, nps=8, opgelost=o, eerste_keer_goed=f)
        for o, f in [("volledig", True)] * 4
        + [("deels", False)] * 3
        + [("nog_niet_verwacht_wel", None)] * 2
        + [("nog_niet_verwacht_niet", True)]
    ]
    s = c.optellen(rijen)
    k = c.kerncijfers(s, minimum=1)
    # first time right: 5 yes of 8 that know
    assert k.first_time_right.aandeel == 5 / 8 and k.first_time_right.n == 8
    assert k.first_time_right.interval == pytest.approx(c.wilson(5, 8))
    assert {o: a.aandeel for o, a in k.opgelost.aandelen.items()} == {
        "volledig": 0.4,
        "deels": 0.3,
        "nog_niet_verwacht_wel": 0.2,
        "nog_niet_verwacht_niet": 0.1,
    }
    assert k.opgelost.aandelen["volledig"].interval == pytest.approx(c.wilson(4, 10))
    with pytest.raises(ValueError):
        c.van_antwoord(csat=1, ces=1, nps=1, opgelost="misschien", eerste_keer_goed=None)


def test_unanswered_questions_do_not_count():
    s = c.van_antwoord(csat=None, ces=2, nps=None, opgelost=None, eerste_keer_goed=None)
    assert (s.n, s.csat_n, s.ces_n, s.nps_n, s.opgelost_n, s.ftr_n) == (1, 0, 1, 0, 0, 0)


def test_minimum_hides_a_small_group_with_a_reason():
    s = c.optellen(
        [c.van_antwoord(csat=9, ces=5, nps=10, opgelost="volledig", eerste_keer_goed=True)] * 9
    )
    k = c.kerncijfers(s, minimum=10)
    assert k.verborgen and k.csat.gemiddelde is None and k.nps.score is None
    assert k.first_time_right.aandeel is None and k.opgelost.aandelen == {}
    assert "te weinig" in k.reden
    s10 = s + c.van_antwoord(csat=9, ces=5, nps=10, opgelost="volledig", eerste_keer_goed=True)
    assert c.kerncijfers(s10, minimum=10).csat.gemiddelde == 9.0
    assert c.kerncijfers(c.Sommen(), minimum=10).reden == c.GEEN


def test_subtraction_case_one_small_child_takes_the_next_smallest_with_it():
    # total 93 = A 50 + B 40 + C 3. Hiding C alone would leave C = total − A − B.
    redenen, totaal = c.onderdruk({"A": 50, "B": 40, "C": 3}, minimum=10)
    assert totaal is None
    assert redenen["A"] is None
    assert redenen["C"].startswith(c.TE_WEINIG)
    assert redenen["B"] == c.AFGELEID
    # what subtraction gives is B + C together: 43 responses, never C alone
    assert sum(n for k, n in {"A": 50, "B": 40, "C": 3}.items() if redenen[k]) >= 10


def test_subtraction_case_two_tiny_children_take_a_big_one_along():
    # B and C are both hidden, but together 5: total − A would reveal the group B+C of 5
    redenen, totaal = c.onderdruk({"A": 50, "B": 2, "C": 3}, minimum=10)
    assert all(redenen.values()) and totaal is None


def test_total_with_exactly_one_hidden_child_is_hidden():
    # a single child below the minimum and nothing else to hide: the total would be that child
    redenen, totaal = c.onderdruk({"A": 4, "B": 0}, minimum=10)
    assert redenen["A"] and redenen["B"] is None and totaal


def test_a_remainder_outside_the_children_is_protected():
    # responses without a region (rest 2) would be total − Σ children
    redenen, totaal = c.onderdruk({"A": 50, "B": 40}, minimum=10, totaal=92)
    assert redenen == {"A": None, "B": c.AFGELEID} and totaal is None
    # a large remainder needs nothing
    assert c.onderdruk({"A": 50, "B": 40}, minimum=10, totaal=150) == ({"A": None, "B": None}, None)


def test_no_hidden_children_nothing_changes():
    assert c.onderdruk({"A": 10, "B": 11}, minimum=10) == ({"A": None, "B": None}, None)


@given(
    st.dictionaries(st.sampled_from("ABCDEFGH"), st.integers(0, 40), min_size=1), st.integers(1, 15)
)
def test_no_breakdown_ever_reveals_a_small_group_by_subtraction(groepen, minimum):
    redenen, totaal = c.onderdruk(groepen, minimum=minimum)
    verborgen = [k for k, r in redenen.items() if r]
    # R1: every shown non-empty child is at least the minimum
    assert all(groepen[k] >= minimum for k, r in redenen.items() if r is None and groepen[k])
    if totaal is None and verborgen:
        # total − shown children = the hidden children together: two or more, and not small
        assert len(verborgen) >= 2
        assert sum(groepen[k] for k in verborgen) >= minimum


def test_r3_remainder_against_the_parent():
    assert c.rest_te_klein(95, 100, minimum=10)
    assert not c.rest_te_klein(100, 100, minimum=10)
    assert not c.rest_te_klein(80, 100, minimum=10)


def test_referral_figures():
    k = c.ketencijfers(
        c.Ketensommen(
            hulpvragen=10,
            hops=15,
            hops_kwadraatsom=1 * 5 + 4 * 5,
            pingpong=2,
            doorverwijzingen=15,
            te_laat=3,
            contact_n=10,
            contact_uren_som=240,
            contact_uren_kwadraatsom=10 * 24 * 24,
        ),
        minimum=10,
    )
    assert k.hops_per_hulpvraag.gemiddelde == 1.5
    # 5 cases of 1 and 5 of 2: s² = (25 − 225/10)/9 = 0.2778
    h = c.t_kwantiel(9) * math.sqrt(2.5 / 9 / 10)
    assert k.hops_per_hulpvraag.interval == pytest.approx((1.5 - h, 1.5 + h))
    assert k.tijd_tot_eerste_contact_uren.gemiddelde == 24.0
    assert k.te_laat.aandeel == 0.2
    assert k.pingpong.aandeel == 0.2 and k.pingpong.interval == pytest.approx(c.wilson(2, 10))
    assert c.responspercentage(30, 100, minimum=10).aandeel == 0.3
    assert c.responspercentage(3, 5, minimum=10).aandeel is None
