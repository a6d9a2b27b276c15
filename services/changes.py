"""Changing a subscription the viewer may manage: quantity and status."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Executable,
    Integer,
    bindparam,
    literal,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Customer, Offer, Subscription
from models.base import UtcDateTime, utcnow
from services import activity
from services.access import manageable_subscriptions, role_may_change, visible_subscriptions
from services.errors import DomainError
from services.rules import AnySelect, Rule, diagnose, evaluate, guard
from services.viewer import Viewer

# Microsoft keeps a suspended subscription's data this long before it is deleted.
DATA_RETENTION = timedelta(days=90)
_TRANSITIONS = {("ACTIVE", "SUSPENDED"), ("SUSPENDED", "ACTIVE")}
CHANGE_QUANTITY = "CHANGE_QUANTITY"


async def apply_change(
    session: AsyncSession,
    viewer: Viewer,
    subscription: Subscription,
    operation: str,
    values: dict[str, Any],
) -> Subscription:
    """Compare-and-set on the version, then the activity record, in the caller's transaction."""
    before = {_camel(name): _json(getattr(subscription, name)) for name in values}
    stmt = (
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.version == subscription.version)
        .values(**values, version=Subscription.version + 1, updated_at=utcnow())
        .returning(Subscription)
        .execution_options(populate_existing=True)
    )
    changed = (await session.scalars(stmt)).one_or_none()
    if changed is None:
        raise DomainError(
            "VERSION_CONFLICT", "the subscription changed meanwhile", ("subscriptionId",)
        )
    after = {_camel(name): _json(getattr(changed, name)) for name in values}
    activity.record(session, viewer, changed, operation, before, after)
    await session.flush()
    return changed


def _camel(column: str) -> str:
    """Activity records name values as the API does (suspended_at -> suspendedAt)."""
    first, *rest = column.split("_")
    return first + "".join(part.title() for part in rest)


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# The bound parameters of a quantity change: one built statement serves every input.
_ID = bindparam("change_id", type_=Integer)
_QUANTITY = bindparam("change_quantity", type_=Integer)
_EXPECTED_VERSION = bindparam("change_expected_version", type_=Integer)
_NOW = bindparam("change_now", type_=UtcDateTime)
_PRINCIPAL = bindparam("change_principal_id", type_=Integer)
_MISSING = DomainError("NOT_FOUND", "no such subscription", ("subscriptionId",))


@dataclass(frozen=True)
class QuantityChange:
    """changeQuantity as SQL: the rules it needs, over a subscription joined to its customer
    and offer, and the statement that applies it only where all of them hold. Ordinary
    execution runs this statement; a compiled plan wraps its answer's JSON around it."""

    viewer: Viewer
    with_expected_version: bool
    # More conditions a caller needs on the same row (a compiled plan: the API key's validity).
    also: tuple[ColumnElement[bool], ...] = ()

    @staticmethod
    def parameters(
        viewer: Viewer, subscription_id: int, quantity: int, expected_version: int | None
    ) -> dict[str, Any]:
        found: dict[str, Any] = {
            "change_id": subscription_id,
            "change_quantity": quantity,
            "change_now": utcnow(),
            "change_principal_id": viewer.principal_id,
        }
        if expected_version is not None:
            found["change_expected_version"] = expected_version
        return found

    def rules(self) -> list[Rule]:
        rules = [
            Rule(
                "NOT_FOUND",
                visible_subscriptions(self.viewer),
                lambda _: "no such subscription",
                ("subscriptionId",),
            ),
            *manage_rules(self.viewer),
        ]
        if self.with_expected_version:
            rules.append(version_rule(_EXPECTED_VERSION))
        return [
            *rules,
            Rule(
                "SUBSCRIPTION_NOT_ACTIVE",
                Subscription.status == "ACTIVE",
                lambda row: (
                    f"the subscription is {row.Subscription.status.lower()}; "
                    "only active ones change quantity"
                ),
                ("subscriptionId",),
            ),
            Rule(
                "QUANTITY_OUT_OF_RANGE",
                _QUANTITY.between(Offer.min_quantity, Offer.max_quantity),
                lambda row: (
                    f"quantity must be between {row.Offer.min_quantity} and "
                    f"{row.Offer.max_quantity}"
                ),
                ("quantity",),
            ),
            Rule(
                "QUANTITY_UNCHANGED",
                Subscription.quantity != _QUANTITY,
                lambda row: f"quantity is already {row.Subscription.quantity}",
                ("quantity",),
            ),
        ]

    def target(self) -> AnySelect:
        expected = [_EXPECTED_VERSION.label("expected")] if self.with_expected_version else []
        return target(_ID).add_columns(*expected)

    def postgres(self) -> tuple[CTE, CTE]:
        """(changed, recorded): the changed subscription's row, and its activity record, as one
        statement. The row lock is taken only where every rule holds; after waiting for it,
        PostgreSQL evaluates the rules again on the newest version, so that a change under
        contention is decided in this statement, not by a second transaction."""
        target = (
            self.target()
            .with_only_columns(Subscription.id, Subscription.quantity.label("before"))
            .where(guard(self.rules()), *self.also)
            .with_for_update(of=Subscription)
            .cte("target")
        )
        changed = (
            update(Subscription)
            # Not `version = target.version`: this UPDATE scans the statement's snapshot, where
            # a version that target waited for does not exist yet; target holds the lock.
            .where(Subscription.id == target.c.id)
            .values(quantity=_QUANTITY, version=Subscription.version + 1, updated_at=_NOW)
            .returning(*Subscription.__table__.c, target.c.before)
            .cte("changed")
        )
        recorded = activity.insert_from(
            changed,
            CHANGE_QUANTITY,
            _PRINCIPAL,
            _NOW,
            before={"quantity": changed.c.before},
            after={"quantity": changed.c.quantity},
        ).cte("recorded")
        return changed, recorded

    def steps(self) -> "QuantitySteps":
        target = (
            self.target()
            .with_only_columns(Subscription.quantity)
            .where(guard(self.rules()), *self.also)
        )
        change = (
            update(Subscription)
            .where(Subscription.id == _ID)
            .values(quantity=_QUANTITY, version=Subscription.version + 1, updated_at=_NOW)
            .returning(*Subscription.__table__.c)
        )
        return QuantitySteps(target, change, activity.insert_one(CHANGE_QUANTITY, _PRINCIPAL, _NOW))


