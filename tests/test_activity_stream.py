"""Subscription.activityAdded through a real `serve` process and a real graphql-transport-ws
client: delivery within a second, visibility, order, resume, keys, and on PostgreSQL several
processes and transactions that commit out of id order."""

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, update
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

import models
from infra.database import Database, create_database
from models.base import utcnow
from services import activity_stream
from services.errors import DomainError
from settings import Settings
from tests.factories import World, build_world, token_for
from tests.graphql import gid
from tests.processes import Server, running_server

pytestmark = pytest.mark.slow

STREAM = """subscription($after: ID, $customer: ID) {
  activityAdded(after: $after, customerId: $customer) {
    id operation after subscription { id } customer { id }
  }
}"""
CHANGE = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) { userErrors { code } }
}"""


@dataclass
class Arranged:
    database: Database
    world: World
    tokens: dict[str, str]  # role -> token


async def _arrange(url: str) -> Arranged:
    database = create_database(Settings(database_url=url))
    async with database.write_sessions.begin() as session:
        world = await build_world(session)
        tokens = {
            role: await token_for(session, world.principals[role])
            for role in ("GLOBAL_ADMIN", "ADMIN_AGENT", "B_ADMIN")
        }
    return Arranged(database, world, tokens)


@pytest.fixture
async def arranged(database_url: str) -> AsyncIterator[Arranged]:
    arranged = await _arrange(database_url)
    yield arranged
    await arranged.database.dispose()


@pytest.fixture
def server(arranged: Arranged, database_url: str, tmp_path: Path) -> Iterator[Server]:
    with running_server(database_url, tmp_path) as started:
        yield started


def _ws_url(server: Server) -> str:
    return server.graphql_url.replace("http://", "ws://")


@asynccontextmanager
async def _socket(server: Server, token: str) -> AsyncIterator[ClientConnection]:
    async with connect(_ws_url(server), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        # The header's name in any case: the contract matches it without regard to case.
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        yield ws


@asynccontextmanager
async def _stream(
    server: Server, token: str, after: str | None = None, customer: str | None = None
) -> AsyncIterator[ClientConnection]:
    async with _socket(server, token) as ws:
        variables = {"after": after, "customer": customer}
        subscribe = {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": STREAM, "variables": variables},
        }
        await ws.send(json.dumps(subscribe))
        await asyncio.sleep(0.3)  # attached: the server has nothing to say until an event
        yield ws


async def _next(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    event: dict[str, Any] = message["payload"]["data"]["activityAdded"]
    return event


async def _nothing_more(ws: ClientConnection, wait: float = 0.7) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), wait)


async def _change(server: Server, token: str, subscription: models.Subscription, q: int) -> None:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        response = await client.post(
            server.graphql_url,
            json={
                "query": CHANGE,
                "variables": {"id": gid("CustomerSubscription", subscription.id), "q": q},
            },
        )
    assert response.json()["data"] == {"changeQuantity": {"userErrors": []}}, response.text


def _expected(subscription: models.Subscription, quantity: int) -> dict[str, Any]:
    return {
        "operation": "CHANGE_QUANTITY",
        "after": {"quantity": quantity},
        "subscription": {"id": gid("CustomerSubscription", subscription.id)},
        "customer": {"id": gid_customer(subscription.customer_id)},
    }


def gid_customer(pk: int) -> str:
    return gid("Customer", pk)


def _without_id(event: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in event.items() if key != "id"}


async def test_an_event_reaches_its_subscriber_within_a_second(
    arranged: Arranged, server: Server
) -> None:
    token = arranged.tokens["GLOBAL_ADMIN"]
    async with _stream(server, token) as ws:
        started = time.monotonic()
        await _change(server, token, arranged.world.independent_a, 7)
        event = await _next(ws)
        assert time.monotonic() - started < 1.0
        assert _without_id(event) == _expected(arranged.world.independent_a, 7)


async def test_each_subscriber_sees_exactly_its_own_in_commit_order(
    arranged: Arranged, server: Server
) -> None:
    w, a, b = arranged.world, arranged.tokens["GLOBAL_ADMIN"], arranged.tokens["B_ADMIN"]
    async with (
        _stream(server, a) as a_all,
        _stream(server, a, customer=gid_customer(w.shared.id)) as a_shared,
        _stream(server, b) as b_all,
    ):
        await _change(server, a, w.independent_a, 3)
        await _change(server, b, w.shared_b, 4)
        await _change(server, a, w.shared_a, 5)
        await _change(server, b, w.b_only_b, 6)
        seen_a = [_without_id(await _next(a_all)) for _ in range(2)]
        assert seen_a == [_expected(w.independent_a, 3), _expected(w.shared_a, 5)]
        assert [_without_id(await _next(a_shared))] == [_expected(w.shared_a, 5)]
        seen_b = [_without_id(await _next(b_all)) for _ in range(2)]
        assert seen_b == [_expected(w.shared_b, 4), _expected(w.b_only_b, 6)]
        for ws in (a_all, a_shared, b_all):
            await _nothing_more(ws)


async def test_a_resume_with_after_misses_nothing_and_repeats_nothing(
    arranged: Arranged, server: Server
) -> None:
    w, token = arranged.world, arranged.tokens["GLOBAL_ADMIN"]
    async with _stream(server, token) as ws:
        await _change(server, token, w.independent_a, 2)
        first = await _next(ws)
    await _change(server, token, w.independent_a, 3)
    await _change(server, token, w.shared_a, 4)
    async with _stream(server, token, after=first["id"]) as ws:
        replayed = [await _next(ws) for _ in range(2)]
        await _change(server, token, w.independent_a, 5)
        live = await _next(ws)
        await _nothing_more(ws)
    assert [_without_id(e) for e in (*replayed, live)] == [
        _expected(w.independent_a, 3),
        _expected(w.shared_a, 4),
        _expected(w.independent_a, 5),
    ]
    ids = [first["id"], *(e["id"] for e in replayed), live["id"]]
    assert len(set(ids)) == 4


async def test_protocol_refusals_close_with_their_codes(arranged: Arranged, server: Server) -> None:
    async def closed_with(messages: list[Any]) -> int | None:
        async with connect(_ws_url(server), subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            for message in messages:
                await ws.send(message if isinstance(message, str) else json.dumps(message))
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(ws.recv(), 3)
            return None if closed.value.rcvd is None else closed.value.rcvd.code

    token = arranged.tokens["GLOBAL_ADMIN"]
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    bad = {"type": "connection_init", "payload": {"Authorization": "Bearer csp_0000000000000000_x"}}
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": STREAM}}
    assert await closed_with([bad]) == 4403
    assert await closed_with([{"type": "connection_init", "payload": {}}]) == 4403
    assert await closed_with(["not json"]) == 4400
    assert await closed_with([subscribe]) == 4401
    assert await closed_with([init, init]) == 4429
    assert await closed_with([init, subscribe, subscribe]) == 4409


async def test_a_query_over_the_socket_gets_a_coded_error(
    arranged: Arranged, server: Server
) -> None:
    async with _socket(server, arranged.tokens["GLOBAL_ADMIN"]) as ws:
        await ws.send(
            json.dumps(
                {"id": "q", "type": "subscribe", "payload": {"query": "{ viewer { name } }"}}
            )
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 2))
        assert message["type"] == "error" and message["id"] == "q"
        assert [e["extensions"]["code"] for e in message["payload"]] == ["BAD_REQUEST"]
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 2)) == {"type": "pong"}


async def test_a_revoked_key_ends_its_stream(arranged: Arranged, server: Server) -> None:
    w, token = arranged.world, arranged.tokens["GLOBAL_ADMIN"]
    async with _stream(server, token) as ws:
        await asyncio.sleep(1.0)  # past the second in which a checked key is trusted
        async with arranged.database.write_sessions.begin() as session:
            await session.execute(
                update(models.ApiKey)
                .where(models.ApiKey.key_id == token.split("_")[1])
                .values(revoked_at=utcnow())
            )
        # An event the stream would otherwise deliver, by another of the partner's people.
        await _change(server, arranged.tokens["ADMIN_AGENT"], w.independent_a, 9)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 1.0)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


@pytest.mark.postgres
async def test_a_change_through_one_process_reaches_a_subscriber_of_another(
    postgres_url: str, tmp_path: Path
) -> None:
    arranged = await _arrange(postgres_url)
    token = arranged.tokens["GLOBAL_ADMIN"]
    try:
        with (
            running_server(postgres_url, tmp_path) as one,
            running_server(postgres_url, tmp_path) as two,
        ):
            async with _stream(one, token) as ws:
                started = time.monotonic()
                await _change(two, token, arranged.world.independent_a, 8)
                event = await _next(ws)
                assert time.monotonic() - started < 1.0
                assert _without_id(event) == _expected(arranged.world.independent_a, 8)
    finally:
        await arranged.database.dispose()


def _customer_record(customer: models.Customer) -> Any:
    """A customer's record, as the system would write it: no subscription, no version."""
    return insert(models.Activity).values(
        customer_id=customer.id,
        actor_kind="SYSTEM",
        actor_name="system",
        operation="CREATE_CUSTOMER",
        after={"companyName": customer.company_name},
        created_at=utcnow(),
    )


