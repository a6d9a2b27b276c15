"""changeQuantity at the service level: every rule and code of the contract, on every engine."""

import asyncio
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select, update

import models
from infra.database import Database
from infra.transactions import run_in_transaction
from models import global_ids
from models.base import utcnow
from services import changes
from services import quantity as quantities
from services.activity import Actor
from services.errors import DomainError
from services.viewer import Viewer
from settings import Settings
from tests import factories
from tests.clients import after, app_client, change_quantity
from tests.factories import World
from tests.snapshots import activities_of, reread, snapshot


async def change(
    database: Database,
    viewer: Viewer,
    pk: int,
    quantity: int,
    expected_version: int | None = None,
) -> models.Subscription:
    changed = await run_in_transaction(
        database.write_sessions,
        lambda s: quantities.change_quantity(s, viewer, pk, quantity, expected_version),
    )
    return changed.subscription


async def rejected(
    database: Database,
    viewer: Viewer,
    pk: int,
    quantity: int,
    expected_version: int | None = None,
) -> DomainError:
    """The error of a change that must fail, after checking that it changed nothing."""
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await change(database, viewer, pk, quantity, expected_version)
    assert await snapshot(database) == before
    return caught.value


async def outcome(
    database: Database,
    viewer: Viewer,
    pk: int,
    quantity: int,
    expected_version: int | None = None,
) -> tuple[str, tuple[str, ...] | None]:
    error = await rejected(database, viewer, pk, quantity, expected_version)
    return error.code, error.field


# Rejections change nothing, so each table below runs against one world, case after case.
# --- NOT_FOUND, FORBIDDEN, NOT_MANAGEABLE ----------------------------------------------------

NOT_FOUND = ("NOT_FOUND", ("subscriptionId",))
FORBIDDEN = ("FORBIDDEN", ("subscriptionId",))
NOT_MANAGEABLE = ("NOT_MANAGEABLE", ("subscriptionId",))
PERMISSIONS = {
    # invisible: another partner's sale, another partner's customer, another customer's own
    ("GLOBAL_ADMIN", "shared_b"): NOT_FOUND,
    ("GLOBAL_ADMIN", "b_only_b"): NOT_FOUND,
    ("SALES_AGENT", "b_only_b"): NOT_FOUND,
    ("B_ADMIN", "independent_a"): NOT_FOUND,
    ("B_ADMIN", "shared_a"): NOT_FOUND,
    ("INDEPENDENT_ADMIN", "created_direct"): NOT_FOUND,
    ("INDEPENDENT_ADMIN", "shared_direct"): NOT_FOUND,
    ("CREATED_ADMIN", "independent_direct"): NOT_FOUND,
    ("HELPDESK_AGENT", "shared_b"): NOT_FOUND,  # invisibility comes before the role
    # read-only partner roles
    ("HELPDESK_AGENT", "independent_a"): FORBIDDEN,
    ("HELPDESK_AGENT", "independent_direct"): FORBIDDEN,
    ("BILLING_ADMIN", "independent_a"): FORBIDDEN,
    ("BILLING_ADMIN", "shared_a"): FORBIDDEN,
    ("BILLING_ADMIN", "created_direct"): FORBIDDEN,
    # partner on a direct subscription
    ("GLOBAL_ADMIN", "independent_direct"): NOT_MANAGEABLE,
    ("ADMIN_AGENT", "created_direct"): NOT_MANAGEABLE,
    ("SALES_AGENT", "shared_direct"): NOT_MANAGEABLE,
    ("B_ADMIN", "shared_direct"): NOT_MANAGEABLE,
    # customer admin on a partner-sold one; on its own direct one in a partner-created account
    ("INDEPENDENT_ADMIN", "independent_a"): NOT_MANAGEABLE,
    ("INDEPENDENT_ADMIN", "independent_suspended"): NOT_MANAGEABLE,
    ("CREATED_ADMIN", "created_a"): NOT_MANAGEABLE,
    ("CREATED_ADMIN", "created_direct"): NOT_MANAGEABLE,
}


async def test_permissions(database: Database, world: World) -> None:
    outcomes = {
        (role, target): await outcome(database, world.viewer(role), getattr(world, target).id, 30)
        for role, target in PERMISSIONS
    }
    assert outcomes == PERMISSIONS


