"""Changing a subscription the viewer may manage: quantity and status."""

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Offer, Subscription
from models.base import utcnow
from services import activity
from services.access import NotManageable, not_manageable_reason, visible_subscriptions
from services.errors import DomainError
from services.viewer import Viewer

# Microsoft keeps a suspended subscription's data this long before it is deleted.
DATA_RETENTION = timedelta(days=90)
_TRANSITIONS = {("ACTIVE", "SUSPENDED"), ("SUSPENDED", "ACTIVE")}
CHANGE_QUANTITY = "CHANGE_QUANTITY"


async def lock_for_change(
    session: AsyncSession, viewer: Viewer, subscription_id: int
) -> Subscription:
    """The visible subscription, row-locked until commit, that the viewer may change."""
    field = ("subscriptionId",)
    stmt = (
        select(Subscription, not_manageable_reason(viewer))
        .join(Customer, Customer.id == Subscription.customer_id)
        .where(Subscription.id == subscription_id, visible_subscriptions(viewer))
        .with_for_update(of=Subscription)
    )
    found = (await session.execute(stmt)).one_or_none()
    if found is None:
        raise DomainError("NOT_FOUND", "no such subscription", field)
    subscription, reason = found
    if reason is not None:
        raise refusal(reason, field)
    return subscription


def refusal(reason: str, field: tuple[str, ...]) -> DomainError:
    """The error a change of a subscription the viewer may not manage gets, by the reason."""
    if reason == NotManageable.ROLE_READ_ONLY:
        return DomainError("FORBIDDEN", "your role may not change subscriptions", field)
    return DomainError("NOT_MANAGEABLE", "this subscription is not yours to change", field)


def check_version(subscription: Subscription, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != subscription.version:
        raise DomainError(
            "VERSION_CONFLICT",
            f"the subscription is at version {subscription.version}, not {expected_version}",
            ("expectedVersion",),
        )


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


async def change_quantity(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    quantity: int,
    expected_version: int | None,
) -> Subscription:
    subscription = await lock_for_change(session, viewer, subscription_id)
    check_version(subscription, expected_version)
    if subscription.status != "ACTIVE":
        raise DomainError(
            "SUBSCRIPTION_NOT_ACTIVE",
            f"the subscription is {subscription.status.lower()}; only active ones change quantity",
            ("subscriptionId",),
        )
    offer = await session.get_one(Offer, subscription.offer_id)
    if not offer.min_quantity <= quantity <= offer.max_quantity:
        raise DomainError(
            "QUANTITY_OUT_OF_RANGE",
            f"quantity must be between {offer.min_quantity} and {offer.max_quantity}",
            ("quantity",),
        )
    if quantity == subscription.quantity:
        raise DomainError("QUANTITY_UNCHANGED", f"quantity is already {quantity}", ("quantity",))
    return await apply_change(
        session, viewer, subscription, CHANGE_QUANTITY, {"quantity": quantity}
    )


def quantity_change_holds(
    quantity: ColumnElement[int], expected_version: ColumnElement[int] | None
) -> list[ColumnElement[bool]]:
    """change_quantity's checks after lock_for_change, as conditions on a subscription row
    joined to its offer. A compiled mutation changes a row only where all of them hold, and
    leaves every refusal, and its wording, to change_quantity; tests/graphql.py runs every
    changeQuantity of the suite both ways and fails if they differ."""
    holds = [
        Subscription.status == "ACTIVE",
        Offer.min_quantity <= quantity,
        Offer.max_quantity >= quantity,
        Subscription.quantity != quantity,
    ]
    if expected_version is not None:
        holds.append(Subscription.version == expected_version)
    return holds


async def change_status(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    status: str,
    expected_version: int | None,
) -> Subscription:
    """Suspending starts the cancellation process: the data is kept for DATA_RETENTION."""
    subscription = await lock_for_change(session, viewer, subscription_id)
    check_version(subscription, expected_version)
    if (subscription.status, status) not in _TRANSITIONS:
        raise DomainError(
            "INVALID_STATUS_TRANSITION",
            f"a subscription cannot go from {subscription.status} to {status}",
            ("status",),
        )
    suspended_at = utcnow() if status == "SUSPENDED" else None
    values = {"status": status, "suspended_at": suspended_at}
    return await apply_change(session, viewer, subscription, "CHANGE_STATUS", values)
