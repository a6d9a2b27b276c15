"""infra/wakeups.py: the process's own listeners on every commit; other processes by one NOTIFY
at a time, the commits made meanwhile sharing the next."""

import asyncio

from infra import wakeups
from infra.wakeups import Wakeups


async def test_listeners_hear_every_commit_and_notifies_are_shared() -> None:
    sent: list[float] = []
    release = asyncio.Event()

    async def notify() -> None:
        sent.append(asyncio.get_running_loop().time())
        await release.wait()

    heard: list[int] = []
    signals = Wakeups(notify)
    signals.listeners.append(lambda: heard.append(1))
    signals.committed()
    await asyncio.sleep(0)
    assert (len(heard), len(sent)) == (1, 1)  # the first NOTIFY is in flight
    for _ in range(99):
        signals.committed()
    await asyncio.sleep(0)
    assert (len(heard), len(sent)) == (100, 1)
    release.set()
    await asyncio.sleep(wakeups.NOTIFY_INTERVAL_S * 3)
    # The 99 commits made while it was in flight share one more, sent after the interval.
    assert len(sent) == 2
    assert sent[1] - sent[0] >= wakeups.NOTIFY_INTERVAL_S
    await signals.close()


async def test_a_failed_notify_is_logged_and_the_next_commit_sends_again() -> None:
    calls: list[int] = []

    async def failing_once() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("connection refused")

    signals = Wakeups(failing_once)
    signals.committed()
    await asyncio.sleep(0.01)
    signals.committed()
    await asyncio.sleep(0.01)
    assert len(calls) == 2
    await signals.close()


async def test_without_other_processes_only_the_listeners_hear() -> None:
    heard: list[int] = []
    signals = Wakeups()
    signals.listeners.append(lambda: heard.append(1))
    signals.committed()
    assert heard == [1]
    await signals.close()
