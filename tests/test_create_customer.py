"""createCustomer: roles, input, DOMAIN_TAKEN, idempotency, validateOnly and races at the service
level; then over HTTP, down to the created administrator's own key (minted by the CLI)."""

import asyncio
import json
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, text, update

import models
from infra.database import Database
from infra.transactions import run_in_transaction
from models import global_ids
from models.base import utcnow
from services import new_customers, purchases
from services.errors import DomainError
from services.new_customers import NewCustomer
from services.viewer import Viewer
from settings import Settings
from tests.clients import after, app_client
from tests.factories import World
from tests.processes import run_cli
from tests.snapshots import snapshot

REQUEST = NewCustomer(
    company_name="Tailspin Toys",
    domain_prefix="tailspin",
    country="GB",
    admin_name="Mara Jones",
    admin_email="mara@tailspintoys.com",
)
DOMAIN = "tailspin.onmicrosoft.com"


async def create(
    database: Database,
    viewer: Viewer,
    request: NewCustomer = REQUEST,
    key: str | None = None,
    validate_only: bool = False,
) -> models.Customer | None:
    return await run_in_transaction(
        database.write_sessions,
        lambda s: new_customers.create_customer(s, viewer, request, key, validate_only),
        database.write_queue,
    )


async def created(
    database: Database, viewer: Viewer, request: NewCustomer = REQUEST, key: str | None = None
) -> models.Customer:
    customer = await create(database, viewer, request, key)
    assert customer is not None
    return customer


async def rejected(
    database: Database,
    viewer: Viewer,
    request: NewCustomer = REQUEST,
    key: str | None = None,
    validate_only: bool = False,
) -> DomainError:
    """The error of a create that must fail, after checking that it changed nothing."""
    before = await snapshot(database)
    with pytest.raises(DomainError) as caught:
        await create(database, viewer, request, key, validate_only)
    assert await snapshot(database) == before
    return caught.value


def facts(error: DomainError) -> tuple[str, tuple[str, ...] | None, str]:
    return error.code, error.field, error.message


async def set_partner(database: Database, pk: int, **values: Any) -> None:
    async with database.write_sessions.begin() as s:
        await s.execute(update(models.Partner).where(models.Partner.id == pk).values(**values))


Counts = tuple[int, int, int, int]  # activities, idempotency records, customers, principals


async def counts(database: Database) -> Counts:
    taken = await snapshot(database)
    return taken[1], taken[2], taken[4], taken[5]


# --- success ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT"])
async def test_selling_roles_create_a_customer(database: Database, world: World, role: str) -> None:
    await set_partner(database, world.partner_a.id, currency="EUR")
    viewer = world.viewer(role)
    before = await counts(database)
    started = utcnow()

    customer = await created(database, viewer)

    async with database.read_sessions() as s:
        row = await s.get_one(models.Customer, customer.id)
        links = (
            await s.scalars(
                select(models.PartnerCustomer.partner_id).where(
                    models.PartnerCustomer.customer_id == row.id
                )
            )
        ).all()
        [admin] = (
            await s.scalars(select(models.Principal).where(models.Principal.customer_id == row.id))
        ).all()
        [entry] = (
            await s.scalars(select(models.Activity).where(models.Activity.customer_id == row.id))
        ).all()
    assert (
        row.company_name,
        row.company_name_key,
        row.domain,
        row.country,
        row.currency,
        row.created_by_partner_id,
        row.created_by_partner,
    ) == ("Tailspin Toys", "tailspin toys", DOMAIN, "GB", "EUR", world.partner_a.id, True)
    assert started <= row.created_at <= utcnow()
    assert list(links) == [world.partner_a.id]
    assert (admin.name, admin.email, admin.role, admin.partner_id) == (
        "Mara Jones",
        "mara@tailspintoys.com",
        "CUSTOMER_ADMIN",
        None,
    )
    assert (
        entry.operation,
        entry.subscription_id,
        entry.version,
        entry.principal_id,
        entry.partner_id,
        entry.actor_kind,
        entry.actor_name,
        entry.before,
        entry.after,
    ) == (
        "CREATE_CUSTOMER",
        None,
        None,
        viewer.principal_id,
        world.partner_a.id,
        "PARTNER_USER",
        viewer.name,
        None,
        {"companyName": "Tailspin Toys", "domain": DOMAIN, "country": "GB"},
    )
    activities, records, customers, principals = before
    assert await counts(database) == (activities + 1, records, customers + 1, principals + 1)


