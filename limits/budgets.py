"""Token buckets per API key, shared by every server process: in Redis, or in the database.

Each request takes its query cost from the bucket in one atomic step; the bucket refills at a
steady rate up to its capacity.

In Redis, a process takes a small lease of tokens at a time (a hundredth of the capacity or a
tenth of a second's refill, whichever is smaller) and charges requests from it locally: one
round trip serves many requests. No instance ever spends more than the bucket held; an instance
may refuse up to one lease early while another holds tokens, and reported balances lag by up to
one lease per instance. Unspent leases go back to the bucket with the next one (after a second).
"""

import math
import time
from dataclasses import dataclass
from typing import Any, Protocol

from redis.asyncio import Redis
from sqlalchemy import case, literal
from sqlalchemy.dialects import postgresql, sqlite

from infra.database import Database
from models import RateLimitBucket


@dataclass(frozen=True)
class Budget:
    capacity: int
    refill_per_second: float


@dataclass(slots=True)  # not frozen: built on every request, and frozen costs 5x to build
class Decision:
    allowed: bool
    remaining: int
    retry_after_s: int  # 0 when allowed

    @classmethod
    def of(cls, allowed: bool, tokens: float, cost: int, budget: Budget) -> "Decision":
        wait = 0 if allowed else math.ceil((cost - tokens) / budget.refill_per_second)
        return cls(allowed, max(0, math.floor(tokens)), max(wait, 0 if allowed else 1))


class Buckets(Protocol):
    async def take(self, key: str, cost: int) -> Decision: ...

    async def close(self) -> None: ...


# Server time (TIME), so that instances with skewed clocks agree. Gives back a lease's unspent
# tokens, then grants `want` tokens (or all there are) if at least `cost` are there.
_TAKE = """
local capacity, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local cost, want, returned = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate + returned)
local granted = 0
if tokens >= cost then
  granted = math.min(tokens, want)
  tokens = tokens - granted
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return {tostring(granted), tostring(tokens)}
"""
MAX_LEASES = 10_000


@dataclass
class _Lease:
    tokens: float  # still to spend here
    shared: float  # what the bucket held when the lease was taken: for the reported balance
    until: float  # time.monotonic() after which the next request takes a fresh lease


class RedisBuckets:
    def __init__(self, url: str, budget: Budget, lease_s: float = 1.0) -> None:
        self.redis: Redis = Redis.from_url(url)
        self.budget = budget
        self.script = self.redis.register_script(_TAKE)
        self.lease_size = math.floor(min(budget.capacity / 100, budget.refill_per_second / 10))
        self.lease_s = lease_s
        self.leases: dict[str, _Lease] = {}

    async def take(self, key: str, cost: int) -> Decision:
        now = time.monotonic()
        lease = self.leases.pop(key, None)
        if lease is not None and lease.until > now and lease.tokens >= cost:
            lease.tokens -= cost
            self.leases[key] = lease
            return Decision.of(True, lease.tokens + lease.shared, cost, self.budget)
        returned = 0.0 if lease is None else lease.tokens
        args = [
            self.budget.capacity,
            self.budget.refill_per_second,
            cost,
            max(cost, self.lease_size),
            returned,
        ]
        granted, shared = (float(v) for v in await self.script(keys=[f"csp:rate:{key}"], args=args))
        if granted < cost:
            return Decision.of(False, shared, cost, self.budget)
        left = granted - cost
        if left > 0:
            self._keep(key, _Lease(left, shared, now + self.lease_s))
        return Decision.of(True, left + shared, cost, self.budget)

    def _keep(self, key: str, lease: _Lease) -> None:
        concurrent = self.leases.pop(key, None)  # another request's, taken meanwhile
        if concurrent is not None:
            lease.tokens += concurrent.tokens
        if len(self.leases) >= MAX_LEASES:
            # Rarely used keys' leases lapse: at most a lease's tokens each, back by refill.
            self.leases.pop(next(iter(self.leases)))
        self.leases[key] = lease

    async def close(self) -> None:
        await self.redis.aclose()


class DatabaseBuckets:
    """One upsert per request, when there is no Redis (measured 16x dearer: docs/scaling.md)."""

    def __init__(self, database: Database, budget: Budget) -> None:
        self.postgres = database.engine.dialect.name == "postgresql"
        # One statement is atomic by itself: no BEGIN/COMMIT round trips on PostgreSQL.
        self.engine = (
            database.single_statements
            if self.postgres
            else database.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        )
        self.insert: Any = postgresql.insert if self.postgres else sqlite.insert
        self.budget = budget
        self.write_queue = database.write_queue

    async def take(self, key: str, cost: int) -> Decision:
        if self.write_queue is None:
            return await self._take(key, cost)
        async with self.write_queue:
            return await self._take(key, cost)

    async def _take(self, key: str, cost: int) -> Decision:
        now = time.time()
        table = RateLimitBucket.__table__
        async with self.engine.begin() as connection:
            stmt = self.insert(table).values(
                key=key,
                tokens=float(self.budget.capacity - cost),
                updated_at=now,
                allowed=cost <= self.budget.capacity,
            )
            refilled = _least(
                table.c.tokens
                + _greatest(now - table.c.updated_at, 0) * self.budget.refill_per_second,
                float(self.budget.capacity),
            )
            allowed = refilled >= cost
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "tokens": case((allowed, refilled - cost), else_=refilled),
                    "updated_at": now,
                    "allowed": allowed,
                },
            ).returning(table.c.allowed, table.c.tokens)
            row = (await connection.execute(stmt)).one()
        return Decision.of(bool(row.allowed), float(row.tokens), cost, self.budget)

    async def close(self) -> None:
        return None


def _least(a: Any, b: float) -> Any:
    return case((a < b, a), else_=literal(b))


def _greatest(a: Any, b: float) -> Any:
    return case((a > b, a), else_=literal(b))
