"""Limits on a document, each refused with its own code, and the price of an operation.

Every walk here is linear in the document's size: fragments are summarised once each, in an
order where every fragment comes after the fragments it spreads, and a spread reuses the
summary. (Expanding a fragment again at every use made a 727-byte document cost seconds.)

Introspection fields (`__schema`, `__type`, ...) do not count towards depth: GraphiQL's own
introspection query nests deeper than any sane limit. They count towards everything else.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from graphql import (
    ArgumentNode,
    ASTValidationRule,
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
    NoSchemaIntrospectionCustomRule,
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

from services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

CompositeType = GraphQLObjectType | GraphQLInterfaceType
MUTATION_COST = 10
MINIMUM_COST = 1  # every request costs something, `{ __typename }` included
_PAGE_ARGUMENTS = ("first", "last")
_COUNTED_ARGUMENTS = (*_PAGE_ARGUMENTS, "ids")  # all that a price reads of the arguments
T = TypeVar("T")
ConnectionCheck = Callable[[str, str, dict[str, Any]], None]  # parent type, field, arguments


@dataclass(frozen=True)
class DocumentLimits:
    max_depth: int
    max_aliases: int
    max_fields: int
    # Fields that share a response key in one selection set are compared pairwise by
    # validation (graphql-core's OverlappingFieldsCanBeMergedRule): bound the pairs.
    max_field_pairs: int = 2_000


@dataclass(frozen=True)
class _Shape:
    depth: int  # the deepest chain of fields, introspection fields not counted
    fields: int  # fields selected once every fragment spread is expanded


_EMPTY = _Shape(0, 0)


def _fragment_order(document: DocumentNode) -> list[FragmentDefinitionNode]:
    """Fragments ordered so that each follows the fragments it spreads. No recursion over
    spreads: a chain of hundreds of fragments must not exhaust the interpreter's stack. A cycle
    is refused here, as validation would refuse it, before any walk could go round it."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    ordered: list[FragmentDefinitionNode] = []
    done: set[str] = set()
    for root in fragments:
        if root in done:
            continue
        path = [root]  # the fragments being visited, each spreading the next
        stack = [iter(_spreads(fragments[root].selection_set))]
        while stack:
            following = next((s for s in stack[-1] if s in fragments and s not in done), None)
            if following is None:
                stack.pop()
                done.add(path[-1])
                ordered.append(fragments[path.pop()])
            elif following in path:
                raise GraphQLError(
                    f"Cannot spread fragment '{following}' within itself.",
                    fragments[following],
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
            else:
                path.append(following)
                stack.append(iter(_spreads(fragments[following].selection_set)))
    return ordered


def _spreads(selection_set: SelectionSetNode | None) -> list[str]:
    found: list[str] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            found.append(selection.name.value)
        else:
            found.extend(_spreads(selection.selection_set))  # type: ignore[attr-defined]
    return found


def summarise_fragments(
    document: DocumentNode, summarise: Callable[[FragmentDefinitionNode, dict[str, T]], T]
) -> dict[str, T]:
    """Each fragment's summary, computed once; `summarise` finds those it spreads in the dict."""
    summaries: dict[str, T] = {}
    for fragment in _fragment_order(document):
        summaries[fragment.name.value] = summarise(fragment, summaries)
    return summaries


def _shape(selection_set: SelectionSetNode | None, fragments: Mapping[str, _Shape]) -> _Shape:
    depth = fields = 0
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            inner = _shape(selection.selection_set, fragments)
            fields += 1 + inner.fields
            if not selection.name.value.startswith("__"):
                depth = max(depth, 1 + inner.depth)
            continue
        if isinstance(selection, InlineFragmentNode):
            inner = _shape(selection.selection_set, fragments)
        else:
            assert isinstance(selection, FragmentSpreadNode)
            inner = fragments.get(selection.name.value, _EMPTY)
        fields += inner.fields
        depth = max(depth, inner.depth)
    return _Shape(depth, fields)


def check_document(document: DocumentNode, limits: DocumentLimits) -> None:
    """Raise the GraphQLError of the first limit the document breaks. Runs before validation,
    whose own cost grows with what these limits bound."""
    aliases = _count_aliases(document)
    if aliases > limits.max_aliases:
        raise GraphQLError(
            f"the document has {aliases} aliases; at most {limits.max_aliases} are allowed",
            extensions={"code": "TOO_MANY_ALIASES", "maxAliases": limits.max_aliases},
        )
    fragments = summarise_fragments(document, lambda f, done: _shape(f.selection_set, done))
    fragments_by_name = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        shape = _shape(definition.selection_set, fragments)
        if shape.fields > limits.max_fields:
            raise GraphQLError(
                f"the operation selects {shape.fields} fields once its fragments are expanded;"
                f" at most {limits.max_fields} are allowed",
                definition,
                extensions={"code": "TOO_MANY_FIELDS", "maxFields": limits.max_fields},
            )
        pairs = _merged_pairs([definition.selection_set], fragments_by_name)
        if pairs > limits.max_field_pairs:
            raise GraphQLError(
                f"the operation repeats response keys so often that {pairs} pairs of fields "
                f"must be merged; at most {limits.max_field_pairs} are allowed",
                definition,
                extensions={"code": "TOO_MANY_FIELDS", "maxFieldPairs": limits.max_field_pairs},
            )
        if shape.depth > limits.max_depth:
            raise GraphQLError(
                f"the operation is {shape.depth} fields deep; at most {limits.max_depth} are "
                "allowed",
                definition,
                extensions={
                    "code": "QUERY_TOO_DEEP",
                    "depth": shape.depth,
                    "maxDepth": limits.max_depth,
                },
            )


def _merged_pairs(
    selection_sets: list[SelectionSetNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    """Pairs of fields that share a response key, level by level, once fragments are expanded.
    Only called within the field limit, which bounds its work."""
    by_key: dict[str, list[FieldNode]] = {}
    for field in _expanded(selection_sets, fragments):
        key = field.alias.value if field.alias else field.name.value
        by_key.setdefault(key, []).append(field)
    pairs = 0
    for fields in by_key.values():
        pairs += len(fields) * (len(fields) - 1) // 2
        inner = [f.selection_set for f in fields if f.selection_set is not None]
        if inner:
            pairs += _merged_pairs(inner, fragments)
    return pairs


def _expanded(
    selection_sets: list[SelectionSetNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    """The fields of these selection sets, through fragments; a stack, not recursion, so that
    long chains of fragments cannot exhaust the interpreter's stack. A fragment inside itself,
    which validation refuses, is not expanded again."""
    found: list[FieldNode] = []
    stack: list[tuple[SelectionSetNode, frozenset[str]]] = [
        (s, frozenset()) for s in selection_sets
    ]
    while stack:
        selection_set, inside = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, inside))
            else:
                assert isinstance(selection, FragmentSpreadNode)
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in inside:
                    stack.append((fragment.selection_set, inside | {name}))
    return found


def _count_aliases(document: DocumentNode) -> int:
    def count(selection_set: SelectionSetNode | None) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode) and selection.alias is not None:
                total += 1
            total += count(getattr(selection, "selection_set", None))
        return total

    return sum(count(getattr(d, "selection_set", None)) for d in document.definitions)


def validation_rules(introspection: bool) -> list[type[ASTValidationRule]]:
    """Our rules on top of the specification's: the one list that ordinary execution and
    compiled plans both validate with, so a plan never runs what execution would refuse."""
    return [] if introspection else [NoSchemaIntrospectionCustomRule]


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
