"""The contract's permission matrix, generated: every viewer x operation x target of the World.

API.md's role table ("Principals and roles") and the World of tests/factories.py are transcribed
below as plain data; `expected` derives every outcome from that data and the contract's rules
alone, never from the code under test. `test_world_is_the_one_the_matrix_describes` keeps the
transcription honest. Each case runs on a fresh database (the `database` and `world` fixtures).
"""

from dataclasses import dataclass, fields
from typing import Any, Literal

import pytest
from sqlalchemy import func, select

import models
from infra.database import Database
from models.base import utcnow
from tests import factories
from tests.factories import World, build_world
from tests.graphql import data, gid
from tests.snapshots import snapshot as full_snapshot

# --- the contract's role table --------------------------------------------------------------------

Changes = Literal["own_sales", "nothing", "own_direct"]


@dataclass(frozen=True)
class Rights:
    belongs_to: Literal["partner", "customer"]
    # own_sales: what its partner sold; own_direct: what its customer bought directly, and only
    # if a partner did not create the customer's account; nothing: read-only.
    changes: Changes
    adds: bool


ROLE_TABLE: dict[str, Rights] = {
    "GLOBAL_ADMIN": Rights("partner", "own_sales", adds=True),
    "ADMIN_AGENT": Rights("partner", "own_sales", adds=True),
    "SALES_AGENT": Rights("partner", "own_sales", adds=True),
    "HELPDESK_AGENT": Rights("partner", "nothing", adds=False),
    "BILLING_ADMIN": Rights("partner", "nothing", adds=False),
    "CUSTOMER_ADMIN": Rights("customer", "own_direct", adds=False),
}
PARTNER_ROLES = ("GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT", "HELPDESK_AGENT", "BILLING_ADMIN")


@dataclass(frozen=True)
class RoleCase:
    key: str  # the World.principals key, and the pytest id
    role: str
    org: str  # the partner ("a", "b") or the customer (a World attribute) it belongs to

    @property
    def rights(self) -> Rights:
        return ROLE_TABLE[self.role]


VIEWERS = [
    *(RoleCase(role, role, "a") for role in PARTNER_ROLES),
    RoleCase("B_ADMIN", "GLOBAL_ADMIN", "b"),
    RoleCase("CREATED_ADMIN", "CUSTOMER_ADMIN", "created"),
    RoleCase("INDEPENDENT_ADMIN", "CUSTOMER_ADMIN", "independent"),
]

# --- the World, and the statuses only time reaches ------------------------------------------------


@dataclass
class MatrixWorld(World):
    independent_cancelled: models.Subscription
    independent_expired: models.Subscription
    independent_disabled: models.Subscription
    independent_deleted: models.Subscription
    independent_direct_expired: models.Subscription


@pytest.fixture
async def world(database: Database) -> MatrixWorld:
    async with database.write_sessions.begin() as s:
        base = await build_world(s)

        async def bought(status: str, seller: models.Partner | None) -> models.Subscription:
            return await factories.subscription(
                s, base.independent, base.basic, seller, status=status
            )

        a = base.partner_a
        return MatrixWorld(
            **{f.name: getattr(base, f.name) for f in fields(base)},
            independent_cancelled=await bought("CANCELLED", a),
            independent_expired=await bought("EXPIRED", a),
            independent_disabled=await bought("DISABLED", a),
            independent_deleted=await bought("DELETED", a),
            independent_direct_expired=await bought("EXPIRED", None),
        )


# --- the World, as facts --------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerFacts:
    partners: frozenset[str]
    created_by: str | None
    country: str


@dataclass(frozen=True)
class SubscriptionFacts:
    customer: str
    sold_by: str | None  # None: bought directly
    status: str


@dataclass(frozen=True)
class OfferFacts:
    sellers: frozenset[str]
    markets: frozenset[str]


