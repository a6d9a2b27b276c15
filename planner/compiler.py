"""From an analysed document, bound arguments and a viewer to one SELECT of the `data` JSON.

Filters, orders and page windows come from the services, the same functions the resolvers
use: visibility is defined once, and a plan cannot show what ordinary execution hides.
"""

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.orm import aliased

from models import Customer, Offer, Subscription, global_ids
from planner.sql import Json
from planner.tree import Arg, Selected
from services.access import visible_customers, visible_subscriptions
from services.customers import CUSTOMER_CURSOR, CUSTOMER_SORT, customer_filters
from services.errors import DomainError
from services.pagination import PageArgs, bounds, ordering, window
from services.subscriptions import SubscriptionFilter, subscription_filters
from services.viewer import Viewer

# Values are SQL expressions: columns, mapped attributes, functions, subqueries.
Pairs = list[tuple[str, Any]]
Columns = dict[str, Callable[[], Any]]
INT32 = (-(2**31), 2**31 - 1)
STATUSES = frozenset({"ACTIVE", "SUSPENDED", "DELETED"})


class Fallback(Exception):
    """This request's arguments need ordinary execution (it reports errors the contract's way)."""


def value_of(arg: Arg, variables: Mapping[str, Any]) -> Any:
    if arg.variable is None:
        return arg.literal
    if arg.variable not in variables:
        raise Fallback("variable not given")
    return variables[arg.variable]


def argument(selected: Selected, name: str, variables: Mapping[str, Any]) -> Any:
    return value_of(selected.args.get(name, Arg()), variables)


def node_target(selected: Selected, variables: Mapping[str, Any]) -> tuple[str, int] | None:
    """What node(id:) names: (type, primary key), or None for an id that names nothing."""
    global_id = argument(selected, "id", variables)
    if isinstance(global_id, int) and not isinstance(global_id, bool):
        global_id = str(global_id)  # an ID input accepts integers
    if not isinstance(global_id, str):
        raise Fallback("id")
    return global_ids.parse(global_id)


def node_parameter(selected: Selected) -> str:
    """The bind parameter of a node's primary key: one statement serves every id of a type."""
    return f"node_{selected.key}"


