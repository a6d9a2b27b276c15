"""services.terms: R6 pairs, month arithmetic, commitment end dates and billing periods."""

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.terms import (
    ONE_DAY,
    VALID_PAIRS,
    BillingCycle,
    TermDuration,
    add_months,
    billing_period,
    commitment_end,
    is_valid_pair,
    renewal_start,
)

M, A = BillingCycle.MONTHLY, BillingCycle.ANNUAL
P1M, P1Y, P3Y = TermDuration.P1M, TermDuration.P1Y, TermDuration.P3Y
# Far enough from date.min and date.max for a three-year term and its renewal.
days = st.dates(min_value=date(1901, 1, 1), max_value=date(9000, 12, 31))


@pytest.mark.parametrize(
    ("term", "cycle", "valid"),
    [
        (P1M, M, True),
        (P1M, A, False),
        (P1Y, M, True),
        (P1Y, A, True),
        (P3Y, M, True),
        (P3Y, A, True),
    ],
)
def test_r6_pairs(term: TermDuration, cycle: BillingCycle, valid: bool) -> None:
    assert is_valid_pair(term, cycle) is valid


def test_valid_pairs_are_the_five_of_r6() -> None:
    assert len(VALID_PAIRS) == 5
    assert [t.months for t in TermDuration] == [1, 12, 36]
    assert [c.months for c in BillingCycle] == [1, 12]


