"""Alembic, driven from code: the only way the database schema is created or changed."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def upgrade(database_url: str) -> None:
    """Alembic's env.py runs its own event loop work; keep it off ours."""
    await asyncio.to_thread(command.upgrade, alembic_config(database_url), "head")


def is_behind(revision: str | None) -> bool:
    """Behind: the database lacks migrations this code needs. A revision this code does not
    know was written by newer code (a rolling deploy migrated first): that is not behind."""
    if revision == head_revision():
        return False
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    return revision is None or revision in known
