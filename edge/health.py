"""Liveness (the process answers) and readiness (the database answers, at the latest migration)."""

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from infra.database import Database
from infra.migrations import current_revision, head_revision, is_behind

log = logging.getLogger("csp.health")


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def readiness(database: Database) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def readyz(request: Request) -> JSONResponse:
        try:
            async with database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            revision = await current_revision(database.engine)
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"
            log.warning("database unreachable: %s", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        head = head_revision()
        if is_behind(revision):
            body = {"status": "unavailable", "database": "ok", "migration": revision, "head": head}
            return JSONResponse(body, 503)
        return JSONResponse({"status": "ready", "database": "ok", "migration": revision})

    return readyz
