"""Adding a subscription on a customer's behalf: offers, markets, terms and prices, add-ons,
the seat limit, and idempotency.

Choices:
- Without `billingCycle`, the first of the offer's cycles that has a price in the partner's
  currency; without `termDuration`, the shortest term in that cycle (API.md: "the offer's first
  term in the chosen billing cycle", terms ordered as `Offer.terms` lists them).
- An add-on attaches to the named subscription, or else to the customer's oldest active
  subscription of a prerequisite offer. When the customer has prerequisite subscriptions but
  none is active, the refusal is PARENT_NOT_ACTIVE, not PREREQUISITE_MISSING.
- An add-on's term ends with its base's when that comes first (services/terms.first_term).
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Offer, OfferPrerequisite, OfferTerm, Subscription
from models.base import utcnow
from services import activity, idempotency, prices, seats, subscription_rules
from services.access import (
    authorised_offers,
    can_add_subscriptions,
    sold_in,
    visible_customers,
    visible_subscriptions,
)
from services.activity import Actor
from services.errors import DomainError
from services.prices import ChargePreview
from services.terms import TermDuration, current_term, first_term
from services.validation import clean_text
from services.viewer import Viewer

MAX_FRIENDLY_NAME = 100
ADD_SUBSCRIPTION = "ADD_SUBSCRIPTION"


@dataclass(frozen=True)
class NewSubscription:
    """What the client asked for; ids are decoded, 0 where the client's id was malformed."""

    customer_id: int
    offer_id: int
    quantity: int
    friendly_name: str | None = None
    billing_cycle: str | None = None
    parent_subscription_id: int | None = None
    term_duration: str | None = None


@dataclass(frozen=True)
class Purchase:
    """The new subscription (None after validateOnly) and what it costs."""

    subscription: Subscription | None
    preview: ChargePreview


@dataclass(frozen=True)
class _Checked:
    customer: Customer
    offer: Offer
    term: OfferTerm
    parent: Subscription | None


async def add_subscription(
    session: AsyncSession,
    viewer: Viewer,
    request: NewSubscription,
    idempotency_key: str | None = None,
    validate_only: bool = False,
) -> Purchase:
    """The new subscription, the first one again for a repeated key, or its preview alone."""
    if not can_add_subscriptions(viewer):
        raise DomainError("FORBIDDEN", "your role may not add subscriptions")
    if request.friendly_name is not None:
        name = clean_text(request.friendly_name, ("friendlyName",), max_length=MAX_FRIENDLY_NAME)
        request = NewSubscription(**{**asdict(request), "friendly_name": name})
    request_hash = idempotency.fingerprint(ADD_SUBSCRIPTION, asdict(request))
    if idempotency_key is not None:
        first = await idempotency.first_answer(session, viewer, idempotency_key, request_hash)
        if first is not None:
            return await _replay(session, viewer, first.subscription_id, first.result)
    checked = await _check(session, viewer, request)
    now = utcnow()
    subscription = _new(viewer, request, checked, now)
    preview = _preview(subscription, now)
    if validate_only:
        return Purchase(None, preview)
    session.add(subscription)
    await session.flush()
    session.add(seats.new_batch(subscription.id, subscription.quantity, now))
    facts = activity.facts(subscription)
    after = {"offer": checked.offer.sku, **{k: v for k, v in facts.items() if v is not None}}
    await activity.record(session, Actor.of(viewer), subscription, ADD_SUBSCRIPTION, None, after)
    if idempotency_key is not None:
        await idempotency.remember(
            session,
            viewer,
            idempotency_key,
            request_hash,
            now,
            subscription_id=subscription.id,
            result=prices.to_json(preview),
        )
    await session.flush()
    return Purchase(subscription, preview)


def _new(
    viewer: Viewer, request: NewSubscription, checked: _Checked, now: datetime
) -> Subscription:
    offer, term, parent = checked.offer, checked.term, checked.parent
    return bought(
        customer_id=checked.customer.id,
        offer=offer,
        partner_id=viewer.partner_id,
        quantity=request.quantity,
        term=term,
        bought_at=now,
        now=now,
        friendly_name=request.friendly_name,
        parent=parent,
    )


def bought(
    *,
    customer_id: int,
    offer: Offer,
    partner_id: int | None,
    quantity: int,
    term: OfferTerm,
    bought_at: datetime,
    now: datetime,
    friendly_name: str | None = None,
    parent: Subscription | None = None,
    status: str = "ACTIVE",
) -> Subscription:
    """A subscription bought at `bought_at` (at the latest `now`) and renewed at every term's
    end since, as it stands `now`: its term is the one that contains today, and that term's
    window opened when it began. Purchases, the demo data and tests all build them here."""
    duration = TermDuration(term.term_duration)
    if parent is None or bought_at.date() != now.date():
        start, end = current_term(bought_at.date(), duration, now.date())
    else:
        start, end = now.date(), first_term(duration, now.date(), parent.commitment_end_date)
    began = bought_at if start == bought_at.date() else midnight(start)
    return Subscription(
        customer_id=customer_id,
        offer_id=offer.id,
        partner_id=partner_id,
        parent_subscription_id=None if parent is None else parent.id,
        friendly_name=friendly_name or offer.name[:MAX_FRIENDLY_NAME],
        quantity=quantity,
        status=status,
        billing_cycle=term.billing_cycle,
        auto_renew=True,
        created_at=bought_at,
        updated_at=bought_at,
        suspended_at=now if status == "SUSPENDED" else None,
        version=1,
        term_duration=duration.value,
        term_start_date=start,
        commitment_end_date=end,
        term_started_at=began,
        unit_price=term.unit_price,
        currency=term.currency,
        next_term_quantity=None,
        next_term_duration=None,
        next_term_billing_cycle=None,
        status_changed_at=bought_at if status == "ACTIVE" else now,
        suspended_with_parent=False,
    )


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _preview(subscription: Subscription, now: datetime) -> ChargePreview:
    found = prices.preview(subscription, subscription.quantity, now)
    assert found is not None  # a purchase buys at least one seat
    return found


