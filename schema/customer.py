from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers import relations
from resolvers.context import Context
from schema import activity as activity_types
from schema import subscription as subscription_types
from schema.connection import Connection, connection
from schema.enums import SubscriptionStatus
from schema.node import Node
from services.pagination import PageArgs

if TYPE_CHECKING:
    from schema.activity import Activity
    from schema.subscription import CustomerSubscription

LazySubscription = Annotated["CustomerSubscription", strawberry.lazy("schema.subscription")]
LazyActivity = Annotated["Activity", strawberry.lazy("schema.activity")]


@strawberry.type
class Customer(Node):
    pk: strawberry.Private[int]
    company_name: str
    domain: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    created_by_partner: bool = strawberry.field(
        description="True: a partner created the account, so the customer cannot manage its own "
        "subscriptions, billing or licenses."
    )
    created_at: datetime

    @classmethod
    def from_model(cls, row: models.Customer) -> "Customer":
        return cls(
            id=strawberry.ID(global_ids.encode("Customer", row.id)),
            pk=row.id,
            company_name=row.company_name,
            domain=row.domain,
            country=row.country,
            created_by_partner=row.created_by_partner,
            created_at=row.created_at,
        )

    @strawberry.field
    async def subscriptions(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        status: list[SubscriptionStatus] | None = None,
    ) -> Connection[LazySubscription]:
        statuses = None if status is None else [s.value for s in status]
        page, count = await relations.subscriptions_of(
            info.context, "customer", self.pk, PageArgs(first, after, last, before), statuses
        )
        return connection(page, subscription_types.CustomerSubscription.from_model, count)

    @strawberry.field(description="Changes to this customer's visible subscriptions, newest first.")
    async def activity(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[LazyActivity]:
        page, count = await relations.activity_of(
            info.context, "customer", self.pk, PageArgs(first, after)
        )
        return connection(page, activity_types.Activity.from_model, count)