async def test_input_is_stored_as_checked(database: Database, world: World) -> None:
    request = NewCustomer(
        company_name="  Tailspin Toys  ",
        domain_prefix="TailSpin",
        country="gb",
        admin_name=" Mara Jones ",
        admin_email="Mara@TailspinToys.COM",
    )
    customer = await created(database, world.viewer("GLOBAL_ADMIN"), request)
    async with database.read_sessions() as s:
        admin = (
            await s.scalars(
                select(models.Principal).where(models.Principal.customer_id == customer.id)
            )
        ).one()
    assert (customer.company_name, customer.domain, customer.country) == (
        "Tailspin Toys",
        DOMAIN,
        "GB",
    )
    assert (admin.name, admin.email) == ("Mara Jones", "Mara@tailspintoys.com")


async def test_a_company_name_may_have_255_characters(database: Database, world: World) -> None:
    """Partner Center's limit ([VN]); case folding makes its key up to three times longer."""
    name = "\ufb03" * 255  # the ligature "ffi", folded to three letters
    customer = await created(
        database, world.viewer("GLOBAL_ADMIN"), replace(REQUEST, company_name=name)
    )
    async with database.read_sessions() as s:
        row = await s.get_one(models.Customer, customer.id)
    assert (row.company_name, row.company_name_key) == (name, "ffi" * 255)


async def test_another_partner_creates_its_own_customer(database: Database, world: World) -> None:
    customer = await created(database, world.viewer("B_ADMIN"))
    assert customer.created_by_partner_id == world.partner_b.id
    async with database.read_sessions() as s:
        visible_to_a = await s.scalar(
            select(models.PartnerCustomer.customer_id).where(
                models.PartnerCustomer.partner_id == world.partner_a.id,
                models.PartnerCustomer.customer_id == customer.id,
            )
        )
    assert visible_to_a is None


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["HELPDESK_AGENT", "BILLING_ADMIN", "CREATED_ADMIN", "INDEPENDENT_ADMIN"]
)
async def test_roles_that_may_not_create(database: Database, world: World, role: str) -> None:
    viewer = world.viewer(role)
    expected = ("FORBIDDEN", None, "your role may not create customers")
    assert facts(await rejected(database, viewer)) == expected
    # the role is refused before the input is read, and before any key is looked at
    bad = replace(REQUEST, company_name="", domain_prefix="a-b")
    assert facts(await rejected(database, viewer, bad, key="")) == expected


INVALID: dict[str, tuple[dict[str, str], tuple[str, tuple[str, ...], str]]] = {
    "empty company": (
        {"company_name": "  "},
        ("INVALID_COMPANY_NAME", ("companyName",), "companyName must not be empty"),
    ),
    "legal form only": (
        {"company_name": "L.L.C."},
        (
            "INVALID_COMPANY_NAME",
            ("companyName",),
            "companyName must be the company's name, not only a legal form such as LLC or GmbH",
        ),
    ),
    "hyphen in prefix": (
        {"domain_prefix": "tail-spin"},
        (
            "INVALID_INPUT",
            ("domainPrefix",),
            "domainPrefix is the part before .onmicrosoft.com and may contain only the letters "
            "a-z and the digits 0-9 (no spaces, hyphens, dots or accents)",
        ),
    ),
    "prefix over 63": (
        {"domain_prefix": "x" * 64},
        ("INVALID_INPUT", ("domainPrefix",), "domainPrefix must be at most 63 characters"),
    ),
    "unknown country": (
        {"country": "XX"},
        (
            "INVALID_COUNTRY",
            ("country",),
            "country must be an ISO 3166-1 alpha-2 code such as US or DE, not 'XX'",
        ),
    ),
    "UK is not a code": (
        {"country": "UK"},
        (
            "INVALID_COUNTRY",
            ("country",),
            "country must be an ISO 3166-1 alpha-2 code such as US or DE, not 'UK'",
        ),
    ),
    "placeholder admin": (
        {"admin_name": "Test User"},
        (
            "INVALID_CONTACT",
            ("adminName",),
            "adminName must be a real person's name, not a placeholder such as test or admin",
        ),
    ),
    "one-letter admin": (
        {"admin_name": "J."},
        ("INVALID_CONTACT", ("adminName",), "adminName must be a full name, not a single letter"),
    ),
    "no address": (
        {"admin_email": "mara at tailspintoys.com"},
        (
            "INVALID_EMAIL",
            ("adminEmail",),
            "adminEmail must be one address such as name@contoso.com, without spaces",
        ),
    ),
    "microsoft.com": (
        {"admin_email": "mara@Microsoft.com"},
        (
            "INVALID_EMAIL",
            ("adminEmail",),
            "adminEmail must be the customer's own address, not one at microsoft.com",
        ),
    ),
    "the partner's own domain": (
        {"admin_email": "mara@sales.partner-a.example"},
        (
            "INVALID_EMAIL",
            ("adminEmail",),
            "adminEmail must be the customer's own address, not one at your own domain "
            "partner-a.example",
        ),
    ),
}


