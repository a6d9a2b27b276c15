"""Webhooks: endpoints through GraphQL, the outbox written with each change, and delivery by
real server processes to a real HTTP receiver, signatures checked with the `standardwebhooks`
package (the spec's own verifier, independent of our signing code).

Server processes here run with a shrunken retry schedule (`FAST`): five retries 0.1 s apart,
a 2 s lease (a killed worker's claim runs out quickly) and a 1 s HTTP timeout."""

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select, update
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

import models
from infra.database import Database
from infra.webhook_delivery import Attempt, Due, Sender
from infra.webhook_targets import Target, TargetRefused, forbidden, parse
from models.base import utcnow
from services import activity, outbox
from services.webhooks import Outbox, Schedule
from settings import Settings
from tests.conftest import StatementCounter
from tests.factories import World, token_for
from tests.graphql import data, gid
from tests.processes import Server, free_port, running_server
from tests.snapshots import snapshot

FAST = {
    "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    "WEBHOOK_POLL_MS": "50",
    "WEBHOOK_RETRY_DELAYS_S": "0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1",
    "WEBHOOK_TIMEOUT_S": "1",
    "WEBHOOK_LEASE_S": "2",
}
PUBLIC = "https://93.184.215.14/hooks"  # a public address: no DNS needed to accept it

CREATE = """
mutation($url: String!, $types: [WebhookEventType!]!) {
  createWebhookEndpoint(input: {url: $url, eventTypes: $types}) {
    endpoint { id url eventTypes enabled } secret userErrors { field code }
  }
}"""
UPDATE = """
mutation($id: ID!, $url: String, $enabled: Boolean, $types: [WebhookEventType!]) {
  updateWebhookEndpoint(input: {id: $id, url: $url, enabled: $enabled, eventTypes: $types}) {
    endpoint { id url eventTypes enabled } userErrors { code }
  }
}"""
ROTATE = """
mutation($id: ID!) {
  rotateWebhookSecret(input: {id: $id}) { endpoint { id } secret userErrors { code } }
}"""
DELETE = """
mutation($id: ID!) { deleteWebhookEndpoint(input: {id: $id}) { deletedId userErrors { code } } }
"""
LIST = """
{ webhookEndpoints { totalCount nodes { id url eventTypes enabled
    deliveries { totalCount nodes { eventId eventType status attempts lastResponseStatus } } } } }
"""
CHANGE_QUANTITY = """
mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { quantity } userErrors { code }
  }
}"""


# --- endpoints through GraphQL --------------------------------------------------------------------


async def _endpoints(database: Database) -> list[tuple[Any, ...]]:
    e = models.WebhookEndpoint
    async with database.read_sessions() as s:
        rows = await s.execute(
            select(e.id, e.partner_id, e.url, e.event_types, e.enabled, e.secret)
        )
        return [tuple(row) for row in rows]


async def _deliveries(database: Database) -> list[tuple[Any, ...]]:
    d = models.WebhookDelivery
    async with database.read_sessions() as s:
        # An event's rows for several endpoints come from one INSERT ... SELECT, in no set order.
        stmt = select(d.endpoint_id, d.activity_id, d.event_type, d.status).order_by(
            d.activity_id, d.endpoint_id
        )
        return [tuple(row) for row in await s.execute(stmt)]


