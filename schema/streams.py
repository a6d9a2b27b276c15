from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import streams
from resolvers.context import Context
from schema.activity import Activity


@strawberry.type(description="Streams over graphql-transport-ws on /graphql.")
class Subscription:
    @strawberry.subscription(
        description="Each new activity the viewer may see (as Query.activity shows it), in id "
        "order, from every server process, within a second of its commit. A revoked or expired "
        "key ends the stream."
    )
    async def activity_added(
        self,
        info: Info[Context, None],
        after: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The last activity the client processed: first replay what the "
                "viewer missed since (at most 500, else the error RESYNC_REQUIRED), then "
                "continue live."
            ),
        ] = None,
        customer_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only this customer's activity.")
        ] = None,
    ) -> AsyncGenerator[Activity, None]:
        async for row in streams.activity_added(info.context, after, customer_id):
            yield Activity.from_model(row)
