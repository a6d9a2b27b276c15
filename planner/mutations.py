"""changeQuantity compiled: its success path as one PostgreSQL statement.

The statement locks the subscription and, only where every rule of the service layer holds,
applies the change (a compare-and-set on the version) and writes the activity record; else it
changes nothing and returns no row, and ordinary execution runs the mutation and reports
whichever rule failed, in its own words. A compiled mutation can only do what ordinary
execution would do, in one round trip instead of five.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    true,
    update,
)

from models import Activity, Customer, Offer, Subscription, global_ids
from models.base import UtcDateTime
from planner.compiler import INT32, Compiler, Fallback, Pairs, value_of
from planner.tree import Arg, Selected
from services import api_keys
from services.access import manageable_subscriptions, visible_subscriptions
from services.changes import CHANGE_QUANTITY, quantity_change_holds

INPUT_FIELDS = frozenset({"subscriptionId", "quantity", "expectedVersion", "clientMutationId"})


@dataclass(frozen=True)
class QuantityChange:
    subscription_id: int
    quantity: int
    expected_version: int | None

    def parameters(self) -> dict[str, Any]:
        found = {"change_id": self.subscription_id, "change_quantity": self.quantity}
        if self.expected_version is not None:
            found["change_expected_version"] = self.expected_version
        return found


def quantity_change(selected: Selected, variables: Mapping[str, Any]) -> QuantityChange:
    """The input, checked as GraphQL would coerce it; anything unusual falls back."""
    arg = selected.args.get("input", Arg())
    given = value_of(arg, variables)
    if not isinstance(given, dict) or not set(given) <= INPUT_FIELDS:
        raise Fallback("input")
    if arg.variable is None:  # an object literal: its fields are literals or variables
        given = {name: value_of(value, variables) for name, value in given.items()}
    if given.get("clientMutationId") is not None:
        raise Fallback("clientMutationId")  # ordinary execution checks and echoes it
    global_id = given.get("subscriptionId")
    if type(global_id) is int:
        global_id = str(global_id)  # an ID input accepts integers
    target = global_ids.parse(global_id) if isinstance(global_id, str) else None
    quantity, expected = given.get("quantity"), given.get("expectedVersion")
    if target is None or target[0] != "CustomerSubscription":
        raise Fallback("subscriptionId")
    if not _int32(quantity) or not (expected is None or _int32(expected)):
        raise Fallback("quantity or expectedVersion")
    return QuantityChange(target[1], quantity, expected)


def _int32(value: Any) -> TypeGuard[int]:
    return type(value) is int and INT32[0] <= value <= INT32[1]


class MutationCompiler(Compiler):
    def change_quantity(
        self, selected: Selected, with_expected_version: bool, check_key: bool
    ) -> Select[Any, Any]:
        """Bound: QuantityChange.parameters, change_principal_id, change_now, and the key's."""
        quantity = bindparam("change_quantity", type_=Integer)
        expected = bindparam("change_expected_version", type_=Integer)
        now = bindparam("change_now", type_=UtcDateTime)
        target = (
            select(Subscription.id, Subscription.version, Subscription.quantity.label("before"))
            .join(Customer, Customer.id == Subscription.customer_id)
            .join(Offer, Offer.id == Subscription.offer_id)
            .where(
                Subscription.id == bindparam("change_id", type_=Integer),
                visible_subscriptions(self.viewer),
                manageable_subscriptions(self.viewer),
                *quantity_change_holds(quantity, expected if with_expected_version else None),
                api_keys.still_usable() if check_key else true(),
            )
            .with_for_update(of=Subscription)
            .cte("target")
        )
        changed = (
            update(Subscription)
            # Not `version = target.version`: the row is locked by `target`, whose WHERE was
            # evaluated again on the newest version if it waited for the lock, while this
            # UPDATE scans the statement's snapshot, where that version does not exist yet.
            .where(Subscription.id == target.c.id)
            .values(quantity=quantity, version=Subscription.version + 1, updated_at=now)
            .returning(*Subscription.__table__.c, target.c.before)
            .cte("changed")
        )
        recorded = insert(Activity).from_select(
            [
                "subscription_id",
                "customer_id",
                "principal_id",
                "operation",
                "version",
                "before",
                "after",
                "created_at",
            ],
            select(
                changed.c.id,
                changed.c.customer_id,
                bindparam("change_principal_id", type_=Integer),
                literal(CHANGE_QUANTITY, String),
                changed.c.version,
                func.json_build_object(literal("quantity", String), changed.c.before),
                func.json_build_object(literal("quantity", String), changed.c.quantity),
                now,
            ),
        )
        payload = self.json.object(self._payload_pairs(changed.c, selected.children))
        return (
            select(self.json.text(self.json.object([(selected.key, payload)])), true())
            .select_from(changed.join(Offer, Offer.id == changed.c.offer_id))
            .add_cte(recorded.cte("recorded"))
        )

    def _payload_pairs(self, subscription: Any, children: list[Selected]) -> Pairs:
        pairs: Pairs = []
        for child in children:
            if child.name == "subscription":
                item = self.json.object(self._subscription_pairs(subscription, child.children))
                pairs.append((child.key, item))
            elif child.name == "userErrors":
                pairs.append((child.key, literal_column("'[]'::json")))
            elif child.name == "clientMutationId":
                pairs.append((child.key, null()))
            else:
                pairs.append((child.key, literal("ChangeQuantityPayload")))
        return pairs
