"""One transaction per mutation, run again when a concurrent writer won a race."""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from contextlib import nullcontext
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

T = TypeVar("T")


class RetryableConflict(Exception):
    """Raised by a transaction's work: a concurrent transaction won a race, and the whole
    transaction is safe to run again (run_in_transaction does)."""


MAX_ATTEMPTS = 5
# PostgreSQL's serialization failure and deadlock: the transaction did nothing and may run again.
_RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})


# Query cancelled (statement_timeout) and lock not available (lock_timeout): nothing applied.
_TIMEOUT_SQLSTATES = frozenset({"57014", "55P03"})


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    """The error and what it wraps: drivers and SQLAlchemy wrap one another."""
    seen = 0
    while error is not None and seen < 10:
        yield error
        error = getattr(error, "orig", None) or error.__cause__
        seen += 1


def is_retryable(error: BaseException | None) -> bool:
    """A serialization failure or deadlock: nothing was applied, and running the same
    transaction again may succeed."""
    return any(getattr(e, "sqlstate", None) in _RETRYABLE_SQLSTATES for e in _causes(error))


def is_transient(error: BaseException | None) -> bool:
    """A failure after which nothing was applied and the same request may be sent again: a
    lock or statement timeout, a conflict our own retries could not resolve, SQLite's lock
    held past its busy timeout, or no pooled connection in time."""
    for cause in _causes(error):
        if isinstance(cause, PoolTimeout):
            return True
        if getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES | _TIMEOUT_SQLSTATES:
            return True
        if isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause):
            return True
    return False


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
            if attempt == MAX_ATTEMPTS or not is_retryable(error):
                raise
    raise AssertionError("unreachable")
