"""The activity log through the schema: written by mutations, read newest first, per viewer."""

from typing import Any

from sqlalchemy import func, select

import models
from edge.errors import format_error
from infra.database import Database
from models.base import utcnow
from services.terms import TermDuration, commitment_end
from services.viewer import Viewer
from tests import factories
from tests.factories import World
from tests.graphql import data, execute, gid

CHANGE_QUANTITY = """
mutation($id: ID!, $quantity: Int!, $version: Int, $cmid: String) {
  changeQuantity(input: {
    subscriptionId: $id, quantity: $quantity, expectedVersion: $version, clientMutationId: $cmid
  }) { subscription { version quantity } userErrors { code } }
}
"""
CHANGE_STATUS = """
mutation($id: ID!, $status: SubscriptionStatus!, $version: Int) {
  changeStatus(input: {subscriptionId: $id, status: $status, expectedVersion: $version}) {
    subscription { version status suspendedAt } userErrors { code }
  }
}
"""
ADD_SUBSCRIPTION = """
mutation($input: AddSubscriptionInput!) {
  addSubscription(input: $input) { subscription { id version } userErrors { code } }
}
"""
ACTIVITY_FIELDS = """
  totalCount
  edges { cursor }
  nodes { operation version before after actor subscription { id } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
"""
SUBSCRIPTION_ACTIVITY = (
    "query($id: ID!, $first: Int, $after: String) { node(id: $id) { "
    "... on CustomerSubscription { activity(first: $first, after: $after) {"
    + ACTIVITY_FIELDS
    + "} } } }"
)
CUSTOMER_ACTIVITY = (
    "query($id: ID!, $first: Int, $after: String) { customer(id: $id) { "
    "activity(first: $first, after: $after) {" + ACTIVITY_FIELDS + "} } }"
)


def sub_id(row: models.Subscription) -> str:
    return gid("CustomerSubscription", row.id)


def customer_id(row: models.Customer) -> str:
    return gid("Customer", row.id)


