"""A fresh, migrated database per test: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

SQLite tests copy a template file migrated once per run; PostgreSQL tests migrate once per run
and TRUNCATE between tests.
"""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

import models
from infra import migrations
from infra.database import Database, create_database
from settings import Settings
from tests.clients import app_client
from tests.factories import World, build_world

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
ENGINES = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("engine") == "postgres":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    asyncio.run(migrations.upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


async def _database_of_worker(worker_id: str) -> str:
    """Each pytest-xdist worker gets a database of its own, created on first use."""
    if worker_id == "master":
        return POSTGRES_URL
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_{worker_id}"
    database = create_database(Settings(database_url=POSTGRES_URL))
    try:
        async with database.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await database.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_migrated(worker_id: str) -> str:
    url = asyncio.run(_database_of_worker(worker_id))

    async def reset() -> None:
        database = create_database(Settings(database_url=url))
        try:
            async with database.engine.begin() as connection:
                await connection.execute(text("DROP SCHEMA public CASCADE"))
                await connection.execute(text("CREATE SCHEMA public"))
        finally:
            await database.dispose()
        await migrations.upgrade(url)

    asyncio.run(reset())
    return url


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def database_url(engine: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if engine == "postgres":
        url: str = request.getfixturevalue("postgres_migrated")
        asyncio.run(_truncate(url))
        yield url
        return
    template: Path = request.getfixturevalue("sqlite_template")
    path = tmp_path / "test.db"
    shutil.copyfile(template, path)
    yield f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty PostgreSQL database, for tests that only PostgreSQL can answer."""
    if not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")
    url: str = request.getfixturevalue("postgres_migrated")
    asyncio.run(_truncate(url))
    return url


async def _truncate(url: str) -> None:
    """Empty every table and restart ids at 1, as a fresh SQLite copy has them. DELETE, not
    TRUNCATE: on tables this small it is ten times faster (TRUNCATE swaps files per table)."""
    database = create_database(Settings(database_url=url))
    tables = models.Base.metadata.sorted_tables
    serial = [t.name for t in tables if "id" in t.c and t.c.id.primary_key]
    restart = ", ".join(
        f"setval(pg_get_serial_sequence('{name}', 'id'), 1, false)" for name in serial
    )
    try:
        async with database.engine.begin() as connection:
            for table in reversed(tables):
                await connection.execute(table.delete())
            await connection.execute(text(f"SELECT {restart}"))
    finally:
        await database.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Every compiled answer over HTTP is checked against ordinary execution (PLAN_MISMATCH).
    No due-work runner: tests that move the clock apply what is due themselves. No webhook
    worker in process: its polls would add statements (and SQLite write locks) to what tests
    count and hold; tests/test_webhooks.py delivers through real servers."""
    return Settings(
        database_url=database_url,
        verify_plans=True,
        due_work_interval_s=0,
        webhook_delivery=False,
    )


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = create_database(settings)
    yield db
    await db.dispose()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session for arranging and inspecting; tests commit what the code under test must see."""
    async with database.read_sessions() as s:
        yield s


@pytest.fixture
async def world(database: Database) -> World:
    async with database.write_sessions.begin() as s:
        return await build_world(s)


@pytest.fixture
async def client(
    settings: Settings, database: Database, world: World
) -> AsyncIterator[httpx.AsyncClient]:
    """The app in process, with a key of partner A's GLOBAL_ADMIN."""
    async with app_client(settings, database, world) as c:
        yield c


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@pytest.fixture
def sql_counter(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[StatementCounter]:
    counter = StatementCounter()

    def record(*args: object) -> None:
        statement = str(args[2])
        # The wake-up other processes get after a commit (infra/wakeups.py) is sent on its
        # own, up to 20 ms later: not a statement of the request that committed.
        if "pg_notify" not in statement:
            counter.statements.append(statement)

    target = database.engine.sync_engine
    event.listen(target, "before_cursor_execute", record)
    pool = database.statement_pool
    if pool is not None:  # compiled plans' statements bypass SQLAlchemy's events
        fetchrow = pool.fetchrow

        async def recorded(sql: str, arguments: list[Any]) -> Any:
            counter.statements.append(sql)
            return await fetchrow(sql, arguments)

        monkeypatch.setattr(pool, "fetchrow", recorded)
    yield counter
    event.remove(target, "before_cursor_execute", record)
