"""changeRenewal: auto-renew, and a change scheduled for the renewal (DOMAIN.md R3, R4, R6).

Choices:
- A request that would change nothing (autoRenew as it is, no next term to clear) is refused
  with INVALID_INPUT, as an unchanged quantity is: every success is a new version.
- Turning auto-renew off drops the scheduled change (R4: only with auto-renew on).
- A scheduled quantity is checked against the offer's bounds and the customer's seat limit
  when it is scheduled; the renewal applies it as scheduled.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, literal
from sqlalchemy.ext.asyncio import AsyncSession

from models import Subscription
from models.base import utcnow
from services import subscription_rules
from services.activity import Actor
from services.changes import Changed, apply_change, checked
from services.errors import DomainError
from services.viewer import Viewer

CHANGE_RENEWAL = "CHANGE_RENEWAL"


@dataclass(frozen=True)
class NextTerm:
    quantity: int
    term_duration: str
    billing_cycle: str


@dataclass(frozen=True)
class RenewalRequest:
    auto_renew: bool | None = None
    next_term: NextTerm | None = None
    clear_next_term: bool = False


async def change_renewal(
    session: AsyncSession,
    viewer: Viewer,
    subscription_id: int,
    request: RenewalRequest,
    expected_version: int | None,
    validate_only: bool = False,
) -> Changed:
    _check_input(request)
    now = utcnow()
    rules = subscription_rules.renewal()
    if request.next_term is not None:
        auto_renew: ColumnElement[bool] = (
            Subscription.auto_renew.expression
            if request.auto_renew is None
            else literal(request.auto_renew)
        )
        rules += subscription_rules.next_term(
            literal(request.next_term.quantity),
            literal(request.next_term.term_duration),
            literal(request.next_term.billing_cycle),
            auto_renew,
        )
    row = await checked(session, viewer, subscription_id, expected_version, rules, now)
    subscription: Subscription = row.Subscription
    values = _values(request)
    if all(getattr(subscription, name) == value for name, value in values.items()):
        raise DomainError("INVALID_INPUT", "this would change nothing", ("subscriptionId",))
    if validate_only:
        return Changed(subscription)
    actor = Actor.of(viewer)
    return Changed(await apply_change(session, actor, subscription, CHANGE_RENEWAL, values, now))


def _check_input(request: RenewalRequest) -> None:
    if request.next_term is not None and request.clear_next_term:
        raise DomainError(
            "INVALID_INPUT", "give nextTerm or clearNextTerm, not both", ("clearNextTerm",)
        )
    if request == RenewalRequest():
        raise DomainError(
            "INVALID_INPUT", "give autoRenew, nextTerm or clearNextTerm", ("subscriptionId",)
        )


def _values(request: RenewalRequest) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if request.auto_renew is not None:
        values["auto_renew"] = request.auto_renew
    if request.next_term is not None:
        values["next_term_quantity"] = request.next_term.quantity
        values["next_term_duration"] = request.next_term.term_duration
        values["next_term_billing_cycle"] = request.next_term.billing_cycle
    elif request.clear_next_term or request.auto_renew is False:
        values["next_term_quantity"] = None
        values["next_term_duration"] = None
        values["next_term_billing_cycle"] = None
    return values
