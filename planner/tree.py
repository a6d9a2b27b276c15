"""Which documents a plan can answer: a subset of the schema, checked field by field."""

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)

from planner.fields import FIELDS, NODE_TYPES, Object, Scalar

ROOTS = {OperationType.QUERY: "Query", OperationType.MUTATION: "Mutation"}
# Building a plan's statement costs about a millisecond a field: larger documents, which are
# not the hot paths a plan is for, run ordinarily instead of blocking the process to compile.
MAX_FIELDS = 20


@dataclass(frozen=True)
class Arg:
    """An argument's value: a literal, or a variable (with the variable's default)."""

    literal: Any = None  # an input object's is a dict of field name -> Arg
    variable: str | None = None


@dataclass
class Selected:
    key: str  # the response key: the alias, or the field name
    name: str
    args: dict[str, Arg] = field(default_factory=dict)
    children: list["Selected"] = field(default_factory=list)
    # node(id:) only: the selection for each concrete type it may resolve to
    by_type: dict[str, list["Selected"]] = field(default_factory=dict)


class NotCompilable(Exception):
    """Outside the subset: ordinary execution answers this document."""


@dataclass(frozen=True)
class Analysed:
    root: str  # "Query" or "Mutation"
    fields: list[Selected]


def analyse(document: DocumentNode, operation_name: str | None) -> Analysed:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(document.definitions) != len(operations):
        raise NotCompilable("fragments")
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    if len(chosen) != 1 or chosen[0].operation not in ROOTS or chosen[0].directives:
        raise NotCompilable("operation")
    root = ROOTS[chosen[0].operation]
    fields = _selection(root, chosen[0].selection_set)
    if root == "Mutation" and len(fields) != 1:
        raise NotCompilable("more than one mutation")  # they run one after another
    if _size(fields) > MAX_FIELDS:
        raise NotCompilable("too large to be worth compiling")
    return Analysed(root, fields)


def _size(fields: list[Selected]) -> int:
    return sum(1 + _size(s.children) + sum(_size(f) for f in s.by_type.values()) for s in fields)


def _selection(type_name: str, selection_set: SelectionSetNode | None) -> list[Selected]:
    if selection_set is None:
        raise NotCompilable("no selection")
    found: list[Selected] = []
    for node in selection_set.selections:
        if not isinstance(node, FieldNode) or node.directives:
            raise NotCompilable("fragment or directive")
        found.append(_field(type_name, node))
    keys = [s.key for s in found]
    if len(keys) != len(set(keys)):
        raise NotCompilable("repeated response key")  # merging is graphql-core's business
    return found


def _field(type_name: str, node: FieldNode) -> Selected:
    """A field as FIELDS allows it: a known field, the arguments a plan reads, a selection
    exactly where the field is an object."""
    name = node.name.value
    selected = Selected(key=node.alias.value if node.alias else name, name=name)
    spec = FIELDS.get(type_name, {}).get(name)
    if name == "__typename" and not node.arguments and node.selection_set is None:
        return selected
    if spec is None:
        raise NotCompilable(f"{type_name}.{name}")
    allowed = spec.arguments if isinstance(spec, Object) else frozenset()
    for argument in node.arguments or ():
        if argument.name.value not in allowed:
            raise NotCompilable(f"argument {argument.name.value}")
        selected.args[argument.name.value] = _value(argument.value)
    if isinstance(spec, Scalar):
        if node.selection_set is not None:
            raise NotCompilable(f"{type_name}.{name} has no fields")
    elif spec.type == "Node":
        selected.by_type = _node_selection(node.selection_set)
    else:
        selected.children = _selection(spec.type, node.selection_set)
    return selected


def _node_selection(selection_set: SelectionSetNode | None) -> dict[str, list[Selected]]:
    """Fields on the interface go to every type, inline fragments to theirs, in document order."""
    by_type: dict[str, list[Selected]] = {t: [] for t in NODE_TYPES}
    for node in selection_set.selections if selection_set else ():
        if isinstance(node, FieldNode) and node.name.value in ("id", "__typename"):
            if node.directives or node.arguments or node.selection_set:
                raise NotCompilable("node field")
            for fields in by_type.values():
                fields.append(_field("Customer", node))
        elif isinstance(node, InlineFragmentNode) and not node.directives and node.type_condition:
            condition = node.type_condition.name.value
            if condition not in by_type:
                raise NotCompilable(f"fragment on {condition}")
            by_type[condition].extend(_selection(condition, node.selection_set))
        else:
            raise NotCompilable("node selection")
    for fields in by_type.values():
        keys = [s.key for s in fields]
        if len(keys) != len(set(keys)):
            raise NotCompilable("repeated response key")
    return by_type


def _value(node: ValueNode) -> Arg:
    if isinstance(node, VariableNode):
        return Arg(variable=node.name.value)
    if isinstance(node, IntValueNode):
        return Arg(literal=int(node.value))
    if isinstance(node, StringValueNode | EnumValueNode):
        return Arg(literal=node.value)
    if isinstance(node, BooleanValueNode):
        return Arg(literal=node.value)
    if isinstance(node, NullValueNode):
        return Arg(literal=None)
    if isinstance(node, ObjectValueNode):
        return Arg(literal={f.name.value: _value(f.value) for f in node.fields})
    if isinstance(node, ListValueNode) and all(
        isinstance(v, EnumValueNode | StringValueNode) for v in node.values
    ):
        return Arg(literal=[v.value for v in node.values])  # type: ignore[attr-defined]
    raise NotCompilable("argument value")
