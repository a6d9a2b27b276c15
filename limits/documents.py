"""Documents as the process has accepted them: parsed under the token limit, within the
document limits, valid. One cache serves ordinary execution and compiled plans, bounded by the
memory its entries hold; a document any limit or rule refuses is never kept.
"""

import gc
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)

from limits.structure import DocumentLimits, check_document

# A parsed document holds about 110 to 140 bytes per character of its text (measured with
# tracemalloc on graphql-core 3.3); its size is estimated from its text, conservatively.
BYTES_PER_CHARACTER = 150
MAX_VALIDATION_ERRORS = 50  # more would tell a client nothing, and cost the server


@dataclass
class Entry:
    """An accepted document, with what was derived from it, dropped with it."""

    document: DocumentNode
    size: int
    # By operation name: the operation (None: the name names none), and its compiled plan
    # (planner/answer.py; None: it has none).
    operations: dict[str | None, OperationDefinitionNode | None] = field(default_factory=dict)
    plans: dict[str | None, Any] = field(default_factory=dict)
    # The variables a price reads, and by operation name and their values: the price.
    cost_variables: tuple[str, ...] | None = None
    costs: dict[tuple[str | None, str], int] = field(default_factory=dict)


class Documents:
    def __init__(
        self,
        schema: GraphQLSchema,
        max_bytes_per_document: int,
        max_tokens: int,
        limits: DocumentLimits,
        rules: list[type[ASTValidationRule]],
        max_bytes: int,
        hide_suggestions: bool = False,
    ) -> None:
        self.schema = schema
        self.max_bytes_per_document = max_bytes_per_document
        self.max_tokens = max_tokens
        self.limits = limits
        self.rules = [*specified_rules, *rules]
        self.max_bytes = max_bytes
        # "Did you mean" would reveal field names that a schema without introspection hides.
        self.hide_suggestions = hide_suggestions
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0

    def cached(self, query: str) -> Entry | None:
        entry = self.entries.get(query)
        if entry is not None:
            self.entries.move_to_end(query)
        return entry

    def parse(self, query: str) -> DocumentNode:
        """Raises the GraphQLError of a syntax error or of the first limit the text breaks."""
        # Checked first: even comments, which are not tokens, cost the lexer time by the byte.
        if len(query) > self.max_bytes_per_document:
            raise GraphQLError(
                f"the document is longer than {self.max_bytes_per_document} characters",
                extensions={"code": "DOCUMENT_TOO_LARGE"},
            )
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLSyntaxError as error:
            # graphql-core tells a token overflow from other syntax errors only by message.
            if error.message.startswith("Syntax Error: Document contains more than"):
                raise GraphQLError(
                    f"the document has more than {self.max_tokens} tokens",
                    extensions={"code": "TOO_MANY_TOKENS"},
                ) from None
            raise
        _unlink_tokens(document)
        check_document(document, self.limits)
        return document

    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        """The specification's rules and ours; every error with the contract's code."""
        errors = validate(
            self.schema,
            document,
            self.rules,
            max_errors=MAX_VALIDATION_ERRORS,
            hide_suggestions=self.hide_suggestions,
        )
        for error in errors:
            error.extensions = {"code": "GRAPHQL_VALIDATION_FAILED", **(error.extensions or {})}
        return errors

    def remember(self, query: str, document: DocumentNode) -> Entry:
        entry = Entry(document, len(query) * BYTES_PER_CHARACTER)
        previous = self.entries.pop(query, None)
        if previous is not None:
            self.size -= previous.size
        self.entries[query] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, oldest = self.entries.popitem(last=False)
            self.size -= oldest.size
        return entry

    def accepted(self, query: str) -> Entry | list[GraphQLError]:
        """The accepted document, or why it is refused: a syntax error, the first limit it
        breaks, or its validation errors."""
        entry = self.cached(query)
        if entry is not None:
            return entry
        with _young_garbage():
            try:
                document = self.parse(query)
            except GraphQLError as error:
                # Without its traceback: the frames would keep the text (up to the body's
                # size) alive in a cycle until an older generation's collection.
                return [error.with_traceback(None)]
            errors = self.validate(document)
        return errors or self.remember(query, document)


@contextmanager
def _young_garbage() -> Iterator[None]:
    """graphql-core's validation leaves thousands of objects in reference cycles (its overlap
    rule's comparisons). Collected while validation still held them, they were promoted to
    older generations, and freeing them took full collections that paused the process for
    tens of milliseconds. Without collections meanwhile, one young collection frees them all
    as soon as the document is analysed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def _unlink_tokens(document: DocumentNode) -> None:
    """graphql-core keeps a document's tokens as a doubly linked list: a cycle, which only the
    cyclic collector frees, and whose collections paused the process for tens of milliseconds
    under many distinct documents. Unlinked, the tokens go with their document (a node's
    location keeps its offsets, which error locations use)."""
    token = document.loc.start_token if document.loc else None
    while token is not None:
        following = token.next
        token.prev = token.next = None
        token = following


def operation(entry: Entry, name: str | None) -> OperationDefinitionNode | None:
    """The operation the name chooses (or the only one), remembered with the document."""
    if name not in entry.operations:
        entry.operations[name] = get_operation_ast(entry.document, name)
    return entry.operations[name]