EVERYWHERE = frozenset({"US", "GB", "DE"})
CUSTOMERS: dict[str, CustomerFacts] = {
    "created": CustomerFacts(frozenset({"a"}), "a", "US"),
    "independent": CustomerFacts(frozenset({"a"}), None, "GB"),
    "shared": CustomerFacts(frozenset({"a", "b"}), None, "DE"),
    "b_only": CustomerFacts(frozenset({"b"}), "b", "US"),
}
SUBSCRIPTIONS: dict[str, SubscriptionFacts] = {
    "created_a": SubscriptionFacts("created", "a", "ACTIVE"),
    "created_direct": SubscriptionFacts("created", None, "ACTIVE"),
    "independent_a": SubscriptionFacts("independent", "a", "ACTIVE"),
    "independent_direct": SubscriptionFacts("independent", None, "ACTIVE"),
    "independent_suspended": SubscriptionFacts("independent", "a", "SUSPENDED"),
    "shared_a": SubscriptionFacts("shared", "a", "ACTIVE"),
    "shared_b": SubscriptionFacts("shared", "b", "ACTIVE"),
    "shared_direct": SubscriptionFacts("shared", None, "ACTIVE"),
    "b_only_b": SubscriptionFacts("b_only", "b", "ACTIVE"),
    "independent_base": SubscriptionFacts("independent", "a", "ACTIVE"),
    # The statuses only time reaches (API.md version 2), on rows the matrix adds to the World.
    "independent_cancelled": SubscriptionFacts("independent", "a", "CANCELLED"),
    "independent_expired": SubscriptionFacts("independent", "a", "EXPIRED"),
    "independent_disabled": SubscriptionFacts("independent", "a", "DISABLED"),
    "independent_deleted": SubscriptionFacts("independent", "a", "DELETED"),
    "independent_direct_expired": SubscriptionFacts("independent", None, "EXPIRED"),
}
OFFERS: dict[str, OfferFacts] = {
    "basic": OfferFacts(frozenset({"a", "b"}), EVERYWHERE),
    "premium": OfferFacts(frozenset({"a"}), EVERYWHERE),
    "regional": OfferFacts(frozenset({"a"}), frozenset({"US"})),
    "base": OfferFacts(frozenset({"a", "b"}), EVERYWHERE),
    "add_on": OfferFacts(frozenset({"a", "b"}), EVERYWHERE),
}
# What addSubscription buys: every World partner may sell it in every World country, so only
# the rule under test can refuse it.
ADDED_OFFER = "basic"
ADDED_QUANTITY = 3
MISSING_PK = 999_999

# --- targets and operations -----------------------------------------------------------------------

Kind = Literal["customer", "subscription", "catalogue"]


@dataclass(frozen=True)
class Target:
    kind: Kind
    attr: str  # a World attribute; "missing_*" for an id that names nothing

    @property
    def exists(self) -> bool:
        return self.attr in CUSTOMERS or self.attr in SUBSCRIPTIONS


TARGETS = [
    *(Target("subscription", attr) for attr in SUBSCRIPTIONS),
    Target("subscription", "missing_subscription"),
    *(Target("customer", attr) for attr in CUSTOMERS),
    Target("customer", "missing_customer"),
    Target("catalogue", "catalogue"),  # offers without a customerId
]
QUERIES: dict[Kind, tuple[str, ...]] = {
    "subscription": ("node", "nodes", "Customer.subscriptions", "canManage"),
    "customer": ("node", "nodes", "customer", "customers", "offers"),
    "catalogue": ("offers",),
}
MUTATIONS: dict[Kind, tuple[str, ...]] = {
    "subscription": ("changeQuantity", "changeStatus", "changeRenewal", "renameSubscription"),
    "customer": ("addSubscription",),
    "catalogue": (),
}

# --- the expected outcome -------------------------------------------------------------------------

# A query's value, or a mutation's result: OK or the single error code.
Outcome = bool | str | None
THE_ID = "<the target's id>"
OK = "OK"


