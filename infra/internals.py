"""Every use of a library's private API, each behind one small accessor.

tests/test_internals.py pins the behaviour each accessor relies on, so that an upgrade that
changes it fails there, by name, instead of somewhere downstream. (edge/protocol.py subclasses
uvicorn's httptools protocol; the same test file pins the hooks it overrides.)
"""

import logging
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

from graphql import GraphQLSchema
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler
from strawberry import Schema

T = TypeVar("T")


def graphql_schema(schema: Schema) -> GraphQLSchema:
    """The graphql-core schema Strawberry builds and executes with (`Schema._schema`)."""
    built: GraphQLSchema = schema._schema
    return built


def bind_processors(compiled: SQLCompiler) -> dict[str, Callable[[Any], Any] | Any]:
    """How each bind parameter's type converts a value for the driver
    (`SQLCompiler._bind_processors`): what a statement run outside SQLAlchemy must apply."""
    processors: dict[str, Any] = dict(compiled._bind_processors)
    return processors


def skip_caller_lookup() -> None:
    """Log records without the caller's file, line and function (`logging._srcfile = None`),
    as the logging HOWTO's "Optimization" section advises where no line shows them."""
    logging._srcfile = None


async def on_sqlite_thread(
    connection: AsyncConnection, work: Callable[[sqlite3.Connection], T]
) -> T:
    """Run `work` with aiosqlite's sqlite3 connection on aiosqlite's own thread, in one hop
    (aiosqlite's `Connection._execute` and `_conn`): each statement through aiosqlite's API
    costs a hop between threads of its own."""
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    result: T = await driver._execute(lambda: work(driver._conn))
    return result
