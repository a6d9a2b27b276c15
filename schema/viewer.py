import strawberry
from strawberry.types import Info

from resolvers.context import Context
from schema.customer import Customer
from schema.enums import Role
from schema.partner import Partner


@strawberry.type(description="The principal the API key belongs to.")
class Viewer:
    name: str = strawberry.field(description="The principal's name.")
    role: Role = strawberry.field(description="What the principal may see and do.")

    @strawberry.field(description="The partner a partner role works for; null for CUSTOMER_ADMIN.")
    async def partner(self, info: Info[Context, None]) -> Partner | None:
        pk = info.context.viewer.partner_id
        row = None if pk is None else await info.context.loaders.partner_by_id.load(pk)
        return None if row is None else Partner.from_model(row)

    @strawberry.field(description="A CUSTOMER_ADMIN's own customer; null for partner roles.")
    async def customer(self, info: Info[Context, None]) -> Customer | None:
        pk = info.context.viewer.customer_id
        row = None if pk is None else await info.context.loaders.customer_by_id.load(pk)
        return None if row is None else Customer.from_model(row)
