"""The activity log: written by every successful mutation, read by the subscription's rules."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    JSON,
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
from sqlalchemy.orm import InstrumentedAttribute, aliased

from models import Activity, Principal, Subscription
from models.base import utcnow
from services.access import visible_subscriptions
from services.pagination import Page, PageArgs, bounds, ordering, to_page, window
from services.viewer import Viewer

_SORT = (Activity.id,)


def record(
    session: AsyncSession,
    viewer: Viewer,
    subscription: Subscription,
    operation: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> Activity:
    entry = Activity(
        subscription_id=subscription.id,
        customer_id=subscription.customer_id,
        principal_id=viewer.principal_id,
        operation=operation,
        version=subscription.version,
        before=before,
        after=after,
        created_at=utcnow(),
    )
    session.add(entry)
    return entry


def insert_from(
    changed: CTE,
    operation: str,
    principal_id: ColumnElement[int],
    now: ColumnElement[Any],
    before: dict[str, ColumnElement[Any]],
    after: dict[str, ColumnElement[Any]],
) -> Insert:
    """`record` in SQL, for statements that change rows and record them in one go
    (PostgreSQL's json_build_object): one record per row of `changed`, a subscription's
    columns."""
    return insert(Activity).from_select(
        [
            "subscription_id",
            "customer_id",
            "principal_id",
            "operation",
            "version",
            "before",
            "after",
            "created_at",
        ],
        select(
            changed.c.id,
            changed.c.customer_id,
            principal_id,
            literal(operation, String),
            changed.c.version,
            _json_object(before),
            _json_object(after),
            now,
        ),
    )


def insert_one(operation: str, principal_id: ColumnElement[int], now: ColumnElement[Any]) -> Insert:
    """`record` as one INSERT, for statements run outside the ORM: the changed subscription's
    id, customer and version, and the values before and after, are its `changed_*` parameters."""
    return insert(Activity).values(
        subscription_id=bindparam("changed_id", type_=Integer),
        customer_id=bindparam("changed_customer_id", type_=Integer),
        principal_id=principal_id,
        operation=operation,
        version=bindparam("changed_version", type_=Integer),
        before=bindparam("changed_before", type_=JSON),
        after=bindparam("changed_after", type_=JSON),
        created_at=now,
    )


def _json_object(values: dict[str, ColumnElement[Any]]) -> ColumnElement[Any]:
    return func.json_build_object(*(x for k, v in values.items() for x in (literal(k, String), v)))


async def activity_pages(
    session: AsyncSession,
    viewer: Viewer,
    owner: InstrumentedAttribute[int],
    owner_ids: Sequence[int],
    args: PageArgs,
) -> dict[int, Page[Activity]]:
    """Newest first, for many subscriptions or customers (`owner`) in one statement."""
    win = window(args)
    rank = func.row_number().over(partition_by=owner, order_by=ordering(_SORT, win, True))
    ranked = (
        select(Activity, rank.label("rank"))
        .join(Subscription, Subscription.id == Activity.subscription_id)
        .where(owner.in_(owner_ids), visible_subscriptions(viewer), *bounds(_SORT, win, True))
        .subquery()
    )
    entry = aliased(Activity, ranked)
    stmt = select(entry).where(ranked.c.rank <= win.size + 1).order_by(ranked.c.rank)
    rows: dict[int, list[tuple[tuple[int], Activity]]] = {pk: [] for pk in owner_ids}
    for found in (await session.scalars(stmt)).all():
        rows[getattr(found, owner.key)].append(((found.id,), found))
    return {pk: to_page(items, win) for pk, items in rows.items()}


async def principal_names_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    stmt = select(Principal.id, Principal.name).where(Principal.id.in_(ids))
    return dict((await session.execute(stmt)).all())


async def activity_counts(
    session: AsyncSession,
    viewer: Viewer,
    owner: InstrumentedAttribute[int],
    owner_ids: Sequence[int],
) -> dict[int, int]:
    stmt = (
        select(owner, func.count())
        .join(Subscription, Subscription.id == Activity.subscription_id)
        .where(owner.in_(owner_ids), visible_subscriptions(viewer))
        .group_by(owner)
    )
    counts = dict.fromkeys(owner_ids, 0)
    counts.update(dict((await session.execute(stmt)).all()))
    return counts
