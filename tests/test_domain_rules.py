"""Every rule of DOMAIN.md that API.md version 2 names, refused at the service layer and through
HTTP, on both engines: the code, the field, the message's key facts, and a database unchanged.

Each case arranges its own subscription on top of the shared world, then asks for one change
twice: through the service, and as a GraphQL mutation. A refused change must leave every row as
it was, so both askings see the same state.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

import models
from infra.database import Database
from infra.transactions import run_in_transaction
from models import global_ids
from models.base import utcnow
from services import purchases, quantity, renewals, seats, status_changes, subscription_rules
from services.errors import DomainError
from services.terms import WINDOW
from services.viewer import Viewer
from settings import Settings
from tests import factories
from tests.clients import app_client
from tests.factories import World
from tests.snapshots import snapshot

SUBSCRIPTION = "CustomerSubscription"


@dataclass(frozen=True)
class Ask:
    """One change, as GraphQL input (the service call is derived from it)."""

    mutation: str  # changeQuantity, changeStatus, changeRenewal, addSubscription
    input: dict[str, Any]


@dataclass(frozen=True)
class Refusal:
    code: str
    field: tuple[str, ...]
    facts: tuple[str, ...]  # substrings the message must contain
    hidden: tuple[str, ...] = ()  # substrings it must not contain


Arrange = Callable[[AsyncSession, World], Awaitable[tuple[Ask, Refusal]]]


@dataclass(frozen=True)
class Case:
    rule: str
    arrange: Arrange
    role: str = "GLOBAL_ADMIN"


def sub_id(row: models.Subscription) -> str:
    return global_ids.encode(SUBSCRIPTION, row.id)


async def _set(session: AsyncSession, row: models.Subscription, **values: Any) -> None:
    await session.execute(
        update(models.Subscription).where(models.Subscription.id == row.id).values(**values)
    )


async def _business(session: AsyncSession, world: World) -> models.Offer:
    """An offer of the group with the 300-seat limit, sold by both partners."""
    return await factories.offer(
        session,
        (world.partner_a, world.partner_b),
        name="Business",
        max_quantity=300,
        seat_limit=300,
    )


# --- Q2: a decrease only by the seats still inside their 168-hour windows ---------------------


async def decrease_beyond_window(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, bought=timedelta(days=30)
    )
    added = seats.new_batch(row.id, 3, utcnow() - timedelta(days=1))
    session.add(added)
    await _set(session, row, quantity=13)
    closed = subscription_rules.iso(row.created_at + WINDOW)
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 9})
    facts = ("only 3 licence(s) can be removed", f"closed at {closed}", "changeRenewal")
    return ask, Refusal("QUANTITY_DECREASE_NOT_ALLOWED", ("quantity",), facts)


# --- Q4: only an active subscription changes its quantity -------------------------------------


async def quantity_while_suspended(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, status="SUSPENDED"
    )
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 11})
    return ask, Refusal("SUBSCRIPTION_NOT_ACTIVE", ("subscriptionId",), ("is SUSPENDED",))


# --- Q5: 300 seats per customer across the Business plans, whoever sold them -----------------


async def _near_the_limit(session: AsyncSession, world: World) -> models.Subscription:
    business = await _business(session, world)
    await factories.subscription(session, world.shared, business, world.partner_b, quantity=205)
    return await factories.subscription(
        session, world.shared, business, world.partner_a, quantity=93
    )


async def increase_beyond_seat_limit(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await _near_the_limit(session, world)
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 96})
    return ask, Refusal("SEAT_LIMIT_EXCEEDED", ("quantity",), ("at most 300",), ("205", "298"))


async def buy_beyond_seat_limit(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await _near_the_limit(session, world)
    ask = Ask(
        "addSubscription",
        {
            "customerId": global_ids.encode("Customer", world.shared.id),
            "offerId": global_ids.encode("Offer", row.offer_id),
            "quantity": 3,
        },
    )
    return ask, Refusal("SEAT_LIMIT_EXCEEDED", ("quantity",), ("at most 300",), ("205", "298"))


async def schedule_beyond_seat_limit(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await _near_the_limit(session, world)
    next_term = {"quantity": 100, "termDuration": "P1M", "billingCycle": "MONTHLY"}
    ask = Ask("changeRenewal", {"subscriptionId": sub_id(row), "nextTerm": next_term})
    return ask, Refusal(
        "SEAT_LIMIT_EXCEEDED", ("nextTerm", "quantity"), ("at most 300",), ("205", "298")
    )


# --- C1: cancellation only within 168 hours of the purchase or renewal -----------------------


async def cancel_after_window(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, bought=timedelta(days=8)
    )
    closed = subscription_rules.iso(row.term_started_at + WINDOW)
    ask = Ask("changeStatus", {"subscriptionId": sub_id(row), "status": "CANCELLED"})
    return ask, Refusal("CANCELLATION_WINDOW_PASSED", ("status",), (f"closed at {closed}",))


# --- L1: reactivation only from SUSPENDED and before the term's end --------------------------


async def reactivate_after_term(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, status="SUSPENDED"
    )
    ended = utcnow().date() - timedelta(days=1)
    await _set(session, row, commitment_end_date=ended)
    ask = Ask("changeStatus", {"subscriptionId": sub_id(row), "status": "ACTIVE"})
    facts = (f"its term ended on {ended.isoformat()}", "only before its term ends")
    return ask, Refusal("INVALID_STATUS_TRANSITION", ("status",), facts)


async def reactivate_expired(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, status="EXPIRED"
    )
    ask = Ask("changeStatus", {"subscriptionId": sub_id(row), "status": "ACTIVE"})
    return ask, Refusal("INVALID_STATUS_TRANSITION", ("status",), ("from EXPIRED to ACTIVE",))


async def ask_for_expired(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(session, world.independent, world.basic, world.partner_a)
    ask = Ask("changeStatus", {"subscriptionId": sub_id(row), "status": "EXPIRED"})
    return ask, Refusal("INVALID_STATUS_TRANSITION", ("status",), ("comes only with time",))


async def change_deleted(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(
        session, world.independent, world.basic, world.partner_a, status="DELETED"
    )
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 12})
    return ask, Refusal("SUBSCRIPTION_NOT_ACTIVE", ("subscriptionId",), ("is DELETED",))


# --- R2: nothing changes while a term's end is being processed -------------------------------


async def change_during_renewal(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(session, world.independent, world.basic, world.partner_a)
    ended = utcnow().date() - timedelta(days=1)
    await _set(session, row, commitment_end_date=ended)
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 11})
    facts = (f"its term ended on {ended.isoformat()}", "try again")
    return ask, Refusal("RENEWAL_IN_PROGRESS", ("subscriptionId",), facts)


async def suspend_during_renewal(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    ask, _ = await change_during_renewal(session, world)
    ask = Ask(
        "changeStatus", {"subscriptionId": ask.input["subscriptionId"], "status": "SUSPENDED"}
    )
    return ask, Refusal("RENEWAL_IN_PROGRESS", ("subscriptionId",), ("try again",))


# --- R4: a change for the renewal needs auto-renew on ----------------------------------------


async def schedule_without_auto_renew(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(session, world.independent, world.basic, world.partner_a)
    await _set(session, row, auto_renew=False)
    next_term = {"quantity": 5, "termDuration": "P1M", "billingCycle": "MONTHLY"}
    ask = Ask("changeRenewal", {"subscriptionId": sub_id(row), "nextTerm": next_term})
    return ask, Refusal("AUTO_RENEW_REQUIRED", ("nextTerm",), ("needs autoRenew on",))


# --- R6: a term and billing cycle the offer has ----------------------------------------------


async def buy_unknown_term(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    ask = Ask(
        "addSubscription",
        {
            "customerId": global_ids.encode("Customer", world.independent.id),
            "offerId": global_ids.encode("Offer", world.basic.id),
            "quantity": 3,
            "billingCycle": "ANNUAL",
            "termDuration": "P1M",
        },
    )
    return ask, Refusal("TERM_NOT_AVAILABLE", ("termDuration",), ("P1M", "ANNUAL"))


async def schedule_unknown_term(session: AsyncSession, world: World) -> tuple[Ask, Refusal]:
    row = await factories.subscription(session, world.independent, world.basic, world.partner_a)
    next_term = {"quantity": 5, "termDuration": "P3Y", "billingCycle": "MONTHLY"}
    ask = Ask("changeRenewal", {"subscriptionId": sub_id(row), "nextTerm": next_term})
    return ask, Refusal("TERM_NOT_AVAILABLE", ("nextTerm", "termDuration"), ("no such term",))


# --- A3: an add-on needs its base active ------------------------------------------------------


async def _add_on_of_suspended_base(
    session: AsyncSession, world: World, add_on_status: str
) -> models.Subscription:
    base = await factories.subscription(
        session, world.independent, world.base, world.partner_a, status="SUSPENDED"
    )
    return await factories.subscription(
        session,
        world.independent,
        world.add_on,
        world.partner_a,
        status=add_on_status,
        parent=base,
    )


async def increase_add_on_of_suspended_base(
    session: AsyncSession, world: World
) -> tuple[Ask, Refusal]:
    row = await _add_on_of_suspended_base(session, world, "ACTIVE")
    ask = Ask("changeQuantity", {"subscriptionId": sub_id(row), "quantity": 11})
    return ask, Refusal(
        "PARENT_NOT_ACTIVE", ("subscriptionId",), ("base subscription is SUSPENDED",)
    )


async def reactivate_add_on_of_suspended_base(
    session: AsyncSession, world: World
) -> tuple[Ask, Refusal]:
    row = await _add_on_of_suspended_base(session, world, "SUSPENDED")
    ask = Ask("changeStatus", {"subscriptionId": sub_id(row), "status": "ACTIVE"})
    return ask, Refusal(
        "PARENT_NOT_ACTIVE", ("subscriptionId",), ("base subscription is SUSPENDED",)
    )


async def buy_add_on_under_suspended_base(
    session: AsyncSession, world: World
) -> tuple[Ask, Refusal]:
    base = await factories.subscription(
        session, world.shared, world.base, world.partner_a, status="SUSPENDED"
    )
    ask = Ask(
        "addSubscription",
        {
            "customerId": global_ids.encode("Customer", world.shared.id),
            "offerId": global_ids.encode("Offer", world.add_on.id),
            "quantity": 2,
            "parentSubscriptionId": sub_id(base),
        },
    )
    return ask, Refusal("PARENT_NOT_ACTIVE", ("parentSubscriptionId",), ("SUSPENDED",))


CASES = [
    Case("Q2", decrease_beyond_window),
    Case("Q4", quantity_while_suspended),
    Case("Q4-deleted", change_deleted),
    Case("Q5-increase", increase_beyond_seat_limit),
    Case("Q5-purchase", buy_beyond_seat_limit),
    Case("Q5-next-term", schedule_beyond_seat_limit),
    Case("C1", cancel_after_window),
    Case("L1-late", reactivate_after_term),
    Case("L1-expired", reactivate_expired),
    Case("L-time-only", ask_for_expired),
    Case("R2-quantity", change_during_renewal),
    Case("R2-status", suspend_during_renewal),
    Case("R4", schedule_without_auto_renew),
    Case("R6-purchase", buy_unknown_term),
    Case("R6-next-term", schedule_unknown_term),
    Case("A3-increase", increase_add_on_of_suspended_base),
    Case("A3-reactivate", reactivate_add_on_of_suspended_base),
    Case("A3-purchase", buy_add_on_under_suspended_base),
]


def _pk(value: str, type_name: str = SUBSCRIPTION) -> int:
    return global_ids.decode(value, type_name)


async def through_service(database: Database, viewer: Viewer, ask: Ask) -> None:
    given = ask.input
    version = given.get("expectedVersion")

    async def work(s: AsyncSession) -> object:
        if ask.mutation == "changeQuantity":
            pk = _pk(given["subscriptionId"])
            return await quantity.change_quantity(s, viewer, pk, given["quantity"], version)
        if ask.mutation == "changeStatus":
            pk = _pk(given["subscriptionId"])
            return await status_changes.change_status(s, viewer, pk, given["status"], version)
        if ask.mutation == "changeRenewal":
            term = given.get("nextTerm")
            renewal = renewals.RenewalRequest(
                auto_renew=given.get("autoRenew"),
                next_term=None
                if term is None
                else renewals.NextTerm(
                    term["quantity"], term["termDuration"], term["billingCycle"]
                ),
            )
            pk = _pk(given["subscriptionId"])
            return await renewals.change_renewal(s, viewer, pk, renewal, version)
        parent = given.get("parentSubscriptionId")
        request = purchases.NewSubscription(
            customer_id=_pk(given["customerId"], "Customer"),
            offer_id=_pk(given["offerId"], "Offer"),
            quantity=given["quantity"],
            billing_cycle=given.get("billingCycle"),
            parent_subscription_id=None if parent is None else _pk(parent),
            term_duration=given.get("termDuration"),
        )
        return await purchases.add_subscription(s, viewer, request)

    await run_in_transaction(database.write_sessions, work)


MUTATION = """
mutation Ask($input: {input_type}!) {{
  {mutation}(input: $input) {{ userErrors {{ code field message }} }}
}}
"""


async def through_http(client: httpx.AsyncClient, ask: Ask) -> list[dict[str, Any]]:
    input_type = ask.mutation[0].upper() + ask.mutation[1:] + "Input"
    query = MUTATION.format(input_type=input_type, mutation=ask.mutation)
    response = await client.post(
        "/graphql", json={"query": query, "variables": {"input": ask.input}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    errors: list[dict[str, Any]] = body["data"][ask.mutation]["userErrors"]
    return errors


def check_message(message: str, refusal: Refusal) -> None:
    assert all(fact in message for fact in refusal.facts), message
    assert not any(secret in message for secret in refusal.hidden), message


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
async def test_refused_at_the_service(database: Database, world: World, case: Case) -> None:
    async with database.write_sessions.begin() as s:
        ask, refusal = await case.arrange(s, world)
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await through_service(database, world.viewer(case.role), ask)
    assert (caught.value.code, caught.value.field) == (refusal.code, refusal.field)
    check_message(caught.value.message, refusal)
    assert await snapshot(database) == before


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
async def test_refused_through_http(
    settings: Settings, database: Database, world: World, case: Case
) -> None:
    async with database.write_sessions.begin() as s:
        ask, refusal = await case.arrange(s, world)
    before = await snapshot(database)
    async with app_client(settings, database, world, case.role) as client:
        errors = await through_http(client, ask)
        dry_run = await through_http(client, Ask(ask.mutation, {**ask.input, "validateOnly": True}))
    expected = [(refusal.code, ("input", *refusal.field))]
    assert [(e["code"], tuple(e["field"])) for e in errors] == expected
    check_message(errors[0]["message"], refusal)
    assert dry_run == errors  # validateOnly runs every check, and refuses the same way
    assert await snapshot(database) == before


# --- what the rules allow, and what they do ---------------------------------------------------

QUANTITY = """
mutation Q($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q}) {
    subscription { quantity refundableQuantity { totalQuantity details { quantity } } }
    preview { quantity amount { amount currencyCode } }
    userErrors { code }
  }
}
"""


async def test_a_decrease_takes_the_seats_whose_window_closes_first(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    now = utcnow()
    async with database.write_sessions.begin() as s:
        row = await factories.subscription(
            s, world.independent, world.basic, world.partner_a, bought=timedelta(days=30)
        )
        original = (await s.scalars(_batches_of(row.id))).one().id
        older = seats.new_batch(row.id, 3, now - timedelta(days=5))
        newer = seats.new_batch(row.id, 4, now - timedelta(days=1))
        s.add_all([older, newer])
        await _set(s, row, quantity=17)
    response = await client.post(
        "/graphql", json={"query": QUANTITY, "variables": {"id": sub_id(row), "q": 12}}
    )
    answer = response.json()["data"]["changeQuantity"]
    assert answer["userErrors"] == []
    assert answer["subscription"] == {
        "quantity": 12,
        "refundableQuantity": {"totalQuantity": 2, "details": [{"quantity": 2}]},
    }
    assert answer["preview"]["quantity"] == -5
    assert Decimal(answer["preview"]["amount"]["amount"]) < 0  # a credit
    async with database.read_sessions() as s:
        left = {b.id: b.quantity for b in await s.scalars(_batches_of(row.id))}
    assert left == {original: 10, older.id: 0, newer.id: 2}


def _batches_of(pk: int) -> Any:
    return select(models.SeatBatch).where(models.SeatBatch.subscription_id == pk)


STATUS = """
mutation S($id: ID!, $status: SubscriptionStatus!) {
  changeStatus(input: {subscriptionId: $id, status: $status}) {
    subscription { status actions cancellationAllowedUntil refundableQuantity { totalQuantity } }
    preview { quantity amount { amount } }
    userErrors { code }
  }
}
"""


async def test_a_suspended_subscription_is_cancelled_inside_its_window_with_a_refund(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as s:
        row = await factories.subscription(
            s,
            world.independent,
            world.basic,
            world.partner_a,
            status="SUSPENDED",
            bought=timedelta(days=2),
        )
    variables = {"id": sub_id(row), "status": "CANCELLED"}
    response = await client.post("/graphql", json={"query": STATUS, "variables": variables})
    answer = response.json()["data"]["changeStatus"]
    assert answer["userErrors"] == []
    assert answer["subscription"] == {
        "status": "CANCELLED",
        "actions": [],
        "cancellationAllowedUntil": None,
        "refundableQuantity": {"totalQuantity": 0},
    }
    assert answer["preview"]["quantity"] == -10
    assert Decimal(answer["preview"]["amount"]["amount"]) < 0


# --- Q3 at the edges of a 32-bit Int: a refusal, never an overflow in the rules' arithmetic ----

EXTREMES = {
    "changeQuantity": """mutation($id: ID!, $q: Int!) {
      changeQuantity(input: {subscriptionId: $id, quantity: $q}) { userErrors { code } } }""",
    "changeRenewal": """mutation($id: ID!, $q: Int!) {
      changeRenewal(input: {subscriptionId: $id,
                            nextTerm: {quantity: $q, termDuration: P1M, billingCycle: MONTHLY}}) {
        userErrors { code } } }""",
    "addSubscription": """mutation($c: ID!, $o: ID!, $q: Int!) {
      addSubscription(input: {customerId: $c, offerId: $o, quantity: $q}) {
        userErrors { code } } }""",
}


@pytest.mark.parametrize("quantity", [-(2**31), 2**31 - 1])
@pytest.mark.parametrize("mutation", list(EXTREMES))
async def test_quantities_at_the_limits_of_int_are_out_of_range(
    client: httpx.AsyncClient, database: Database, world: World, mutation: str, quantity: int
) -> None:
    variables = {
        "id": sub_id(world.independent_a),
        "c": global_ids.encode("Customer", world.independent.id),
        "o": global_ids.encode("Offer", world.basic.id),
        "q": quantity,
    }
    before = await snapshot(database)
    response = await client.post(
        "/graphql", json={"query": EXTREMES[mutation], "variables": variables}
    )
    assert response.json() == {
        "data": {mutation: {"userErrors": [{"code": "QUANTITY_OUT_OF_RANGE"}]}},
        "extensions": response.json()["extensions"],
    }
    assert await snapshot(database) == before
