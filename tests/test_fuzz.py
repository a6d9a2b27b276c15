"""Property-based fuzzing of the HTTP edge with documents generated from `schema.graphql`.

Every request goes through the real ASGI app over httpx, with a real API key, against a database
built once per test by `build_world` (the examples of one test share it). The properties:

1. Queries (generated, plus hand-written ones fed hostile variables): status < 500, a JSON body,
   a code on every error, nothing internal leaked, nothing logged as unexpected, nothing written.
2. Mutations: the same, and the database changes by exactly what the successful fields report.
   Each root field runs in its own transaction, so the outcome is judged per field (a payload
   with `userErrors`, or none at all): a rejected field changes nothing; a successful one writes
   one version and one activity row, except `validateOnly` and idempotent replays, which write
   nothing. (A field-level error below a successful payload, such as `activity(first: 101)`,
   does not undo the committed change, so "any errors" is not taken as "nothing happened".)
3. Broken requests (random text, mutated documents, random JSON bodies and variables): the same.

Hypothesis drives synchronous functions; each request runs on a dedicated event loop
(`asyncio.Runner`) that owns the engine and the client, so nothing crosses loops.
"""

import asyncio
import base64
import dataclasses
import json
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import graphql
import httpx
import hypothesis
import pytest
from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries
from sqlalchemy import func, select

import models
from infra.database import Database, create_database
from models import global_ids
from server import create_app
from services.pagination import encode_cursor
from settings import Settings
from tests.factories import World, build_world, token_for

SDL = (Path(__file__).resolve().parent.parent / "schema.graphql").read_text()
SCHEMA = graphql.build_schema(SDL)
MIN_INT, MAX_INT = -(2**31), 2**31 - 1
# What a stack trace or a database error would put in a body; allowed only if the client sent it.
LEAK_MARKERS = ("Traceback", "sqlalchemy", "asyncpg", "sqlite3", "SELECT ", 'File "')
JSON_TYPES = ("application/json", "application/graphql-response+json")
NODE_TYPES = ("Customer", "CustomerSubscription", "Offer", "Partner", "Activity", "Viewer", "")

# FUZZ_SCALE=10 for a deeper run than the suite's default.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
QUERY_EXAMPLES = round(200 * SCALE)
MUTATION_EXAMPLES = round(250 * SCALE)
INVALID_EXAMPLES = round(500 * SCALE)

T = TypeVar("T")
EXAMPLES: Counter[str] = Counter()
OUTCOMES: dict[str, Counter[str]] = {}


