"""Limits checked before execution: depth, aliases and cost, each refused with its own code.

Introspection fields (`__schema`, `__type`, ...) are not counted: GraphiQL's own introspection
query nests deeper than any sane limit, and production switches introspection off.
"""

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    Visitor,
    get_named_type,
    visit,
)

from services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

CompositeType = GraphQLObjectType | GraphQLInterfaceType
MUTATION_COST = 10
_PAGE_ARGUMENTS = ("first", "last")
_COUNTED_ARGUMENTS = (*_PAGE_ARGUMENTS, "ids")  # all that a cost reads of the arguments


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> list[tuple[FieldNode, str | None]]:
    """The fields of a selection set with fragments inlined: (field, type condition)."""
    found: list[tuple[FieldNode, str | None]] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            found.append((selection, None))
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            found.extend(
                (f, condition or c) for f, c in _fields(selection.selection_set, fragments, seen)
            )
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                inner = _fields(fragment.selection_set, fragments, seen | {selection.name.value})
                condition = fragment.type_condition.name.value
                found.extend((f, c or condition) for f, c in inner)
    return found


def _depth(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> int:
    deepest = 0
    for field, _ in _fields(selection_set, fragments):
        if not field.name.value.startswith("__"):
            deepest = max(deepest, 1 + _depth(field.selection_set, fragments))
    return deepest


def depth_limit(max_depth: int) -> type[ASTValidationRule]:
    class DepthLimit(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = _depth(node.selection_set, _fragments(self.context.document))
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"the operation is {depth} fields deep; at most {max_depth} are allowed",
                        node,
                        extensions={
                            "code": "QUERY_TOO_DEEP",
                            "depth": depth,
                            "maxDepth": max_depth,
                        },
                    )
                )

    return DepthLimit


def alias_limit(max_aliases: int) -> type[ASTValidationRule]:
    class AliasLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.aliases = 0

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            if node.alias is not None:
                self.aliases += 1
                if self.aliases == max_aliases + 1:
                    self.report_error(
                        GraphQLError(
                            f"the document has more than {max_aliases} aliases",
                            node,
                            extensions={"code": "TOO_MANY_ALIASES", "maxAliases": max_aliases},
                        )
                    )

    return AliasLimit


class _Cost:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def _argument(self, field: FieldNode, name: str) -> Any:
        for argument in field.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, ListValueNode):
                    return list(value.values)
        return None

    def _page_size(self, field: FieldNode) -> int:
        for name in _PAGE_ARGUMENTS:
            value = self._argument(field, name)
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, MAX_PAGE_SIZE))
        return DEFAULT_PAGE_SIZE

    def _type(self, parent: CompositeType, condition: str | None) -> CompositeType:
        narrowed = self.schema.get_type(condition) if condition else None
        return narrowed if isinstance(narrowed, CompositeType) else parent

    def of(self, parent: CompositeType, selection_set: SelectionSetNode | None) -> int:
        """Object 1, connection 2 + page size x (its items' cost), scalars free."""
        total = 0
        for field, condition in _fields(selection_set, self.fragments):
            name = field.name.value
            definition = self._type(parent, condition).fields.get(name)
            if name.startswith("__") or definition is None:
                continue
            target = get_named_type(definition.type)
            if not isinstance(target, CompositeType):
                continue
            inner = self.of(target, field.selection_set)
            if target.name.endswith("Connection"):
                total += 2 + self._page_size(field) * max(1, inner)
            else:
                ids = self._argument(field, "ids")
                count = len(ids) if isinstance(ids, list) else 1
                total += count * (1 + inner)
        return total


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        op
        for op in operations
        if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return 0  # graphql-core refuses such a request before anything runs
    operation = chosen[0]
    walker = _Cost(schema, _fragments(document), variables or {})
    if operation.operation == OperationType.MUTATION and schema.mutation_type is not None:
        fields = _fields(operation.selection_set, walker.fragments)
        return len(fields) * MUTATION_COST + walker.of(
            schema.mutation_type, operation.selection_set
        )
    assert schema.query_type is not None
    return walker.of(schema.query_type, operation.selection_set)


def cost_variables(document: DocumentNode) -> frozenset[str]:
    """The variables that operation_cost reads: the same values of these, the same cost."""
    found: set[str] = set()

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if node.name.value in _COUNTED_ARGUMENTS and isinstance(node.value, VariableNode):
                found.add(node.value.name.value)

    visit(document, Arguments())
    return frozenset(found)


def validation_rules(
    max_depth: int, max_aliases: int, introspection: bool
) -> list[type[ASTValidationRule]]:
    """Our rules on top of the specification's: the one list that ordinary execution and
    compiled plans both validate with, so a plan never runs what execution would refuse."""
    rules = [depth_limit(max_depth), alias_limit(max_aliases)]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules
