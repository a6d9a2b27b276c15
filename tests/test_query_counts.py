"""The N+1 proof: a small and a large page cost the same, small, number of SQL statements."""

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

import models
from infra.database import Database
from models.base import utcnow
from tests import factories
from tests.conftest import StatementCounter
from tests.factories import World
from tests.graphql import execute, gid

BULK = 103  # partner A's extra customers, named "Bulk 000".. so that they sort before the world's

CUSTOMERS = """
query($first: Int!) {
  customers(first: $first) {
    totalCount
    edges { cursor node {
      id
      companyName
      subscriptions(first: 3) { totalCount nodes {
        id
        quantity
        canManage
        offer { name prerequisiteOffers { name } terms { termDuration unitPrice { amount } } }
        customer { id }
        activity(first: 2) { totalCount nodes { actor } }
        unitPrice { amount currencyCode }
        refundableQuantity { totalQuantity details { quantity allowedUntil } }
        actions
        notManageableReason
        addOns(first: 2) { totalCount nodes { id } }
      } }
      activity(first: 1) { nodes { operation } }
    } }
  }
}
"""
NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Customer {
      companyName
      subscriptions(first: 2) { totalCount nodes { id canManage } }
      activity(first: 1) { totalCount nodes { actor } }
    }
    ... on CustomerSubscription {
      quantity
      canManage
      offer { name prerequisiteOffers { name } }
      customer { companyName }
      parentSubscription { id }
      activity(first: 2) { totalCount nodes { actor operation } }
    }
  }
}
"""
TERMS = [
    {"termDuration": "P1M", "unitPrice": {"amount": "12.00"}},
    {"termDuration": "P1Y", "unitPrice": {"amount": "10.00"}},
    {"termDuration": "P1Y", "unitPrice": {"amount": "120.00"}},
]
# Queries per request, the same for 5 customers as for 100 (and for 2 nodes as for 50): one per
# list or loader batch. Customers: the page, its count, subscription pages, their counts, customer
# activity pages, customers by id (customer), why each may not be changed (canManage), offers,
# subscription activity pages, their counts, prerequisites, offers' terms, open seat batches,
# actions, add-on pages and their counts. Nodes: customers and subscriptions by id, then per
# customer subscription pages and counts, activity pages and counts, per subscription
# customers, offers, parents (subscriptions by id), activity pages and counts, then
# prerequisites, and canManage's reasons at each of its two depths.
CUSTOMERS_QUERIES = 16
NODES_QUERIES = 14
# SQLite also counts the BEGIN of each short read session; asyncpg begins without a statement.
BEGINS = {"sqlite": 1, "postgres": 0}


@dataclass
class Bulk:
    world: World
    customers: list[models.Customer]
    # Per customer: sold by A (ACTIVE, 2 changes), bought directly (ACTIVE, 1 change), and an add-on
    # attached to the first: sold by A and SUSPENDED for even customers, sold by B for odd ones.
    subscriptions: list[tuple[models.Subscription, models.Subscription, models.Subscription]]


def _activity(
    row: models.Subscription, version: int, principal: models.Principal, operation: str
) -> models.Activity:
    return models.Activity(
        subscription_id=row.id,
        customer_id=row.customer_id,
        principal_id=principal.id,
        partner_id=principal.partner_id,
        actor_kind="PARTNER_USER" if principal.partner_id is not None else "CUSTOMER_USER",
        actor_name=principal.name,
        operation=operation,
        version=version,
        before={"quantity": version},
        after={"quantity": version + 1},
        created_at=utcnow(),
    )


@pytest.fixture
async def bulk(database: Database, world: World) -> Bulk:
    customers: list[models.Customer] = []
    subscriptions = []
    async with database.write_sessions.begin() as s:
        a = await s.get_one(models.Partner, world.partner_a.id)
        b = await s.get_one(models.Partner, world.partner_b.id)
        basic = await s.get_one(models.Offer, world.basic.id)
        base = await s.get_one(models.Offer, world.base.id)
        add_on = await s.get_one(models.Offer, world.add_on.id)
        admin = await s.get_one(models.Principal, world.principals["GLOBAL_ADMIN"].id)
        sales = await s.get_one(models.Principal, world.principals["SALES_AGENT"].id)
        for n in range(BULK):
            odd = n % 2 == 1
            customer = await factories.customer(s, (a, b) if odd else (a,), name=f"Bulk {n:03}")
            sold = await factories.subscription(s, customer, base, a, quantity=n + 1)
            direct = await factories.subscription(s, customer, basic, None)
            add = await factories.subscription(
                s, customer, add_on, b if odd else a, status="ACTIVE" if odd else "SUSPENDED"
            )
            add.parent_subscription_id = sold.id
            sold.version = 3
            direct.version = 2
            s.add_all(
                [
                    _activity(sold, 2, admin, "CHANGE_QUANTITY"),
                    _activity(sold, 3, sales, "CHANGE_QUANTITY"),
                    _activity(direct, 2, sales, "CHANGE_STATUS"),
                ]
            )
            customers.append(customer)
            subscriptions.append((sold, direct, add))
    return Bulk(world, customers, subscriptions)


async def count_statements(
    database: Database,
    world: World,
    sql_counter: StatementCounter,
    query: str,
    variables: dict[str, Any],
) -> tuple[int, dict[str, Any]]:
    sql_counter.reset()
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), query, variables)
    count = sql_counter.count
    assert result.errors is None, result.errors
    assert result.data is not None
    return count, result.data


async def test_customer_list_costs_the_same_for_5_and_100(
    database: Database, bulk: Bulk, sql_counter: StatementCounter, engine: str
) -> None:
    small, small_data = await count_statements(
        database, bulk.world, sql_counter, CUSTOMERS, {"first": 5}
    )
    small_sql = list(sql_counter.statements)
    large, large_data = await count_statements(
        database, bulk.world, sql_counter, CUSTOMERS, {"first": 100}
    )
    print(f"\n[{engine}] customers(first: 5): {small} statements; customers(first: 100): {large}")
    assert small == large == CUSTOMERS_QUERIES * (1 + BEGINS[engine]), (
        small_sql,
        sql_counter.statements,
    )

    # The answers are the real ones, so the counts measure real work.
    for connection, size in ((small_data["customers"], 5), (large_data["customers"], 100)):
        assert connection["totalCount"] == BULK + 3
        nodes = [edge["node"] for edge in connection["edges"]]
        assert [node["companyName"] for node in nodes] == [f"Bulk {n:03}" for n in range(size)]
    nodes = [edge["node"] for edge in large_data["customers"]["edges"]]
    for n in (0, 1, 98, 99):
        sold, direct, add = bulk.subscriptions[n]
        visible = [sold, direct] if n % 2 else [sold, direct, add]
        cid = gid("Customer", bulk.customers[n].id)
        assert nodes[n]["id"] == cid
        assert nodes[n]["activity"] == {"nodes": [{"operation": "CHANGE_STATUS"}]}
        subs = nodes[n]["subscriptions"]
        assert subs["totalCount"] == len(visible)
        assert [sub["id"] for sub in subs["nodes"]] == [
            gid("CustomerSubscription", row.id) for row in visible
        ]
        assert [sub["canManage"] for sub in subs["nodes"]] == [True, False, True][: len(visible)]
        assert [sub["quantity"] for sub in subs["nodes"]] == [n + 1, 10, 10][: len(visible)]
        assert {sub["customer"]["id"] for sub in subs["nodes"]} == {cid}
        assert [sub["offer"] for sub in subs["nodes"]] == [
            {"name": "Base", "prerequisiteOffers": [], "terms": TERMS},
            {"name": "Basic", "prerequisiteOffers": [], "terms": TERMS},
            {"name": "Add-on", "prerequisiteOffers": [{"name": "Base"}], "terms": TERMS},
        ][: len(visible)]
        assert [sub["unitPrice"] for sub in subs["nodes"]] == [
            {"amount": "12.00", "currencyCode": "USD"}
        ] * len(visible)
        assert [sub["refundableQuantity"]["totalQuantity"] for sub in subs["nodes"]] == [
            n + 1,
            10,
            10,
        ][: len(visible)]
        sold_actions = ["INCREASE_QUANTITY", "DECREASE_QUANTITY", "SUSPEND", "CANCEL"]
        sold_actions += ["CHANGE_RENEWAL", "RENAME"]
        if n == 0:
            sold_actions.remove("DECREASE_QUANTITY")  # quantity 1 is the offer's minimum
        if n == 99:
            sold_actions.remove("INCREASE_QUANTITY")  # quantity 100 is its maximum
        assert [(sub["actions"], sub["notManageableReason"]) for sub in subs["nodes"]] == [
            (sold_actions, None),
            ([], "DIRECT_PURCHASE"),
            (["REACTIVATE", "CANCEL", "RENAME"], None),
        ][: len(visible)]
        assert subs["nodes"][0]["addOns"] == (
            {"totalCount": 0, "nodes": []}
            if n % 2
            else {"totalCount": 1, "nodes": [{"id": gid("CustomerSubscription", add.id)}]}
        )
        admin, sales = (bulk.world.principals[k].name for k in ("GLOBAL_ADMIN", "SALES_AGENT"))
        assert [sub["activity"] for sub in subs["nodes"]] == [
            {"totalCount": 2, "nodes": [{"actor": sales}, {"actor": admin}]},
            {"totalCount": 1, "nodes": [{"actor": sales}]},
            {"totalCount": 0, "nodes": []},
        ][: len(visible)]


def node_ids(bulk: Bulk, pairs: int) -> list[str]:
    """Customers from the start, and add-ons of other (even) customers from the middle on, so that
    no nested customer lookup is answered from the loader's cache in one case but not the other."""
    ids: list[str] = []
    for n in range(pairs):
        ids.append(gid("Customer", bulk.customers[n].id))
        ids.append(gid("CustomerSubscription", bulk.subscriptions[50 + 2 * n][2].id))
    return ids


