"""Compiled plans' single statements on PostgreSQL, straight through asyncpg.

A plan's statement is built with SQLAlchemy once per request shape; running it through
SQLAlchemy's connection and execution context as well cost more than the database did. Here it
is rendered to SQL text once and run on a small asyncpg pool of its own, whose connections go
back without a reset query: such a statement leaves no session state behind.
"""

import asyncio
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

from infra.internals import bind_processors


class StatementFailed(Exception):
    """The database or the connection failed the statement."""


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    # Each positional parameter's value fixed when the statement was built, already converted
    # (they are the same for every request); a request's parameters replace theirs by name.
    defaults: tuple[Any, ...]
    positions: dict[str, tuple[int, ...]]  # bind name -> its positions, $1 first
    processors: dict[str, Callable[[Any], Any]]  # the bind types' own conversions

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = list(self.defaults)
        for name, value in parameters.items():
            processor = self.processors.get(name)
            converted = value if processor is None else processor(value)
            for position in self.positions.get(name, ()):
                values[position] = converted
        return values


def driver_statement(statement: Executable, dialect: Dialect) -> DriverStatement | None:
    """The statement as asyncpg runs it; None if it needs SQLAlchemy at run time (lists
    expanded per request, escaped names)."""
    compiled = cast(SQLCompiler, cast(ClauseElement, statement).compile(dialect=dialect))
    if compiled.post_compile_params or compiled.escaped_bind_names or not compiled.positiontup:
        return None
    processors: dict[str, Callable[[Any], Any]] = {}
    for name, processor in bind_processors(compiled).items():
        if not callable(processor):
            return None  # a tuple's processors: none of ours binds tuples
        processors[name] = processor
    names = tuple(compiled.positiontup)
    positions: dict[str, tuple[int, ...]] = {}
    for position, name in enumerate(names):
        positions[name] = (*positions.get(name, ()), position)
    defaults = []
    for name in names:
        value = compiled.binds[name].effective_value
        processor = processors.get(name)
        defaults.append(value if processor is None or value is None else processor(value))
    return DriverStatement(compiled.string, tuple(defaults), positions, processors)


class StatementPool:
    """Up to `size` asyncpg connections, opened when needed, lent first come, first served.

    A deque and a queue of waiters: asyncpg's own pool spent more per statement (holders,
    shielded acquisition, a release hook) than a compiled plan's whole answer, and handed a
    released connection to whoever asked next, even past waiting requests, which stretched
    the latency tail fourfold. No timer of its own: the request's deadline bounds the wait.
    """

    def __init__(
        self, dsn: str, size: int, connect_timeout_s: float, server_settings: dict[str, str]
    ) -> None:
        self.dsn = dsn
        self.size = size
        self.connect_timeout_s = connect_timeout_s
        self.server_settings = server_settings
        self.idle: deque[asyncpg.Connection] = deque()
        # Each waiter is given a connection, or None: a place to open one of its own.
        self.waiters: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self.opened = 0  # connections lent, idle, or being opened

    async def fetchrow(self, sql: str, arguments: list[Any]) -> Any:
        """The first row, or None; StatementFailed if the database or the connection fails."""
        try:
            connection = await self._acquire()
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            raise StatementFailed(f"{type(error).__name__}: {error}") from error
        try:
            row = await connection.fetchrow(sql, *arguments)
        except BaseException as error:
            if isinstance(error, asyncpg.PostgresError) and not connection.is_in_transaction():
                self._release(connection)  # the statement failed; the connection is sound
            else:  # cancelled mid-statement, or the connection broke: not lent again
                connection.terminate()
                self._release(None)
            if isinstance(error, asyncpg.PostgresError | asyncpg.InterfaceError | OSError):
                raise StatementFailed(f"{type(error).__name__}: {error}") from error
            raise
        self._release(connection)
        return row

    async def _acquire(self) -> asyncpg.Connection:
        if self.idle:
            return self.idle.popleft()
        if self.opened >= self.size:
            waiter: asyncio.Future[asyncpg.Connection | None] = (
                asyncio.get_running_loop().create_future()
            )
            self.waiters.append(waiter)
            try:
                given = await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())  # given just as it gave up: pass it on
                raise
            if given is not None:
                return given
        else:
            self.opened += 1
        try:
            connection: asyncpg.Connection = await asyncpg.connect(
                self.dsn, timeout=self.connect_timeout_s, server_settings=self.server_settings
            )
        except BaseException:
            self._release(None)
            raise
        return connection

    def _release(self, connection: asyncpg.Connection | None) -> None:
        """Back to the first waiter, or idle; None: a connection gone, its place free."""
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        if connection is None:
            self.opened -= 1
        else:
            self.idle.append(connection)

    async def close(self) -> None:
        while self.idle:
            await self.idle.popleft().close()
            self.opened -= 1
