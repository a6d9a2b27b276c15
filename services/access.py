"""Who sees and who may change what: the one place these rules are written.

Queries, loaders and mutations all filter through `visible_*`, so a nested field cannot show
what a top-level one hides.
"""

from sqlalchemy import ColumnElement, and_, exists, false, or_
from sqlalchemy.orm import InstrumentedAttribute

from models import Customer, PartnerCustomer, Subscription
from models.base import MAX_ID
from services.viewer import PARTNER_ROLES, SELLING_ROLES, Viewer


def _related(partner_id: int, customer_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
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
    """A partner sees its customers' subscriptions that it sold or that were bought directly."""
    if viewer.partner_id is not None:
        return _related(viewer.partner_id, Subscription.customer_id) & or_(
            Subscription.partner_id == viewer.partner_id, Subscription.partner_id.is_(None)
        )
    if viewer.customer_id is not None:
        return Subscription.customer_id == viewer.customer_id
    return false()


def change_denial(
    viewer: Viewer, sold_by_partner_id: int | None, customer_created_by_partner: bool
) -> str | None:
    """The error code that forbids the viewer to change a visible subscription, or None."""
    if viewer.role in PARTNER_ROLES:
        if viewer.role not in SELLING_ROLES:
            return "FORBIDDEN"
        return None if sold_by_partner_id == viewer.partner_id else "NOT_MANAGEABLE"
    if sold_by_partner_id is None and not customer_created_by_partner:
        return None
    return "NOT_MANAGEABLE"


def changeable_subscriptions(viewer: Viewer) -> ColumnElement[bool]:
    """`change_denial(...) is None` as SQL, on a subscription joined to its customer.

    Derived from change_denial, not restated: change_denial is asked about each kind of row it
    can tell apart (sold by the viewer's partner, by another partner, by nobody; customer
    created by a partner or not), so the two cannot disagree. change_denial compares the seller
    with the viewer's partner and with None only; MAX_ID + 1 stands for "another partner"."""
    own = viewer.partner_id
    sellers: list[tuple[int | None, ColumnElement[bool]]] = [
        (None, Subscription.partner_id.is_(None)),
        (
            MAX_ID + 1,
            Subscription.partner_id.is_not(None)
            if own is None
            else and_(Subscription.partner_id.is_not(None), Subscription.partner_id != own),
        ),
    ]
    if own is not None:
        sellers.append((own, Subscription.partner_id == own))
    creators = [
        (True, Customer.created_by_partner_id.is_not(None)),
        (False, Customer.created_by_partner_id.is_(None)),
    ]
    allowed = [
        and_(sold, created)
        for seller, sold in sellers
        for by_partner, created in creators
        if change_denial(viewer, seller, by_partner) is None
    ]
    return or_(*allowed) if allowed else false()


def can_add_subscriptions(viewer: Viewer) -> bool:
    """Only a partner's selling roles buy on a customer's behalf."""
    return viewer.role in SELLING_ROLES and viewer.partner_id is not None
