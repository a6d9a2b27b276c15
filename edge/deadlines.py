"""Request timeouts without a timer per request: one sweep, every tenth of a second, cancels
the requests past their deadline. (A timer per request cost more than the wait it guards.)"""

import asyncio
import time

SWEEP_EVERY_S = 0.1


class Deadlines:
    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.watched: dict[asyncio.Task[object], float] = {}
        self.expired: set[asyncio.Task[object]] = set()
        self.sweeping: asyncio.TimerHandle | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> asyncio.Task[object]:
        """Watch the current task; call `stop` with it, without awaiting anything in between
        its last await and the call, so that no sweep can cancel it after it finished."""
        task = asyncio.current_task()
        assert task is not None
        self.watched[task] = time.monotonic() + self.timeout_s
        loop = asyncio.get_running_loop()
        if self.sweeping is None or self.loop is not loop:
            self.loop = loop
            self.sweeping = loop.call_later(SWEEP_EVERY_S, self._sweep)
        return task

    def stop(self, task: asyncio.Task[object]) -> bool:
        """Whether the task ran out of time (its cancellation was ours: it goes on, uncancelled)."""
        self.watched.pop(task, None)
        if task in self.expired:
            self.expired.discard(task)
            task.uncancel()
            return True
        return False

    def _sweep(self) -> None:
        now = time.monotonic()
        for task, deadline in list(self.watched.items()):
            if deadline <= now:
                del self.watched[task]
                self.expired.add(task)
                task.cancel()
        self.sweeping = None
        if self.watched and self.loop is not None:  # idle: no callback left behind
            self.sweeping = self.loop.call_later(SWEEP_EVERY_S, self._sweep)
