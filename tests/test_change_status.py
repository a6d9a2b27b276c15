"""changeStatus at the service level: transitions, permissions, versions, the activity record."""

import pytest

import models
from infra.database import Database
from infra.transactions import run_in_transaction
from models.base import utcnow
from models.subscription import STATUSES
from services import status_changes
from services.errors import DomainError
from services.viewer import Viewer
from tests import factories
from tests.factories import World
from tests.snapshots import activities_of, reread, snapshot


async def change(
    database: Database,
    viewer: Viewer,
    pk: int,
    status: str,
    expected_version: int | None = None,
) -> models.Subscription:
    changed = await run_in_transaction(
        database.write_sessions,
        lambda s: status_changes.change_status(s, viewer, pk, status, expected_version),
    )
    return changed.subscription


async def rejected(
    database: Database,
    viewer: Viewer,
    pk: int,
    status: str,
    expected_version: int | None = None,
) -> DomainError:
    """The error of a change that must fail, after checking that it changed nothing."""
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await change(database, viewer, pk, status, expected_version)
    assert await snapshot(database) == before
    return caught.value


async def extra_subscription(database: Database, world: World, status: str) -> models.Subscription:
    async with database.write_sessions.begin() as s:
        return await factories.subscription(
            s, world.independent, world.basic, world.partner_a, status=status
        )


async def outcome(
    database: Database,
    viewer: Viewer,
    pk: int,
    status: str,
    expected_version: int | None = None,
) -> tuple[str, tuple[str, ...] | None]:
    error = await rejected(database, viewer, pk, status, expected_version)
    return error.code, error.field


# Rejections change nothing, so each table below runs against one world, case after case.
# --- NOT_FOUND, FORBIDDEN, NOT_MANAGEABLE ----------------------------------------------------

NOT_FOUND = ("NOT_FOUND", ("subscriptionId",))
FORBIDDEN = ("FORBIDDEN", ("subscriptionId",))
NOT_MANAGEABLE = ("NOT_MANAGEABLE", ("subscriptionId",))
PERMISSIONS = {
    ("GLOBAL_ADMIN", "shared_b", "SUSPENDED"): NOT_FOUND,
    ("GLOBAL_ADMIN", "b_only_b", "SUSPENDED"): NOT_FOUND,
    ("B_ADMIN", "independent_a", "SUSPENDED"): NOT_FOUND,
    ("B_ADMIN", "independent_suspended", "ACTIVE"): NOT_FOUND,
    ("B_ADMIN", "shared_a", "SUSPENDED"): NOT_FOUND,
    ("INDEPENDENT_ADMIN", "created_direct", "SUSPENDED"): NOT_FOUND,
    ("INDEPENDENT_ADMIN", "shared_direct", "SUSPENDED"): NOT_FOUND,
    ("CREATED_ADMIN", "independent_direct", "SUSPENDED"): NOT_FOUND,
    ("BILLING_ADMIN", "b_only_b", "SUSPENDED"): NOT_FOUND,
    ("HELPDESK_AGENT", "independent_a", "SUSPENDED"): FORBIDDEN,
    ("HELPDESK_AGENT", "independent_suspended", "ACTIVE"): FORBIDDEN,
    ("BILLING_ADMIN", "independent_a", "SUSPENDED"): FORBIDDEN,
    ("BILLING_ADMIN", "independent_suspended", "ACTIVE"): FORBIDDEN,
    ("BILLING_ADMIN", "shared_direct", "SUSPENDED"): FORBIDDEN,
    ("GLOBAL_ADMIN", "independent_direct", "SUSPENDED"): NOT_MANAGEABLE,
    ("ADMIN_AGENT", "shared_direct", "SUSPENDED"): NOT_MANAGEABLE,
    ("SALES_AGENT", "created_direct", "SUSPENDED"): NOT_MANAGEABLE,
    ("INDEPENDENT_ADMIN", "independent_a", "SUSPENDED"): NOT_MANAGEABLE,
    ("INDEPENDENT_ADMIN", "independent_suspended", "ACTIVE"): NOT_MANAGEABLE,
    ("CREATED_ADMIN", "created_a", "SUSPENDED"): NOT_MANAGEABLE,
    ("CREATED_ADMIN", "created_direct", "SUSPENDED"): NOT_MANAGEABLE,
}


async def test_permissions(database: Database, world: World) -> None:
    outcomes = {
        (role, target, status): await outcome(
            database, world.viewer(role), getattr(world, target).id, status
        )
        for role, target, status in PERMISSIONS
    }
    assert outcomes == PERMISSIONS


