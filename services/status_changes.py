"""changeStatus: suspend, reactivate, cancel, and the add-ons that follow their base.

Choices (DOMAIN.md L2, R4, C2, §6):
- Suspending turns auto-renew off and drops a change scheduled for the renewal; reactivating
  turns neither back on.
- Cancelling is final: the seats' windows are spent with it, the credit is the preview's.
- Add-ons follow their base in the same transaction, each with its own record, whose actor is
  the system: suspending or cancelling a base does the same to its active add-ons (a
  cancellation also to those its suspension suspended); reactivating it reactivates those its
  suspension suspended, while their own terms run.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Subscription
from models.base import utcnow
from services import prices, seats, subscription_rules
from services.activity import SYSTEM, Actor
from services.changes import Changed, apply_change, checked
from services.viewer import Viewer

CHANGE_STATUS = "CHANGE_STATUS"
_NO_NEXT_TERM = {
    "next_term_quantity": None,
    "next_term_duration": None,
    "next_term_billing_cycle": None,
}


def effects(new_status: str, now: datetime) -> dict[str, Any]:
    """The columns a move to `new_status` sets."""
    moved: dict[str, Any] = {"status": new_status, "status_changed_at": now}
    if new_status == "SUSPENDED":
        return {**moved, "suspended_at": now, "auto_renew": False, **_NO_NEXT_TERM}
    if new_status == "ACTIVE":
        return {**moved, "suspended_at": None, "suspended_with_parent": False}
    return {
        **moved,
        "suspended_at": None,
        "suspended_with_parent": False,
        "auto_renew": False,
        **_NO_NEXT_TERM,
    }


async def change_status(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    new_status: str,
    expected_version: int | None,
    validate_only: bool = False,
) -> Changed:
    now = utcnow()
    rules = subscription_rules.status(new_status)
    row = await checked(session, viewer, subscription_id, expected_version, rules, now)
    subscription: Subscription = row.Subscription
    refund = (
        prices.preview(subscription, -subscription.quantity, now)
        if new_status == "CANCELLED"
        else None
    )
    if validate_only:
        return Changed(subscription, refund)
    changed = await _move(session, Actor.of(viewer), subscription, new_status, now)
    for add_on in await _followers(session, changed.id, new_status, now):
        follows = {**effects(new_status, now)}
        if new_status == "SUSPENDED":
            follows["suspended_with_parent"] = True
        await _move(session, SYSTEM, add_on, new_status, now, follows)
    return Changed(changed, refund)


async def _move(
    session: AsyncSession,
    actor: Actor,
    subscription: Subscription,
    new_status: str,
    now: datetime,
    values: dict[str, Any] | None = None,
) -> Subscription:
    changed = await apply_change(
        session, actor, subscription, CHANGE_STATUS, values or effects(new_status, now), now
    )
    if new_status == "CANCELLED":
        await session.execute(seats.empty(changed.id))
    return changed


async def _followers(
    session: AsyncSession, base_id: int, new_status: str, now: datetime
) -> list[Subscription]:
    """The add-ons that follow their base to `new_status`, locked, in id order."""
    suspended_with_it = and_(Subscription.status == "SUSPENDED", Subscription.suspended_with_parent)
    which = {
        "SUSPENDED": Subscription.status == "ACTIVE",
        "ACTIVE": and_(suspended_with_it, Subscription.commitment_end_date >= now.date()),
        "CANCELLED": or_(Subscription.status == "ACTIVE", suspended_with_it),
    }[new_status]
    stmt = (
        select(Subscription)
        .where(Subscription.parent_subscription_id == base_id, which)
        .order_by(Subscription.id)
        .with_for_update(key_share=True)
    )
    return list((await session.scalars(stmt)).all())
