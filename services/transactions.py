"""One transaction per mutation, run again when a concurrent writer won a race."""

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.errors import RetryableConflict

T = TypeVar("T")
MAX_ATTEMPTS = 5
# PostgreSQL's serialization failure and deadlock: the transaction did nothing and may run again.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


def _is_retryable(error: DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) in _RETRYABLE_SQLSTATES


async def run_in_transaction(
    sessions: async_sessionmaker[AsyncSession],
    work: Callable[[AsyncSession], Awaitable[T]],
    queue: asyncio.Lock | None = None,
) -> T:
    """Commit what `work` did, or roll all of it back if it raised (a DomainError included).

    `queue` serialises this process's writers (Database.write_queue, on SQLite)."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            async with queue or nullcontext(), sessions.begin() as session:
                return await work(session)
        except RetryableConflict:
            if attempt == MAX_ATTEMPTS:
                raise
        except DBAPIError as error:
            if attempt == MAX_ATTEMPTS or not _is_retryable(error):
                raise
    raise AssertionError("unreachable")