async def test_invalid_input(database: Database, world: World) -> None:
    await set_partner(database, world.partner_a.id, domain="Partner-A.example")
    viewer = world.viewer("GLOBAL_ADMIN")
    found = {}
    for label, (changes, _) in INVALID.items():
        found[label] = facts(await rejected(database, viewer, replace(REQUEST, **changes)))
    assert found == {label: expected for label, (_, expected) in INVALID.items()}
    # ...and another partner's domain is not this partner's business
    other = replace(REQUEST, admin_email="mara@partner-a.example")
    assert (await created(database, world.viewer("B_ADMIN"), other)).domain == DOMAIN


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "idempotencyKey must be 1 to 200 characters"),
        ("k" * 201, "idempotencyKey must be 1 to 200 characters"),
        ("key\x00", "idempotencyKey contains a control character"),
    ],
)
async def test_malformed_idempotency_key(
    database: Database, world: World, key: str, message: str
) -> None:
    error = await rejected(database, world.viewer("GLOBAL_ADMIN"), key=key)
    assert facts(error) == ("INVALID_INPUT", ("idempotencyKey",), message)


async def test_domain_taken(database: Database, world: World) -> None:
    await created(database, world.viewer("B_ADMIN"))  # another partner's customer
    elsewhere = replace(REQUEST, admin_email="ann@tailspin.example")
    expected = (
        "DOMAIN_TAKEN",
        ("domainPrefix",),
        "tailspin.onmicrosoft.com is already in use: choose another domainPrefix",
    )
    viewer = world.viewer("GLOBAL_ADMIN")
    assert facts(await rejected(database, viewer, elsewhere)) == expected
    shouted = replace(elsewhere, domain_prefix="TAILSPIN")
    assert facts(await rejected(database, viewer, shouted)) == expected
    assert facts(await rejected(database, viewer, elsewhere, validate_only=True)) == expected


async def test_an_administrators_address_is_no_other_users(
    database: Database, world: World
) -> None:
    await created(database, world.viewer("GLOBAL_ADMIN"))
    again = replace(REQUEST, domain_prefix="tailspin2")
    assert facts(await rejected(database, world.viewer("SALES_AGENT"), again)) == (
        "INVALID_EMAIL",
        ("adminEmail",),
        "mara@tailspintoys.com is already another user's address: give the new administrator's own",
    )


# --- validateOnly ----------------------------------------------------------------------------