async def test_nodes_cost_the_same_for_2_and_50(
    database: Database, bulk: Bulk, sql_counter: StatementCounter, engine: str
) -> None:
    small, small_data = await count_statements(
        database, bulk.world, sql_counter, NODES, {"ids": node_ids(bulk, 1)}
    )
    small_sql = list(sql_counter.statements)
    large, large_data = await count_statements(
        database, bulk.world, sql_counter, NODES, {"ids": node_ids(bulk, 25)}
    )
    print(f"\n[{engine}] nodes(2 ids): {small} statements; nodes(50 ids): {large}")
    assert small == large == NODES_QUERIES * (1 + BEGINS[engine]), (
        small_sql,
        sql_counter.statements,
    )

    assert len(small_data["nodes"]) == 2
    assert len(large_data["nodes"]) == 50
    admin, sales = (bulk.world.principals[k].name for k in ("GLOBAL_ADMIN", "SALES_AGENT"))
    for n in range(25):
        customer, add_on = large_data["nodes"][2 * n : 2 * n + 2]
        sold, direct, add = bulk.subscriptions[n]
        assert customer == {
            "id": gid("Customer", bulk.customers[n].id),
            "companyName": f"Bulk {n:03}",
            "subscriptions": {
                "totalCount": 2 if n % 2 else 3,
                "nodes": [
                    {"id": gid("CustomerSubscription", sold.id), "canManage": True},
                    {"id": gid("CustomerSubscription", direct.id), "canManage": False},
                ],
            },
            "activity": {"totalCount": 3, "nodes": [{"actor": sales}]},
        }
        m = 50 + 2 * n
        sold, _, add = bulk.subscriptions[m]
        assert add_on == {
            "id": gid("CustomerSubscription", add.id),
            "quantity": 10,
            "canManage": True,
            "offer": {"name": "Add-on", "prerequisiteOffers": [{"name": "Base"}]},
            "customer": {"companyName": f"Bulk {m:03}"},
            "parentSubscription": {"id": gid("CustomerSubscription", sold.id)},
            "activity": {"totalCount": 0, "nodes": []},
        }


