"""Compiled plans' single statements on PostgreSQL, straight through asyncpg.

A plan's statement is built with SQLAlchemy once per request shape; running it through
SQLAlchemy's connection and execution context as well cost more than the database did. Here it
is rendered to SQL text once and run on a small asyncpg pool of its own, whose connections go
back without a reset query: such a statement leaves no session state behind.
"""

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import asyncpg
from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from infra.internals import bind_processors


class StatementFailed(Exception):
    """The database or the connection failed the statement."""


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    names: tuple[str, ...]  # the positional parameters' bind names, $1 first
    constants: dict[str, Any]  # values fixed when the statement was built
    processors: dict[str, Callable[[Any], Any]]  # the bind types' own conversions

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = []
        for name in self.names:
            value = parameters[name] if name in parameters else self.constants[name]
            processor = self.processors.get(name)
            values.append(value if processor is None else processor(value))
        return values


def driver_statement(statement: ClauseElement, dialect: Dialect) -> DriverStatement | None:
    """The statement as asyncpg runs it; None if it needs SQLAlchemy at run time (lists
    expanded per request, escaped names)."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    if compiled.post_compile_params or compiled.escaped_bind_names or not compiled.positiontup:
        return None
    processors: dict[str, Callable[[Any], Any]] = {}
    for name, processor in bind_processors(compiled).items():
        if not callable(processor):
            return None  # a tuple's processors: none of ours binds tuples
        processors[name] = processor
    names = tuple(compiled.positiontup)
    return DriverStatement(
        sql=compiled.string,
        names=names,
        constants={name: compiled.binds[name].effective_value for name in names},
        processors=processors,
    )


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Nothing to reset: see the module's docstring. (asyncpg still rolls back an open
    transaction on release.)"""


class StatementPool:
    def __init__(
        self, dsn: str, size: int, connect_timeout_s: float, server_settings: dict[str, str]
    ) -> None:
        self.dsn = dsn
        self.size = size
        self.connect_timeout_s = connect_timeout_s
        self.server_settings = server_settings
        self.pool: asyncpg.Pool | None = None
        self.opening = asyncio.Lock()
        # First come, first served: asyncpg's pool hands a released connection to whoever asks
        # next, even past requests already waiting, which stretched the latency tail 4x.
        self.turns = asyncio.Semaphore(size)

    async def fetchrow(self, sql: str, arguments: list[Any]) -> Any:
        """The first row, or None; StatementFailed if the database or the connection fails."""
        try:
            pool = self.pool or await self._open()
            # No timer of its own: the request's timeout bounds the wait (a timer per request
            # cost more than the wait it guards).
            async with self.turns, pool.acquire() as connection:
                return await connection.fetchrow(sql, *arguments)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as error:
            raise StatementFailed(f"{type(error).__name__}: {error}") from error

    async def _open(self) -> asyncpg.Pool:
        async with self.opening:
            if self.pool is None:
                self.pool = await asyncpg.create_pool(
                    self.dsn,
                    min_size=0,
                    max_size=self.size,
                    timeout=self.connect_timeout_s,
                    server_settings=self.server_settings,
                    reset=_keep_session,
                    max_inactive_connection_lifetime=1800,
                )
            return self.pool

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