async def _replay(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int | None,
    result: dict[str, object] | None,
) -> Purchase:
    first = await session.scalars(
        select(Subscription).where(
            Subscription.id == subscription_id, visible_subscriptions(viewer)
        )
    )
    replayed = first.one_or_none()
    if replayed is None or result is None:
        # The key's subscription is no longer the viewer's to see (the relationship ended).
        raise DomainError("NOT_FOUND", "no such subscription", ("customerId",))
    return Purchase(replayed, prices.from_json(result))


async def _check(session: AsyncSession, viewer: Viewer, request: NewSubscription) -> _Checked:
    customer = await _customer(session, viewer, request.customer_id)
    offer = await session.get(Offer, request.offer_id)
    if offer is None:
        raise DomainError("NOT_FOUND", "no such offer", ("offerId",))
    authorised = select(authorised_offers(viewer)).where(Offer.id == offer.id)
    if not await session.scalar(authorised):
        raise DomainError(
            "OFFER_NOT_AUTHORIZED",
            "your partner is not authorised to sell this offer",
            ("offerId",),
        )
    if not await session.scalar(select(sold_in(customer.country)).where(Offer.id == offer.id)):
        raise DomainError(
            "OFFER_NOT_AVAILABLE", f"this offer is not sold in {customer.country}", ("offerId",)
        )
    term = await _term(session, viewer, offer, request)
    if not offer.min_quantity <= request.quantity <= offer.max_quantity:
        raise DomainError(
            "QUANTITY_OUT_OF_RANGE",
            f"quantity must be between {offer.min_quantity} and {offer.max_quantity}",
            ("quantity",),
        )
    parent = await _parent(session, viewer, request, offer)
    limit = offer.seat_limit_per_customer
    if limit is not None:
        # Read after the customer's lock (`_customer`), not from the loaded row.
        fits = subscription_rules.seats_fit(
            Customer.group_seats, literal(request.quantity), literal(limit)
        )
        if not await session.scalar(select(fits).where(Customer.id == customer.id)):
            raise DomainError(
                "SEAT_LIMIT_EXCEEDED", subscription_rules.seat_limit_message(limit), ("quantity",)
            )
    return _Checked(customer, offer, term, parent)


async def _customer(session: AsyncSession, viewer: Viewer, customer_id: int) -> Customer:
    """The visible customer, locked on PostgreSQL: its seat limit spans its subscriptions."""
    stmt = select(Customer).where(Customer.id == customer_id, visible_customers(viewer))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(key_share=True)
    customer = (await session.scalars(stmt)).one_or_none()
    if customer is None:
        raise DomainError("NOT_FOUND", "no such customer", ("customerId",))
    return customer


async def _term(
    session: AsyncSession, viewer: Viewer, offer: Offer, request: NewSubscription
) -> OfferTerm:
    """The term bought: the one asked for, or the default, priced in the viewer's currency."""
    found = (await prices.terms_by_offer_ids(session, viewer, [offer.id]))[offer.id]
    terms = prices.ordered(found, offer.billing_cycles.split(","))
    cycle = request.billing_cycle or (terms[0].billing_cycle if terms else None)
    in_cycle = [t for t in terms if t.billing_cycle == cycle]
    if not in_cycle:
        sold = "sold to you" if cycle is None else f"sold with {cycle} billing"
        raise DomainError("OFFER_NOT_AVAILABLE", f"this offer is not {sold}", ("billingCycle",))
    if request.term_duration is None:
        return in_cycle[0]
    for term in in_cycle:
        if term.term_duration == request.term_duration:
            return term
    raise DomainError(
        "TERM_NOT_AVAILABLE",
        f"this offer has no {request.term_duration} term with {cycle} billing",
        ("termDuration",),
    )


async def _parent(
    session: AsyncSession, viewer: Viewer, request: NewSubscription, offer: Offer
) -> Subscription | None:
    """An add-on's base: the named one, or the oldest active one of a prerequisite offer."""
    field = ("parentSubscriptionId",)
    if not offer.is_add_on:
        if request.parent_subscription_id is not None:
            raise DomainError("INVALID_INPUT", "only an add-on has a parent subscription", field)
        return None
    candidates = (
        select(Subscription)
        .where(
            Subscription.customer_id == request.customer_id,
            Subscription.status.in_(("ACTIVE", "SUSPENDED")),
            Subscription.offer_id.in_(
                select(OfferPrerequisite.prerequisite_offer_id).where(
                    OfferPrerequisite.offer_id == offer.id
                )
            ),
            visible_subscriptions(viewer),
        )
        .order_by(Subscription.status, Subscription.id)  # ACTIVE sorts first
    )
    if request.parent_subscription_id is not None:
        visible = select(Subscription.id).where(
            Subscription.id == request.parent_subscription_id, visible_subscriptions(viewer)
        )
        if await session.scalar(visible) is None:
            raise DomainError("NOT_FOUND", "no such subscription", field)
        candidates = candidates.where(Subscription.id == request.parent_subscription_id)
    parent = (await session.scalars(candidates.limit(1))).one_or_none()
    if parent is None:
        raise DomainError(
            "PREREQUISITE_MISSING",
            "this add-on needs an active subscription to one of its prerequisite offers",
            field,
        )
    if parent.status != "ACTIVE":
        raise DomainError(
            "PARENT_NOT_ACTIVE",
            f"its base subscription is {parent.status}; the base must be active first",
            field,
        )
    return parent
