"""Query.activity and Activity as a Node: every record the viewer may see, newest first."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from sqlalchemy import select

import models
from edge.errors import format_error
from infra.database import Database
from models import global_ids
from services import activity as activity_service
from services.access import visible_activity
from services.errors import DomainError
from services.pagination import PageArgs
from services.viewer import Viewer
from settings import Settings
from tests.clients import app_client
from tests.factories import World
from tests.graphql import data, execute, gid, plan

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SUBSCRIPTIONS = (
    "created_a",
    "created_direct",
    "independent_a",
    "independent_direct",
    "independent_suspended",
    "shared_a",
    "shared_b",
    "shared_direct",
    "b_only_b",
    "independent_base",
)
CUSTOMERS = ("created", "independent", "shared", "b_only")
# Per viewer: the subscriptions and the customers whose records it sees.
VISIBLE: dict[str, tuple[set[str], set[str]]] = {
    "GLOBAL_ADMIN": (
        {
            "created_a",
            "created_direct",
            "independent_a",
            "independent_direct",
            "independent_suspended",
            "shared_a",
            "shared_direct",
            "independent_base",
        },
        {"created", "independent", "shared"},
    ),
    "B_ADMIN": ({"shared_b", "shared_direct", "b_only_b"}, {"shared", "b_only"}),
    "CREATED_ADMIN": ({"created_a", "created_direct"}, {"created"}),
    "INDEPENDENT_ADMIN": (
        {"independent_a", "independent_direct", "independent_suspended", "independent_base"},
        {"independent"},
    ),
}


async def log_everything(database: Database, world: World) -> dict[int, str]:
    """One CREATE_CUSTOMER record per customer, then one ADD_SUBSCRIPTION per subscription, an
    hour apart: record id -> what it is about (a customer's or a subscription's world name)."""
    about = [*CUSTOMERS, *SUBSCRIPTIONS]
    async with database.write_sessions.begin() as s:
        rows = []
        for n, name in enumerate(about):
            target = getattr(world, name)
            is_subscription = isinstance(target, models.Subscription)
            rows.append(
                models.Activity(
                    subscription_id=target.id if is_subscription else None,
                    customer_id=target.customer_id if is_subscription else target.id,
                    principal_id=None,
                    partner_id=None,
                    actor_kind="SYSTEM",
                    actor_name="system",
                    operation="ADD_SUBSCRIPTION" if is_subscription else "CREATE_CUSTOMER",
                    version=1 if is_subscription else None,
                    before=None,
                    after={"name": name},
                    created_at=START + timedelta(hours=n),
                )
            )
        s.add_all(rows)
        await s.flush()
        return {row.id: name for row, name in zip(rows, about, strict=True)}


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(VISIBLE))
async def test_visible_activity_follows_the_objects(
    database: Database, world: World, key: str
) -> None:
    logged = await log_everything(database, world)
    async with database.read_sessions() as s:
        stmt = select(models.Activity.id).where(visible_activity(world.viewer(key)))
        seen = {logged[pk] for pk in (await s.scalars(stmt)).all()}
    subscriptions, customers = VISIBLE[key]
    assert seen == subscriptions | customers


async def test_list_activity_pages_and_counts_in_the_service(
    database: Database, world: World
) -> None:
    logged = await log_everything(database, world)
    viewer = world.viewer("B_ADMIN")
    expected = newest_first(logged, VISIBLE["B_ADMIN"][0] | VISIBLE["B_ADMIN"][1])
    flt = activity_service.ActivityFilter()
    async with database.read_sessions() as s:
        first = await activity_service.list_activity(s, viewer, PageArgs(first=3), flt)
        after = first.items[-1][0]
        rest = await activity_service.list_activity(s, viewer, PageArgs(3, after), flt)
        total = await activity_service.count_activity(s, viewer, flt)
        shared_only = activity_service.ActivityFilter(customer_id=world.shared.id)
        shared = await activity_service.list_activity(s, viewer, PageArgs(), shared_only)
    assert [row.id for _, row in first.items] == expected[:3]
    assert (first.has_next_page, first.has_previous_page) == (True, False)
    assert [row.id for _, row in rest.items] == expected[3:]
    assert (rest.has_next_page, rest.has_previous_page) == (False, True)
    assert total == len(expected) == 5
    assert [logged[row.id] for _, row in shared.items] == ["shared_direct", "shared_b", "shared"]


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (
            activity_service.ActivityFilter(occurred_after=datetime(2026, 11, 1, 10)),
            "occurredAfter needs a UTC offset",
        ),
        (
            activity_service.ActivityFilter(
                occurred_before=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
            ),
            "occurredBefore is out of range",
        ),
    ],
)
async def test_list_activity_refuses_moments_it_cannot_place(
    database: Database, world: World, flt: activity_service.ActivityFilter, message: str
) -> None:
    async with database.read_sessions() as s:
        with pytest.raises(DomainError) as refused:
            await activity_service.list_activity(s, world.viewer("GLOBAL_ADMIN"), PageArgs(), flt)
    name = message.split()[0]
    assert (refused.value.code, refused.value.message, refused.value.field) == (
        "BAD_USER_INPUT",
        message,
        ("filter", name),
    )


# --- Query.activity ---------------------------------------------------------------------------

ACTIVITY = """
query($first: Int, $after: String, $filter: ActivityFilter) {
  activity(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id } }
    nodes { id operation subscription { id } customer { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def newest_first(logged: dict[int, str], names: set[str]) -> list[int]:
    return sorted((pk for pk, name in logged.items() if name in names), reverse=True)


def about(world: World, name: str) -> dict[str, Any]:
    """What a logged record's node shows of the object it is about."""
    target = getattr(world, name)
    if isinstance(target, models.Subscription):
        return {
            "operation": "ADD_SUBSCRIPTION",
            "subscription": {"id": gid("CustomerSubscription", target.id)},
            "customer": {"id": gid("Customer", target.customer_id)},
        }
    return {
        "operation": "CREATE_CUSTOMER",
        "subscription": None,
        "customer": {"id": gid("Customer", target.id)},
    }


def ids(connection: dict[str, Any]) -> list[int]:
    found = []
    for node in connection["nodes"]:
        parsed = global_ids.parse(node["id"])
        assert parsed is not None and parsed[0] == "Activity"
        found.append(parsed[1])
    return found


async def activity(database: Database, viewer: Viewer, **variables: Any) -> dict[str, Any]:
    connection: dict[str, Any] = (await data(database, viewer, ACTIVITY, variables))["activity"]
    assert [edge["node"]["id"] for edge in connection["edges"]] == [
        node["id"] for node in connection["nodes"]
    ]
    return connection


@pytest.mark.parametrize("key", list(VISIBLE))
async def test_activity_lists_what_the_viewer_sees_newest_first(
    database: Database, world: World, key: str
) -> None:
    logged = await log_everything(database, world)
    subscriptions, customers = VISIBLE[key]
    expected = newest_first(logged, subscriptions | customers)
    connection = await activity(database, world.viewer(key))
    assert ids(connection) == expected
    assert [
        {k: node[k] for k in ("operation", "subscription", "customer")}
        for node in connection["nodes"]
    ] == [about(world, logged[pk]) for pk in expected]
    assert connection["totalCount"] == len(expected)
    assert connection["pageInfo"]["hasNextPage"] is False
    assert connection["pageInfo"]["hasPreviousPage"] is False


async def test_activity_pages_follow_each_other_while_records_are_added(
    database: Database, world: World
) -> None:
    logged = await log_everything(database, world)
    viewer = world.viewer("GLOBAL_ADMIN")
    expected = newest_first(logged, VISIBLE["GLOBAL_ADMIN"][0] | VISIBLE["GLOBAL_ADMIN"][1])
    assert len(expected) == 11
    seen: list[int] = []
    after = None
    pages = []
    while True:
        page = await activity(database, viewer, first=4, after=after)
        pages.append(page)
        seen += ids(page)
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["totalCount"] == 11 + (len(pages) > 1)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
        if len(pages) == 1:
            # A change committed between two pages: it belongs before the first one.
            newer = await log_one(database, world.shared_a, version=2)
    assert [len(page["nodes"]) for page in pages] == [4, 4, 3]
    assert seen == expected
    first = await activity(database, viewer, first=1)
    assert ids(first) == [newer]
    assert first["pageInfo"]["hasNextPage"] is True
    empty = await activity(database, viewer, first=0)
    assert (empty["nodes"], empty["totalCount"]) == ([], 12)
    assert empty["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def log_one(database: Database, row: models.Subscription, version: int) -> int:
    async with database.write_sessions.begin() as s:
        entry = models.Activity(
            subscription_id=row.id,
            customer_id=row.customer_id,
            actor_kind="SYSTEM",
            actor_name="system",
            operation="RENEW",
            version=version,
            after={"quantity": 1},
            created_at=START + timedelta(days=1),
        )
        s.add(entry)
        await s.flush()
        return entry.id


async def test_activity_filters(database: Database, world: World) -> None:
    logged = await log_everything(database, world)
    viewer = world.viewer("GLOBAL_ADMIN")
    hour = "2026-11-01T{:02}:00:00+00:00".format
    cases: list[tuple[dict[str, Any], set[str]]] = [
        (
            {"customerId": gid("Customer", world.independent.id)},
            {
                "independent",
                "independent_a",
                "independent_direct",
                "independent_suspended",
                "independent_base",
            },
        ),
        # Partner B's sale to the shared customer stays hidden.
        ({"customerId": gid("Customer", world.shared.id)}, {"shared", "shared_a", "shared_direct"}),
        ({"subscriptionId": gid("CustomerSubscription", world.shared_a.id)}, {"shared_a"}),
        ({"operations": ["CREATE_CUSTOMER"]}, {"created", "independent", "shared"}),
        ({"operations": ["CREATE_CUSTOMER", "RENEW"]}, {"created", "independent", "shared"}),
        ({"operations": []}, set()),
        # Both bounds exclusive: 13:00 is created_a's moment, 16:00 independent_direct's.
        (
            {"occurredAfter": hour(13), "occurredBefore": hour(16)},
            {"created_direct", "independent_a"},
        ),
        # The same moments with another offset.
        (
            {
                "occurredAfter": "2026-11-01T14:00:00+01:00",
                "occurredBefore": "2026-11-01T11:00:00-05:00",
            },
            {"created_direct", "independent_a"},
        ),
        ({"occurredAfter": hour(21)}, {"independent_base"}),
        ({"occurredBefore": hour(10)}, {"created"}),
        (
            {
                "customerId": gid("Customer", world.independent.id),
                "operations": ["ADD_SUBSCRIPTION"],
                "occurredBefore": hour(17),
            },
            {"independent_a", "independent_direct"},
        ),
    ]
    for flt, names in cases:
        connection = await activity(database, viewer, filter=flt)
        expected = newest_first(logged, names)
        assert (ids(connection), connection["totalCount"]) == (expected, len(expected)), flt
    # Pages of a filtered list.
    flt = {"customerId": gid("Customer", world.independent.id)}
    first = await activity(database, viewer, first=3, filter=flt)
    rest = await activity(
        database, viewer, first=3, after=first["pageInfo"]["endCursor"], filter=flt
    )
    both = newest_first(logged, cases[0][1])
    assert (ids(first), ids(rest)) == (both[:3], both[3:])
    assert (first["pageInfo"]["hasNextPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)


EMPTY = {
    "totalCount": 0,
    "edges": [],
    "nodes": [],
    "pageInfo": {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    },
}


@pytest.mark.parametrize(
    ("key", "flt"),
    [
        # Another partner's customer, and another partner's sale: as if they did not exist.
        ("GLOBAL_ADMIN", {"customerId": "b_only"}),
        ("GLOBAL_ADMIN", {"subscriptionId": "shared_b"}),
        ("GLOBAL_ADMIN", {"subscriptionId": "b_only_b"}),
        ("B_ADMIN", {"subscriptionId": "shared_a"}),
        ("B_ADMIN", {"customerId": "independent"}),
        ("CREATED_ADMIN", {"customerId": "independent"}),
        ("INDEPENDENT_ADMIN", {"subscriptionId": "created_direct"}),
        # Unknown, malformed, or of another type.
        ("GLOBAL_ADMIN", {"customerId": "unknown"}),
        ("GLOBAL_ADMIN", {"customerId": "malformed"}),
        ("GLOBAL_ADMIN", {"customerId": "shared_a"}),
        ("GLOBAL_ADMIN", {"subscriptionId": "shared"}),
    ],
)
async def test_ids_the_viewer_may_not_see_give_an_empty_page(
    database: Database, world: World, key: str, flt: dict[str, str]
) -> None:
    await log_everything(database, world)
    [(field, name)] = flt.items()
    if name == "unknown":
        value = gid("Customer", 999_999)
    elif name == "malformed":
        value = "not an id"
    else:
        target = getattr(world, name)
        kind = "CustomerSubscription" if isinstance(target, models.Subscription) else "Customer"
        value = gid(kind, target.id)
    connection = await activity(database, world.viewer(key), filter={field: value})
    assert connection == EMPTY


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 101}, "BAD_USER_INPUT"),
        ({"first": -1}, "BAD_USER_INPUT"),
        ({"after": "garbage"}, "BAD_USER_INPUT"),
        ({"after": "WyJhIiwgMV0="}, "BAD_USER_INPUT"),  # a customer list's ["a", 1]
        ({"filter": {"occurredAfter": "2026-11-01T10:00:00"}}, "BAD_USER_INPUT"),  # no offset
        ({"filter": {"occurredBefore": "0001-01-01T00:00:00+05:00"}}, "BAD_USER_INPUT"),
        ({"filter": {"occurredAfter": "yesterday"}}, "BAD_USER_INPUT"),
        ({"filter": {"operations": ["NOPE"]}}, "BAD_USER_INPUT"),
        ({"filter": {"customerId": 12.5}}, "BAD_USER_INPUT"),
    ],
)
async def test_bad_arguments_get_their_code(
    database: Database, world: World, variables: dict[str, Any], code: str
) -> None:
    await log_everything(database, world)
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), ACTIVITY, variables)
    assert result.data is None
    codes = [format_error(error, "test")["extensions"]["code"] for error in result.errors or []]
    assert codes == [code]


