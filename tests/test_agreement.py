"""Agreement arithmetic (themes.agreement): the published worked examples, exactly, the
undefined cases, rounding, and properties that hold for any data."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from themes.agreement import (
    NO_PAIRS,
    NO_VARIATION,
    alpha_nominal,
    cohen_kappa,
    percent_agreement,
    round_half_up,
    shown,
    signatures,
    units_of,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: the
# reliability data matrix of 4 observers (rows) × 12 units (columns), values 1-5, None missing.
N = None
KRIPPENDORFF_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # observer B
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # observer D
]

# By hand: 20 quotes, coder A tags quotes 1-7, coder B tags 1-5 and 8.
CODER_A = [q <= 7 for q in range(1, 21)]
CODER_B = [q <= 5 or q == 8 for q in range(1, 21)]


def test_alpha_matches_krippendorffs_section_c_example_exactly():
    alpha = alpha_nominal(units_of(KRIPPENDORFF_C))
    assert alpha.value == Fraction(113, 152)
    assert round_half_up(alpha.value, 3) == "0.743"


def test_the_hand_case_gives_kappa_29_44_and_alpha_two_thirds():
    kappa = cohen_kappa(zip(CODER_A, CODER_B, strict=True))
    alpha = alpha_nominal(zip(CODER_A, CODER_B, strict=True))
    assert kappa.value == Fraction(29, 44)
    assert shown(kappa) == "0.659"
    assert alpha.value == Fraction(2, 3)
    assert shown(alpha) == "0.667"
    agreement = percent_agreement(signatures(zip(CODER_A, CODER_B, strict=True)))
    assert agreement.value == 85


def test_a_unit_one_coder_coded_is_missing_not_no():
    # Adding units that only one coder coded changes nothing.
    units = [list(pair) for pair in zip(CODER_A, CODER_B, strict=True)]
    assert alpha_nominal([*units, [True], [False], []]).value == Fraction(2, 3)


@pytest.mark.parametrize("units", [[], [[1], [2]]], ids=["nothing", "one coder each"])
def test_alpha_without_pairs_is_undefined_with_a_reason(units):
    alpha = alpha_nominal(units)
    assert alpha.value is None and alpha.reason == NO_PAIRS
    assert shown(alpha) == ""


def test_no_variation_is_undefined_never_nan():
    everyone_no = [[False, False]] * 10
    assert alpha_nominal(everyone_no).reason == NO_VARIATION
    assert cohen_kappa([(False, False)] * 10).reason == NO_VARIATION
    assert cohen_kappa([]).reason == NO_PAIRS
    # Perfect agreement that varies is 1, not undefined.
    assert cohen_kappa([(True, True), (False, False)]).value == 1


def test_kappa_of_opposite_constant_coders_is_zero():
    assert cohen_kappa([(True, False)] * 4).value == 0


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(6585, 10000), 3, "0.659"),  # a half goes up
        (Fraction(6584, 10000), 3, "0.658"),
        (Fraction(-5, 10000), 3, "-0.001"),  # halves away from zero
        (Fraction(-4, 10000), 3, "0.000"),  # never "-0.000"
        (Fraction(1), 3, "1.000"),
        (Fraction(85), 1, "85.0"),
        (Fraction(2, 3) * 100, 1, "66.7"),
        (Fraction(5, 2), 0, "3"),
    ],
)
def test_rounding_is_exact_and_half_up(value, places, expected):
    assert round_half_up(value, places) == expected


values = st.sampled_from(["a", "b", "c", 1, (2, 3)])
unit_lists = st.lists(st.lists(values, min_size=0, max_size=4), max_size=30)


@given(unit_lists)
def test_alpha_is_never_more_than_one_and_ignores_the_order_of_values(units):
    alpha = alpha_nominal(units)
    if alpha.defined:
        assert alpha.value <= 1
        assert alpha_nominal([list(reversed(u)) for u in reversed(units)]).value == alpha.value


@given(st.lists(st.lists(values, min_size=1, max_size=1), min_size=2, max_size=20))
def test_alpha_is_one_on_perfect_agreement_that_varies(singles):
    units = [u * 3 for u in singles]  # three coders, each giving the same value
    alpha = alpha_nominal(units)
    if len({u[0] for u in singles}) > 1:
        assert alpha.value == 1
    else:
        assert alpha.reason == NO_VARIATION


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=40))
def test_kappa_is_symmetric_in_its_two_coders(pairs):
    one = cohen_kappa(pairs)
    other = cohen_kappa([(b, a) for a, b in pairs])
    assert one == other


def test_the_bench_round_runs_and_is_well_within_its_target():
    from bench.agreement import agreement_figures

    figures = agreement_figures(quotes=300, subthemes=12, coders=3, repeat=1)
    assert figures["rows"] == 12 + 4 + 1 and figures["within_target"]
