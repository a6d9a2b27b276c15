"""The behaviour of libraries' private APIs that infra/internals.py and edge/protocol.py rely
on, pinned: an upgrade that changes it fails here, by name."""

import inspect
import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from graphql import GraphQLSchema
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.sql.compiler import SQLCompiler
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from edge.protocol import BoundedHttpTools
from infra.internals import (
    bind_processors,
    graphql_schema,
    on_sqlite_thread,
    skip_caller_lookup,
)
from models.base import UtcDateTime
from tests.graphql import SCHEMA


def test_strawberry_executes_with_the_graphql_core_schema_it_keeps() -> None:
    schema = graphql_schema(SCHEMA)
    assert isinstance(schema, GraphQLSchema)
    assert schema.query_type is not None and "customers" in schema.query_type.fields


def test_sqlalchemy_exposes_a_bind_types_conversion_per_parameter() -> None:
    stmt = select(bindparam("at", type_=UtcDateTime))
    compiled = stmt.compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
    assert isinstance(compiled, SQLCompiler)
    processors = bind_processors(compiled)
    local = datetime(2026, 12, 2, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert processors["at"](local) == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_logging_skips_the_caller_lookup() -> None:
    logger, capture = logging.getLogger("tests.internals"), _Capture()
    logger.addHandler(capture)
    original = logging._srcfile
    try:
        skip_caller_lookup()
        logger.warning("where from?")
    finally:
        logging._srcfile = original
        logger.removeHandler(capture)
    [record] = capture.records
    assert (record.pathname, record.lineno, record.funcName) == (
        "(unknown file)",
        0,
        "(unknown function)",
    )


def test_uvicorns_httptools_protocol_has_the_hooks_bounded_http_tools_overrides() -> None:
    overridden = {
        name
        for name, member in vars(BoundedHttpTools).items()
        if callable(member) and not name.startswith("__")
    }
    overridden -= {"_refuse"}  # ours
    for name in overridden:
        assert name in vars(HttpToolsProtocol), name
        ours = inspect.signature(getattr(BoundedHttpTools, name))
        theirs = inspect.signature(getattr(HttpToolsProtocol, name))
        assert list(ours.parameters) == list(theirs.parameters), name
    # State it reads and writes on the instance, set by HttpToolsProtocol.
    source = inspect.getsource(HttpToolsProtocol)
    for attribute in ("self.url", "self.transport", "self.loop", "self.parser"):
        assert attribute in source, attribute


async def test_aiosqlite_runs_work_on_its_own_thread_with_its_sqlite3_connection(
    tmp_path: Path,
) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.connect() as connection:

            def work(raw: sqlite3.Connection) -> tuple[int, int]:
                return threading.get_ident(), raw.execute("SELECT 41 + 1").fetchone()[0]

            thread, answer = await on_sqlite_thread(connection, work)
    finally:
        await engine.dispose()
    assert answer == 42 and thread != threading.get_ident()