async def test_an_unknown_operation_in_the_document_fails_validation(
    database: Database, world: World
) -> None:
    query = "{ activity(filter: {operations: [NOPE]}) { totalCount } }"
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), query)
    codes = [format_error(error, "test")["extensions"]["code"] for error in result.errors or []]
    assert (result.data, codes) == (None, ["GRAPHQL_VALIDATION_FAILED"])


def test_query_activity_runs_ordinarily() -> None:
    """planner/fields.py does not list Query.activity: no plan, ordinary execution answers."""
    assert plan(ACTIVITY) is None
    assert plan("{ activity { totalCount } }") is None


# --- Activity as a Node -----------------------------------------------------------------------

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Activity {
      operation occurredAt version before after actor actorKind
      subscription { id } customer { id }
    }
  }
}
"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Activity { operation } } }"


def record_of(logged: dict[int, str], name: str) -> int:
    [pk] = [pk for pk, about_ in logged.items() if about_ == name]
    return pk


async def test_node_resolves_a_visible_activity(database: Database, world: World) -> None:
    logged = await log_everything(database, world)
    pk = record_of(logged, "shared_a")
    result = await data(database, world.viewer("HELPDESK_AGENT"), NODE, {"id": gid("Activity", pk)})
    assert result["node"] == {
        "__typename": "Activity",
        "id": gid("Activity", pk),
        "operation": "ADD_SUBSCRIPTION",
        "occurredAt": "2026-11-01T18:00:00+00:00",
        "version": 1,
        "before": None,
        "after": {"name": "shared_a"},
        "actor": "system",
        "actorKind": "SYSTEM",
        "subscription": {"id": gid("CustomerSubscription", world.shared_a.id)},
        "customer": {"id": gid("Customer", world.shared.id)},
    }
    customer_record = record_of(logged, "created")
    created = await data(
        database, world.viewer("CREATED_ADMIN"), NODE, {"id": gid("Activity", customer_record)}
    )
    assert created["node"]["version"] is None
    assert created["node"]["operation"] == "CREATE_CUSTOMER"
    assert created["node"]["subscription"] is None
    assert created["node"]["customer"] == {"id": gid("Customer", world.created.id)}


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("GLOBAL_ADMIN", "shared_b"),  # partner B's sale to a shared customer
        ("GLOBAL_ADMIN", "b_only"),  # partner B's customer
        ("B_ADMIN", "shared_a"),
        ("CREATED_ADMIN", "independent"),
        ("CREATED_ADMIN", "independent_direct"),
        ("INDEPENDENT_ADMIN", "created_a"),
    ],
)
async def test_node_of_an_invisible_activity_is_null(
    database: Database, world: World, key: str, name: str
) -> None:
    logged = await log_everything(database, world)
    pk = record_of(logged, name)
    result = await data(database, world.viewer(key), NODE, {"id": gid("Activity", pk)})
    assert result == {"node": None}


