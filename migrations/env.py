"""Alembic environment: async engines for SQLite and PostgreSQL alike."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from models import Base
from services.database import create_database
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


async def _run() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    database = create_database(Settings(database_url=url))
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(_migrate)
            await connection.commit()
    finally:
        await database.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `python server.py migrate`")
asyncio.run(_run())
