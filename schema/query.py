from typing import Annotated

import strawberry
from strawberry.types import Info

import models
from resolvers import queries
from resolvers.context import Context
from schema.connection import AFTER, FIRST, Connection, connection
from schema.customer import Customer
from schema.enums import Role
from schema.node import Node
from schema.offer import Offer
from schema.partner import Partner
from schema.subscription import CustomerSubscription
from schema.viewer import Viewer
from schema.webhook import WebhookDelivery, WebhookEndpoint
from services.pagination import PageArgs


def to_node(row: queries.NodeModel | None) -> Node | None:
    if isinstance(row, models.Customer):
        return Customer.from_model(row)
    if isinstance(row, models.Subscription):
        return CustomerSubscription.from_model(row)
    if isinstance(row, models.Offer):
        return Offer.from_model(row)
    if isinstance(row, models.Partner):
        return Partner.from_model(row)
    if isinstance(row, models.WebhookEndpoint):
        return WebhookEndpoint.from_model(row)
    if isinstance(row, models.WebhookDelivery):
        return WebhookDelivery.from_model(row)
    return None


@strawberry.type
class Query:
    @strawberry.field(description="Any object the viewer may see, by global id; else null.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        return to_node(await queries.load_node(info.context, id))

    @strawberry.field(
        description=f"At most {queries.MAX_NODES} ids; null for each one not visible."
    )
    async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
        return [to_node(row) for row in await queries.load_nodes(info.context, ids)]

    @strawberry.field
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
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> Connection[Customer]:
        page, count = await queries.list_customers(
            info.context, PageArgs(first, after, last, before), search
        )
        return connection(page, Customer.from_model, count)

    @strawberry.field
    async def customer(self, info: Info[Context, None], id: strawberry.ID) -> Customer | None:
        row = await queries.load_node(info.context, id)
        return Customer.from_model(row) if isinstance(row, models.Customer) else None

    @strawberry.field(
        description="Offers the viewer's partner may sell; with customerId, only "
        "those sold in that customer's country."
    )
    async def offers(
        self,
        info: Info[Context, None],
        customer_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Offer]:
        page, count = await queries.list_offers(info.context, PageArgs(first, after), customer_id)
        return connection(page, Offer.from_model, count)

    @strawberry.field(
        description="The viewer's partner's webhook endpoints, oldest first (GLOBAL_ADMIN and "
        "ADMIN_AGENT; empty for other roles)."
    )
    async def webhook_endpoints(
        self,
        info: Info[Context, None],
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[WebhookEndpoint]:
        page, count = await queries.list_webhook_endpoints(info.context, PageArgs(first, after))
        return connection(page, WebhookEndpoint.from_model, count)
