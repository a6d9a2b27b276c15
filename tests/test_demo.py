"""The demo data of version 2 (API.md "Demo data, version 2"), as a client sees it over HTTP:
each scenario is there, relative to the time `seed-demo` ran, on both engines."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from cli import demo
from infra.database import Database
from models import Customer, Subscription, base
from settings import Settings
from tests.clients import app_client
from tests.graphql import gid

# A day without month-end clamps, so that every expected date below is written out.
SEEDED_AT = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)

SUBSCRIPTION = """
query($id: ID!) {
  node(id: $id) {
    ... on CustomerSubscription {
      friendlyName quantity status autoRenew termDuration billingCycle commitmentEndDate
      cancellationAllowedUntil unitPrice { amount currencyCode }
      refundableQuantity { totalQuantity details { quantity allowedUntil } }
      nextTerm { quantity termDuration billingCycle }
      parentSubscription { id }
      addOns { nodes { id status } }
      customer { companyName }
      actions canManage notManageableReason
    }
  }
}
"""

SEATS = """
query($id: ID!) {
  node(id: $id) {
    ... on Customer { subscriptions { nodes { quantity status offer { seatLimitPerCustomer } } } }
  }
}
"""

HISTORY = """
query($id: ID!) {
  node(id: $id) {
    ... on CustomerSubscription {
      version activity { nodes { operation version before after actor occurredAt } }
    }
  }
}
"""

CHANGE_QUANTITY = """
mutation($id: ID!, $q: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $q, validateOnly: true}) {
    userErrors { code field }
  }
}
"""


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    monkeypatch.setattr(base.CLOCK, "now", lambda: SEEDED_AT)
    yield SEEDED_AT


@pytest.fixture
async def alice(
    frozen: datetime, settings: Settings, database: Database
) -> AsyncIterator[httpx.AsyncClient]:
    """The demo data seeded at SEEDED_AT, and a client with the first partner's GLOBAL_ADMIN."""
    async with database.write_sessions.begin() as session:
        keys = {key.name: key.token for key in await demo.seed_demo(session)}
    async with app_client(settings, database) as client:
        client.headers["Authorization"] = f"Bearer {keys['Alice Admin']}"
        yield client


