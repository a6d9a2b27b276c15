"""The ceiling: the benchmark's operations as one hand-written SQL statement each, no GraphQL.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/ceiling.py --port 8100

The same drivers as the application (an asyncpg pool, aiosqlite connections) under the same
server (uvicorn), the answer's JSON built by the database. No authentication, no rate limit, no
access log: what separates these numbers from ours is the cost of everything the API adds.

    POST /q1 {"after": cursor?}          the partner's first 50 customers after the cursor
    POST /q2 {"id": pk}                  one subscription with its offer's name
    POST /m1 {"id": pk, "quantity": q}   UPDATE ... version = version + 1 RETURNING
"""

import argparse
import asyncio
import base64
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import aiosqlite
import asyncpg
import uvicorn
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import dataset  # noqa: E402

POOL_SIZE = 10  # the application's DB_POOL_SIZE default
PAGE_SIZE = 50
SQLITE_CONNECTIONS = 4
# Before every customer name: the first page's "cursor".
FIRST_KEY: tuple[str, int] = ("", 0)

_PG_SUBSCRIPTIONS = """
    SELECT coalesce(json_agg(json_build_object(
               'id', s.id, 'quantity', s.quantity, 'status', s.status,
               'friendlyName', s.friendly_name, 'offer', json_build_object('name', o.name))
             ORDER BY s.id), '[]')
    FROM (SELECT id, quantity, status, friendly_name, offer_id FROM subscriptions
          WHERE customer_id = c.id AND (partner_id = $1 OR partner_id IS NULL)
          ORDER BY id LIMIT 50) s
    JOIN offers o ON o.id = s.offer_id
"""
# {sort}: the customers' sort key as the schema indexes it (see sort_key_column).
PG_Q1 = """
SELECT json_build_object('data', json_build_object('customers', json_build_object('nodes',
         coalesce(json_agg(json_build_object(
           'companyName', c.company_name,
           'subscriptions', json_build_object('nodes', ({subscriptions}))
         ) ORDER BY c.sort_name, c.id), '[]'))))
FROM (SELECT c.id, c.company_name, {sort} AS sort_name FROM customers c
      WHERE EXISTS (SELECT 1 FROM partner_customers pc
                    WHERE pc.partner_id = $1 AND pc.customer_id = c.id)
        AND ({sort}, c.id) > ($2, $3)
      ORDER BY {sort}, c.id LIMIT {page}) c
"""
PG_Q2 = """
SELECT json_build_object('data', json_build_object('node', json_build_object(
         'quantity', s.quantity, 'status', s.status, 'offer', json_build_object('name', o.name))))
FROM subscriptions s JOIN offers o ON o.id = s.offer_id
WHERE s.id = $2
  AND s.customer_id IN (SELECT customer_id FROM partner_customers WHERE partner_id = $1)
  AND (s.partner_id = $1 OR s.partner_id IS NULL)
"""
PG_M1 = "UPDATE subscriptions SET quantity = $1, version = version + 1 WHERE id = $2 \
RETURNING id, quantity, version"

# SQLite: a subquery's result loses its JSON subtype, hence json(...) around each; the offer name
# is a scalar subquery because a join could be reordered and scramble json_group_array's order.
_SQLITE_SUBSCRIPTIONS = """
    SELECT json_group_array(json_object(
             'id', s.id, 'quantity', s.quantity, 'status', s.status,
             'friendlyName', s.friendly_name,
             'offer', json_object('name', (SELECT name FROM offers WHERE id = s.offer_id))))
    FROM (SELECT id, quantity, status, friendly_name, offer_id FROM subscriptions
          WHERE customer_id = c.id AND (partner_id = :partner OR partner_id IS NULL)
          ORDER BY id LIMIT 50) s
"""
SQLITE_Q1 = """
SELECT json_object('data', json_object('customers', json_object('nodes',
         json_group_array(json(c.node)))))
FROM (SELECT json_object(
        'companyName', c.company_name,
        'subscriptions', json_object('nodes', json(({subscriptions})))) AS node
      FROM customers c
      WHERE EXISTS (SELECT 1 FROM partner_customers pc
                    WHERE pc.partner_id = :partner AND pc.customer_id = c.id)
        AND ({sort}, c.id) > (:name, :id)
      ORDER BY {sort}, c.id LIMIT {page}) c
"""
SQLITE_Q2 = """
SELECT json_object('data', json_object('node', json_object(
         'quantity', s.quantity, 'status', s.status, 'offer', json_object('name', o.name))))
FROM subscriptions s JOIN offers o ON o.id = s.offer_id
WHERE s.id = :id
  AND s.customer_id IN (SELECT customer_id FROM partner_customers WHERE partner_id = :partner)
  AND (s.partner_id = :partner OR s.partner_id IS NULL)
"""
SQLITE_M1 = "UPDATE subscriptions SET quantity = :quantity, version = version + 1 WHERE id = :id \
RETURNING id, quantity, version"


def sort_key_column(columns: set[str]) -> str:
    """Migration 0003 added an indexed, case-folded company_name_key; before it the index was
    on lower(company_name). Ordering by the indexed expression keeps the ceiling honest."""
    return "c.company_name_key" if "company_name_key" in columns else "lower(c.company_name)"


def customers_sql(template: str, subscriptions: str, columns: set[str]) -> str:
    return template.format(
        subscriptions=subscriptions, sort=sort_key_column(columns), page=PAGE_SIZE
    )


class Store(Protocol):
    """One statement per operation; each returns the answer's JSON text, or None if no row."""

    async def customers(self, after: tuple[str, int]) -> str | None: ...

    async def subscription(self, pk: int) -> str | None: ...

    async def change_quantity(self, pk: int, quantity: int) -> tuple[int, int, int] | None: ...

    async def close(self) -> None: ...


