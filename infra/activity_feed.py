"""One reader of the activity table per process, fanning new records out to its subscribers.

The table is the truth (EVENTS.md, "Fan-out"); wake-ups only say "read now" and may be lost,
so the reader also polls. It reads each record once, asks `Matcher` (the visibility rule,
injected from above) which of its subscribers' viewers see it, all in one statement, and
queues it for those. Its watermark is the highest id up to which every record is final.

Each commit of a change in this process wakes its reader (infra/wakeups.py). PostgreSQL: a
dedicated connection LISTENs on `activity`, which every process NOTIFYs after its commits,
reconnecting with backoff and reading the table after every (re)connect. Ids are drawn at
INSERT but become visible at COMMIT, so a missing id below a visible one may still commit
(EVENTS.md's trap): the reader stops at such a gap until every transaction that was running
when it saw the gap has ended (`pg_snapshot_xmin` has passed that snapshot's `xmax`), then
takes what committed and skips what rolled back.
SQLite: one process and one writer, so commit order is id order.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import asyncpg
from sqlalchemy import Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.database import Database, parse_database_url
from infra.wakeups import CHANNEL
from models import Activity
from settings import Settings

log = logging.getLogger("csp.events")

K = TypeVar("K", bound=Hashable)
# Of the records, the ids each key (a viewer) sees, in the keys' order: one statement.
Matcher = Callable[[AsyncSession, Sequence[K], Sequence[int]], Awaitable[list[set[int]]]]

BATCH = 500
# A subscriber that falls this far behind is dropped; it resumes with `after`.
QUEUE_SIZE = 1000
# Re-reading while a gap waits for the transactions that may fill it.
GAP_RETRY_S = 0.05
# At its start the feed waits at most this long for older transactions to end.
START_WAIT_S = 5.0


class SubscriberDropped(Exception):
    """The subscriber fell QUEUE_SIZE records behind, or the feed stopped."""


@dataclass(eq=False)
class Subscriber(Generic[K]):
    key: K
    customer_id: int | None
    # Every record with an id up to this one was final when the subscriber attached: what it
    # missed before is the caller's to replay; the feed delivers only later ones.
    start: int
    queue: "asyncio.Queue[Activity | None]" = field(
        default_factory=lambda: asyncio.Queue(QUEUE_SIZE)
    )

    async def next(self) -> Activity:
        row = await self.queue.get()
        if row is None:
            raise SubscriberDropped
        return row

    def offer(self, row: Activity) -> bool:
        try:
            self.queue.put_nowait(row)
        except asyncio.QueueFull:
            return False
        return True

    def drop(self) -> None:
        """Wake the reader of the queue with the end: room is made for the marker."""
        while self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


@dataclass
class _Gap:
    first_missing: int
    # pg_snapshot_xmax of the snapshot that first showed it: every transaction that can still
    # fill it started before then.
    xmax: int


class ActivityFeed(Generic[K]):
    def __init__(self, database: Database, settings: Settings, match: Matcher[K]) -> None:
        self.database = database
        self.match = match
        self.poll_s = settings.events_poll_ms / 1000
        self.postgres = not settings.is_sqlite
        self.dsn = (
            None
            if settings.is_sqlite
            else parse_database_url(settings.database_url)
            .set(drivername="postgresql")
            .render_as_string(hide_password=False)
        )
        self.subscribers: set[Subscriber[K]] = set()
        self.watermark = 0
        self._woken = asyncio.Event()
        self._gap: _Gap | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._starting = asyncio.Lock()

    async def _start(self) -> None:
        """On the first subscriber: a process nobody subscribes to reads nothing."""
        async with self._starting:
            if self._tasks:
                return
            self.watermark = await self._settled_max_id()
            self.wake()  # what committed meanwhile
            self.database.wakeups.listeners.append(self.wake)
            self._tasks.append(asyncio.create_task(self._read_forever()))
            if self.postgres:
                self._tasks.append(asyncio.create_task(self._listen_forever()))

    async def _settled_max_id(self) -> int:
        """The highest id, once no record below it can still commit: on PostgreSQL, after
        every transaction running when it was read has ended (at most START_WAIT_S)."""
        current = func.pg_current_snapshot()
        async with self.database.read_sessions() as session:
            if not self.postgres:
                return await session.scalar(select(func.max(Activity.id))) or 0
            latest, xmax = (
                await session.execute(
                    select(func.max(Activity.id), cast(func.pg_snapshot_xmax(current), Text))
                )
            ).one()
            deadline = time.monotonic() + START_WAIT_S
            while time.monotonic() < deadline:
                xmin = await session.scalar(select(cast(func.pg_snapshot_xmin(current), Text)))
                if int(xmin or 0) >= int(xmax):
                    break
                await asyncio.sleep(GAP_RETRY_S)
            else:
                log.warning("transactions older than the feed's start are still running")
        return int(latest or 0)

    async def stop(self) -> None:
        if self.wake in self.database.wakeups.listeners:
            self.database.wakeups.listeners.remove(self.wake)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for subscriber in self.subscribers:
            subscriber.drop()

    async def attach(self, key: K, customer_id: int | None) -> Subscriber[K]:
        if not self._tasks:
            await self._start()
        subscriber = Subscriber(key, customer_id, self.watermark)
        self.subscribers.add(subscriber)
        return subscriber

    def detach(self, subscriber: Subscriber[K]) -> None:
        self.subscribers.discard(subscriber)

    def wake(self) -> None:
        self._woken.set()

    async def _read_forever(self) -> None:
        while True:
            timeout = GAP_RETRY_S if self._gap is not None else self.poll_s
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), timeout)
            self._woken.clear()
            try:
                while await self._read_once():
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("reading new activity failed; polling again")

    async def _read_once(self) -> bool:
        """Deliver the next final records; True when a full batch suggests more are waiting."""
        snapshot: list[Any] = []
        if self.postgres:
            current = func.pg_current_snapshot()
            snapshot = [
                cast(func.pg_snapshot_xmin(current), Text),
                cast(func.pg_snapshot_xmax(current), Text),
            ]
        stmt = (
            select(Activity, *snapshot)
            .where(Activity.id > self.watermark)
            .order_by(Activity.id)
            .limit(BATCH)
        )
        async with self.database.read_sessions() as session:
            found = (await session.execute(stmt)).all()
            final = self._final([row[0] for row in found], found[0][1:] if found else ())
            if not final:
                return False
            # From here on a subscriber that attaches replays up to the new watermark itself.
            self.watermark = final[-1].id
            subscribers = list(self.subscribers)
            keys = list({subscriber.key: None for subscriber in subscribers})
            try:
                seen = await self.match(session, keys, [row.id for row in final])
            except Exception:
                # Past the watermark already: these subscribers resume with `after` instead.
                for subscriber in subscribers:
                    self.detach(subscriber)
                    subscriber.drop()
                raise
        visible = dict(zip(keys, seen, strict=True))
        for subscriber in subscribers:
            for row in final:
                if row.id not in visible[subscriber.key]:
                    continue
                if subscriber.customer_id not in (None, row.customer_id):
                    continue
                if not subscriber.offer(row):
                    log.warning("a subscriber fell behind and was dropped")
                    self.detach(subscriber)
                    subscriber.drop()
                    break
        return len(found) == BATCH and len(final) == len(found)

    def _final(self, rows: list[Activity], snapshot: Sequence[str]) -> list[Activity]:
        """The leading records that no uncommitted one can precede any more."""
        if not self.postgres:
            return rows
        xmin, xmax = (int(value) for value in snapshot) if snapshot else (0, 0)
        expected = self.watermark + 1
        for index, row in enumerate(rows):
            if row.id == expected:
                if self._gap is not None and self._gap.first_missing == expected:
                    self._gap = None  # filled by its commit
                expected += 1
                continue
            gap = self._gap
            if gap is None or gap.first_missing != expected:
                self._gap = _Gap(expected, xmax)
                return rows[:index]
            if xmin < gap.xmax:
                return rows[:index]  # a transaction that may fill it is still running
            # Every such transaction has ended, in this very snapshot: the ids rolled back.
            self._gap = None
            expected = row.id + 1
        return rows

    async def _listen_forever(self) -> None:
        assert self.dsn is not None
        backoff = 0.1
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(self.dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _, ended=lost: ended.set())
                await connection.add_listener(CHANNEL, self._on_notify)
                backoff = 0.1
                self.wake()  # what was committed while nobody listened
                await lost.wait()
                log.warning("the activity listener's connection was lost; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("listening for activity failed; retrying")
            finally:
                if connection is not None and not connection.is_closed():
                    await connection.close()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self._woken.set()
