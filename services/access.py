"""Who sees and who may change what: the one place these rules are written.

Queries, loaders and mutations all filter through `visible_*`, so a nested field cannot show
what a top-level one hides.
"""

from sqlalchemy import ColumnElement, exists, false, or_
from sqlalchemy.orm import InstrumentedAttribute

from models import Customer, PartnerCustomer, Subscription
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


def can_add_subscriptions(viewer: Viewer) -> bool:
    """Only a partner's selling roles buy on a customer's behalf."""
    return viewer.role in SELLING_ROLES and viewer.partner_id is not None
