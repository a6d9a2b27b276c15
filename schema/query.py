from typing import Annotated

import strawberry
from strawberry.types import Info

import models
from resolvers import queries
from resolvers.context import Context
from schema.activity import Activity, ActivityFilter
from schema.connection import After, Before, Connection, First, Last, connection
from schema.customer import Customer
from schema.enums import Role
from schema.node import Node
from schema.offer import Offer
from schema.partner import Partner
from schema.subscription import CustomerSubscription
from schema.viewer import Viewer
from schema.webhook import WebhookDelivery, WebhookEndpoint
from services.customers import MAX_SEARCH_LENGTH
from services.pagination import PageArgs

GlobalId = Annotated[
    strawberry.ID, strawberry.argument(description="An object's id, as its `id` field gives it.")
]
GlobalIds = Annotated[
    list[strawberry.ID],
    strawberry.argument(
        description=f"Ids of any types, at most {queries.MAX_NODES}; answered in order."
    ),
]


def to_node(row: queries.NodeModel | None) -> Node | None:
    if isinstance(row, models.Customer):
        return Customer.from_model(row)
    if isinstance(row, models.Subscription):
        return CustomerSubscription.from_model(row)
    if isinstance(row, models.Offer):
        return Offer.from_model(row)
    if isinstance(row, models.Partner):
        return Partner.from_model(row)
    if isinstance(row, models.Activity):
        return Activity.from_model(row)
    if isinstance(row, models.WebhookEndpoint):
        return WebhookEndpoint.from_model(row)
    if isinstance(row, models.WebhookDelivery):
        return WebhookDelivery.from_model(row)
    return None


@strawberry.type(description="Reads. What the viewer may not see behaves as if it did not exist.")
class Query:
    @strawberry.field(description="Any object the viewer may see, by global id; else null.")
    async def node(self, info: Info[Context, None], id: GlobalId) -> Node | None:
        return to_node(await queries.load_node(info.context, id))

    @strawberry.field(
        description=f"At most {queries.MAX_NODES} ids; null for each one not visible."
    )
    async def nodes(self, info: Info[Context, None], ids: GlobalIds) -> list[Node | None]:
        return [to_node(row) for row in await queries.load_nodes(info.context, ids)]

    @strawberry.field(description="The principal the request's API key belongs to.")
    def viewer(self, info: Info[Context, None]) -> Viewer:
        viewer = info.context.viewer
        return Viewer(name=viewer.name, role=Role(viewer.role))

    @strawberry.field(
        description="The viewer's customers by company name; search matches name "
        "or domain, case-insensitively."
    )
    async def customers(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description=f"Part of the company name or domain, any case; at most "
                f"{MAX_SEARCH_LENGTH} characters (more is BAD_USER_INPUT)."
            ),
        ] = None,
    ) -> Connection[Customer]:
        page, count = await queries.list_customers(
            info.context, PageArgs(first, after, last, before), search
        )
        return connection(page, Customer.from_model, count)

    @strawberry.field(description="A customer the viewer may see, by global id; else null.")
    async def customer(self, info: Info[Context, None], id: GlobalId) -> Customer | None:
        row = await queries.load_node(info.context, id)
        return Customer.from_model(row) if isinstance(row, models.Customer) else None

    @strawberry.field(
        description="Offers the viewer's partner may sell; with customerId, only "
        "those sold in that customer's country."
    )
    async def offers(
        self,
        info: Info[Context, None],
        customer_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="A customer's id: only offers sold in its country; none for an "
                "unknown or invisible customer."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Offer]:
        page, count = await queries.list_offers(info.context, PageArgs(first, after), customer_id)
        return connection(page, Offer.from_model, count)

    @strawberry.field(
        description="Every activity record the viewer may see (the visibility of the objects "
        "they are about), newest first. Ids the viewer may not see match nothing."
    )
    async def activity(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        filter: Annotated[
            ActivityFilter | None, strawberry.argument(description="Which records; all if none.")
        ] = None,
    ) -> Connection[Activity]:
        flt = filter or ActivityFilter()
        page, count = await queries.list_activity(
            info.context,
            PageArgs(first, after),
            customer_id=flt.customer_id,
            subscription_id=flt.subscription_id,
            operations=None if flt.operations is None else [op.value for op in flt.operations],
            occurred_after=flt.occurred_after,
            occurred_before=flt.occurred_before,
        )
        return connection(page, Activity.from_model, count)

    @strawberry.field(
        description="The viewer's partner's webhook endpoints, oldest first (GLOBAL_ADMIN and "
        "ADMIN_AGENT; empty for other roles)."
    )
    async def webhook_endpoints(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookEndpoint]:
        page, count = await queries.list_webhook_endpoints(info.context, PageArgs(first, after))
        return connection(page, WebhookEndpoint.from_model, count)
