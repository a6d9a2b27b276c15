"""Time without requests (DOMAIN.md §4, R1, R3; API.md "Time"): what is due, and what each
timed transition does. One transition is one transaction: the row claimed and re-checked under
its lock, the change with its version and its activity record (the system's), committed alone.

Choices (beside services/lifecycle.py's):
- SUSPENDED at its term's end expires, like an ACTIVE one without auto-renew (§4's choice).
- EXPIRED and DISABLED are counted from when each was due, so a late runner catches up in
  one run, each step its own transaction and record.
- A renewal starts the day after the old term's last day and opens its 168-hour window when
  it completes (R1); a runner late by more than a term renews once per term missed.
- A renewal is priced from the offer's price list (the term after `nextTerm`, in the
  subscription's currency); a term the list no longer has cannot be bought: it expires.
- A renewal buys a new term, which an add-on may not do without its base (PARENT_NOT_ACTIVE):
  an add-on renews only while its base is ACTIVE and will be on the add-on's new first day
  (its term runs on, or it renews); else it expires. Nothing else cascades with time
  (DOMAIN.md A2): each add-on follows its own term.
- The seats of a renewed or expired term can no longer be removed: their batches are emptied,
  and a renewal adds one batch for every seat of the new term.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from infra.database import Database
from infra.transactions import run_in_transaction
from models import OfferTerm, Subscription
from models.base import utcnow
from services import seats
from services.activity import SYSTEM
from services.changes import apply_change
from services.lifecycle import DISABLED_FOR, EXPIRED_FOR, term_ends_at
from services.status_changes import effects
from services.subscription_rules import one_of
from services.terms import TermDuration, commitment_end, renewal_start

RENEW: Final = "RENEW"
EXPIRE: Final = "EXPIRE"
DISABLE: Final = "DISABLE"
DELETE: Final = "DELETE"
OPERATIONS: Final = (RENEW, EXPIRE, DISABLE, DELETE)
# A run waits this often for rows others hold, this long each time, before leaving them.
_MAX_IDLE = 20
_IDLE_WAIT_S = 0.05
_NEXT = {EXPIRE: "EXPIRED", DISABLE: "DISABLED", DELETE: "DELETED"}

_base = aliased(Subscription, name="base")
_duration = func.coalesce(Subscription.next_term_duration, Subscription.term_duration)
_cycle = func.coalesce(Subscription.next_term_billing_cycle, Subscription.billing_cycle)
_RENEWAL_PRICE = (
    select(OfferTerm.unit_price)
    .where(
        OfferTerm.offer_id == Subscription.offer_id,
        OfferTerm.term_duration == _duration,
        OfferTerm.billing_cycle == _cycle,
        OfferTerm.currency == Subscription.currency,
    )
    .scalar_subquery()
)
_BASE_CARRIES_ON = or_(
    Subscription.parent_subscription_id.is_(None),
    select(_base.id)
    .where(
        _base.id == Subscription.parent_subscription_id,
        _base.status == "ACTIVE",
        or_(_base.auto_renew, _base.commitment_end_date > Subscription.commitment_end_date),
    )
    .exists(),
)


def due(now: datetime) -> dict[str, ColumnElement[bool]]:
    """Each operation's condition, in the order they are tried: the first that holds is due."""
    ended = Subscription.commitment_end_date < now.date()  # term_ends_at(end) <= now
    status = Subscription.status.expression
    return {
        RENEW: and_(
            status == "ACTIVE",
            Subscription.auto_renew,
            ended,
            _RENEWAL_PRICE.is_not(None),
            _BASE_CARRIES_ON,
        ),
        EXPIRE: and_(one_of(status, ("ACTIVE", "SUSPENDED")), ended),
        DISABLE: and_(status == "EXPIRED", Subscription.status_changed_at <= now - EXPIRED_FOR),
        DELETE: and_(status == "DISABLED", Subscription.status_changed_at <= now - DISABLED_FOR),
    }


@dataclass(frozen=True)
class Transition:
    subscription_id: int
    operation: str
    version: int  # after the change


