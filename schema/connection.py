"""Relay cursor connections, paged in the database by the services."""

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from services.pagination import Page

T = TypeVar("T")

FIRST = "How many, at most 100 (default 50)."
AFTER = "The endCursor of the page before."
M = TypeVar("M")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
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