@pytest.mark.postgres
async def test_transactions_committing_out_of_id_order_lose_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    """EVENTS.md's trap: T1 draws an id and stays open, T2 draws the next and commits. A reader
    that moved past T2's id would never see T1's; ours waits for T1, then delivers both."""
    arranged = await _arrange(postgres_url)
    w, token = arranged.world, arranged.tokens["GLOBAL_ADMIN"]
    try:
        with running_server(postgres_url, tmp_path) as server:
            async with _stream(server, token) as ws:
                async with arranged.database.engine.connect() as t1:
                    await t1.execute(_customer_record(w.shared))
                    await _change(server, token, w.independent_a, 7)  # T2
                    await _nothing_more(ws, 1.5)  # held back while T1 may still commit
                    await t1.commit()
                first, second = await _next(ws), await _next(ws)
                assert [first["operation"], second["operation"]] == [
                    "CREATE_CUSTOMER",
                    "CHANGE_QUANTITY",
                ]
                assert first["customer"] == {"id": gid_customer(w.shared.id)}
                # A rolled-back id is a gap for good: the reader skips it once T3 has ended.
                async with arranged.database.engine.connect() as t3:
                    await t3.execute(_customer_record(w.shared))
                    await _change(server, token, w.independent_a, 8)
                    await t3.rollback()
                assert _without_id(await _next(ws)) == _expected(w.independent_a, 8)
                await _nothing_more(ws)
    finally:
        await arranged.database.dispose()


