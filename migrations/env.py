"""Alembic environment: async engines for SQLite and PostgreSQL alike."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry

from infra.database import create_database
from models import Base
from settings import Settings

config = context.config


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        broken = connection.execute(text("PRAGMA foreign_key_check")).all()
        if broken:
            raise RuntimeError(f"migrations left rows breaking foreign keys: {broken[:5]}")


def _foreign_keys_off(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.close()


async def _run() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    database = create_database(Settings(database_url=url))
    if database.engine.dialect.name == "sqlite":
        # Rebuilding a table (SQLite's ALTER) drops it first, which enforced foreign keys refuse
        # while other tables point at it; foreign_key_check afterwards proves nothing broke.
        event.listen(database.engine.sync_engine, "connect", _foreign_keys_off)
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(_migrate)
            await connection.commit()
    finally:
        await database.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `python server.py migrate`")
asyncio.run(_run())
