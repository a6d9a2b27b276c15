"""Several stateless `serve` processes on one PostgreSQL: no lost update, no double purchase,
no half-written change when a process dies."""

import asyncio
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

import models
from infra.database import Database, create_database
from settings import Settings
from tests.factories import World, build_world, token_for
from tests.graphql import gid
from tests.processes import running_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

READ = "query($id: ID!) { node(id: $id) { ... on CustomerSubscription { version } } }"
CHANGE = """mutation($id: ID!, $q: Int!, $v: Int) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q, expectedVersion: $v}) {
    subscription { version quantity } userErrors { code }
  }
}"""
ADD = """mutation($customer: ID!, $offer: ID!, $key: String!) {
  addSubscription(input: {customerId: $customer, offerId: $offer, quantity: 7,
                          idempotencyKey: $key}) {
    subscription { id } userErrors { code }
  }
}"""


@dataclass
class Arranged:
    database: Database
    world: World
    token: str


@pytest.fixture
async def arranged(postgres_url: str) -> AsyncIterator[Arranged]:
    database = create_database(Settings(database_url=postgres_url))
    async with database.write_sessions.begin() as session:
        world = await build_world(session)
        token = await token_for(session, world.principals["GLOBAL_ADMIN"])
    yield Arranged(database, world, token)
    await database.dispose()


