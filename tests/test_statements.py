"""Compiled plans' statements on PostgreSQL's own pool: rendering, queueing, failing."""

import asyncio

import pytest
from sqlalchemy import bindparam, column, literal, select, table
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from infra.statements import StatementFailed, StatementPool, driver_statement
from models.base import UtcDateTime, utcnow

pytestmark = pytest.mark.postgres
# The application's dialect; creating an engine connects to nothing.
DIALECT = create_async_engine("postgresql+asyncpg://nobody@localhost/none").dialect


def _pool(url: str, size: int) -> StatementPool:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return StatementPool(dsn, size, 5, {"application_name": "test"})


def test_a_statement_renders_once_with_its_constants_and_conversions() -> None:
    subscriptions = table("subscriptions", column("id"), column("status"))
    stmt = select(subscriptions.c.id).where(
        subscriptions.c.id == bindparam("pk"),
        subscriptions.c.status == literal("ACTIVE"),
        literal(utcnow(), UtcDateTime) <= bindparam("now", type_=UtcDateTime),
    )
    rendered = driver_statement(stmt, DIALECT)
    assert rendered is not None
    assert rendered.sql.count("$") == 4
    arguments = rendered.arguments({"pk": 7, "now": utcnow()})
    assert arguments[:2] == [7, "ACTIVE"]
    # A list expanded per request needs SQLAlchemy at run time.
    expanding = select(subscriptions.c.id).where(subscriptions.c.status.in_(["A", "B"]))
    assert driver_statement(expanding, DIALECT) is None


async def test_a_full_pool_queues_statements_and_a_timed_out_wait_gives_its_turn_back(
    postgres_url: str,
) -> None:
    pool = _pool(postgres_url, size=1)
    try:
        slow = asyncio.create_task(pool.fetchrow("SELECT pg_sleep(0.5), 1", []))
        await asyncio.sleep(0.1)
        with pytest.raises(TimeoutError):  # the request's timeout, as the endpoint sets it
            async with asyncio.timeout(0.1):
                await pool.fetchrow("SELECT 2", [])
        queued = asyncio.create_task(pool.fetchrow("SELECT 3", []))
        await asyncio.sleep(0.1)
        assert not queued.done()  # waiting for its turn, behind the slow one
        assert tuple(await slow) == (None, 1)
        assert tuple(await queued) == (3,)
        assert tuple(await pool.fetchrow("SELECT $1::int + 1", [41])) == (42,)
    finally:
        await pool.close()


async def test_database_errors_are_typed(postgres_url: str) -> None:
    pool = _pool(postgres_url, size=2)
    try:
        with pytest.raises(StatementFailed, match="UndefinedTableError"):
            await pool.fetchrow("SELECT * FROM no_such_table", [])
        assert tuple(await pool.fetchrow("SELECT 1", [])) == (1,)  # the pool is still usable
    finally:
        await pool.close()
