from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

import models
from models import global_ids
from resolvers.context import Context
from schema import subscription as subscription_types
from schema.enums import ActivityOperation

if TYPE_CHECKING:
    from schema.subscription import CustomerSubscription


@strawberry.type(description="One successful change, recorded in the change's own transaction.")
class Activity:
    id: strawberry.ID
    operation: ActivityOperation
    occurred_at: datetime
    version: int = strawberry.field(description="The subscription's version after this change.")
    before: JSON | None = strawberry.field(
        description="The changed values before; null for an add."
    )
    after: JSON
    subscription_pk: strawberry.Private[int]
    principal_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Activity) -> "Activity":
        return cls(
            id=strawberry.ID(global_ids.encode("Activity", row.id)),
            operation=ActivityOperation(row.operation),
            occurred_at=row.created_at,
            version=row.version,
            before=None if row.before is None else JSON(row.before),
            after=JSON(row.after),
            subscription_pk=row.subscription_id,
            principal_pk=row.principal_id,
        )

    @strawberry.field(description="The name of the principal who made the change.")
    async def actor(self, info: Info[Context, None]) -> str:
        name = await info.context.loaders.principal_name_by_id.load(self.principal_pk)
        return name or ""

    @strawberry.field
    async def subscription(
        self, info: Info[Context, None]
    ) -> Annotated["CustomerSubscription", strawberry.lazy("schema.subscription")]:
        row = await info.context.loaders.subscription_by_id.load(self.subscription_pk)
        assert row is not None  # activity is only listed where its subscription is visible
        return subscription_types.CustomerSubscription.from_model(row)
