"""Reading subscriptions, always through the viewer's visibility filter."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from models import Customer, Subscription
from services.access import not_manageable_reason, visible_subscriptions
from services.pagination import Page, PageArgs, bounds, counts, ordering, to_page, window
from services.viewer import Viewer

_SORT = (Subscription.id,)


@dataclass(frozen=True)
class SubscriptionFilter:
    statuses: frozenset[str] | None = None


def subscription_filters(viewer: Viewer, flt: SubscriptionFilter) -> list[ColumnElement[bool]]:
    filters = [visible_subscriptions(viewer)]
    if flt.statuses is not None:
        filters.append(Subscription.status.in_(sorted(flt.statuses)))
    return filters


async def subscriptions_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Subscription]:
    stmt = select(Subscription).where(Subscription.id.in_(ids), visible_subscriptions(viewer))
    return {sub.id: sub for sub in (await session.scalars(stmt)).all()}


# Whose list of subscriptions: a customer's, or a base subscription's add-ons.
Owner = InstrumentedAttribute[int] | InstrumentedAttribute[int | None]


async def subscription_pages(
    session: AsyncSession,
    viewer: Viewer,
    owner: Owner,
    owner_ids: Sequence[int],
    args: PageArgs,
    flt: SubscriptionFilter,
) -> dict[int, Page[Subscription]]:
    """One statement for the pages of many owners: a row number per owner bounds each page."""
    win = window(args)
    rank = func.row_number().over(partition_by=owner, order_by=ordering(_SORT, win))
    ranked = (
        select(Subscription, rank.label("rank"))
        .where(owner.in_(owner_ids), *subscription_filters(viewer, flt))
        .where(*bounds(_SORT, win))
        .subquery()
    )
    sub = aliased(Subscription, ranked)
    stmt = (
        select(sub)
        .where(ranked.c.rank <= win.size + 1)
        .order_by(ranked.c[owner.key], ranked.c.rank)
    )
    rows: dict[int, list[tuple[tuple[int], Subscription]]] = {pk: [] for pk in owner_ids}
    for subscription in (await session.scalars(stmt)).all():
        rows[getattr(subscription, owner.key)].append(((subscription.id,), subscription))
    return {pk: to_page(found, win) for pk, found in rows.items()}


async def subscription_counts(
    session: AsyncSession,
    viewer: Viewer,
    owner: Owner,
    owner_ids: Sequence[int],
    flt: SubscriptionFilter,
) -> dict[int, int]:
    stmt = (
        select(owner, func.count())
        .where(owner.in_(owner_ids), *subscription_filters(viewer, flt))
        .group_by(owner)
    )
    return await counts(session, stmt, owner_ids)


async def not_manageable_reasons_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, str | None]:
    """Why the viewer may not change each visible subscription; None where it may."""
    stmt = (
        select(Subscription.id, not_manageable_reason(viewer))
        .join(Customer, Customer.id == Subscription.customer_id)
        .where(Subscription.id.in_(ids), visible_subscriptions(viewer))
    )
    rows: list[tuple[int, str | None]] = list((await session.execute(stmt)).all())
    return dict(rows)