async def test_create_list_update_rotate_delete(database: Database, world: World) -> None:
    admin = world.viewer("GLOBAL_ADMIN")
    created = (
        await data(database, admin, CREATE, {"url": PUBLIC, "types": ["SUBSCRIPTION_CREATED"]})
    )["createWebhookEndpoint"]
    endpoint = created["endpoint"]
    assert endpoint == {
        "id": gid("WebhookEndpoint", 1),
        "url": PUBLIC,
        "eventTypes": ["SUBSCRIPTION_CREATED"],
        "enabled": True,
    }
    assert created["userErrors"] == []
    secret = created["secret"]
    assert secret.startswith("whsec_") and len(Webhook(secret)._whsecret) == 32
    assert await _endpoints(database) == [(1, world.partner_a.id, PUBLIC, 0b0001, True, secret)]
    changed = (
        await data(
            database,
            world.viewer("ADMIN_AGENT"),
            UPDATE,
            {
                "id": endpoint["id"],
                "enabled": False,
                "types": ["SUBSCRIPTION_UPDATED", "CUSTOMER_CREATED"],
            },
        )
    )["updateWebhookEndpoint"]
    assert changed == {
        "endpoint": {
            "id": endpoint["id"],
            "url": PUBLIC,
            "eventTypes": ["SUBSCRIPTION_UPDATED", "CUSTOMER_CREATED"],
            "enabled": False,
        },
        "userErrors": [],
    }
    rotated = (await data(database, admin, ROTATE, {"id": endpoint["id"]}))["rotateWebhookSecret"]
    assert rotated["userErrors"] == [] and rotated["secret"] not in (None, secret)
    async with database.read_sessions() as s:
        row = await s.get_one(models.WebhookEndpoint, 1)
    assert (row.secret, row.previous_secret) == (rotated["secret"], secret)
    assert row.previous_secret_expires_at is not None
    assert abs(row.previous_secret_expires_at - (utcnow() + timedelta(hours=24))) < timedelta(
        minutes=1
    )
    listed = (await data(database, admin, LIST))["webhookEndpoints"]
    assert listed["totalCount"] == 1
    assert listed["nodes"][0]["deliveries"] == {"totalCount": 0, "nodes": []}
    deleted = (await data(database, admin, DELETE, {"id": endpoint["id"]}))["deleteWebhookEndpoint"]
    assert deleted == {"deletedId": endpoint["id"], "userErrors": []}
    assert await _endpoints(database) == []


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://93.184.215.14/hooks", "INVALID_URL"),  # not https
        ("https://127.0.0.1/hooks", "INVALID_URL"),
        ("https://10.1.2.3/hooks", "INVALID_URL"),
        ("https://169.254.169.254/latest/meta-data", "INVALID_URL"),
        ("https://localhost/hooks", "INVALID_URL"),  # a name resolving to loopback
        ("https://[::ffff:127.0.0.1]/hooks", "INVALID_URL"),  # IPv4-mapped loopback
        ("https://[::1]/hooks", "INVALID_URL"),
        ("https://224.0.0.1/hooks", "INVALID_URL"),  # multicast
        ("https://user:pw@93.184.215.14/hooks", "INVALID_URL"),
        ("not a url", "INVALID_URL"),
    ],
)
async def test_creation_refuses_urls_that_are_not_public_https(
    database: Database, world: World, url: str, code: str
) -> None:
    before = (await snapshot(database), await _endpoints(database))
    answer = (
        await data(
            database,
            world.viewer("GLOBAL_ADMIN"),
            CREATE,
            {"url": url, "types": ["SUBSCRIPTION_UPDATED"]},
        )
    )["createWebhookEndpoint"]
    assert answer == {
        "endpoint": None,
        "secret": None,
        "userErrors": [{"field": ["input", "url"], "code": code}],
    }
    assert (await snapshot(database), await _endpoints(database)) == before


def test_the_guard_classifies_addresses() -> None:
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
    ):
        assert forbidden(address), address
    for address in ("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"):
        assert not forbidden(address), address
    with pytest.raises(TargetRefused):
        parse("http://93.184.215.14/", allow_private=False)
    assert parse("http://127.0.0.1:8080/a?b=1", allow_private=True).path == "/a?b=1"


