"""Adding a subscription on a customer's behalf: offers, markets, add-ons and idempotency."""

import hashlib
import json
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.transactions import RetryableConflict
from models import (
    Customer,
    IdempotencyRecord,
    Offer,
    OfferPrerequisite,
    Subscription,
)
from models.base import utcnow
from services import activity
from services.access import (
    authorised_offers,
    can_add_subscriptions,
    sold_in,
    visible_customers,
    visible_subscriptions,
)
from services.errors import DomainError
from services.validation import check_opaque, clean_text
from services.viewer import Viewer

MAX_FRIENDLY_NAME = 100
MAX_IDEMPOTENCY_KEY = 200


@dataclass(frozen=True)
class NewSubscription:
    """What the client asked for; ids are decoded, 0 where the client's id was malformed."""

    customer_id: int
    offer_id: int
    quantity: int
    friendly_name: str | None = None
    billing_cycle: str | None = None
    parent_subscription_id: int | None = None

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()


async def add_subscription(
    session: AsyncSession,
    viewer: Viewer,
    request: NewSubscription,
    idempotency_key: str | None = None,
    validate_only: bool = False,
) -> Subscription | None:
    """The new subscription, the first one again for a repeated key, or None if validate_only."""
    if not can_add_subscriptions(viewer):
        raise DomainError("FORBIDDEN", "your role may not add subscriptions")
    if request.friendly_name is not None:
        name = clean_text(request.friendly_name, ("friendlyName",), max_length=MAX_FRIENDLY_NAME)
        request = NewSubscription(**{**asdict(request), "friendly_name": name})
    if idempotency_key is not None:
        check_opaque(idempotency_key, ("idempotencyKey",), max_length=MAX_IDEMPOTENCY_KEY)
        first = await _replay(session, viewer, idempotency_key, request.fingerprint())
        if first is not None:
            return first
    customer, offer, cycle = await _check_offer(session, viewer, request)
    parent_id = await _check_parent(session, viewer, request, offer)
    if validate_only:
        return None
    now = utcnow()
    subscription = Subscription(
        customer_id=customer.id,
        offer_id=offer.id,
        partner_id=viewer.partner_id,
        parent_subscription_id=parent_id,
        friendly_name=request.friendly_name or offer.name[:MAX_FRIENDLY_NAME],
        quantity=request.quantity,
        status="ACTIVE",
        billing_cycle=cycle,
        auto_renew=True,
        created_at=now,
        updated_at=now,
        suspended_at=None,
        version=1,
    )
    session.add(subscription)
    await session.flush()
    after = {
        "offer": offer.sku,
        "quantity": request.quantity,
        "status": "ACTIVE",
        "billingCycle": cycle,
    }
    activity.record(session, viewer, subscription, "ADD_SUBSCRIPTION", None, after)
    if idempotency_key is not None:
        session.add(
            IdempotencyRecord(
                principal_id=viewer.principal_id,
                key=idempotency_key,
                request_hash=request.fingerprint(),
                subscription_id=subscription.id,
                created_at=now,
            )
        )
    try:
        await session.flush()
    except IntegrityError as error:
        # Another request with the same key committed first; a rerun replays its result.
        raise RetryableConflict from error
    return subscription


async def _replay(
    session: AsyncSession, viewer: Viewer, key: str, fingerprint: str
) -> Subscription | None:
    stmt = select(IdempotencyRecord).where(
        IdempotencyRecord.principal_id == viewer.principal_id, IdempotencyRecord.key == key
    )
    record = (await session.scalars(stmt)).one_or_none()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise DomainError(
            "IDEMPOTENCY_KEY_REUSED",
            "this idempotency key was used before with a different input",
            ("idempotencyKey",),
        )
    first = await session.scalars(
        select(Subscription).where(
            Subscription.id == record.subscription_id, visible_subscriptions(viewer)
        )
    )
    replayed = first.one_or_none()
    if replayed is None:
        # The key's subscription is no longer the viewer's to see (the relationship ended).
        raise DomainError("NOT_FOUND", "no such subscription", ("customerId",))
    return replayed


async def _check_offer(
    session: AsyncSession, viewer: Viewer, request: NewSubscription
) -> tuple[Customer, Offer, str]:
    customer = (
        await session.scalars(
            select(Customer).where(Customer.id == request.customer_id, visible_customers(viewer))
        )
    ).one_or_none()
    if customer is None:
        raise DomainError("NOT_FOUND", "no such customer", ("customerId",))
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
    cycles = offer.billing_cycles.split(",")
    cycle = request.billing_cycle or cycles[0]
    if cycle not in cycles:
        raise DomainError(
            "OFFER_NOT_AVAILABLE", f"this offer is not sold with {cycle} billing", ("billingCycle",)
        )
    if not offer.min_quantity <= request.quantity <= offer.max_quantity:
        raise DomainError(
            "QUANTITY_OUT_OF_RANGE",
            f"quantity must be between {offer.min_quantity} and {offer.max_quantity}",
            ("quantity",),
        )
    return customer, offer, cycle


async def _check_parent(
    session: AsyncSession, viewer: Viewer, request: NewSubscription, offer: Offer
) -> int | None:
    """An add-on attaches to an active subscription of a prerequisite offer (oldest if unnamed)."""
    field = ("parentSubscriptionId",)
    if not offer.is_add_on:
        if request.parent_subscription_id is not None:
            raise DomainError("INVALID_INPUT", "only an add-on has a parent subscription", field)
        return None
    candidates = (
        select(Subscription.id)
        .where(
            Subscription.customer_id == request.customer_id,
            Subscription.status == "ACTIVE",
            Subscription.offer_id.in_(
                select(OfferPrerequisite.prerequisite_offer_id).where(
                    OfferPrerequisite.offer_id == offer.id
                )
            ),
            visible_subscriptions(viewer),
        )
        .order_by(Subscription.id)
    )
    if request.parent_subscription_id is None:
        parent = await session.scalar(candidates.limit(1))
    else:
        visible = select(Subscription.id).where(
            Subscription.id == request.parent_subscription_id, visible_subscriptions(viewer)
        )
        if await session.scalar(visible) is None:
            raise DomainError("NOT_FOUND", "no such subscription", field)
        parent = await session.scalar(
            candidates.where(Subscription.id == request.parent_subscription_id)
        )
    if parent is None:
        raise DomainError(
            "PREREQUISITE_MISSING",
            "this add-on needs an active subscription to one of its prerequisite offers",
            field,
        )
    return parent