def fuzz_settings(**overrides: Any) -> hypothesis.settings:
    options: dict[str, Any] = {
        "deadline": None,
        "database": None,  # no example database in the working tree
        "print_blob": True,
        "suppress_health_check": [
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    }
    return hypothesis.settings(**{**options, **overrides})


@pytest.fixture(scope="module", autouse=True)
def _report_examples() -> Iterator[None]:
    yield
    lines = []
    for name, count in EXAMPLES.items():
        outcomes = ", ".join(f"{k} {v}" for k, v in OUTCOMES.get(name, Counter()).most_common())
        lines.append(f"  {name}: {count} examples ({outcomes})")
    print("\nfuzz examples run:", *lines, f"  total: {sum(EXAMPLES.values())}", sep="\n")


# ---------------------------------------------------------------------------------------------
# The target: app, client, database and world on one dedicated event loop.


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    # id -> (quantity, status, version, suspended_at)
    subscriptions: dict[int, tuple[int, str, int, datetime | None]]
    keys: frozenset[str]  # the fuzzing principal's idempotency keys
    add_ons: Counter[int]  # base id -> how many add-ons follow its status


class UnexpectedErrors(logging.Handler):
    """Collects what the app logs as unexpected (masked) errors."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Target:
    runner: asyncio.Runner
    client: httpx.AsyncClient
    database: Database
    world: World
    principal_id: int
    token: str
    logged: UnexpectedErrors
    cursors: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def send(self, request: httpx.Request) -> httpx.Response:
        request.headers["authorization"] = f"Bearer {self.token}"
        return self.runner.run(self._send(request))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self.client.send(request)
        await response.aread()
        return response

    def post(self, body: object) -> httpx.Response:
        """JSON with every non-ASCII character escaped, so lone surrogates survive the trip."""
        return self.post_raw(json.dumps(body, ensure_ascii=True).encode())

    def post_raw(
        self, content: bytes, content_type: str = "application/json", accept: str = ""
    ) -> httpx.Response:
        headers = {"content-type": content_type} if content_type else {}
        if accept:
            headers["accept"] = accept
        return self.send(
            self.client.build_request("POST", "/graphql", content=content, headers=headers)
        )

    def get(self, params: dict[str, str]) -> httpx.Response:
        headers = {"accept": "application/json"}
        return self.send(
            self.client.build_request("GET", "/graphql", params=params, headers=headers)
        )

    def snapshot(self) -> Snapshot:
        return self.runner.run(_snapshot(self.database, self.principal_id))


async def _snapshot(database: Database, principal_id: int) -> Snapshot:
    tables = models.Base.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    sub = models.Subscription
    async with database.read_sessions() as session:
        row = (await session.execute(select(*counts))).one()
        subscriptions = await session.execute(
            select(
                sub.id,
                sub.quantity,
                sub.status,
                sub.version,
                sub.suspended_at,
                sub.parent_subscription_id,
            )
        )
        keys = await session.scalars(
            select(models.IdempotencyRecord.key).where(
                models.IdempotencyRecord.principal_id == principal_id
            )
        )
        rows = subscriptions.all()
        return Snapshot(
            counts=dict(row._mapping),
            subscriptions={r[0]: (r[1], r[2], r[3], r[4]) for r in rows},
            keys=frozenset(keys),
            add_ons=Counter(r[5] for r in rows if r[5] is not None),
        )


async def _arrange(database: Database, principal: str) -> tuple[World, int, str]:
    async with database.write_sessions.begin() as session:
        world = await build_world(session)
        row = world.principals[principal]
        return world, row.id, await token_for(session, row)


@contextmanager
def open_target(settings: Settings, principal: str) -> Iterator[Target]:
    """Rate limiting off so that the fuzzer is not throttled; every other limit as configured."""
    app_settings = dataclasses.replace(settings, rate_limit_capacity=0)
    logged = UnexpectedErrors()
    error_log = logging.getLogger("csp.errors")
    error_log.addHandler(logged)
    try:
        with asyncio.Runner() as runner:
            database = create_database(app_settings)
            try:
                world, principal_id, token = runner.run(_arrange(database, principal))
                transport = httpx.ASGITransport(app=create_app(app_settings, database))
                client = httpx.AsyncClient(transport=transport, base_url="http://test")
                try:
                    target = Target(runner, client, database, world, principal_id, token, logged)
                    target.cursors = _harvest_cursors(target)
                    yield target
                finally:
                    runner.run(client.aclose())
            finally:
                runner.run(database.dispose())
    finally:
        error_log.removeHandler(logged)


HARVEST = """{
  customers(first: 100) { edges { cursor node {
    subscriptions(first: 100) { edges { cursor } }
    activity(first: 100) { edges { cursor } } } } }
  offers(first: 100) { edges { cursor } }
}"""


def _harvest_cursors(target: Target) -> list[str]:
    """Real cursors, as the API hands them out."""
    body = target.post({"query": HARVEST}).json()
    assert "errors" not in body, body
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "cursor" and isinstance(item, str):
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body["data"])
    assert found
    return found


# ---------------------------------------------------------------------------------------------
# Values: real ids and cursors of the world mixed with garbage.


def _b64(raw: str | bytes) -> str:
    return base64.b64encode(raw.encode() if isinstance(raw, str) else raw).decode()


def world_ids(world: World) -> list[str]:
    named: list[tuple[str, Any]] = [("Partner", world.partner_a), ("Partner", world.partner_b)]
    named += [("Customer", c) for c in (world.created, world.independent, world.shared)]
    named += [("Customer", world.b_only)]
    offers = (world.basic, world.premium, world.regional, world.base, world.add_on)
    named += [("Offer", o) for o in offers]
    subscriptions = (
        world.created_a,
        world.created_direct,
        world.independent_a,
        world.independent_direct,
        world.independent_suspended,
        world.shared_a,
        world.shared_b,
        world.shared_direct,
        world.b_only_b,
        world.independent_base,
    )
    named += [("CustomerSubscription", s) for s in subscriptions]
    return [global_ids.encode(type_name, row.id) for type_name, row in named]


def favourite_ids(world: World, principal: str) -> dict[str, list[str]]:
    """Ids the principal may act on, by type, so that mutations can succeed."""
    if principal == "INDEPENDENT_ADMIN":
        customers, subscriptions = [world.independent], [world.independent_direct]
    else:
        customers = [world.created, world.independent, world.shared]
        subscriptions = [world.created_a, world.independent_a, world.independent_suspended]
        subscriptions += [world.shared_a, world.independent_base]
    offers = [world.basic, world.premium, world.regional, world.base, world.add_on]
    return {
        "Customer": [global_ids.encode("Customer", row.id) for row in customers],
        "CustomerSubscription": [
            global_ids.encode("CustomerSubscription", row.id) for row in subscriptions
        ],
        "Offer": [global_ids.encode("Offer", row.id) for row in offers],
    }


GARBAGE_IDS = [
    "",
    " ",
    "0",
    "-1",
    "null",
    "Q3VzdG9tZXI6MQ",  # "Customer:1" without its padding
    _b64("Customer:"),
    _b64("Customer:-1"),
    _b64("Customer:0"),
    _b64("Customer:1.5"),
    _b64("Customer: 1"),
    _b64("Customer:\u0663"),  # a non-ASCII digit
    _b64("Customer:1:2"),
    _b64(":1"),
    _b64("CustomerSubscription:" + "9" * 18),
    _b64("CustomerSubscription:" + "9" * 19),
    _b64(b"\xff\xfe\x00"),
    _b64("Customer:1") + "\n",
    "A" * 101,
    "Customer:1",
]
HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "%",
    "_",
    "\\",
    "'",
    '"',
    "' OR 1=1 --",
    "Robert'); DROP TABLE customers;--",
    "\U0001f600",
    "\u0130",  # dotted capital I: lower() and casefold() disagree
    "\u00df",
    "\u200b",
    "\ufeff",
    "\u202e",
    "Created Co",
    "co",
    "customer1.example",
    "x" * 200,
    "x" * 201,
    "\u00e9" * 101,
    "key-1",
    "key-2",
]
LONE_SURROGATES = ["\ud800", "a\udfffb", "\udc00\ud800", "key-\ud83d"]
HOSTILE_CURSORS = [
    "",
    "not base64!",
    _b64(b"\xff\xfe"),
    encode_cursor((-1,)),
    encode_cursor((2**31,)),
    encode_cursor((2**63 - 1,)),
    encode_cursor((2**63,)),
    encode_cursor((True,)),
    encode_cursor((None,)),
    encode_cursor((1.5,)),
    encode_cursor(("a\x00",)),
    encode_cursor(("\ud800", 1)),
    encode_cursor(("x", 1)),
    encode_cursor(("x", 2**40)),
    encode_cursor((1, "x")),
    encode_cursor(([1],)),
    base64.urlsafe_b64encode(b"{}").decode(),
    base64.urlsafe_b64encode(b"[" * 5000).decode(),
    "A" * 2000,
]


def weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """Branches drawn in proportion to their weights: `one_of` alone gives the infinite
    branches (text) most of the examples and repeating a branch in it does not help."""
    total = sum(weight for weight, _ in choices)

    def branch(number: int) -> st.SearchStrategy[T]:
        for weight, strategy in choices:
            if number < weight:
                return strategy
            number -= weight
        raise AssertionError("unreachable")

    return st.integers(0, total - 1).flatmap(branch)


@dataclass(frozen=True)
class Values:
    """Strategies of Python values for the arguments, built from one world."""

    ids: st.SearchStrategy[str]
    strings: st.SearchStrategy[str]
    ints: st.SearchStrategy[int]
    # Mostly ids of the right type that the principal may act on, else any of `ids`.
    customer_ids: st.SearchStrategy[str]
    subscription_ids: st.SearchStrategy[str]
    offer_ids: st.SearchStrategy[str]

    @classmethod
    def of(cls, target: Target, principal: str) -> "Values":
        """Mostly plausible values (so that mutations get far, and some succeed), some hostile."""
        by_type = favourite_ids(target.world, principal)
        favourites = st.sampled_from([gid for gids in by_type.values() for gid in gids])
        later = st.integers(1, 40).map(lambda pk: global_ids.encode("CustomerSubscription", pk))
        typed = st.tuples(st.sampled_from(NODE_TYPES), st.integers(0, 30))
        huge = st.tuples(st.sampled_from(NODE_TYPES), st.integers(2**31, 10**18 - 1))
        ids = weighted(
            (8, favourites),
            (2, st.sampled_from(world_ids(target.world))),
            (2, later),
            (1, typed.map(lambda t: global_ids.encode(*t))),
            (1, huge.map(lambda t: global_ids.encode(*t))),
            (2, st.sampled_from(GARBAGE_IDS)),
            (1, st.text(max_size=20)),
        )
        cursor_parts = st.one_of(
            st.integers(-(2**64), 2**64),
            st.text(max_size=5),
            st.none(),
            st.booleans(),
            st.floats(allow_nan=False, allow_infinity=False),
        )
        plain = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC-0123456789", min_size=1)
        strings = weighted(
            (12, plain.filter(str.strip)),
            (2, st.sampled_from(target.cursors)),
            (2, st.sampled_from(HOSTILE_STRINGS)),
            (1, st.sampled_from(HOSTILE_CURSORS)),
            (1, st.lists(cursor_parts, max_size=3).map(lambda key: encode_cursor(tuple(key)))),
            (1, st.sampled_from(LONE_SURROGATES)),
            (1, st.text(max_size=30)),
            (1, st.integers(1000, 60_000).map(lambda n: "y" * n)),
        )
        ints = weighted(
            (6, st.integers(1, 100)),
            (1, st.integers(-2, 110)),
            (1, st.sampled_from([0, 1, 5, 50, 100, 101, MIN_INT, MAX_INT - 1, MAX_INT])),
            (1, st.integers(MIN_INT, MAX_INT)),
        )

        def typed_ids(type_name: str) -> st.SearchStrategy[str]:
            return weighted((4, st.sampled_from(by_type[type_name])), (1, ids))

        return cls(
            ids=ids,
            strings=strings,
            ints=ints,
            customer_ids=typed_ids("Customer"),
            subscription_ids=typed_ids("CustomerSubscription"),
            offer_ids=typed_ids("Offer"),
        )

    def scalars(self) -> Mapping[str, st.SearchStrategy[graphql.ValueNode]]:
        """The same values as literals inside generated documents; IDs may be Int literals."""
        return {
            "ID": st.one_of(self.ids.map(nodes.String), self.ints.map(nodes.Int)),
            "String": self.strings.map(nodes.String),
            "Int": self.ints.map(nodes.Int),
        }

    @staticmethod
    def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.none() | strategy


# ---------------------------------------------------------------------------------------------
# Documents that take their values from variables, so hostile strings reach the resolvers.

PAGE = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount"
Q_NODE = """query Q($id: ID!) { node(id: $id) { id __typename
  ... on CustomerSubscription { quantity version customer { id } offer { id } }
  ... on Customer { companyName subscriptions(first: 3) { nodes { id } } } } }"""
Q_NODES = "query Q($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }"
Q_CUSTOMERS = f"""query Q($first: Int, $after: String, $last: Int, $before: String,
  $search: String) {{
  customers(first: $first, after: $after, last: $last, before: $before, search: $search) {{
    {PAGE} edges {{ cursor node {{ id companyName }} }} }} }}"""
Q_SUBSCRIPTIONS = f"""query Q($id: ID!, $first: Int, $after: String, $last: Int,
  $before: String, $status: [SubscriptionStatus!]) {{
  customer(id: $id) {{ id
    subscriptions(first: $first, after: $after, last: $last, before: $before, status: $status) {{
      {PAGE} edges {{ cursor node {{ id status canManage }} }} }}
    activity(first: $first, after: $after) {{ {PAGE} nodes {{ id version }} }} }} }}"""
Q_ACTIVITY = f"""query Q($id: ID!, $first: Int, $after: String) {{
  node(id: $id) {{ ... on CustomerSubscription {{
    activity(first: $first, after: $after) {{ {PAGE} edges {{ cursor }} }} }} }} }}"""
Q_ACTIVITY_LIST = f"""query Q($first: Int, $after: String, $filter: ActivityFilter) {{
  activity(first: $first, after: $after, filter: $filter) {{
    {PAGE} nodes {{ id operation subscription {{ id }} customer {{ id }} }} }} }}"""
OPERATIONS = ["ADD_SUBSCRIPTION", "CHANGE_QUANTITY", "CREATE_CUSTOMER", "RENEW", "NOPE"]
# Moments with and without an offset, at datetime's limits (where converting to UTC overflows).
MOMENTS = [
    "2026-11-01T10:00:00+00:00",
    "2026-11-01T10:00:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "2026-13-01T00:00:00Z",
]
Q_OFFERS = f"""query Q($customerId: ID, $first: Int, $after: String) {{
  offers(customerId: $customerId, first: $first, after: $after) {{
    {PAGE} nodes {{ id prerequisiteOffers {{ id }} }} }} }}"""

PAYLOAD = "subscription { id version quantity status } userErrors { field message code }"
M_QUANTITY = f"""mutation M($input: ChangeQuantityInput!) {{
  changeQuantity(input: $input) {{ {PAYLOAD} clientMutationId }} }}"""
M_STATUS = f"""mutation M($input: ChangeStatusInput!) {{
  changeStatus(input: $input) {{ {PAYLOAD} clientMutationId }} }}"""
M_ADD = f"""mutation M($input: AddSubscriptionInput!) {{
  addSubscription(input: $input) {{ {PAYLOAD} clientMutationId }} }}"""
M_CREATE = """mutation M($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { id domain } userErrors { field message code } clientMutationId } }"""

Request = tuple[str, dict[str, Any] | None]


def query_requests(v: Values) -> st.SearchStrategy[Request]:
    maybe = v.optional
    page = {"first": maybe(v.ints), "after": maybe(v.strings)}
    backward = {"last": maybe(v.ints), "before": maybe(v.strings)}
    statuses = st.lists(st.sampled_from(["ACTIVE", "SUSPENDED", "DELETED"]), max_size=4)
    templates: list[tuple[str, st.SearchStrategy[dict[str, Any]]]] = [
        (Q_NODE, st.fixed_dictionaries({"id": v.ids})),
        (Q_NODES, st.fixed_dictionaries({"ids": st.lists(v.ids, max_size=105)})),
        (
            Q_CUSTOMERS,
            st.fixed_dictionaries({}, optional={**page, **backward, "search": v.strings}),
        ),
        (
            Q_SUBSCRIPTIONS,
            st.fixed_dictionaries(
                {"id": v.ids}, optional={**page, **backward, "status": maybe(statuses)}
            ),
        ),
        (Q_ACTIVITY, st.fixed_dictionaries({"id": v.ids}, optional=page)),
        (Q_OFFERS, st.fixed_dictionaries({}, optional={**page, "customerId": maybe(v.ids)})),
        (
            Q_ACTIVITY_LIST,
            st.fixed_dictionaries(
                {},
                optional={
                    **page,
                    "filter": maybe(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "customerId": maybe(v.ids),
                                "subscriptionId": maybe(v.ids),
                                "operations": maybe(st.lists(st.sampled_from(OPERATIONS))),
                                "occurredAfter": maybe(st.sampled_from(MOMENTS) | v.strings),
                                "occurredBefore": maybe(st.sampled_from(MOMENTS) | v.strings),
                            },
                        )
                    ),
                },
            ),
        ),
    ]
    return st.one_of(*(st.tuples(st.just(doc), variables) for doc, variables in templates))


def mutation_requests(v: Values) -> st.SearchStrategy[Request]:
    maybe = v.optional
    common = {"expectedVersion": maybe(v.ints), "clientMutationId": maybe(v.strings)}
    quantity = st.fixed_dictionaries(
        {"subscriptionId": v.subscription_ids, "quantity": v.ints}, optional=common
    )
    status = st.fixed_dictionaries(
        {
            "subscriptionId": v.subscription_ids,
            "status": st.sampled_from(["ACTIVE", "SUSPENDED", "DELETED"]),
        },
        optional=common,
    )
    add = st.fixed_dictionaries(
        {"customerId": v.customer_ids, "offerId": v.offer_ids, "quantity": v.ints},
        optional={
            "friendlyName": maybe(v.strings),
            "billingCycle": maybe(st.sampled_from(["MONTHLY", "ANNUAL"])),
            "parentSubscriptionId": maybe(v.subscription_ids),
            "idempotencyKey": maybe(st.sampled_from(["key-1", "key-2", "key-3"]) | v.strings),
            "validateOnly": maybe(st.booleans()),
            "clientMutationId": maybe(v.strings),
        },
    )
    # Plausible values often enough that some customers are created, and domains collide.
    create = st.fixed_dictionaries(
        {
            "companyName": st.sampled_from(["Fuzz Ltd", "Ünïcode AG"]) | v.strings,
            "domainPrefix": st.sampled_from(["fuzz", "Fuzz", "fuzz2"]) | v.strings,
            "country": st.sampled_from(["US", "de", "UK"]) | v.strings,
            "adminName": st.sampled_from(["Ada Fuzz", "Test"]) | v.strings,
            "adminEmail": st.sampled_from(["ada@fuzz.example", "ada@fuzz2.example"]) | v.strings,
        },
        optional={
            "idempotencyKey": maybe(st.sampled_from(["key-1", "key-2", "key-3"]) | v.strings),
            "validateOnly": maybe(st.booleans()),
            "clientMutationId": maybe(v.strings),
        },
    )
    return st.one_of(
        st.tuples(st.just(M_QUANTITY), st.fixed_dictionaries({"input": quantity})),
        st.tuples(st.just(M_STATUS), st.fixed_dictionaries({"input": status})),
        st.tuples(st.just(M_ADD), st.fixed_dictionaries({"input": add})),
        st.tuples(st.just(M_CREATE), st.fixed_dictionaries({"input": create})),
    )


def _with_user_errors(document: graphql.DocumentNode) -> str:
    """Select `userErrors { code }` on every mutation payload, so each field's outcome is known."""
    user_errors = FieldNode(
        name=NameNode(value="userErrors"),
        selection_set=SelectionSetNode(selections=(FieldNode(name=NameNode(value="code")),)),
    )
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    fields = []
    for selection in operation.selection_set.selections:
        assert isinstance(selection, FieldNode) and selection.selection_set is not None
        inner = selection.selection_set
        selections = (*inner.selections, user_errors)
        fields.append(
            dataclasses.replace(
                selection, selection_set=dataclasses.replace(inner, selections=selections)
            )
        )
    selection_set = dataclasses.replace(operation.selection_set, selections=tuple(fields))
    operation = dataclasses.replace(operation, selection_set=selection_set)
    return graphql.print_ast(dataclasses.replace(document, definitions=(operation,)))