def sees(viewer: RoleCase, target: Target) -> bool:
    """A partner: its customers, and on them what it sold or was bought directly. A customer
    admin: its own customer and all its subscriptions."""
    if not target.exists:
        return False
    partner = viewer.rights.belongs_to == "partner"
    if target.kind == "customer":
        return (
            viewer.org in CUSTOMERS[target.attr].partners if partner else viewer.org == target.attr
        )
    sub = SUBSCRIPTIONS[target.attr]
    if not partner:
        return viewer.org == sub.customer
    return viewer.org in CUSTOMERS[sub.customer].partners and sub.sold_by in (viewer.org, None)


def change_denial(viewer: RoleCase, sub: SubscriptionFacts) -> str | None:
    """Why the viewer may not change a subscription it sees, or None if it may."""
    changes = viewer.rights.changes
    if changes == "nothing":
        return "FORBIDDEN"
    if changes == "own_sales":
        return None if sub.sold_by == viewer.org else "NOT_MANAGEABLE"
    independent = CUSTOMERS[sub.customer].created_by is None
    return None if sub.sold_by is None and independent else "NOT_MANAGEABLE"


def offers_listed(viewer: RoleCase, target: Target) -> bool:
    """Offers its partner may sell; for a customer, only those sold in that customer's country."""
    if viewer.rights.belongs_to != "partner":
        return False
    sellable = [o for o in OFFERS.values() if viewer.org in o.sellers]
    if target.kind == "catalogue":
        return bool(sellable)
    # A customer the viewer may not see is as if it did not exist: it has no country.
    if not sees(viewer, target):
        return False
    return any(CUSTOMERS[target.attr].country in o.markets for o in sellable)


def expected(viewer: RoleCase, operation: str, target: Target) -> Outcome:
    visible = sees(viewer, target)
    if operation in ("node", "nodes", "customer"):
        return THE_ID if visible else None
    if operation in ("customers", "Customer.subscriptions"):
        return visible
    if operation == "offers":
        return offers_listed(viewer, target)
    if operation == "addSubscription":
        # The role check names no object, so it cannot tell hidden customers from missing ones.
        if not viewer.rights.adds:
            return "FORBIDDEN"
        return OK if visible else "NOT_FOUND"
    sub = SUBSCRIPTIONS.get(target.attr)
    if not visible or sub is None:
        return None if operation == "canManage" else "NOT_FOUND"
    denial = change_denial(viewer, sub)
    if operation == "canManage":
        return denial is None
    if denial is not None:
        return denial
    if operation in ("changeQuantity", "changeRenewal") and sub.status != "ACTIVE":
        return "SUBSCRIPTION_NOT_ACTIVE"
    if operation == "renameSubscription" and sub.status not in ("ACTIVE", "SUSPENDED"):
        return "SUBSCRIPTION_NOT_ACTIVE"
    if operation == "changeStatus" and sub.status not in ("ACTIVE", "SUSPENDED"):
        return "INVALID_STATUS_TRANSITION"  # nothing leaves these by a client's request
    return OK


# --- the generated cases --------------------------------------------------------------------------

QUERY_CASES = [
    pytest.param(viewer, target, id=f"queries-{viewer.key}-{target.attr}")
    for viewer in VIEWERS
    for target in TARGETS
]
MUTATION_CASES = [
    pytest.param(operation, viewer, target, id=f"{operation}-{viewer.key}-{target.attr}")
    for target in TARGETS
    for operation in MUTATIONS[target.kind]
    for viewer in VIEWERS
]

# --- reading the World and the database -----------------------------------------------------------


def partner_pk(world: World, org: str) -> int:
    return {"a": world.partner_a.id, "b": world.partner_b.id}[org]


def customer_row(world: World, attr: str) -> models.Customer:
    row: models.Customer = getattr(world, attr)
    return row


def subscription_row(world: World, attr: str) -> models.Subscription:
    row: models.Subscription = getattr(world, attr)
    return row


