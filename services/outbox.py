"""Webhooks' outbox: every activity record a partner may see becomes one delivery per enabled
endpoint of that partner subscribed to its event type, inserted in the change's own
transaction (no dual write: the record and its deliveries commit or roll back together)."""

from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Insert,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    insert,
    literal,
    select,
)

from models import Activity, Subscription, WebhookDelivery, WebhookEndpoint
from services.access import partner_sees_record

# The contract's event types, in the order of their bits in webhook_endpoints.event_types.
EVENT_TYPES = (
    "SUBSCRIPTION_CREATED",
    "SUBSCRIPTION_UPDATED",
    "SUBSCRIPTION_LIFECYCLE",
    "CUSTOMER_CREATED",
)
_BITS = {name: 1 << i for i, name in enumerate(EVENT_TYPES)}


def event_bits(names: list[str]) -> int:
    bits = 0
    for name in names:
        bits |= _BITS[name]
    return bits


def event_names(bits: int) -> list[str]:
    return [name for name in EVENT_TYPES if bits & _BITS[name]]


def _classified(
    operation: ColumnElement[str], actor_kind: ColumnElement[str], values: dict[str, Any]
) -> ColumnElement[Any]:
    """A record's event type (as `values` spells it): a purchase, a customer's creation, a
    change the system made (time, an add-on following its base), else a person's change."""
    return case(
        (operation == "ADD_SUBSCRIPTION", values["SUBSCRIPTION_CREATED"]),
        (operation == "CREATE_CUSTOMER", values["CUSTOMER_CREATED"]),
        (actor_kind == "SYSTEM", values["SUBSCRIPTION_LIFECYCLE"]),
        else_=values["SUBSCRIPTION_UPDATED"],
    )


def enqueue(records: FromClause) -> Insert:
    """One PENDING delivery per (record of `records`, matching endpoint), due at once.
    `records` has Activity's id, subscription_id, customer_id, operation, actor_kind and
    created_at: the table itself, or a statement's RETURNING (`RECORDED`)."""
    c = records.c
    name = _classified(c.operation, c.actor_kind, {n: literal(n, String) for n in EVENT_TYPES})
    bit = _classified(c.operation, c.actor_kind, {n: literal(b, Integer) for n, b in _BITS.items()})
    rows = (
        select(
            WebhookEndpoint.id,
            c.id,
            cast(c.id, String),
            name,
            literal("PENDING", String),
            literal(0, Integer),
            c.created_at,
            c.created_at,
        )
        .select_from(records)
        .join(
            WebhookEndpoint,
            and_(WebhookEndpoint.enabled, WebhookEndpoint.event_types.op("&")(bit) != 0),
        )
        .outerjoin(Subscription, Subscription.id == c.subscription_id)
        .where(partner_sees_record(WebhookEndpoint.partner_id, c.customer_id))
    )
    return insert(WebhookDelivery).from_select(
        [
            "endpoint_id",
            "activity_id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "next_attempt_at",
            "created_at",
        ],
        rows,
    )


# What `enqueue` reads of a record: an INSERT INTO activities returns these.
RECORDED = (
    Activity.id,
    Activity.subscription_id,
    Activity.customer_id,
    Activity.operation,
    Activity.actor_kind,
    Activity.created_at,
)


def enqueue_one() -> Insert:
    """`enqueue` for one record, its id the `recorded_id` parameter."""
    one = select(*RECORDED).where(Activity.id == bindparam("recorded_id", type_=Integer))
    return enqueue(one.subquery("recorded"))
