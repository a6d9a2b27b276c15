"""Cursor connections through the schema: ordering, paging both ways, limits, search, nesting."""

import base64
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from strawberry.types import ExecutionResult

import models
from edge.errors import format_error
from infra.database import Database
from models import Customer
from tests import factories
from tests.factories import World
from tests.graphql import data, execute, gid

# Created in this order, so that ids do not follow any case order: ALPHA < alpha < Alpha by id.
EXTRA_NAMES = ("ALPHA", "alpha", "Alpha", "bravo", "Beta", "delta", "charlie")
# Case-insensitive name, then id; a byte-wise sort would put every capital first.
ORDER = [
    "ALPHA",
    "alpha",
    "Alpha",
    "Beta",
    "bravo",
    "charlie",
    "Created Co",
    "delta",
    "Independent Co",
    "Shared Co",
]

CUSTOMERS = """
query($first: Int, $after: String, $last: Int, $before: String, $search: String) {
  customers(first: $first, after: $after, last: $last, before: $before, search: $search) {
    totalCount
    edges { cursor node { id companyName } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@dataclass
class Named:
    """Partner A's visible customers by company name, with partner B's extra one."""

    world: World
    ids: dict[str, str]  # company name -> global id


def cursor_of(value: Any) -> str:
    """A cursor as the server encodes them, for any JSON value."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def codes(result: ExecutionResult) -> list[str]:
    return [format_error(error, "test")["extensions"]["code"] for error in result.errors or []]


@pytest.fixture
async def named(database: Database, world: World) -> Named:
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        b = await s.get_one(models.Partner, world.partner_b.id)
        for name in EXTRA_NAMES:
            await factories.customer(s, (a,), name=name)
        await factories.customer(s, (b,), name="aaa only B")  # would sort first for A
    ids = {
        "Created Co": gid("Customer", world.created.id),
        "Independent Co": gid("Customer", world.independent.id),
        "Shared Co": gid("Customer", world.shared.id),
    }
    async with database.read_sessions() as s:
        for name in EXTRA_NAMES:
            row = (await s.scalars(select(Customer).where(Customer.company_name == name))).one()
            ids[name] = gid("Customer", row.id)
    return Named(world, ids)


async def page(database: Database, world: World, **variables: Any) -> dict[str, Any]:
    result = await data(database, world.viewer("GLOBAL_ADMIN"), CUSTOMERS, variables)
    connection: dict[str, Any] = result["customers"]
    return connection


def check_page(
    connection: dict[str, Any], named: Named, names: list[str], *, has_next: bool, has_prev: bool
) -> None:
    """Exact nodes, edges and pageInfo of one page; totalCount always counts all ten."""
    ids = [named.ids[name] for name in names]
    cursors = [edge["cursor"] for edge in connection["edges"]]
    assert [edge["node"]["id"] for edge in connection["edges"]] == ids
    assert [edge["node"]["companyName"] for edge in connection["edges"]] == names
    assert [node["id"] for node in connection["nodes"]] == ids
    assert connection["totalCount"] == len(ORDER)
    assert connection["pageInfo"] == {
        "hasNextPage": has_next,
        "hasPreviousPage": has_prev,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }


# --- ordering and walking ---------------------------------------------------------------------


async def test_customers_ordered_by_case_insensitive_name_then_id(
    database: Database, named: Named
) -> None:
    connection = await page(database, named.world)
    check_page(connection, named, ORDER, has_next=False, has_prev=False)


async def test_walk_forward_with_first_and_after(database: Database, named: Named) -> None:
    expected = [ORDER[0:3], ORDER[3:6], ORDER[6:9], ORDER[9:10]]
    after = None
    for number, names in enumerate(expected):
        connection = await page(database, named.world, first=3, after=after)
        is_last = number == len(expected) - 1
        check_page(connection, named, names, has_next=not is_last, has_prev=after is not None)
        after = connection["pageInfo"]["endCursor"]
    beyond = await page(database, named.world, first=3, after=after)
    check_page(beyond, named, [], has_next=False, has_prev=True)