class Compiler:
    def __init__(self, json: Json, viewer: Viewer, variables: Mapping[str, Any]) -> None:
        self.json = json
        self.viewer = viewer
        self.variables = variables

    def query(self, fields: list[Selected]) -> Select[tuple[Any]]:
        pairs: Pairs = []
        for selected in fields:
            if selected.name == "customers":
                pairs.append((selected.key, self._customers(selected)))
            elif selected.name == "node":
                pairs.append((selected.key, self._node(selected)))
            else:  # __typename
                pairs.append((selected.key, literal("Query")))
        return select(self.json.text(self.json.object(pairs)))

    # --- arguments, checked as GraphQL would coerce them; anything unusual falls back

    def _value(self, selected: Selected, name: str) -> Any:
        return argument(selected, name, self.variables)

    def _int(self, selected: Selected, name: str) -> int | None:
        value = self._value(selected, name)
        if value is None or (type(value) is int and INT32[0] <= value <= INT32[1]):
            return value
        raise Fallback(name)

    def _str(self, selected: Selected, name: str) -> str | None:
        value = self._value(selected, name)
        if value is None or isinstance(value, str):
            return value
        raise Fallback(name)

    def _window_args(self, selected: Selected) -> PageArgs:
        return PageArgs(first=self._int(selected, "first"), after=self._str(selected, "after"))

    # --- fields

    def _customers(self, selected: Selected) -> ColumnElement[Any]:
        try:
            win = window(self._window_args(selected), CUSTOMER_CURSOR)
            filters = customer_filters(self.viewer, self._str(selected, "search"))
        except DomainError:
            raise Fallback("customers arguments") from None
        page = (
            select(Customer)
            .where(*filters, *bounds(CUSTOMER_SORT, win))
            .order_by(*ordering(CUSTOMER_SORT, win))
            .limit(win.size)
            .subquery("page")
        )
        customer = aliased(Customer, page)
        if win.backward:
            raise Fallback("last")

        def nodes(children: list[Selected]) -> ColumnElement[Any]:
            item = self.json.object(self._customer_pairs(customer, children))
            order = [customer.company_name_key, customer.id]
            return select(self.json.array(item, order)).select_from(page).scalar_subquery()

        def total() -> ColumnElement[Any]:
            return select(func.count()).select_from(Customer).where(*filters).scalar_subquery()

        return self._connection(selected, "CustomerConnection", nodes, total)

    def _connection(
        self,
        selected: Selected,
        type_name: str,
        nodes: Callable[[list[Selected]], ColumnElement[Any]],
        total: Callable[[], ColumnElement[Any]],
    ) -> ColumnElement[Any]:
        pairs: Pairs = []
        for child in selected.children:
            if child.name == "nodes":
                pairs.append((child.key, self.json.nested(nodes(child.children))))
            elif child.name == "totalCount":
                pairs.append((child.key, total()))
            else:
                pairs.append((child.key, literal(type_name)))
        return self.json.object(pairs)

    def _customer_pairs(self, customer: Any, children: list[Selected]) -> Pairs:
        columns: Columns = {
            "id": lambda: self.json.global_id("Customer", customer.id),
            "companyName": lambda: customer.company_name,
            "domain": lambda: customer.domain,
            "country": lambda: customer.country,
            "createdByPartner": lambda: self.json.boolean(
                customer.created_by_partner_id.isnot(None)
            ),
            "__typename": lambda: literal("Customer"),
        }
        pairs: Pairs = []
        for child in children:
            if child.name == "subscriptions":
                pairs.append((child.key, self._subscriptions(customer.id, child)))
            else:
                pairs.append((child.key, columns[child.name]()))
        return pairs

    def _subscriptions(
        self, customer_id: ColumnElement[int], selected: Selected
    ) -> ColumnElement[Any]:
        statuses = self._value(selected, "status")
        if isinstance(statuses, str):
            statuses = [statuses]  # GraphQL coerces a single value to a list
        if statuses is not None and (
            not isinstance(statuses, list) or not all(s in STATUSES for s in statuses)
        ):
            raise Fallback("status")
        flt = SubscriptionFilter(None if statuses is None else frozenset(statuses))
        try:
            win = window(self._window_args(selected))
        except DomainError:
            raise Fallback("subscriptions arguments") from None
        filters = [Subscription.customer_id == customer_id, *subscription_filters(self.viewer, flt)]
        page = (
            select(Subscription)
            .where(*filters)
            .order_by(Subscription.id)
            .limit(win.size)
            # The customer is the enclosing query's row, not a table of this subquery.
            .correlate_except(Subscription)
            .subquery("subscription_page")
        )
        subscription = aliased(Subscription, page)

        def nodes(children: list[Selected]) -> ColumnElement[Any]:
            item = self.json.object(self._subscription_pairs(subscription, children))
            source = page.join(Offer, Offer.id == page.c.offer_id)
            return (
                select(self.json.array(item, [subscription.id]))
                .select_from(source)
                .scalar_subquery()
            )

        def total() -> ColumnElement[Any]:
            return select(func.count()).select_from(Subscription).where(*filters).scalar_subquery()

        return self._connection(selected, "CustomerSubscriptionConnection", nodes, total)

    def _subscription_pairs(self, subscription: Any, children: list[Selected]) -> Pairs:
        columns: Columns = {
            "id": lambda: self.json.global_id("CustomerSubscription", subscription.id),
            "friendlyName": lambda: subscription.friendly_name,
            "quantity": lambda: subscription.quantity,
            "status": lambda: subscription.status,
            "channel": lambda: case((subscription.partner_id.is_(None), "DIRECT"), else_="PARTNER"),
            "billingCycle": lambda: subscription.billing_cycle,
            "autoRenew": lambda: self.json.boolean(subscription.auto_renew),
            "version": lambda: subscription.version,
            "__typename": lambda: literal("CustomerSubscription"),
        }
        pairs: Pairs = []
        for child in children:
            if child.name == "offer":
                pairs.append((child.key, self.json.object(self._offer_pairs(child.children))))
            else:
                pairs.append((child.key, columns[child.name]()))
        return pairs

    def _offer_pairs(self, children: list[Selected]) -> Pairs:
        columns: Columns = {
            "id": lambda: self.json.global_id("Offer", Offer.id),
            "name": lambda: Offer.name,
            "sku": lambda: Offer.sku,
            "minQuantity": lambda: Offer.min_quantity,
            "maxQuantity": lambda: Offer.max_quantity,
            "isAddOn": lambda: self.json.boolean(Offer.is_add_on),
            "__typename": lambda: literal("Offer"),
        }
        return [(child.key, columns[child.name]()) for child in children]

    def _node(self, selected: Selected) -> ColumnElement[Any]:
        target = node_target(selected, self.variables)
        if target is None:
            return null()
        type_name = target[0]
        fields = selected.by_type.get(type_name)
        if fields is None:
            raise Fallback(f"node of type {type_name}")
        pk = bindparam(node_parameter(selected), type_=Integer)
        if type_name == "Customer":
            item = self.json.object(self._customer_pairs(Customer, fields))
            stmt = select(item).where(Customer.id == pk, visible_customers(self.viewer))
        else:
            item = self.json.object(self._subscription_pairs(Subscription, fields))
            stmt = (
                select(item)
                .select_from(Subscription)
                .join(Offer, Offer.id == Subscription.offer_id)
                .where(Subscription.id == pk, visible_subscriptions(self.viewer))
            )
        return self.json.nested(stmt.scalar_subquery())