async def test_unknown_or_malformed_id_is_not_found(database: Database, world: World) -> None:
    # 0 is what a malformed or wrongly typed global id decodes to
    viewer = world.viewer("GLOBAL_ADMIN")
    outcomes = {pk: await outcome(database, viewer, pk, 30) for pk in (0, -1, 999_999)}
    assert outcomes == dict.fromkeys((0, -1, 999_999), NOT_FOUND)


async def test_id_beyond_the_integer_column_is_not_found(database: Database, world: World) -> None:
    """Ids are 32-bit in PostgreSQL: a larger one in a well-formed global id names nothing."""
    too_big = global_ids.encode("CustomerSubscription", 2**31)
    largest = global_ids.encode("CustomerSubscription", 2**31 - 1)
    assert global_ids.decode(too_big, "CustomerSubscription") == global_ids.UNKNOWN
    assert global_ids.decode(largest, "CustomerSubscription") == 2**31 - 1
    for pk in (global_ids.decode(too_big, "CustomerSubscription"), 2**31 - 1):
        assert await outcome(database, world.viewer("GLOBAL_ADMIN"), pk, 30) == NOT_FOUND


# --- quantity rules --------------------------------------------------------------------------


async def test_quantity_outside_the_offer_range(database: Database, world: World) -> None:
    async with database.write_sessions.begin() as s:
        premium = await factories.subscription(
            s, world.independent, world.premium, world.partner_a, quantity=10
        )
    viewer = world.viewer("GLOBAL_ADMIN")
    cases = {
        # basic: 1..100
        (world.independent_a.id, 0): "quantity must be between 1 and 100",
        (world.independent_a.id, -1): "quantity must be between 1 and 100",
        (world.independent_a.id, 101): "quantity must be between 1 and 100",
        (world.independent_a.id, 2**31 - 1): "quantity must be between 1 and 100",
        # premium: 5..50
        (premium.id, 4): "quantity must be between 5 and 50",
        (premium.id, 51): "quantity must be between 5 and 50",
        (premium.id, 1): "quantity must be between 5 and 50",
    }
    outcomes = {}
    for pk, quantity in cases:
        error = await rejected(database, viewer, pk, quantity)
        assert (error.code, error.field) == ("QUANTITY_OUT_OF_RANGE", ("quantity",))
        outcomes[pk, quantity] = error.message
    assert outcomes == cases