def target_id(world: World, target: Target) -> str:
    if target.kind == "customer":
        pk = customer_row(world, target.attr).id if target.exists else MISSING_PK
        return gid("Customer", pk)
    pk = subscription_row(world, target.attr).id if target.exists else MISSING_PK
    return gid("CustomerSubscription", pk)


Row = tuple[object, ...]


@dataclass(frozen=True)
class Snapshot:
    subscriptions: dict[int, Row]  # id -> quantity, status, version, suspended_at, updated_at
    activities: int
    idempotency_records: int


async def snapshot(database: Database) -> Snapshot:
    sub = models.Subscription
    columns = (sub.id, sub.quantity, sub.status, sub.version, sub.suspended_at, sub.updated_at)
    async with database.read_sessions() as s:
        rows = (await s.execute(select(*columns))).all()
        activities = await s.scalar(select(func.count()).select_from(models.Activity))
        records = await s.scalar(select(func.count()).select_from(models.IdempotencyRecord))
    return Snapshot(
        subscriptions={row[0]: tuple(row[1:]) for row in rows},
        activities=activities or 0,
        idempotency_records=records or 0,
    )


# --- queries --------------------------------------------------------------------------------------

NODE = "query($id: ID!) { node(id: $id) { id } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
CUSTOMER = "query($id: ID!) { customer(id: $id) { id } }"
CUSTOMERS_LIST = "{ customers(first: 100) { totalCount nodes { id } } }"
NESTED = "{ customers(first: 100) { nodes { id subscriptions(first: 100) { nodes { id } } } } }"
CAN_MANAGE = "query($id: ID!) { node(id: $id) { ... on CustomerSubscription { canManage } } }"
OFFERS_QUERY = (
    "query($customerId: ID) { offers(customerId: $customerId) { totalCount nodes { id } } }"
)


async def observe(
    database: Database, world: World, viewer: RoleCase, operation: str, target: Target
) -> Outcome | list[Any]:
    """What the API answers, in the shape `expected` speaks (ids stay ids)."""
    v = world.viewer(viewer.key)
    tid = None if target.kind == "catalogue" else target_id(world, target)
    if operation == "node":
        node = (await data(database, v, NODE, {"id": tid}))["node"]
        return None if node is None else str(node["id"])
    if operation == "nodes":
        return list((await data(database, v, NODES, {"ids": [tid]}))["nodes"])
    if operation == "customer":
        found = (await data(database, v, CUSTOMER, {"id": tid}))["customer"]
        return None if found is None else str(found["id"])
    if operation == "customers":
        page = (await data(database, v, CUSTOMERS_LIST))["customers"]
        ids = [node["id"] for node in page["nodes"]]
        assert page["totalCount"] == len(ids) == len(set(ids))
        return tid in ids
    if operation == "Customer.subscriptions":
        # Where the subscription appears: nowhere, or under its own customer only.
        customers = (await data(database, v, NESTED))["customers"]["nodes"]
        places = [c["id"] for c in customers for s in c["subscriptions"]["nodes"] if s["id"] == tid]
        facts = SUBSCRIPTIONS.get(target.attr)
        own = None if facts is None else gid("Customer", customer_row(world, facts.customer).id)
        return False if places == [] else True if places == [own] else places
    if operation == "canManage":
        node = (await data(database, v, CAN_MANAGE, {"id": tid}))["node"]
        return None if node is None else bool(node["canManage"])
    assert operation == "offers"
    page = (await data(database, v, OFFERS_QUERY, {"customerId": tid}))["offers"]
    assert page["totalCount"] == len(page["nodes"])
    return bool(page["nodes"])


def concrete(outcome: Outcome, operation: str, tid: str) -> Outcome | list[Any]:
    """`expected`'s answer as the API spells it: the target's id in place of THE_ID."""
    value = tid if outcome == THE_ID else outcome
    if operation == "nodes":
        return [None if value is None else {"id": value}]
    return value


