"""The edge against hostile and careless clients: limits, budgets, timeouts, CORS, logs."""

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

import models
from infra.database import Database
from limits.budgets import Budget, Decision, RedisBuckets
from server import create_app
from settings import Settings
from tests.clients import after, app_client, change_quantity, hold_change_lock
from tests.factories import World, token_for
from tests.graphql import gid
from tests.processes import running_server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
Q1 = "{ customers(first: 50) { nodes { subscriptions { nodes { id offer { name } } } } } }"
CHANGE = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { quantity } userErrors { code } } }"""


def _codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


async def test_too_deep_is_refused_with_its_code(client: httpx.AsyncClient) -> None:
    # customers.nodes.subscriptions.nodes.customer.subscriptions.nodes.customer...: 11 levels
    deep = (
        "{ customers { nodes { subscriptions { nodes { customer { subscriptions { nodes {"
        " customer { subscriptions { nodes { id } } } } } } } } } } }"
    )
    response = await client.post("/graphql", json={"query": deep})
    assert response.status_code == 200
    assert _codes(response) == ["QUERY_TOO_DEEP"]
    assert "data" not in response.json()


async def test_ten_levels_are_allowed(client: httpx.AsyncClient) -> None:
    ten = (
        "{ customers { edges { node { subscriptions { edges { node {"
        " offer { prerequisiteOffers { name } } } } } } } } }"
    )
    response = await client.post("/graphql", json={"query": ten})
    assert response.status_code == 200 and "errors" not in response.json()


async def test_too_many_aliases(settings: Settings, database: Database, world: World) -> None:
    limited = replace(settings, max_aliases=3)
    async with app_client(limited, database, world) as client:
        three = " ".join(f"{alias}: viewer {{ name }}" for alias in "abc")
        ok = await client.post("/graphql", json={"query": f"{{ {three} }}"})
        refused = await client.post(
            "/graphql", json={"query": f"{{ {three} d: viewer {{ name }} }}"}
        )
    assert "errors" not in ok.json()
    assert _codes(refused) == ["TOO_MANY_ALIASES"]


async def test_too_many_tokens(settings: Settings, database: Database, world: World) -> None:
    limited = replace(settings, max_tokens=50)
    fields = " ".join(["name"] * 60)
    async with app_client(limited, database, world) as client:
        response = await client.post("/graphql", json={"query": f"{{ viewer {{ {fields} }} }}"})
        syntax = await client.post("/graphql", json={"query": "{ viewer { name "})
    assert _codes(response) == ["TOO_MANY_TOKENS"]
    assert _codes(syntax) == ["GRAPHQL_PARSE_FAILED"]


async def test_cost_is_reported_and_capped(
    settings: Settings, database: Database, world: World
) -> None:
    limited = replace(settings, max_query_cost=5000)
    async with app_client(limited, database, world) as client:
        cheap = await client.post(
            "/graphql", json={"query": "{ customers(first: 10) { totalCount } }"}
        )
        costly = await client.post("/graphql", json={"query": Q1})
        by_variable = await client.post(
            "/graphql",
            json={
                "query": "query($n: Int) { customers(first: $n) {"
                " nodes { subscriptions(first: $n) { nodes { id } } } } }",
                "variables": {"n": 100},
            },
        )
    assert cheap.json()["extensions"]["cost"]["requestedQueryCost"] == 2 + 10
    assert cheap.json()["extensions"]["cost"]["maximumQueryCost"] == 5000
    assert _codes(costly) == ["QUERY_TOO_COSTLY"]
    assert costly.json()["extensions"]["cost"]["requestedQueryCost"] == 2 + 50 * (1 + 2 + 50 * 2)
    assert _codes(by_variable) == ["QUERY_TOO_COSTLY"]


async def test_page_size_above_100_is_bad_user_input(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ customers(first: 101) { totalCount } }"}
    )
    assert response.status_code == 200
    assert _codes(response) == ["BAD_USER_INPUT"]


async def _exhaust(settings: Settings, database: Database, world: World) -> list[httpx.Response]:
    """A budget of 12,000 at 1 token/s: Q1 (cost 5152) passes twice, then is refused."""
    budget = replace(
        settings,
        redis_url=settings.redis_url,
        rate_limit_capacity=12_000,
        max_query_cost=12_000,
        rate_limit_refill_per_second=1,
    )
    async with app_client(budget, database, world) as client:
        return [await client.post("/graphql", json={"query": Q1}) for _ in range(3)]


def _assert_throttled(responses: list[httpx.Response]) -> None:
    first, second, third = responses
    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)
    assert first.json()["extensions"]["cost"]["throttleStatus"] == {
        "maximumAvailable": 12_000,
        "currentlyAvailable": 12_000 - 5152,
        "restoreRate": 1,
    }
    assert _codes(third) == ["RATE_LIMITED"]
    remaining = 12_000 - 2 * 5152
    assert third.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] in (
        remaining,
        remaining + 1,
    )
    assert 5152 - remaining - 1 <= int(third.headers["retry-after"]) <= 5152 - remaining


async def test_rate_limit_in_the_database(
    settings: Settings, database: Database, world: World
) -> None:
    _assert_throttled(await _exhaust(settings, database, world))


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (.ci/run does)")
async def test_rate_limit_in_redis(settings: Settings, database: Database, world: World) -> None:
    with_redis = replace(settings, redis_url=REDIS_URL)
    _assert_throttled(await _exhaust(with_redis, database, world))


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (.ci/run does)")
async def test_redis_charges_most_requests_from_a_local_lease() -> None:
    budget = Budget(capacity=100_000, refill_per_second=5_000)  # leases of 500 tokens
    buckets = RedisBuckets(REDIS_URL, budget)
    key = f"lease-{uuid.uuid4().hex}"

    async def shared() -> float:
        tokens = await buckets.redis.hget(f"csp:rate:{key}", "tokens")
        assert tokens is not None
        return float(tokens)

    try:
        first = await buckets.take(key, 3)
        after_first = await shared()
        rest = [await buckets.take(key, 3) for _ in range(165)]  # 495 more of the lease
        after_lease = await shared()
        next_lease = await buckets.take(key, 3)
        after_next = await shared()
    finally:
        await buckets.redis.delete(f"csp:rate:{key}")
        await buckets.close()
    assert first == Decision(True, 99_997, 0)
    assert after_first == 99_500
    assert rest[-1] == Decision(True, 99_502, 0)  # 2 left in the lease, less than a request
    assert after_lease == 99_500  # no round trip while the lease lasted
    # The 2 went back, a new lease of 500 came out; the bucket refilled a little meanwhile.
    assert next_lease.allowed and 99_002 <= after_next < 99_100


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set TEST_REDIS_URL (.ci/run does)")
async def test_instances_with_leases_never_spend_more_than_the_bucket_holds() -> None:
    budget = Budget(capacity=2_000, refill_per_second=100)  # leases of 10 tokens
    instances = [RedisBuckets(REDIS_URL, budget, lease_s=0.05) for _ in range(2)]
    key = f"lease-{uuid.uuid4().hex}"
    allowed = 0
    started = time.monotonic()
    try:
        exhausted: set[int] = set()
        while len(exhausted) < len(instances):
            for n, instance in enumerate(instances):
                if n not in exhausted:
                    if (await instance.take(key, 1)).allowed:
                        allowed += 1
                    else:
                        exhausted.add(n)
        elapsed = time.monotonic() - started
    finally:
        await instances[0].redis.delete(f"csp:rate:{key}")
        for instance in instances:
            await instance.close()
    assert allowed <= 2_000 + 100 * elapsed
    # Refused early by at most one lease per instance.
    assert allowed >= 2_000 - 2 * 10


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("store", ["database", "redis"])
async def test_two_processes_share_one_budget(
    postgres_url: str, tmp_path: Path, store: str
) -> None:
    if store == "redis" and not REDIS_URL:
        pytest.skip("needs Redis: set TEST_REDIS_URL (.ci/run does)")
    from infra.database import create_database
    from tests.factories import build_world

    database = create_database(Settings(database_url=postgres_url))
    async with database.write_sessions.begin() as session:
        world = await build_world(session)
        token = await token_for(session, world.principals["GLOBAL_ADMIN"])
    await database.dispose()
    env = {
        "RATE_LIMIT_CAPACITY": "12000",
        "RATE_LIMIT_REFILL_PER_SECOND": "1",
        "MAX_QUERY_COST": "12000",
    }
    if store == "redis":
        env["REDIS_URL"] = REDIS_URL
    headers = {"Authorization": f"Bearer {token}"}
    with (
        running_server(postgres_url, tmp_path, env=env) as a,
        running_server(postgres_url, tmp_path, env=env) as b,
    ):
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:
            statuses = [
                (await client.post(url, json={"query": Q1})).status_code
                for url in (a.graphql_url, b.graphql_url, a.graphql_url, b.graphql_url)
            ]
    assert statuses == [200, 200, 429, 429]


async def test_a_timed_out_mutation_changes_nothing(
    settings: Settings, database: Database, world: World
) -> None:
    # The request's own timeout, with the database's switched off: the outermost of the chain.
    patient = replace(
        settings, request_timeout_s=1, db_lock_timeout_ms=0, db_statement_timeout_ms=0
    )
    target = world.independent_a
    async with (
        app_client(patient, database, world) as client,
        database.engine.connect() as blocker,
    ):
        await hold_change_lock(blocker, target.id)
        # After the 1 s timeout. SQLite cannot interrupt a lock wait, so the cancelled
        # transaction (and the 503) waits until the lock is free; PostgreSQL cancels at once.
        releaser = after(1.5, blocker.rollback)
        response = await change_quantity(client, CHANGE, target.id, 77)
        await releaser
    assert response.status_code == 503
    assert _codes(response) == ["TIMEOUT"]
    assert response.headers["retry-after"] == "1"
    async with database.read_sessions() as session:
        row = await session.get_one(models.Subscription, target.id)
        assert (row.quantity, row.version) == (20, 1)


async def test_cors_only_for_configured_origins(
    settings: Settings, database: Database, world: World
) -> None:
    configured = Settings(
        database_url=settings.database_url, cors_origins=("https://admin.example",)
    )
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    async with app_client(configured, database, world) as client:
        allowed = await client.options(
            "/graphql", headers={"Origin": "https://admin.example", **preflight}
        )
        refused = await client.options(
            "/graphql", headers={"Origin": "https://evil.example", **preflight}
        )
        simple = await client.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"Origin": "https://evil.example"},
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://admin.example"
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert "access-control-allow-origin" not in simple.headers


async def test_no_cors_headers_when_none_configured(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={"Origin": "https://admin.example"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_introspection_and_suggestions_off(
    settings: Settings, database: Database, world: World
) -> None:
    production = replace(settings, introspection=False, graphiql=False)
    async with app_client(production, database, world) as client:
        introspection = await client.post(
            "/graphql", json={"query": "{ __schema { types { name } } }"}
        )
        typo = await client.post("/graphql", json={"query": "{ customer { nodez } }"})
        typename = await client.post("/graphql", json={"query": "{ viewer { __typename name } }"})
        ide = await client.get("/graphql", headers={"Accept": "text/html"})
    assert set(_codes(introspection)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "Did you mean" not in typo.text
    assert typename.json()["data"] == {
        "viewer": {"__typename": "Viewer", "name": world.principals["GLOBAL_ADMIN"].name}
    }
    assert ide.status_code == 404


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(json.dumps(r.__dict__, default=str) for r in caplog.records)


async def test_every_request_logs_one_structured_line_and_never_the_key(
    settings: Settings, database: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with database.write_sessions.begin() as session:
        token = await token_for(session, world.principals["GLOBAL_ADMIN"])
    transport = httpx.ASGITransport(app=create_app(settings, database))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        await client.post(
            "/graphql",
            json={"query": "query Mine { viewer { name } }", "operationName": "Mine"},
            headers={"Authorization": f"Bearer {token}", "X-Request-Id": "req-1"},
        )
        await client.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"Authorization": f"Bearer {token}x"},
        )
    lines = [r for r in caplog.records if r.name == "csp.access"]
    assert len(lines) == 2
    first: dict[str, Any] = lines[0].__dict__
    assert {
        k: first[k]
        for k in ("request_id", "principal_id", "operation", "cost", "status", "outcome")
    } == {
        "request_id": "req-1",
        "principal_id": world.principals["GLOBAL_ADMIN"].id,
        "operation": "Mine",
        "cost": 1,
        "status": 200,
        "outcome": "ok",
    }
    assert isinstance(first["duration_ms"], float)
    assert lines[1].__dict__["status"] == 401 and lines[1].__dict__["outcome"] == "refused"
    secret = token.split("_", 2)[2]
    assert secret not in _logged(caplog)


async def test_rejected_mutations_are_security_events(
    settings: Settings, database: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with app_client(settings, database, world, role="HELPDESK_AGENT") as client:
        response = await client.post(
            "/graphql",
            json={
                "query": CHANGE,
                "variables": {"id": gid("CustomerSubscription", world.independent_a.id), "q": 5},
            },
        )
    assert response.json()["data"]["changeQuantity"]["userErrors"] == [{"code": "FORBIDDEN"}]
    events = [r.__dict__ for r in caplog.records if r.name == "csp.security"]
    assert len(events) == 1
    assert {k: events[0][k] for k in ("event", "operation", "code", "principal_id")} == {
        "event": "mutation_rejected",
        "operation": "changeQuantity",
        "code": "FORBIDDEN",
        "principal_id": world.principals["HELPDESK_AGENT"].id,
    }


async def test_concurrent_requests_of_one_key_cannot_overspend(
    settings: Settings, database: Database, world: World
) -> None:
    budget = replace(
        settings,
        rate_limit_capacity=12_000,
        max_query_cost=12_000,
        rate_limit_refill_per_second=1,
    )
    async with app_client(budget, database, world) as client:
        responses = await asyncio.gather(
            *(client.post("/graphql", json={"query": Q1}) for _ in range(6))
        )
    assert sorted(r.status_code for r in responses) == [200, 200, 429, 429, 429, 429]


async def test_a_client_that_goes_away_is_not_an_error(
    settings: Settings, database: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    async with database.write_sessions.begin() as session:
        token = await token_for(session, world.principals["GLOBAL_ADMIN"])
    messages: Iterator[dict[str, Any]] = iter(
        [
            {"type": "http.request", "body": b'{"query": "{ viewer', "more_body": True},
            {"type": "http.disconnect"},
        ]
    )
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await create_app(settings, database)(scope, receive, send)  # type: ignore[arg-type]
    assert sent == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
