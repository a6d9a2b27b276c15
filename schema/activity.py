from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

import models
from models import global_ids
from resolvers.context import Context
from schema import customer as customer_types
from schema import subscription as subscription_types
from schema.enums import ActivityOperation, ActorKind
from schema.node import Node

if TYPE_CHECKING:
    from schema.customer import Customer
    from schema.subscription import CustomerSubscription


@strawberry.input(description="Which activity records to list; every condition given must hold.")
class ActivityFilter:
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this customer's records (its subscriptions' included)."
    )
    subscription_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this subscription's records."
    )
    operations: list[ActivityOperation] | None = strawberry.field(
        default=None, description="Only records of these operations."
    )
    occurred_after: datetime | None = strawberry.field(
        default=None, description="Only records after this moment (exclusive; with an offset)."
    )
    occurred_before: datetime | None = strawberry.field(
        default=None, description="Only records before this moment (exclusive; with an offset)."
    )


@strawberry.type(description="One successful change, recorded in the change's own transaction.")
class Activity(Node):
    operation: ActivityOperation = strawberry.field(description="What the change did.")
    occurred_at: datetime = strawberry.field(description="When it was committed.")
    version: int | None = strawberry.field(
        description="The subscription's version after the change; null for a customer's."
    )
    before: JSON | None = strawberry.field(
        description="The changed fields before; null for a creation."
    )
    after: JSON = strawberry.field(description="The changed fields after.")
    actor: str = strawberry.field(description='The principal\'s name, or "system".')
    actor_kind: ActorKind = strawberry.field(description="Who acted: a person, or the system.")
    subscription_pk: strawberry.Private[int | None]
    customer_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Activity) -> "Activity":
        return cls(
            id=strawberry.ID(global_ids.encode("Activity", row.id)),
            operation=ActivityOperation(row.operation),
            occurred_at=row.created_at,
            version=row.version,
            before=None if row.before is None else JSON(row.before),
            after=JSON(row.after),
            actor=row.actor_name,
            actor_kind=ActorKind(row.actor_kind),
            subscription_pk=row.subscription_id,
            customer_pk=row.customer_id,
        )

    @strawberry.field(description="The changed subscription; null for a customer's change.")
    async def subscription(
        self, info: Info[Context, None]
    ) -> Annotated["CustomerSubscription", strawberry.lazy("schema.subscription")] | None:
        if self.subscription_pk is None:
            return None
        row = await info.context.loaders.subscription_by_id.load(self.subscription_pk)
        return None if row is None else subscription_types.CustomerSubscription.from_model(row)

    @strawberry.field(description="The customer whose subscription or account changed.")
    async def customer(
        self, info: Info[Context, None]
    ) -> Annotated["Customer", strawberry.lazy("schema.customer")]:
        row = await info.context.loaders.customer_by_id.load(self.customer_pk)
        assert row is not None  # an activity is listed only where its customer is visible
        return customer_types.Customer.from_model(row)
