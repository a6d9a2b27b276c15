"""Prices from the price list, and the order preview: what a change adds to the partner's next
invoice (DOMAIN.md Q1, Q2, C1; API.md's ChargePreview).

Choices:
- A price list has a row per offer, term, billing cycle and currency; a principal buys and sees
  prices in its partner's currency (a customer's principal: its customer's). An offer with no
  price in that currency is not for sale to it.
- A subscription keeps the price it was bought or last renewed at; a renewal re-prices it.
- A charge or a credit runs from today to the end of the current billing period (or of the term,
  when a co-termed add-on's term ends first), daily, as services/money.py computes it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, OfferTerm, Partner, Subscription
from services.money import Money, prorated
from services.terms import WINDOW, BillingCycle, TermDuration, billing_period
from services.viewer import Viewer

TERM_ORDER = {TermDuration.P1M: 0, TermDuration.P1Y: 1, TermDuration.P3Y: 2}


@dataclass(frozen=True)
class ChargePreview:
    amount: Money  # negative: a credit
    unit_price: Money
    quantity: int  # seats added (negative: removed); a purchase: seats bought
    term_duration: TermDuration
    billing_cycle: BillingCycle
    commitment_end_date: date
    cancellation_allowed_until: datetime | None


def viewer_currency(viewer: Viewer) -> ColumnElement[str]:
    """The currency the viewer buys and sees prices in, as SQL."""
    if viewer.partner_id is not None:
        return select(Partner.currency).where(Partner.id == viewer.partner_id).scalar_subquery()
    return select(Customer.currency).where(Customer.id == viewer.customer_id).scalar_subquery()


async def terms_by_offer_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, list[OfferTerm]]:
    """Each offer's terms in the viewer's currency, in the order a UI offers them: by the
    offer's billing cycles (its first is the default), then shortest term first."""
    stmt = select(OfferTerm).where(
        OfferTerm.offer_id.in_(ids), OfferTerm.currency == viewer_currency(viewer)
    )
    found: dict[int, list[OfferTerm]] = {pk: [] for pk in ids}
    for term in (await session.scalars(stmt)).all():
        found[term.offer_id].append(term)
    return found


def ordered(terms: Sequence[OfferTerm], cycles: Sequence[str]) -> list[OfferTerm]:
    """`cycles`: the offer's billing cycles, in its order."""
    return sorted(
        terms,
        key=lambda t: (
            cycles.index(t.billing_cycle) if t.billing_cycle in cycles else len(cycles),
            TERM_ORDER[TermDuration(t.term_duration)],
        ),
    )


def cancellation_allowed_until(subscription: Subscription, now: datetime) -> datetime | None:
    """The last instant the current term may be cancelled (168 hours after its purchase or
    renewal completed), or None once that has passed or the status allows no cancelling."""
    if subscription.status not in ("ACTIVE", "SUSPENDED"):
        return None
    until = subscription.term_started_at + WINDOW
    return until if now < until else None


def unit_price_of(subscription: Subscription) -> Money:
    return Money(subscription.unit_price, subscription.currency)


def charge(
    unit_price: Money,
    seats: int,
    term_start: date,
    cycle: BillingCycle,
    commitment_end: date,
    today: date,
) -> Money:
    """`seats` (negative: removed) from today to the end of the current billing period, or of
    the term if that comes first; nothing once the term has ended."""
    if today > commitment_end or today < term_start:
        return Money(Decimal(0), unit_price.currency)
    period = billing_period(term_start, cycle, today)
    return prorated(unit_price, seats, period, today, until=min(period[1], commitment_end))


def preview(subscription: Subscription, seats: int, now: datetime) -> ChargePreview | None:
    """What adding `seats` (negative: removing them) to the subscription costs now; None when
    nothing is charged or credited."""
    if seats == 0:
        return None
    price = unit_price_of(subscription)
    cycle = BillingCycle(subscription.billing_cycle)
    amount = charge(
        price,
        seats,
        subscription.term_start_date,
        cycle,
        subscription.commitment_end_date,
        now.date(),
    )
    return ChargePreview(
        amount=amount,
        unit_price=price,
        quantity=seats,
        term_duration=TermDuration(subscription.term_duration),
        billing_cycle=cycle,
        commitment_end_date=subscription.commitment_end_date,
        cancellation_allowed_until=cancellation_allowed_until(subscription, now),
    )


def to_json(preview: ChargePreview) -> dict[str, Any]:
    """A preview as an idempotency record keeps it, to answer a retry exactly as the first."""
    return {
        "amount": str(preview.amount.amount),
        "unitPrice": str(preview.unit_price.amount),
        "currency": preview.amount.currency,
        "quantity": preview.quantity,
        "termDuration": preview.term_duration.value,
        "billingCycle": preview.billing_cycle.value,
        "commitmentEndDate": preview.commitment_end_date.isoformat(),
        "cancellationAllowedUntil": None
        if preview.cancellation_allowed_until is None
        else preview.cancellation_allowed_until.isoformat(),
    }


def from_json(found: dict[str, Any]) -> ChargePreview:
    until = found["cancellationAllowedUntil"]
    return ChargePreview(
        amount=Money(Decimal(found["amount"]), found["currency"]),
        unit_price=Money(Decimal(found["unitPrice"]), found["currency"]),
        quantity=found["quantity"],
        term_duration=TermDuration(found["termDuration"]),
        billing_cycle=BillingCycle(found["billingCycle"]),
        commitment_end_date=date.fromisoformat(found["commitmentEndDate"]),
        cancellation_allowed_until=None if until is None else datetime.fromisoformat(until),
    )