@st.composite
def amplified_queries(draw: st.DrawFn) -> str:
    """Deep, wide and aliased documents: the depth, alias, token and cost limits refuse some."""
    first = draw(st.integers(0, 100))
    inner = "id"
    for _ in range(draw(st.integers(0, 4))):
        inner = f"id subscriptions(first: {first}) {{ nodes {{ id customer {{ {inner} }} }} }}"
    root = f"customers(first: {first}) {{ nodes {{ {inner} }} }}"
    return "{ " + " ".join(f"a{n}: {root}" for n in range(draw(st.integers(1, 40)))) + " }"


def generated_queries(v: Values) -> st.SearchStrategy[str]:
    return queries(SDL, custom_scalars=v.scalars())


def generated_mutations(v: Values) -> st.SearchStrategy[str]:
    return mutations(SDL, custom_scalars=v.scalars(), print_ast=_with_user_errors)


# ---------------------------------------------------------------------------------------------
# Checks.


def check_response(target: Target, response: httpx.Response, sent: str) -> dict[str, Any]:
    """The contract for every answer: < 500, JSON, coded errors, nothing internal shown."""
    summary = f"{response.status_code} {response.text[:2000]!r}\nsent: {sent[:2000]!r}"
    assert response.status_code < 500, summary
    assert response.headers.get("content-type", "").startswith(JSON_TYPES), summary
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"not JSON: {summary}") from None
    assert isinstance(body, dict), summary
    assert "data" in body or "errors" in body, summary
    if response.status_code >= 400:
        assert body.get("errors"), summary
    errors = body.get("errors")
    if errors is not None:
        assert isinstance(errors, list) and errors, summary
        for error in errors:
            code = (error.get("extensions") or {}).get("code")
            assert isinstance(code, str) and code, summary
            assert code != "INTERNAL_SERVER_ERROR", summary
    text = response.text
    for marker in LEAK_MARKERS:
        if marker not in sent:
            assert marker not in text and marker not in text.replace('\\"', '"'), summary
    logged = [r.getMessage() for r in target.logged.records]
    target.logged.records.clear()
    assert not logged, f"unexpected errors logged {logged}: {summary}"
    return body


