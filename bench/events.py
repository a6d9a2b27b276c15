"""Subscription.activityAdded on PostgreSQL with two `serve` processes: commit-to-delivery
latency for 100 subscribers, and memory per idle subscriber. Targets: p99 < 1 s, < 150 KB.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench_events \
    .venv/bin/python bench/events.py

The database is emptied (its `public` schema recreated) and migrated first: never point it at
data you keep. Latency runs from just before the mutation's request is sent (so it includes
the request itself: an upper bound on commit-to-delivery; from the response is a lower bound),
after a few changes of warm-up, to each subscriber's receipt. Memory is the growth of the
servers' RSS once every subscriber is connected and subscribed, per subscriber. The client
runs on the same machine.
"""

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra import migrations  # noqa: E402
from infra.database import create_database  # noqa: E402
from models import global_ids  # noqa: E402
from settings import Settings  # noqa: E402
from tests.factories import build_world, token_for  # noqa: E402
from tests.processes import Server, running_server  # noqa: E402

SUBSCRIBERS = 100
CHANGES = 40
# Each process's first requests compile plans and open pools: not what is measured.
WARMUP = 4
STREAM = "subscription { activityAdded { after } }"
CHANGE = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) { userErrors { code } }
}"""


async def prepare(url: str) -> tuple[str, str]:
    """An empty, migrated database with the test world; a key and a subscription's id."""
    database = create_database(Settings(database_url=url))
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await migrations.upgrade(url)
        async with database.write_sessions.begin() as session:
            world = await build_world(session)
            token = await token_for(session, world.principals["GLOBAL_ADMIN"])
            target = global_ids.encode("CustomerSubscription", world.independent_a.id)
    finally:
        await database.dispose()
    return token, target


def cpu_s(pid: int) -> float:
    """User and system CPU the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def subscribe(server: Server, token: str) -> ClientConnection:
    ws = await connect(
        server.graphql_url.replace("http://", "ws://"),
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    await ws.send(json.dumps(init))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": STREAM}}))
    return ws


async def receive(ws: ClientConnection, arrivals: dict[int, list[float]]) -> None:
    while True:
        message = json.loads(await ws.recv())
        quantity = message["payload"]["data"]["activityAdded"]["after"]["quantity"]
        arrivals.setdefault(quantity, []).append(time.perf_counter())


async def run(servers: list[Server], token: str, target: str) -> None:
    before = [rss_kb(s.process.pid) for s in servers]
    sockets = [await subscribe(servers[i % 2], token) for i in range(SUBSCRIBERS)]
    await asyncio.sleep(2.0)  # settled
    after = [rss_kb(s.process.pid) for s in servers]
    per_subscriber = (sum(after) - sum(before)) / SUBSCRIBERS
    arrivals: dict[int, list[float]] = {}
    readers = [asyncio.create_task(receive(ws, arrivals)) for ws in sockets]
    sent: dict[int, float] = {}
    answered: dict[int, float] = {}
    headers = {"Authorization": f"Bearer {token}"}
    cpu_before = sum(cpu_s(s.process.pid) for s in servers)
    async with httpx.AsyncClient(headers=headers, timeout=10) as client:
        for i in range(WARMUP + CHANGES):
            quantity = 2 + i % 2 + 2 * (i // 2)  # distinct, alternating processes
            if i >= WARMUP:
                sent[quantity] = time.perf_counter()
            body: dict[str, Any] = {"query": CHANGE, "variables": {"id": target, "q": quantity}}
            response = await client.post(servers[i % 2].graphql_url, json=body)
            assert response.json()["data"]["changeQuantity"]["userErrors"] == [], response.text
            answered[quantity] = time.perf_counter()
            await asyncio.sleep(0.25)
    await asyncio.sleep(2.0)
    cpu = sum(cpu_s(s.process.pid) for s in servers) - cpu_before
    for reader in readers:
        reader.cancel()
    for ws in sockets:
        await ws.close()
    latencies = sorted(
        (arrived - sent[quantity]) * 1000
        for quantity, times in arrivals.items()
        if quantity in sent
        for arrived in times
    )
    after_answer = sorted(
        (arrived - answered[quantity]) * 1000
        for quantity, times in arrivals.items()
        if quantity in answered
        for arrived in times
    )
    expected = CHANGES * SUBSCRIBERS
    print(f"deliveries {len(latencies)} of {expected}")
    for name, found in (("from request", latencies), ("from response", after_answer)):
        print(
            f"delivery {name}: p50 {statistics.median(found):.0f} ms, "
            f"p99 {found[int(len(found) * 0.99) - 1]:.0f} ms, max {found[-1]:.0f} ms"
        )
    print(
        f"server CPU per change, both processes: {cpu / (WARMUP + CHANGES) * 1000:.0f} ms "
        f"(the change, and its delivery to {SUBSCRIBERS} subscribers)"
    )
    print(
        f"RSS {sum(before) // 1024} -> {sum(after) // 1024} MiB over two processes: "
        f"{per_subscriber:.0f} KB per idle subscriber"
    )


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database that may be emptied")
    token, target = asyncio.run(prepare(url))
    env = {"WS_CONNECTIONS_PER_KEY": str(SUBSCRIBERS), "RATE_LIMIT_CAPACITY": "0"}
    log_dir = Path(tempfile.mkdtemp())
    with (
        running_server(url, log_dir, env=env) as one,
        running_server(url, log_dir, env=env) as two,
    ):
        asyncio.run(run([one, two], token, target))


if __name__ == "__main__":
    main()
