"""Query.activity and Activity as a Node: every record the viewer may see, newest first."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import models
from infra.database import Database
from services.access import visible_activity
from tests.factories import World

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
