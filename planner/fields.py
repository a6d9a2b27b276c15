"""The one table of what a plan compiles: per GraphQL type, the fields it answers, and how.

tree.py decides from it whether a document compiles; compiler.py builds each field's SQL from
it; tests/test_planner_fields.py checks it against the schema's names, types and arguments.
A scalar is an SQL expression over the row's source (a mapped entity, possibly aliased onto a
subquery); an object names its type, the arguments a plan reads, and the compiler's method
that builds it. Anything not listed here, a plan leaves to ordinary execution.

To compile a new field: add it here, and, for an object, its builder on the Compiler.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, null

from planner.sql import Json

# A scalar's SQL: (the row's source, the dialect's JSON helpers) -> expression.
ScalarSql = Callable[[Any, Json], ColumnElement[Any]]


@dataclass(frozen=True)
class Scalar:
    sql: ScalarSql


@dataclass(frozen=True)
class Object:
    type: str  # the field's named GraphQL type
    build: str  # the Compiler's method: (source, selected) -> the field's JSON
    arguments: frozenset[str] = frozenset()


def _unused(source: Any, json: Json) -> ColumnElement[Any]:
    """Never built: a compiled mutation answers only when it succeeded, with no userErrors."""
    return null()


FIELDS: dict[str, dict[str, Scalar | Object]] = {
    "Query": {
        "customers": Object(
            "CustomerConnection", "customers", frozenset({"first", "after", "search"})
        ),
        "node": Object("Node", "node", frozenset({"id"})),
    },
    "Mutation": {
        "changeQuantity": Object("ChangeQuantityPayload", "change_quantity", frozenset({"input"})),
    },
    "CustomerConnection": {
        "nodes": Object("Customer", "connection_nodes"),
        "totalCount": Scalar(lambda connection, json: connection.total()),
    },
    "CustomerSubscriptionConnection": {
        "nodes": Object("CustomerSubscription", "connection_nodes"),
        "totalCount": Scalar(lambda connection, json: connection.total()),
    },
    "Customer": {
        "id": Scalar(lambda customer, json: json.global_id("Customer", customer.id)),
        "companyName": Scalar(lambda customer, json: customer.company_name),
        "domain": Scalar(lambda customer, json: customer.domain),
        "country": Scalar(lambda customer, json: customer.country),
        "createdByPartner": Scalar(
            lambda customer, json: json.boolean(customer.created_by_partner)
        ),
        "subscriptions": Object(
            "CustomerSubscriptionConnection", "subscriptions", frozenset({"first", "status"})
        ),
    },
    "CustomerSubscription": {
        "id": Scalar(lambda sub, json: json.global_id("CustomerSubscription", sub.id)),
        "friendlyName": Scalar(lambda sub, json: sub.friendly_name),
        "quantity": Scalar(lambda sub, json: sub.quantity),
        "status": Scalar(lambda sub, json: sub.status),
        "channel": Scalar(lambda sub, json: sub.channel),
        "billingCycle": Scalar(lambda sub, json: sub.billing_cycle),
        "autoRenew": Scalar(lambda sub, json: json.boolean(sub.auto_renew)),
        "version": Scalar(lambda sub, json: sub.version),
        "offer": Object("Offer", "offer"),
    },
    "Offer": {
        "id": Scalar(lambda offer, json: json.global_id("Offer", offer.id)),
        "name": Scalar(lambda offer, json: offer.name),
        "sku": Scalar(lambda offer, json: offer.sku),
        "minQuantity": Scalar(lambda offer, json: offer.min_quantity),
        "maxQuantity": Scalar(lambda offer, json: offer.max_quantity),
        "isAddOn": Scalar(lambda offer, json: json.boolean(offer.is_add_on)),
    },
    "ChangeQuantityPayload": {
        "subscription": Object("CustomerSubscription", "object"),
        "userErrors": Object("UserError", "no_user_errors"),
        "clientMutationId": Scalar(lambda payload, json: null()),
    },
    "UserError": {"field": Scalar(_unused), "message": Scalar(_unused), "code": Scalar(_unused)},
}
# The concrete types node(id:) compiles; ids of other types run ordinarily.
NODE_TYPES = ("Customer", "CustomerSubscription")
