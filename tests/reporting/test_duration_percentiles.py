"""The figures' median and 90th percentile of days are computed from counts per day; they
must equal what the sorted list of every case's days gives."""

from __future__ import annotations

import statistics

from hypothesis import given
from hypothesis import strategies as st

from motverka.reporting.selectors import _median, _percentile

counts_per_day = st.dictionaries(
    st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=40), min_size=1
)


def _every_case(counts: dict[int, int]) -> list[int]:
    return [day for day in sorted(counts) for _n in range(counts[day])]


@given(counts=counts_per_day)
def test_the_median_is_that_of_every_cases_days(counts):
    days = _every_case(counts)
    assert _median(counts) == statistics.median(days)
    assert round(_median(counts)) == round(statistics.median(days))


@given(counts=counts_per_day, share=st.sampled_from([0.1, 0.5, 0.9, 0.99, 1.0]))
def test_the_percentile_is_a_day_some_case_has_at_its_nearest_rank(counts, share):
    days = _every_case(counts)
    rank = max(1, -(-len(days) * share // 1))
    assert _percentile(counts, share) == days[int(rank) - 1]
    assert _percentile(counts, share) in counts


def test_two_middle_days_are_averaged():
    assert _median({3: 1, 8: 1}) == 5.5
    assert _median({3: 2, 8: 1}) == 3
    assert _percentile({3: 9, 8: 1}, 0.9) == 3
    assert _percentile({3: 8, 8: 2}, 0.9) == 8