@dataclass
class Effects:
    """What the successful mutation fields of one response must have written."""

    adds: int = 0
    keyed_adds: int = 0  # adds and customers created with a new idempotency key
    customers: int = 0  # each with its partner link, its admin and its activity
    changes: Counter[int] = field(default_factory=Counter)  # subscription pk -> changes
    uncertain: int = 0  # successful or not: the response does not say


def _root_fields(selection_set: SelectionSetNode) -> Iterator[FieldNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set)


def expected_effects(
    query: object, variables: object, operation_name: object, body: dict[str, Any], before: Snapshot
) -> Effects:
    """Read from the response which mutation fields succeeded, and what each one must write."""
    effects = Effects()
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(query, str):
        return effects
    try:
        document = graphql.parse(query)
    except GraphQLError:
        return effects
    if graphql.validate(SCHEMA, document):
        return effects
    name = operation_name if isinstance(operation_name, str) and operation_name else None
    operation = graphql.get_operation_ast(document, name)
    if operation is None or operation.operation != OperationType.MUTATION:
        return effects
    inputs = variables if isinstance(variables, dict) else {}
    coerced = graphql.get_variable_values(SCHEMA, operation.variable_definitions or (), inputs)
    if isinstance(coerced, list):
        return effects
    assert SCHEMA.mutation_type is not None
    keys = set(before.keys)
    seen: set[str] = set()
    for node in _root_fields(operation.selection_set):
        response_key = (node.alias or node.name).value
        definition = SCHEMA.mutation_type.fields.get(node.name.value)
        payload = data.get(response_key)
        if definition is None or response_key in seen or not isinstance(payload, dict):
            continue
        seen.add(response_key)
        if "userErrors" not in payload:
            effects.uncertain += 1
            continue
        if payload["userErrors"]:
            continue
        if "Webhook" in node.name.value:
            continue  # endpoints: no subscription, activity or idempotency record written
        given_input = graphql.get_argument_values(definition, node, coerced)["input"]
        if node.name.value not in ("addSubscription", "createCustomer"):
            if given_input.get("validateOnly"):
                continue  # a dry run writes nothing
            pk = global_ids.decode(given_input["subscriptionId"], "CustomerSubscription")
            effects.changes[pk] += 1
            if node.name.value == "changeStatus":
                effects.uncertain += before.add_ons[pk]  # add-ons follow their base
            reported = payload.get("subscription")
            if isinstance(reported, dict) and "version" in reported and pk in before.subscriptions:
                # The new state: one version more than before (than the field before, if two).
                expected = before.subscriptions[pk][2] + effects.changes[pk]
                assert reported["version"] == expected, f"{payload}, expected version {expected}"
            continue
        key = given_input.get("idempotencyKey")
        if given_input.get("validateOnly") or key in keys:
            continue  # nothing is written: a dry run, or a replay of the first result
        if node.name.value == "createCustomer":
            effects.customers += 1
        else:
            effects.adds += 1
        if key is not None:
            keys.add(key)
            effects.keyed_adds += 1
    return effects


