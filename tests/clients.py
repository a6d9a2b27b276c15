"""The application in process, as an HTTP client sees it."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from infra.database import Database
from models import global_ids
from server import create_app
from settings import Settings
from tests.factories import World, token_for


@asynccontextmanager
async def app_client(
    settings: Settings, database: Database, world: World | None = None, role: str = "GLOBAL_ADMIN"
) -> AsyncIterator[httpx.AsyncClient]:
    """With a key of `world`'s principal for `role`, if given. The app's lifespan runs around
    it, as a server's would, so that what the app opens (Redis connections) is closed."""
    headers = {}
    if world is not None:
        async with database.write_sessions.begin() as session:
            headers["Authorization"] = f"Bearer {await token_for(session, world.principals[role])}"
    app = create_app(settings, database)
    async with (
        app.starlette.router.lifespan_context(app.starlette),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
        ) as client,
    ):
        yield client


async def hold_change_lock(connection: AsyncConnection, subscription_id: int) -> None:
    """Take, in `connection`'s open transaction, the lock a change of the subscription needs:
    SQLite's one write lock, or PostgreSQL's lock on the row."""
    if connection.dialect.name == "sqlite":
        await connection.execute(text("UPDATE partners SET name = name WHERE id = -1"))
    else:
        await connection.execute(
            text("SELECT id FROM subscriptions WHERE id = :id FOR UPDATE"), {"id": subscription_id}
        )


def after(seconds: float, action: Callable[[], Awaitable[None]]) -> "asyncio.Task[None]":
    async def later() -> None:
        await asyncio.sleep(seconds)
        await action()

    return asyncio.create_task(later())


async def change_quantity(
    client: httpx.AsyncClient, query: str, subscription_id: int, quantity: int
) -> httpx.Response:
    variables = {"id": global_ids.encode("CustomerSubscription", subscription_id), "q": quantity}
    return await client.post("/graphql", json={"query": query, "variables": variables})