class PostgresStore:
    def __init__(self, pool: Any, partner_id: int, q1: str) -> None:
        self.pool = pool
        self.partner_id = partner_id
        self.q1 = q1

    @classmethod
    async def open(cls, dsn: str) -> "PostgresStore":
        pool = await asyncpg.create_pool(dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
        partner_id = await pool.fetchval(
            "SELECT id FROM partners WHERE name = $1", dataset.PARTNER_NAME
        )
        rows = await pool.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'customers'"
        )
        q1 = customers_sql(PG_Q1, _PG_SUBSCRIPTIONS, {row[0] for row in rows})
        return cls(pool, int(partner_id), q1)

    async def customers(self, after: tuple[str, int]) -> str | None:
        answer: str | None = await self.pool.fetchval(self.q1, self.partner_id, *after)
        return answer

    async def subscription(self, pk: int) -> str | None:
        answer: str | None = await self.pool.fetchval(PG_Q2, self.partner_id, pk)
        return answer

    async def change_quantity(self, pk: int, quantity: int) -> tuple[int, int, int] | None:
        row = await self.pool.fetchrow(PG_M1, quantity, pk)
        return None if row is None else (row[0], row[1], row[2])

    async def close(self) -> None:
        await self.pool.close()


class SqliteStore:
    """A few autocommit connections, WAL and pragmas as the application sets them."""

    def __init__(self, connections: "asyncio.Queue[aiosqlite.Connection]") -> None:
        self.connections = connections
        self.partner_id = 0
        self.q1 = ""

    @classmethod
    async def open(cls, path: str) -> "SqliteStore":
        connections: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for _ in range(SQLITE_CONNECTIONS):
            connection = await aiosqlite.connect(path, isolation_level=None)
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
                await connection.execute(f"PRAGMA {pragma}")
            connections.put_nowait(connection)
        store = cls(connections)
        row = await store._one("SELECT id FROM partners WHERE name = ?", (dataset.PARTNER_NAME,))
        assert row is not None, "seed the database first"
        store.partner_id = int(row[0])
        columns = await store._all("SELECT name FROM pragma_table_info('customers')", ())
        store.q1 = customers_sql(SQLITE_Q1, _SQLITE_SUBSCRIPTIONS, {c[0] for c in columns})
        return store

    async def _one(self, sql: str, params: Any) -> Any:
        connection = await self.connections.get()
        try:
            async with connection.execute(sql, params) as cursor:
                return await cursor.fetchone()
        finally:
            self.connections.put_nowait(connection)

    async def _all(self, sql: str, params: Any) -> Any:
        connection = await self.connections.get()
        try:
            async with connection.execute(sql, params) as cursor:
                return await cursor.fetchall()
        finally:
            self.connections.put_nowait(connection)

    async def customers(self, after: tuple[str, int]) -> str | None:
        params = {"partner": self.partner_id, "name": after[0], "id": after[1]}
        row = await self._one(self.q1, params)
        return None if row is None else str(row[0])

    async def subscription(self, pk: int) -> str | None:
        row = await self._one(SQLITE_Q2, {"partner": self.partner_id, "id": pk})
        return None if row is None else str(row[0])

    async def change_quantity(self, pk: int, quantity: int) -> tuple[int, int, int] | None:
        row = await self._one(SQLITE_M1, {"quantity": quantity, "id": pk})
        return None if row is None else (row[0], row[1], row[2])

    async def close(self) -> None:
        while not self.connections.empty():
            await self.connections.get_nowait().close()


async def open_store(database_url: str) -> Store:
    url = make_url(database_url)
    if url.drivername.startswith("sqlite"):
        return await SqliteStore.open(url.database or "")
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return await PostgresStore.open(dsn)


def _cursor_key(after: object) -> tuple[str, int]:
    """Decoded like services.pagination.decode_cursor: URL-safe base64 of a JSON list."""
    if after is None:
        return FIRST_KEY
    name, pk = json.loads(base64.urlsafe_b64decode(str(after).encode("ascii")))
    return str(name), int(pk)


def _json(text: str | None) -> Response:
    body = text if text is not None else '{"data":{"node":null}}'
    return Response(body, media_type="application/json")


def create_app(database_url: str) -> Starlette:
    stores: list[Store] = []

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stores.append(await open_store(database_url))
        yield
        await stores[0].close()

    async def q1(request: Request) -> Response:
        body = await _body(request)
        return _json(await stores[0].customers(_cursor_key(body.get("after"))))

    async def q2(request: Request) -> Response:
        return _json(await stores[0].subscription(int((await _body(request))["id"])))

    async def m1(request: Request) -> Response:
        body = await _body(request)
        row = await stores[0].change_quantity(int(body["id"]), int(body["quantity"]))
        subscription = (
            None if row is None else dict(zip(("id", "quantity", "version"), row, strict=True))
        )
        payload: dict[str, Any] = {"subscription": subscription, "userErrors": []}
        return JSONResponse({"data": {"changeQuantity": payload}})

    async def healthz(request: Request) -> Response:
        return Response("ok")

    return Starlette(
        routes=[
            Route("/q1", q1, methods=["POST"]),
            Route("/q2", q2, methods=["POST"]),
            Route("/m1", m1, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    data = json.loads(raw) if raw else {}
    assert isinstance(data, dict)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("error: set DATABASE_URL", file=sys.stderr)
        return 1
    # As `server.py serve` runs: uvicorn's defaults (uvloop, httptools), no access log.
    uvicorn.run(
        create_app(url), host=args.host, port=args.port, access_log=False, log_level="warning"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
