"""Engine and session factories for SQLite (embedded default) and PostgreSQL (scale-out)."""

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from infra.statements import StatementPool
from infra.wakeups import CHANNEL, Wakeups
from models import global_ids
from settings import Settings, SettingsError


@dataclass(frozen=True)
class Database:
    engine: AsyncEngine
    # Reads and writes differ only on SQLite: a write transaction takes the write lock up front.
    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]
    # For one statement that needs no transaction around it (authentication, compiled plans):
    # autocommit on PostgreSQL, which saves the BEGIN and ROLLBACK round trips.
    single_statements: AsyncEngine
    # Told after each commit of a change (infra/wakeups.py).
    wakeups: Wakeups
    # SQLite has one writer at a time: this process's writers queue here instead of sleeping
    # in SQLite's busy handler (which made write latency spike under concurrency).
    write_queue: asyncio.Lock | None = None
    # PostgreSQL: compiled plans' statements, through asyncpg alone (infra/statements.py).
    statement_pool: StatementPool | None = None

    async def dispose(self) -> None:
        await self.wakeups.close()
        if self.statement_pool is not None:
            await self.statement_pool.close()
        await self.engine.dispose()


def parse_database_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError:
        raise SettingsError(f"DATABASE_URL is not a database URL: {raw!r}") from None
    if url.drivername not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise SettingsError(
            "DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
            f"got {url.drivername}://"
        )
    return url


def create_database(settings: Settings) -> Database:
    url = parse_database_url(settings.database_url)
    statement_pool = None
    if url.drivername.startswith("sqlite"):
        engine = _sqlite_engine(url, settings.lock_wait_ms)
        writer = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        single = engine  # SQLite's BEGIN costs no round trip
    else:
        # DB_POOL_SIZE is the process's budget: half of it for compiled plans' statements.
        statements = settings.db_pool_size // 2
        engine = _postgres_engine(url, settings, settings.db_pool_size - statements)
        writer = engine
        single = engine.execution_options(isolation_level="AUTOCOMMIT")
        if statements:
            dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
            statement_pool = StatementPool(
                dsn, statements, settings.db_pool_timeout_s, _server_settings(settings)
            )
    sqlite = url.drivername.startswith("sqlite")
    return Database(
        engine=engine,
        read_sessions=async_sessionmaker(engine, expire_on_commit=False),
        write_sessions=async_sessionmaker(writer, expire_on_commit=False),
        single_statements=single,
        write_queue=asyncio.Lock() if sqlite else None,
        statement_pool=statement_pool,
        wakeups=Wakeups(None if sqlite else partial(_notify, single)),
    )


async def _notify(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def _server_settings(settings: Settings) -> dict[str, str]:
    # JIT compilation pays off for long analytic queries; ours are short, and a visibility
    # rule's OR inflated estimates enough to switch it on (a count took 0.4–0.9 s, not 0.09).
    server_settings = {"application_name": "csp-subscriptions", "jit": "off"}
    if settings.db_statement_timeout_ms:
        server_settings["statement_timeout"] = str(settings.db_statement_timeout_ms)
    if settings.db_lock_timeout_ms:
        server_settings["lock_timeout"] = str(settings.db_lock_timeout_ms)
    return server_settings


def _postgres_engine(url: URL, settings: Settings, pool_size: int) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout_s,
        # No pre-ping: it costs a round trip per checkout; a dead connection is invalidated
        # on its first error instead, and recycling retires idle ones.
        pool_recycle=1800,
        connect_args={
            "server_settings": _server_settings(settings),
            "timeout": settings.db_pool_timeout_s,
        },
    )


def _sqlite_engine(url: URL, busy_timeout_ms: int) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def configure(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # The driver's own implicit BEGIN is switched off; "begin" below emits ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            f"busy_timeout={busy_timeout_ms}",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        # SQLite has no base64: compiled plans build global ids with this (planner/sql.py).
        dbapi_connection.create_function(
            global_ids.SQLITE_FUNCTION, 2, global_ids.encode, deterministic=True
        )

    @event.listens_for(engine.sync_engine, "begin")
    def begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine
