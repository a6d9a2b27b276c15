"""changeQuantity: its rules, its steps (ordinary execution on both engines, and the compiled
path on SQLite), and its one statement (the compiled path on PostgreSQL)."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Executable,
    Integer,
    bindparam,
    exists,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Customer, Offer, SeatBatch, Subscription
from models.base import UtcDateTime, utcnow
from services import activity, prices, seats, subscription_rules
from services.activity import Actor
from services.changes import MISSING, Changed, lock
from services.rules import AnySelect, Rule, checking, diagnose, evaluate, guard
from services.subscription_rules import NOW
from services.terms import WINDOW
from services.viewer import Viewer

CHANGE_QUANTITY = "CHANGE_QUANTITY"

# The bound parameters of a quantity change: one built statement serves every input.
_ID = bindparam("change_id", type_=Integer)
# 64 bits: the rules subtract it from the current quantity, which must not overflow 32 bits.
_QUANTITY = bindparam("change_quantity", type_=BigInteger)
_EXPECTED_VERSION = bindparam("change_expected_version", type_=Integer)
_UNTIL = bindparam("change_window_until", type_=UtcDateTime)
_ADDED = bindparam("batch_added", type_=Integer)
_REMOVED = bindparam("batch_removed", type_=Integer)
_NO_NEXT_TERM = {
    "next_term_quantity": null(),
    "next_term_duration": null(),
    "next_term_billing_cycle": null(),
}


@dataclass(frozen=True)
class QuantityChange:
    """changeQuantity as SQL: the rules it needs, over a subscription joined to its customer
    and offer, and the statements that apply it only where all of them hold."""

    viewer: Viewer
    with_expected_version: bool
    # More conditions a caller needs on the same row (a compiled plan: the API key's validity).
    also: tuple[ColumnElement[bool], ...] = ()

    @staticmethod
    def parameters(
        viewer: Viewer,
        subscription_id: int,
        quantity: int,
        expected_version: int | None,
        now: datetime,
    ) -> dict[str, Any]:
        found: dict[str, Any] = {
            "change_id": subscription_id,
            "change_quantity": quantity,
            "change_window_until": now + WINDOW,
            **subscription_rules.at(now),
            **Actor.of(viewer).parameters(),
        }
        if expected_version is not None:
            found["change_expected_version"] = expected_version
        return found

    def rules(self) -> list[Rule]:
        version = (
            [subscription_rules.version(_EXPECTED_VERSION)] if self.with_expected_version else []
        )
        return [
            subscription_rules.visible(self.viewer),
            *subscription_rules.manage(self.viewer),
            *version,
            *subscription_rules.quantity(_QUANTITY),
        ]

    def target(self) -> AnySelect:
        return subscription_rules.target(_ID)

    def postgres(self) -> tuple[CTE, CTE, CTE, CTE, CTE]:
        """(changed, added, removed, recorded, queued: the webhooks' deliveries) as one
        statement, for the common case only.

        After a lock wait PostgreSQL re-checks the conditions on the newest version of the rows
        it locked, but reads other rows as of the statement's snapshot. So an increase under a
        seat limit also locks its customer's row, whose count of seats (migration 0008) it
        checks again there; other changes lock the subscription alone. The statement declines
        (changes nothing, and ordinary execution answers) when a decrease finds the row
        changed since its snapshot (it reads the seat batches), and when a change for the
        renewal is scheduled (which this change clears, and records)."""
        snapshot = aliased(Subscription, name="snapshot")
        unchanged = select(snapshot.version).where(snapshot.id == _ID).scalar_subquery()
        target = (
            self.target()
            .with_only_columns(
                Subscription.id,
                Subscription.customer_id,
                Subscription.quantity.label("before"),
                Offer.seat_limit_per_customer.label("seat_limit"),
            )
            .where(
                guard(self.rules()),
                *self.also,
                or_(Subscription.version == unchanged, Subscription.quantity < _QUANTITY),
                Subscription.next_term_quantity.is_(None),
            )
            .with_for_update(of=Subscription)
            .cte("target")
        )
        seated = (
            select(Customer.id)
            .join(target, Customer.id == target.c.customer_id)
            .where(
                target.c.seat_limit.is_not(None),
                target.c.before < _QUANTITY,
                subscription_rules.seats_fit(
                    Customer.group_seats, _QUANTITY - target.c.before, target.c.seat_limit
                ),
            )
            .with_for_update(of=Customer, key_share=True)
            .cte("seated")
        )
        within_limit = or_(
            target.c.seat_limit.is_(None),
            target.c.before > _QUANTITY,
            exists(select(seated.c.id)),
        )
        changed = (
            update(Subscription)
            .where(Subscription.id == target.c.id, within_limit)
            .values(quantity=_QUANTITY, version=Subscription.version + 1, updated_at=NOW)
            .returning(*Subscription.__table__.c, target.c.before)
            .cte("changed")
        )
        added = (
            seats.add_from(
                select(
                    changed.c.id,
                    changed.c.quantity - changed.c.before,
                    NOW,
                    _UNTIL,
                ).where(changed.c.quantity > changed.c.before)
            )
            .returning(SeatBatch.id)
            .cte("added")
        )
        removed = (
            seats.consume(_ID, changed.c.before - changed.c.quantity, NOW)
            .where(changed.c.before > changed.c.quantity)  # spares an increase the window
            .returning(SeatBatch.id)
            .cte("removed")
        )
        recorded = activity.insert_from(
            changed,
            CHANGE_QUANTITY,
            NOW,
            before={"quantity": changed.c.before},
            after={"quantity": changed.c.quantity},
        ).cte("recorded")
        queued = activity.queue(recorded).cte("queued")
        return changed, added, removed, recorded, queued

    def steps(self) -> "QuantitySteps":
        target = (
            self.target()
            .with_only_columns(
                Subscription.quantity,
                Subscription.next_term_quantity,
                Subscription.next_term_duration,
                Subscription.next_term_billing_cycle,
            )
            .where(guard(self.rules()), *self.also)
        )
        change = (
            update(Subscription)
            .where(Subscription.id == _ID)
            .values(
                quantity=_QUANTITY,
                version=Subscription.version + 1,
                updated_at=NOW,
                **_NO_NEXT_TERM,
            )
            .returning(*Subscription.__table__.c)
        )
        return QuantitySteps(
            target,
            change,
            seats.add(_ID, _ADDED, NOW, _UNTIL),
            seats.consume(_ID, _REMOVED, NOW),
            activity.insert_one(CHANGE_QUANTITY, NOW),
            activity.queue_one(),
        )


# Runs a statement with its parameters, in the caller's transaction: its rows, by column name.
Run = Callable[[Executable, dict[str, Any]], Awaitable[Sequence[Mapping[str, Any]]]]


@dataclass(frozen=True)
class QuantitySteps:
    """changeQuantity as steps, in one transaction that holds the row (PostgreSQL: after
    `lock`) or the database (SQLite): the guard, the change, the seats added or removed, the
    activity record and its webhooks' deliveries. Ordinary execution runs them on the
    session's connection; a compiled plan on SQLite through the driver, rendered once."""

    target: Executable  # the facts before, where every rule holds
    change: Executable  # the changed row: the subscription's columns
    add: Executable  # an increase's seat batch
    remove: Executable  # a decrease's seats, from the batches that close first
    record: Executable  # the activity record
    queue: Executable  # its webhooks' deliveries

    def all(self) -> tuple[Executable, ...]:
        return self.target, self.change, self.add, self.remove, self.record, self.queue

    async def run(
        self, run: Run, parameters: dict[str, Any]
    ) -> tuple[Mapping[str, Any], int] | None:
        """The changed subscription's columns and the quantity before, or None: a rule does
        not hold."""
        found = await run(self.target, parameters)
        if not found:
            return None
        before = found[0]
        [changed] = await run(self.change, parameters)
        delta = changed["quantity"] - before["quantity"]
        if delta > 0:
            await run(self.add, {**parameters, "batch_added": delta})
        else:
            await run(self.remove, {**parameters, "batch_removed": -delta})
        was, now = {"quantity": before["quantity"]}, {"quantity": changed["quantity"]}
        if before["next_term_quantity"] is not None:
            was["nextTerm"] = {
                "quantity": before["next_term_quantity"],
                "termDuration": before["next_term_duration"],
                "billingCycle": before["next_term_billing_cycle"],
            }
            now["nextTerm"] = None
        [recorded] = await run(
            self.record,
            {
                **parameters,
                "changed_id": changed["id"],
                "changed_customer_id": changed["customer_id"],
                "changed_version": changed["version"],
                "changed_before": was,
                "changed_after": now,
            },
        )
        await run(self.queue, {"recorded_id": recorded["id"]})
        return changed, before["quantity"]


@lru_cache(maxsize=1024)
def built_steps(change: QuantityChange) -> QuantitySteps:
    """The steps of a change, built once per shape (the viewer's and the change's): building
    the rules' SQL costs more than running it (their parameters are bound per call)."""
    return change.steps()


@lru_cache(maxsize=1024)
def built_checks(change: QuantityChange) -> tuple[tuple[Rule, ...], AnySelect]:
    """The rules of a change and the statement that evaluates them on its target, built once
    per shape like its steps: validateOnly evaluates them, and a refusal is diagnosed with
    them. Built per request, they cost a refusal more than its five statements did."""
    rules = tuple(change.rules())
    return rules, checking(rules, change.target())


async def change_quantity(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    quantity: int,
    expected_version: int | None,
    validate_only: bool = False,
) -> Changed:
    now = utcnow()
    change = QuantityChange(viewer.rules_shape(), expected_version is not None)
    parameters = change.parameters(viewer, subscription_id, quantity, expected_version, now)
    rules, checks = built_checks(change)
    await lock(session, subscription_id)
    if validate_only:
        row = await evaluate(session, rules, checks, parameters, MISSING)
        current: Subscription = row.Subscription
        return Changed(current, prices.preview(current, quantity - current.quantity, now))
    connection = await session.connection()  # the session's transaction, no ORM

    async def run(statement: Executable, values: dict[str, Any]) -> Sequence[Mapping[str, Any]]:
        result = await connection.execute(statement, values)
        return [dict(row) for row in result.mappings()] if result.returns_rows else ()

    applied = await built_steps(change).run(run, parameters)
    if applied is None:
        raise await diagnose(session, rules, checks, parameters, MISSING)
    columns, before = applied
    changed = Subscription(**columns)
    return Changed(changed, prices.preview(changed, quantity - before, now))
