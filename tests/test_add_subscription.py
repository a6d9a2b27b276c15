"""addSubscription at the service level: roles, offers, markets, add-ons, input, idempotency."""

import asyncio
from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select, update

import models
from infra.database import Database
from infra.transactions import run_in_transaction
from models.base import utcnow
from services import purchases
from services.errors import DomainError
from services.purchases import NewSubscription
from services.terms import TermDuration, commitment_end
from services.viewer import Viewer
from tests import factories
from tests.factories import World
from tests.snapshots import snapshot


async def add(
    database: Database,
    viewer: Viewer,
    request: NewSubscription,
    key: str | None = None,
    validate_only: bool = False,
) -> models.Subscription | None:
    bought = await run_in_transaction(
        database.write_sessions,
        lambda s: purchases.add_subscription(s, viewer, request, key, validate_only),
    )
    return bought.subscription


async def added(
    database: Database, viewer: Viewer, request: NewSubscription, key: str | None = None
) -> models.Subscription:
    subscription = await add(database, viewer, request, key)
    assert subscription is not None
    return subscription


async def rejected(
    database: Database,
    viewer: Viewer,
    request: NewSubscription,
    key: str | None = None,
    validate_only: bool = False,
) -> DomainError:
    """The error of an add that must fail, after checking that it changed nothing."""
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await add(database, viewer, request, key, validate_only)
    assert await snapshot(database) == before
    return caught.value


def basic_for(world: World, quantity: int = 5) -> NewSubscription:
    return NewSubscription(
        customer_id=world.independent.id, offer_id=world.basic.id, quantity=quantity
    )


def add_on_for(world: World, parent: int | None = None) -> NewSubscription:
    return NewSubscription(
        customer_id=world.independent.id,
        offer_id=world.add_on.id,
        quantity=3,
        parent_subscription_id=parent,
    )


async def extra_subscription(
    database: Database,
    customer: models.Customer,
    offer: models.Offer,
    sold_by: models.Partner | None,
    status: str = "ACTIVE",
) -> models.Subscription:
    async with database.write_sessions.begin() as s:
        return await factories.subscription(s, customer, offer, sold_by, status=status)


async def activity_count(database: Database, pk: int) -> int:
    """The number of activity rows of one subscription."""
    async with database.read_sessions() as s:
        stmt = select(func.count()).where(models.Activity.subscription_id == pk)
        return (await s.scalars(stmt)).one()


Attempt = tuple[str, NewSubscription, str | None]  # role, request, idempotency key
Outcome = tuple[str, tuple[str, ...] | None]  # code, field


async def outcomes(
    database: Database, world: World, attempts: dict[str, Attempt], validate_only: bool = False
) -> dict[str, Outcome]:
    """Each attempt's error; rejections change nothing, so they all run against one world."""
    found = {}
    for label, (role, request, key) in attempts.items():
        error = await rejected(database, world.viewer(role), request, key, validate_only)
        found[label] = (error.code, error.field)
    return found


# --- roles and NOT_FOUND ---------------------------------------------------------------------


async def test_roles_that_may_not_add(database: Database, world: World) -> None:
    basic = basic_for(world)
    created = replace(basic, customer_id=world.created.id)
    attempts: dict[str, Attempt] = {
        "helpdesk": ("HELPDESK_AGENT", basic, None),
        "billing": ("BILLING_ADMIN", basic, "order-1"),
        "customer admin, own account": ("INDEPENDENT_ADMIN", basic, None),
        "customer admin, partner-created account": ("CREATED_ADMIN", created, None),
        "role before input": ("HELPDESK_AGENT", replace(basic, friendly_name=""), ""),
    }
    assert await outcomes(database, world, attempts) == dict.fromkeys(attempts, ("FORBIDDEN", None))


