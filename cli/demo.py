"""The demo data set: every rule of the contract has an example to try."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Customer,
    Offer,
    OfferMarket,
    OfferPrerequisite,
    Partner,
    PartnerCustomer,
    PartnerOffer,
    Principal,
    Subscription,
)
from models.base import utcnow
from services import api_keys

FIRST_PARTNER = "Contoso Cloud Partners"
SECOND_PARTNER = "Fabrikam Reseller Ltd"
ALL_MARKETS = ("US", "GB", "DE", "FR", "NL", "CN")

# name, sku, min, max, add-on, billing cycles, markets (None: everywhere)
_OFFERS: list[tuple[str, str, int, int, bool, str, tuple[str, ...] | None]] = [
    ("Microsoft 365 Business Basic", "M365-BB", 1, 300, False, "MONTHLY,ANNUAL", None),
    ("Microsoft 365 Business Standard", "M365-BS", 1, 300, False, "MONTHLY,ANNUAL", None),
    ("Microsoft 365 E3", "M365-E3", 1, 10000, False, "ANNUAL,MONTHLY", None),
    ("Microsoft 365 E5", "M365-E5", 5, 10000, False, "ANNUAL", None),
    ("Exchange Online (Plan 1)", "EXO-P1", 1, 5000, False, "MONTHLY,ANNUAL", None),
    ("Microsoft Teams Phone Standard", "TEAMS-PHONE", 1, 10000, True, "MONTHLY,ANNUAL", None),
    (
        "Microsoft 365 Copilot",
        "M365-COPILOT",
        1,
        10000,
        True,
        "ANNUAL",
        ("US", "GB", "DE", "FR", "NL"),
    ),
    ("Dynamics 365 Business Central", "D365-BC", 1, 1000, False, "MONTHLY", ("US", "GB", "NL")),
]
_PREREQUISITES = {"TEAMS-PHONE": ("M365-E3", "M365-E5"), "M365-COPILOT": ("M365-E3", "M365-E5")}
_FIRST_SELLS = (
    "M365-BB",
    "M365-BS",
    "M365-E3",
    "M365-E5",
    "EXO-P1",
    "TEAMS-PHONE",
    "M365-COPILOT",
    "D365-BC",
)
_SECOND_SELLS = ("M365-BB", "M365-BS", "M365-E3", "EXO-P1", "TEAMS-PHONE")

# company, domain, country, created by (partner index or None), related partners
_CUSTOMERS: list[tuple[str, str, str, int | None, tuple[int, ...]]] = [
    ("Adatum Corporation", "adatum.example", "US", 0, (0,)),
    ("Northwind Traders", "northwind.example", "GB", None, (0, 1)),
    ("Tailspin Toys", "tailspin.example", "DE", 0, (0,)),
    ("Woodgrove Bank", "woodgrove.example", "US", 0, (0,)),
    ("Lamna Healthcare", "lamna.example", "CN", 0, (0,)),
    ("Litware Inc", "litware.example", "FR", 1, (1,)),
    ("Proseware Ltd", "proseware.example", "NL", 1, (1,)),
]

# customer domain, sku, seller (partner index or None for direct), quantity, status
_SUBSCRIPTIONS: list[tuple[str, str, int | None, int, str]] = [
    ("adatum.example", "M365-E3", 0, 25, "ACTIVE"),
    ("adatum.example", "M365-BB", 0, 10, "SUSPENDED"),
    ("adatum.example", "EXO-P1", None, 5, "ACTIVE"),
    ("northwind.example", "M365-BS", 0, 40, "ACTIVE"),
    ("northwind.example", "EXO-P1", 1, 15, "ACTIVE"),
    ("northwind.example", "M365-E5", None, 10, "ACTIVE"),
    ("northwind.example", "M365-BB", None, 3, "SUSPENDED"),
    ("tailspin.example", "M365-BS", 0, 12, "ACTIVE"),
    ("woodgrove.example", "M365-E3", 0, 300, "ACTIVE"),
    ("woodgrove.example", "TEAMS-PHONE", 0, 50, "ACTIVE"),
    ("lamna.example", "M365-BB", 0, 8, "ACTIVE"),
    ("litware.example", "M365-E3", 1, 60, "ACTIVE"),
    ("proseware.example", "M365-BB", 1, 20, "SUSPENDED"),
]

# name, role, partner index, customer domain
_PRINCIPALS: list[tuple[str, str, int | None, str | None]] = [
    ("Alice Admin", "GLOBAL_ADMIN", 0, None),
    ("Adam Agent", "ADMIN_AGENT", 0, None),
    ("Sam Sales", "SALES_AGENT", 0, None),
    ("Hana Helpdesk", "HELPDESK_AGENT", 0, None),
    ("Bill Billing", "BILLING_ADMIN", 0, None),
    ("Fiona Fabrikam", "GLOBAL_ADMIN", 1, None),
    ("Ada Adatum", "CUSTOMER_ADMIN", None, "adatum.example"),
    ("Nick Northwind", "CUSTOMER_ADMIN", None, "northwind.example"),
]


@dataclass(frozen=True)
class DemoKey:
    name: str
    role: str
    partner: str | None
    customer: str | None
    token: str


async def seed_demo(session: AsyncSession) -> list[DemoKey]:
    """Load the data set unless it is there, then mint one fresh key per demo principal."""
    if await session.scalar(select(Partner.id).where(Partner.name == FIRST_PARTNER)) is None:
        await _load(session)
    keys = []
    stmt = (
        select(Principal, Partner.name, Customer.company_name)
        .outerjoin(Partner, Partner.id == Principal.partner_id)
        .outerjoin(Customer, Customer.id == Principal.customer_id)
        .where(Principal.name.in_([name for name, *_ in _PRINCIPALS]))
        .order_by(Principal.id)
    )
    for principal, partner, customer in (await session.execute(stmt)).all():
        issued = await api_keys.issue_key(session, principal.id)
        keys.append(DemoKey(principal.name, principal.role, partner, customer, issued.token))
    return keys


async def add_catalogue(session: AsyncSession, partners: list[Partner]) -> dict[str, Offer]:
    """The demo offers by SKU, their markets and add-on prerequisites; the first partner may sell
    every offer, the second (if any) only some."""
    offers = {
        sku: Offer(
            name=name,
            sku=sku,
            min_quantity=low,
            max_quantity=high,
            is_add_on=add_on,
            billing_cycles=cycles,
        )
        for name, sku, low, high, add_on, cycles, _ in _OFFERS
    }
    session.add_all(offers.values())
    await session.flush()
    for _, sku, *_, markets in _OFFERS:
        session.add_all(
            OfferMarket(offer_id=offers[sku].id, country=c) for c in markets or ALL_MARKETS
        )
    for sku, prerequisites in _PREREQUISITES.items():
        session.add_all(
            OfferPrerequisite(offer_id=offers[sku].id, prerequisite_offer_id=offers[p].id)
            for p in prerequisites
        )
    for partner, skus in zip(partners, (_FIRST_SELLS, _SECOND_SELLS), strict=False):
        session.add_all(PartnerOffer(partner_id=partner.id, offer_id=offers[s].id) for s in skus)
    await session.flush()
    return offers


async def _load(session: AsyncSession) -> None:
    now = utcnow()
    partners = [Partner(name=FIRST_PARTNER), Partner(name=SECOND_PARTNER)]
    session.add_all(partners)
    await session.flush()
    offers = await add_catalogue(session, partners)
    customers = {}
    for age, (company, domain, country, creator, _) in enumerate(_CUSTOMERS):
        customers[domain] = Customer(
            company_name=company,
            domain=domain,
            country=country,
            created_by_partner_id=None if creator is None else partners[creator].id,
            created_at=now - timedelta(days=400 - 30 * age),
        )
    session.add_all(customers.values())
    await session.flush()
    for _, domain, _, _, related in _CUSTOMERS:
        session.add_all(
            PartnerCustomer(partner_id=partners[p].id, customer_id=customers[domain].id)
            for p in related
        )
    for domain, sku, seller, quantity, status in _SUBSCRIPTIONS:
        session.add(
            Subscription(
                customer_id=customers[domain].id,
                offer_id=offers[sku].id,
                partner_id=None if seller is None else partners[seller].id,
                parent_subscription_id=None,
                friendly_name=offers[sku].name,
                quantity=quantity,
                status=status,
                billing_cycle=offers[sku].billing_cycles.split(",")[0],
                auto_renew=True,
                created_at=now - timedelta(days=60),
                updated_at=now,
                suspended_at=now - timedelta(days=3) if status == "SUSPENDED" else None,
                version=1,
            )
        )
    for name, role, partner_index, principal_domain in _PRINCIPALS:
        session.add(
            Principal(
                name=name,
                role=role,
                partner_id=None if partner_index is None else partners[partner_index].id,
                customer_id=None if principal_domain is None else customers[principal_domain].id,
            )
        )
    await session.flush()