def check_effects(before: Snapshot, after: Snapshot, effects: Effects, context: str) -> None:
    """Rejected fields changed nothing; each successful change wrote a version and an activity."""
    deltas = {name: after.counts[name] - count for name, count in before.counts.items()}
    summary = f"deltas {deltas}, expected {effects}\n{context[:3000]}"
    # Seat batches come and go with purchases and quantity changes (their own tests).
    tracked = {"activities", "subscriptions", "idempotency_records", "seat_batches"}
    created = ("customers", "partner_customers", "principals")
    tracked.update(created)
    assert all(deltas[name] == 0 for name in deltas if name not in tracked), summary
    assert before.subscriptions.keys() <= after.subscriptions.keys(), summary
    new = after.subscriptions.keys() - before.subscriptions.keys()
    # Changes per subscription: versions gained since the snapshot, or since version 1 if new.
    versions = Counter(
        {
            pk: row[2] - before.subscriptions.get(pk, (0, "", 1, None))[2]
            for pk, row in after.subscriptions.items()
        }
    )
    assert all(gained >= 0 for gained in versions.values()), summary
    # One activity row per version (every add at version 1, every change +1), and one per
    # customer created, with its partner link and its administrator.
    customers = deltas["customers"]
    assert all(deltas[name] == customers for name in created), summary
    assert effects.customers <= customers <= effects.customers + effects.uncertain, summary
    assert deltas["activities"] == len(new) + sum(versions.values()) + customers, summary
    for pk, row in after.subscriptions.items():
        if pk in before.subscriptions and versions[pk] == 0:
            assert row == before.subscriptions[pk], f"{pk} changed without a version: {summary}"
    extra = effects.uncertain
    changed = sum(effects.changes.values())
    assert effects.adds <= len(new) <= effects.adds + extra, summary
    assert changed <= sum(versions.values()) <= changed + extra, summary
    assert effects.keyed_adds <= deltas["idempotency_records"] <= effects.keyed_adds + extra
    if extra == 0:
        assert +versions == +effects.changes, summary


