"""Subscriptions' resolvers: async generators over the process's activity feed."""

from collections.abc import AsyncIterator

from graphql import GraphQLError

from infra.activity_feed import SubscriberDropped
from models import Activity, global_ids
from resolvers.context import Context
from services import activity_stream
from services.errors import DomainError


async def activity_added(
    ctx: Context, after: str | None, customer_id: str | None
) -> AsyncIterator[Activity]:
    """New records the viewer sees, in id order; with `after`, first those it missed since that
    one. Attached to the feed first, then replayed up to where the feed starts, so that nothing
    falls between the two and nothing comes twice."""
    feed = ctx.activity_feed
    if feed is None:
        raise GraphQLError("subscriptions need a WebSocket", extensions={"code": "BAD_REQUEST"})
    last = None if after is None else global_ids.decode(after, "Activity")
    if last == global_ids.UNKNOWN:
        raise GraphQLError("after is not an Activity id", extensions={"code": "INVALID_INPUT"})
    customer_pk = None if customer_id is None else global_ids.decode(customer_id, "Customer")
    subscriber = await feed.attach(ctx.viewer, customer_pk)
    try:
        if last is None:
            last = subscriber.start
        else:
            async with ctx.database.read_sessions() as session:
                try:
                    missed = await activity_stream.missed(
                        session, ctx.viewer, last, subscriber.start, customer_pk
                    )
                except DomainError as error:
                    raise GraphQLError(error.message, extensions={"code": error.code}) from None
            for row in missed:
                ctx.refresh()
                yield row
            last = max(last, subscriber.start)
        while True:
            try:
                row = await subscriber.next()
            except SubscriberDropped:
                raise GraphQLError(
                    "the stream fell too far behind: subscribe again with after",
                    extensions={"code": "STREAM_DROPPED"},
                ) from None
            if row.id <= last:
                continue
            last = row.id
            ctx.refresh()
            yield row
    finally:
        feed.detach(subscriber)
