"""`actions` and the mutations cannot disagree: for every demo principal and every subscription
it can see, an action is listed exactly when its mutation with validateOnly: true has no
userErrors, and notManageableReason is null exactly when canManage is true. Over HTTP, on the
demo data seeded now, on both engines; one request per subscription (aliased mutations)."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from cli import demo
from infra.database import Database
from schema.enums import SubscriptionAction
from settings import Settings
from tests.clients import app_client
from tests.snapshots import snapshot

SUBSCRIPTIONS = """
{
  customers(first: 100) {
    nodes {
      subscriptions(first: 100) {
        nodes { id friendlyName quantity autoRenew actions canManage notManageableReason }
      }
    }
  }
}
"""

# Each action's mutation, previewed: its alias is the action's name.
EVERY_ACTION = """
mutation($id: ID!, $up: Int!, $down: Int!, $autoRenew: Boolean!, $name: String!) {
  INCREASE_QUANTITY: changeQuantity(input: {subscriptionId: $id, quantity: $up,
                                            validateOnly: true}) { userErrors { code } }
  DECREASE_QUANTITY: changeQuantity(input: {subscriptionId: $id, quantity: $down,
                                            validateOnly: true}) { userErrors { code } }
  SUSPEND: changeStatus(input: {subscriptionId: $id, status: SUSPENDED,
                                validateOnly: true}) { userErrors { code } }
  REACTIVATE: changeStatus(input: {subscriptionId: $id, status: ACTIVE,
                                   validateOnly: true}) { userErrors { code } }
  CANCEL: changeStatus(input: {subscriptionId: $id, status: CANCELLED,
                               validateOnly: true}) { userErrors { code } }
  CHANGE_RENEWAL: changeRenewal(input: {subscriptionId: $id, autoRenew: $autoRenew,
                                        validateOnly: true}) { userErrors { code } }
  RENAME: renameSubscription(input: {subscriptionId: $id, friendlyName: $name,
                                     validateOnly: true}) { userErrors { code } }
}
"""


@pytest.fixture
async def demo_keys(database: Database) -> dict[str, str]:
    async with database.write_sessions.begin() as session:
        return {key.name: key.token for key in await demo.seed_demo(session)}


@pytest.fixture
async def http(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, database) as client:
        yield client


async def _data(
    client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    found: dict[str, Any] = body["data"]
    return found


async def test_actions_are_what_validate_only_allows(
    http: httpx.AsyncClient, demo_keys: dict[str, str], database: Database
) -> None:
    assert set(demo_keys) == {
        "Alice Admin",
        "Adam Agent",
        "Sam Sales",
        "Hana Helpdesk",
        "Bill Billing",
        "Fiona Fabrikam",
        "Ada Adatum",
        "Nick Northwind",
    }
    before = await snapshot(database)
    disagreements = []
    seen_actions: set[str] = set()
    for principal, token in sorted(demo_keys.items()):
        customers = (await _data(http, token, SUBSCRIPTIONS))["customers"]["nodes"]
        subscriptions = [s for c in customers for s in c["subscriptions"]["nodes"]]
        assert subscriptions, principal
        for subscription in subscriptions:
            assert (subscription["notManageableReason"] is None) is subscription["canManage"]
            if not subscription["canManage"]:
                assert subscription["actions"] == [], (principal, subscription)
            variables = {
                "id": subscription["id"],
                "up": subscription["quantity"] + 1,
                "down": subscription["quantity"] - 1,
                "autoRenew": not subscription["autoRenew"],
                "name": f"{subscription['friendlyName'][:90]} (renamed)",
            }
            previews = await _data(http, token, EVERY_ACTION, variables)
            allowed = [a.name for a in SubscriptionAction if not previews[a.name]["userErrors"]]
            seen_actions.update(allowed)
            if allowed != subscription["actions"]:
                disagreements.append((principal, subscription, previews))
    assert disagreements == []
    # The demo data shows every action somewhere: the comparison is not of empty lists.
    assert seen_actions == {a.name for a in SubscriptionAction}
    assert await snapshot(database) == before  # validateOnly changed nothing