def exchange(
    target: Target,
    send: Callable[[], httpx.Response],
    sent: str,
    body: object = None,
) -> dict[str, Any]:
    """Send one request and check the answer and the database against each other."""
    before = target.snapshot()
    response = send()
    answer = check_response(target, response, sent)
    after = target.snapshot()
    effects = Effects()
    if isinstance(body, dict) and response.status_code == 200:
        query, variables, name = body.get("query"), body.get("variables"), body.get("operationName")
        effects = expected_effects(query, variables, name, answer, before)
    check_effects(before, after, effects, f"sent: {sent!r}\nanswer: {response.text}")
    _tally(target.outcomes, response.status_code, answer, effects)
    return answer


def _tally(outcomes: Counter[str], status: int, answer: dict[str, Any], effects: Effects) -> None:
    """What the examples reached, printed at the end of the module."""
    outcomes[f"HTTP {status}"] += 1
    outcomes.update({error["extensions"]["code"] for error in answer.get("errors") or ()})
    data = answer.get("data")
    for payload in data.values() if isinstance(data, dict) else ():
        if isinstance(payload, dict):
            outcomes.update(e["code"] for e in payload.get("userErrors") or () if "code" in e)
    outcomes["adds written"] += effects.adds
    outcomes["customers written"] += effects.customers
    outcomes["changes written"] += sum(effects.changes.values())


