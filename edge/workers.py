"""The background workers of a serve process, and what each one does per pass."""

import logging

from infra.database import Database
from infra.workers import Worker
from services import due_work
from settings import Settings

log = logging.getLogger("csp.due")


def background_workers(settings: Settings, database: Database) -> list[Worker]:
    if not settings.due_work_interval_s:
        return []

    async def apply_due() -> None:
        done = await due_work.run_due(database)
        if done:
            log.info("applied due transitions", extra={"transitions": due_work.counts(done)})

    return [Worker("due-work", settings.due_work_interval_s, apply_due)]
