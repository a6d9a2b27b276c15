"""Root query fields: one session per resolver, since sibling fields run concurrently."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

import models
from models import global_ids
from resolvers.context import Context
from services import activity, customers, offers, webhooks
from services.errors import DomainError
from services.pagination import Page, PageArgs

Count = Callable[[], Awaitable[int]]
NodeModel = (
    models.Customer
    | models.Subscription
    | models.Offer
    | models.Partner
    | models.WebhookEndpoint
    | models.WebhookDelivery
    | models.Activity
)
MAX_NODES = 100


async def list_customers(
    ctx: Context, args: PageArgs, search: str | None
) -> tuple[Page[models.Customer], Count]:
    async with ctx.database.read_sessions() as session:
        page = await customers.list_customers(session, ctx.viewer, args, search)

    async def count() -> int:
        async with ctx.database.read_sessions() as session:
            return await customers.count_customers(session, ctx.viewer, search)

    return page, count


async def list_offers(
    ctx: Context, args: PageArgs, customer_id: str | None
) -> tuple[Page[models.Offer], Count]:
    pk = None if customer_id is None else global_ids.decode(customer_id, "Customer")
    async with ctx.database.read_sessions() as session:
        page = await offers.list_offers(session, ctx.viewer, args, pk)

    async def count() -> int:
        async with ctx.database.read_sessions() as session:
            return await offers.count_offers(session, ctx.viewer, pk)

    return page, count


async def list_activity(
    ctx: Context,
    args: PageArgs,
    customer_id: str | None = None,
    subscription_id: str | None = None,
    operations: Sequence[str] | None = None,
    occurred_after: datetime | None = None,
    occurred_before: datetime | None = None,
) -> tuple[Page[models.Activity], Count]:
    """Ids that are malformed or of another type name nothing: an empty list, as with offers."""
    flt = activity.ActivityFilter(
        customer_id=None if customer_id is None else global_ids.decode(customer_id, "Customer"),
        subscription_id=None
        if subscription_id is None
        else global_ids.decode(subscription_id, "CustomerSubscription"),
        operations=None if operations is None else frozenset(operations),
        occurred_after=occurred_after,
        occurred_before=occurred_before,
    )
    async with ctx.database.read_sessions() as session:
        page = await activity.list_activity(session, ctx.viewer, args, flt)

    async def count() -> int:
        async with ctx.database.read_sessions() as session:
            return await activity.count_activity(session, ctx.viewer, flt)

    return page, count


async def list_webhook_endpoints(
    ctx: Context, args: PageArgs
) -> tuple[Page[models.WebhookEndpoint], Count]:
    async with ctx.database.read_sessions() as session:
        page = await webhooks.list_endpoints(session, ctx.viewer, args)

    async def count() -> int:
        async with ctx.database.read_sessions() as session:
            return await webhooks.count_endpoints(session, ctx.viewer)

    return page, count


async def load_node(ctx: Context, global_id: str) -> NodeModel | None:
    """Any visible object by global id; unknown, malformed and hidden ids are all None."""
    parsed = global_ids.parse(global_id)
    if parsed is None:
        return None
    type_name, pk = parsed
    loaders = ctx.loaders
    if type_name == "Customer":
        return await loaders.customer_by_id.load(pk)
    if type_name == "CustomerSubscription":
        return await loaders.subscription_by_id.load(pk)
    if type_name == "Offer":
        return await loaders.offer_by_id.load(pk)
    if type_name == "Partner":
        return await loaders.partner_by_id.load(pk)
    if type_name == "Activity":
        return await loaders.activity_by_id.load(pk)
    if type_name == "WebhookEndpoint":
        return await loaders.webhook_endpoint_by_id.load(pk)
    if type_name == "WebhookDelivery":
        return await loaders.webhook_delivery_by_id.load(pk)
    return None


async def load_nodes(ctx: Context, global_ids_: Sequence[str]) -> list[NodeModel | None]:
    if len(global_ids_) > MAX_NODES:
        raise DomainError("BAD_USER_INPUT", f"at most {MAX_NODES} ids", ("ids",))
    # Concurrent loads, so that each loader answers all of them in one batch.
    return list(await asyncio.gather(*(load_node(ctx, gid) for gid in global_ids_)))