async def test_unknown_or_malformed_id_is_not_found(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    outcomes = {pk: await outcome(database, viewer, pk, "SUSPENDED") for pk in (0, 999_999)}
    assert outcomes == dict.fromkeys((0, 999_999), NOT_FOUND)


async def test_customer_admin_of_a_partner_created_account_cannot_reactivate(
    database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as s:
        suspended = await factories.subscription(
            s, world.created, world.basic, None, status="SUSPENDED"
        )
    viewer = world.viewer("CREATED_ADMIN")
    assert await outcome(database, viewer, suspended.id, "ACTIVE") == NOT_MANAGEABLE


# --- transitions and versions ----------------------------------------------------------------

# What a client may ask for (API.md version 2): every other pair is refused.
ALLOWED = {("ACTIVE", "SUSPENDED"), ("SUSPENDED", "ACTIVE")}
ALLOWED |= {("ACTIVE", "CANCELLED"), ("SUSPENDED", "CANCELLED")}
TIMED = ("EXPIRED", "DISABLED", "DELETED")
TRANSITIONS = [
    (current, status)
    for current in STATUSES
    for status in STATUSES
    if (current, status) not in ALLOWED
]


async def test_invalid_transitions(database: Database, world: World) -> None:
    subscriptions = {
        status: await extra_subscription(database, world, status) for status in STATUSES
    }
    viewer = world.viewer("GLOBAL_ADMIN")
    outcomes = {}
    for current, status in TRANSITIONS:
        error = await rejected(database, viewer, subscriptions[current].id, status)
        outcomes[current, status] = (error.code, error.field, error.message)
    assert outcomes == {
        (current, status): (
            "INVALID_STATUS_TRANSITION",
            ("status",),
            f"a subscription cannot go from {current} to {status}"
            + (f": {status} comes only with time" if status in TIMED else ""),
        )
        for current, status in TRANSITIONS
    }


async def test_stale_expected_version_conflicts(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    active, suspended = world.independent_a.id, world.independent_suspended.id
    cases = [(active, "SUSPENDED", 0), (active, "SUSPENDED", 2), (suspended, "ACTIVE", 2)]
    cases.append((active, "ACTIVE", 2))  # the version is checked before the transition
    outcomes = [await outcome(database, viewer, *case) for case in cases]
    assert outcomes == [("VERSION_CONFLICT", ("expectedVersion",))] * len(cases)


# --- successes -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"])
async def test_suspension_sets_suspended_at(database: Database, world: World, role: str) -> None:
    viewer = world.viewer(role)
    pk = world.independent_a.id
    activities_before = (await snapshot(database))[1]
    started = utcnow()

    changed = await change(database, viewer, pk, "SUSPENDED", expected_version=1)

    assert (changed.status, changed.version, changed.quantity) == ("SUSPENDED", 2, 20)
    row = await reread(database, pk)
    assert (row.status, row.version, row.quantity) == ("SUSPENDED", 2, 20)
    assert row.suspended_at is not None
    assert started <= row.suspended_at <= utcnow()
    assert row.updated_at >= started
    [entry] = await activities_of(database, pk)
    assert (entry.operation, entry.principal_id, entry.version, entry.customer_id) == (
        "CHANGE_STATUS",
        viewer.principal_id,
        2,
        world.independent.id,
    )
    assert entry.before == {"status": "ACTIVE", "suspendedAt": None, "autoRenew": True}
    # L2: suspending turns auto-renew off
    assert entry.after == {
        "status": "SUSPENDED",
        "suspendedAt": row.suspended_at.isoformat(),
        "autoRenew": False,
    }
    assert (await snapshot(database))[1] == activities_before + 1


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"])
async def test_reactivation_clears_suspended_at(
    database: Database, world: World, role: str
) -> None:
    viewer = world.viewer(role)
    pk = world.independent_suspended.id
    suspended_at = (await reread(database, pk)).suspended_at
    assert suspended_at is not None

    changed = await change(database, viewer, pk, "ACTIVE", expected_version=1)

    assert (changed.status, changed.version, changed.suspended_at) == ("ACTIVE", 2, None)
    row = await reread(database, pk)
    assert (row.status, row.version, row.suspended_at) == ("ACTIVE", 2, None)
    [entry] = await activities_of(database, pk)
    assert (entry.operation, entry.principal_id, entry.version) == (
        "CHANGE_STATUS",
        viewer.principal_id,
        2,
    )
    assert entry.before == {"status": "SUSPENDED", "suspendedAt": suspended_at.isoformat()}
    assert entry.after == {"status": "ACTIVE", "suspendedAt": None}


async def test_customer_not_created_by_a_partner_suspends_its_direct_subscription(
    database: Database, world: World
) -> None:
    viewer = world.viewer("INDEPENDENT_ADMIN")
    pk = world.independent_direct.id
    changed = await change(database, viewer, pk, "SUSPENDED")
    assert (changed.status, changed.version, changed.partner_id) == ("SUSPENDED", 2, None)
    [entry] = await activities_of(database, pk)
    assert (entry.principal_id, entry.version) == (viewer.principal_id, 2)


async def test_suspend_then_reactivate_round_trip(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    pk = world.shared_a.id
    await change(database, viewer, pk, "SUSPENDED", expected_version=1)
    error = await rejected(database, viewer, pk, "SUSPENDED", expected_version=2)
    assert error.code == "INVALID_STATUS_TRANSITION"
    again = await change(database, viewer, pk, "ACTIVE", expected_version=2)
    assert (again.status, again.version, again.suspended_at) == ("ACTIVE", 3, None)
    entries = await activities_of(database, pk)
    assert [(e.version, e.after["status"]) for e in entries] == [(2, "SUSPENDED"), (3, "ACTIVE")]


async def test_other_subscriptions_are_untouched(database: Database, world: World) -> None:
    before = await snapshot(database)
    await change(database, world.viewer("GLOBAL_ADMIN"), world.independent_a.id, "SUSPENDED")
    after = await snapshot(database)
    pk = world.independent_a.id
    assert [r for r in after[0] if r[0] != pk] == [r for r in before[0] if r[0] != pk]
    assert (len(after[0]), after[2]) == (len(before[0]), before[2])