@pytest.mark.parametrize(("viewer", "target"), QUERY_CASES)
async def test_queries(database: Database, world: World, viewer: RoleCase, target: Target) -> None:
    """Every query operation on one target for one viewer: the exact value, and nothing written."""
    tid = "" if target.kind == "catalogue" else target_id(world, target)
    before = await snapshot(database)
    operations = QUERIES[target.kind]
    answers = {op: await observe(database, world, viewer, op, target) for op in operations}
    wanted = {op: concrete(expected(viewer, op, target), op, tid) for op in operations}
    assert answers == wanted
    assert await snapshot(database) == before


# --- mutations ------------------------------------------------------------------------------------

SUBSCRIPTION_FIELDS = "subscription { id quantity status version } userErrors { code }"
CHANGE_QUANTITY = f"""
mutation($id: ID!, $quantity: Int!) {{
  changeQuantity(input: {{subscriptionId: $id, quantity: $quantity}}) {{ {SUBSCRIPTION_FIELDS} }}
}}"""
CHANGE_STATUS = f"""
mutation($id: ID!, $status: SubscriptionStatus!) {{
  changeStatus(input: {{subscriptionId: $id, status: $status}}) {{ {SUBSCRIPTION_FIELDS} }}
}}"""
CHANGE_RENEWAL = f"""
mutation($id: ID!, $autoRenew: Boolean!) {{
  changeRenewal(input: {{subscriptionId: $id, autoRenew: $autoRenew}}) {{ {SUBSCRIPTION_FIELDS} }}
}}"""
RENAME = f"""
mutation($id: ID!) {{
  renameSubscription(input: {{subscriptionId: $id, friendlyName: "Renamed"}}) {{
    {SUBSCRIPTION_FIELDS}
  }}
}}"""
ADD_SUBSCRIPTION = """
mutation($customerId: ID!, $offerId: ID!, $quantity: Int!) {
  addSubscription(input: {customerId: $customerId, offerId: $offerId, quantity: $quantity}) {
    subscription { customer { id } offer { id } quantity status channel version canManage }
    userErrors { code }
  }
}"""


@dataclass(frozen=True)
class Change:
    """A change the contract allows on the target's own state: quantity + 1, the one status
    transition a client may ask for (reactivation where none is allowed), auto-renew turned
    off, or a new name."""

    quantity: int
    status: str
    version: int


def requested_change(world: World, operation: str, target: Target) -> Change:
    if not target.exists:
        return Change(quantity=11, status="SUSPENDED", version=1)
    row = subscription_row(world, target.attr)
    if operation == "changeQuantity":
        return Change(row.quantity + 1, row.status, row.version)
    if operation != "changeStatus":
        return Change(row.quantity, row.status, row.version)
    flipped = {"ACTIVE": "SUSPENDED"}.get(row.status, "ACTIVE")
    return Change(row.quantity, flipped, row.version)


async def mutate(
    database: Database, world: World, operation: str, viewer: RoleCase, target: Target
) -> dict[str, Any]:
    v = world.viewer(viewer.key)
    tid = target_id(world, target)
    if operation == "addSubscription":
        offer = gid("Offer", getattr(world, ADDED_OFFER).id)
        variables = {"customerId": tid, "offerId": offer, "quantity": ADDED_QUANTITY}
        payload: dict[str, Any] = (await data(database, v, ADD_SUBSCRIPTION, variables))[operation]
        return payload
    change = requested_change(world, operation, target)
    if operation == "changeQuantity":
        result = await data(database, v, CHANGE_QUANTITY, {"id": tid, "quantity": change.quantity})
    elif operation == "changeStatus":
        result = await data(database, v, CHANGE_STATUS, {"id": tid, "status": change.status})
    elif operation == "changeRenewal":
        result = await data(database, v, CHANGE_RENEWAL, {"id": tid, "autoRenew": False})
    else:
        result = await data(database, v, RENAME, {"id": tid})
    changed: dict[str, Any] = result[operation]
    return changed