async def mutate(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The payload of the document's only mutation field."""
    result = await data(database, viewer, query, variables)
    [payload] = result.values()
    assert isinstance(payload, dict)
    return payload


async def change_quantity(
    database: Database, viewer: Viewer, row: models.Subscription, quantity: int
) -> int:
    """A change that must succeed; returns the new version."""
    payload = await mutate(
        database, viewer, CHANGE_QUANTITY, {"id": sub_id(row), "quantity": quantity}
    )
    assert payload["userErrors"] == []
    assert payload["subscription"]["quantity"] == quantity
    version: int = payload["subscription"]["version"]
    return version


async def change_status(
    database: Database, viewer: Viewer, row: models.Subscription, status: str
) -> dict[str, Any]:
    payload = await mutate(database, viewer, CHANGE_STATUS, {"id": sub_id(row), "status": status})
    assert payload["userErrors"] == []
    subscription: dict[str, Any] = payload["subscription"]
    return subscription


def entry(
    operation: str,
    version: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    actor: models.Principal,
    subscription: str,
) -> dict[str, Any]:
    return {
        "operation": operation,
        "version": version,
        "before": before,
        "after": after,
        "actor": actor.name,
        "subscription": {"id": subscription},
    }


def purchase(
    offer: models.Offer, quantity: int, cycle: str, term: str, price: str
) -> dict[str, Any]:
    """An ADD_SUBSCRIPTION record's `after`: the facts of a purchase made today."""
    return {
        "offer": offer.sku,
        "friendlyName": offer.name,
        "quantity": quantity,
        "status": "ACTIVE",
        "autoRenew": True,
        "billingCycle": cycle,
        "termDuration": term,
        "commitmentEndDate": commitment_end(utcnow().date(), TermDuration(term)).isoformat(),
        "unitPrice": price,
    }


def check_connection(
    connection: dict[str, Any],
    nodes: list[dict[str, Any]],
    *,
    total: int,
    has_next: bool,
    has_prev: bool,
) -> None:
    cursors = [edge["cursor"] for edge in connection["edges"]]
    assert connection["nodes"] == nodes
    assert connection["totalCount"] == total
    assert len(set(cursors)) == len(nodes)
    assert connection["pageInfo"] == {
        "hasNextPage": has_next,
        "hasPreviousPage": has_prev,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }


async def subscription_activity(
    database: Database, viewer: Viewer, row: models.Subscription, **paging: Any
) -> dict[str, Any]:
    result = await data(database, viewer, SUBSCRIPTION_ACTIVITY, {"id": sub_id(row), **paging})
    connection: dict[str, Any] = result["node"]["activity"]
    return connection


async def customer_activity(
    database: Database, viewer: Viewer, row: models.Customer, **paging: Any
) -> dict[str, Any]:
    result = await data(database, viewer, CUSTOMER_ACTIVITY, {"id": customer_id(row), **paging})
    connection: dict[str, Any] = result["customer"]["activity"]
    return connection


async def activity_rows(database: Database) -> int:
    async with database.read_sessions() as s:
        count: int = (
            await s.execute(select(func.count()).select_from(models.Activity))
        ).scalar_one()
    return count


# --- one subscription's log -------------------------------------------------------------------


async def test_subscription_activity_newest_first(database: Database, world: World) -> None:
    admin, sales = world.principals["GLOBAL_ADMIN"], world.principals["SALES_AGENT"]
    row = world.independent_a  # quantity 20, version 1
    assert await change_quantity(database, world.viewer("GLOBAL_ADMIN"), row, 25) == 2
    suspended = await change_status(database, world.viewer("GLOBAL_ADMIN"), row, "SUSPENDED")
    assert (suspended["version"], suspended["status"]) == (3, "SUSPENDED")
    since = suspended["suspendedAt"]
    assert isinstance(since, str)
    active = await change_status(database, world.viewer("GLOBAL_ADMIN"), row, "ACTIVE")
    assert (active["version"], active["suspendedAt"]) == (4, None)
    assert await change_quantity(database, world.viewer("SALES_AGENT"), row, 30) == 5

    sid = sub_id(row)
    expected = [
        entry("CHANGE_QUANTITY", 5, {"quantity": 25}, {"quantity": 30}, sales, sid),
        entry(
            "CHANGE_STATUS",
            4,
            {"status": "SUSPENDED", "suspendedAt": since},
            {"status": "ACTIVE", "suspendedAt": None},
            admin,
            sid,
        ),
        entry(
            "CHANGE_STATUS",
            3,
            {"status": "ACTIVE", "suspendedAt": None, "autoRenew": True},
            {"status": "SUSPENDED", "suspendedAt": since, "autoRenew": False},
            admin,
            sid,
        ),
        entry("CHANGE_QUANTITY", 2, {"quantity": 20}, {"quantity": 25}, admin, sid),
    ]
    for key in ("HELPDESK_AGENT", "GLOBAL_ADMIN", "INDEPENDENT_ADMIN"):
        connection = await subscription_activity(database, world.viewer(key), row)
        check_connection(connection, expected, total=4, has_next=False, has_prev=False)
    assert await activity_rows(database) == 4


async def test_subscription_activity_pages_with_first_and_after(
    database: Database, world: World
) -> None:
    row = world.created_a  # quantity 10
    for quantity in (11, 12, 13, 14, 15):
        await change_quantity(database, world.viewer("ADMIN_AGENT"), row, quantity)
    viewer = world.viewer("BILLING_ADMIN")
    versions: list[int] = []
    after = None
    for expected, has_next in (([6, 5], True), ([4, 3], True), ([2], False)):
        connection = await subscription_activity(database, viewer, row, first=2, after=after)
        page = [node["version"] for node in connection["nodes"]]
        assert page == expected
        assert connection["totalCount"] == 5
        assert connection["pageInfo"]["hasNextPage"] is has_next
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        versions += page
        after = connection["pageInfo"]["endCursor"]
    assert versions == [6, 5, 4, 3, 2]
    first_zero = await subscription_activity(database, viewer, row, first=0)
    check_connection(first_zero, [], total=5, has_next=True, has_prev=False)


async def test_a_subscription_without_changes_has_no_activity(
    database: Database, world: World
) -> None:
    connection = await subscription_activity(
        database, world.viewer("GLOBAL_ADMIN"), world.shared_direct
    )
    check_connection(connection, [], total=0, has_next=False, has_prev=False)


async def test_bad_activity_arguments_are_bad_user_input(database: Database, world: World) -> None:
    for paging in ({"first": 101}, {"first": -1}, {"after": "garbage"}):
        variables = {"id": sub_id(world.independent_a), **paging}
        result = await execute(
            database, world.viewer("GLOBAL_ADMIN"), SUBSCRIPTION_ACTIVITY, variables
        )
        codes = [format_error(error, "test")["extensions"]["code"] for error in result.errors or []]
        assert codes == ["BAD_USER_INPUT"], paging


# --- a customer's log -------------------------------------------------------------------------


async def test_customer_activity_spans_its_subscriptions(database: Database, world: World) -> None:
    admin = world.principals["GLOBAL_ADMIN"]
    owner = world.principals["INDEPENDENT_ADMIN"]
    sales = world.principals["SALES_AGENT"]
    await change_quantity(database, world.viewer("GLOBAL_ADMIN"), world.independent_a, 21)
    await change_quantity(database, world.viewer("INDEPENDENT_ADMIN"), world.independent_direct, 7)
    added = await mutate(
        database,
        world.viewer("SALES_AGENT"),
        ADD_SUBSCRIPTION,
        {
            "input": {
                "customerId": customer_id(world.independent),
                "offerId": gid("Offer", world.premium.id),
                "quantity": 5,
            }
        },
    )
    assert added["userErrors"] == []
    assert added["subscription"]["version"] == 1
    new_id = added["subscription"]["id"]
    expected = [
        entry(
            "ADD_SUBSCRIPTION",
            1,
            None,
            purchase(world.premium, 5, "ANNUAL", "P1Y", "120.00"),
            sales,
            new_id,
        ),
        entry(
            "CHANGE_QUANTITY",
            2,
            {"quantity": 10},
            {"quantity": 7},
            owner,
            sub_id(world.independent_direct),
        ),
        entry(
            "CHANGE_QUANTITY",
            2,
            {"quantity": 20},
            {"quantity": 21},
            admin,
            sub_id(world.independent_a),
        ),
    ]
    # Partner A sees the direct subscription's change too; so does the customer itself.
    for key in ("GLOBAL_ADMIN", "HELPDESK_AGENT", "INDEPENDENT_ADMIN"):
        connection = await customer_activity(database, world.viewer(key), world.independent)
        check_connection(connection, expected, total=3, has_next=False, has_prev=False)
    first = await customer_activity(
        database, world.viewer("INDEPENDENT_ADMIN"), world.independent, first=2
    )
    check_connection(first, expected[:2], total=3, has_next=True, has_prev=False)
    after = first["pageInfo"]["endCursor"]
    rest = await customer_activity(
        database, world.viewer("INDEPENDENT_ADMIN"), world.independent, first=2, after=after
    )
    check_connection(rest, expected[2:], total=3, has_next=False, has_prev=True)
    # Nothing leaks to other customers' logs.
    for other in (world.created, world.shared):
        connection = await customer_activity(database, world.viewer("GLOBAL_ADMIN"), other)
        check_connection(connection, [], total=0, has_next=False, has_prev=False)


async def test_customer_admin_sees_its_log_through_viewer(database: Database, world: World) -> None:
    await change_quantity(database, world.viewer("SALES_AGENT"), world.created_a, 12)
    await change_quantity(database, world.viewer("SALES_AGENT"), world.independent_a, 22)
    query = """
    { viewer { customer { activity { totalCount nodes { version actor subscription { id } } } } } }
    """
    result = await data(database, world.viewer("CREATED_ADMIN"), query)
    assert result["viewer"]["customer"]["activity"] == {
        "totalCount": 1,
        "nodes": [
            {
                "version": 2,
                "actor": world.principals["SALES_AGENT"].name,
                "subscription": {"id": sub_id(world.created_a)},
            }
        ],
    }


async def test_partners_do_not_see_each_others_activity_on_a_shared_customer(
    database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as s:
        shared = await s.get_one(models.Customer, world.shared.id)
        shared_admin = await factories.principal(s, "CUSTOMER_ADMIN", customer=shared)
    await change_quantity(database, world.viewer("GLOBAL_ADMIN"), world.shared_a, 31)
    await change_quantity(database, world.viewer("B_ADMIN"), world.shared_b, 32)
    await change_quantity(database, factories.viewer_of(shared_admin), world.shared_direct, 33)
    by_a = entry(
        "CHANGE_QUANTITY",
        2,
        {"quantity": 10},
        {"quantity": 31},
        world.principals["GLOBAL_ADMIN"],
        sub_id(world.shared_a),
    )
    by_b = entry(
        "CHANGE_QUANTITY",
        2,
        {"quantity": 10},
        {"quantity": 32},
        world.principals["B_ADMIN"],
        sub_id(world.shared_b),
    )
    direct = entry(
        "CHANGE_QUANTITY",
        2,
        {"quantity": 10},
        {"quantity": 33},
        shared_admin,
        sub_id(world.shared_direct),
    )
    cases = [
        (world.viewer("GLOBAL_ADMIN"), [direct, by_a]),
        (world.viewer("HELPDESK_AGENT"), [direct, by_a]),
        (world.viewer("B_ADMIN"), [direct, by_b]),
        (factories.viewer_of(shared_admin), [direct, by_b, by_a]),
    ]
    for viewer, expected in cases:
        connection = await customer_activity(database, viewer, world.shared)
        check_connection(connection, expected, total=len(expected), has_next=False, has_prev=False)
    # Through the customer list as well (the batched path), and B's subscription stays hidden.
    listed = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        "{ customers { nodes { companyName activity { totalCount nodes { actor } } } } }",
    )
    assert {c["companyName"]: c["activity"] for c in listed["customers"]["nodes"]} == {
        "Created Co": {"totalCount": 0, "nodes": []},
        "Independent Co": {"totalCount": 0, "nodes": []},
        "Shared Co": {
            "totalCount": 2,
            "nodes": [
                {"actor": shared_admin.name},
                {"actor": world.principals["GLOBAL_ADMIN"].name},
            ],
        },
    }
    hidden = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        SUBSCRIPTION_ACTIVITY,
        {"id": sub_id(world.shared_b)},
    )
    assert hidden["node"] is None


