"""Hostile requests: none may freeze a process, and every failure is one a client can act on.

Each finding of issue 9 has a test here, at the layer a client sees it.
"""

import contextlib
import json
import socket
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLError, get_introspection_query, parse
from sqlalchemy import text, update

import models
from infra.database import Database, create_database
from infra.internals import graphql_schema
from limits.documents import Documents, Entry
from limits.structure import DocumentLimits, check_document
from settings import Settings
from tests.clients import after, app_client, change_quantity, hold_change_lock
from tests.conftest import StatementCounter
from tests.factories import World, token_for
from tests.graphql import SCHEMA, gid
from tests.processes import Server, running_server
from tests.snapshots import activities_of, reread, snapshot

CHANGE = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { quantity version } userErrors { code } } }"""
SUSPEND = """mutation($id: ID!) { changeStatus(input: {subscriptionId: $id, status: SUSPENDED}) {
    subscription { status } userErrors { code } } }"""


def doubling_fragments(levels: int) -> str:
    """Fragment i spreads fragment i + 1 twice: 2**levels fields once expanded."""
    parts = ["query { viewer { ...F0 } }"]
    parts += [f"fragment F{i} on Viewer {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    parts.append(f"fragment F{levels} on Viewer {{ name }}")
    return "\n".join(parts)


def _codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


async def _token(database: Database, world: World, role: str = "GLOBAL_ADMIN") -> str:
    async with database.write_sessions.begin() as session:
        return await token_for(session, world.principals[role])


# 1. Document analysis is linear; fan-out and repeated keys are refused with their code.


def test_fragment_fan_out_is_counted_without_expanding_it() -> None:
    """2**150 fields: only a walk that summarises each fragment once can count them."""
    limits = DocumentLimits(max_depth=10, max_aliases=30, max_fields=2000)
    with pytest.raises(Exception) as refused:
        check_document(parse(doubling_fragments(150)), limits)
    assert refused.value.extensions == {"code": "TOO_MANY_FIELDS", "maxFields": 2000}  # type: ignore[attr-defined]
    assert f"selects {2**150 + 1} fields" in str(refused.value)


def test_a_fragment_cycle_is_refused_before_any_walk_goes_round_it() -> None:
    cycle = "query { viewer { ...A } } fragment A on Viewer { ...B ...B } " + (
        "fragment B on Viewer { ...A ...A }"
    )
    with pytest.raises(Exception) as refused:
        check_document(parse(cycle), DocumentLimits(10, 30, 2000))
    assert refused.value.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}  # type: ignore[attr-defined]


def test_a_chain_of_fragments_longer_than_the_stack_is_walked() -> None:
    chain = ["query { viewer { ...F0 } }"]
    chain += [f"fragment F{i} on Viewer {{ ...F{i + 1} }}" for i in range(1500)]
    chain.append("fragment F1500 on Viewer { name }")
    check_document(parse("\n".join(chain)), DocumentLimits(10, 30, 2000))  # no RecursionError


async def test_doubling_fragments_are_refused_by_a_real_server_that_keeps_answering(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> None:
    token = await _token(database, world, "HELPDESK_AGENT")  # a read-only key suffices
    with running_server(database_url, tmp_path) as server:
        health: list[int] = []
        poller = threading.Thread(target=_poll_health, args=(server, health, 2.0))
        poller.start()
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
            response = await http.post(server.graphql_url, json={"query": doubling_fragments(17)})
        poller.join()
    assert response.status_code == 200
    assert _codes(response) == ["TOO_MANY_FIELDS"]
    assert "data" not in response.json()
    assert health and set(health) == {200}


def _poll_health(server: Server, statuses: list[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        statuses.append(httpx.get(f"{server.url}/healthz", timeout=5).status_code)
        time.sleep(0.05)


async def test_repeated_response_keys_are_refused_before_validation_compares_them(
    client: httpx.AsyncClient,
) -> None:
    # 4,950 pairs of viewer, and 4,950 of name once they are merged
    repeated = "{ " + " ".join(["viewer { name }"] * 100) + " }"
    response = await client.post("/graphql", json={"query": repeated})
    assert _codes(response) == ["TOO_MANY_FIELDS"]
    assert "9900 pairs" in response.json()["errors"][0]["message"]


# 2. Waiting on a lock: 503 TIMEOUT with Retry-After, on both paths, and nothing changed.


@pytest.mark.parametrize(
    ("mutation", "timeouts"),
    [
        ("changeQuantity", {"db_lock_timeout_ms": 300, "db_statement_timeout_ms": 1000}),
        ("changeStatus", {"db_lock_timeout_ms": 300, "db_statement_timeout_ms": 1000}),
        ("changeQuantity", {"db_lock_timeout_ms": 0, "db_statement_timeout_ms": 300}),
        ("changeStatus", {"db_lock_timeout_ms": 0, "db_statement_timeout_ms": 300}),
    ],
)
async def test_a_lock_held_past_the_timeout_is_503_timeout_and_changes_nothing(
    settings: Settings, database: Database, world: World, mutation: str, timeouts: dict[str, int]
) -> None:
    # changeQuantity is compiled on PostgreSQL (verify_plans off), changeStatus never is.
    quick = replace(
        settings,
        verify_plans=False,
        request_timeout_s=5,
        db_lock_timeout_ms=timeouts["db_lock_timeout_ms"],
        db_statement_timeout_ms=timeouts["db_statement_timeout_ms"],
    )
    target = world.independent_a
    before = await snapshot(database)
    query, variables = (CHANGE, {"q": 33}) if mutation == "changeQuantity" else (SUSPEND, {})
    waiting = create_database(quick)  # the timeouts are the engine's connection settings
    async with (
        app_client(quick, waiting, world) as client,
        database.engine.connect() as blocker,
    ):
        await client.post("/graphql", json={"query": "{ viewer { name } }"})  # a known key
        await hold_change_lock(blocker, target.id)
        response = await client.post(
            "/graphql",
            json={
                "query": query,
                "variables": {"id": gid("CustomerSubscription", target.id), **variables},
            },
        )
        await blocker.rollback()
    await waiting.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {
        "errors": [
            {
                "message": "the database did not answer in time; nothing was changed, "
                "send the request again",
                "extensions": {"code": "TIMEOUT"},
            }
        ]
    }
    assert await snapshot(database) == before


def test_the_timeouts_must_nest() -> None:
    with pytest.raises(ValueError, match="DB_LOCK_TIMEOUT_MS must be shorter than DB_STATE"):
        Settings(db_lock_timeout_ms=10_000, db_statement_timeout_ms=10_000)
    with pytest.raises(ValueError, match="DB_STATEMENT_TIMEOUT_MS must be shorter than REQ"):
        Settings(db_statement_timeout_ms=20_000)
    assert Settings(db_lock_timeout_ms=0, db_statement_timeout_ms=0).lock_wait_ms == 15_000


# 3. The price of what will execute: variable defaults and coerced values.


async def _cost(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> int:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    cost: int = response.json()["extensions"]["cost"]["requestedQueryCost"]
    return cost


async def test_variable_defaults_and_float_page_sizes_cost_what_runs(
    client: httpx.AsyncClient,
) -> None:
    ids = ", ".join(f'"{gid("Customer", n)}"' for n in range(1, 101))
    selection = "{ id ... on Customer { subscriptions { nodes { id } } } }"
    inline = f"{{ nodes(ids: [{ids}]) {selection} }}"
    by_default = f"query($ids: [ID!]! = [{ids}]) {{ nodes(ids: $ids) {selection} }}"
    page = "query($n: Int{default}) {{ customers(first: $n) {{ nodes {{ id }} }} }}"
    # 100 ids x (1 + subscriptions 2 + 50 x 1); customers 2 + 100 x 1
    assert await _cost(client, inline, {}) == 5300
    assert await _cost(client, by_default, {}) == 5300
    assert await _cost(client, page.format(default=" = 100"), {}) == 102
    assert await _cost(client, page.format(default=""), {"n": 100.0}) == 102


# 4. A spent budget refuses everything, introspection and __typename included.


async def test_a_spent_budget_refuses_free_looking_requests(
    settings: Settings, database: Database, world: World
) -> None:
    tight = replace(settings, rate_limit_refill_per_second=1)
    introspection = get_introspection_query(descriptions=True)
    async with app_client(tight, database, world) as client:
        typename = await client.post("/graphql", json={"query": "{ __typename }"})
        priced = await client.post("/graphql", json={"query": introspection})
        async with database.engine.begin() as connection:  # the budget, spent to half a token
            await connection.execute(
                update(models.RateLimitBucket).values(tokens=0.5, updated_at=time.time())
            )
        refused = [
            await client.post("/graphql", json={"query": q})
            for q in ("{ __typename }", introspection)
        ]
    assert typename.json()["extensions"]["cost"]["requestedQueryCost"] == 1
    assert priced.json()["extensions"]["cost"]["requestedQueryCost"] > 5_000  # by its lists
    assert [r.status_code for r in refused] == [429, 429]
    assert [_codes(r) for r in refused] == [["RATE_LIMITED"], ["RATE_LIMITED"]]
    assert [r.json().get("data") for r in refused] == [None, None]


# 5. Memory is bounded by bytes; nothing refused is kept.


def _error_codes(accepted: Entry | list[GraphQLError]) -> list[str | None]:
    assert isinstance(accepted, list)
    return [(error.extensions or {}).get("code") for error in accepted]


def _documents(max_bytes: int) -> Documents:
    return Documents(
        graphql_schema(SCHEMA), 65536, 2000, DocumentLimits(10, 30, 2000), [], max_bytes
    )


def test_the_document_cache_keeps_within_its_bytes_and_never_keeps_a_refusal() -> None:
    documents = _documents(max_bytes=40 * 150 * 3)  # three 40-character documents
    texts = [f"{{ viewer {{ name }} }}{' ' * (20 - len(str(n)))}#{n}" for n in range(5)]
    assert {len(t) for t in texts} == {40}
    for query in texts:
        assert isinstance(documents.accepted(query), Entry)
    assert list(documents.entries) == texts[2:]
    assert documents.size == 3 * 40 * 150
    refused = ["{ viewer { nope } }", "{ viewer { name }", doubling_fragments(17)]
    assert [_error_codes(documents.accepted(q)) for q in refused] == [
        ["GRAPHQL_VALIDATION_FAILED"],
        [None],  # a syntax error: the edge codes it GRAPHQL_PARSE_FAILED
        ["TOO_MANY_FIELDS"],
    ]
    assert list(documents.entries) == texts[2:]


async def test_distinct_large_documents_do_not_grow_a_real_server(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> None:
    token = await _token(database, world)
    headers = {"Authorization": f"Bearer {token}"}
    with running_server(database_url, tmp_path) as server:
        async with httpx.AsyncClient(headers=headers) as http:

            async def send(rounds: range) -> None:
                for n in rounds:  # 0.9 MB each: refused before the lexer reads them
                    padded = f"# {n:03} " + "x" * 900_000 + "\n{ viewer { name } }"
                    response = await http.post(server.graphql_url, json={"query": padded})
                    assert _codes(response) == ["DOCUMENT_TOO_LARGE"]
                for n in rounds:  # as large as a document may be, and all distinct
                    padded = f"# {n:03} " + "x" * 65_500 + "\n{ viewer { name } }"
                    response = await http.post(server.graphql_url, json={"query": padded})
                    assert "errors" not in response.json()

            await send(range(20))  # the allocator's high-water mark for such requests
            before = _rss_mb(server)
            await send(range(20, 80))
            grown = _rss_mb(server) - before
    assert grown < 30, f"RSS grew by {grown:.0f} MB"


def _rss_mb(server: Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


# 6. Malformed HTTP: coded JSON, bounded heads.


def _raw(server: Server, data: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        with contextlib.suppress(OSError):  # a refusal may come before a huge head is sent
            sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _json_refusal(answer: bytes) -> tuple[int, str]:
    """The status and code of the last response on the connection, which must be JSON."""
    last = answer[answer.rfind(b"HTTP/1.1 ") :]
    head, _, body = last.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower()
    return int(head.split()[1]), json.loads(body)["errors"][0]["extensions"]["code"]


def test_malformed_http_is_answered_in_coded_json(database_url: str, tmp_path: Path) -> None:
    body = b'{"query": "{ __typename }"}'
    with running_server(database_url, tmp_path) as server:
        short = _raw(
            server,
            b"POST /graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5\r\n\r\n" + body,
        )
        long_url = _raw(
            server, b"GET /graphql?q=" + b"a" * 180_000 + b" HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        huge_header = _raw(
            server,
            b"GET /healthz HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
            + b"a" * 1_000_000
            + b"\r\n\r\n",
        )
        healthy = httpx.get(f"{server.url}/healthz")
    assert _json_refusal(short) == (400, "BAD_REQUEST")
    assert _json_refusal(long_url) == (414, "URI_TOO_LONG")
    assert _json_refusal(huge_header) == (431, "HEADERS_TOO_LARGE")
    assert healthy.status_code == 200


# 7. A mutation's selection is checked before the change is made.


async def test_a_mutation_whose_selection_would_fail_changes_nothing(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    target = world.independent_a
    before = await snapshot(database)
    response = await client.post(
        "/graphql",
        json={
            "query": """mutation($id: ID!) {
              changeQuantity(input: {subscriptionId: $id, quantity: 44}) {
                subscription { activity(first: 101) { nodes { operation } } } } }""",
            "variables": {"id": gid("CustomerSubscription", target.id)},
        },
    )
    assert _codes(response) == ["BAD_USER_INPUT"]
    assert response.json()["errors"][0]["message"] == "first must be between 0 and 100"
    assert await snapshot(database) == before


# 8. Under contention the compiled changeQuantity decides in its one statement.


async def test_compiled_change_after_a_lock_wait_is_one_statement(
    settings: Settings, database: Database, world: World, sql_counter: StatementCounter
) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: nobody changes the row while a change waits")
    target = world.independent_a
    compiled = replace(settings, verify_plans=False)
    async with (
        app_client(compiled, database, world) as client,
        database.engine.connect() as blocker,
    ):
        await client.post("/graphql", json={"query": "{ viewer { name } }"})  # a known key
        await blocker.execute(
            text("UPDATE subscriptions SET quantity = 25, version = version + 1 WHERE id = :id"),
            {"id": target.id},
        )
        sql_counter.reset()

        committing = after(0.3, blocker.commit)
        response = await change_quantity(client, CHANGE, target.id, 31)
        await committing
    assert response.json()["data"]["changeQuantity"] == {
        "subscription": {"quantity": 31, "version": 3},
        "userErrors": [],
    }
    # The budget (in the database here), then the one statement: no second transaction.
    statements = [s for s in sql_counter.statements if not s.startswith("BEGIN")]
    assert len(statements) == 2 and statements[1].startswith("WITH target AS")
    row = await reread(database, target.id)
    assert (row.quantity, row.version) == (31, 3)
    recorded = [(a.version, a.before, a.after) for a in await activities_of(database, target.id)]
    assert recorded == [(3, {"quantity": 25}, {"quantity": 31})]
