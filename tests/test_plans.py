"""Compiled plans answer exactly as ordinary execution does, in at most three statements."""

import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from infra.database import Database
from limits.budgets import Budget, Decision
from limits.documents import Entry
from limits.pricing import Charge, Pricing
from models import ApiKey
from models.base import utcnow
from planner.answer import Planner
from planner.compiler import Fallback
from schema.build import build_schema
from services import api_keys
from services.pagination import encode_cursor
from settings import Settings
from tests import factories
from tests.clients import app_client
from tests.conftest import StatementCounter
from tests.factories import World
from tests.graphql import execute, gid, plan
from tests.snapshots import activities_of

Q1 = """query Q1($first: Int) { customers(first: $first) { nodes { companyName
  subscriptions { nodes { id quantity status friendlyName offer { name } } } } } }"""
Q2 = """query Q2($id: ID!) { node(id: $id) {
  ... on CustomerSubscription { quantity status offer { name } } } }"""
Q3 = """query Q3($after: String) { customers(first: 50, after: $after) { nodes { companyName
  subscriptions { nodes { id quantity status friendlyName offer { name } } } } } }"""


CHANGE = """mutation Change($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { id quantity version offer { name } } userErrors { code message field } } }"""


@pytest.fixture
async def crowd(database: Database, world: World) -> World:
    """105 more customers of partner A, three subscriptions each (one direct, one suspended)."""
    async with database.write_sessions.begin() as session:
        a = await session.merge(world.partner_a)
        basic = await session.merge(world.basic)
        for n in range(105):
            customer = await factories.customer(session, (a,), name=f"Crowd {n:03}")
            await factories.subscription(session, customer, basic, a, quantity=n + 1)
            await factories.subscription(session, customer, basic, None)
            await factories.subscription(session, customer, basic, a, status="SUSPENDED")
    return world


@pytest.mark.parametrize("query", [Q1, Q2, Q3, CHANGE])
def test_the_benchmark_operations_are_compiled(query: str) -> None:
    assert plan(query) is not None


def test_a_price_is_remembered_with_its_document_by_the_variables_it_reads() -> None:
    schema = build_schema()  # a cache of its own: nothing priced yet
    entry = schema.documents.accepted(Q1)
    assert isinstance(entry, Entry)
    pricing = Pricing(schema.pricer, 25_000, None, Budget(100_000, 5_000))
    for first in (5, 100, 5, None, 0):
        variables = {"first": first, "unread": object()}
        expected = schema.pricer.cost(entry.document, "Q1", variables)
        assert pricing.price(entry, "Q1", variables) == expected
    assert entry.cost_variables == ("first",)
    # customers 2 + 5 x (nodes 1 + subscriptions (2 + 50 x (nodes 1 + offer 1)))
    assert pricing.price(entry, "Q1", {"first": 5}) == 517
    assert len(entry.costs) == 4  # 5, 100, None, 0


@pytest.mark.parametrize(
    "query",
    [
        "{ customers { nodes { subscriptions { nodes { canManage } } } } }",
        "{ customers { pageInfo { endCursor } } }",
        "{ customers(last: 2) { nodes { id } } }",
        "{ customers { nodes { ...F } } } fragment F on Customer { id }",
        "{ customers { nodes { id @include(if: true) } } }",
        'mutation { changeStatus(input: {subscriptionId: "x", status: ACTIVE}) { __typename } }',
        """mutation($a: ID!, $b: ID!) {
          a: changeQuantity(input: {subscriptionId: $a, quantity: 2}) { __typename }
          b: changeQuantity(input: {subscriptionId: $b, quantity: 2}) { __typename } }""",
        "mutation($id: ID!) { changeQuantity(input: {subscriptionId: $id, quantity: 2}) "
        "{ subscription { canManage } } }",
        "{ customers { nodes { nope } } }",
    ],
)
def test_other_documents_run_ordinarily(query: str) -> None:
    assert plan(query) is None


async def test_planned_answers_equal_execution_for_every_viewer(
    database: Database, world: World
) -> None:
    """tests.graphql.execute compares both answers; here for every role and object type."""
    ids = [gid("CustomerSubscription", s.id) for s in (world.shared_a, world.shared_b)]
    ids += [gid("Customer", world.b_only.id), gid("Customer", world.shared.id), "bad", ""]
    for key in world.principals:
        viewer = world.viewer(key)
        for variables in ({"first": 2}, {"first": 100}, {"first": 0}, {}):
            assert (await execute(database, viewer, Q1, variables)).errors is None
        for global_id in ids:
            assert (await execute(database, viewer, Q2, {"id": global_id})).errors is None