async def test_limits_per_key_and_connection_and_the_periodic_key_check(
    arranged: Arranged, database_url: str, tmp_path: Path
) -> None:
    env = {
        "WS_CONNECTIONS_PER_KEY": "1",
        "WS_OPERATIONS_PER_CONNECTION": "1",
        "WS_KEY_RECHECK_S": "1",
        # A subscribe is charged its price (3) once, as a request is: the second finds 1 left.
        "RATE_LIMIT_CAPACITY": "4",
        "MAX_QUERY_COST": "4",
        "RATE_LIMIT_REFILL_PER_SECOND": "1",
    }
    token = arranged.tokens["GLOBAL_ADMIN"]
    with running_server(database_url, tmp_path, env=env) as server:
        async with _stream(server, token) as ws:
            second = {"id": "2", "type": "subscribe", "payload": {"query": STREAM}}
            await ws.send(json.dumps(second))
            message = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert message["type"] == "error" and message["id"] == "2"
            assert [e["extensions"]["code"] for e in message["payload"]] == ["TOO_MANY_OPERATIONS"]
            await ws.send(json.dumps({"id": "1", "type": "complete"}))
            await ws.send(json.dumps({**second, "id": "3"}))
            message = json.loads(await asyncio.wait_for(ws.recv(), 2))
            assert message["type"] == "error" and message["id"] == "3"
            assert [e["extensions"]["code"] for e in message["payload"]] == ["RATE_LIMITED"]
            async with connect(_ws_url(server), subprotocols=["graphql-transport-ws"]) as other:  # type: ignore[list-item]
                init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
                await other.send(json.dumps(init))
                with pytest.raises(ConnectionClosed) as refused:
                    await asyncio.wait_for(other.recv(), 2)
                assert refused.value.rcvd is not None and refused.value.rcvd.code == 1013
            # Revoked with no event to deliver: the periodic check ends the stream.
            async with arranged.database.write_sessions.begin() as session:
                await session.execute(
                    update(models.ApiKey)
                    .where(models.ApiKey.key_id == token.split("_")[1])
                    .values(revoked_at=utcnow())
                )
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 2.5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_resume_replays_at_most_500_and_sees_what_the_viewer_sees(
    database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as session:
        for customer in (world.shared, world.b_only):
            await session.execute(_customer_record(customer))
        ids = [1, 2]
    a, b = world.viewer("GLOBAL_ADMIN"), world.viewer("B_ADMIN")
    async with database.read_sessions() as session:
        assert await activity_stream.visible_among(session, [a, b], ids) == [{1}, {1, 2}]
        assert [r.id for r in await activity_stream.missed(session, b, 0, 2, None)] == [1, 2]
        assert [r.id for r in await activity_stream.missed(session, b, 1, 2, None)] == [2]
        assert await activity_stream.missed(session, b, 0, 2, world.b_only.id) == [
            await session.get(models.Activity, 2)
        ]
    async with database.write_sessions.begin() as session:
        for _ in range(activity_stream.MAX_REPLAY - 1):
            await session.execute(_customer_record(world.shared))
    async with database.read_sessions() as session:
        replayed = await activity_stream.missed(session, a, 0, 10_000, None)
        assert len(replayed) == activity_stream.MAX_REPLAY
    async with database.write_sessions.begin() as writer:
        await writer.execute(_customer_record(world.shared))
    async with database.read_sessions() as session:
        with pytest.raises(DomainError) as refused:
            await activity_stream.missed(session, a, 0, 10_000, None)
        assert refused.value.code == "RESYNC_REQUIRED"


async def test_a_subscription_over_http_is_refused_with_its_code(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": STREAM})
    assert response.status_code == 400
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["BAD_REQUEST"]
