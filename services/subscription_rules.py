"""The rules of changing a subscription, per action, written once (DOMAIN.md §2–§6).

Each action's rules are SQL over a subscription joined to its customer and offer (`target`),
so that one list serves every use: a mutation evaluates them on the row it locked and refuses
with the first that fails; a compiled plan puts them in its statement's WHERE; and the
`actions` a UI shows are the same lists evaluated for many subscriptions in one SELECT. The UI
and the API cannot disagree, because there is nothing to disagree about.

Time enters as bound parameters (`at(now)`), never as the database's clock: tests and the
due-work runner set the application's clock, and every engine then agrees with it.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Date, bindparam, false, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from models import Customer, Offer, OfferTerm, Subscription
from models.base import UtcDateTime
from services import seats
from services.access import (
    NotManageable,
    not_manageable_reason,
    role_may_change,
    visible_subscriptions,
)
from services.rules import AnySelect, Rule, guard
from services.terms import WINDOW
from services.viewer import Viewer

NOW = bindparam("rule_now", type_=UtcDateTime)
TODAY = bindparam("rule_today", type_=Date)
# The earliest instant at which a window opened that is still open now (now - 168 hours).
OPEN_SINCE = bindparam("rule_open_since", type_=UtcDateTime)
FIELD = ("subscriptionId",)
_ACTION_IDS: BindParameter[int] = bindparam("action_ids", expanding=True)


class Action(StrEnum):
    INCREASE_QUANTITY = "INCREASE_QUANTITY"
    DECREASE_QUANTITY = "DECREASE_QUANTITY"
    SUSPEND = "SUSPEND"
    REACTIVATE = "REACTIVATE"
    CANCEL = "CANCEL"
    CHANGE_RENEWAL = "CHANGE_RENEWAL"
    RENAME = "RENAME"


def at(now: datetime) -> dict[str, Any]:
    """The parameters every rule's time refers to."""
    return {"rule_now": now, "rule_today": now.date(), "rule_open_since": now - WINDOW}