async def test_only_administrators_manage_and_only_their_own(
    database: Database, world: World
) -> None:
    created = (
        await data(
            database,
            world.viewer("GLOBAL_ADMIN"),
            CREATE,
            {"url": PUBLIC, "types": ["SUBSCRIPTION_UPDATED"]},
        )
    )["createWebhookEndpoint"]
    endpoint_id = created["endpoint"]["id"]
    before = (await snapshot(database), await _endpoints(database))
    for key in ("SALES_AGENT", "HELPDESK_AGENT", "BILLING_ADMIN", "INDEPENDENT_ADMIN"):
        viewer = world.viewer(key)
        answer = await data(
            database, viewer, CREATE, {"url": PUBLIC, "types": ["SUBSCRIPTION_UPDATED"]}
        )
        assert answer["createWebhookEndpoint"]["userErrors"] == [
            {"field": None, "code": "FORBIDDEN"}
        ]
        answer = await data(database, viewer, ROTATE, {"id": endpoint_id})
        assert answer["rotateWebhookSecret"]["userErrors"] == [{"code": "FORBIDDEN"}]
        assert (await data(database, viewer, LIST))["webhookEndpoints"]["totalCount"] == 0
    other = world.viewer("B_ADMIN")
    for query in (ROTATE, DELETE, UPDATE):
        answer = await data(database, other, query, {"id": endpoint_id})
        assert next(iter(answer.values()))["userErrors"] == [{"code": "NOT_FOUND"}]
    assert (await data(database, other, LIST))["webhookEndpoints"]["totalCount"] == 0
    node = await data(
        database, other, "query($id: ID!) { node(id: $id) { id } }", {"id": endpoint_id}
    )
    assert node == {"node": None}
    assert (await snapshot(database), await _endpoints(database)) == before


# --- the outbox -----------------------------------------------------------------------------------


async def _endpoint(
    database: Database, partner: models.Partner, types: list[str], enabled: bool = True
) -> int:
    async with database.write_sessions.begin() as s:
        row = models.WebhookEndpoint(
            partner_id=partner.id,
            url=PUBLIC,
            event_types=outbox.event_bits(types),
            enabled=enabled,
            secret="whsec_" + "A" * 44,
            created_at=utcnow(),
        )
        s.add(row)
        await s.flush()
        return row.id


async def test_each_change_queues_one_delivery_per_endpoint_that_may_see_it(
    database: Database, world: World
) -> None:
    everything = list(outbox.EVENT_TYPES)
    a = await _endpoint(database, world.partner_a, everything)
    a_created_only = await _endpoint(database, world.partner_a, ["SUBSCRIPTION_CREATED"])
    await _endpoint(database, world.partner_a, everything, enabled=False)
    b = await _endpoint(database, world.partner_b, everything)

    async def change(key: str, sub: models.Subscription, quantity: int) -> int:
        answer = await data(
            database,
            world.viewer(key),
            CHANGE_QUANTITY,
            {"id": gid("CustomerSubscription", sub.id), "q": quantity},
        )
        assert answer["changeQuantity"]["userErrors"] == []
        async with database.read_sessions() as s:
            return (
                await s.scalars(select(models.Activity.id).order_by(models.Activity.id.desc()))
            ).first() or 0

    by_a = await change("GLOBAL_ADMIN", world.shared_a, 11)  # A's sale: B never hears of it
    by_b = await change("B_ADMIN", world.shared_b, 12)  # B's sale: A never hears of it
    direct = await change("INDEPENDENT_ADMIN", world.independent_direct, 13)  # A's customer
    bought = (
        await data(
            database,
            world.viewer("GLOBAL_ADMIN"),
            """
        mutation($c: ID!, $o: ID!) {
          addSubscription(input: {customerId: $c, offerId: $o, quantity: 2}) { userErrors { code } }
        }""",
            {"c": gid("Customer", world.shared.id), "o": gid("Offer", world.basic.id)},
        )
    )["addSubscription"]
    assert bought == {"userErrors": []}
    async with database.write_sessions.begin() as s:
        # The system's change (an add-on following its base), and a customer's creation.
        base = await s.get_one(models.Subscription, world.shared_a.id)
        base.version += 1
        await s.flush()
        await activity.record(
            s, activity.SYSTEM, base, "CHANGE_STATUS", {"status": "ACTIVE"}, {"status": "SUSPENDED"}
        )
        record = models.Activity(
            customer_id=world.shared.id,
            actor_kind="SYSTEM",
            actor_name="system",
            operation="CREATE_CUSTOMER",
            after={"companyName": "Shared Co"},
            created_at=utcnow(),
        )
        s.add(record)
        await s.flush()
        await (await s.connection()).execute(outbox.enqueue_one(), {"recorded_id": record.id})
    async with database.read_sessions() as s:
        ids = list((await s.scalars(select(models.Activity.id).order_by(models.Activity.id))).all())
    purchase, system, customer = ids[-3:]
    assert await _deliveries(database) == [
        (a, by_a, "SUBSCRIPTION_UPDATED", "PENDING"),
        (b, by_b, "SUBSCRIPTION_UPDATED", "PENDING"),
        (a, direct, "SUBSCRIPTION_UPDATED", "PENDING"),
        (a, purchase, "SUBSCRIPTION_CREATED", "PENDING"),
        (a_created_only, purchase, "SUBSCRIPTION_CREATED", "PENDING"),
        (a, system, "SUBSCRIPTION_LIFECYCLE", "PENDING"),
        # The customer is A's and B's: both hear of its creation.
        (a, customer, "CUSTOMER_CREATED", "PENDING"),
        (b, customer, "CUSTOMER_CREATED", "PENDING"),
    ]


