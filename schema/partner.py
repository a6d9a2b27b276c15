import strawberry

import models
from models import global_ids
from schema.node import Node


@strawberry.type(description="A reseller: sells subscriptions to its customers.")
class Partner(Node):
    name: str = strawberry.field(description="The partner's company name.")

    @classmethod
    def from_model(cls, row: models.Partner) -> "Partner":
        return cls(id=strawberry.ID(global_ids.encode("Partner", row.id)), name=row.name)
