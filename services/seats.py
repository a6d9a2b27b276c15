"""Seat batches (DOMAIN.md Q2): every purchase, increase and renewal is a batch of seats that
may be removed for 168 hours, to the second. A decrease takes seats from the batches whose
windows close first, so the partner keeps the most room to change its mind.

A batch's `quantity` is what is still removable; a renewal or a cancellation empties the
batches it supersedes, so the removable seats never exceed the subscription's.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Insert, Select, Update, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import SeatBatch, Subscription
from services.terms import WINDOW


def new_batch(subscription_id: int, quantity: int, now: datetime) -> SeatBatch:
    return SeatBatch(
        subscription_id=subscription_id,
        quantity=quantity,
        added_at=now,
        refundable_until=now + WINDOW,
    )


def add(
    subscription_id: ColumnElement[int],
    quantity: ColumnElement[int],
    now: ColumnElement[datetime],
    until: ColumnElement[datetime],
) -> Insert:
    """A batch as an INSERT, for statements run outside the ORM."""
    return insert(SeatBatch).values(
        subscription_id=subscription_id, quantity=quantity, added_at=now, refundable_until=until
    )


def add_from(rows: Select[Any]) -> Insert:
    """Batches from rows of (subscription id, quantity, added at, refundable until)."""
    return insert(SeatBatch).from_select(
        ["subscription_id", "quantity", "added_at", "refundable_until"], rows
    )


def refundable(now: ColumnElement[datetime]) -> ColumnElement[int]:
    """The subscription's removable seats now, as a correlated SQL expression."""
    return (
        select(func.coalesce(func.sum(SeatBatch.quantity), 0))
        .where(SeatBatch.subscription_id == Subscription.id, SeatBatch.refundable_until > now)
        .scalar_subquery()
    )


def last_window_closed(now: ColumnElement[datetime]) -> ColumnElement[datetime]:
    """When the subscription's most recent window that has closed closed (NULL: none has)."""
    return (
        select(func.max(SeatBatch.refundable_until))
        .where(SeatBatch.subscription_id == Subscription.id, SeatBatch.refundable_until <= now)
        .scalar_subquery()
    )


def consume(
    subscription_id: ColumnElement[int], seats: ColumnElement[int], now: ColumnElement[datetime]
) -> Update:
    """Remove `seats` from the open batches whose windows close first, in one statement (the
    same SQL on PostgreSQL and SQLite). The caller has checked that enough are removable."""
    earlier = func.coalesce(
        func.sum(SeatBatch.quantity).over(
            order_by=(SeatBatch.refundable_until, SeatBatch.id), rows=(None, -1)
        ),
        0,
    )
    open_batches = (
        select(SeatBatch.id, SeatBatch.quantity, earlier.label("earlier"))
        .where(
            SeatBatch.subscription_id == subscription_id,
            SeatBatch.quantity > 0,
            SeatBatch.refundable_until > now,
        )
        .subquery("open_batches")
    )
    left = seats - open_batches.c.earlier
    taken = case(
        (left >= open_batches.c.quantity, open_batches.c.quantity),
        (left > 0, left),
        else_=0,
    )
    return (
        update(SeatBatch)
        .where(SeatBatch.id == open_batches.c.id, taken > 0)
        .values(quantity=SeatBatch.quantity - taken)
    )


def empty(subscription_id: ColumnElement[int] | int) -> Update:
    """No seat of the subscription's earlier batches may be removed any more (a renewal
    starts a new batch for every seat; a cancellation removed them all)."""
    return (
        update(SeatBatch)
        .where(SeatBatch.subscription_id == subscription_id, SeatBatch.quantity > 0)
        .values(quantity=0)
    )


async def open_batches_by_subscription_ids(
    session: AsyncSession, ids: Sequence[int], now: datetime
) -> dict[int, list[SeatBatch]]:
    """Each subscription's batches that still have removable seats, the soonest to close first."""
    stmt = (
        select(SeatBatch)
        .where(
            SeatBatch.subscription_id.in_(ids),
            SeatBatch.quantity > 0,
            SeatBatch.refundable_until > now,
        )
        .order_by(SeatBatch.subscription_id, SeatBatch.refundable_until, SeatBatch.id)
    )
    found: dict[int, list[SeatBatch]] = {pk: [] for pk in ids}
    for batch in (await session.scalars(stmt)).all():
        found[batch.subscription_id].append(batch)
    return found