async def test_walk_backward_with_last_and_before(database: Database, named: Named) -> None:
    expected = [ORDER[7:10], ORDER[4:7], ORDER[1:4], ORDER[0:1]]
    before = None
    for number, names in enumerate(expected):
        connection = await page(database, named.world, last=3, before=before)
        is_last = number == len(expected) - 1
        check_page(connection, named, names, has_next=before is not None, has_prev=not is_last)
        before = connection["pageInfo"]["startCursor"]
    beyond = await page(database, named.world, last=3, before=before)
    check_page(beyond, named, [], has_next=True, has_prev=False)


async def test_cursors_work_in_both_directions_and_together(
    database: Database, named: Named
) -> None:
    cursors = [edge["cursor"] for edge in (await page(database, named.world))["edges"]]
    back = await page(database, named.world, last=2, before=cursors[5])
    check_page(back, named, ORDER[3:5], has_next=True, has_prev=True)
    between = await page(database, named.world, first=10, after=cursors[1], before=cursors[5])
    check_page(between, named, ORDER[2:5], has_next=False, has_prev=True)
    between_last = await page(database, named.world, last=2, after=cursors[1], before=cursors[7])
    check_page(between_last, named, ORDER[5:7], has_next=True, has_prev=True)


async def test_first_zero_and_last_zero(database: Database, named: Named) -> None:
    first = await page(database, named.world, first=0)
    check_page(first, named, [], has_next=True, has_prev=False)
    last = await page(database, named.world, last=0)
    check_page(last, named, [], has_next=False, has_prev=True)


async def test_total_count_ignores_paging(database: Database, named: Named) -> None:
    first = await page(database, named.world, first=1)
    assert first["totalCount"] == 10
    after = await page(database, named.world, first=1, after=first["pageInfo"]["endCursor"])
    assert (after["totalCount"], after["nodes"]) == (10, [{"id": named.ids["alpha"]}])
    last = await page(database, named.world, last=1)
    assert (last["totalCount"], last["nodes"]) == (10, [{"id": named.ids["Shared Co"]}])


async def test_default_page_size_is_50_and_100_is_allowed(database: Database, world: World) -> None:
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        created = [await factories.customer(s, (a,), name=f"Bulk {n:02}") for n in range(55)]
    bulk = [gid("Customer", row.id) for row in created]
    world_ids = [gid("Customer", c.id) for c in (world.created, world.independent, world.shared)]
    everyone = bulk + world_ids  # "Bulk ..." sorts before "Created Co"
    first = await page(database, world)
    assert [node["id"] for node in first["nodes"]] == everyone[:50]
    assert first["totalCount"] == 58
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await page(database, world, after=first["pageInfo"]["endCursor"])
    assert [node["id"] for node in rest["nodes"]] == everyone[50:]
    assert rest["pageInfo"]["hasNextPage"] is False
    backward = await page(database, world, last=50, before=rest["pageInfo"]["endCursor"])
    assert [node["id"] for node in backward["nodes"]] == everyone[7:57]
    assert backward["pageInfo"]["hasPreviousPage"] is True
    hundred = await page(database, world, first=100)
    assert [node["id"] for node in hundred["nodes"]] == everyone
    assert hundred["pageInfo"]["hasNextPage"] is False
    last_hundred = await page(database, world, last=100)
    assert [node["id"] for node in last_hundred["nodes"]] == everyone
    assert last_hundred["pageInfo"]["hasPreviousPage"] is False


# --- refused arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 101},
        {"last": 101},
        {"first": -1},
        {"last": -1},
        {"first": 2**31 - 1},
        {"first": 1, "last": 1},
        {"first": 0, "last": 0},
    ],
)
async def test_bad_page_sizes_are_bad_user_input(
    database: Database, world: World, variables: dict[str, Any]
) -> None:
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), CUSTOMERS, variables)
    assert result.data is None
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None and result.errors[0].path == ["customers"]


GARBAGE_CURSORS = [
    "garbage",
    "",
    "!!!!",
    "ü",
    "W10=" * 30,
    cursor_of("not a list"),
    cursor_of({"name": "a", "id": 1}),
    cursor_of(["a"]),
    cursor_of(["a", 1, 2]),
    cursor_of(["a", True]),
    cursor_of(["a", 1.5]),
    cursor_of(["a", None]),
    cursor_of([["a"], 1]),
    cursor_of(["a", "x"]),  # the id part must be an integer
    cursor_of([1, 2]),  # the name part must be a string
    cursor_of(["a", -1]),
    cursor_of(["a", 10**30]),  # beyond any integer column
    cursor_of(["a", 2**63]),
    cursor_of(["a\x00", 1]),
    base64.urlsafe_b64encode(b"not json").decode(),
    base64.urlsafe_b64encode(b'["a", NaN]').decode(),
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
]


