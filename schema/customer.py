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
from schema.connection import After, Before, Connection, First, Last, connection
from schema.enums import SubscriptionStatus
from schema.node import Node
from services.pagination import PageArgs

if TYPE_CHECKING:
    from schema.activity import Activity
    from schema.subscription import CustomerSubscription

LazySubscription = Annotated["CustomerSubscription", strawberry.lazy("schema.subscription")]
LazyActivity = Annotated["Activity", strawberry.lazy("schema.activity")]


@strawberry.type(
    description="An organisation using Office 365 (a tenant), buying through partners or directly."
)
class Customer(Node):
    pk: strawberry.Private[int]
    company_name: str = strawberry.field(description="The organisation's legal name.")
    domain: str = strawberry.field(
        description="The tenant's initial domain, e.g. contoso.onmicrosoft.com; it never changes."
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2")
    created_by_partner: bool = strawberry.field(
        description="True: a partner created the account, so the customer cannot manage its own "
        "subscriptions, billing or licenses."
    )
    created_at: datetime = strawberry.field(description="When the account was created.")

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

    @strawberry.field(
        description="Its subscriptions the viewer may see, add-ons included, in the order they "
        "were added."
    )
    async def subscriptions(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[
            list[SubscriptionStatus] | None,
            strawberry.argument(description="Only those in one of these statuses; null: all."),
        ] = None,
    ) -> Connection[LazySubscription]:
        statuses = None if status is None else [s.value for s in status]
        page, count = await relations.subscriptions_of(
            info.context, "customer", self.pk, PageArgs(first, after, last, before), statuses
        )
        return connection(page, subscription_types.CustomerSubscription.from_model, count)

    @strawberry.field(description="Changes to this customer's visible subscriptions, newest first.")
    async def activity(
        self, info: Info[Context, None], first: First = None, after: After = None
    ) -> Connection[LazyActivity]:
        page, count = await relations.activity_of(
            info.context, "customer", self.pk, PageArgs(first, after)
        )
        return connection(page, activity_types.Activity.from_model, count)