async def test_range_bounds_are_inclusive(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    lowest = await change(database, viewer, world.independent_a.id, 1)
    assert (lowest.quantity, lowest.version) == (1, 2)
    highest = await change(database, viewer, world.independent_a.id, 100)
    assert (highest.quantity, highest.version) == (100, 3)


async def test_state_rules(database: Database, world: World) -> None:
    async with database.write_sessions.begin() as s:
        deleted = await factories.subscription(
            s, world.independent, world.basic, world.partner_a, status="DELETED"
        )
    active, suspended = world.independent_a.id, world.independent_suspended.id  # active: 20
    cases = {
        (active, 20, None): ("QUANTITY_UNCHANGED", ("quantity",)),
        (active, 20, 1): ("QUANTITY_UNCHANGED", ("quantity",)),
        (suspended, 30, None): ("SUBSCRIPTION_NOT_ACTIVE", ("subscriptionId",)),
        (deleted.id, 30, 1): ("SUBSCRIPTION_NOT_ACTIVE", ("subscriptionId",)),
        (active, 30, 0): ("VERSION_CONFLICT", ("expectedVersion",)),
        (active, 30, 2): ("VERSION_CONFLICT", ("expectedVersion",)),
        (active, 30, 99): ("VERSION_CONFLICT", ("expectedVersion",)),
        (active, 20, 2): ("VERSION_CONFLICT", ("expectedVersion",)),  # the version comes first
        (suspended, 30, 2): ("VERSION_CONFLICT", ("expectedVersion",)),
    }
    viewer = world.viewer("GLOBAL_ADMIN")
    outcomes = {case: await outcome(database, viewer, *case) for case in cases}
    assert outcomes == cases


async def test_version_is_checked_again_after_a_change(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    pk = world.independent_a.id
    assert (await change(database, viewer, pk, 30, 1)).version == 2
    error = await rejected(database, viewer, pk, 40, 1)
    assert error.code == "VERSION_CONFLICT"
    assert (await change(database, viewer, pk, 40, 2)).version == 3


async def test_compare_and_set_refuses_a_stale_row(database: Database, world: World) -> None:
    """The UPDATE itself checks the version, even for a caller holding an outdated row."""
    viewer = world.viewer("GLOBAL_ADMIN")
    stale = await reread(database, world.independent_a.id)  # version 1, detached
    await change(database, viewer, stale.id, 30)
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await run_in_transaction(
            database.write_sessions,
            lambda s: changes.apply_change(
                s, Actor.of(viewer), stale, "CHANGE_QUANTITY", {"quantity": 40}, utcnow()
            ),
        )
    assert (caught.value.code, caught.value.field) == ("VERSION_CONFLICT", ("subscriptionId",))
    assert await snapshot(database) == before


# --- successes -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"])
async def test_selling_roles_change_what_their_partner_sold(
    database: Database, world: World, role: str
) -> None:
    viewer = world.viewer(role)
    pk = world.independent_a.id
    started = utcnow()
    before = await snapshot(database)

    changed = await change(database, viewer, pk, 25, expected_version=1)

    assert (changed.id, changed.quantity, changed.version, changed.status) == (pk, 25, 2, "ACTIVE")
    row = await reread(database, pk)
    assert (row.quantity, row.version, row.status, row.suspended_at) == (25, 2, "ACTIVE", None)
    assert started <= row.updated_at <= utcnow()
    [entry] = await activities_of(database, pk)
    assert (entry.operation, entry.principal_id, entry.version) == (
        "CHANGE_QUANTITY",
        viewer.principal_id,
        2,
    )
    assert (entry.customer_id, entry.before, entry.after) == (
        world.independent.id,
        {"quantity": 20},
        {"quantity": 25},
    )
    after = await snapshot(database)
    assert (after[1], after[2]) == (before[1] + 1, before[2])
    others = [r for r in after[0] if r[0] != pk]
    assert others == [r for r in before[0] if r[0] != pk]


async def test_other_partner_changes_its_own_sale_to_a_shared_customer(
    database: Database, world: World
) -> None:
    changed = await change(database, world.viewer("B_ADMIN"), world.shared_b.id, 3)
    assert (changed.quantity, changed.version, changed.partner_id) == (3, 2, world.partner_b.id)


async def test_customer_not_created_by_a_partner_changes_its_direct_subscription(
    database: Database, world: World
) -> None:
    viewer = world.viewer("INDEPENDENT_ADMIN")
    pk = world.independent_direct.id
    changed = await change(database, viewer, pk, 11, expected_version=1)
    assert (changed.quantity, changed.version, changed.partner_id) == (11, 2, None)
    [entry] = await activities_of(database, pk)
    assert (entry.operation, entry.principal_id, entry.version, entry.before, entry.after) == (
        "CHANGE_QUANTITY",
        viewer.principal_id,
        2,
        {"quantity": 10},
        {"quantity": 11},
    )


async def test_each_change_adds_one_version_and_one_activity(
    database: Database, world: World
) -> None:
    viewer = world.viewer("ADMIN_AGENT")
    pk = world.independent_a.id
    for quantity in (21, 22, 23):
        await change(database, viewer, pk, quantity)
    entries = await activities_of(database, pk)
    assert [(e.version, e.before, e.after) for e in entries] == [
        (2, {"quantity": 20}, {"quantity": 21}),
        (3, {"quantity": 21}, {"quantity": 22}),
        (4, {"quantity": 22}, {"quantity": 23}),
    ]
    assert (await reread(database, pk)).version == 4


async def test_principals_of_one_shape_share_built_statements_and_each_is_the_actor(
    database: Database, world: World
) -> None:
    """The rules' statements are built once per role, partner and customer (rules_shape) and
    shared by every principal of that shape; who acted is still each change's own."""
    first = world.viewer("GLOBAL_ADMIN")
    async with database.write_sessions.begin() as session:
        row = await factories.principal(session, "GLOBAL_ADMIN", partner=world.partner_a)
    second = factories.viewer_of(row)
    assert second.rules_shape() == first.rules_shape() and second != first
    pk = world.independent_a.id

    await change(database, first, pk, 21)
    await change(database, second, pk, 22)

    entries = await activities_of(database, pk)
    assert [(e.principal_id, e.actor_name, e.after) for e in entries] == [
        (first.principal_id, first.name, {"quantity": 21}),
        (second.principal_id, second.name, {"quantity": 22}),
    ]
    shapes = [quantities.QuantityChange(v.rules_shape(), False) for v in (first, second)]
    assert quantities.built_checks(shapes[0]) is quantities.built_checks(shapes[1])


async def test_updated_at_moves_forward(database: Database, world: World) -> None:
    first: datetime = (await reread(database, world.independent_a.id)).updated_at
    changed = await change(database, world.viewer("GLOBAL_ADMIN"), world.independent_a.id, 21)
    assert changed.updated_at > first
    assert changed.created_at == world.independent_a.created_at


# --- concurrency -----------------------------------------------------------------------------


async def test_concurrent_changes_at_the_same_version_one_wins(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    pk = world.independent_a.id
    activities_before = (await snapshot(database))[1]

    async def attempt(quantity: int) -> str:
        try:
            await change(database, viewer, pk, quantity, expected_version=1)
        except DomainError as error:
            return error.code
        return f"OK {quantity}"

    outcomes = await asyncio.gather(*(attempt(30 + n) for n in range(10)))

    winners = [o for o in outcomes if o.startswith("OK")]
    assert len(winners) == 1
    assert sorted(outcomes) == [*winners, *["VERSION_CONFLICT"] * 9]
    row = await reread(database, pk)
    assert (row.version, f"OK {row.quantity}") == (2, winners[0])
    [entry] = await activities_of(database, pk)
    assert (entry.version, entry.after) == (2, {"quantity": row.quantity})
    assert (await snapshot(database))[1] == activities_before + 1


CHANGE_QUERY = """mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { quantity } userErrors { code }
  }
}"""


@pytest.mark.parametrize(
    ("added_meanwhile", "refused"), [(40, True), (10, False)], ids=["over", "within"]
)
async def test_an_increase_that_waited_for_another_sellers_seats_counts_them(
    settings: Settings, database: Database, world: World, added_meanwhile: int, refused: bool
) -> None:
    """Q5 under contention, through HTTP (the compiled path on PostgreSQL): partner B adds
    Business seats to the customer in a transaction still open when partner A's increase
    arrives. A's change waits for it, then decides on the count that includes B's seats."""
    async with database.write_sessions.begin() as session:
        business = await factories.offer(
            session, (world.partner_a, world.partner_b), max_quantity=300, seat_limit=300
        )
        ours = await factories.subscription(
            session, world.shared, business, world.partner_a, quantity=150
        )
        theirs = await factories.subscription(
            session, world.shared, business, world.partner_b, quantity=100
        )
    assert await _group_seats(database, world.shared.id) == 250
    plain = replace(settings, verify_plans=False)  # verification never compiles mutations
    async with app_client(plain, database, world) as client, database.engine.connect() as b:
        await client.post("/graphql", json={"query": "{ viewer { name } }"})  # a known key
        await b.execute(
            update(models.Subscription)
            .where(models.Subscription.id == theirs.id)
            .values(quantity=100 + added_meanwhile)
        )
        committed = after(0.3, b.commit)
        response = await change_quantity(client, CHANGE_QUERY, ours.id, 170)
        assert committed.done(), "the change must wait for the other seller's transaction"
    payload = response.json()["data"]["changeQuantity"]
    row = await reread(database, ours.id)
    if refused:
        assert payload["userErrors"][0]["code"] == "SEAT_LIMIT_EXCEEDED"
        assert (row.quantity, row.version) == (150, 1)
        assert await activities_of(database, ours.id) == []
    else:
        assert payload == {"subscription": {"quantity": 170}, "userErrors": []}
        assert (row.quantity, row.version) == (170, 2)
    assert await _group_seats(database, world.shared.id) == 250 + added_meanwhile + (
        0 if refused else 20
    )


async def _group_seats(database: Database, customer_id: int) -> int:
    async with database.read_sessions() as session:
        found = await session.scalar(
            select(models.Customer.group_seats).where(models.Customer.id == customer_id)
        )
    assert found is not None
    return found