async def _post(client: httpx.AsyncClient, url: str, query: str, **variables: Any) -> Any:
    response = await client.post(url, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _change_until_applied(client: httpx.AsyncClient, url: str, sub_id: str) -> int:
    """Read the version, change with it, retry on VERSION_CONFLICT; returns the attempts."""
    attempts = 0
    while True:
        attempts += 1
        version = (await _post(client, url, READ, id=sub_id))["node"]["version"]
        # The quantity is derived from the version, so it always differs from the current one.
        result = await _post(client, url, CHANGE, id=sub_id, q=version % 90 + 2, v=version)
        errors = result["changeQuantity"]["userErrors"]
        if not errors:
            assert result["changeQuantity"]["subscription"]["version"] == version + 1
            return attempts
        assert errors == [{"code": "VERSION_CONFLICT"}]


async def _activity_versions(database: Database, subscription_id: int) -> list[int | None]:
    async with database.read_sessions() as session:
        stmt = (
            select(models.Activity.version)
            .where(models.Activity.subscription_id == subscription_id)
            .order_by(models.Activity.version)
        )
        return list((await session.scalars(stmt)).all())


async def _version(database: Database, subscription_id: int) -> int:
    async with database.read_sessions() as session:
        return (await session.get_one(models.Subscription, subscription_id)).version


async def test_200_concurrent_quantity_changes_over_two_processes_lose_nothing(
    arranged: Arranged, postgres_url: str, tmp_path: Path
) -> None:
    target = arranged.world.independent_a
    sub_id = gid("CustomerSubscription", target.id)
    with running_server(postgres_url, tmp_path) as a, running_server(postgres_url, tmp_path) as b:
        urls = [a.graphql_url, b.graphql_url]
        gate = asyncio.Semaphore(20)
        headers = {"Authorization": f"Bearer {arranged.token}"}
        async with httpx.AsyncClient(headers=headers, timeout=60) as client:

            async def call(i: int) -> int:
                async with gate:
                    return await _change_until_applied(client, urls[i % 2], sub_id)

            attempts = await asyncio.gather(*(call(i) for i in range(200)))
    assert len(attempts) == 200
    assert sum(attempts) >= 200
    assert await _version(arranged.database, target.id) == 1 + 200
    assert await _activity_versions(arranged.database, target.id) == list(range(2, 202))


async def test_50_concurrent_retries_of_one_purchase_create_one_subscription(
    arranged: Arranged, postgres_url: str, tmp_path: Path
) -> None:
    world = arranged.world
    variables = {
        "customer": gid("Customer", world.independent.id),
        "offer": gid("Offer", world.basic.id),
        "key": "order-4711",
    }
    async with arranged.database.read_sessions() as session:
        before = (await session.execute(select(func.count(models.Subscription.id)))).scalar_one()
    with running_server(postgres_url, tmp_path) as a, running_server(postgres_url, tmp_path) as b:
        headers = {"Authorization": f"Bearer {arranged.token}"}
        async with httpx.AsyncClient(headers=headers, timeout=60) as client:
            results = await asyncio.gather(
                *(_post(client, (a, b)[i % 2].graphql_url, ADD, **variables) for i in range(50))
            )
    ids = {r["addSubscription"]["subscription"]["id"] for r in results}
    assert all(r["addSubscription"]["userErrors"] == [] for r in results)
    assert len(ids) == 1
    async with arranged.database.read_sessions() as session:
        after = await session.scalar(select(func.count()).select_from(models.Subscription))
        records = await session.scalar(select(func.count()).select_from(models.IdempotencyRecord))
        adds = await session.scalar(
            select(func.count())
            .select_from(models.Activity)
            .where(models.Activity.operation == "ADD_SUBSCRIPTION")
        )
    assert (after, records, adds) == (before + 1, 1, 1)


async def test_a_killed_process_leaves_no_half_written_change(
    arranged: Arranged, postgres_url: str, tmp_path: Path
) -> None:
    world = arranged.world
    targets = [world.independent_a, world.created_a, world.shared_a, world.independent_base]
    headers = {"Authorization": f"Bearer {arranged.token}"}
    with running_server(postgres_url, tmp_path) as a, running_server(postgres_url, tmp_path) as b:
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:
            done_on_b = 0
            wanted_on_b: int | None = None
            stop, survivor_went_on = asyncio.Event(), asyncio.Event()

            async def stream(url: str, sub_pk: int) -> None:
                nonlocal done_on_b, wanted_on_b
                sub_id = gid("CustomerSubscription", sub_pk)
                while not stop.is_set():
                    try:
                        await _change_until_applied(client, url, sub_id)
                    except httpx.TransportError:
                        return  # this process is gone
                    if url == b.graphql_url:
                        done_on_b += 1
                        if wanted_on_b is not None and done_on_b >= wanted_on_b:
                            survivor_went_on.set()

            workers = [
                asyncio.create_task(stream(server.graphql_url, target.id))
                for server in (a, b)
                for target in targets
            ]
            await asyncio.sleep(1.5)
            assert a.stop(signal.SIGKILL) == -signal.SIGKILL
            wanted_on_b = done_on_b + 20
            await asyncio.wait_for(survivor_went_on.wait(), timeout=30)
            stop.set()
            await asyncio.gather(*workers)
            survivor = await _post(client, b.graphql_url, "{ customers { totalCount } }")
    assert survivor == {"customers": {"totalCount": 3}}
    for target in targets:
        version = await _version(arranged.database, target.id)
        assert version > 1
        assert await _activity_versions(arranged.database, target.id) == list(range(2, version + 1))


async def test_sigterm_lets_the_request_in_flight_finish(
    arranged: Arranged, postgres_url: str, tmp_path: Path
) -> None:
    target = arranged.world.independent_a
    headers = {"Authorization": f"Bearer {arranged.token}"}
    with running_server(postgres_url, tmp_path) as server:
        async with arranged.database.engine.connect() as blocker:
            # Hold the row lock the mutation needs, so the request is certainly in flight.
            await blocker.execute(
                text("SELECT id FROM subscriptions WHERE id = :id FOR UPDATE"), {"id": target.id}
            )
            async with httpx.AsyncClient(headers=headers, timeout=30) as client:
                request = asyncio.create_task(
                    _post(
                        client,
                        server.graphql_url,
                        CHANGE,
                        id=gid("CustomerSubscription", target.id),
                        q=33,
                        v=1,
                    )
                )
                await _wait_for_lock_wait(arranged.database)
                server.process.send_signal(signal.SIGTERM)
                await asyncio.sleep(0.5)
                assert server.process.poll() is None  # still finishing the request
                await blocker.rollback()
                result = await request
        assert result["changeQuantity"] == {
            "subscription": {"version": 2, "quantity": 33},
            "userErrors": [],
        }
        # uvicorn re-raises SIGTERM once shut down, so the exit status names the signal.
        assert server.process.wait(timeout=15) == -signal.SIGTERM
        assert "Finished server process" in server.log()


async def _wait_for_lock_wait(database: Database) -> None:
    query = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    for _ in range(100):
        async with database.engine.connect() as connection:
            if (await connection.execute(query)).scalar_one() > 0:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the mutation never waited for the row lock")
