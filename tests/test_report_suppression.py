"""Small numbers suppressed in the report (themes.report.suppression): the one rule, tested by
example and by property."""

from hypothesis import given
from hypothesis import strategies as st

from themes.export_counts import percent
from themes.report.suppression import (
    complement_hidden,
    group_reveals,
    hidden_cells,
    is_small,
    shown_counts,
    too_few,
)


def test_a_count_from_one_to_four_is_hidden_by_default_threshold():
    assert [is_small(n, 5) for n in range(7)] == [False, True, True, True, True, False, False]


def test_a_hidden_count_is_words_without_a_percentage():
    shown = shown_counts([30, 12, 4, 10], base=56, threshold=5, partition=True, percent=percent)
    assert [(s.text, s.percent) for s in shown] == [
        ("30", "53.6"),
        ("12", "21.4"),
        ("fewer than 5", ""),
        # Secondary: 4 would be 56 - 30 - 12 - 10; the next smallest goes too.
        ("fewer than 5", ""),
    ]


def test_two_small_counts_need_no_secondary_suppression():
    assert hidden_cells([30, 3, 2, 21], threshold=5, partition=True) == [False, True, True, False]


def test_the_next_smallest_is_a_count_before_a_zero():
    assert hidden_cells([0, 3, 40, 13], threshold=5, partition=True) == [False, True, False, True]


def test_a_zero_is_hidden_when_nothing_else_is_left():
    assert hidden_cells([3, 0], threshold=5, partition=True) == [True, True]


def test_nothing_small_hides_nothing():
    assert hidden_cells([10, 0, 46], threshold=5, partition=True) == [False, False, False]


def test_tick_all_hides_the_few_who_did_not_tick():
    # 53 of 56 ticked: the 3 who did not would be known from the base.
    assert complement_hidden([53, 20, 2], base=56, threshold=5) == [True, False, True]


def test_another_threshold():
    assert hidden_cells([9, 10, 30], threshold=10, partition=True) == [True, True, False]


def test_too_few_interviews_refuse_figures():
    assert too_few(4, 5) and not too_few(5, 5)


def test_a_group_total_that_would_reveal_a_hidden_count_is_not_shown():
    hidden = [True, False, False, True]
    assert group_reveals(hidden, [True, True, False, False])
    assert not group_reveals(hidden, [True, True, True, True])
    assert not group_reveals([True, True, False, True, True], [True, True, False, False, False])


counts = st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=12)
thresholds = st.integers(min_value=2, max_value=11)


@given(counts, thresholds)
def test_every_small_count_is_hidden(values, threshold):
    hidden = hidden_cells(values, threshold=threshold, partition=True)
    assert all(hide for n, hide in zip(values, hidden, strict=True) if 0 < n < threshold)


@given(counts, thresholds)
def test_no_single_hidden_count_can_be_worked_out_from_the_total(values, threshold):
    hidden = hidden_cells(values, threshold=threshold, partition=True)
    assert sum(hidden) != 1


@given(counts, thresholds)
def test_only_small_counts_and_one_more_are_hidden(values, threshold):
    hidden = hidden_cells(values, threshold=threshold, partition=True)
    small = sum(1 for n in values if 0 < n < threshold)
    assert sum(hidden) == (small + 1 if small == 1 else small)


@given(counts, thresholds)
def test_shown_counts_are_exact_with_the_exports_percentage(values, threshold):
    base = sum(values)
    for n, shown in zip(
        values,
        shown_counts(values, base=base, threshold=threshold, partition=True, percent=percent),
        strict=True,
    ):
        assert shown.n == n
        if shown.hidden:
            assert (shown.text, shown.percent) == (f"fewer than {threshold}", "")
        else:
            assert (shown.text, shown.percent) == (str(n), percent(n, base))


@given(counts, thresholds, st.integers(min_value=0, max_value=60))
def test_tick_all_hides_a_count_whose_complement_is_small(values, threshold, extra):
    base = max(values) + extra
    hidden = complement_hidden(values, base=base, threshold=threshold)
    for n, hide in zip(values, hidden, strict=True):
        assert hide == (0 < n < threshold or 0 < base - n < threshold)