@pytest.mark.parametrize("argument", ["after", "before"])
async def test_garbage_cursors_are_bad_user_input(
    database: Database, world: World, argument: str
) -> None:
    for cursor in GARBAGE_CURSORS:
        result = await execute(
            database, world.viewer("GLOBAL_ADMIN"), CUSTOMERS, {argument: cursor}
        )
        assert (result.data, codes(result)) == (None, ["BAD_USER_INPUT"]), cursor


# --- search -----------------------------------------------------------------------------------

SEARCH_NAMES = (
    "100% Cotton",
    "1000 Cotton",
    "Under_Score Ltd",
    "UnderXScore Ltd",
    "Back\\Slash",
    "Back/Slash",
)


@pytest.fixture
async def searchable(database: Database, world: World) -> dict[str, models.Customer]:
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        b = await s.get_one(models.Partner, world.partner_b.id)
        rows = {name: await factories.customer(s, (a,), name=name) for name in SEARCH_NAMES}
        rows["Cotton B"] = await factories.customer(s, (b,), name="Cotton B")
    return rows


async def search(database: Database, world: World, text: str) -> list[str]:
    connection = await page(database, world, search=text)
    names = [edge["node"]["companyName"] for edge in connection["edges"]]
    assert connection["totalCount"] == len(names)
    return names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("cotton", ["100% Cotton", "1000 Cotton"]),
        ("COTTON", ["100% Cotton", "1000 Cotton"]),
        ("  cOtToN\t", ["100% Cotton", "1000 Cotton"]),
        ("100%", ["100% Cotton"]),
        ("0%", ["100% Cotton"]),
        ("%", ["100% Cotton"]),
        ("0% c", ["100% Cotton"]),
        ("r_s", ["Under_Score Ltd"]),
        ("_", ["Under_Score Ltd"]),
        ("k\\s", ["Back\\Slash"]),
        ("\\", ["Back\\Slash"]),
        ("shared", ["Shared Co"]),
        (
            "CO",
            [
                "100% Cotton",
                "1000 Cotton",
                "Created Co",
                "Independent Co",
                "Shared Co",
                "Under_Score Ltd",
                "UnderXScore Ltd",
            ],
        ),
        ("nobody", []),
    ],
)
async def test_search_by_company_name(
    database: Database,
    world: World,
    searchable: dict[str, models.Customer],
    text: str,
    names: list[str],
) -> None:
    assert await search(database, world, text) == names


async def test_search_by_domain(
    database: Database, world: World, searchable: dict[str, models.Customer]
) -> None:
    row = searchable["UnderXScore Ltd"]
    assert await search(database, world, row.domain.upper()) == ["UnderXScore Ltd"]
    assert await search(database, world, world.shared.domain) == ["Shared Co"]
    other = searchable["Cotton B"]  # partner B's customer
    assert await search(database, world, other.domain) == []


async def test_search_pages_and_counts(
    database: Database, world: World, searchable: dict[str, models.Customer]
) -> None:
    first = await page(database, world, search="cotton", first=1)
    assert [n["id"] for n in first["nodes"]] == [gid("Customer", searchable["100% Cotton"].id)]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (2, True)
    after = first["pageInfo"]["endCursor"]
    second = await page(database, world, search="cotton", first=1, after=after)
    assert [n["id"] for n in second["nodes"]] == [gid("Customer", searchable["1000 Cotton"].id)]
    assert (second["totalCount"], second["pageInfo"]["hasNextPage"]) == (2, False)


@pytest.mark.parametrize(
    "text", ["", "   ", "\t\n", "a\x00b", "\x00", "a\x1bb", "a\ud800b", "a" * 201, " " + "a" * 201]
)
async def test_bad_search_is_bad_user_input(database: Database, world: World, text: str) -> None:
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), CUSTOMERS, {"search": text})
    assert (result.data, codes(result)) == (None, ["BAD_USER_INPUT"])