async def test_another_partners_objects_stay_invisible_when_planned(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    compiled = plan(Q2)
    assert compiled is not None
    hidden_id = gid("CustomerSubscription", world.shared_b.id)
    seen_id = gid("CustomerSubscription", world.shared_a.id)
    planner = Planner(database)
    hidden = await planner.run(compiled, viewer, {"id": hidden_id})
    seen = await planner.run(compiled, viewer, {"id": seen_id})
    assert json.loads(hidden) == {"node": None}
    assert json.loads(seen) == {
        "node": {"quantity": 10, "status": "ACTIVE", "offer": {"name": "Basic"}}
    }


@pytest.mark.parametrize(
    "variables",
    [{"first": 101}, {"first": -1}, {"after": "garbage"}, {"first": "5"}, {"first": 2**31}],
)
async def test_arguments_ordinary_execution_refuses_are_not_planned(
    database: Database, world: World, variables: dict[str, object]
) -> None:
    compiled = plan(Q3 if "after" in variables else Q1)
    assert compiled is not None
    with pytest.raises(Fallback):
        compiled.statement(database.engine.dialect.name, world.viewer("GLOBAL_ADMIN"), variables)


async def test_refusals_are_worded_by_ordinary_execution(
    settings: Settings, database: Database, world: World
) -> None:
    async with app_client(settings, database, world) as client:
        too_big = await client.post("/graphql", json={"query": Q1, "variables": {"first": 101}})
        wrong_type = await client.post("/graphql", json={"query": Q1, "variables": {"first": "5"}})
    assert too_big.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert too_big.json()["data"] is None
    assert wrong_type.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "data" not in wrong_type.json()


async def _statements(
    client: httpx.AsyncClient, counter: StatementCounter, query: str, variables: dict[str, object]
) -> tuple[int, dict[str, object]]:
    counter.reset()
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    # SQLite shows its BEGINs to the counter; they are transaction control, not queries.
    return sum(1 for s in counter.statements if not s.startswith("BEGIN")), body


async def test_q1_takes_the_same_statements_at_5_and_at_100_customers(
    settings: Settings, database: Database, crowd: World, sql_counter: StatementCounter
) -> None:
    plain = replace(settings, verify_plans=False)  # verification would execute it twice
    async with app_client(plain, database, crowd) as client:
        small, five = await _statements(client, sql_counter, Q1, {"first": 5})
        large, hundred = await _statements(client, sql_counter, Q1, {"first": 100})
        after, _ = await _statements(
            client, sql_counter, Q3, {"after": encode_cursor(("crowd 090", 10**6))}
        )
    customers = hundred["data"]["customers"]["nodes"]  # type: ignore[index]
    assert len(five["data"]["customers"]["nodes"]) == 5  # type: ignore[index]
    assert len(customers) == 100
    crowd_only = [c for c in customers if c["companyName"].startswith("Crowd")]
    assert [len(c["subscriptions"]["nodes"]) for c in crowd_only] == [3] * len(crowd_only)
    print(f"statements: first 5 -> {small}, first 100 -> {large}, after a cursor -> {after}")
    # The budget (in the database: no Redis in this test) and the plan, which also checks the
    # API key; the key's first request checked it on its own (a key this process did not know).
    assert (small, large, after) == (3, 2, 2)


async def test_built_statements_are_reused_per_shape_and_never_across_viewers(
    database: Database, world: World
) -> None:
    compiled = plan(Q2)
    assert compiled is not None
    dialect = database.engine.dialect.name
    a, b = world.viewer("GLOBAL_ADMIN"), world.viewer("B_ADMIN")
    shared_b = {"id": gid("CustomerSubscription", world.shared_b.id)}
    shared_a = {"id": gid("CustomerSubscription", world.shared_a.id)}
    first, _ = compiled.statement(dialect, a, shared_b)
    again, parameters = compiled.statement(dialect, a, shared_a)
    assert again is first  # another id of the same type: the same statement
    assert parameters == {"node_node": world.shared_a.id}
    assert compiled.statement(dialect, b, shared_b)[0] is not first  # another partner: its own
    for viewer, variables, visible in (
        (a, shared_b, False),
        (b, shared_b, True),
        (a, shared_a, True),
    ):
        answer = json.loads(await Planner(database).run(compiled, viewer, variables))
        assert (answer["node"] is not None) is visible


@pytest.mark.parametrize("change", ["revoked", "expired"])
@pytest.mark.parametrize("follow_up", ["planned", "mutation", "ordinary", "bad body"])
async def test_a_known_key_is_refused_on_the_request_after_it_is_revoked_or_expires(
    settings: Settings, database: Database, world: World, change: str, follow_up: str
) -> None:
    """The server remembers keys it has seen, but checks them on every request: a plan in its
    own statement, anything else by authenticating first."""
    q2 = {"query": Q2, "variables": {"id": gid("CustomerSubscription", world.independent_a.id)}}
    to_21 = {
        "query": CHANGE,
        "variables": {"id": gid("CustomerSubscription", world.independent_a.id), "q": 21},
    }
    requests = {
        "planned": {"json": q2},
        "mutation": {"json": to_21},
        "ordinary": {"json": {"query": "{ viewer { name } }"}},
        "bad body": {"content": b"{", "headers": {"content-type": "application/json"}},
    }
    plain = replace(settings, verify_plans=False)  # verification never compiles mutations
    async with app_client(plain, database, world) as client:
        first = await client.post("/graphql", json=q2)
        known = await client.post("/graphql", json=q2)
        key_id = client.headers["authorization"].split("_")[1]
        async with database.write_sessions.begin() as session:
            if change == "revoked":
                await api_keys.revoke_key(session, key_id)
            else:
                await session.execute(
                    update(ApiKey)
                    .where(ApiKey.key_id == key_id)
                    .values(expires_at=utcnow() - timedelta(seconds=1))
                )
        refused = await client.post("/graphql", **requests[follow_up])  # type: ignore[arg-type]
    assert (first.status_code, known.status_code) == (200, 200)
    assert known.json()["data"] == {
        "node": {"quantity": 20, "status": "ACTIVE", "offer": {"name": "Basic"}}
    }
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in refused.json()
    assert await _activities(database, world.independent_a.id) == []  # nothing changed


async def _activities(database: Database, subscription_id: int) -> list[tuple[object, ...]]:
    return [
        (a.operation, a.version, a.before, a.after, a.principal_id)
        for a in await activities_of(database, subscription_id)
    ]


async def test_change_quantity_over_http_in_one_statement(
    settings: Settings, database: Database, world: World, sql_counter: StatementCounter
) -> None:
    """On PostgreSQL a compiled mutation: one statement with the rules, the compare-and-set and
    the activity record. Refusals are ordinary execution's (and SQLite's is all ordinary)."""
    plain = replace(settings, verify_plans=False)
    target = world.independent_a
    variables = {"id": gid("CustomerSubscription", target.id)}
    async with app_client(plain, database, world) as client:
        await client.post("/graphql", json={"query": "{ viewer { name } }"})  # the key is known
        sql_counter.reset()
        changed = await client.post(
            "/graphql", json={"query": CHANGE, "variables": {**variables, "q": 21}}
        )
        statements = [s for s in sql_counter.statements if not s.startswith("BEGIN")]
        refused = await client.post(
            "/graphql", json={"query": CHANGE, "variables": {**variables, "q": 0}}
        )
        unchanged = await client.post(
            "/graphql", json={"query": CHANGE, "variables": {**variables, "q": 21}}
        )
        by_get = await client.get(
            "/graphql", params={"query": CHANGE, "variables": json.dumps({**variables, "q": 22})}
        )
    assert changed.status_code == 200
    assert changed.json()["data"] == {
        "changeQuantity": {
            "subscription": {
                "id": variables["id"],
                "quantity": 21,
                "version": 2,
                "offer": {"name": "Basic"},
            },
            "userErrors": [],
        }
    }
    if database.engine.dialect.name == "postgresql":
        # The budget (in the database: no Redis here), then the mutation.
        assert len(statements) == 2 and statements[1].startswith("WITH target AS")
    assert refused.json()["data"]["changeQuantity"] == {
        "subscription": None,
        "userErrors": [
            {
                "code": "QUANTITY_OUT_OF_RANGE",
                "message": "quantity must be between 1 and 100",
                "field": ["input", "quantity"],
            }
        ],
    }
    assert (
        unchanged.json()["data"]["changeQuantity"]["userErrors"][0]["code"] == "QUANTITY_UNCHANGED"
    )
    assert by_get.status_code == 405
    admin = world.principals["GLOBAL_ADMIN"].id
    assert await _activities(database, target.id) == [
        ("CHANGE_QUANTITY", 2, {"quantity": 20}, {"quantity": 21}, admin)
    ]


def test_the_cost_report_written_directly_is_the_reports_json() -> None:
    pricing = Pricing(build_schema().pricer, 25_000, None, Budget(100_000, 5_000))
    for charge in (Charge(517, None), Charge(517, Decision(True, 99_483, 0))):
        assert json.loads(pricing.report_json(charge)) == pricing.report(charge)
