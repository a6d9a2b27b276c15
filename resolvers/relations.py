"""Nested fields: every one goes through a per-request loader, so lists cost no extra queries."""

from collections.abc import Awaitable, Callable
from typing import Literal

import models
from resolvers.context import Context
from resolvers.loaders import CountKey, PageKey
from services.pagination import Page, PageArgs, window
from services.subscriptions import SubscriptionFilter

Count = Callable[[], Awaitable[int]]


async def subscriptions_of(
    ctx: Context,
    owner: Literal["customer", "base"],
    owner_id: int,
    args: PageArgs,
    statuses: list[str] | None = None,
) -> tuple[Page[models.Subscription], Count]:
    """A customer's subscriptions, or a base subscription's add-ons (`owner`)."""
    window(args)  # bad arguments fail this field alone, not the whole batch
    flt = SubscriptionFilter(None if statuses is None else frozenset(statuses))
    loaders = ctx.loaders
    pages, counts = (
        (loaders.subscription_page_by_customer, loaders.subscription_count_by_customer)
        if owner == "customer"
        else (loaders.add_on_page_by_subscription, loaders.add_on_count_by_subscription)
    )
    page = await pages.load(PageKey(owner_id, args, flt))

    async def count() -> int:
        return await counts.load(CountKey(owner_id, flt))

    return page, count


async def activity_of(
    ctx: Context, owner: Literal["subscription", "customer"], owner_id: int, args: PageArgs
) -> tuple[Page[models.Activity], Count]:
    """Newest first; `owner` says whose log: one subscription's or a whole customer's."""
    window(args)
    loaders = ctx.loaders
    pages, counts = (
        (loaders.activity_page_by_subscription, loaders.activity_count_by_subscription)
        if owner == "subscription"
        else (loaders.activity_page_by_customer, loaders.activity_count_by_customer)
    )
    page = await pages.load(PageKey(owner_id, args))

    async def count() -> int:
        return await counts.load(owner_id)

    return page, count


async def can_manage(ctx: Context, subscription: models.Subscription) -> bool:
    return await ctx.loaders.not_manageable_reason_by_subscription_id.load(subscription.id) is None


async def deliveries_of(
    ctx: Context, endpoint_id: int, args: PageArgs
) -> tuple[Page[models.WebhookDelivery], Count]:
    """An endpoint's deliveries, newest first."""
    window(args)
    page = await ctx.loaders.delivery_page_by_endpoint.load(PageKey(endpoint_id, args))

    async def count() -> int:
        return await ctx.loaders.delivery_count_by_endpoint.load(endpoint_id)

    return page, count