async def _data(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


async def _subscription(client: httpx.AsyncClient, pk: int) -> dict[str, Any]:
    found: dict[str, Any] = (
        await _data(client, SUBSCRIPTION, {"id": gid("CustomerSubscription", pk)})
    )["node"]
    return found


async def _id_of(database: Database, company: str, offer_name: str) -> int:
    """The demo's subscriptions are found by what they are, not by the order they were made."""
    async with database.read_sessions() as session:
        pk = await session.scalar(
            select(Subscription.id)
            .join(Customer, Customer.id == Subscription.customer_id)
            .where(
                Customer.company_name == company,
                Subscription.friendly_name == offer_name,
            )
        )
    assert pk is not None
    return pk


def _usd(amount: str) -> dict[str, str]:
    return {"amount": amount, "currencyCode": "USD"}


EVERYTHING = [
    "INCREASE_QUANTITY",
    "DECREASE_QUANTITY",
    "SUSPEND",
    "CANCEL",
    "CHANGE_RENEWAL",
    "RENAME",
]


async def test_bought_two_days_ago_can_be_decreased_and_cancelled(
    alice: httpx.AsyncClient, database: Database
) -> None:
    pk = await _id_of(database, "Tailspin Toys", "Microsoft 365 Business Premium")
    assert await _subscription(alice, pk) == {
        "friendlyName": "Microsoft 365 Business Premium",
        "quantity": 10,
        "status": "ACTIVE",
        "autoRenew": True,
        "termDuration": "P1Y",
        "billingCycle": "MONTHLY",
        "commitmentEndDate": "2027-06-12",
        "cancellationAllowedUntil": "2026-06-20T09:30:00+00:00",
        "unitPrice": _usd("22.00"),
        "refundableQuantity": {
            "totalQuantity": 10,
            "details": [{"quantity": 10, "allowedUntil": "2026-06-20T09:30:00+00:00"}],
        },
        "nextTerm": None,
        "parentSubscription": None,
        "addOns": {"nodes": []},
        "customer": {"companyName": "Tailspin Toys"},
        "actions": EVERYTHING,
        "canManage": True,
        "notManageableReason": None,
    }


async def test_seats_added_a_day_ago_are_the_only_refundable_ones(
    alice: httpx.AsyncClient, database: Database
) -> None:
    pk = await _id_of(database, "Woodgrove Bank", "Microsoft 365 E5")
    found = await _subscription(alice, pk)
    assert {k: found[k] for k in ("quantity", "termDuration", "billingCycle", "unitPrice")} == {
        "quantity": 25,
        "termDuration": "P1Y",
        "billingCycle": "ANNUAL",
        "unitPrice": _usd("684.00"),
    }
    assert found["commitmentEndDate"] == "2027-05-15"
    assert found["cancellationAllowedUntil"] is None
    assert found["refundableQuantity"] == {
        "totalQuantity": 5,
        "details": [{"quantity": 5, "allowedUntil": "2026-06-21T09:30:00+00:00"}],
    }
    assert found["actions"] == [a for a in EVERYTHING if a != "CANCEL"]
    history = await _data(alice, HISTORY, {"id": gid("CustomerSubscription", pk)})
    assert history["node"] == {
        "version": 2,
        "activity": {
            "nodes": [
                {
                    "operation": "CHANGE_QUANTITY",
                    "version": 2,
                    "before": {"quantity": 20},
                    "after": {"quantity": 25},
                    "actor": "Sam Sales",
                    "occurredAt": "2026-06-14T09:30:00+00:00",
                }
            ]
        },
    }
    e5 = gid("CustomerSubscription", pk)
    five_fewer = await _data(alice, CHANGE_QUANTITY, {"id": e5, "q": 20})
    assert five_fewer["changeQuantity"]["userErrors"] == []
    six_fewer = await _data(alice, CHANGE_QUANTITY, {"id": e5, "q": 19})
    assert six_fewer["changeQuantity"]["userErrors"] == [
        {"code": "QUANTITY_DECREASE_NOT_ALLOWED", "field": ["input", "quantity"]}
    ]


async def test_a_term_ending_today_renews_with_its_next_term(
    alice: httpx.AsyncClient, database: Database
) -> None:
    pk = await _id_of(database, "Adatum Corporation", "Microsoft 365 Business Standard")
    found = await _subscription(alice, pk)
    assert found["commitmentEndDate"] == "2026-06-15"
    assert found["autoRenew"] is True
    assert found["nextTerm"] == {"quantity": 10, "termDuration": "P1Y", "billingCycle": "MONTHLY"}
    assert found["cancellationAllowedUntil"] is None
    assert found["refundableQuantity"] == {"totalQuantity": 0, "details": []}
    assert found["actions"] == ["INCREASE_QUANTITY", "SUSPEND", "CHANGE_RENEWAL", "RENAME"]


async def test_a_term_that_ended_without_auto_renew_is_due_to_expire(
    alice: httpx.AsyncClient, database: Database
) -> None:
    pk = await _id_of(database, "Woodgrove Bank", "Exchange Online (Plan 1)")
    found = await _subscription(alice, pk)
    assert {k: found[k] for k in ("status", "autoRenew", "commitmentEndDate", "nextTerm")} == {
        "status": "ACTIVE",
        "autoRenew": False,
        "commitmentEndDate": "2026-06-13",
        "nextTerm": None,
    }
    # Only its name can change until time expires it.
    assert found["actions"] == ["RENAME"]


async def test_a_suspended_base_with_the_add_on_it_suspended(
    alice: httpx.AsyncClient, database: Database
) -> None:
    base_pk = await _id_of(database, "Lamna Healthcare", "Microsoft 365 E5")
    add_on_pk = await _id_of(database, "Lamna Healthcare", "Microsoft Teams Phone Standard")
    base_found = await _subscription(alice, base_pk)
    add_on = await _subscription(alice, add_on_pk)
    assert base_found["status"] == "SUSPENDED"
    assert base_found["addOns"] == {
        "nodes": [{"id": gid("CustomerSubscription", add_on_pk), "status": "SUSPENDED"}]
    }
    assert base_found["actions"] == ["REACTIVATE", "RENAME"]
    assert add_on["status"] == "SUSPENDED"
    assert add_on["parentSubscription"] == {"id": gid("CustomerSubscription", base_pk)}
    # Not on its own: it comes back with its base.
    assert add_on["actions"] == ["RENAME"]
    async with database.read_sessions() as session:
        row = await session.get(Subscription, add_on_pk)
        assert row is not None and row.suspended_with_parent is True


async def test_a_customer_near_the_business_seat_limit(
    alice: httpx.AsyncClient, database: Database
) -> None:
    async with database.read_sessions() as session:
        lamna = await session.scalar(
            select(Customer.id).where(Customer.company_name == "Lamna Healthcare")
        )
    assert lamna is not None
    found = await _data(alice, SEATS, {"id": gid("Customer", lamna)})
    business = [
        s["quantity"]
        for s in found["node"]["subscriptions"]["nodes"]
        if s["offer"]["seatLimitPerCustomer"] == 300
    ]
    assert sorted(business) == [8, 285]
    premium = gid(
        "CustomerSubscription",
        await _id_of(database, "Lamna Healthcare", "Microsoft 365 Business Premium"),
    )
    to_the_limit = await _data(alice, CHANGE_QUANTITY, {"id": premium, "q": 292})
    assert to_the_limit["changeQuantity"]["userErrors"] == []
    beyond = await _data(alice, CHANGE_QUANTITY, {"id": premium, "q": 293})
    assert beyond["changeQuantity"]["userErrors"] == [
        {"code": "SEAT_LIMIT_EXCEEDED", "field": ["input", "quantity"]}
    ]


async def test_offers_have_monthly_and_annual_terms_and_prices(alice: httpx.AsyncClient) -> None:
    found = await _data(
        alice,
        "{ offers(first: 100) { nodes { sku terms { termDuration billingCycle"
        " unitPrice { amount currencyCode } } } } }",
        {},
    )
    terms = {o["sku"]: o["terms"] for o in found["offers"]["nodes"]}
    assert terms["M365-BP"] == [
        {"termDuration": "P1M", "billingCycle": "MONTHLY", "unitPrice": _usd("26.40")},
        {"termDuration": "P1Y", "billingCycle": "MONTHLY", "unitPrice": _usd("22.00")},
        {"termDuration": "P1Y", "billingCycle": "ANNUAL", "unitPrice": _usd("264.00")},
    ]


async def test_seeding_again_adds_nothing(frozen: datetime, database: Database) -> None:
    async def count() -> int | None:
        async with database.read_sessions() as session:
            return await session.scalar(select(func.count()).select_from(Subscription))

    for _ in range(2):
        async with database.write_sessions.begin() as session:
            await demo.seed_demo(session)
        assert await count() == 20
