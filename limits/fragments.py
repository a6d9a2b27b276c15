"""Walks over a document that are linear in its size, whatever its fragments do.

Fragments are summarised once each, in an order where every fragment comes after the fragments
it spreads, and a spread reuses the summary: expanding a fragment again at every use made a
727-byte document cost seconds. No walk recurses over spreads, so that a chain of hundreds of
fragments cannot exhaust the interpreter's stack.
"""

from collections.abc import Callable, Mapping
from typing import TypeVar

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

T = TypeVar("T")


def fragment_order(document: DocumentNode) -> list[FragmentDefinitionNode]:
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
    for fragment in fragment_order(document):
        summaries[fragment.name.value] = summarise(fragment, summaries)
    return summaries


def expanded(
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