ACTIVITY = """
query($first: Int!) {
  activity(first: $first) {
    totalCount
    nodes {
      id
      operation
      actor
      subscription { id quantity canManage offer { name } }
      customer { companyName }
    }
  }
}
"""
ACTIVITY_NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) { id ... on Activity { operation subscription { id } customer { id } } }
}
"""
# Query.activity: the page, its count, subscriptions by id, why each may not be changed,
# offers, customers by id. Activity nodes: the records by id, subscriptions, customers.
ACTIVITY_QUERIES = 6
ACTIVITY_NODES_QUERIES = 3


async def test_activity_list_costs_the_same_for_5_and_100(
    database: Database, bulk: Bulk, sql_counter: StatementCounter, engine: str
) -> None:
    small, small_data = await count_statements(
        database, bulk.world, sql_counter, ACTIVITY, {"first": 5}
    )
    small_sql = list(sql_counter.statements)
    large, large_data = await count_statements(
        database, bulk.world, sql_counter, ACTIVITY, {"first": 100}
    )
    print(f"\n[{engine}] activity(first: 5): {small} statements; activity(first: 100): {large}")
    assert small == large == ACTIVITY_QUERIES * (1 + BEGINS[engine]), (
        small_sql,
        sql_counter.statements,
    )

    # Newest first: each customer's records were added sold v2, sold v3, direct v2.
    admin, sales = (bulk.world.principals[k].name for k in ("GLOBAL_ADMIN", "SALES_AGENT"))
    expected = []
    for n in reversed(range(BULK)):
        sold, direct, _ = bulk.subscriptions[n]
        company = {"companyName": f"Bulk {n:03}"}
        expected += [
            ("CHANGE_STATUS", sales, direct, False, "Basic", company),
            ("CHANGE_QUANTITY", sales, sold, True, "Base", company),
            ("CHANGE_QUANTITY", admin, sold, True, "Base", company),
        ]
    for connection, size in ((small_data["activity"], 5), (large_data["activity"], 100)):
        assert connection["totalCount"] == 3 * BULK
        assert [
            (
                node["operation"],
                node["actor"],
                node["subscription"],
                node["customer"],
            )
            for node in connection["nodes"]
        ] == [
            (
                operation,
                actor,
                {
                    "id": gid("CustomerSubscription", row.id),
                    "quantity": row.quantity,
                    "canManage": can_manage,
                    "offer": {"name": offer},
                },
                company,
            )
            for operation, actor, row, can_manage, offer, company in expected[:size]
        ]


async def test_activity_nodes_cost_the_same_for_2_and_50(
    database: Database, bulk: Bulk, sql_counter: StatementCounter, engine: str
) -> None:
    async with database.read_sessions() as s:
        pks = (await s.scalars(select(models.Activity.id).order_by(models.Activity.id))).all()
    small, _ = await count_statements(
        database,
        bulk.world,
        sql_counter,
        ACTIVITY_NODES,
        {"ids": [gid("Activity", pk) for pk in pks[:6:3]]},
    )
    # Every third record of 150: each from another customer and its own subscription.
    asked = [gid("Activity", pk) for pk in pks[:150:3]]
    large, large_data = await count_statements(
        database, bulk.world, sql_counter, ACTIVITY_NODES, {"ids": asked}
    )
    print(f"\n[{engine}] nodes(2 activity ids): {small}; nodes(50 activity ids): {large}")
    assert small == large == ACTIVITY_NODES_QUERIES * (1 + BEGINS[engine])
    assert large_data["nodes"] == [
        {
            "id": gid("Activity", pks[3 * n]),
            "operation": "CHANGE_QUANTITY",
            "subscription": {"id": gid("CustomerSubscription", bulk.subscriptions[n][0].id)},
            "customer": {"id": gid("Customer", bulk.customers[n].id)},
        }
        for n in range(50)
    ]