# Runs a statement with its parameters, in the caller's transaction: its rows, by column name.
Run = Callable[[Executable, dict[str, Any]], Awaitable[Sequence[Mapping[str, Any]]]]


@dataclass(frozen=True)
class QuantitySteps:
    """changeQuantity on SQLite, which has no UPDATE inside WITH: the same guard, then the
    change and its activity record, run in the one transaction that holds SQLite's write lock
    throughout. Ordinary execution runs them through the ORM session; a compiled plan through
    the driver, rendered once."""

    target: Executable  # the quantity before, where every rule holds
    change: Executable  # the changed row: the subscription's columns
    record: Executable  # its activity record

    def all(self) -> tuple[Executable, ...]:
        return self.target, self.change, self.record

    async def run(self, run: Run, parameters: dict[str, Any]) -> Mapping[str, Any] | None:
        """The changed subscription's columns, or None: a rule does not hold."""
        found = await run(self.target, parameters)
        if not found:
            return None
        [changed] = await run(self.change, parameters)
        await run(
            self.record,
            {
                **parameters,
                "changed_id": changed["id"],
                "changed_customer_id": changed["customer_id"],
                "changed_version": changed["version"],
                "changed_before": {"quantity": found[0]["quantity"]},
                "changed_after": {"quantity": changed["quantity"]},
            },
        )
        return changed


async def change_quantity(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    quantity: int,
    expected_version: int | None,
) -> Subscription:
    change = QuantityChange(viewer, expected_version is not None)
    parameters = change.parameters(viewer, subscription_id, quantity, expected_version)
    if session.get_bind().dialect.name == "postgresql":
        changed, recorded = change.postgres()
        stmt = select(aliased(Subscription, changed)).add_cte(recorded)
        found: Subscription | None = (
            await session.scalars(_refreshing(stmt), parameters)
        ).one_or_none()
    else:
        connection = await session.connection()  # the session's transaction, no ORM

        async def run(statement: Executable, values: dict[str, Any]) -> Sequence[Mapping[str, Any]]:
            result = await connection.execute(statement, values)
            return [dict(row) for row in result.mappings()] if result.returns_rows else ()

        row = await change.steps().run(run, parameters)
        found = None if row is None else Subscription(**row)
    if found is None:
        raise await diagnose(session, change.rules(), change.target(), parameters, _MISSING)
    return found


def _refreshing(stmt: Executable) -> Any:
    """The session may hold the subscription already: take the database's new values."""
    return stmt.execution_options(populate_existing=True)


def manage_rules(viewer: Viewer) -> list[Rule]:
    """May the viewer change the subscription at all: its role, then the account and the sale."""
    field = ("subscriptionId",)
    return [
        Rule(
            "FORBIDDEN",
            literal(role_may_change(viewer)),
            lambda _: "your role may not change subscriptions",
            field,
        ),
        Rule(
            "NOT_MANAGEABLE",
            manageable_subscriptions(viewer),
            lambda _: "this subscription is not yours to change",
            field,
        ),
    ]


def version_rule(expected: ColumnElement[int]) -> Rule:
    return Rule(
        "VERSION_CONFLICT",
        Subscription.version == expected,
        lambda row: (
            f"the subscription is at version {row.Subscription.version}, not {row.expected}"
        ),
        ("expectedVersion",),
    )


def target(subscription_id: ColumnElement[int] | int) -> AnySelect:
    """The subscription with its customer and offer: what a change's rules refer to."""
    return (
        select(Subscription, Offer)
        .join(Customer, Customer.id == Subscription.customer_id)
        .join(Offer, Offer.id == Subscription.offer_id)
        .where(Subscription.id == subscription_id)
    )


async def change_status(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    status: str,
    expected_version: int | None,
) -> Subscription:
    """Suspending starts the cancellation process: the data is kept for DATA_RETENTION."""
    rules = [
        Rule(
            "NOT_FOUND",
            visible_subscriptions(viewer),
            lambda _: "no such subscription",
            ("subscriptionId",),
        ),
        *manage_rules(viewer),
        *([] if expected_version is None else [version_rule(literal(expected_version))]),
        Rule(
            "INVALID_STATUS_TRANSITION",
            Subscription.status.in_([old for old, new in _TRANSITIONS if new == status]),
            lambda row: f"a subscription cannot go from {row.Subscription.status} to {status}",
            ("status",),
        ),
    ]
    expected = [] if expected_version is None else [literal(expected_version).label("expected")]
    row = await evaluate(
        session, rules, target(subscription_id).add_columns(*expected), {}, _MISSING, Subscription
    )
    suspended_at = utcnow() if status == "SUSPENDED" else None
    values = {"status": status, "suspended_at": suspended_at}
    return await apply_change(session, viewer, row.Subscription, "CHANGE_STATUS", values)
