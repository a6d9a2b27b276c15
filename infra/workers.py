"""Background work inside a serve process: named loops, started and stopped by the lifespan."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("csp.workers")


class Worker:
    """Runs `work` now and then every `interval_s` seconds after each pass ends, until stopped.
    A failed pass is logged and the next runs on time: the work must leave nothing half-done
    when it fails or is cancelled (a transaction rolls back)."""

    def __init__(self, name: str, interval_s: float, work: Callable[[], Awaitable[None]]) -> None:
        self.name = name
        self.interval_s = interval_s
        self.work = work
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name=self.name)

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.work()
            except Exception:  # noqa: BLE001 - one failed pass must not end the loop
                log.exception("a pass of %s failed", self.name, extra={"worker": self.name})
            await asyncio.sleep(self.interval_s)
