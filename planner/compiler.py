"""From an analysed document, its variables and a viewer to one statement of the `data` JSON.

Every field is built from planner/fields.py. Filters, orders, page windows and changes come
from the services, the same functions ordinary execution uses: visibility and every rule are
defined once, and a plan cannot show or change what ordinary execution would not.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    null,
    select,
    true,
)
from sqlalchemy.orm import aliased

from models import Customer, Offer, Subscription, global_ids
from planner.fields import FIELDS, Object, Scalar
from planner.sql import Json
from planner.tree import Arg, Selected
from services.access import visible_customers, visible_subscriptions
from services.customers import CUSTOMER_CURSOR, CUSTOMER_SORT, customer_filters
from services.errors import DomainError
from services.pagination import PageArgs, bounds, ordering, window
from services.quantity import QuantityChange
from services.subscriptions import SubscriptionFilter, subscription_filters
from services.viewer import Viewer

Pairs = list[tuple[str, ColumnElement[Any]]]
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


@dataclass(frozen=True)
class Connection:
    """A connection's source: its page's nodes, and its total, as SQL."""

    nodes: Callable[[str, list[Selected]], ColumnElement[Any]]
    total: Callable[[], ColumnElement[Any]]


class Compiler:
    def __init__(
        self,
        json: Json,
        viewer: Viewer,
        variables: Mapping[str, Any],
        key_check: ColumnElement[bool] | None = None,
    ) -> None:
        """key_check: a condition the viewer's API key must meet (api_keys.still_usable); a
        query returns it as its second column, a mutation changes nothing without it."""
        self.json = json
        self.viewer = viewer
        self.variables = variables
        self.key_check = key_check

    def query(self, fields: list[Selected]) -> Select[Any, Any]:
        return self.query_of(self.pairs("Query", None, fields))

    def query_of(self, pairs: Pairs) -> Select[Any, Any]:
        """The `data` object of these pairs as text, and whether the key is usable."""
        data = self.json.text(self.json.object(pairs))
        return select(data, true() if self.key_check is None else self.key_check)

    def mutation(self, fields: list[Selected]) -> Select[Any, Any]:
        """A lone mutation, the whole statement its builder's (its changes must be at the top)."""
        [selected] = fields
        spec = FIELDS["Mutation"][selected.name]
        assert isinstance(spec, Object)
        build: Callable[[Selected, Object], Select[Any, Any]] = getattr(self, spec.build)
        return build(selected, spec)

    def change_quantity(self, selected: Selected, spec: Object) -> Select[Any, Any]:
        """The service's own statement (services/quantity.py), the answer's JSON around it."""
        with_version = argument_input(selected, self.variables).get("expectedVersion") is not None
        also = () if self.key_check is None else (self.key_check,)
        changed, *effects = QuantityChange(self.viewer, with_version, also).postgres()
        subscription = aliased(Subscription, changed)
        payload = self.json.object(self.pairs(spec.type, subscription, selected.children))
        return (
            select(self.json.text(self.json.object([(selected.key, payload)])), true())
            .select_from(changed.join(Offer, Offer.id == changed.c.offer_id))
            .add_cte(*effects)
        )

    def answer_of_changed(self, fields: list[Selected]) -> Select[Any, Any]:
        """A lone mutation's answer from the subscription it changed (bound as `changed_id`),
        read after the change in the same transaction: SQLite's steps (services/quantity.py)."""
        [selected] = fields
        spec = FIELDS["Mutation"][selected.name]
        assert isinstance(spec, Object)
        payload = self.json.object(self.pairs(spec.type, Subscription, selected.children))
        return (
            self.query_of([(selected.key, payload)])
            .select_from(Subscription)
            .join(Offer, Offer.id == Subscription.offer_id)
            .where(Subscription.id == bindparam("changed_id", type_=Integer))
        )

    def pairs(self, type_name: str, source: Any, children: list[Selected]) -> Pairs:
        """(response key, SQL) of each selected field, as FIELDS says to build it."""
        fields = FIELDS[type_name]
        pairs: Pairs = []
        for child in children:
            if child.name == "__typename":
                pairs.append((child.key, literal(type_name)))
                continue
            spec = fields[child.name]
            if isinstance(spec, Scalar):
                pairs.append((child.key, spec.sql(source, self.json)))
            else:
                builder: Callable[[Any, Selected, Object], ColumnElement[Any]]
                builder = getattr(self, spec.build)
                pairs.append((child.key, builder(source, child, spec)))
        return pairs

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

    # --- the builders FIELDS names: (source, selected, spec) -> the field's JSON

    def object(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        return self.json.object(self.pairs(spec.type, source, selected.children))

    def offer(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        """The subscription's offer: every statement that selects subscriptions joins it."""
        return self.object(Offer, selected, spec)

    def no_user_errors(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        return self.json.empty_array()

    def connection_nodes(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        connection: Connection = source
        return self.json.nested(connection.nodes(spec.type, selected.children))

    def customers(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        try:
            win = window(self._window_args(selected), CUSTOMER_CURSOR)
            filters = customer_filters(self.viewer, self._str(selected, "search"))
        except DomainError:
            raise Fallback("customers arguments") from None
        if win.backward:
            raise Fallback("last")
        page = (
            select(Customer)
            .where(*filters, *bounds(CUSTOMER_SORT, win))
            .order_by(*ordering(CUSTOMER_SORT, win))
            .limit(win.size)
            .subquery("page")
        )
        customer = aliased(Customer, page)

        def nodes(type_name: str, children: list[Selected]) -> ColumnElement[Any]:
            item = self.json.object(self.pairs(type_name, customer, children))
            order = [customer.company_name_key, customer.id]
            return select(self.json.array(item, order)).select_from(page).scalar_subquery()

        def total() -> ColumnElement[Any]:
            return select(func.count()).select_from(Customer).where(*filters).scalar_subquery()

        return self.json.object(self.pairs(spec.type, Connection(nodes, total), selected.children))

    def subscriptions(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
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
        filters = [Subscription.customer_id == source.id, *subscription_filters(self.viewer, flt)]
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

        def nodes(type_name: str, children: list[Selected]) -> ColumnElement[Any]:
            item = self.json.object(self.pairs(type_name, subscription, children))
            source = page.join(Offer, Offer.id == page.c.offer_id)
            return (
                select(self.json.array(item, [subscription.id]))
                .select_from(source)
                .scalar_subquery()
            )

        def total() -> ColumnElement[Any]:
            return select(func.count()).select_from(Subscription).where(*filters).scalar_subquery()

        return self.json.object(self.pairs(spec.type, Connection(nodes, total), selected.children))

    def node(self, source: Any, selected: Selected, spec: Object) -> ColumnElement[Any]:
        target = node_target(selected, self.variables)
        if target is None:
            return null()
        type_name = target[0]
        fields = selected.by_type.get(type_name)
        if fields is None:
            raise Fallback(f"node of type {type_name}")
        pk = bindparam(node_parameter(selected), type_=Integer)
        if type_name == "Customer":
            item = self.json.object(self.pairs(type_name, Customer, fields))
            stmt = select(item).where(Customer.id == pk, visible_customers(self.viewer))
        else:
            item = self.json.object(self.pairs(type_name, Subscription, fields))
            stmt = (
                select(item)
                .select_from(Subscription)
                .join(Offer, Offer.id == Subscription.offer_id)
                .where(Subscription.id == pk, visible_subscriptions(self.viewer))
            )
        return self.json.nested(stmt.scalar_subquery())


def argument_input(selected: Selected, variables: Mapping[str, Any]) -> dict[str, Any]:
    """A mutation's `input`, its fields' values resolved; anything but an object falls back."""
    arg = selected.args.get("input", Arg())
    given = value_of(arg, variables)
    if not isinstance(given, dict):
        raise Fallback("input")
    if arg.variable is None:  # an object literal: its fields are literals or variables
        given = {name: value_of(value, variables) for name, value in given.items()}
    return given