async def test_unknown_or_invisible_customer_or_offer(database: Database, world: World) -> None:
    basic = basic_for(world)
    customer = ("NOT_FOUND", ("customerId",))
    offer = ("NOT_FOUND", ("offerId",))
    cases: dict[str, tuple[Attempt, Outcome]] = {
        "another partner's customer": (
            ("GLOBAL_ADMIN", replace(basic, customer_id=world.b_only.id), None),
            customer,
        ),
        "no relationship": (("B_ADMIN", basic, None), customer),
        "created by the other": (
            ("B_ADMIN", replace(basic, customer_id=world.created.id), None),
            customer,
        ),
        "malformed customer": (("GLOBAL_ADMIN", replace(basic, customer_id=0), None), customer),
        "unknown customer": (
            ("GLOBAL_ADMIN", replace(basic, customer_id=999_999), None),
            customer,
        ),
        "malformed offer": (("GLOBAL_ADMIN", replace(basic, offer_id=0), None), offer),
        "unknown offer": (("GLOBAL_ADMIN", replace(basic, offer_id=999_999), None), offer),
    }
    attempts = {label: attempt for label, (attempt, _) in cases.items()}
    assert await outcomes(database, world, attempts) == {
        label: expected for label, (_, expected) in cases.items()
    }


# --- offers ----------------------------------------------------------------------------------


async def test_offer_rules(database: Database, world: World) -> None:
    async with database.write_sessions.begin() as s:
        unsold = await factories.offer(s, ())
    basic = basic_for(world)
    premium = replace(basic, offer_id=world.premium.id, quantity=10)  # A only, ANNUAL, 5..50
    regional = replace(basic, offer_id=world.regional.id)  # A only, US only
    cases: dict[str, tuple[Attempt, Outcome, str]] = {
        "not authorised": (
            ("B_ADMIN", replace(premium, customer_id=world.shared.id), None),
            ("OFFER_NOT_AUTHORIZED", ("offerId",)),
            "your partner is not authorised to sell this offer",
        ),
        "nobody may sell": (
            ("GLOBAL_ADMIN", replace(basic, offer_id=unsold.id), None),
            ("OFFER_NOT_AUTHORIZED", ("offerId",)),
            "your partner is not authorised to sell this offer",
        ),
        "not sold in GB": (
            ("GLOBAL_ADMIN", regional, None),
            ("OFFER_NOT_AVAILABLE", ("offerId",)),
            "this offer is not sold in GB",
        ),
        "not sold in DE": (
            ("GLOBAL_ADMIN", replace(regional, customer_id=world.shared.id), None),
            ("OFFER_NOT_AVAILABLE", ("offerId",)),
            "this offer is not sold in DE",
        ),
        "cycle not offered": (
            ("GLOBAL_ADMIN", replace(premium, billing_cycle="MONTHLY"), None),
            ("OFFER_NOT_AVAILABLE", ("billingCycle",)),
            "this offer is not sold with MONTHLY billing",
        ),
        "cycle unknown": (
            ("GLOBAL_ADMIN", replace(premium, billing_cycle="WEEKLY"), None),
            ("OFFER_NOT_AVAILABLE", ("billingCycle",)),
            "this offer is not sold with WEEKLY billing",
        ),
    }
    ranges = [(0, basic, 1, 100), (-5, basic, 1, 100), (101, basic, 1, 100)]
    ranges += [(4, premium, 5, 50), (51, premium, 5, 50), (1, premium, 5, 50)]
    for quantity, offer, low, high in ranges:
        cases[f"quantity {quantity} of {offer.offer_id}"] = (
            ("GLOBAL_ADMIN", replace(offer, quantity=quantity), None),
            ("QUANTITY_OUT_OF_RANGE", ("quantity",)),
            f"quantity must be between {low} and {high}",
        )
    found = {}
    for label, ((role, request, key), _, _) in cases.items():
        error = await rejected(database, world.viewer(role), request, key)
        found[label] = ((error.code, error.field), error.message)
    assert found == {label: (code, message) for label, (_, code, message) in cases.items()}
    # ...and the partner that may sell premium does
    sold = await added(
        database, world.viewer("GLOBAL_ADMIN"), replace(premium, customer_id=world.shared.id)
    )
    assert (sold.offer_id, sold.partner_id) == (world.premium.id, world.partner_a.id)