def send_json(target: Target, body: dict[str, Any], accept: str = "") -> dict[str, Any]:
    sent = json.dumps(body, ensure_ascii=False)
    content = json.dumps(body, ensure_ascii=True).encode()
    return exchange(target, lambda: target.post_raw(content, accept=accept), sent, body)


def _body(request: Request) -> dict[str, Any]:
    document, variables = request
    return {"query": document} if variables is None else {"query": document, "variables": variables}


# ---------------------------------------------------------------------------------------------
# 1. Queries.


@pytest.mark.parametrize("principal", ["GLOBAL_ADMIN", "INDEPENDENT_ADMIN"])
def test_generated_queries(
    settings: Settings, principal: str, request: pytest.FixtureRequest
) -> None:
    with open_target(settings, principal) as target:
        values = Values.of(target, principal)
        requests = weighted(
            (6, generated_queries(values).map(lambda q: (q, None))),
            (3, query_requests(values)),
            (1, amplified_queries().map(lambda q: (q, None))),
        )

        @fuzz_settings(max_examples=QUERY_EXAMPLES)
        @given(requests)
        def run(query_request: Request) -> None:
            EXAMPLES[request.node.name] += 1
            send_json(target, _body(query_request))

        try:
            run()
        finally:
            OUTCOMES[request.node.name] = target.outcomes


# ---------------------------------------------------------------------------------------------
# 2. Mutations.


@pytest.mark.parametrize("principal", ["GLOBAL_ADMIN", "INDEPENDENT_ADMIN"])
def test_generated_mutations(
    settings: Settings, principal: str, request: pytest.FixtureRequest
) -> None:
    with open_target(settings, principal) as target:
        values = Values.of(target, principal)
        requests = weighted(
            (1, generated_mutations(values).map(lambda m: (m, None))),
            (1, mutation_requests(values)),
        )

        @fuzz_settings(max_examples=MUTATION_EXAMPLES)
        @given(requests)
        def run(mutation_request: Request) -> None:
            EXAMPLES[request.node.name] += 1
            send_json(target, _body(mutation_request))

        try:
            run()
        finally:
            OUTCOMES[request.node.name] = target.outcomes


# ---------------------------------------------------------------------------------------------
# 3. Broken requests.

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


def _json_containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=5) | st.dictionaries(
        st.text(max_size=10), children, max_size=5
    )


# A named function: Hypothesis reads a lambda's source to check that it recurses, and misreads
# a lambda that spans lines.
JSON_VALUES = st.recursive(JSON_LEAVES, _json_containers, max_leaves=20)
EDITS = (
    st.sampled_from(
        list('{}()[]:!$@.,=|&#"\\')
        + [
            "...",
            '"""',
            "on ",
            "fragment F on Query ",
            "mutation ",
            "query ",
            "\n",
            "\x00",
            "\ud800",
            "$x",
            "@skip(if: true)",
        ]
    )
    | st.characters()
)
RAW_BODIES = [
    b"",
    b"null",
    b"[]",
    b'[{"query": "{ viewer { name } }"}]',
    b'{"query": "{ viewer { name } }", "variables": {"x": 1' + b"0" * 5000 + b"}}",
    b"[" * 100_000,
    b'{"query": "{ viewer { name } }"' + b" " * 10,
    b"\xff\xfe{}",
    b'{"query": "\\ud800"}',
    b'{"query": "{ viewer { name } }", "extensions": []}',
]
ACCEPTS = [
    "application/graphql-response+json",
    "application/graphql-response+json, application/json;q=0.9",
    "text/html",
    "application/xml",
    "*/*",
]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "",
    "application/graphql",
]


