"""Plain async factories, and `build_world`: one object for every role and relationship."""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

import models
from models.base import utcnow
from services import api_keys, purchases, seats
from services.viewer import Viewer

_ids = itertools.count(1)


async def partner(
    session: AsyncSession, name: str | None = None, *, currency: str = "USD"
) -> models.Partner:
    row = models.Partner(name=name or f"Partner {next(_ids)}", currency=currency)
    session.add(row)
    await session.flush()
    return row


async def customer(
    session: AsyncSession,
    partners: tuple[models.Partner, ...] = (),
    *,
    created_by: models.Partner | None = None,
    country: str = "US",
    name: str | None = None,
) -> models.Customer:
    n = next(_ids)
    row = models.Customer(
        company_name=name or f"Customer {n}",
        domain=f"customer{n}.example",
        country=country,
        currency=partners[0].currency if partners else "USD",
        created_by_partner_id=None if created_by is None else created_by.id,
        created_at=utcnow() - timedelta(days=n),
    )
    session.add(row)
    await session.flush()
    session.add_all(models.PartnerCustomer(partner_id=p.id, customer_id=row.id) for p in partners)
    await session.flush()
    return row


async def offer(
    session: AsyncSession,
    sellers: tuple[models.Partner, ...] = (),
    *,
    markets: tuple[str, ...] = ("US", "GB", "DE"),
    min_quantity: int = 1,
    max_quantity: int = 100,
    add_on: bool = False,
    cycles: str = "MONTHLY,ANNUAL",
    prerequisites: tuple[models.Offer, ...] = (),
    name: str | None = None,
    seat_limit: int | None = None,
    prices: dict[tuple[str, str], Decimal] | None = None,
) -> models.Offer:
    """`prices`: (term, billing cycle) -> price per licence per period, in USD and EUR alike;
    by default the usual terms of each of the offer's cycles (PRICES)."""
    n = next(_ids)
    row = models.Offer(
        name=name or f"Offer {n}",
        sku=f"SKU-{n}",
        min_quantity=min_quantity,
        max_quantity=max_quantity,
        is_add_on=add_on,
        billing_cycles=cycles,
        seat_limit_per_customer=seat_limit,
    )
    session.add(row)
    await session.flush()
    session.add_all(
        models.OfferTerm(
            offer_id=row.id,
            term_duration=term,
            billing_cycle=cycle,
            currency=currency,
            unit_price=price,
        )
        for (term, cycle), price in (prices or _default_prices(cycles)).items()
        for currency in ("USD", "EUR")
    )
    session.add_all(models.OfferMarket(offer_id=row.id, country=c) for c in markets)
    session.add_all(models.PartnerOffer(partner_id=p.id, offer_id=row.id) for p in sellers)
    session.add_all(
        models.OfferPrerequisite(offer_id=row.id, prerequisite_offer_id=p.id) for p in prerequisites
    )
    await session.flush()
    return row


# Per licence per billing period: a monthly price, its annual equivalent, and the discount a
# year's commitment earns.
PRICES = {
    ("P1M", "MONTHLY"): Decimal("12.00"),
    ("P1Y", "MONTHLY"): Decimal("10.00"),
    ("P1Y", "ANNUAL"): Decimal("120.00"),
}


def _default_prices(cycles: str) -> dict[tuple[str, str], Decimal]:
    wanted = cycles.split(",")
    return {key: price for key, price in PRICES.items() if key[1] in wanted}


async def subscription(
    session: AsyncSession,
    customer: models.Customer,
    offer: models.Offer,
    sold_by: models.Partner | None,
    *,
    quantity: int = 10,
    status: str = "ACTIVE",
    bought: timedelta = timedelta(0),
    term: str | None = None,
    parent: models.Subscription | None = None,
) -> models.Subscription:
    """Bought `bought` ago (its seats one batch, removable for 168 hours from then), in the
    offer's first billing cycle, for its shortest term in it unless `term` says otherwise."""
    now = utcnow()
    cycle = offer.billing_cycles.split(",")[0]
    duration = term or ("P1M" if cycle == "MONTHLY" else "P1Y")
    seller = customer if sold_by is None else sold_by
    price = models.OfferTerm(
        offer_id=offer.id,
        term_duration=duration,
        billing_cycle=cycle,
        currency=seller.currency,
        unit_price=PRICES.get((duration, cycle), Decimal("10.00")),
    )
    row = purchases.bought(
        customer_id=customer.id,
        offer=offer,
        partner_id=None if sold_by is None else sold_by.id,
        quantity=quantity,
        term=price,
        bought_at=now - bought,
        now=now,
        parent=parent,
        status=status,
    )
    session.add(row)
    await session.flush()
    session.add(seats.new_batch(row.id, quantity, row.created_at))
    await session.flush()
    return row


