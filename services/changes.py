"""What every change to a subscription shares: the lock, the checked row, the compare-and-set
with its activity record, and the smallest change, renaming.

A change locks first and reads its rules after: on PostgreSQL each statement of a transaction
sees what was committed before it began, so rules read after the lock see every change that
could race with this one. SQLite's writers hold the database's one write lock throughout.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Row, bindparam, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Subscription
from models.base import utcnow
from services import activity, subscription_rules
from services.activity import Actor
from services.errors import DomainError
from services.prices import ChargePreview
from services.rules import Rule, checking, evaluate
from services.validation import clean_text
from services.viewer import Viewer

MISSING = DomainError("NOT_FOUND", "no such subscription", ("subscriptionId",))
MAX_FRIENDLY_NAME = 100

# Built once: every change's ordinary execution runs it (see `lock`).
_LOCK = (
    select(Customer.id)
    .join(Subscription, Subscription.customer_id == Customer.id)
    .where(Subscription.id == bindparam("lock_id", type_=Integer))
    .with_for_update(of=(Subscription, Customer), key_share=True)
)


@dataclass(frozen=True)
class Changed:
    """A change's result: the subscription as it is now (unchanged after validateOnly), and
    what the change is charged or credited."""

    subscription: Subscription
    preview: ChargePreview | None = None


async def lock(session: AsyncSession, subscription_id: int) -> None:
    """Lock the subscription and then its customer (whose seat limit spans its subscriptions),
    on PostgreSQL; SQLite's write transaction holds the whole database already. In that order,
    as the compiled change and migration 0008's triggers take them (PostgreSQL locks in the
    order of the OF list), so that two changes of one subscription cannot deadlock. NO KEY
    UPDATE: the foreign keys of rows inserted meanwhile (activity records) need not wait."""
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(_LOCK, {"lock_id": subscription_id})


async def checked(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    expected_version: int | None,
    rules: list[Rule],
    now: datetime,
) -> Row[Any]:
    """The subscription, locked, once it is visible, the viewer's to change, at the expected
    version and every one of `rules` holds; else the first refusal."""
    await lock(session, subscription_id)
    checks = [subscription_rules.visible(viewer), *subscription_rules.manage(viewer)]
    if expected_version is not None:
        checks.append(subscription_rules.version(literal(expected_version)))
    every = [*checks, *rules]
    statement = checking(every, subscription_rules.target(subscription_id))
    return await evaluate(session, every, statement, subscription_rules.at(now), MISSING)


async def apply_change(
    session: AsyncSession,
    actor: Actor,
    subscription: Subscription,
    operation: str,
    values: dict[str, Any],
    now: datetime,
) -> Subscription:
    """Compare-and-set on the version, then the activity record, in the caller's transaction."""
    before = activity.facts(subscription)
    stmt = (
        update(Subscription)
        .where(Subscription.id == subscription.id, Subscription.version == subscription.version)
        .values(**values, version=Subscription.version + 1, updated_at=now)
        .returning(Subscription)
        .execution_options(populate_existing=True)
    )
    changed = (await session.scalars(stmt)).one_or_none()
    if changed is None:
        raise DomainError(
            "VERSION_CONFLICT", "the subscription changed meanwhile", ("subscriptionId",)
        )
    await activity.record(
        session, actor, changed, operation, *activity.changed_facts(before, activity.facts(changed))
    )
    await session.flush()
    return changed


async def rename(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    friendly_name: str,
    expected_version: int | None,
    validate_only: bool = False,
) -> Changed:
    name = clean_text(friendly_name, ("friendlyName",), max_length=MAX_FRIENDLY_NAME)
    now = utcnow()
    row = await checked(
        session, viewer, subscription_id, expected_version, subscription_rules.rename(), now
    )
    subscription: Subscription = row.Subscription
    if subscription.friendly_name == name:
        raise DomainError("INVALID_INPUT", f"the name is already {name!r}", ("friendlyName",))
    if validate_only:
        return Changed(subscription)
    actor = Actor.of(viewer)
    values = {"friendly_name": name}
    return Changed(
        await apply_change(session, actor, subscription, "RENAME_SUBSCRIPTION", values, now)
    )