def iso(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def joined() -> AnySelect:
    """Subscriptions with their customers and offers: what the rules refer to."""
    return (
        select(Subscription, Offer)
        .join(Customer, Customer.id == Subscription.customer_id)
        .join(Offer, Offer.id == Subscription.offer_id)
    )


def target(subscription_id: ColumnElement[int] | int) -> AnySelect:
    return joined().where(Subscription.id == subscription_id)


def visible(viewer: Viewer) -> Rule:
    return Rule("NOT_FOUND", visible_subscriptions(viewer), lambda _: "no such subscription", FIELD)


_NOT_YOURS = {
    NotManageable.PARTNER_CREATED_ACCOUNT: (
        "your account was created by a partner, which manages its subscriptions"
    ),
    NotManageable.DIRECT_PURCHASE: (
        "the customer bought this subscription directly; only the customer can change it"
    ),
    NotManageable.SOLD_BY_PARTNER: (
        "a partner sold this subscription; only that partner can change it"
    ),
}


def manage(viewer: Viewer) -> list[Rule]:
    """May the viewer change the subscription at all: its role, then the account and the sale."""
    reason = not_manageable_reason(viewer)
    return [
        Rule(
            "FORBIDDEN",
            literal(role_may_change(viewer)),
            lambda _: "your role may not change subscriptions",
            FIELD,
        ),
        Rule(
            "NOT_MANAGEABLE",
            reason.is_(None),
            lambda row: _NOT_YOURS[NotManageable(row.not_manageable_reason)],
            FIELD,
            facts=(reason.label("not_manageable_reason"),),
        ),
    ]


def version(expected: ColumnElement[int]) -> Rule:
    return Rule(
        "VERSION_CONFLICT",
        Subscription.version == expected,
        lambda row: (
            f"the subscription is at version {row.Subscription.version}, not {row.expected}"
        ),
        ("expectedVersion",),
        facts=(expected.label("expected"),),
    )


def one_of(column: ColumnElement[str], values: Sequence[str]) -> ColumnElement[bool]:
    """`column IN (values)` written out: compiled plans render their statements once, and an
    IN list would be expanded per execution."""
    return or_(*(column == value for value in values))


def _status_in(statuses: Sequence[str], wanted: str) -> Rule:
    return Rule(
        "SUBSCRIPTION_NOT_ACTIVE",
        one_of(Subscription.status.expression, statuses),
        lambda row: f"the subscription is {row.Subscription.status}; {wanted}",
        FIELD,
    )


def _moves_from(statuses: Sequence[str], new_status: str) -> Rule:
    return Rule(
        "INVALID_STATUS_TRANSITION",
        one_of(Subscription.status.expression, statuses),
        lambda row: f"a subscription cannot go from {row.Subscription.status} to {new_status}",
        ("status",),
    )


_ACTIVE = _status_in(("ACTIVE",), "only an active one can change")
_TERM_RUNNING = Rule(
    "RENEWAL_IN_PROGRESS",
    Subscription.commitment_end_date >= TODAY,
    lambda row: (
        f"its term ended on {row.Subscription.commitment_end_date} and is being renewed or "
        "ended; try again in a few minutes"
    ),
    FIELD,
)
_parent = aliased(Subscription, name="parent")
_PARENT_STATUS = (
    select(_parent.status)
    .where(_parent.id == Subscription.parent_subscription_id)
    .scalar_subquery()
)
_PARENT_ACTIVE = Rule(
    "PARENT_NOT_ACTIVE",
    or_(Subscription.parent_subscription_id.is_(None), _PARENT_STATUS == "ACTIVE"),
    lambda row: f"its base subscription is {row.parent_status}; the base must be active first",
    FIELD,
    facts=(_PARENT_STATUS.label("parent_status"),),
)


def seat_limit_message(limit: int) -> str:
    return (
        f"a customer may have at most {limit} licences across the offers that share this "
        "limit (the Microsoft 365 Business plans), whoever sold them; this would exceed it"
    )


def seats_fit(
    seated: ColumnElement[int] | InstrumentedAttribute[int],
    added: ColumnElement[int],
    limit: ColumnElement[int | None] | InstrumentedAttribute[int | None],
) -> ColumnElement[bool]:
    """`added` more seats stay within `limit` (none: no limit), given the customer's `seated`
    seats across the offers that share it, whoever sold them (Q5; migration 0008 keeps the
    count in `customers.group_seats`)."""
    return or_(added <= 0, limit.is_(None), seated + added <= limit)


def _seat_limit(added: ColumnElement[int], field: tuple[str, ...] = ("quantity",)) -> Rule:
    """`added` more seats of this subscription's offer stay within the customer's limit (the
    message never shows the count: it includes what the viewer may not see)."""
    return Rule(
        "SEAT_LIMIT_EXCEEDED",
        seats_fit(Customer.group_seats, added, Offer.seat_limit_per_customer),
        lambda row: seat_limit_message(row.Offer.seat_limit_per_customer),
        field,
    )


def quantity(new_quantity: ColumnElement[int]) -> list[Rule]:
    """Changing the number of licences to `new_quantity` (Q1–Q5, A3)."""
    increase = new_quantity > Subscription.quantity
    removable = seats.refundable(NOW)
    closed = seats.last_window_closed(NOW)
    return [
        _ACTIVE,
        _TERM_RUNNING,
        Rule(
            "QUANTITY_OUT_OF_RANGE",
            new_quantity.between(Offer.min_quantity, Offer.max_quantity),
            lambda row: (
                f"quantity must be between {row.Offer.min_quantity} and {row.Offer.max_quantity}"
            ),
            ("quantity",),
        ),
        Rule(
            "QUANTITY_UNCHANGED",
            Subscription.quantity != new_quantity,
            lambda row: f"quantity is already {row.Subscription.quantity}",
            ("quantity",),
        ),
        Rule(
            _PARENT_ACTIVE.code,
            or_(~increase, _PARENT_ACTIVE.holds),
            _PARENT_ACTIVE.message,
            FIELD,
            facts=_PARENT_ACTIVE.facts,
        ),
        _seat_limit(new_quantity - Subscription.quantity),
        Rule(
            "QUANTITY_DECREASE_NOT_ALLOWED",
            or_(increase, Subscription.quantity - new_quantity <= removable),
            lambda row: _decrease_refused(row.removable, row.window_closed),
            ("quantity",),
            facts=(removable.label("removable"), closed.label("window_closed")),
        ),
    ]


def _decrease_refused(removable: int, closed: datetime | None) -> str:
    when = "" if closed is None else f"; the window of the others closed at {iso(closed)}"
    return (
        f"only {removable} licence(s) can be removed: seats can be removed for 168 hours after "
        f"they were bought{when}. Schedule fewer seats for the renewal with changeRenewal"
    )


def status(new_status: str) -> list[Rule]:
    """Moving to `new_status` (L1, C1, C2, R2, A3); every other change is time's alone."""
    if new_status == "SUSPENDED":
        return [_moves_from(("ACTIVE",), new_status), _TERM_RUNNING]
    if new_status == "ACTIVE":
        return [
            _moves_from(("SUSPENDED",), new_status),
            Rule(
                "INVALID_STATUS_TRANSITION",
                Subscription.commitment_end_date >= TODAY,
                lambda row: (
                    f"its term ended on {row.Subscription.commitment_end_date}; a subscription "
                    "can be reactivated only before its term ends"
                ),
                ("status",),
            ),
            _PARENT_ACTIVE,
        ]
    if new_status == "CANCELLED":
        return [
            _moves_from(("ACTIVE", "SUSPENDED"), new_status),
            Rule(
                "CANCELLATION_WINDOW_PASSED",
                Subscription.term_started_at > OPEN_SINCE,
                lambda row: (
                    "the cancellation window closed at "
                    f"{iso(row.Subscription.term_started_at + WINDOW)} (168 hours after the "
                    "purchase or renewal)"
                ),
                ("status",),
            ),
        ]
    return [
        Rule(
            "INVALID_STATUS_TRANSITION",
            false(),
            lambda row: (
                f"a subscription cannot go from {row.Subscription.status} to {new_status}: "
                f"{new_status} comes only with time"
            ),
            ("status",),
        )
    ]


def renewal() -> list[Rule]:
    """Changing what happens at the term's end (R2, R4): only while active and running."""
    return [_ACTIVE, _TERM_RUNNING]


def next_term(
    new_quantity: ColumnElement[int],
    duration: ColumnElement[str],
    cycle: ColumnElement[str],
    auto_renew: ColumnElement[bool],
) -> list[Rule]:
    """A change scheduled for the renewal (R4, R6, Q3, Q5)."""
    priced = (
        select(OfferTerm.offer_id)
        .where(
            OfferTerm.offer_id == Subscription.offer_id,
            OfferTerm.term_duration == duration,
            OfferTerm.billing_cycle == cycle,
            OfferTerm.currency == Subscription.currency,
        )
        .exists()
    )
    return [
        Rule(
            "AUTO_RENEW_REQUIRED",
            auto_renew,
            lambda _: "a change for the renewal needs autoRenew on",
            ("nextTerm",),
        ),
        Rule(
            "TERM_NOT_AVAILABLE",
            priced,
            lambda _: "the offer has no such term in that billing cycle",
            ("nextTerm", "termDuration"),
        ),
        Rule(
            "QUANTITY_OUT_OF_RANGE",
            new_quantity.between(Offer.min_quantity, Offer.max_quantity),
            lambda row: (
                f"quantity must be between {row.Offer.min_quantity} and {row.Offer.max_quantity}"
            ),
            ("nextTerm", "quantity"),
        ),
        _seat_limit(new_quantity - Subscription.quantity, ("nextTerm", "quantity")),
    ]


def rename() -> list[Rule]:
    return [_status_in(("ACTIVE", "SUSPENDED"), "only an active or suspended one can be renamed")]


ACTIONS: dict[Action, Callable[[], list[Rule]]] = {
    Action.INCREASE_QUANTITY: lambda: quantity(Subscription.quantity + 1),
    Action.DECREASE_QUANTITY: lambda: quantity(Subscription.quantity - 1),
    Action.SUSPEND: lambda: status("SUSPENDED"),
    Action.REACTIVATE: lambda: status("ACTIVE"),
    Action.CANCEL: lambda: status("CANCELLED"),
    Action.CHANGE_RENEWAL: renewal,
    Action.RENAME: rename,
}


def of_action(viewer: Viewer, action: Action) -> list[Rule]:
    """Whether the viewer may take `action` now, whatever its input."""
    return [*manage(viewer), *ACTIONS[action]()]


@lru_cache(maxsize=1024)
def _actions(viewer: Viewer) -> AnySelect:
    """Every action's rules as columns, built once per viewer's shape: building them cost a
    page of subscriptions more than evaluating them (the ids and the time are bound per call)."""
    columns = [guard(of_action(viewer, action)).label(action.value) for action in Action]
    return (
        joined()
        .with_only_columns(Subscription.id, *columns)
        .where(Subscription.id.in_(_ACTION_IDS), visible_subscriptions(viewer))
    )


async def actions_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int], now: datetime
) -> dict[int, list[Action]]:
    """What the viewer may do now with each visible subscription, in one statement."""
    found: dict[int, list[Action]] = {pk: [] for pk in ids}
    parameters = {**at(now), "action_ids": list(ids)}
    for row in (await session.execute(_actions(viewer.rules_shape()), parameters)).all():
        found[row.id] = [action for action in Action if getattr(row, action.value)]
    return found
