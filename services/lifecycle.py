"""The lifecycle over time (DOMAIN.md §4, R1, R3): when each timed transition falls due.

Choices:
- A term ends at the end of its commitment end date (UTC): its renewal or expiry is due at
  00:00 the next day (R1).
- EXPIRED lasts 30 days and DISABLED 90, counted from when the status was due, not from when
  the runner got to it: a late runner does not lengthen a timeline.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Final

from models import Subscription
from services.terms import ONE_DAY

EXPIRED_FOR: Final = timedelta(days=30)
DISABLED_FOR: Final = timedelta(days=90)


def term_ends_at(commitment_end: date) -> datetime:
    """The instant a term is over: 00:00 UTC the day after its last day."""
    day = commitment_end + ONE_DAY
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def deletion_due(subscription: Subscription) -> datetime | None:
    """When a subscription on its way out is deleted, unless it is reactivated first (only a
    SUSPENDED one can be, before its term ends); None for the others."""
    if subscription.status == "SUSPENDED":
        return term_ends_at(subscription.commitment_end_date) + EXPIRED_FOR + DISABLED_FOR
    if subscription.status == "EXPIRED":
        return subscription.status_changed_at + EXPIRED_FOR + DISABLED_FOR
    if subscription.status == "DISABLED":
        return subscription.status_changed_at + DISABLED_FOR
    return None
