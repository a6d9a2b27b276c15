"""Terms and billing periods of new-commerce subscriptions, on UTC calendar days.

Every argument and result is a `datetime.date` meaning a whole UTC day; a `datetime` (a subclass of
`date`) is refused with TypeError, because its calendar day depends on its time zone and converting
it is the caller's business.

Choices:
- R6, with no triennial billing (DOMAIN.md §1): P1M is billed monthly; P1Y and P3Y monthly or
  annually. `VALID_PAIRS` holds exactly these.
- Month arithmetic clamps to the month's last day: Jan 31 + 1 month = Feb 28 (Feb 29 in leap years).
- `commitmentEndDate` is inclusive in NCE (DOMAIN.md §1): a term ends at the end of
  `add_months(start, months) - 1 day`. For a start on the 29th–31st the clamp makes the term
  shorter: 2026-01-28, -29, -30 and -31 with P1M all end on 2026-02-27 (the 31st's term is 28 days
  long), 2026-03-31 P1M ends 2026-04-29, and 2024-02-29 P1Y ends 2025-02-27.
- R1: the renewed term starts the day after `commitmentEndDate`. A term that started on the
  29th–31st therefore renews on an earlier day of the month, and keeps that new day afterwards.
- Billing periods are counted from the term start, never from the previous period: the k-th
  starts on `add_months(term_start, k * cycle_months)`, so a clamp in February does not shift the
  periods after it (Jan 31, Feb 28, Mar 31, Apr 30, ...). The last period of a term ends on its
  `commitmentEndDate`, because both are the same `add_months(...) - 1 day`.
"""

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

ONE_DAY: Final = timedelta(days=1)
# Q2 and C1: seats, a purchase and a renewal may be undone for 168 hours, to the second.
WINDOW: Final = timedelta(hours=168)


class TermDuration(StrEnum):
    """ISO 8601 durations, as Partner Center names them."""

    P1M = "P1M"
    P1Y = "P1Y"
    P3Y = "P3Y"

    @property
    def months(self) -> int:
        return _TERM_MONTHS[self]


class BillingCycle(StrEnum):
    """How often the partner is billed within a term (no triennial billing: DOMAIN.md §1)."""

    MONTHLY = "MONTHLY"
    ANNUAL = "ANNUAL"

    @property
    def months(self) -> int:
        return _CYCLE_MONTHS[self]


_TERM_MONTHS: Final = {TermDuration.P1M: 1, TermDuration.P1Y: 12, TermDuration.P3Y: 36}
_CYCLE_MONTHS: Final = {BillingCycle.MONTHLY: 1, BillingCycle.ANNUAL: 12}

VALID_PAIRS: Final = frozenset(
    {
        (TermDuration.P1M, BillingCycle.MONTHLY),
        (TermDuration.P1Y, BillingCycle.MONTHLY),
        (TermDuration.P1Y, BillingCycle.ANNUAL),
        (TermDuration.P3Y, BillingCycle.MONTHLY),
        (TermDuration.P3Y, BillingCycle.ANNUAL),
    }
)


def is_valid_pair(term: TermDuration, cycle: BillingCycle) -> bool:
    """Whether a term may be billed in this cycle (R6)."""
    return (term, cycle) in VALID_PAIRS


def check_day(value: date, name: str) -> date:
    """Refuse a datetime where a UTC calendar day is meant (a datetime is also a date)."""
    if isinstance(value, datetime):
        raise TypeError(f"{name} must be a date (a UTC day), not a datetime")
    return value


def add_months(day: date, n: int) -> date:
    """`day` moved by `n` months (negative: back), clamped to the target month's last day."""
    check_day(day, "day")
    year, month_index = divmod(day.year * 12 + day.month - 1 + n, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def commitment_end(start: date, term: TermDuration) -> date:
    """The term's last day, inclusive: `add_months(start, term.months) - 1 day`."""
    return add_months(start, term.months) - ONE_DAY


def renewal_start(commitment_end: date) -> date:
    """The first day of the next term: the day after `commitment_end` (R1)."""
    return check_day(commitment_end, "commitment_end") + ONE_DAY


def billing_period(term_start: date, cycle: BillingCycle, on: date) -> tuple[date, date]:
    """The billing period (first day, last day inclusive) that contains `on`.

    Periods are counted from `term_start`; `on` before it raises ValueError. Whether `on` is still
    inside the term is the caller's to know: periods past the term's end continue the same series.
    """
    check_day(term_start, "term_start")
    if check_day(on, "on") < term_start:
        raise ValueError(f"{on} is before the term's start {term_start}")
    index = _months_elapsed(term_start, on) // cycle.months
    first = add_months(term_start, index * cycle.months)
    return first, add_months(term_start, (index + 1) * cycle.months) - ONE_DAY


def _months_elapsed(start: date, on: date) -> int:
    """The largest n with add_months(start, n) <= on (given start <= on)."""
    months = (on.year - start.year) * 12 + on.month - start.month
    # add_months(start, months) lands in on's month: one month less when it lands after `on`.
    return months - 1 if add_months(start, months) > on else months


def first_term(duration: TermDuration, today: date, co_term_end: date | None = None) -> date:
    """A new purchase's commitment end: the term's own end, or, for an add-on that co-terms
    with its base (DOMAIN.md §6), the base's end when that comes first (R7: a co-termed end
    shortens a term, never lengthens it)."""
    own = commitment_end(check_day(today, "today"), duration)
    if co_term_end is None or co_term_end < today:
        return own
    return min(own, check_day(co_term_end, "co_term_end"))


def current_term(bought_on: date, duration: TermDuration, today: date) -> tuple[date, date]:
    """(first day, last day) of the term that contains `today`, for a subscription bought on
    `bought_on` and renewed at every term's end since."""
    start = check_day(bought_on, "bought_on")
    while commitment_end(start, duration) < check_day(today, "today"):
        start = renewal_start(commitment_end(start, duration))
    return start, commitment_end(start, duration)