async def test_a_refused_change_queues_nothing(database: Database, world: World) -> None:
    await _endpoint(database, world.partner_a, list(outbox.EVENT_TYPES))
    answer = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        CHANGE_QUANTITY,
        {"id": gid("CustomerSubscription", world.shared_a.id), "q": 0},
    )
    assert answer["changeQuantity"]["userErrors"] == [{"code": "QUANTITY_OUT_OF_RANGE"}]
    assert await _deliveries(database) == []


# --- delivery by real servers to a real receiver --------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()


@dataclass
class Receiver:
    """A plain ASGI app under uvicorn on a loopback port: records every request; answers 500
    to the first `failures`, and holds the first one unanswered when `hang_first`."""

    failures: int = 0
    hang_first: bool = False
    redirect: bool = False
    port: int = field(default_factory=free_port)
    requests: list[Received] = field(default_factory=list)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.requests.append(Received(scope["path"], headers, body, time.monotonic()))
        index = len(self.requests) - 1
        if self.hang_first and index == 0:
            await asyncio.sleep(3600)
        if self.redirect:
            location = [(b"location", self.url("/elsewhere").encode())]
            await send({"type": "http.response.start", "status": 302, "headers": location})
            await send({"type": "http.response.body", "body": b""})
            return
        status = 500 if index < self.failures else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"thanks"})

    async def wait_for(self, count: int, within: float) -> None:
        async def arrived() -> bool:
            return len(self.requests) >= count

        await _eventually(arrived, within)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    config = uvicorn.Config(
        found,
        host="127.0.0.1",
        port=found.port,
        lifespan="off",
        log_level="error",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await _eventually(started)
    yield found
    server.should_exit = True
    await task


@dataclass
class Api:
    server: Server
    tokens: dict[str, str]

    async def post(self, key: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.tokens[key]}"}
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                self.server.graphql_url,
                json={"query": query, "variables": variables},
                headers=headers,
            )
        body = response.json()
        assert "errors" not in body, body
        result: dict[str, Any] = next(iter(body["data"].values()))
        return result

    async def endpoint(self, key: str, url: str, types: list[str]) -> tuple[str, str]:
        created = await self.post(key, CREATE, {"url": url, "types": types})
        assert created["userErrors"] == []
        return created["endpoint"]["id"], created["secret"]

    async def change(self, key: str, sub: models.Subscription, quantity: int) -> float:
        """The moment the mutation was sent: its commit came after."""
        sent = time.monotonic()
        changed = await self.post(
            key, CHANGE_QUANTITY, {"id": gid("CustomerSubscription", sub.id), "q": quantity}
        )
        assert changed == {"subscription": {"quantity": quantity}, "userErrors": []}
        return sent


async def _tokens(database: Database, world: World, *keys: str) -> dict[str, str]:
    async with database.write_sessions.begin() as s:
        return {key: await token_for(s, world.principals[key]) for key in keys}


def _verified(received: Received, secret: str) -> dict[str, Any]:
    """The spec's verifier: signature over id.timestamp.body, timestamp within 5 minutes."""
    payload: dict[str, Any] = Webhook(secret).verify(received.body, received.headers)
    return payload