def test_enums_are_the_contracts_names() -> None:
    assert [str(t) for t in TermDuration] == ["P1M", "P1Y", "P3Y"]
    assert [str(c) for c in BillingCycle] == ["MONTHLY", "ANNUAL"]
    assert TermDuration("P1Y") is P1Y


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 31), 2, date(2026, 3, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 8, 31), 36, date(2029, 8, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months_clamps_to_the_last_day(day: date, n: int, expected: date) -> None:
    assert add_months(day, n) == expected


def test_add_months_beyond_the_calendar_raises() -> None:
    with pytest.raises(ValueError):
        add_months(date(9999, 12, 1), 1)


@given(days, st.integers(min_value=-1200, max_value=1200))
def test_add_months_keeps_the_day_unless_the_month_is_shorter(day: date, n: int) -> None:
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


@pytest.mark.parametrize(
    ("start", "term", "end"),
    [
        (date(2026, 1, 15), P1M, date(2026, 2, 14)),
        (date(2026, 1, 1), P1M, date(2026, 1, 31)),
        (date(2026, 1, 1), P1Y, date(2026, 12, 31)),
        (date(2026, 1, 1), P3Y, date(2028, 12, 31)),
        # Starts on the 29th-31st: the clamp shortens the term.
        (date(2026, 1, 28), P1M, date(2026, 2, 27)),
        (date(2026, 1, 29), P1M, date(2026, 2, 27)),
        (date(2026, 1, 30), P1M, date(2026, 2, 27)),
        (date(2026, 1, 31), P1M, date(2026, 2, 27)),
        (date(2024, 1, 31), P1M, date(2024, 2, 28)),
        (date(2026, 3, 31), P1M, date(2026, 4, 29)),
        (date(2026, 5, 31), P1M, date(2026, 6, 29)),
        (date(2024, 2, 29), P1Y, date(2025, 2, 27)),
        (date(2024, 2, 29), P3Y, date(2027, 2, 27)),
        (date(2023, 2, 28), P1Y, date(2024, 2, 27)),
        (date(2026, 12, 31), P1M, date(2027, 1, 30)),
    ],
)
def test_commitment_end_is_the_terms_last_day(start: date, term: TermDuration, end: date) -> None:
    assert commitment_end(start, term) == end


def test_a_term_that_starts_on_the_31st_renews_on_an_earlier_day() -> None:
    first_end = commitment_end(date(2026, 1, 31), P1M)
    assert renewal_start(first_end) == date(2026, 2, 28)
    assert commitment_end(renewal_start(first_end), P1M) == date(2026, 3, 27)


@given(days, st.sampled_from(TermDuration))
def test_terms_follow_each_other_without_gap_or_overlap(start: date, term: TermDuration) -> None:
    end = commitment_end(start, term)
    assert start < end
    assert renewal_start(end) == end + timedelta(days=1) == add_months(start, term.months)


@pytest.mark.parametrize(
    ("term_start", "cycle", "on", "period"),
    [
        (date(2026, 1, 15), M, date(2026, 1, 15), (date(2026, 1, 15), date(2026, 2, 14))),
        (date(2026, 1, 15), M, date(2026, 2, 14), (date(2026, 1, 15), date(2026, 2, 14))),
        (date(2026, 1, 15), M, date(2026, 2, 15), (date(2026, 2, 15), date(2026, 3, 14))),
        (date(2026, 1, 15), M, date(2026, 12, 20), (date(2026, 12, 15), date(2027, 1, 14))),
        # From the 31st: each period is measured from the term start, so none drifts.
        (date(2026, 1, 31), M, date(2026, 2, 27), (date(2026, 1, 31), date(2026, 2, 27))),
        (date(2026, 1, 31), M, date(2026, 2, 28), (date(2026, 2, 28), date(2026, 3, 30))),
        (date(2026, 1, 31), M, date(2026, 3, 31), (date(2026, 3, 31), date(2026, 4, 29))),
        (date(2026, 1, 31), M, date(2026, 4, 30), (date(2026, 4, 30), date(2026, 5, 30))),
        (date(2026, 1, 31), M, date(2027, 1, 30), (date(2026, 12, 31), date(2027, 1, 30))),
        (date(2024, 1, 30), M, date(2024, 2, 29), (date(2024, 2, 29), date(2024, 3, 29))),
        (date(2026, 1, 15), A, date(2026, 1, 15), (date(2026, 1, 15), date(2027, 1, 14))),
        (date(2026, 1, 15), A, date(2027, 1, 14), (date(2026, 1, 15), date(2027, 1, 14))),
        (date(2026, 1, 15), A, date(2027, 1, 15), (date(2027, 1, 15), date(2028, 1, 14))),
        (date(2026, 1, 15), A, date(2028, 6, 1), (date(2028, 1, 15), date(2029, 1, 14))),
        (date(2024, 2, 29), A, date(2025, 2, 28), (date(2025, 2, 28), date(2026, 2, 27))),
        (date(2024, 2, 29), A, date(2026, 3, 1), (date(2026, 2, 28), date(2027, 2, 27))),
    ],
)
def test_billing_period_contains_on(
    term_start: date, cycle: BillingCycle, on: date, period: tuple[date, date]
) -> None:
    assert billing_period(term_start, cycle, on) == period


def test_billing_period_before_the_term_raises() -> None:
    with pytest.raises(ValueError, match="before the term's start 2026-01-15"):
        billing_period(date(2026, 1, 15), M, date(2026, 1, 14))


@given(days, st.sampled_from(sorted(VALID_PAIRS)), st.integers(min_value=0, max_value=1095))
def test_billing_periods_tile_the_term(
    start: date, pair: tuple[TermDuration, BillingCycle], offset: int
) -> None:
    term, cycle = pair
    end = commitment_end(start, term)
    on = min(start + timedelta(days=offset), end)
    first, last = billing_period(start, cycle, on)
    assert first <= on <= last <= end
    # The neighbouring periods end and start on the adjacent days: no gap, no overlap.
    assert first == start or billing_period(start, cycle, first - ONE_DAY)[1] == first - ONE_DAY
    assert last == end or billing_period(start, cycle, last + ONE_DAY)[0] == last + ONE_DAY


@given(days, st.sampled_from(sorted(VALID_PAIRS)))
def test_a_terms_periods_are_as_many_as_the_cycle_says(
    start: date, pair: tuple[TermDuration, BillingCycle]
) -> None:
    term, cycle = pair
    periods = []
    on = start
    while on <= commitment_end(start, term):
        periods.append(billing_period(start, cycle, on))
        on = periods[-1][1] + timedelta(days=1)
    assert len(periods) == term.months // cycle.months
    assert periods[-1][1] == commitment_end(start, term)


@pytest.mark.parametrize(
    "call",
    [
        lambda day: add_months(day, 1),
        lambda day: commitment_end(day, P1M),
        lambda day: renewal_start(day),
        lambda day: billing_period(day, M, date(2026, 2, 1)),
        lambda day: billing_period(date(2026, 1, 1), M, day),
    ],
)
def test_a_datetime_is_not_a_day(call: Callable[[date], object]) -> None:
    # A datetime is a date to the type checker; its day depends on its zone (here Feb 1 in UTC).
    moment = datetime(2026, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(TypeError, match="not a datetime"):
        call(moment)