@st.composite
def edited(draw: st.DrawFn, sources: st.SearchStrategy[str]) -> str:
    """A valid document with characters dropped and inserted."""
    text = draw(sources)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        if text and draw(st.booleans()):
            position = min(position, len(text) - 1)
            text = text[:position] + text[position + 1 :]
        else:
            text = text[:position] + draw(EDITS) + text[position:]
    return text


@dataclass(frozen=True)
class Broken:
    """One broken request: a JSON body, raw bytes, or GET parameters."""

    json_body: dict[str, Any] | None = None
    raw: bytes | None = None
    content_type: str = "application/json"
    accept: str = ""
    params: dict[str, str] | None = None

    def send(self, target: Target) -> dict[str, Any]:
        if self.json_body is not None:
            return send_json(target, self.json_body, self.accept)
        if self.raw is not None:
            raw, sent = self.raw, self.raw.decode("utf-8", "replace")

            def post() -> httpx.Response:
                return target.post_raw(raw, self.content_type, self.accept)

            return exchange(target, post, sent)
        params = self.params or {}
        return exchange(target, lambda: target.get(params), json.dumps(params))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _two_operations(query: str, mutation: str, name: str | None) -> dict[str, Any]:
    """A named query and a named mutation in one document; `name` picks one, or none."""
    document = f"query Q {query.strip()}\n{mutation.replace('mutation', 'mutation M', 1)}"
    return {"query": document, "operationName": name}


def broken_requests(v: Values) -> st.SearchStrategy[Broken]:
    valid = st.one_of(generated_queries(v), generated_mutations(v))
    templates = st.one_of(query_requests(v), mutation_requests(v)).map(lambda r: r[0])
    variable_names = st.sampled_from(["id", "ids", "first", "after", "search", "input", "x"])
    no_surrogates = st.text(alphabet=st.characters(exclude_categories=["Cs"]))

    def post(body: dict[str, Any]) -> Broken:
        return Broken(json_body=body)

    def raw(content: bytes, content_type: str = "application/json") -> Broken:
        return Broken(raw=content, content_type=content_type)

    return weighted(
        (3, st.text().map(lambda text: post({"query": text}))),
        (6, edited(valid).map(lambda text: post({"query": text}))),
        (
            3,
            st.builds(
                lambda document, variables: post({"query": document, "variables": variables}),
                templates,
                st.dictionaries(variable_names | st.text(max_size=5), JSON_VALUES, max_size=4),
            ),
        ),
        (
            3,
            st.fixed_dictionaries(
                {},
                optional={
                    "query": JSON_VALUES | valid,
                    "variables": JSON_VALUES,
                    "operationName": JSON_VALUES | st.sampled_from(["Q", "M", ""]),
                    "extensions": JSON_VALUES,
                },
            ).map(post),
        ),
        (
            2,
            st.builds(
                _two_operations,
                generated_queries(v),
                generated_mutations(v),
                st.sampled_from(["Q", "M", "X", None]),
            ).map(post),
        ),
        (
            1,
            st.builds(
                lambda query, accept: Broken(json_body={"query": query}, accept=accept),
                valid | st.text(),
                st.sampled_from(ACCEPTS),
            ),
        ),
        (2, JSON_VALUES.map(lambda value: raw(json.dumps(value).encode()))),
        (1, st.text().map(lambda text: raw(text.encode("utf-8", "surrogatepass")))),
        (1, st.binary().map(raw)),
        (1, st.sampled_from(RAW_BODIES).map(raw)),
        (
            1,
            st.sampled_from(CONTENT_TYPES).map(
                lambda content_type: raw(b'{"query": "{ viewer { name } }"}', content_type)
            ),
        ),
        (
            2,
            st.fixed_dictionaries(
                {"query": no_surrogates | valid.filter(lambda d: not _has_surrogate(d))},
                optional={"variables": no_surrogates, "operationName": no_surrogates},
            ).map(lambda params: Broken(params=params)),
        ),
    )


def test_broken_requests(settings: Settings, request: pytest.FixtureRequest) -> None:
    with open_target(settings, "GLOBAL_ADMIN") as target:
        values = Values.of(target, "GLOBAL_ADMIN")

        @fuzz_settings(max_examples=INVALID_EXAMPLES)
        @given(broken_requests(values))
        def run(broken: Broken) -> None:
            EXAMPLES[request.node.name] += 1
            broken.send(target)

        try:
            run()
        finally:
            OUTCOMES[request.node.name] = target.outcomes


# ---------------------------------------------------------------------------------------------
# Bugs the fuzzer found, pinned as regressions.


def test_cursor_with_lone_surrogate(settings: Settings) -> None:
    cursor = base64.urlsafe_b64encode(json.dumps(["\ud800", 1]).encode()).decode()
    query = "query Q($after: String) { customers(after: $after) { totalCount } }"
    with open_target(settings, "GLOBAL_ADMIN") as target:
        body = send_json(target, {"query": query, "variables": {"after": cursor}})
    assert [error["extensions"]["code"] for error in body["errors"]] == ["BAD_USER_INPUT"]
