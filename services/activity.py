"""The activity log: one record per change, written in the change's own transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    CTE,
    JSON,
    BindParameter,
    ColumnElement,
    Insert,
    Integer,
    String,
    bindparam,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Activity, Customer, Subscription
from models.base import utcnow
from services import outbox
from services.access import visible_activity
from services.errors import DomainError
from services.money import Money
from services.pagination import (
    Page,
    PageArgs,
    bounds,
    counts,
    keyset,
    ordering,
    to_page,
    window,
)
from services.subscriptions import Owner
from services.viewer import Viewer

_SORT = (Activity.id,)


@dataclass(frozen=True)
class Actor:
    """Who made a change, as its record keeps it: a person, or the system (time, and an
    add-on following its base)."""

    kind: str  # PARTNER_USER | CUSTOMER_USER | SYSTEM
    name: str
    principal_id: int | None = None
    partner_id: int | None = None

    @staticmethod
    def of(viewer: Viewer) -> "Actor":
        kind = "PARTNER_USER" if viewer.partner_id is not None else "CUSTOMER_USER"
        return Actor(kind, viewer.name, viewer.principal_id, viewer.partner_id)

    def parameters(self) -> dict[str, Any]:
        """The values of `insert_from`'s and `insert_one`'s actor parameters."""
        return {
            "actor_principal_id": self.principal_id,
            "actor_partner_id": self.partner_id,
            "actor_kind": self.kind,
            "actor_name": self.name,
        }


SYSTEM = Actor("SYSTEM", "system")
_ACTOR_COLUMNS: dict[str, BindParameter[Any]] = {
    "principal_id": bindparam("actor_principal_id", type_=Integer),
    "partner_id": bindparam("actor_partner_id", type_=Integer),
    "actor_kind": bindparam("actor_kind", type_=String),
    "actor_name": bindparam("actor_name", type_=String),
}


def facts(subscription: Subscription) -> dict[str, Any]:
    """A subscription's facts as the API names them: what a record's before and after hold."""
    next_term = (
        None
        if subscription.next_term_quantity is None
        else {
            "quantity": subscription.next_term_quantity,
            "termDuration": subscription.next_term_duration,
            "billingCycle": subscription.next_term_billing_cycle,
        }
    )
    return {
        "friendlyName": subscription.friendly_name,
        "quantity": subscription.quantity,
        "status": subscription.status,
        "suspendedAt": _json(subscription.suspended_at),
        "autoRenew": subscription.auto_renew,
        "billingCycle": subscription.billing_cycle,
        "termDuration": subscription.term_duration,
        "commitmentEndDate": _json(subscription.commitment_end_date),
        "unitPrice": str(Money(subscription.unit_price, subscription.currency).shown()),
        "nextTerm": next_term,
    }


def changed_facts(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the facts that differ: a record holds what changed, before and after."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


async def record(
    session: AsyncSession,
    actor: Actor,
    subscription: Subscription,
    operation: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> Activity:
    """Record the change, and queue it for the webhooks that may see it."""
    return await _recorded(
        session, actor, subscription.customer_id, subscription, operation, before, after
    )


async def record_customer(
    session: AsyncSession, actor: Actor, customer: Customer, operation: str, after: dict[str, Any]
) -> Activity:
    """`record` for a change to a customer's account: no subscription, so no version."""
    return await _recorded(session, actor, customer.id, None, operation, None, after)


