"""Who sees and who may change what: every visibility and authorisation rule, written once.

Each rule is SQL, so that top-level queries, loaders, mutations and compiled plans all filter
through the same expression: a nested field cannot show what a top-level one hides, and a plan
cannot allow what a mutation refuses.
"""

from enum import StrEnum

from sqlalchemy import ColumnElement, and_, case, exists, false, literal, null, or_
from sqlalchemy.orm import InstrumentedAttribute

from models import (
    Activity,
    Customer,
    Offer,
    OfferMarket,
    Partner,
    PartnerCustomer,
    PartnerOffer,
    Subscription,
    WebhookEndpoint,
)
from services.viewer import SELLING_ROLES, WEBHOOK_ROLES, Viewer

Column = ColumnElement[int] | InstrumentedAttribute[int]


def _related(partner_id: int | Column, customer_id: Column) -> ColumnElement[bool]:
    """A correlated EXISTS, not IN (list): the database can walk a list in its sort order and
    stop at the page's end, instead of sorting every customer the partner has."""
    return exists().where(
        PartnerCustomer.partner_id == partner_id, PartnerCustomer.customer_id == customer_id
    )


def visible_customers(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.partner_id is not None:
        return _related(viewer.partner_id, Customer.id)
    if viewer.customer_id is not None:
        return Customer.id == viewer.customer_id
    return false()


def visible_subscriptions(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.partner_id is not None:
        return _partner_sees_subscriptions(viewer.partner_id)
    if viewer.customer_id is not None:
        return Subscription.customer_id == viewer.customer_id
    return false()


def visible_activity(viewer: Viewer) -> ColumnElement[bool]:
    """Activity records the viewer sees, over models.Activity: one about a subscription exactly
    when that subscription is visible (a partner never sees another partner's sales); one about
    a customer alone (its creation) when that customer is visible."""
    about_visible_subscription = exists().where(
        Subscription.id == Activity.subscription_id, visible_subscriptions(viewer)
    )
    if viewer.partner_id is not None:
        customer_visible = _related(viewer.partner_id, Activity.customer_id)
    elif viewer.customer_id is not None:
        customer_visible = Activity.customer_id == viewer.customer_id
    else:
        customer_visible = false()
    return or_(
        about_visible_subscription, and_(Activity.subscription_id.is_(None), customer_visible)
    )


def _partner_sees_subscriptions(partner_id: int | Column) -> ColumnElement[bool]:
    """A partner sees its customers' subscriptions that it sold or that were bought directly."""
    return _related(partner_id, Subscription.customer_id) & or_(
        Subscription.partner_id == partner_id, Subscription.partner_id.is_(None)
    )


def partner_sees_record(partner_id: Column, customer_id: Column) -> ColumnElement[bool]:
    """Whether a partner (a column: the webhooks' outbox matches many partners at once) may see
    an activity record: of a subscription (outer-joined as `Subscription`) as it sees the
    subscription, of a customer's creation (no subscription) as it sees the customer."""
    return or_(
        and_(Subscription.id.is_(None), _related(partner_id, customer_id)),
        and_(Subscription.id.is_not(None), _partner_sees_subscriptions(partner_id)),
    )


def visible_partners(viewer: Viewer) -> ColumnElement[bool]:
    """A principal sees only its own partner: partners never learn of each other."""
    return false() if viewer.partner_id is None else Partner.id == viewer.partner_id


def authorised_offers(viewer: Viewer) -> ColumnElement[bool]:
    """Offers the viewer's partner is authorised to sell."""
    if viewer.partner_id is None:
        return false()
    return exists().where(
        PartnerOffer.partner_id == viewer.partner_id, PartnerOffer.offer_id == Offer.id
    )


def sold_in(country: ColumnElement[str] | str) -> ColumnElement[bool]:
    """Offers sold in the country."""
    return exists().where(OfferMarket.offer_id == Offer.id, OfferMarket.country == country)


class NotManageable(StrEnum):
    """Why the viewer may not change a subscription it sees; the first that applies, in this
    order (the contract's)."""

    ROLE_READ_ONLY = "ROLE_READ_ONLY"  # a partner role that only reads
    PARTNER_CREATED_ACCOUNT = "PARTNER_CREATED_ACCOUNT"  # a customer whose account a partner made
    DIRECT_PURCHASE = "DIRECT_PURCHASE"  # a partner, and the customer bought it directly
    SOLD_BY_PARTNER = "SOLD_BY_PARTNER"  # a customer, and a partner sold it (or, for a partner,
    # another partner did: never visible, so never asked)


def role_may_change(viewer: Viewer) -> bool:
    """Whether the viewer's role may change subscriptions at all; the account and the sale
    decide the rest (not_manageable_reason)."""
    return viewer.role in SELLING_ROLES or viewer.partner_id is None


def not_manageable_reason(viewer: Viewer) -> ColumnElement[str | None]:
    """Why the viewer may not change a subscription, or NULL when it may, over a subscription
    joined to its customer. The viewer's own facts are constants in the expression."""
    is_partner = viewer.partner_id is not None
    reasons: list[tuple[ColumnElement[bool], str]] = [
        (literal(not role_may_change(viewer)), NotManageable.ROLE_READ_ONLY),
        (
            and_(literal(not is_partner), Customer.created_by_partner_id.is_not(None)),
            NotManageable.PARTNER_CREATED_ACCOUNT,
        ),
        (
            and_(literal(is_partner), Subscription.partner_id.is_(None)),
            NotManageable.DIRECT_PURCHASE,
        ),
        (
            Subscription.partner_id != viewer.partner_id
            if is_partner
            else Subscription.partner_id.is_not(None),
            NotManageable.SOLD_BY_PARTNER,
        ),
    ]
    return case(*reasons, else_=null())


def manageable_subscriptions(viewer: Viewer) -> ColumnElement[bool]:
    """The subscriptions the viewer may change, over a subscription joined to its customer."""
    return not_manageable_reason(viewer).is_(None)


def can_add_subscriptions(viewer: Viewer) -> bool:
    """Only a partner's selling roles buy on a customer's behalf."""
    return viewer.role in SELLING_ROLES and viewer.partner_id is not None


def can_create_customers(viewer: Viewer) -> bool:
    """A partner's roles that may change subscriptions also create customers (API.md v2)."""
    return viewer.partner_id is not None and role_may_change(viewer)


def manages_webhooks(viewer: Viewer) -> bool:
    """A partner's administrators manage its webhook endpoints; nobody else sees them."""
    return viewer.partner_id is not None and viewer.role in WEBHOOK_ROLES


def visible_webhook_endpoints(viewer: Viewer) -> ColumnElement[bool]:
    """Its own partner's endpoints, to a principal that manages webhooks."""
    if not manages_webhooks(viewer):
        return false()
    return WebhookEndpoint.partner_id == viewer.partner_id