async def apply_next(session: AsyncSession, now: datetime) -> Transition | None:
    """Claim one subscription with something due and apply it; None when there is none to
    claim. On PostgreSQL the claim locks the row and skips rows others hold (another process
    applying them, or a change in flight); on SQLite the write transaction holds the database.
    Its customer is not locked up front, as a mutation's is for the seat limit (migration
    0008's trigger locks the customer's row when the count changes): a renewal applies the
    quantity as it was checked when scheduled (services/renewals.py), and nothing else due
    adds seats."""
    conditions = due(now)
    operation = case(*((holds, name) for name, holds in conditions.items()))
    claim = (
        select(Subscription, operation.label("operation"), _RENEWAL_PRICE.label("price"))
        .where(or_(*conditions.values()))
        .limit(1)
        .with_for_update(of=Subscription, key_share=True, skip_locked=True)
    )
    row = (await session.execute(claim)).one_or_none()
    if row is None:
        return None
    subscription: Subscription = row.Subscription
    values = _effects(subscription, row.operation, row.price, now)
    changed = await apply_change(session, SYSTEM, subscription, row.operation, values, now)
    if row.operation in (RENEW, EXPIRE):
        await session.execute(seats.empty(changed.id))
    if row.operation == RENEW:
        session.add(seats.new_batch(changed.id, changed.quantity, now))
        await session.flush()
    return Transition(changed.id, row.operation, changed.version)


async def any_due(session: AsyncSession, now: datetime) -> bool:
    """Whether anything is due, locked by others or not."""
    found = select(Subscription.id).where(or_(*due(now).values())).limit(1)
    return (await session.scalar(found)) is not None


def _effects(
    subscription: Subscription, operation: str, price: Decimal | None, now: datetime
) -> dict[str, Any]:
    if operation == RENEW:
        assert price is not None  # due() renews only what the price list has
        return renewed(subscription, price, now)
    # Each status is counted from when it was due (services/lifecycle.py).
    since: dict[str, datetime] = {
        EXPIRE: term_ends_at(subscription.commitment_end_date),
        DISABLE: subscription.status_changed_at + EXPIRED_FOR,
        DELETE: subscription.status_changed_at + DISABLED_FOR,
    }
    return effects(_NEXT[operation], since[operation])


def renewed(subscription: Subscription, price: Decimal, now: datetime) -> dict[str, Any]:
    """The columns a renewal sets: the next term, `nextTerm` applied then cleared (R1, R4)."""
    duration = TermDuration(subscription.next_term_duration or subscription.term_duration)
    start: date = renewal_start(subscription.commitment_end_date)
    return {
        "quantity": subscription.quantity
        if subscription.next_term_quantity is None
        else subscription.next_term_quantity,
        "term_duration": duration.value,
        "billing_cycle": subscription.next_term_billing_cycle or subscription.billing_cycle,
        "term_start_date": start,
        "commitment_end_date": commitment_end(start, duration),
        "term_started_at": now,
        "unit_price": price,
        "next_term_quantity": None,
        "next_term_duration": None,
        "next_term_billing_cycle": None,
    }


async def run_due(database: Database) -> list[Transition]:
    """Apply what is due now, one transition per transaction, until nothing is left; any
    number of processes may run this at once. Rows others hold are waited for briefly (a
    change in flight, or another process applying them), then left to the next run."""

    async def step(session: AsyncSession) -> Transition | None:
        return await apply_next(session, utcnow())  # the time once the write lock is held

    done: list[Transition] = []
    idle = 0
    while idle < _MAX_IDLE:
        applied = await run_in_transaction(database.write_sessions, step, database.write_queue)
        if applied is not None:
            database.wakeups.committed()
            done.append(applied)
            idle = 0
            continue
        async with database.read_sessions() as session:
            if not await any_due(session, utcnow()):
                break
        idle += 1
        await asyncio.sleep(_IDLE_WAIT_S)
    return done


def counts(done: list[Transition]) -> Mapping[str, int]:
    """Transitions per operation, every operation named."""
    return {name: sum(1 for t in done if t.operation == name) for name in OPERATIONS}