async def test_search_of_200_characters_is_allowed(database: Database, world: World) -> None:
    assert await search(database, world, "a" * 200) == []
    assert await search(database, world, " " + "a" * 200 + " ") == []


async def test_search_ignores_case_beyond_ascii(database: Database, world: World) -> None:
    """Case folding happens in Python, so both engines agree (SQL lower() folds ASCII only)."""
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        await factories.customer(s, (a,), name="Über AG", country="DE")
        await factories.customer(s, (a,), name="Straße GmbH", country="DE")
    assert await search(database, world, "über") == ["Über AG"]
    assert await search(database, world, "ÜBER") == ["Über AG"]
    assert await search(database, world, "STRASSE") == ["Straße GmbH"]


# --- subscriptions nested under customers -----------------------------------------------------


@dataclass
class Nested:
    world: World
    suspended: list[str]  # partner A's visible suspended subscriptions of Independent Co, by id


@pytest.fixture
async def nested(database: Database, world: World) -> Nested:
    """Independent Co gets more suspended subscriptions; Shared Co one sold by B (hidden from A)."""
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        b = await s.get_one(models.Partner, world.partner_b.id)
        independent = await s.get_one(models.Customer, world.independent.id)
        shared = await s.get_one(models.Customer, world.shared.id)
        basic = await s.get_one(models.Offer, world.basic.id)
        extra = [
            await factories.subscription(s, independent, basic, a, status="SUSPENDED"),
            await factories.subscription(s, independent, basic, a, status="SUSPENDED"),
            await factories.subscription(s, independent, basic, a, status="SUSPENDED"),
            await factories.subscription(s, independent, basic, None, status="SUSPENDED"),
        ]
        await factories.subscription(s, independent, basic, a, status="DELETED")
        await factories.subscription(s, shared, basic, b, status="SUSPENDED")
    suspended = [world.independent_suspended.id, *(row.id for row in extra)]
    return Nested(world, [gid("CustomerSubscription", pk) for pk in suspended])


