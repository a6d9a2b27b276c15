"""Relay cursor connections, paged in the database by the services."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import strawberry

from services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page

T = TypeVar("T")

M = TypeVar("M")

# The paging arguments, described once for every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"At most this many objects from the start, or after `after`: 0 to "
        f"{MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}; more is a BAD_USER_INPUT error."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Only objects after this cursor (an edge's cursor or pageInfo.endCursor)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"At most this many objects from the end, or before `before`: 0 to "
        f"{MAX_PAGE_SIZE}; not with `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Only objects before this cursor (an edge's cursor or pageInfo.startCursor)."
    ),
]


@strawberry.type(description="Where a page lies in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More objects follow: page on with `after: endCursor`. Paging backward: "
        "true whenever `before` was given."
    )
    has_previous_page: bool = strawberry.field(
        description="More objects precede: page back with `before: startCursor`. Paging "
        "forward: true whenever `after` was given."
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor; null for an empty page."
    )


@strawberry.type(description="One object of a page, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` or `before` to page from this object."
    )
    node: T = strawberry.field(description="The object.")


@strawberry.type(
    description="A page of a list (a Relay cursor connection), paged in the list's own order."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The page's objects with their cursors.")
    nodes: list[T] = strawberry.field(description="The page's objects, as in edges.")
    page_info: PageInfo = strawberry.field(description="Where the page lies in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many objects the whole list has, ignoring paging.")
    async def total_count(self) -> int:
        return await self.count()


def connection(
    page: Page[M], convert: Callable[[M], T], count: Callable[[], Awaitable[int]]
) -> Connection[T]:
    edges = [Edge(cursor=cursor, node=convert(item)) for cursor, item in page.items]
    return Connection(
        edges=edges,
        nodes=[edge.node for edge in edges],
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count=count,
    )
