"""Which token-bucket store costs less per request? Prints microseconds per `take`.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/rate_limit_stores.py
"""

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra import migrations  # noqa: E402
from infra.database import create_database  # noqa: E402
from limits.budgets import Buckets, Budget, DatabaseBuckets, RedisBuckets  # noqa: E402
from settings import Settings  # noqa: E402

CALLS = 2000
BUDGET = Budget(capacity=10**12, refill_per_second=10**9)


async def measure(name: str, buckets: Buckets, concurrency: int) -> None:
    for i in range(100):  # warm-up: connections, prepared statements, script cache
        await buckets.take(f"warm{i % 4}", 1)
    timings: list[float] = []

    async def one(i: int) -> None:
        started = time.perf_counter()
        await buckets.take(f"key{i % 16}", 5)
        timings.append((time.perf_counter() - started) * 1e6)

    started = time.perf_counter()
    for batch in range(0, CALLS, concurrency):
        await asyncio.gather(*(one(i) for i in range(batch, batch + concurrency)))
    elapsed = time.perf_counter() - started
    timings.sort()
    print(
        f"{name:<22} concurrency {concurrency:>2}: median {statistics.median(timings):7.0f} us"
        f"  p99 {timings[int(len(timings) * 0.99)]:7.0f} us  {CALLS / elapsed:8.0f} takes/s"
    )


async def main() -> None:
    stores: list[tuple[str, str]] = []
    if redis_url := os.environ.get("REDIS_URL"):
        stores.append(("redis", redis_url))
    if database_url := os.environ.get("DATABASE_URL"):
        stores.append(("database " + database_url.split(":")[0], database_url))
    sqlite_url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/buckets.db"
    stores.append(("database sqlite", sqlite_url))
    for name, url in stores:
        for concurrency in (1, 16):
            if name == "redis":
                buckets: Buckets = RedisBuckets(url, BUDGET)
                await measure(name, buckets, concurrency)
                await buckets.close()
                continue
            await migrations.upgrade(url)
            database = create_database(Settings(database_url=url))
            await measure(name, DatabaseBuckets(database, BUDGET), concurrency)
            await database.dispose()


if __name__ == "__main__":
    asyncio.run(main())