SUBSCRIPTIONS_OF_ALL = """
query($first: Int, $after: String, $last: Int, $before: String, $status: [SubscriptionStatus!]) {
  customers { nodes { id subscriptions(
    first: $first, after: $after, last: $last, before: $before, status: $status
  ) {
    totalCount
    edges { cursor }
    nodes { id status }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } } }
}
"""
SUBSCRIPTIONS_OF_ONE = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String,
      $status: [SubscriptionStatus!]) {
  customer(id: $id) { subscriptions(
    first: $first, after: $after, last: $last, before: $before, status: $status
  ) {
    totalCount
    edges { cursor }
    nodes { id status }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}
"""


def sub_page(
    connection: dict[str, Any], *, total: int, has_next: bool, has_prev: bool
) -> list[str]:
    """Check the connection's shape and pageInfo; return its subscription ids."""
    cursors = [edge["cursor"] for edge in connection["edges"]]
    assert connection["totalCount"] == total
    assert connection["pageInfo"] == {
        "hasNextPage": has_next,
        "hasPreviousPage": has_prev,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }
    return [node["id"] for node in connection["nodes"]]


async def test_suspended_subscriptions_per_customer(database: Database, nested: Nested) -> None:
    world = nested.world
    result = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        SUBSCRIPTIONS_OF_ALL,
        {"first": 2, "status": ["SUSPENDED"]},
    )
    by_customer = {c["id"]: c["subscriptions"] for c in result["customers"]["nodes"]}
    assert list(by_customer) == [
        gid("Customer", c.id) for c in (world.created, world.independent, world.shared)
    ]
    created = by_customer[gid("Customer", world.created.id)]
    independent = by_customer[gid("Customer", world.independent.id)]
    shared = by_customer[gid("Customer", world.shared.id)]
    assert sub_page(created, total=0, has_next=False, has_prev=False) == []
    assert sub_page(independent, total=5, has_next=True, has_prev=False) == nested.suspended[:2]
    assert {node["status"] for node in independent["nodes"]} == {"SUSPENDED"}
    assert sub_page(shared, total=0, has_next=False, has_prev=False) == []


async def test_walk_suspended_subscriptions_of_one_customer(
    database: Database, nested: Nested
) -> None:
    world = nested.world
    viewer = world.viewer("GLOBAL_ADMIN")
    variables: dict[str, Any] = {
        "id": gid("Customer", world.independent.id),
        "first": 2,
        "status": ["SUSPENDED"],
    }
    seen: list[str] = []
    expected_pages = [nested.suspended[0:2], nested.suspended[2:4], nested.suspended[4:5]]
    for number, expected in enumerate(expected_pages):
        result = await data(database, viewer, SUBSCRIPTIONS_OF_ONE, variables)
        connection = result["customer"]["subscriptions"]
        is_last = number == len(expected_pages) - 1
        ids = sub_page(connection, total=5, has_next=not is_last, has_prev=number > 0)
        assert ids == expected
        seen += ids
        variables["after"] = connection["pageInfo"]["endCursor"]
    assert seen == nested.suspended
    backward = {**variables, "after": None, "first": None, "last": 2}
    result = await data(database, viewer, SUBSCRIPTIONS_OF_ONE, backward)
    ids = sub_page(result["customer"]["subscriptions"], total=5, has_next=False, has_prev=True)
    assert ids == nested.suspended[3:5]
    before = result["customer"]["subscriptions"]["pageInfo"]["startCursor"]
    result = await data(database, viewer, SUBSCRIPTIONS_OF_ONE, {**backward, "before": before})
    ids = sub_page(result["customer"]["subscriptions"], total=5, has_next=True, has_prev=True)
    assert ids == nested.suspended[1:3]


@pytest.mark.parametrize(
    ("status", "total"),
    [
        (None, 9),
        (["ACTIVE"], 3),
        (["SUSPENDED"], 5),
        (["DELETED"], 1),
        (["ACTIVE", "SUSPENDED"], 8),
        (["SUSPENDED", "SUSPENDED"], 5),
        ([], 0),
    ],
)
async def test_subscription_total_count_respects_the_status_filter(
    database: Database, nested: Nested, status: list[str] | None, total: int
) -> None:
    world = nested.world
    variables = {"id": gid("Customer", world.independent.id), "first": 1, "status": status}
    result = await data(database, world.viewer("GLOBAL_ADMIN"), SUBSCRIPTIONS_OF_ONE, variables)
    connection = result["customer"]["subscriptions"]
    assert connection["totalCount"] == total
    assert len(connection["nodes"]) == min(total, 1)
    if status is not None:
        assert {node["status"] for node in connection["nodes"]} <= set(status)


async def test_aliased_subscription_lists_with_different_filters(
    database: Database, nested: Nested
) -> None:
    world = nested.world
    query = """
    query($id: ID!) { customer(id: $id) {
      all: subscriptions(first: 2) { totalCount nodes { id } }
      suspended: subscriptions(first: 2, status: [SUSPENDED]) { totalCount nodes { id } }
      deleted: subscriptions(status: [DELETED]) { totalCount nodes { status } }
    } }
    """
    variables = {"id": gid("Customer", world.independent.id)}
    result = await data(database, world.viewer("GLOBAL_ADMIN"), query, variables)
    first_two = [world.independent_a.id, world.independent_direct.id]
    assert result["customer"] == {
        "all": {
            "totalCount": 9,
            "nodes": [{"id": gid("CustomerSubscription", pk)} for pk in first_two],
        },
        "suspended": {"totalCount": 5, "nodes": [{"id": i} for i in nested.suspended[:2]]},
        "deleted": {"totalCount": 1, "nodes": [{"status": "DELETED"}]},
    }


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 101},
        {"last": 101},
        {"first": -1},
        {"first": 1, "last": 1},
        {"after": "garbage"},
        {"before": cursor_of(["a", 1])},  # a customers cursor: two keys, not one
        {"after": cursor_of([True])},
        {"after": cursor_of([1.5])},
        {"after": cursor_of(["x"])},
        {"after": cursor_of([-1])},
        {"before": cursor_of([10**30])},
        {"after": cursor_of([2**63])},
    ],
)
async def test_bad_nested_arguments_are_bad_user_input(
    database: Database, world: World, variables: dict[str, Any]
) -> None:
    variables = {**variables, "id": gid("Customer", world.independent.id)}
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), SUBSCRIPTIONS_OF_ONE, variables)
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors is not None and result.errors[0].path == ["customer", "subscriptions"]
    assert result.data == {"customer": None}
