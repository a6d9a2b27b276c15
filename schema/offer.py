import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers.context import Context
from schema.enums import BillingCycle
from schema.node import Node


@strawberry.type
class Offer(Node):
    pk: strawberry.Private[int]
    name: str
    sku: str
    min_quantity: int
    max_quantity: int
    is_add_on: bool = strawberry.field(
        description="An add-on needs an active subscription to one of its prerequisite offers."
    )
    billing_cycles: list[BillingCycle]

    @classmethod
    def from_model(cls, row: models.Offer) -> "Offer":
        return cls(
            id=strawberry.ID(global_ids.encode("Offer", row.id)),
            pk=row.id,
            name=row.name,
            sku=row.sku,
            min_quantity=row.min_quantity,
            max_quantity=row.max_quantity,
            is_add_on=row.is_add_on,
            billing_cycles=[BillingCycle(cycle) for cycle in row.billing_cycles.split(",")],
        )

    @strawberry.field
    async def prerequisite_offers(self, info: Info[Context, None]) -> list["Offer"]:
        offers = await info.context.loaders.prerequisites_by_offer_id.load(self.pk)
        return [Offer.from_model(offer) for offer in offers]
