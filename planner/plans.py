"""A plan: one analysed operation, and its statements, built once per request shape."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from sqlalchemy import Select

from infra.statements import DriverStatement
from models import global_ids
from models.base import utcnow
from planner.compiler import (
    INT32,
    Compiler,
    Fallback,
    argument_input,
    node_parameter,
    node_target,
)
from planner.sql import Json
from planner.tree import Selected
from services import api_keys
from services.quantity import QuantityChange, QuantitySteps
from services.viewer import Viewer

STATEMENTS_PER_PLAN = 64
INPUT_FIELDS = frozenset({"subscriptionId", "quantity", "expectedVersion", "clientMutationId"})

_JSON = json.JSONEncoder(sort_keys=True, default=str)
Statement = Select[Any, Any]  # the data JSON, and whether the key is usable
Parameters = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    fields: list[Selected]
    root: str = "Query"  # or "Mutation": changeQuantity alone
    # Its node(id:) fields, and the variables that hold their ids: an id is a bind parameter,
    # so the variables that shape its statement are all the others.
    nodes: tuple[Selected, ...] = ()
    id_variables: frozenset[str] = frozenset()
    # Built statements by request shape: building one costs more than running it.
    built: dict[tuple[Any, ...], Statement] = field(default_factory=dict, compare=False)
    # The same statements as the driver runs them, by id(statement) (infra/statements.py).
    rendered: dict[int, DriverStatement | None] = field(default_factory=dict, compare=False)
    # SQLite's changing steps by request shape (a handful: one per viewer's shape).
    steps_built: dict[tuple[Any, ...], "Steps"] = field(default_factory=dict, compare=False)

    @property
    def mutation(self) -> bool:
        return self.root == "Mutation"

    def statement(
        self, dialect: str, viewer: Viewer, variables: Mapping[str, Any], check_key: bool = False
    ) -> tuple[Statement, Parameters]:
        """A statement of two columns: the `data` JSON, and whether the viewer's API key is
        still usable (always true unless check_key; a mutation checks the key in its guard
        instead, and changes nothing and returns no row without it). Raises Fallback when
        these arguments need ordinary execution."""
        if self.mutation:
            return self._mutation(dialect, viewer, variables, check_key)
        targets = [node_target(node, variables) for node in self.nodes]
        parameters: Parameters = {
            node_parameter(node): target[1]
            for node, target in zip(self.nodes, targets, strict=True)
            if target is not None
        }
        if check_key:
            parameters.update(api_keys.still_usable_parameters(viewer))
        shaping = (
            variables
            if not self.id_variables
            else {k: v for k, v in variables.items() if k not in self.id_variables}
        )
        shape = (
            dialect,
            check_key,
            viewer.partner_id,
            viewer.customer_id,
            _frozen(shaping) if shaping else (),
            # A node counts by its type only: its id is a bind parameter.
            tuple(None if target is None else target[0] for target in targets),
        )

        def build() -> Statement:
            key_check = api_keys.still_usable() if check_key else None
            return Compiler(Json(dialect), viewer, variables, key_check).query(self.fields)

        return self._built(shape, build), parameters

    def _mutation(
        self, dialect: str, viewer: Viewer, variables: Mapping[str, Any], check_key: bool
    ) -> tuple[Statement, Parameters]:
        """PostgreSQL: the service's own changing statement, its answer's JSON around it."""
        if dialect != "postgresql":
            raise Fallback("SQLite has no UPDATE inside WITH: see Planner.answer")
        subscription_id, quantity, expected = quantity_change(self.fields[0], variables)
        parameters = QuantityChange.parameters(
            viewer, subscription_id, quantity, expected, utcnow()
        )
        if check_key:
            parameters.update(api_keys.still_usable_parameters(viewer))
        # Every value of the input is a bind parameter; the viewer decides the rules' shape.
        shape = (
            dialect,
            check_key,
            viewer.role,
            viewer.partner_id,
            viewer.customer_id,
            expected is not None,
        )

        def build() -> Statement:
            key_check = api_keys.still_usable() if check_key else None
            return Compiler(Json(dialect), viewer, variables, key_check).mutation(self.fields)

        return self._built(shape, build), parameters

    def steps(
        self, viewer: Viewer, variables: Mapping[str, Any], check_key: bool
    ) -> tuple["Steps", Parameters]:
        """SQLite, which has no UPDATE inside WITH: the service's own changing statements, and
        the answer's JSON from the changed row (bound as `changed_id`)."""
        subscription_id, quantity, expected = quantity_change(self.fields[0], variables)
        parameters = QuantityChange.parameters(
            viewer, subscription_id, quantity, expected, utcnow()
        )
        if check_key:
            parameters.update(api_keys.still_usable_parameters(viewer))
        shape = (
            check_key,
            viewer.role,
            viewer.partner_id,
            viewer.customer_id,
            expected is not None,
        )
        found = self.steps_built.get(shape)
        if found is None:
            also = (api_keys.still_usable(),) if check_key else ()
            change = QuantityChange(viewer, expected is not None, also).steps()
            answer = Compiler(Json("sqlite"), viewer, variables).answer_of_changed(self.fields)
            found = self.steps_built[shape] = Steps(change, answer)
        return found, parameters

    def _built(self, shape: tuple[Any, ...], build: Callable[[], Statement]) -> Statement:
        statement = self.built.get(shape)
        if statement is None:
            statement = build()
            if len(self.built) >= STATEMENTS_PER_PLAN:
                self.rendered.pop(id(self.built.pop(next(iter(self.built)))), None)
            self.built[shape] = statement
        return statement


@dataclass(frozen=True)
class Steps:
    change: QuantitySteps
    answer: Statement


def quantity_change(
    selected: Selected, variables: Mapping[str, Any]
) -> tuple[int, int, int | None]:
    """changeQuantity's input, checked as GraphQL would coerce it: (subscription, quantity,
    expected version). Anything unusual falls back to ordinary execution, which words it."""
    given = argument_input(selected, variables)
    if not set(given) <= INPUT_FIELDS:
        raise Fallback("input")
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
    return target[1], quantity, expected


def compile_plan(fields: list[Selected], root: str) -> Plan:
    nodes = tuple(field for field in fields if field.name == "node")
    ids = frozenset(
        variable for n in nodes if "id" in n.args and (variable := n.args["id"].variable)
    )
    return Plan(fields, root, nodes, ids)


def _frozen(variables: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Variables as part of a shape's key: by their JSON text, so that 1 and true differ."""
    return tuple(sorted((name, _JSON.encode(value)) for name, value in variables.items()))


def _int32(value: Any) -> TypeGuard[int]:
    return type(value) is int and INT32[0] <= value <= INT32[1]
