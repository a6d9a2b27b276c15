"""The application in process, as an HTTP client sees it."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from server import create_app
from services.database import Database
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
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
        ) as client,
    ):
        yield client