# --- rejected mutations -----------------------------------------------------------------------


async def test_rejected_mutations_write_no_activity(database: Database, world: World) -> None:
    def change(row: models.Subscription, quantity: int, **extra: Any) -> tuple[str, dict[str, Any]]:
        return CHANGE_QUANTITY, {"id": sub_id(row), "quantity": quantity, **extra}

    def status(row: models.Subscription, value: str) -> tuple[str, dict[str, Any]]:
        return CHANGE_STATUS, {"id": sub_id(row), "status": value}

    def add(
        customer: models.Customer, offer: models.Offer, **extra: Any
    ) -> tuple[str, dict[str, Any]]:
        fields = {"customerId": customer_id(customer), "offerId": gid("Offer", offer.id)}
        return ADD_SUBSCRIPTION, {"input": {**fields, "quantity": 5, **extra}}

    cases: list[tuple[str, tuple[str, dict[str, Any]], str | None]] = [
        ("GLOBAL_ADMIN", change(world.independent_a, 20), "QUANTITY_UNCHANGED"),
        ("GLOBAL_ADMIN", change(world.independent_a, 101), "QUANTITY_OUT_OF_RANGE"),
        ("GLOBAL_ADMIN", change(world.independent_a, 21, version=2), "VERSION_CONFLICT"),
        ("GLOBAL_ADMIN", change(world.independent_a, 21, cmid="a\x00"), "INVALID_INPUT"),
        ("GLOBAL_ADMIN", change(world.independent_suspended, 11), "SUBSCRIPTION_NOT_ACTIVE"),
        ("GLOBAL_ADMIN", change(world.independent_direct, 11), "NOT_MANAGEABLE"),
        ("GLOBAL_ADMIN", change(world.shared_b, 11), "NOT_FOUND"),
        ("HELPDESK_AGENT", change(world.independent_a, 21), "FORBIDDEN"),
        ("BILLING_ADMIN", status(world.independent_a, "SUSPENDED"), "FORBIDDEN"),
        ("CREATED_ADMIN", change(world.created_direct, 11), "NOT_MANAGEABLE"),
        ("INDEPENDENT_ADMIN", change(world.independent_a, 21), "NOT_MANAGEABLE"),
        ("GLOBAL_ADMIN", status(world.independent_a, "ACTIVE"), "INVALID_STATUS_TRANSITION"),
        ("GLOBAL_ADMIN", status(world.independent_a, "DELETED"), "INVALID_STATUS_TRANSITION"),
        ("GLOBAL_ADMIN", add(world.independent, world.regional), "OFFER_NOT_AVAILABLE"),
        ("B_ADMIN", add(world.shared, world.premium), "OFFER_NOT_AUTHORIZED"),
        ("GLOBAL_ADMIN", add(world.shared, world.add_on), "PREREQUISITE_MISSING"),
        ("HELPDESK_AGENT", add(world.independent, world.basic), "FORBIDDEN"),
        ("INDEPENDENT_ADMIN", add(world.independent, world.basic), "FORBIDDEN"),
        ("GLOBAL_ADMIN", add(world.independent, world.basic, validateOnly=True), None),
    ]
    for key, (query, variables), code in cases:
        payload = await mutate(database, world.viewer(key), query, variables)
        assert payload == {
            "subscription": None,
            "userErrors": [] if code is None else [{"code": code}],
        }, (key, variables)
    assert await activity_rows(database) == 0
    async with database.read_sessions() as s:
        versions = (await s.scalars(select(models.Subscription.version))).all()
        subscriptions = (
            await s.execute(select(func.count()).select_from(models.Subscription))
        ).scalar_one()
    assert list(versions) == [1] * 10
    assert subscriptions == 10
    for row in (world.independent_a, world.independent_suspended, world.independent_direct):
        connection = await subscription_activity(database, world.viewer("GLOBAL_ADMIN"), row)
        check_connection(connection, [], total=0, has_next=False, has_prev=False)


async def test_idempotent_replay_writes_one_activity(database: Database, world: World) -> None:
    variables = {
        "input": {
            "customerId": customer_id(world.created),
            "offerId": gid("Offer", world.regional.id),
            "quantity": 4,
            "idempotencyKey": "order-1",
        }
    }
    first = await mutate(database, world.viewer("GLOBAL_ADMIN"), ADD_SUBSCRIPTION, variables)
    again = await mutate(database, world.viewer("GLOBAL_ADMIN"), ADD_SUBSCRIPTION, variables)
    assert first["userErrors"] == [] and again == first
    connection = await customer_activity(database, world.viewer("GLOBAL_ADMIN"), world.created)
    expected = entry(
        "ADD_SUBSCRIPTION",
        1,
        None,
        purchase(world.regional, 4, "MONTHLY", "P1M", "12.00"),
        world.principals["GLOBAL_ADMIN"],
        first["subscription"]["id"],
    )
    check_connection(connection, [expected], total=1, has_next=False, has_prev=False)
    assert await activity_rows(database) == 1