async def principal(
    session: AsyncSession,
    role: str,
    *,
    partner: models.Partner | None = None,
    customer: models.Customer | None = None,
) -> models.Principal:
    row = models.Principal(
        name=f"{role.title()} {next(_ids)}",
        role=role,
        partner_id=None if partner is None else partner.id,
        customer_id=None if customer is None else customer.id,
    )
    session.add(row)
    await session.flush()
    return row


def viewer_of(row: models.Principal) -> Viewer:
    return Viewer(
        principal_id=row.id,
        name=row.name,
        role=row.role,
        partner_id=row.partner_id,
        customer_id=row.customer_id,
    )


async def token_for(session: AsyncSession, row: models.Principal) -> str:
    return (await api_keys.issue_key(session, row.id)).token


PARTNER_ROLES = ("GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT", "HELPDESK_AGENT", "BILLING_ADMIN")


@dataclass
class World:
    """Partner A (us) and partner B (a competitor) with customers that cover every rule."""

    partner_a: models.Partner
    partner_b: models.Partner
    # created by A (cannot manage itself) / not created by A / customer of A and B / B's only
    created: models.Customer
    independent: models.Customer
    shared: models.Customer
    b_only: models.Customer
    basic: models.Offer  # sold by A and B, min 1 max 100, everywhere
    premium: models.Offer  # sold by A only, min 5 max 50, ANNUAL only
    regional: models.Offer  # sold by A, only in US
    base: models.Offer  # prerequisite of add_on
    add_on: models.Offer
    created_a: models.Subscription  # created customer, sold by A
    created_direct: models.Subscription  # created customer, bought directly
    independent_a: models.Subscription
    independent_direct: models.Subscription
    independent_suspended: models.Subscription  # sold by A, SUSPENDED
    shared_a: models.Subscription
    shared_b: models.Subscription  # sold by B: invisible to A
    shared_direct: models.Subscription
    b_only_b: models.Subscription
    independent_base: models.Subscription  # prerequisite for add_on, sold by A
    principals: dict[str, models.Principal]  # role -> A's principal; plus B_ADMIN, customer roles

    def viewer(self, key: str) -> Viewer:
        return viewer_of(self.principals[key])


async def build_world(session: AsyncSession) -> World:
    a = await partner(session, "Partner A")
    b = await partner(session, "Partner B")
    created = await customer(session, (a,), created_by=a, name="Created Co", country="US")
    independent = await customer(session, (a,), name="Independent Co", country="GB")
    shared = await customer(session, (a, b), name="Shared Co", country="DE")
    b_only = await customer(session, (b,), created_by=b, name="B Only Co", country="US")
    basic = await offer(session, (a, b), name="Basic", markets=("US", "GB", "DE"))
    premium = await offer(
        session, (a,), name="Premium", min_quantity=5, max_quantity=50, cycles="ANNUAL"
    )
    regional = await offer(session, (a,), name="Regional", markets=("US",))
    base = await offer(session, (a, b), name="Base")
    add_on = await offer(session, (a, b), name="Add-on", add_on=True, prerequisites=(base,))
    principals = {role: await principal(session, role, partner=a) for role in PARTNER_ROLES}
    principals["B_ADMIN"] = await principal(session, "GLOBAL_ADMIN", partner=b)
    principals["CREATED_ADMIN"] = await principal(session, "CUSTOMER_ADMIN", customer=created)
    principals["INDEPENDENT_ADMIN"] = await principal(
        session, "CUSTOMER_ADMIN", customer=independent
    )
    return World(
        partner_a=a,
        partner_b=b,
        created=created,
        independent=independent,
        shared=shared,
        b_only=b_only,
        basic=basic,
        premium=premium,
        regional=regional,
        base=base,
        add_on=add_on,
        created_a=await subscription(session, created, basic, a),
        created_direct=await subscription(session, created, basic, None),
        independent_a=await subscription(session, independent, basic, a, quantity=20),
        independent_direct=await subscription(session, independent, basic, None),
        independent_suspended=await subscription(
            session, independent, basic, a, status="SUSPENDED"
        ),
        shared_a=await subscription(session, shared, basic, a),
        shared_b=await subscription(session, shared, basic, b),
        shared_direct=await subscription(session, shared, basic, None),
        b_only_b=await subscription(session, b_only, basic, b),
        independent_base=await subscription(session, independent, base, a),
        principals=principals,
    )
