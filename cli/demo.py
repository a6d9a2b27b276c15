"""The demo data set: every rule of the contract has an example to try."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Customer,
    Offer,
    OfferMarket,
    OfferPrerequisite,
    OfferTerm,
    Partner,
    PartnerCustomer,
    PartnerOffer,
    Principal,
    Subscription,
)
from models.base import utcnow
from services import activity, api_keys, purchases, seats
from services.activity import Actor
from services.terms import ONE_DAY, TermDuration, add_months

FIRST_PARTNER = "Contoso Cloud Partners"
SECOND_PARTNER = "Fabrikam Reseller Ltd"
ALL_MARKETS = ("US", "GB", "DE", "FR", "NL", "CN")

# name, sku, min, max, add-on, billing cycles, markets (None: everywhere)
_OFFERS: list[tuple[str, str, int, int, bool, str, tuple[str, ...] | None]] = [
    ("Microsoft 365 Business Basic", "M365-BB", 1, 300, False, "MONTHLY,ANNUAL", None),
    ("Microsoft 365 Business Standard", "M365-BS", 1, 300, False, "MONTHLY,ANNUAL", None),
    ("Microsoft 365 Business Premium", "M365-BP", 1, 300, False, "MONTHLY,ANNUAL", None),
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
# Microsoft's Business plans: at most 300 licences per customer across all of them (Q5).
_BUSINESS_PLANS = ("M365-BB", "M365-BS", "M365-BP")
BUSINESS_SEAT_LIMIT = 300
# USD per licence per month on a one-year term; the other terms and currencies follow (_terms).
_MONTHLY_PRICES = {
    "M365-BB": Decimal("6.00"),
    "M365-BS": Decimal("12.50"),
    "M365-BP": Decimal("22.00"),
    "M365-E3": Decimal("36.00"),
    "M365-E5": Decimal("57.00"),
    "EXO-P1": Decimal("4.00"),
    "TEAMS-PHONE": Decimal("10.00"),
    "M365-COPILOT": Decimal("30.00"),
    "D365-BC": Decimal("70.00"),
}
# Offers sold on three-year terms too.
_TRIENNIAL = ("M365-E3", "M365-E5")
# Each partner's currency, and what one USD of the price list is in it.
_CURRENCIES = (("USD", Decimal("1")), ("GBP", Decimal("0.80")))
_PREREQUISITES = {"TEAMS-PHONE": ("M365-E3", "M365-E5"), "M365-COPILOT": ("M365-E3", "M365-E5")}
_FIRST_SELLS = (
    "M365-BB",
    "M365-BS",
    "M365-BP",
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
            seat_limit_per_customer=BUSINESS_SEAT_LIMIT if sku in _BUSINESS_PLANS else None,
        )
        for name, sku, low, high, add_on, cycles, _ in _OFFERS
    }
    session.add_all(offers.values())
    await session.flush()
    session.add_all(term for offer in offers.values() for term in _terms(offer))
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


def _terms(offer: Offer) -> list[OfferTerm]:
    """The price list: P1M costs a fifth more a month than P1Y, which is billed monthly or
    annually (12 months' price); P3Y costs what P1Y does."""
    monthly = _MONTHLY_PRICES[offer.sku]
    cycles = offer.billing_cycles.split(",")
    prices = {
        ("P1M", "MONTHLY"): monthly * Decimal("1.2"),
        ("P1Y", "MONTHLY"): monthly,
        ("P1Y", "ANNUAL"): monthly * 12,
    }
    if offer.sku in _TRIENNIAL:
        prices |= {("P3Y", "MONTHLY"): monthly, ("P3Y", "ANNUAL"): monthly * 12}
    return [
        OfferTerm(
            offer_id=offer.id,
            term_duration=term,
            billing_cycle=cycle,
            currency=currency,
            unit_price=(price * rate).quantize(Decimal("0.01")),
        )
        for (term, cycle), price in prices.items()
        if cycle in cycles
        for currency, rate in _CURRENCIES
    ]


def _price(offer: Offer, cycle: str, currency: str) -> OfferTerm:
    """The shortest term in the cycle, as a purchase without a term buys it."""
    terms = [t for t in _terms(offer) if t.billing_cycle == cycle and t.currency == currency]
    return min(terms, key=lambda t: ("P1M", "P1Y", "P3Y").index(t.term_duration))


async def _load(session: AsyncSession) -> None:
    now = utcnow()
    partners = [
        Partner(name=FIRST_PARTNER, currency="USD", domain="contoso-partners.example"),
        Partner(name=SECOND_PARTNER, currency="GBP", domain="fabrikam-reseller.example"),
    ]
    session.add_all(partners)
    await session.flush()
    offers = await add_catalogue(session, partners)
    customers = {}
    for age, (company, domain, country, creator, related) in enumerate(_CUSTOMERS):
        customers[domain] = Customer(
            company_name=company,
            domain=domain,
            country=country,
            currency=partners[related[0]].currency,
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
        offer, customer = offers[sku], customers[domain]
        currency = customer.currency if seller is None else partners[seller].currency
        subscription = purchases.bought(
            customer_id=customer.id,
            offer=offer,
            partner_id=None if seller is None else partners[seller].id,
            quantity=quantity,
            term=_price(offer, offer.billing_cycles.split(",")[0], currency),
            bought_at=now - timedelta(days=60),
            now=now,
            status=status,
        )
        session.add(subscription)
        await session.flush()
        # A renewal opens a new window for every seat (R1), so the batch starts with the term.
        session.add(seats.new_batch(subscription.id, quantity, subscription.term_started_at))
    principals = {
        name: Principal(
            name=name,
            role=role,
            partner_id=None if partner_index is None else partners[partner_index].id,
            customer_id=None if principal_domain is None else customers[principal_domain].id,
        )
        for name, role, partner_index, principal_domain in _PRINCIPALS
    }
    session.add_all(principals.values())
    await session.flush()
    await _load_new_commerce(session, partners[0], principals["Sam Sales"], offers, customers)


def _term(offer: Offer, duration: str, cycle: str, currency: str) -> OfferTerm:
    return next(
        t
        for t in _terms(offer)
        if (t.term_duration, t.billing_cycle, t.currency) == (duration, cycle, currency)
    )


async def _load_new_commerce(
    session: AsyncSession,
    seller: Partner,
    agent: Principal,
    offers: dict[str, Offer],
    customers: dict[str, Customer],
) -> None:
    """Version 2's examples (API.md "Demo data, version 2"), relative to now, all sold by
    `seller` (`agent` added yesterday's seats). They go to customers whose other subscriptions
    do not share their offers, so that every subscription of a customer keeps a distinct name."""
    now = utcnow()
    today = now.date()

    def buy(
        domain: str,
        sku: str,
        quantity: int,
        term: str,
        cycle: str,
        bought_at: datetime,
        parent: Subscription | None = None,
        status: str = "ACTIVE",
    ) -> Subscription:
        offer = offers[sku]
        return purchases.bought(
            customer_id=customers[domain].id,
            offer=offer,
            partner_id=seller.id,
            quantity=quantity,
            term=_term(offer, term, cycle, seller.currency),
            bought_at=bought_at,
            now=now,
            parent=parent,
            status=status,
        )

    def ending_on(subscription: Subscription, end: date) -> Subscription:
        """Bought a year before `end`'s next day; set outright, because on a clamped day
        (a 29 February) a term computed from its purchase would end a day early."""
        start = add_months(end + ONE_DAY, -TermDuration(subscription.term_duration).months)
        subscription.term_start_date, subscription.commitment_end_date = start, end
        subscription.created_at = subscription.updated_at = purchases.midnight(start)
        subscription.term_started_at = subscription.status_changed_at = subscription.created_at
        return subscription

    # Inside its window: decreasable and cancellable.
    recent = buy("tailspin.example", "M365-BP", 10, "P1Y", "MONTHLY", now - timedelta(days=2))
    # Seats added a day ago are the only refundable ones.
    grown = buy("woodgrove.example", "M365-E5", 25, "P1Y", "ANNUAL", now - timedelta(days=30))
    grown.updated_at, grown.version = now - timedelta(days=1), 2
    # Its term ends today; it renews tonight with fewer seats.
    renewing = ending_on(buy("adatum.example", "M365-BS", 15, "P1Y", "MONTHLY", now), today)
    renewing.next_term_quantity = 10
    renewing.next_term_duration, renewing.next_term_billing_cycle = "P1Y", "MONTHLY"
    # Its term ended two days ago without auto-renew: due to expire.
    ended = ending_on(
        buy("woodgrove.example", "EXO-P1", 30, "P1Y", "MONTHLY", now), today - 2 * ONE_DAY
    )
    ended.auto_renew = False
    base = buy(
        "lamna.example",
        "M365-E5",
        20,
        "P1Y",
        "ANNUAL",
        now - timedelta(days=90),
        status="SUSPENDED",
    )
    # Near the Business plans' limit: 285 seats here and 8 of Business Basic make 293.
    crowded = buy("lamna.example", "M365-BP", 285, "P1Y", "MONTHLY", now - timedelta(days=100))
    session.add_all((recent, grown, renewing, ended, base))
    await session.flush()
    add_on = buy(
        "lamna.example",
        "TEAMS-PHONE",
        20,
        "P1Y",
        "MONTHLY",
        now - timedelta(days=80),
        parent=base,
        status="SUSPENDED",
    )
    # Suspended by its base's suspension: reactivating the base reactivates it.
    add_on.suspended_with_parent = True
    session.add_all((add_on, crowded))
    await session.flush()
    for subscription in (recent, renewing, ended, base, add_on, crowded):
        session.add(
            seats.new_batch(subscription.id, subscription.quantity, subscription.term_started_at)
        )
    session.add_all(
        (
            seats.new_batch(grown.id, 20, grown.term_started_at),
            seats.new_batch(grown.id, 5, grown.updated_at),
        )
    )
    actor = Actor("PARTNER_USER", agent.name, agent.id, agent.partner_id)
    added = await activity.record(
        session, actor, grown, "CHANGE_QUANTITY", {"quantity": 20}, {"quantity": 25}
    )
    added.created_at = grown.updated_at
