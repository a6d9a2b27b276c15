"""The price of an operation, Shopify-style, read off the document as it will execute.

Linear in the document's size: fragments are priced once each (limits/fragments.py).
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    VariableNode,
    Visitor,
    get_argument_values,
    get_named_type,
    get_variable_values,
    is_abstract_type,
    visit,
)

from limits.fragments import summarise_fragments
from services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

CompositeType = GraphQLObjectType | GraphQLInterfaceType
MUTATION_COST = 10
MINIMUM_COST = 1  # every request costs something, `{ __typename }` included
_PAGE_ARGUMENTS = ("first", "last")
# All that a price (and a mutation's check of its connections) reads of the arguments.
_COUNTED_ARGUMENTS = (*_PAGE_ARGUMENTS, "after", "before", "ids")
ConnectionCheck = Callable[[str, str, dict[str, Any]], None]  # parent type, field, arguments


class _IntrospectionSizes:
    """How long introspection's lists are in this schema, on average: what pricing them takes."""

    def __init__(self, schema: GraphQLSchema) -> None:
        types = list(schema.type_map.values())
        composite = [t for t in types if isinstance(t, CompositeType)]
        fields = [f for t in composite for f in t.fields.values()]
        self.sizes = {
            ("__Schema", "types"): len(types),
            ("__Schema", "directives"): len(schema.directives),
            ("__Type", "fields"): _mean(len(t.fields) for t in composite),
            ("__Type", "interfaces"): _mean(len(t.interfaces) for t in composite),
            ("__Type", "inputFields"): _mean(
                len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType)
            ),
            ("__Type", "enumValues"): _mean(
                len(t.values) for t in types if isinstance(t, GraphQLEnumType)
            ),
            ("__Type", "possibleTypes"): _mean(
                len(schema.get_possible_types(t)) for t in types if is_abstract_type(t)
            ),
            ("__Field", "args"): _mean(len(f.args) for f in fields),
            ("__Directive", "args"): _mean(len(d.args) for d in schema.directives),
        }

    def of(self, parent: str, field: str) -> int:
        return self.sizes.get((parent, field), 1)


def _mean(values: Any) -> int:
    found = list(values)
    return max(1, math.ceil(sum(found) / len(found))) if found else 1


class Pricer:
    """Object 1, connection 2 + page size x (its items' cost), scalars free, each mutation
    field 10; lists of objects by their length. Arguments as execution will see them: the
    coerced variables, defaults applied."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.introspection = _IntrospectionSizes(schema)

    def cost(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        check_connection: ConnectionCheck | None = None,
    ) -> int:
        """`check_connection` sees every connection's arguments on the way, and may raise."""
        operation = _chosen(document, operation_name)
        if operation is None:
            return MINIMUM_COST  # graphql-core refuses such a request before anything runs
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), dict(variables or {})
        )
        if isinstance(coerced, list):
            return MINIMUM_COST  # bad variables: refused before anything runs
        walk = _CostWalk(self, coerced, check_connection)
        fragments = summarise_fragments(document, walk.fragment)
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return MINIMUM_COST
        cost = walk.of(root, operation.selection_set, fragments)
        if operation.operation == OperationType.MUTATION:
            cost += MUTATION_COST * walk.top_level_fields(operation.selection_set)
        return max(MINIMUM_COST, cost)


class _CostWalk:
    def __init__(
        self, pricer: Pricer, variables: Any, check_connection: ConnectionCheck | None
    ) -> None:
        self.pricer = pricer
        self.schema = pricer.schema
        self.variables = variables
        self.check_connection = check_connection
        self.top_level: dict[str, int] = {}

    def fragment(self, fragment: FragmentDefinitionNode, done: dict[str, int]) -> int:
        condition = self.schema.get_type(fragment.type_condition.name.value)
        self.top_level[fragment.name.value] = self.top_level_fields(fragment.selection_set)
        if not isinstance(condition, CompositeType):
            return 0
        return self.of(condition, fragment.selection_set, done)

    def top_level_fields(self, selection_set: SelectionSetNode) -> int:
        """Fields at the top of a selection set, through fragments: one charge per mutation."""
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1
            elif isinstance(selection, InlineFragmentNode):
                total += self.top_level_fields(selection.selection_set)
            else:
                total += self.top_level.get(selection.name.value, 0)  # type: ignore[attr-defined]
        return total

    def of(
        self,
        parent: CompositeType,
        selection_set: SelectionSetNode | None,
        fragments: Mapping[str, int],
    ) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self._field(parent, selection, fragments)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                narrowed = self.schema.get_type(condition.name.value) if condition else parent
                if isinstance(narrowed, CompositeType):
                    total += self.of(narrowed, selection.selection_set, fragments)
            else:
                assert isinstance(selection, FragmentSpreadNode)
                total += fragments.get(selection.name.value, 0)
        return total

    def _field(self, parent: CompositeType, field: FieldNode, fragments: Mapping[str, int]) -> int:
        definition = self._definition(parent, field.name.value)
        if definition is None:
            return 0
        target = get_named_type(definition.type)
        if not isinstance(target, CompositeType):
            return 0
        inner = self.of(target, field.selection_set, fragments)
        arguments = self._arguments(definition, field)
        if target.name.endswith("Connection"):
            if self.check_connection is not None:
                self.check_connection(parent.name, field.name.value, arguments)
            return 2 + _page_size(arguments) * max(1, inner)
        return self._length(parent, field, definition, arguments) * (1 + inner)

    def _definition(self, parent: CompositeType, name: str) -> GraphQLField | None:
        if parent is self.schema.query_type and name in ("__schema", "__type"):
            return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
        found: GraphQLField | None = parent.fields.get(name)
        return found

    def _arguments(self, definition: GraphQLField, field: FieldNode) -> dict[str, Any]:
        if not definition.args:
            return {}
        try:
            return get_argument_values(definition, field, self.variables)
        except GraphQLError:
            return {}  # execution refuses the field; the price is what its shape says

    def _length(
        self,
        parent: CompositeType,
        field: FieldNode,
        definition: GraphQLField,
        arguments: dict[str, Any],
    ) -> int:
        kind = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else None
        if not isinstance(kind or definition.type, GraphQLList):
            return 1
        ids = arguments.get("ids")
        if isinstance(ids, list):
            return len(ids)
        return self.pricer.introspection.of(parent.name, field.name.value)


def _page_size(arguments: dict[str, Any]) -> int:
    for name in _PAGE_ARGUMENTS:
        value = arguments.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(0, min(value, MAX_PAGE_SIZE))
    return DEFAULT_PAGE_SIZE


def _chosen(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    chosen = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name is not None and d.name.value == operation_name))
    ]
    return chosen[0] if len(chosen) == 1 else None


def cost_variables(document: DocumentNode) -> frozenset[str]:
    """The variables a price reads: the same values of these, the same price."""
    found: set[str] = set()

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if node.name.value in _COUNTED_ARGUMENTS:
                visit(node.value, Variables())

    class Variables(Visitor):
        def enter_variable(self, node: VariableNode, *_: Any) -> None:
            found.add(node.name.value)

    visit(document, Arguments())
    return frozenset(found)
