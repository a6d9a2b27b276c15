"""Commit-to-delivery latency of webhooks: two `serve` processes on one PostgreSQL database,
changeQuantity at a steady rate spread over both, every event POSTed to a receiver here.
Latency is the receiver's arrival time minus the event's own timestamp (the activity record's
time, taken in the change's statement before its commit): an upper bound on commit to delivery.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
    .venv/bin/python bench/webhooks.py [--rate 100] [--seconds 20]

The database is emptied (its public schema dropped) and migrated first: name one kept for it.
"""

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processes import PROJECT_DIR, free_port, serving  # noqa: E402

from infra import migrations  # noqa: E402
from infra.database import create_database  # noqa: E402
from settings import Settings  # noqa: E402

SUBSCRIPTIONS = """{ customers(first: 50) { nodes { subscriptions(first: 50) {
  nodes { id status canManage } } } } }"""
CHANGE = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) { userErrors { code } } }"""
QUANTITY = """query($id: ID!) { node(id: $id) { ... on CustomerSubscription { quantity } } }"""
CREATE = """mutation($url: String!) { createWebhookEndpoint(input: {url: $url,
  eventTypes: [SUBSCRIPTION_UPDATED]}) { secret userErrors { code } } }"""


class Receiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.latencies: dict[str, float] = {}  # webhook-id -> seconds, first arrival
        self.duplicates = 0
        self.expected: int | None = None
        self.all_arrived = asyncio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        arrived = time.time()
        headers = dict(scope["headers"])
        event = json.loads(body)
        sent = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()
        key = headers[b"webhook-id"].decode()
        if key in self.latencies:
            self.duplicates += 1
        else:
            self.latencies[key] = arrived - sent
        if self.expected is not None and len(self.latencies) >= self.expected:
            self.all_arrived.set()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def reset(url: str) -> None:
    database = create_database(Settings(database_url=url))
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await database.dispose()
    await migrations.upgrade(url)


def demo_admin_token(url: str) -> str:
    seeded = subprocess.run(
        [sys.executable, "server.py", "seed-demo"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    )
    keys = json.loads(seeded.stdout)["keys"]
    token: str = next(k["token"] for k in keys if k["role"] == "GLOBAL_ADMIN" and k["partner"])
    return token


async def graphql(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    answer = (await client.post(url, json={"query": query, "variables": variables})).json()
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


async def drive(servers: list[str], token: str, rate: int, seconds: int, receiver: Receiver) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        first = f"{servers[0]}/graphql"
        created = await graphql(
            client, first, CREATE, {"url": f"http://127.0.0.1:{receiver.port}/"}
        )
        assert created["createWebhookEndpoint"]["userErrors"] == []
        listed = await graphql(client, first, SUBSCRIPTIONS, {})
        ids = [
            s["id"]
            for c in listed["customers"]["nodes"]
            for s in c["subscriptions"]["nodes"]
            if s["canManage"] and s["status"] == "ACTIVE"
        ]
        quantities = {}
        for sid in ids:
            quantities[sid] = (await graphql(client, first, QUANTITY, {"id": sid}))["node"][
                "quantity"
            ]
        sent = 0
        refused: dict[str, int] = {}
        tasks = []
        # One change at a time per subscription: up and down again stay in order.
        locks = {sid: asyncio.Lock() for sid in ids}

        async def change(n: int) -> None:
            sid = ids[n % len(ids)]
            # Up then down again: the seats just added are still in their window.
            quantity = quantities[sid] + (1 if (n // len(ids)) % 2 == 0 else 0)
            async with locks[sid]:
                data = await graphql(
                    client, f"{servers[n % 2]}/graphql", CHANGE, {"id": sid, "q": quantity}
                )
            for error in data["changeQuantity"]["userErrors"]:
                refused[error["code"]] = refused.get(error["code"], 0) + 1

        started = time.monotonic()
        total = rate * seconds
        for n in range(total):
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(change(n)))
            sent += 1
        await asyncio.gather(*tasks)
        print(f"sent {sent} changes, answered in {time.monotonic() - started:.1f} s; {refused=}")
        return sent - sum(refused.values())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("error: set DATABASE_URL to a PostgreSQL database kept for benchmarks")
    await reset(url)
    token = demo_admin_token(url)
    receiver = Receiver()
    server = uvicorn.Server(
        uvicorn.Config(
            receiver, host="127.0.0.1", port=receiver.port, lifespan="off", log_level="error"
        )
    )
    serve = asyncio.create_task(server.serve())
    env = {"DATABASE_URL": url, "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true", "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "server.py", "serve"]
    logs = Path(tempfile.mkdtemp())
    with (
        serving(command, env, logs / "a.log", None) as a,
        serving(command, env, logs / "b.log", None) as b,
    ):
        expected = await drive([a.url, b.url], token, args.rate, args.seconds, receiver)
        receiver.expected = expected
        if len(receiver.latencies) >= expected:
            receiver.all_arrived.set()
        with contextlib.suppress(TimeoutError):  # reported below: delivered n of expected
            await asyncio.wait_for(receiver.all_arrived.wait(), 30)
    server.should_exit = True
    await serve
    latencies = sorted(receiver.latencies.values())
    if not latencies:
        raise SystemExit("error: nothing was delivered")

    def at(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000

    print(
        f"delivered {len(latencies)} of {expected} events ({receiver.duplicates} duplicates) "
        f"at {args.rate}/s over 2 processes: p50 {at(0.5):.0f} ms, p99 {at(0.99):.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