async def test_nodes_resolve_activities_through_the_same_rule(
    database: Database, world: World
) -> None:
    logged = await log_everything(database, world)
    asked = [
        gid("Activity", record_of(logged, "shared_direct")),
        gid("Activity", record_of(logged, "shared_b")),
        gid("Activity", 999_999),
        gid("Activity", record_of(logged, "shared")),
        gid("CustomerSubscription", world.shared_a.id),
    ]
    result = await data(database, world.viewer("GLOBAL_ADMIN"), NODES, {"ids": asked})
    assert result["nodes"] == [
        {"id": asked[0], "operation": "ADD_SUBSCRIPTION"},
        None,
        None,
        {"id": asked[3], "operation": "CREATE_CUSTOMER"},
        {"id": asked[4]},
    ]
    b_sees = await data(database, world.viewer("B_ADMIN"), NODES, {"ids": asked})
    assert b_sees["nodes"] == [
        {"id": asked[0], "operation": "ADD_SUBSCRIPTION"},
        {"id": asked[1], "operation": "ADD_SUBSCRIPTION"},
        None,
        {"id": asked[3], "operation": "CREATE_CUSTOMER"},
        None,
    ]


# --- over HTTP --------------------------------------------------------------------------------

HTTP_ACTIVITY = """
query($first: Int, $after: String, $filter: ActivityFilter) {
  activity(first: $first, after: $after, filter: $filter) {
    totalCount
    nodes { id subscription { id } customer { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("key", list(VISIBLE))
async def test_activity_over_http_pages_what_each_viewer_sees(
    settings: Settings, database: Database, world: World, key: str
) -> None:
    logged = await log_everything(database, world)
    subscriptions, customers = VISIBLE[key]
    expected = newest_first(logged, subscriptions | customers)
    seen: list[int] = []
    after = None
    async with app_client(settings, database, world, role=key) as client:
        while True:
            body = await post(client, HTTP_ACTIVITY, {"first": 3, "after": after})
            # Priced as a connection: 2 + 3 items x (the node 1 + subscription 1 + customer 1)
            # + pageInfo 1.
            assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + 3 * 4
            page = body["data"]["activity"]
            assert page["totalCount"] == len(expected)
            seen += ids(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert seen == expected


async def test_node_over_http_resolves_only_visible_activity(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    logged = await log_everything(database, world)
    visible, hidden = (gid("Activity", record_of(logged, n)) for n in ("shared_a", "shared_b"))
    query = "query($id: ID!) { node(id: $id) { id ... on Activity { actorKind } } }"
    assert (await post(client, query, {"id": visible}))["data"] == {
        "node": {"id": visible, "actorKind": "SYSTEM"}
    }
    # node(id:) { id } compiles for customers and subscriptions; an Activity's runs ordinarily.
    assert (await post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": hidden}))[
        "data"
    ] == {"node": None}
    assert (await post(client, "query($id: ID!) { node(id: $id) { id } }", {"id": visible}))[
        "data"
    ] == {"node": {"id": visible}}


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": 101}, "BAD_USER_INPUT"),
        ({"after": "garbage"}, "BAD_USER_INPUT"),
        ({"filter": {"occurredBefore": "2026-11-01T10:00:00"}}, "BAD_USER_INPUT"),
        ({"filter": {"operations": ["NOPE"]}}, "BAD_USER_INPUT"),
    ],
)
async def test_bad_arguments_over_http_get_their_code_and_no_data(
    client: httpx.AsyncClient,
    database: Database,
    world: World,
    variables: dict[str, Any],
    code: str,
) -> None:
    await log_everything(database, world)
    body = await post(client, HTTP_ACTIVITY, variables)
    assert [error["extensions"]["code"] for error in body["errors"]] == [code]
    assert body.get("data") is None
