"""Who sees what through the schema: lists, nested lists, node lookups, canManage, offers."""

import base64
from typing import Any

import pytest

import models
from edge.errors import format_error
from infra.database import Database
from tests import factories
from tests.factories import World
from tests.graphql import data, execute, gid

# Per viewer: the visible customers in list order, each with its visible subscriptions (in id
# order) and whether the viewer may change each one.
Visible = list[tuple[str, list[tuple[str, bool]]]]


def _partner_a(sells: bool) -> Visible:
    return [
        ("created", [("created_a", sells), ("created_direct", False)]),
        (
            "independent",
            [
                ("independent_a", sells),
                ("independent_direct", False),
                ("independent_suspended", sells),
                ("independent_base", sells),
            ],
        ),
        ("shared", [("shared_a", sells), ("shared_direct", False)]),
    ]


VISIBLE: dict[str, Visible] = {
    "GLOBAL_ADMIN": _partner_a(True),
    "ADMIN_AGENT": _partner_a(True),
    "SALES_AGENT": _partner_a(True),
    "HELPDESK_AGENT": _partner_a(False),
    "BILLING_ADMIN": _partner_a(False),
    "B_ADMIN": [
        ("b_only", [("b_only_b", True)]),
        ("shared", [("shared_b", True), ("shared_direct", False)]),
    ],
    "CREATED_ADMIN": [("created", [("created_a", False), ("created_direct", False)])],
    "INDEPENDENT_ADMIN": [
        (
            "independent",
            [
                ("independent_a", False),
                ("independent_direct", True),
                ("independent_suspended", False),
                ("independent_base", False),
            ],
        )
    ],
}
VIEWERS = list(VISIBLE)
CUSTOMER_ATTRS = ("created", "independent", "shared", "b_only")
SUBSCRIPTION_ATTRS = (
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
COMPANY_NAMES = {
    "created": "Created Co",
    "independent": "Independent Co",
    "shared": "Shared Co",
    "b_only": "B Only Co",
}
DIRECT = frozenset({"created_direct", "independent_direct", "shared_direct"})

CUSTOMERS = """
{ customers {
    totalCount
    nodes { id companyName subscriptions { totalCount nodes { id channel canManage } } }
} }
"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
CUSTOMER = "query($id: ID!) { customer(id: $id) { id companyName } }"


def customer_id(world: World, attr: str) -> str:
    row: models.Customer = getattr(world, attr)
    return gid("Customer", row.id)


def subscription_id(world: World, attr: str) -> str:
    row: models.Subscription = getattr(world, attr)
    return gid("CustomerSubscription", row.id)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def invalid_ids(world: World) -> list[str]:
    """Ids that name nothing: malformed, unknown type, unknown or impossible primary keys."""
    return [
        "",
        "not an id!",
        _b64("Customer"),
        _b64("Customer:"),
        _b64("Customer:abc"),
        _b64("Customer:-1"),
        _b64("Customer:1.0"),
        _b64("Customer:" + "9" * 19),
        _b64("Customer:٣"),  # a non-ASCII digit
        gid("Customer", 0),
        gid("Customer", 999_999),
        gid("CustomerSubscription", 999_999),
        gid("Offer", 999_999),
        gid("Partner", 999_999),
        gid("Principal", world.principals["GLOBAL_ADMIN"].id),
        gid("ApiKey", 1),
        gid("customer", world.shared.id),  # type names are case-sensitive
        gid("Customer", world.shared.id) + "=",
        gid("Customer", world.shared.id)[:-1],
        "x" * 101,
    ]


def visible_nodes(world: World, key: str) -> dict[str, dict[str, str]]:
    """Every object of the world that `key` sees, by global id, as `{ __typename id }`."""
    found: dict[str, dict[str, str]] = {}
    for customer_attr, subscriptions in VISIBLE[key]:
        cid = customer_id(world, customer_attr)
        found[cid] = {"__typename": "Customer", "id": cid}
        for sub_attr, _ in subscriptions:
            sid = subscription_id(world, sub_attr)
            found[sid] = {"__typename": "CustomerSubscription", "id": sid}
    partner = world.principals[key].partner_id
    if partner is not None:
        pid = gid("Partner", partner)
        found[pid] = {"__typename": "Partner", "id": pid}
    return found


def all_world_ids(world: World) -> list[str]:
    return [
        *(customer_id(world, attr) for attr in CUSTOMER_ATTRS),
        *(subscription_id(world, attr) for attr in SUBSCRIPTION_ATTRS),
        gid("Partner", world.partner_a.id),
        gid("Partner", world.partner_b.id),
    ]


def error_codes(result: Any) -> list[str]:
    return [format_error(error, "test")["extensions"]["code"] for error in result.errors or []]


# --- customers and their subscriptions --------------------------------------------------------


@pytest.mark.parametrize("key", VIEWERS)
async def test_customers_and_nested_subscriptions_per_viewer(
    database: Database, world: World, key: str
) -> None:
    result = await data(database, world.viewer(key), CUSTOMERS)
    expected = [
        {
            "id": customer_id(world, customer_attr),
            "companyName": COMPANY_NAMES[customer_attr],
            "subscriptions": {
                "totalCount": len(subscriptions),
                "nodes": [
                    {
                        "id": subscription_id(world, sub_attr),
                        "channel": "DIRECT" if sub_attr in DIRECT else "PARTNER",
                        "canManage": can_manage,
                    }
                    for sub_attr, can_manage in subscriptions
                ],
            },
        }
        for customer_attr, subscriptions in VISIBLE[key]
    ]
    assert result["customers"] == {"totalCount": len(expected), "nodes": expected}


async def test_partner_a_never_sees_partner_b_subscription_on_shared_customer(
    database: Database, world: World
) -> None:
    query = "query($id: ID!) { customer(id: $id) { subscriptions { nodes { id } } } }"
    shared = customer_id(world, "shared")
    seen_by_a = await data(database, world.viewer("GLOBAL_ADMIN"), query, {"id": shared})
    seen_by_b = await data(database, world.viewer("B_ADMIN"), query, {"id": shared})
    ids_a = [node["id"] for node in seen_by_a["customer"]["subscriptions"]["nodes"]]
    ids_b = [node["id"] for node in seen_by_b["customer"]["subscriptions"]["nodes"]]
    assert ids_a == [subscription_id(world, "shared_a"), subscription_id(world, "shared_direct")]
    assert ids_b == [subscription_id(world, "shared_b"), subscription_id(world, "shared_direct")]


async def test_new_partner_without_customers_sees_nothing(database: Database) -> None:
    async with database.write_sessions.begin() as s:
        lonely = await factories.partner(s, "Lonely Partner")
        admin = await factories.principal(s, "GLOBAL_ADMIN", partner=lonely)
        other = await factories.partner(s, "Other Partner")
        await factories.customer(s, (other,), name="Not Yours")
    result = await data(database, factories.viewer_of(admin), CUSTOMERS)
    assert result["customers"] == {"totalCount": 0, "nodes": []}


# --- node, nodes, customer(id) ----------------------------------------------------------------


@pytest.mark.parametrize("key", VIEWERS)
async def test_nodes_answers_exactly_the_visible_objects_in_order(
    database: Database, world: World, key: str
) -> None:
    ids = [*all_world_ids(world), *invalid_ids(world)]
    visible = visible_nodes(world, key)
    result = await data(database, world.viewer(key), NODES, {"ids": ids})
    assert result["nodes"] == [visible.get(global_id) for global_id in ids]


@pytest.mark.parametrize("key", ["GLOBAL_ADMIN", "B_ADMIN", "INDEPENDENT_ADMIN"])
async def test_node_answers_each_visible_object_and_null_otherwise(
    database: Database, world: World, key: str
) -> None:
    visible = visible_nodes(world, key)
    for global_id in [*all_world_ids(world), *invalid_ids(world)]:
        result = await data(database, world.viewer(key), NODE, {"id": global_id})
        assert result["node"] == visible.get(global_id), global_id


async def test_nodes_keeps_order_duplicates_and_nulls(database: Database, world: World) -> None:
    shared_a = subscription_id(world, "shared_a")
    shared_b = subscription_id(world, "shared_b")
    created = customer_id(world, "created")
    ids = [shared_b, created, "garbage", shared_a, created, gid("Customer", 999_999), shared_a]
    result = await data(database, world.viewer("SALES_AGENT"), NODES, {"ids": ids})
    sub = {"__typename": "CustomerSubscription", "id": shared_a}
    customer = {"__typename": "Customer", "id": created}
    assert result["nodes"] == [None, customer, None, sub, customer, None, sub]


async def test_nodes_with_no_ids_is_empty(database: Database, world: World) -> None:
    result = await data(database, world.viewer("GLOBAL_ADMIN"), NODES, {"ids": []})
    assert result["nodes"] == []


async def test_nodes_refuses_more_than_100_ids(database: Database, world: World) -> None:
    created = customer_id(world, "created")
    ok = await data(database, world.viewer("GLOBAL_ADMIN"), NODES, {"ids": [created] * 100})
    assert len(ok["nodes"]) == 100
    result = await execute(database, world.viewer("GLOBAL_ADMIN"), NODES, {"ids": [created] * 101})
    assert result.data is None
    assert error_codes(result) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("key", VIEWERS)
async def test_customer_by_id_per_viewer(database: Database, world: World, key: str) -> None:
    visible = {attr for attr, _ in VISIBLE[key]}
    for attr in CUSTOMER_ATTRS:
        result = await data(database, world.viewer(key), CUSTOMER, {"id": customer_id(world, attr)})
        expected = (
            {"id": customer_id(world, attr), "companyName": COMPANY_NAMES[attr]}
            if attr in visible
            else None
        )
        assert result["customer"] == expected, attr


async def test_customer_by_id_is_null_for_other_types_and_invalid_ids(
    database: Database, world: World
) -> None:
    wrong_types = [
        subscription_id(world, "shared_a"),
        gid("Offer", world.basic.id),
        gid("Partner", world.partner_a.id),
        gid("CustomerSubscription", world.shared.id),
    ]
    for global_id in [*wrong_types, *invalid_ids(world)]:
        result = await data(database, world.viewer("GLOBAL_ADMIN"), CUSTOMER, {"id": global_id})
        assert result["customer"] is None, global_id


async def test_partner_node_only_for_own_partner(database: Database, world: World) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on Partner { name } } }"
    own_a = gid("Partner", world.partner_a.id)
    own_b = gid("Partner", world.partner_b.id)
    cases = [
        ("GLOBAL_ADMIN", own_a, {"id": own_a, "name": "Partner A"}),
        ("HELPDESK_AGENT", own_a, {"id": own_a, "name": "Partner A"}),
        ("GLOBAL_ADMIN", own_b, None),
        ("B_ADMIN", own_b, {"id": own_b, "name": "Partner B"}),
        ("B_ADMIN", own_a, None),
        ("CREATED_ADMIN", own_a, None),
        ("INDEPENDENT_ADMIN", own_a, None),
    ]
    for key, global_id, expected in cases:
        result = await data(database, world.viewer(key), query, {"id": global_id})
        assert result["node"] == expected, (key, global_id)


async def test_offer_node_is_visible_to_a_seller(database: Database, world: World) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on Offer { name sku isAddOn } } }"
    offer = gid("Offer", world.add_on.id)
    result = await data(database, world.viewer("GLOBAL_ADMIN"), query, {"id": offer})
    assert result["node"] == {
        "id": offer,
        "name": "Add-on",
        "sku": world.add_on.sku,
        "isAddOn": True,
    }


# --- canManage --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", VIEWERS)
async def test_can_manage_on_node_lookups(database: Database, world: World, key: str) -> None:
    """The same answers through `nodes` as through the customer list."""
    expected = {
        subscription_id(world, sub): can_manage
        for _, subscriptions in VISIBLE[key]
        for sub, can_manage in subscriptions
    }
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on CustomerSubscription { canManage } } }"
    ids = list(expected)
    result = await data(database, world.viewer(key), query, {"ids": ids})
    assert [node["canManage"] for node in result["nodes"]] == [expected[i] for i in ids]


async def test_can_manage_counts_per_role(database: Database, world: World) -> None:
    """A summary that fails loudly if any role's rights widen or narrow."""
    manageable = {}
    for key in VIEWERS:
        result = await data(database, world.viewer(key), CUSTOMERS)
        manageable[key] = sorted(
            sub["id"]
            for customer in result["customers"]["nodes"]
            for sub in customer["subscriptions"]["nodes"]
            if sub["canManage"]
        )
    sold_by_a = sorted(
        subscription_id(world, attr)
        for attr in ("created_a", "independent_a", "independent_suspended", "independent_base")
    ) + [subscription_id(world, "shared_a")]
    assert manageable == {
        "GLOBAL_ADMIN": sorted(sold_by_a),
        "ADMIN_AGENT": sorted(sold_by_a),
        "SALES_AGENT": sorted(sold_by_a),
        "HELPDESK_AGENT": [],
        "BILLING_ADMIN": [],
        "B_ADMIN": sorted([subscription_id(world, "shared_b"), subscription_id(world, "b_only_b")]),
        "CREATED_ADMIN": [],
        "INDEPENDENT_ADMIN": [subscription_id(world, "independent_direct")],
    }


# --- viewer -----------------------------------------------------------------------------------

VIEWER = "{ viewer { name role partner { id name } customer { id companyName } } }"


async def test_viewer_of_a_partner_principal(database: Database, world: World) -> None:
    for key, partner, name in (
        ("HELPDESK_AGENT", world.partner_a, "Partner A"),
        ("B_ADMIN", world.partner_b, "Partner B"),
    ):
        result = await data(database, world.viewer(key), VIEWER)
        assert result["viewer"] == {
            "name": world.principals[key].name,
            "role": "HELPDESK_AGENT" if key == "HELPDESK_AGENT" else "GLOBAL_ADMIN",
            "partner": {"id": gid("Partner", partner.id), "name": name},
            "customer": None,
        }


async def test_viewer_of_a_customer_principal(database: Database, world: World) -> None:
    result = await data(database, world.viewer("CREATED_ADMIN"), VIEWER)
    assert result["viewer"] == {
        "name": world.principals["CREATED_ADMIN"].name,
        "role": "CUSTOMER_ADMIN",
        "partner": None,
        "customer": {"id": customer_id(world, "created"), "companyName": "Created Co"},
    }


# --- offers -----------------------------------------------------------------------------------

OFFERS = """
query($customerId: ID, $first: Int, $after: String) {
  offers(customerId: $customerId, first: $first, after: $after) {
    totalCount
    nodes { id name }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


def offer_names(result: dict[str, Any]) -> tuple[int, list[str]]:
    offers = result["offers"]
    return offers["totalCount"], [node["name"] for node in offers["nodes"]]


ALL_A = ["Basic", "Premium", "Regional", "Base", "Add-on"]
OUTSIDE_US_A = ["Basic", "Premium", "Base", "Add-on"]
B_OFFERS = ["Basic", "Base", "Add-on"]


@pytest.mark.parametrize("key", ["GLOBAL_ADMIN", "SALES_AGENT", "HELPDESK_AGENT"])
async def test_offers_of_partner_a(database: Database, world: World, key: str) -> None:
    cases: list[tuple[str | None, list[str]]] = [
        (None, ALL_A),
        (customer_id(world, "created"), ALL_A),  # US
        (customer_id(world, "independent"), OUTSIDE_US_A),  # GB
        (customer_id(world, "shared"), OUTSIDE_US_A),  # DE
    ]
    for customer, names in cases:
        result = await data(database, world.viewer(key), OFFERS, {"customerId": customer})
        assert offer_names(result) == (len(names), names), customer


async def test_offer_ids_are_global_ids(database: Database, world: World) -> None:
    result = await data(database, world.viewer("GLOBAL_ADMIN"), OFFERS)
    offers = [world.basic, world.premium, world.regional, world.base, world.add_on]
    assert [node["id"] for node in result["offers"]["nodes"]] == [
        gid("Offer", offer.id) for offer in offers
    ]


async def test_offers_of_partner_b_exclude_a_only_offers(database: Database, world: World) -> None:
    for customer in (None, customer_id(world, "b_only"), customer_id(world, "shared")):
        result = await data(database, world.viewer("B_ADMIN"), OFFERS, {"customerId": customer})
        assert offer_names(result) == (3, B_OFFERS), customer


@pytest.mark.parametrize("key", ["CREATED_ADMIN", "INDEPENDENT_ADMIN"])
async def test_offers_of_a_customer_admin_are_empty(
    database: Database, world: World, key: str
) -> None:
    own = "created" if key == "CREATED_ADMIN" else "independent"
    for customer in (None, customer_id(world, own)):
        result = await data(database, world.viewer(key), OFFERS, {"customerId": customer})
        assert result["offers"] == {
            "totalCount": 0,
            "nodes": [],
            "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "endCursor": None},
        }


async def test_offers_for_an_invisible_or_invalid_customer_are_empty(
    database: Database, world: World
) -> None:
    for customer in (
        customer_id(world, "b_only"),  # partner B's customer, in the US
        gid("Customer", 999_999),
        subscription_id(world, "created_a"),
        "garbage",
    ):
        result = await data(
            database, world.viewer("GLOBAL_ADMIN"), OFFERS, {"customerId": customer}
        )
        assert offer_names(result) == (0, []), customer


async def test_offers_paging(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await data(database, viewer, OFFERS, {"first": 2})
    assert offer_names(first) == (5, ["Basic", "Premium"])
    assert first["offers"]["pageInfo"]["hasNextPage"] is True
    assert first["offers"]["pageInfo"]["hasPreviousPage"] is False
    after = first["offers"]["pageInfo"]["endCursor"]
    second = await data(database, viewer, OFFERS, {"first": 3, "after": after})
    assert offer_names(second) == (5, ["Regional", "Base", "Add-on"])
    assert second["offers"]["pageInfo"]["hasNextPage"] is False
    assert second["offers"]["pageInfo"]["hasPreviousPage"] is True


# --- relations of a subscription --------------------------------------------------------------

SUBSCRIPTION = """
query($id: ID!) { node(id: $id) { ... on CustomerSubscription {
  id
  customer { id companyName }
  offer { id name prerequisiteOffers { id name } }
  parentSubscription { id }
} } }
"""


async def test_subscription_customer_and_offer(database: Database, world: World) -> None:
    sid = subscription_id(world, "shared_direct")
    result = await data(database, world.viewer("B_ADMIN"), SUBSCRIPTION, {"id": sid})
    assert result["node"] == {
        "id": sid,
        "customer": {"id": customer_id(world, "shared"), "companyName": "Shared Co"},
        "offer": {"id": gid("Offer", world.basic.id), "name": "Basic", "prerequisiteOffers": []},
        "parentSubscription": None,
    }


async def test_add_on_offer_lists_its_prerequisites_and_parent(
    database: Database, world: World
) -> None:
    mutation = """
    mutation($input: AddSubscriptionInput!) { addSubscription(input: $input) {
      subscription { id } userErrors { code }
    } }
    """
    added = await data(
        database,
        world.viewer("GLOBAL_ADMIN"),
        mutation,
        {
            "input": {
                "customerId": customer_id(world, "independent"),
                "offerId": gid("Offer", world.add_on.id),
                "quantity": 3,
            }
        },
    )
    assert added["addSubscription"]["userErrors"] == []
    sid = added["addSubscription"]["subscription"]["id"]
    for key in ("HELPDESK_AGENT", "INDEPENDENT_ADMIN"):
        result = await data(database, world.viewer(key), SUBSCRIPTION, {"id": sid})
        assert result["node"] == {
            "id": sid,
            "customer": {"id": customer_id(world, "independent"), "companyName": "Independent Co"},
            "offer": {
                "id": gid("Offer", world.add_on.id),
                "name": "Add-on",
                "prerequisiteOffers": [{"id": gid("Offer", world.base.id), "name": "Base"}],
            },
            "parentSubscription": {"id": subscription_id(world, "independent_base")},
        }


async def test_parent_subscription_hidden_from_the_viewer_is_null(
    database: Database, world: World
) -> None:
    """A nested field never shows what a top-level one hides: here B's base under A's add-on."""
    async with database.write_sessions.begin() as s:
        shared = await s.get_one(models.Customer, world.shared.id)
        add_on = await s.get_one(models.Offer, world.add_on.id)
        partner_a = await s.get_one(models.Partner, world.partner_a.id)
        child = await factories.subscription(s, shared, add_on, partner_a)
        child.parent_subscription_id = world.shared_b.id
    sid = gid("CustomerSubscription", child.id)
    seen_by_a = await data(database, world.viewer("GLOBAL_ADMIN"), SUBSCRIPTION, {"id": sid})
    assert seen_by_a["node"]["parentSubscription"] is None
    assert seen_by_a["node"]["customer"] == {
        "id": customer_id(world, "shared"),
        "companyName": "Shared Co",
    }
    hidden = await data(database, world.viewer("GLOBAL_ADMIN"), NODE, {"id": sid})
    assert hidden["node"] == {"__typename": "CustomerSubscription", "id": sid}
    seen_by_b = await data(database, world.viewer("B_ADMIN"), NODE, {"id": sid})
    assert seen_by_b["node"] is None


async def test_subscription_fields_of_a_suspended_subscription(
    database: Database, world: World
) -> None:
    query = """
    query($id: ID!) { node(id: $id) { ... on CustomerSubscription {
      friendlyName quantity status channel billingCycle autoRenew version
      suspendedAt dataRetentionEndsAt
    } } }
    """
    sid = subscription_id(world, "independent_suspended")
    result = await data(database, world.viewer("BILLING_ADMIN"), query, {"id": sid})
    node = result["node"]
    assert node["suspendedAt"] is not None
    assert node["dataRetentionEndsAt"] is not None
    assert {k: v for k, v in node.items() if k not in ("suspendedAt", "dataRetentionEndsAt")} == {
        "friendlyName": "Basic",
        "quantity": 10,
        "status": "SUSPENDED",
        "channel": "PARTNER",
        "billingCycle": "MONTHLY",
        "autoRenew": True,
        "version": 1,
    }
