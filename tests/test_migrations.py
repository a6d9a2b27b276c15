"""Migrations: the only way the schema changes, and what "behind" means for a rolling deploy."""

import asyncio
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import text

from infra import migrations
from infra.database import create_database
from server import create_app
from settings import Settings


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"


async def _set_revision(url: str, revision: str) -> None:
    database = create_database(Settings(database_url=url))
    async with database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE alembic_version SET version_num = :r"), {"r": revision}
        )
    await database.dispose()


async def _readyz(url: str) -> httpx.Response:
    settings = Settings(database_url=url)
    database = create_database(settings)  # httpx does not run the lifespan that would dispose it
    transport = httpx.ASGITransport(app=create_app(settings, database))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/readyz")
    finally:
        await database.dispose()


def test_behind_means_missing_migrations_this_code_knows() -> None:
    head = migrations.head_revision()
    assert head is not None
    assert migrations.is_behind(head) is False
    assert migrations.is_behind("0001") is True
    assert migrations.is_behind(None) is True
    # Newer code migrated first during a rolling deploy: this older code keeps serving.
    assert migrations.is_behind("f00dcafe") is False


def test_upgrade_downgrade_upgrade_round_trip(tmp_path: Path) -> None:
    url = _url(tmp_path)
    config = migrations.alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    assert asyncio.run(_readyz(url)).json()["migration"] == migrations.head_revision()


async def test_readiness_follows_the_migration_state(tmp_path: Path) -> None:
    url = _url(tmp_path)
    await migrations.upgrade(url)
    ready = await _readyz(url)
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "database": "ok",
        "migration": migrations.head_revision(),
    }
    await _set_revision(url, "0002")
    behind = await _readyz(url)
    assert behind.status_code == 503
    assert behind.json() == {
        "status": "unavailable",
        "database": "ok",
        "migration": "0002",
        "head": migrations.head_revision(),
    }
    await _set_revision(url, "f00dcafe")
    assert (await _readyz(url)).status_code == 200


async def test_readiness_when_the_database_is_unreachable() -> None:
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    response = await _readyz(unreachable)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_upgrading_a_populated_sqlite_database_keeps_its_rows(tmp_path: Path) -> None:
    """0003 rebuilds `customers`, which subscriptions and others point at."""
    url = _url(tmp_path)
    config = migrations.alembic_config(url)
    command.upgrade(config, "0002")

    async def populate() -> None:
        database = create_database(Settings(database_url=url))
        async with database.engine.begin() as connection:
            for statement in (
                "INSERT INTO partners (id, name) VALUES (1, 'P')",
                "INSERT INTO customers (id, company_name, domain, country, created_at)"
                " VALUES (1, 'Über AG', 'u.example', 'DE', '2026-01-01 00:00:00.000000')",
                "INSERT INTO partner_customers (partner_id, customer_id) VALUES (1, 1)",
                "INSERT INTO offers (id, name, sku, min_quantity, max_quantity, is_add_on,"
                " billing_cycles) VALUES (1, 'O', 'O-1', 1, 10, 0, 'MONTHLY')",
                "INSERT INTO subscriptions (id, customer_id, offer_id, friendly_name, quantity,"
                " status, billing_cycle, auto_renew, created_at, updated_at, version)"
                " VALUES (1, 1, 1, 'O', 3, 'ACTIVE', 'MONTHLY', 1, '2026-01-01 00:00:00.000000',"
                " '2026-01-01 00:00:00.000000', 1)",
            ):
                await connection.execute(text(statement))
        await database.dispose()

    asyncio.run(populate())
    command.upgrade(config, "head")

    async def read() -> list[tuple[object, ...]]:
        database = create_database(Settings(database_url=url))
        async with database.engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT c.company_name_key, s.quantity FROM customers c"
                    " JOIN subscriptions s ON s.customer_id = c.id"
                )
            )
            found = [tuple(row) for row in rows]
        await database.dispose()
        return found

    assert asyncio.run(read()) == [("über ag", 3)]
