import strawberry

import models
from models import global_ids
from schema.node import Node


@strawberry.type
class Partner(Node):
    name: str

    @classmethod
    def from_model(cls, row: models.Partner) -> "Partner":
        return cls(id=strawberry.ID(global_ids.encode("Partner", row.id)), name=row.name)