async def test_offer_sold_in_the_customers_country(database: Database, world: World) -> None:
    request = NewSubscription(customer_id=world.created.id, offer_id=world.regional.id, quantity=1)
    subscription = await added(database, world.viewer("GLOBAL_ADMIN"), request)
    assert (subscription.customer_id, subscription.offer_id) == (
        world.created.id,
        world.regional.id,
    )


async def test_billing_cycle_defaults_to_the_offers_first(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    premium = NewSubscription(
        customer_id=world.independent.id, offer_id=world.premium.id, quantity=10
    )
    assert (await added(database, viewer, premium)).billing_cycle == "ANNUAL"
    assert (await added(database, viewer, basic_for(world))).billing_cycle == "MONTHLY"
    annual = replace(basic_for(world), billing_cycle="ANNUAL")
    assert (await added(database, viewer, annual)).billing_cycle == "ANNUAL"


@pytest.mark.parametrize("quantity", [5, 50])
async def test_quantity_bounds_are_inclusive(
    database: Database, world: World, quantity: int
) -> None:
    request = replace(basic_for(world), offer_id=world.premium.id, quantity=quantity)
    assert (await added(database, world.viewer("GLOBAL_ADMIN"), request)).quantity == quantity


# --- add-ons ---------------------------------------------------------------------------------


async def test_add_on_rejections(database: Database, world: World) -> None:
    b_base = await extra_subscription(database, world.shared, world.base, world.partner_b)
    suspended_base = await extra_subscription(
        database, world.independent, world.base, world.partner_a, "SUSPENDED"
    )
    other_customers_base = await extra_subscription(
        database, world.created, world.base, world.partner_a
    )
    shared = replace(add_on_for(world), customer_id=world.shared.id)
    missing = ("PREREQUISITE_MISSING", ("parentSubscriptionId",))
    not_found = ("NOT_FOUND", ("parentSubscriptionId",))
    cases: dict[str, tuple[Attempt, Outcome]] = {
        # shared has only B's base subscription, which A cannot see
        "none A can see": (("GLOBAL_ADMIN", shared, None), missing),
        "named, not a prerequisite": (
            ("GLOBAL_ADMIN", add_on_for(world, world.independent_a.id), None),
            missing,
        ),
        "named, suspended": (
            ("GLOBAL_ADMIN", add_on_for(world, suspended_base.id), None),
            ("PARENT_NOT_ACTIVE", ("parentSubscriptionId",)),
        ),
        "named, another customer's": (
            ("GLOBAL_ADMIN", add_on_for(world, other_customers_base.id), None),
            missing,
        ),
        "named, invisible": (
            ("GLOBAL_ADMIN", replace(shared, parent_subscription_id=b_base.id), None),
            not_found,
        ),
        "named, malformed": (("GLOBAL_ADMIN", add_on_for(world, 0), None), not_found),
        "named, unknown": (("GLOBAL_ADMIN", add_on_for(world, 999_999), None), not_found),
        "named, negative": (("GLOBAL_ADMIN", add_on_for(world, -1), None), not_found),
        "parent of a non-add-on": (
            (
                "GLOBAL_ADMIN",
                replace(basic_for(world), parent_subscription_id=world.independent_base.id),
                None,
            ),
            ("INVALID_INPUT", ("parentSubscriptionId",)),
        ),
    }
    attempts = {label: attempt for label, (attempt, _) in cases.items()}
    assert await outcomes(database, world, attempts) == {
        label: expected for label, (_, expected) in cases.items()
    }
    # ...while the partner that sold the base subscription attaches its add-on to it
    mine = await added(database, world.viewer("B_ADMIN"), shared)
    assert mine.parent_subscription_id == b_base.id


async def test_add_on_under_a_suspended_prerequisite_waits_for_it(
    database: Database, world: World
) -> None:
    """A3: the customer has the base, but not active: PARENT_NOT_ACTIVE, not a missing one."""
    await extra_subscription(database, world.shared, world.base, world.partner_a, "SUSPENDED")
    request = replace(add_on_for(world), customer_id=world.shared.id)
    error = await rejected(database, world.viewer("GLOBAL_ADMIN"), request)
    assert (error.code, error.field) == ("PARENT_NOT_ACTIVE", ("parentSubscriptionId",))
    assert error.message == "its base subscription is SUSPENDED; the base must be active first"


async def test_add_on_picks_the_oldest_active_prerequisite(
    database: Database, world: World
) -> None:
    await extra_subscription(database, world.independent, world.base, world.partner_a)
    subscription = await added(database, world.viewer("GLOBAL_ADMIN"), add_on_for(world))
    assert subscription.parent_subscription_id == world.independent_base.id
    assert (subscription.offer_id, subscription.status) == (world.add_on.id, "ACTIVE")


async def test_add_on_skips_a_suspended_oldest_prerequisite(
    database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as s:
        await s.execute(
            update(models.Subscription)
            .where(models.Subscription.id == world.independent_base.id)
            .values(status="SUSPENDED", suspended_at=utcnow())
        )
    error = await rejected(database, world.viewer("GLOBAL_ADMIN"), add_on_for(world))
    assert error.code == "PARENT_NOT_ACTIVE"
    direct = await extra_subscription(database, world.independent, world.base, None)
    subscription = await added(database, world.viewer("GLOBAL_ADMIN"), add_on_for(world))
    assert subscription.parent_subscription_id == direct.id


async def test_add_on_with_a_named_parent(database: Database, world: World) -> None:
    newer = await extra_subscription(database, world.independent, world.base, world.partner_a)
    request = add_on_for(world, parent=newer.id)
    subscription = await added(database, world.viewer("GLOBAL_ADMIN"), request)
    assert subscription.parent_subscription_id == newer.id


# --- INVALID_INPUT ---------------------------------------------------------------------------


BAD_NAMES = ["", "   ", "\t\n", "x" * 101, "a\x00b", "a\x07b", "a\nb", "a\x7fb", "a\x85b", "\ud800"]
BAD_KEYS = ["", "k" * 201, "key\x00", "key\x1b", "\ud800"]


async def test_invalid_input(database: Database, world: World) -> None:
    basic = basic_for(world)
    attempts: dict[str, Attempt] = {
        f"name {name!r}": ("GLOBAL_ADMIN", replace(basic, friendly_name=name), None)
        for name in BAD_NAMES
    }
    attempts.update({f"key {key!r}": ("GLOBAL_ADMIN", basic, key) for key in BAD_KEYS})
    assert await outcomes(database, world, attempts) == {
        **{f"name {name!r}": ("INVALID_INPUT", ("friendlyName",)) for name in BAD_NAMES},
        **{f"key {key!r}": ("INVALID_INPUT", ("idempotencyKey",)) for key in BAD_KEYS},
    }


async def test_friendly_name_is_trimmed_and_may_be_100_characters(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    trimmed = await added(database, viewer, replace(basic_for(world), friendly_name="  Team A  "))
    assert trimmed.friendly_name == "Team A"
    longest = await added(database, viewer, replace(basic_for(world), friendly_name="é" * 100))
    assert longest.friendly_name == "é" * 100
    default = await added(database, viewer, basic_for(world))
    assert default.friendly_name == "Basic"


async def test_idempotency_key_may_be_200_characters_and_is_compared_whole(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await added(database, viewer, basic_for(world), key="k" * 199 + "1")
    second = await added(database, viewer, basic_for(world), key="k" * 199 + "2")
    padded = await added(database, viewer, basic_for(world), key=" " + "k" * 198 + "1")
    assert len({first.id, second.id, padded.id}) == 3
    again = await added(database, viewer, basic_for(world), key="k" * 199 + "1")
    assert again.id == first.id
    assert (await snapshot(database))[2] == 3


# --- successes -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"])
async def test_selling_roles_add_a_subscription(
    database: Database, world: World, role: str
) -> None:
    viewer = world.viewer(role)
    before = await snapshot(database)
    started = utcnow()
    request = replace(basic_for(world, quantity=7), friendly_name="Sales team")

    subscription = await added(database, viewer, request)

    async with database.read_sessions() as s:
        row = await s.get_one(models.Subscription, subscription.id)
        [entry] = (
            await s.scalars(
                select(models.Activity).where(models.Activity.subscription_id == row.id)
            )
        ).all()
    assert (
        row.customer_id,
        row.offer_id,
        row.partner_id,
        row.parent_subscription_id,
        row.friendly_name,
        row.quantity,
        row.status,
        row.billing_cycle,
        row.auto_renew,
        row.suspended_at,
        row.version,
    ) == (
        world.independent.id,
        world.basic.id,
        world.partner_a.id,
        None,
        "Sales team",
        7,
        "ACTIVE",
        "MONTHLY",
        True,
        None,
        1,
    )
    assert started <= row.created_at == row.updated_at <= utcnow()
    assert (entry.operation, entry.principal_id, entry.version, entry.customer_id) == (
        "ADD_SUBSCRIPTION",
        viewer.principal_id,
        1,
        world.independent.id,
    )
    assert entry.before is None
    assert entry.after == {
        "offer": world.basic.sku,
        "friendlyName": "Sales team",
        "quantity": 7,
        "status": "ACTIVE",
        "autoRenew": True,
        "billingCycle": "MONTHLY",
        "termDuration": "P1M",
        "commitmentEndDate": row.commitment_end_date.isoformat(),
        "unitPrice": "12.00",
    }
    assert row.commitment_end_date == commitment_end(row.created_at.date(), TermDuration.P1M)
    after = await snapshot(database)
    assert (len(after[0]), after[1], after[2]) == (len(before[0]) + 1, before[1] + 1, before[2])
    assert after[0][:-1] == before[0]


async def test_a_partner_adds_for_a_customer_it_shares(database: Database, world: World) -> None:
    request = replace(basic_for(world), customer_id=world.shared.id)
    subscription = await added(database, world.viewer("B_ADMIN"), request)
    assert (subscription.customer_id, subscription.partner_id) == (
        world.shared.id,
        world.partner_b.id,
    )


# --- validate_only ---------------------------------------------------------------------------


async def test_validate_only_writes_nothing(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    before = await snapshot(database)
    for key in (None, "validate-1"):
        assert await add(database, viewer, add_on_for(world), key, validate_only=True) is None
        assert await snapshot(database) == before
    # the key was not consumed: a real request with it creates the subscription
    real = await added(database, viewer, add_on_for(world), "validate-1")
    assert real.parent_subscription_id == world.independent_base.id
    after = await snapshot(database)
    assert (len(after[0]), after[1], after[2]) == (len(before[0]) + 1, before[1] + 1, 1)


async def test_validate_only_still_checks_everything(database: Database, world: World) -> None:
    basic = basic_for(world)
    cases: dict[str, tuple[Attempt, Outcome]] = {
        "quantity": (
            ("GLOBAL_ADMIN", replace(basic, quantity=0), None),
            ("QUANTITY_OUT_OF_RANGE", ("quantity",)),
        ),
        "offer": (
            ("GLOBAL_ADMIN", replace(basic, offer_id=999_999), None),
            ("NOT_FOUND", ("offerId",)),
        ),
        "customer": (
            ("GLOBAL_ADMIN", replace(basic, customer_id=0), None),
            ("NOT_FOUND", ("customerId",)),
        ),
        "name": (
            ("GLOBAL_ADMIN", replace(basic, friendly_name=" "), None),
            ("INVALID_INPUT", ("friendlyName",)),
        ),
        "prerequisite": (
            ("GLOBAL_ADMIN", replace(add_on_for(world), customer_id=world.shared.id), None),
            ("PREREQUISITE_MISSING", ("parentSubscriptionId",)),
        ),
        "role": (("BILLING_ADMIN", basic, None), ("FORBIDDEN", None)),
        "country": (
            ("GLOBAL_ADMIN", replace(basic, offer_id=world.regional.id), None),
            ("OFFER_NOT_AVAILABLE", ("offerId",)),
        ),
    }
    attempts = {label: attempt for label, (attempt, _) in cases.items()}
    assert await outcomes(database, world, attempts, validate_only=True) == {
        label: expected for label, (_, expected) in cases.items()
    }


# --- idempotency -----------------------------------------------------------------------------


async def test_same_key_and_input_returns_the_first_result(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await added(database, viewer, basic_for(world), key="order-1")
    after_first = await snapshot(database)
    again = await added(database, viewer, basic_for(world), key="order-1")
    assert again.id == first.id
    assert await snapshot(database) == after_first
    assert after_first[2] == 1
    assert await activity_count(database, first.id) == 1


async def test_replay_returns_the_subscription_as_it_is_now(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await added(database, viewer, basic_for(world), key="order-1")
    async with database.write_sessions.begin() as s:
        await s.execute(
            update(models.Subscription)
            .where(models.Subscription.id == first.id)
            .values(quantity=9, version=2)
        )
    again = await added(database, viewer, basic_for(world), key="order-1")
    assert (again.id, again.quantity, again.version) == (first.id, 9, 2)


async def test_same_key_with_different_input_is_rejected(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    await added(database, viewer, basic_for(world), key="order-1")
    basic = basic_for(world)
    different = {
        "quantity": replace(basic, quantity=6),
        "friendly_name": replace(basic, friendly_name="Other"),
        "billing_cycle": replace(basic, billing_cycle="ANNUAL"),
        "customer_id": replace(basic, customer_id=world.shared.id),
        "offer_id": replace(basic, offer_id=world.base.id),
    }
    attempts: dict[str, Attempt] = {
        field: ("GLOBAL_ADMIN", request, "order-1") for field, request in different.items()
    }
    assert await outcomes(database, world, attempts) == dict.fromkeys(
        different, ("IDEMPOTENCY_KEY_REUSED", ("idempotencyKey",))
    )


async def test_keys_are_scoped_per_principal(database: Database, world: World) -> None:
    mine = await added(database, world.viewer("GLOBAL_ADMIN"), basic_for(world), key="order-1")
    theirs = await added(database, world.viewer("SALES_AGENT"), basic_for(world), key="order-1")
    other_partner = await added(
        database,
        world.viewer("B_ADMIN"),
        replace(basic_for(world), customer_id=world.shared.id),
        key="order-1",
    )
    assert len({mine.id, theirs.id, other_partner.id}) == 3
    assert (await snapshot(database))[2] == 3


async def test_another_key_creates_another_subscription(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await added(database, viewer, basic_for(world), key="order-1")
    second = await added(database, viewer, basic_for(world), key="order-2")
    third = await added(database, viewer, basic_for(world))
    assert len({first.id, second.id, third.id}) == 3


async def test_replay_of_a_subscription_no_longer_visible_is_not_found(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    await added(database, viewer, basic_for(world), key="order-1")
    async with database.write_sessions.begin() as s:  # the reseller relationship ends
        await s.execute(
            delete(models.PartnerCustomer).where(
                models.PartnerCustomer.partner_id == world.partner_a.id,
                models.PartnerCustomer.customer_id == world.independent.id,
            )
        )
    error = await rejected(database, viewer, basic_for(world), key="order-1")
    assert error.code == "NOT_FOUND"


# --- concurrency -----------------------------------------------------------------------------


async def test_concurrent_retries_with_one_key_create_one_subscription(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    before = await snapshot(database)
    results = await asyncio.gather(
        *(added(database, viewer, basic_for(world), key="order-1") for _ in range(10))
    )
    assert len({subscription.id for subscription in results}) == 1
    after = await snapshot(database)
    assert (len(after[0]), after[1], after[2]) == (len(before[0]) + 1, before[1] + 1, 1)
    assert await activity_count(database, results[0].id) == 1