async def _recorded(
    session: AsyncSession,
    actor: Actor,
    customer_id: int,
    subscription: Subscription | None,
    operation: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> Activity:
    entry = Activity(
        subscription_id=None if subscription is None else subscription.id,
        customer_id=customer_id,
        principal_id=actor.principal_id,
        partner_id=actor.partner_id,
        actor_kind=actor.kind,
        actor_name=actor.name,
        operation=operation,
        version=None if subscription is None else subscription.version,
        before=before,
        after=after,
        created_at=utcnow(),
    )
    session.add(entry)
    await session.flush()
    # On the connection: the ORM would take an INSERT ... SELECT with parameters for a bulk one.
    connection = await session.connection()
    await connection.execute(outbox.enqueue_one(), {"recorded_id": entry.id})
    return entry


def insert_from(
    changed: CTE,
    operation: str,
    now: ColumnElement[Any],
    before: dict[str, ColumnElement[Any]],
    after: dict[str, ColumnElement[Any]],
) -> Insert:
    """`record` in SQL, for statements that change rows and record them in one go
    (PostgreSQL's json_build_object): one record per row of `changed`, a subscription's
    columns; the actor is `Actor.parameters()`. It returns what `queue` reads."""
    recorded = insert(Activity).from_select(
        [
            "subscription_id",
            "customer_id",
            *_ACTOR_COLUMNS,
            "operation",
            "version",
            "before",
            "after",
            "created_at",
        ],
        select(
            changed.c.id,
            changed.c.customer_id,
            *_ACTOR_COLUMNS.values(),
            literal(operation, String),
            changed.c.version,
            _json_object(before),
            _json_object(after),
            now,
        ),
    )
    return recorded.returning(*outbox.RECORDED)


def queue(recorded: CTE) -> Insert:
    """The webhooks' deliveries of the records an `insert_from` CTE returned, in the same
    statement."""
    return outbox.enqueue(recorded)


def insert_one(operation: str, now: ColumnElement[Any]) -> Insert:
    """`record` as one INSERT, for statements run outside the ORM: the changed subscription's
    id, customer and version, and the values before and after, are its `changed_*` parameters;
    the actor is `Actor.parameters()`. It returns the record's id, for `queue_one`."""
    recorded = insert(Activity).values(
        subscription_id=bindparam("changed_id", type_=Integer),
        customer_id=bindparam("changed_customer_id", type_=Integer),
        **_ACTOR_COLUMNS,
        operation=operation,
        version=bindparam("changed_version", type_=Integer),
        before=bindparam("changed_before", type_=JSON),
        after=bindparam("changed_after", type_=JSON),
        created_at=now,
    )
    return recorded.returning(Activity.id)


def queue_one() -> Insert:
    """The webhooks' deliveries of the record `insert_one` made, its id `recorded_id`."""
    return outbox.enqueue_one()


def _json_object(values: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    return func.json_build_object(*(x for k, v in values.items() for x in (literal(k, String), v)))


async def activity_pages(
    session: AsyncSession,
    viewer: Viewer,
    owner: Owner,
    owner_ids: Sequence[int],
    args: PageArgs,
) -> dict[int, Page[Activity]]:
    """Newest first, for many subscriptions or customers (`owner`) in one statement."""
    win = window(args)
    rank = func.row_number().over(partition_by=owner, order_by=ordering(_SORT, win, True))
    ranked = (
        select(Activity, rank.label("rank"))
        .where(owner.in_(owner_ids), visible_activity(viewer), *bounds(_SORT, win, True))
        .subquery()
    )
    entry = aliased(Activity, ranked)
    stmt = select(entry).where(ranked.c.rank <= win.size + 1).order_by(ranked.c.rank)
    rows: dict[int, list[tuple[tuple[int], Activity]]] = {pk: [] for pk in owner_ids}
    for found in (await session.scalars(stmt)).all():
        rows[getattr(found, owner.key)].append(((found.id,), found))
    return {pk: to_page(items, win) for pk, items in rows.items()}


async def activity_counts(
    session: AsyncSession,
    viewer: Viewer,
    owner: Owner,
    owner_ids: Sequence[int],
) -> dict[int, int]:
    stmt = (
        select(owner, func.count())
        .where(owner.in_(owner_ids), visible_activity(viewer))
        .group_by(owner)
    )
    return await counts(session, stmt, owner_ids)


@dataclass(frozen=True)
class ActivityFilter:
    """Query.activity's filter, its ids decoded; None is "any". Ids the viewer may not see
    match no visible record, so they give an empty list, as unknown ones do."""

    customer_id: int | None = None
    subscription_id: int | None = None
    operations: frozenset[str] | None = None
    occurred_after: datetime | None = None  # exclusive
    occurred_before: datetime | None = None  # exclusive


def _instant(value: datetime, name: str) -> datetime:
    """A moment in UTC: a time without an offset names none, and one near datetime's limits may
    not convert."""
    field = ("filter", name)
    if value.tzinfo is None or value.utcoffset() is None:
        raise DomainError("BAD_USER_INPUT", f"{name} needs a UTC offset", field)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise DomainError("BAD_USER_INPUT", f"{name} is out of range", field) from None


def activity_filters(viewer: Viewer, flt: ActivityFilter) -> list[ColumnElement[bool]]:
    filters = [visible_activity(viewer)]
    if flt.customer_id is not None:
        filters.append(Activity.customer_id == flt.customer_id)
    if flt.subscription_id is not None:
        filters.append(Activity.subscription_id == flt.subscription_id)
    if flt.operations is not None:
        filters.append(Activity.operation.in_(sorted(flt.operations)))
    if flt.occurred_after is not None:
        filters.append(Activity.created_at > _instant(flt.occurred_after, "occurredAfter"))
    if flt.occurred_before is not None:
        filters.append(Activity.created_at < _instant(flt.occurred_before, "occurredBefore"))
    return filters


async def list_activity(
    session: AsyncSession, viewer: Viewer, args: PageArgs, flt: ActivityFilter
) -> Page[Activity]:
    """Newest first, keyset on the id: a record committed meanwhile moves no other across a
    cursor, so pages neither repeat nor skip what was there."""
    win = window(args)
    stmt = keyset(select(Activity).where(*activity_filters(viewer, flt)), _SORT, win, True)
    rows = (await session.scalars(stmt)).all()
    return to_page([((row.id,), row) for row in rows], win)


async def count_activity(session: AsyncSession, viewer: Viewer, flt: ActivityFilter) -> int:
    stmt = select(func.count()).select_from(Activity).where(*activity_filters(viewer, flt))
    return (await session.execute(stmt)).scalar_one()


async def activities_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Activity]:
    stmt = select(Activity).where(Activity.id.in_(ids), visible_activity(viewer))
    return {row.id: row for row in (await session.scalars(stmt)).all()}
