from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers import relations
from resolvers.context import Context
from schema import activity as activity_types
from schema import customer as customer_types
from schema.connection import Connection, connection
from schema.enums import BillingCycle, SalesChannel, SubscriptionStatus
from schema.node import Node
from schema.offer import Offer
from services.changes import DATA_RETENTION
from services.pagination import PageArgs

if TYPE_CHECKING:
    from schema.activity import Activity
    from schema.customer import Customer

LazyCustomer = Annotated["Customer", strawberry.lazy("schema.customer")]
LazyActivity = Annotated["Activity", strawberry.lazy("schema.activity")]


@strawberry.type
class CustomerSubscription(Node):
    model: strawberry.Private[models.Subscription]
    friendly_name: str
    quantity: int
    status: SubscriptionStatus
    channel: SalesChannel = strawberry.field(
        description="PARTNER: sold by a partner. DIRECT: bought by the customer itself."
    )
    billing_cycle: BillingCycle
    auto_renew: bool
    created_at: datetime
    updated_at: datetime
    suspended_at: datetime | None
    version: int = strawberry.field(
        description="+1 on every change; send it back as expectedVersion."
    )

    @classmethod
    def from_model(cls, row: models.Subscription) -> "CustomerSubscription":
        return cls(
            id=strawberry.ID(global_ids.encode("CustomerSubscription", row.id)),
            model=row,
            friendly_name=row.friendly_name,
            quantity=row.quantity,
            status=SubscriptionStatus(row.status),
            channel=SalesChannel(row.channel),
            billing_cycle=BillingCycle(row.billing_cycle),
            auto_renew=row.auto_renew,
            created_at=row.created_at,
            updated_at=row.updated_at,
            suspended_at=row.suspended_at,
            version=row.version,
        )

    @strawberry.field(
        description="When a suspended subscription's data is deleted unless it is reactivated."
    )
    def data_retention_ends_at(self) -> datetime | None:
        suspended_at = self.model.suspended_at
        return None if suspended_at is None else suspended_at + DATA_RETENTION

    @strawberry.field
    async def customer(self, info: Info[Context, None]) -> LazyCustomer:
        row = await info.context.loaders.customer_by_id.load(self.model.customer_id)
        assert row is not None  # a visible subscription's customer is visible
        return customer_types.Customer.from_model(row)

    @strawberry.field
    async def offer(self, info: Info[Context, None]) -> Offer:
        row = await info.context.loaders.offer_by_id.load(self.model.offer_id)
        assert row is not None  # a foreign key guarantees it
        return Offer.from_model(row)

    @strawberry.field(description="The base subscription an add-on is attached to.")
    async def parent_subscription(self, info: Info[Context, None]) -> "CustomerSubscription | None":
        if self.model.parent_subscription_id is None:
            return None
        row = await info.context.loaders.subscription_by_id.load(self.model.parent_subscription_id)
        return None if row is None else CustomerSubscription.from_model(row)

    @strawberry.field(description="May the viewer change it.")
    async def can_manage(self, info: Info[Context, None]) -> bool:
        return await relations.can_manage(info.context, self.model)

    @strawberry.field(description="Changes to this subscription, newest first.")
    async def activity(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[LazyActivity]:
        page, count = await relations.activity_of(
            info.context, "subscription", self.model.id, PageArgs(first, after)
        )
        return connection(page, activity_types.Activity.from_model, count)
