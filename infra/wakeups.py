"""After this process commits a change: its own listeners (the activity feed) are told at once
and, on PostgreSQL, every other process is told by a NOTIFY on `activity` sent after the commit.

A wake-up only says "read now": the activity table is the truth, and readers poll it too
(EVENTS.md, "Fan-out"), so a process that dies between its commit and its NOTIFY delays the
others' delivery until their next poll and loses nothing. The NOTIFY is not sent inside the
writer's transaction: PostgreSQL holds a global lock from a NOTIFYing transaction's pre-commit
until its commit is flushed, which made every change wait for the previous change's commit
(migration 0008). Each process sends at most one NOTIFY every NOTIFY_INTERVAL_S, each a
transaction of its own: the commits made meanwhile share the next one.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("csp.events")

CHANNEL = "activity"
# Delays others' wake-up by as much under a stream of commits, and spares the database a
# NOTIFYing transaction per change.
NOTIFY_INTERVAL_S = 0.02


class Wakeups:
    def __init__(self, notify: Callable[[], Awaitable[None]] | None = None) -> None:
        """`notify` tells the other processes (PostgreSQL); None: there are none (SQLite)."""
        self.listeners: list[Callable[[], None]] = []
        self._notify = notify
        self._pending = False
        self._sending: asyncio.Task[None] | None = None

    def committed(self) -> None:
        """A transaction that may have recorded activity has committed."""
        for listener in self.listeners:
            listener()
        if self._notify is None:
            return
        self._pending = True
        if self._sending is None or self._sending.done():
            self._sending = asyncio.create_task(self._send())

    async def _send(self) -> None:
        assert self._notify is not None
        while self._pending:
            self._pending = False
            try:
                await self._notify()
            except Exception:
                # The others read the table on their next poll; the next commit tries again.
                log.warning("sending a wake-up to other processes failed", exc_info=True)
                return
            await asyncio.sleep(NOTIFY_INTERVAL_S)

    async def close(self) -> None:
        if self._sending is not None:
            self._sending.cancel()
            await asyncio.gather(self._sending, return_exceptions=True)