async def test_validate_only_writes_nothing(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    before = await snapshot(database)
    for key in (None, "create-1"):
        assert await create(database, viewer, key=key, validate_only=True) is None
        assert await snapshot(database) == before
    # the key was not consumed: the real request with it creates the customer
    customer = await created(database, viewer, key="create-1")
    assert customer.domain == DOMAIN
    activities, records, customers, principals = await counts(database)
    assert (activities, records, customers, principals) == (
        before[1] + 1,
        1,
        before[4] + 1,
        before[5] + 1,
    )


async def test_validate_only_still_checks_everything(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    cases = {
        "role": (
            world.viewer("HELPDESK_AGENT"),
            REQUEST,
            ("FORBIDDEN", None, "your role may not create customers"),
        ),
        "country": (
            viewer,
            replace(REQUEST, country="ZZ"),
            (
                "INVALID_COUNTRY",
                ("country",),
                "country must be an ISO 3166-1 alpha-2 code such as US or DE, not 'ZZ'",
            ),
        ),
        "name": (
            viewer,
            replace(REQUEST, admin_name="admin"),
            (
                "INVALID_CONTACT",
                ("adminName",),
                "adminName must be a real person's name, not a placeholder such as test or admin",
            ),
        ),
    }
    found = {}
    for label, (who, request, _) in cases.items():
        found[label] = facts(await rejected(database, who, request, validate_only=True))
    assert found == {label: expected for label, (_, _, expected) in cases.items()}


# --- idempotency -----------------------------------------------------------------------------


async def test_same_key_and_input_returns_the_first_customer(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    first = await created(database, viewer, key="create-1")
    after_first = await snapshot(database)
    assert after_first[2] == 1
    again = await created(database, viewer, key="create-1")
    # the same input as stored: trimmed and case-folded where the checks fold it
    spaced = replace(REQUEST, company_name=" Tailspin Toys ", domain_prefix="TAILSPIN")
    retried = await created(database, viewer, spaced, key="create-1")
    validated = await create(database, viewer, key="create-1", validate_only=True)
    assert validated is not None
    assert {again.id, retried.id, validated.id} == {first.id}
    assert await snapshot(database) == after_first


async def test_same_key_with_different_input_is_refused(database: Database, world: World) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    await created(database, viewer, key="create-1")
    different = {
        "company_name": replace(REQUEST, company_name="Tailspin Toys Ltd"),
        "domain_prefix": replace(REQUEST, domain_prefix="tailspin2"),
        "country": replace(REQUEST, country="DE"),
        "admin_name": replace(REQUEST, admin_name="Mara Jonas"),
        "admin_email": replace(REQUEST, admin_email="m@tailspintoys.com"),
    }
    found = {
        label: facts(await rejected(database, viewer, request, key="create-1"))
        for label, request in different.items()
    }
    reused = (
        "IDEMPOTENCY_KEY_REUSED",
        ("idempotencyKey",),
        "this idempotency key was used before with a different input",
    )
    assert found == dict.fromkeys(different, reused)


async def test_a_key_used_for_a_purchase_is_not_a_customers(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    purchase = purchases.NewSubscription(
        customer_id=world.independent.id, offer_id=world.basic.id, quantity=1
    )
    await run_in_transaction(
        database.write_sessions,
        lambda s: purchases.add_subscription(s, viewer, purchase, "order-1"),
        database.write_queue,
    )
    assert facts(await rejected(database, viewer, key="order-1")) == (
        "IDEMPOTENCY_KEY_REUSED",
        ("idempotencyKey",),
        "this idempotency key was used before with a different input",
    )


async def test_keys_are_the_principals_own(database: Database, world: World) -> None:
    await created(database, world.viewer("GLOBAL_ADMIN"), key="create-1")
    # the same key and input from another principal is another request: the domain is taken
    error = await rejected(database, world.viewer("SALES_AGENT"), key="create-1")
    assert facts(error) == (
        "DOMAIN_TAKEN",
        ("domainPrefix",),
        "tailspin.onmicrosoft.com is already in use: choose another domainPrefix",
    )


async def test_replay_after_the_relationship_ended_is_not_found(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    customer = await created(database, viewer, key="create-1")
    async with database.write_sessions.begin() as s:
        await s.execute(
            delete(models.PartnerCustomer).where(models.PartnerCustomer.customer_id == customer.id)
        )
    assert facts(await rejected(database, viewer, key="create-1")) == (
        "NOT_FOUND",
        ("idempotencyKey",),
        "the customer this key created is no longer yours",
    )


# --- races -----------------------------------------------------------------------------------


async def test_two_simultaneous_creates_of_one_domain(database: Database, world: World) -> None:
    before = await counts(database)
    first = create(database, world.viewer("GLOBAL_ADMIN"))
    second = create(
        database, world.viewer("SALES_AGENT"), replace(REQUEST, admin_email="ann@tailspin.example")
    )
    results = await asyncio.gather(first, second, return_exceptions=True)
    customers = [r for r in results if isinstance(r, models.Customer)]
    errors = [r for r in results if isinstance(r, DomainError)]
    assert (len(customers), len(errors)) == (1, 1), results
    assert (errors[0].code, errors[0].field) == ("DOMAIN_TAKEN", ("domainPrefix",))
    activities, records, count, principals = before
    assert await counts(database) == (activities + 1, records, count + 1, principals + 1)


async def test_the_constraint_decides_what_the_check_could_not_see(
    database: Database, world: World
) -> None:
    """A customer with the domain is inserted, not yet committed, when the create checks:
    the database's unique constraint refuses the create's insert, and the create runs again
    and answers DOMAIN_TAKEN (on SQLite the write lock makes it wait for the commit)."""
    before = await counts(database)
    async with database.engine.connect() as other:
        transaction = await other.begin()
        await other.execute(
            text(
                "INSERT INTO customers (company_name, company_name_key, domain, country, "
                "currency, created_at) VALUES ('Other', 'other', :domain, 'US', 'USD', :now)"
            ),
            {"domain": DOMAIN, "now": utcnow()},
        )
        committed = after(0.5, transaction.commit)
        error = await rejected_without_snapshot(database, world.viewer("GLOBAL_ADMIN"))
        await committed
    assert (error.code, error.field) == ("DOMAIN_TAKEN", ("domainPrefix",))
    activities, records, customers, principals = before
    assert await counts(database) == (activities, records, customers + 1, principals)


async def rejected_without_snapshot(database: Database, viewer: Viewer) -> DomainError:
    """While another transaction holds the write lock, a snapshot could not be read."""
    with pytest.raises(DomainError) as caught:
        await create(database, viewer)
    return caught.value


async def test_simultaneous_retries_with_one_key_create_one_customer(
    database: Database, world: World
) -> None:
    viewer = world.viewer("GLOBAL_ADMIN")
    before = await counts(database)
    results = await asyncio.gather(*(created(database, viewer, key="create-1") for _ in range(8)))
    assert len({customer.id for customer in results}) == 1
    activities, records, customers, principals = before
    assert await counts(database) == (activities + 1, 1, customers + 1, principals + 1)


# --- over HTTP -------------------------------------------------------------------------------

CREATE_CUSTOMER = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { id companyName domain country createdByPartner }
    userErrors { field message code }
    clientMutationId
  }
}"""
HTTP_INPUT = {
    "companyName": "Tailspin Toys",
    "domainPrefix": "tailspin",
    "country": "US",
    "adminName": "Mara Jones",
    "adminEmail": "mara@tailspintoys.com",
}


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    token: str | None = None,
) -> dict[str, Any]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def test_create_customer_over_http(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    variables = {"input": {**HTTP_INPUT, "clientMutationId": "c-1", "idempotencyKey": "k-1"}}
    payload = (await post(client, CREATE_CUSTOMER, variables))["createCustomer"]
    customer = payload["customer"]
    assert payload == {
        "customer": {
            "id": customer["id"],
            "companyName": "Tailspin Toys",
            "domain": DOMAIN,
            "country": "US",
            "createdByPartner": True,
        },
        "userErrors": [],
        "clientMutationId": "c-1",
    }
    listed = await post(client, "query($id: ID!) { customer(id: $id) { id } }", customer)
    assert listed == {"customer": {"id": customer["id"]}}
    after_create = await snapshot(database)
    replayed = (await post(client, CREATE_CUSTOMER, variables))["createCustomer"]
    assert replayed == payload
    assert await snapshot(database) == after_create

    taken = {"input": {**HTTP_INPUT, "adminEmail": "ann@tailspin.example"}}
    refused = (await post(client, CREATE_CUSTOMER, taken))["createCustomer"]
    assert refused == {
        "customer": None,
        "userErrors": [
            {
                "field": ["input", "domainPrefix"],
                "message": "tailspin.onmicrosoft.com is already in use: choose another "
                "domainPrefix",
                "code": "DOMAIN_TAKEN",
            }
        ],
        "clientMutationId": None,
    }
    fresh = {"domainPrefix": "other", "adminEmail": "ann@other.example"}
    checked = {"input": {**HTTP_INPUT, **fresh, "validateOnly": True}}
    validated = (await post(client, CREATE_CUSTOMER, checked))["createCustomer"]
    assert validated == {"customer": None, "userErrors": [], "clientMutationId": None}
    assert await snapshot(database) == after_create


async def test_a_read_only_role_is_refused_over_http(
    settings: Settings, database: Database, world: World
) -> None:
    before = await snapshot(database)
    async with app_client(settings, database, world, role="BILLING_ADMIN") as client:
        payload = (await post(client, CREATE_CUSTOMER, {"input": HTTP_INPUT}))["createCustomer"]
    assert payload == {
        "customer": None,
        "userErrors": [
            {"field": None, "message": "your role may not create customers", "code": "FORBIDDEN"}
        ],
        "clientMutationId": None,
    }
    assert await snapshot(database) == before


ADD_SUBSCRIPTION = """
mutation($customerId: ID!, $offerId: ID!) {
  addSubscription(input: {customerId: $customerId, offerId: $offerId, quantity: 5}) {
    subscription { id } userErrors { code }
  }
}"""
ADMINS_VIEW = """
{ viewer { name role customer { id companyName createdByPartner
    subscriptions(first: 10) { nodes { id quantity canManage actions notManageableReason } } } } }
"""
CHANGE_QUANTITY = """
mutation($id: ID!) {
  changeQuantity(input: {subscriptionId: $id, quantity: 6}) {
    subscription { id } userErrors { field message code }
  }
}"""


async def test_the_created_administrator_sees_but_cannot_manage(
    client: httpx.AsyncClient, database: Database, world: World, database_url: str
) -> None:
    """The whole path: a partner creates the customer and sells it a subscription; the
    operator mints the new administrator a key by e-mail; with it the administrator reads its
    customer, and may change nothing: the account is the partner's (PARTNER_CREATED_ACCOUNT)."""
    payload = (await post(client, CREATE_CUSTOMER, {"input": HTTP_INPUT}))["createCustomer"]
    customer_id = payload["customer"]["id"]
    offer_id = global_ids.encode("Offer", world.basic.id)
    added = await post(client, ADD_SUBSCRIPTION, {"customerId": customer_id, "offerId": offer_id})
    assert added["addSubscription"]["userErrors"] == []
    subscription_id = added["addSubscription"]["subscription"]["id"]

    minted = await asyncio.to_thread(
        run_cli,
        "create-api-key",
        "--principal",
        HTTP_INPUT["adminEmail"],
        database_url=database_url,
    )
    assert minted.returncode == 0, minted.stderr
    key = json.loads(minted.stdout)
    assert (key["principal"], key["role"]) == ("Mara Jones", "CUSTOMER_ADMIN")
    assert key["token"].startswith(f"csp_{key['key_id']}_")

    seen = await post(client, ADMINS_VIEW, {}, token=key["token"])
    assert seen == {
        "viewer": {
            "name": "Mara Jones",
            "role": "CUSTOMER_ADMIN",
            "customer": {
                "id": customer_id,
                "companyName": "Tailspin Toys",
                "createdByPartner": True,
                "subscriptions": {
                    "nodes": [
                        {
                            "id": subscription_id,
                            "quantity": 5,
                            "canManage": False,
                            "actions": [],
                            "notManageableReason": "PARTNER_CREATED_ACCOUNT",
                        }
                    ]
                },
            },
        }
    }
    before = await snapshot(database)
    refused = await post(client, CHANGE_QUANTITY, {"id": subscription_id}, token=key["token"])
    assert refused["changeQuantity"]["subscription"] is None
    [error] = refused["changeQuantity"]["userErrors"]
    assert (error["code"], error["field"]) == ("NOT_MANAGEABLE", ["input", "subscriptionId"])
    assert await snapshot(database) == before