async def assert_changed(
    database: Database,
    world: World,
    operation: str,
    target: Target,
    payload: dict[str, Any],
    before: Snapshot,
) -> None:
    """Success: the new state returned, version + 1, the row re-read, one activity, nothing else."""
    change = requested_change(world, operation, target)
    row = subscription_row(world, target.attr)
    assert payload == {
        "subscription": {
            "id": target_id(world, target),
            "quantity": change.quantity,
            "status": change.status,
            "version": change.version + 1,
        },
        "userErrors": [],
    }
    after = await snapshot(database)
    assert after.subscriptions[row.id][:3] == (change.quantity, change.status, change.version + 1)
    assert after.subscriptions.keys() == before.subscriptions.keys()
    others = {pk: r for pk, r in after.subscriptions.items() if pk != row.id}
    assert others == {pk: r for pk, r in before.subscriptions.items() if pk != row.id}
    assert after.activities == before.activities + 1
    assert after.idempotency_records == before.idempotency_records


async def assert_added(
    database: Database, world: World, target: Target, payload: dict[str, Any], before: Snapshot
) -> None:
    """Success: a new subscription at version 1 for the target, one activity, nothing else."""
    assert payload == {
        "subscription": {
            "customer": {"id": target_id(world, target)},
            "offer": {"id": gid("Offer", getattr(world, ADDED_OFFER).id)},
            "quantity": ADDED_QUANTITY,
            "status": "ACTIVE",
            "channel": "PARTNER",
            "version": 1,
            "canManage": True,
        },
        "userErrors": [],
    }
    after = await snapshot(database)
    new = set(after.subscriptions) - set(before.subscriptions)
    assert len(new) == 1
    assert after.subscriptions[new.pop()][:3] == (ADDED_QUANTITY, "ACTIVE", 1)
    assert {pk: after.subscriptions[pk] for pk in before.subscriptions} == before.subscriptions
    assert after.activities == before.activities + 1
    assert after.idempotency_records == before.idempotency_records


@pytest.mark.parametrize(("operation", "viewer", "target"), MUTATION_CASES)
async def test_mutation(
    database: Database, world: World, operation: str, viewer: RoleCase, target: Target
) -> None:
    outcome = expected(viewer, operation, target)
    before = await snapshot(database)
    payload = await mutate(database, world, operation, viewer, target)
    if outcome != OK:
        assert payload == {"subscription": None, "userErrors": [{"code": outcome}]}
        assert await snapshot(database) == before
    elif operation == "addSubscription":
        await assert_added(database, world, target, payload, before)
    else:
        await assert_changed(database, world, operation, target, payload, before)


# --- createCustomer -------------------------------------------------------------------------------


def creates_customers(viewer: RoleCase) -> bool:
    """API.md version 2: the partner roles that may change subscriptions create customers."""
    return viewer.rights.belongs_to == "partner" and viewer.rights.changes != "nothing"


CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { domain createdByPartner } userErrors { code } }
}"""
NEW_CUSTOMER = {
    "companyName": "Matrix Ltd",
    "domainPrefix": "matrix",
    "country": "US",
    "adminName": "Ada Matrix",
    "adminEmail": "ada@matrix.example",
}


@pytest.mark.parametrize("viewer", [pytest.param(v, id=f"createCustomer-{v.key}") for v in VIEWERS])
async def test_create_customer(database: Database, world: World, viewer: RoleCase) -> None:
    """A customer, its partner of record the viewer's, and one more principal and activity;
    or FORBIDDEN and nothing written."""
    before = await full_snapshot(database)
    v = world.viewer(viewer.key)
    payload = (await data(database, v, CREATE_CUSTOMER, {"input": NEW_CUSTOMER}))["createCustomer"]
    if not creates_customers(viewer):
        assert payload == {"customer": None, "userErrors": [{"code": "FORBIDDEN"}]}
        assert await full_snapshot(database) == before
        return
    assert payload == {
        "customer": {"domain": "matrix.onmicrosoft.com", "createdByPartner": True},
        "userErrors": [],
    }
    subscriptions, activities, records, batches, customers, principals = before
    assert await full_snapshot(database) == (
        subscriptions,
        activities + 1,
        records,
        batches,
        customers + 1,
        principals + 1,
    )
    async with database.read_sessions() as s:
        links = await s.execute(
            select(models.PartnerCustomer.partner_id, models.Customer.created_by_partner_id)
            .join(models.Customer, models.Customer.id == models.PartnerCustomer.customer_id)
            .where(models.Customer.domain == "matrix.onmicrosoft.com")
        )
        partner = partner_pk(world, viewer.org)
        assert links.all() == [(partner, partner)]


# --- the transcription is the World ---------------------------------------------------------------


async def test_world_is_the_one_the_matrix_describes(database: Database, world: World) -> None:
    """The facts `expected` reasons from are the rows the fixtures wrote."""
    partners = {world.partner_a.id: "a", world.partner_b.id: "b"}
    async with database.read_sessions() as s:
        links = (await s.execute(select(models.PartnerCustomer))).scalars().all()
        markets = (await s.execute(select(models.OfferMarket))).scalars().all()
        sellers = (await s.execute(select(models.PartnerOffer))).scalars().all()
        subscription_count = await s.scalar(select(func.count()).select_from(models.Subscription))
        customer_count = await s.scalar(select(func.count()).select_from(models.Customer))
    customers = {}
    for attr in CUSTOMERS:
        row = customer_row(world, attr)
        customers[attr] = CustomerFacts(
            frozenset(partners[link.partner_id] for link in links if link.customer_id == row.id),
            None if row.created_by_partner_id is None else partners[row.created_by_partner_id],
            row.country,
        )
    assert customers == CUSTOMERS
    customer_attrs = {customer_row(world, attr).id: attr for attr in CUSTOMERS}
    subscriptions = {}
    for attr in SUBSCRIPTIONS:
        sub = subscription_row(world, attr)
        sold_by = None if sub.partner_id is None else partners[sub.partner_id]
        subscriptions[attr] = SubscriptionFacts(
            customer_attrs[sub.customer_id], sold_by, sub.status
        )
    assert subscriptions == SUBSCRIPTIONS
    offers = {}
    for attr in OFFERS:
        pk = getattr(world, attr).id
        offers[attr] = OfferFacts(
            frozenset(partners[p.partner_id] for p in sellers if p.offer_id == pk),
            frozenset(m.country for m in markets if m.offer_id == pk),
        )
    assert offers == OFFERS
    assert (subscription_count, customer_count) == (len(SUBSCRIPTIONS), len(CUSTOMERS))
    for viewer in VIEWERS:
        principal = world.principals[viewer.key]
        org = principal.customer_id if principal.partner_id is None else principal.partner_id
        own = customer_attrs if principal.partner_id is None else partners
        assert (principal.role, own.get(org or 0)) == (viewer.role, viewer.org)
    added: models.Offer = getattr(world, ADDED_OFFER)
    assert (added.is_add_on, added.min_quantity <= ADDED_QUANTITY <= added.max_quantity) == (
        False,
        True,
    )


# --- webhook endpoints ----------------------------------------------------------------------------

# API.md, "Webhooks": endpoints belong to a partner; GLOBAL_ADMIN and ADMIN_AGENT manage them.
MANAGES_WEBHOOKS = frozenset({"GLOBAL_ADMIN", "ADMIN_AGENT"})
ENDPOINT_OWNERS = {"a_endpoint": "a", "b_endpoint": "b", "missing_endpoint": None}
WEBHOOK_URL = "https://93.184.215.14/hooks"  # public: only the rule under test can refuse
WEBHOOK_MUTATIONS = {
    "createWebhookEndpoint": """
      mutation($url: String!) {
        createWebhookEndpoint(input: {url: $url, eventTypes: [SUBSCRIPTION_UPDATED]}) {
          endpoint { url } userErrors { code } } }""",
    "updateWebhookEndpoint": """
      mutation($id: ID!, $url: String!) {
        updateWebhookEndpoint(input: {id: $id, url: $url, enabled: false}) {
          endpoint { url } userErrors { code } } }""",
    "rotateWebhookSecret": """
      mutation($id: ID!) {
        rotateWebhookSecret(input: {id: $id}) { endpoint { url } userErrors { code } } }""",
    "deleteWebhookEndpoint": """
      mutation($id: ID!) {
        deleteWebhookEndpoint(input: {id: $id}) { deletedId userErrors { code } } }""",
}
WEBHOOK_CASES = [
    pytest.param(operation, viewer, target, id=f"{operation}-{viewer.key}-{target}")
    for operation in WEBHOOK_MUTATIONS
    for target in (("a_endpoint",) if operation == "createWebhookEndpoint" else ENDPOINT_OWNERS)
    for viewer in VIEWERS
]


def webhook_expected(viewer: RoleCase, operation: str, target: str) -> str:
    # The role check names no object, so it cannot tell hidden endpoints from missing ones.
    if viewer.role not in MANAGES_WEBHOOKS:
        return "FORBIDDEN"
    if operation == "createWebhookEndpoint":
        return OK
    return OK if ENDPOINT_OWNERS[target] == viewer.org else "NOT_FOUND"


async def endpoint_rows(database: Database) -> list[tuple[object, ...]]:
    e = models.WebhookEndpoint
    columns = (e.id, e.partner_id, e.url, e.enabled, e.secret, e.previous_secret)
    async with database.read_sessions() as s:
        return [tuple(row) for row in await s.execute(select(*columns).order_by(e.id))]


@pytest.mark.parametrize(("operation", "viewer", "target"), WEBHOOK_CASES)
async def test_webhook_mutation(
    database: Database, world: World, operation: str, viewer: RoleCase, target: str
) -> None:
    async with database.write_sessions.begin() as s:
        for org in ("a", "b"):
            s.add(
                models.WebhookEndpoint(
                    partner_id=partner_pk(world, org),
                    url=f"https://93.184.215.14/{org}",
                    event_types=1,
                    enabled=True,
                    secret=f"whsec_{org}",
                    created_at=utcnow(),
                )
            )
    pks = {"a_endpoint": 1, "b_endpoint": 2, "missing_endpoint": MISSING_PK}
    tid = gid("WebhookEndpoint", pks[target])
    outcome = webhook_expected(viewer, operation, target)
    before = (await snapshot(database), await endpoint_rows(database))
    query = WEBHOOK_MUTATIONS[operation]
    variables = {k: v for k, v in (("id", tid), ("url", WEBHOOK_URL)) if f"${k}:" in query}
    result = await data(database, world.viewer(viewer.key), query, variables)
    payload = result[operation]
    if outcome != OK:
        assert payload["userErrors"] == [{"code": outcome}]
        assert (await snapshot(database), await endpoint_rows(database)) == before
        return
    assert payload["userErrors"] == []
    rows = {row[0]: row for row in await endpoint_rows(database)}
    own = partner_pk(world, viewer.org)
    pk = 3 if operation == "createWebhookEndpoint" else pks[target]
    secret = f"whsec_{viewer.org}"
    if operation == "createWebhookEndpoint":
        assert rows[pk][1:4] == (own, WEBHOOK_URL, True)
    elif operation == "updateWebhookEndpoint":
        assert rows[pk][1:4] == (own, WEBHOOK_URL, False)
    elif operation == "rotateWebhookSecret":
        assert rows[pk][5] == secret and rows[pk][4] != secret
    else:
        assert payload["deletedId"] == tid and pk not in rows
    untouched = {row[0]: row for row in before[1] if row[0] != pk}
    assert {k: v for k, v in rows.items() if k != pk} == untouched
    assert await snapshot(database) == before[0]