async def _delivery_rows(database: Database) -> list[tuple[Any, ...]]:
    d = models.WebhookDelivery
    async with database.read_sessions() as s:
        stmt = select(d.id, d.status, d.attempts, d.last_response_status).order_by(d.id)
        return [tuple(row) for row in await s.execute(stmt)]


async def _eventually(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """Until `check` holds, for at most `within` seconds."""
    deadline = time.monotonic() + within
    for _ in range(int(within / 0.01) + 1):
        if await check():
            return
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.01)
    raise AssertionError("not in time")


@pytest.mark.slow
async def test_an_event_reaches_its_partner_signed_within_a_second(
    database_url: str, database: Database, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    tokens = await _tokens(database, world, "GLOBAL_ADMIN", "B_ADMIN")
    with running_server(database_url, tmp_path, env=FAST) as server:
        api = Api(server, tokens)
        types = ["SUBSCRIPTION_UPDATED"]
        _, secret = await api.endpoint("GLOBAL_ADMIN", receiver.url("/a"), types)
        await api.endpoint("B_ADMIN", receiver.url("/b"), types)
        sent = await api.change("GLOBAL_ADMIN", world.shared_a, 17)
        await receiver.wait_for(1, within=1.0)
        [got] = receiver.requests
        assert got.at - sent < 1.0
        assert got.path == "/a"  # B never hears of A's sale of a customer they share
        payload = _verified(got, secret)
        assert got.headers["webhook-id"] == "msg_1"
        assert got.headers["content-type"] == "application/json"
        assert payload["type"] == "SUBSCRIPTION_UPDATED"
        record = payload["data"]["activity"]
        assert (record["operation"], record["before"], record["after"]) == (
            "CHANGE_QUANTITY",
            {"quantity": 10},
            {"quantity": 17},
        )
        assert record["occurredAt"] == payload["timestamp"]
        subscription = payload["data"]["subscription"]
        assert (subscription["id"], subscription["quantity"], subscription["version"]) == (
            gid("CustomerSubscription", world.shared_a.id),
            17,
            2,
        )
        assert len(got.body) < 20_000

        async def recorded() -> bool:
            return await _delivery_rows(database) == [(1, "SUCCEEDED", 1, 200)]

        await _eventually(recorded)
        listed = await api.post("GLOBAL_ADMIN", LIST, {})
        assert listed["nodes"][0]["deliveries"]["nodes"] == [
            {
                "eventId": str(record["activityId"]),
                "eventType": "SUBSCRIPTION_UPDATED",
                "status": "SUCCEEDED",
                "attempts": 1,
                "lastResponseStatus": 200,
            }
        ]
        await asyncio.sleep(0.5)
        assert [r.path for r in receiver.requests] == ["/a"]


@pytest.mark.slow
async def test_a_receiver_failing_five_times_gets_the_event_once_more(
    database_url: str, database: Database, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.failures = 5
    tokens = await _tokens(database, world, "GLOBAL_ADMIN")
    with running_server(database_url, tmp_path, env=FAST) as server:
        api = Api(server, tokens)
        _, secret = await api.endpoint("GLOBAL_ADMIN", receiver.url(), ["SUBSCRIPTION_UPDATED"])
        await api.change("GLOBAL_ADMIN", world.shared_a, 18)
        await receiver.wait_for(6, within=5.0)

        async def recorded() -> bool:
            return await _delivery_rows(database) == [(1, "SUCCEEDED", 6, 200)]

        await _eventually(recorded)
        await asyncio.sleep(1.0)  # ten retry intervals: nothing more comes
    assert len(receiver.requests) == 6
    assert {r.headers["webhook-id"] for r in receiver.requests} == {"msg_1"}
    assert {r.body for r in receiver.requests} == {receiver.requests[0].body}
    for received in receiver.requests:
        assert _verified(received, secret)["type"] == "SUBSCRIPTION_UPDATED"


@pytest.mark.slow
async def test_a_server_killed_mid_delivery_loses_no_event(
    database_url: str, database: Database, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.hang_first = True
    tokens = await _tokens(database, world, "GLOBAL_ADMIN")
    with running_server(database_url, tmp_path, env=FAST) as server:
        api = Api(server, tokens)
        _, secret = await api.endpoint("GLOBAL_ADMIN", receiver.url(), ["SUBSCRIPTION_UPDATED"])
        await api.change("GLOBAL_ADMIN", world.shared_a, 19)
        await receiver.wait_for(1, within=1.0)
        assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    # Claimed, never answered: the row is as it was, its lease running out.
    assert await _delivery_rows(database) == [(1, "PENDING", 0, None)]
    with running_server(database_url, tmp_path, env=FAST):
        await receiver.wait_for(2, within=5.0)

        async def recorded() -> bool:
            return await _delivery_rows(database) == [(1, "SUCCEEDED", 1, 200)]

        await _eventually(recorded)
    first, again = receiver.requests
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == "msg_1"
    assert again.body == first.body
    assert _verified(again, secret)["data"]["subscription"]["quantity"] == 19


@pytest.mark.slow
async def test_after_a_rotation_both_secrets_sign_for_a_day(
    database_url: str, database: Database, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    tokens = await _tokens(database, world, "GLOBAL_ADMIN")
    with running_server(database_url, tmp_path, env=FAST) as server:
        api = Api(server, tokens)
        endpoint_id, old = await api.endpoint(
            "GLOBAL_ADMIN", receiver.url(), ["SUBSCRIPTION_UPDATED"]
        )
        rotated = await api.post("GLOBAL_ADMIN", ROTATE, {"id": endpoint_id})
        new = rotated["secret"]
        await api.change("GLOBAL_ADMIN", world.shared_a, 20)
        await receiver.wait_for(1, within=1.0)
        during = receiver.requests[0]
        assert len(during.headers["webhook-signature"].split(" ")) == 2
        assert _verified(during, new) == _verified(during, old)
        # A day later (the overlap's end, moved here rather than waited for): the new one only.
        async with database.write_sessions.begin() as s:
            await s.execute(
                update(models.WebhookEndpoint).values(previous_secret_expires_at=utcnow())
            )
        await api.change("GLOBAL_ADMIN", world.shared_a, 21)
        await receiver.wait_for(2, within=1.0)
    after = receiver.requests[1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    assert _verified(after, new)["data"]["subscription"]["quantity"] == 21
    with pytest.raises(WebhookVerificationError):
        _verified(after, old)


@pytest.mark.slow
async def test_delivery_refuses_private_targets_after_resolving_them(
    database_url: str, database: Database, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    """Endpoints saved while private targets were allowed (or pointed there by DNS since):
    a server without the setting checks every attempt and connects to none of them."""
    urls = [
        f"https://127.0.0.1:{receiver.port}/hook",
        f"https://localhost:{receiver.port}/hook",  # a name resolving to loopback
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
    ]
    async with database.write_sessions.begin() as s:
        for url in urls:
            s.add(
                models.WebhookEndpoint(
                    partner_id=world.partner_a.id,
                    url=url,
                    enabled=True,
                    created_at=utcnow(),
                    event_types=outbox.event_bits(["SUBSCRIPTION_UPDATED"]),
                    secret="whsec_" + "A" * 44,
                )
            )
    tokens = await _tokens(database, world, "GLOBAL_ADMIN")
    env = {**FAST, "WEBHOOK_ALLOW_PRIVATE_TARGETS": "false"}
    with running_server(database_url, tmp_path, env=env) as server:
        await Api(server, tokens).change("GLOBAL_ADMIN", world.shared_a, 22)
        d = models.WebhookDelivery

        async def attempted() -> bool:
            async with database.read_sessions() as s:
                rows = (
                    await s.execute(
                        select(d.attempts, d.status, d.last_response_status, d.last_error)
                    )
                ).all()
            return len(rows) == 4 and all(row.attempts >= 1 for row in rows)

        await _eventually(attempted)
    async with database.read_sessions() as s:
        rows = (await s.execute(select(d.status, d.last_response_status, d.last_error))).all()
    for status, response_status, error in rows:
        assert (status, response_status) == ("PENDING", None)
        assert error is not None
        assert error.startswith("refused: the host resolves to a non-public address"), error
    assert receiver.requests == []


# --- what an attempt's outcome means (the outbox's rules, without HTTP) ---------------------------

SCHEDULE = Schedule(delays=(10.0, 100.0), disable_after=timedelta(days=5))


async def _queued(database: Database, world: World) -> tuple[int, Due]:
    """One endpoint of partner A, one change of A's: its delivery, claimed."""
    endpoint = await _endpoint(database, world.partner_a, ["SUBSCRIPTION_UPDATED"])
    await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        CHANGE_QUANTITY,
        {"id": gid("CustomerSubscription", world.shared_a.id), "q": 11},
    )
    async with database.write_sessions.begin() as s:
        [due] = await Outbox(SCHEDULE).claim(s, utcnow(), 10, timedelta(seconds=60))
    return endpoint, due


async def _finish(database: Database, due: Due, attempt: Attempt, at: datetime) -> None:
    async with database.write_sessions.begin() as s:
        await Outbox(SCHEDULE).finish(s, [(due, attempt)], at)


async def _state(database: Database) -> tuple[Any, ...]:
    async with database.read_sessions() as s:
        d = (await s.scalars(select(models.WebhookDelivery))).one()
        e = await s.get_one(models.WebhookEndpoint, d.endpoint_id)
        return (d.status, d.attempts, d.last_response_status, d.next_attempt_at, e.enabled)


async def test_failures_follow_the_schedule_then_give_up(database: Database, world: World) -> None:
    _, due = await _queued(database, world)
    async with database.write_sessions.begin() as s:  # leased: nobody else claims it
        assert await Outbox(SCHEDULE).claim(s, utcnow(), 10, timedelta(seconds=60)) == []
    now = utcnow()
    await _finish(database, due, Attempt(503), now)
    status, attempts, code, next_at, enabled = await _state(database)
    assert (status, attempts, code, enabled) == ("PENDING", 1, 503, True)
    assert timedelta(seconds=9) <= next_at - now <= timedelta(seconds=11)  # 10 s +-10 %
    await _finish(database, due, Attempt(None, "ConnectError", retry_after_s=None), now)
    await _finish(database, due, Attempt(429, None, retry_after_s=1000.0), now)
    # Three attempts, two retries in the schedule: given up, and the endpoint still on.
    assert await _state(database) == ("FAILED", 3, 429, None, True)


async def test_retry_after_is_honoured(database: Database, world: World) -> None:
    _, due = await _queued(database, world)
    now = utcnow()
    await _finish(database, due, Attempt(429, None, retry_after_s=1000.0), now)
    assert (await _state(database))[3] == now + timedelta(seconds=1000)


async def test_gone_disables_the_endpoint(database: Database, world: World) -> None:
    _, due = await _queued(database, world)
    await _finish(database, due, Attempt(410), utcnow())
    assert await _state(database) == ("FAILED", 1, 410, None, False)


async def test_failing_for_five_days_disables_the_endpoint(
    database: Database, world: World
) -> None:
    endpoint, due = await _queued(database, world)
    async with database.write_sessions.begin() as s:
        row = await s.get_one(models.WebhookEndpoint, endpoint)
        row.failing_since = utcnow() - timedelta(days=5)
    await _finish(database, due, Attempt(500), utcnow())
    assert await _state(database) == ("FAILED", 1, 500, None, False)


async def test_a_success_clears_the_failing_streak(database: Database, world: World) -> None:
    endpoint, due = await _queued(database, world)
    await _finish(database, due, Attempt(500), utcnow())
    async with database.write_sessions.begin() as s:
        assert (await s.get_one(models.WebhookEndpoint, endpoint)).failing_since is not None
    await _finish(database, due, Attempt(204), utcnow())
    assert await _state(database) == ("SUCCEEDED", 2, 204, None, True)
    async with database.read_sessions() as s:
        assert (await s.get_one(models.WebhookEndpoint, endpoint)).failing_since is None


def test_a_checked_target_is_reached_by_its_address_under_its_name() -> None:
    """The POST goes to the address the guard checked (no second lookup), while the Host
    header and TLS name the host."""
    target = Target("https", "hooks.example.com", 443, "/in?x=1", "93.184.215.14")
    assert target.connect_url == "https://93.184.215.14:443/in?x=1"
    assert target.host_header == "hooks.example.com"
    v6 = Target("https", "hooks.example.com", 8443, "/", "2606:4700::1")
    assert (v6.connect_url, v6.host_header) == (
        "https://[2606:4700::1]:8443/",
        "hooks.example.com:8443",
    )


async def test_endpoints_with_their_deliveries_cost_the_same_for_1_and_6(
    database: Database, world: World, sql_counter: StatementCounter
) -> None:
    for _ in range(6):
        await _endpoint(database, world.partner_a, ["SUBSCRIPTION_UPDATED"])
    for quantity in (11, 12):  # two deliveries per endpoint
        await data(
            database,
            world.viewer("GLOBAL_ADMIN"),
            CHANGE_QUANTITY,
            {"id": gid("CustomerSubscription", world.shared_a.id), "q": quantity},
        )
    query = """query($first: Int!) { webhookEndpoints(first: $first) { totalCount nodes {
      id eventTypes deliveries(first: 5) { totalCount nodes { id status eventType } } } } }"""
    counts = []
    for first in (1, 6):
        sql_counter.reset()
        found = await data(database, world.viewer("GLOBAL_ADMIN"), query, {"first": first})
        counts.append(sql_counter.count)
        nodes = found["webhookEndpoints"]["nodes"]
        assert len(nodes) == first
        assert all(n["deliveries"]["totalCount"] == 2 for n in nodes)
    assert counts[0] == counts[1], sql_counter.statements


async def test_an_attempt_follows_no_redirect_and_waits_no_longer_than_its_timeout(
    receiver: Receiver,
) -> None:
    settings = Settings(webhook_allow_private_targets=True, webhook_timeout_s=1, webhook_lease_s=2)
    sender = Sender(settings)
    due = Due(1, 1, receiver.url(), ("whsec_" + "A" * 44,), b"{}")
    try:
        receiver.redirect = True
        assert await sender.send(due, utcnow()) == Attempt(302)
        assert [r.path for r in receiver.requests] == ["/hook"]  # not /elsewhere
        receiver.redirect, receiver.hang_first, receiver.requests = False, True, []
        started = time.monotonic()
        attempt = await sender.send(due, utcnow())
        assert attempt.status is None and attempt.error is not None
        assert attempt.error.startswith("ReadTimeout")
        assert time.monotonic() - started < 2
    finally:
        await sender.close()


async def test_deliveries_page_newest_first(database: Database, world: World) -> None:
    await _endpoint(database, world.partner_a, ["SUBSCRIPTION_UPDATED"])
    for quantity in (11, 12, 13):
        await data(
            database,
            world.viewer("GLOBAL_ADMIN"),
            CHANGE_QUANTITY,
            {"id": gid("CustomerSubscription", world.shared_a.id), "q": quantity},
        )
    async with database.read_sessions() as s:
        ids = (
            await s.scalars(select(models.WebhookDelivery.id).order_by(models.WebhookDelivery.id))
        ).all()
    query = """query($after: String) { webhookEndpoints { nodes {
      deliveries(first: 2, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
    } } }"""
    admin = world.viewer("GLOBAL_ADMIN")
    first = (await data(database, admin, query))["webhookEndpoints"]["nodes"][0]["deliveries"]
    assert [n["id"] for n in first["nodes"]] == [gid("WebhookDelivery", pk) for pk in ids[::-1][:2]]
    assert first["pageInfo"]["hasNextPage"] is True
    after = {"after": first["pageInfo"]["endCursor"]}
    rest = (await data(database, admin, query, after))["webhookEndpoints"]["nodes"][0]["deliveries"]
    assert [n["id"] for n in rest["nodes"]] == [gid("WebhookDelivery", ids[0])]
    assert rest["pageInfo"]["hasNextPage"] is False
