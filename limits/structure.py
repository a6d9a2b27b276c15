"""Limits on a document's shape, each refused with its own code, checked before validation.

Introspection fields (`__schema`, `__type`, ...) do not count towards depth: GraphiQL's own
introspection query nests deeper than any sane limit. They count towards everything else.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
)

from limits.fragments import expanded, summarise_fragments


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
    for field in expanded(selection_sets, fragments):
        key = field.alias.value if field.alias else field.name.value
        by_key.setdefault(key, []).append(field)
    pairs = 0
    for fields in by_key.values():
        pairs += len(fields) * (len(fields) - 1) // 2
        inner = [f.selection_set for f in fields if f.selection_set is not None]
        if inner:
            pairs += _merged_pairs(inner, fragments)
    return pairs


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
