"""Documents as the process has accepted them: parsed under the token limit, within the
document limits, valid. One cache serves ordinary execution and compiled plans, bounded by the
memory its entries hold; a document any limit or rule refuses is never kept.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    parse,
    specified_rules,
    validate,
)

from limits.structure import DocumentLimits, check_document

# A parsed document holds about 110 to 140 bytes per character of its text (measured with
# tracemalloc on graphql-core 3.3); its size is estimated from its text, conservatively.
BYTES_PER_CHARACTER = 150


@dataclass
class Entry:
    document: DocumentNode
    size: int
    # What other layers derived from the document (compiled plans), dropped with it.
    derived: dict[Any, Any] = field(default_factory=dict)


class Documents:
    def __init__(
        self,
        schema: GraphQLSchema,
        max_bytes_per_document: int,
        max_tokens: int,
        limits: DocumentLimits,
        rules: list[type[ASTValidationRule]],
        max_bytes: int,
    ) -> None:
        self.schema = schema
        self.max_bytes_per_document = max_bytes_per_document
        self.max_tokens = max_tokens
        self.limits = limits
        self.rules = [*specified_rules, *rules]
        self.max_bytes = max_bytes
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
        check_document(document, self.limits)
        return document

    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        return validate(self.schema, document, self.rules)

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

    def prepared(self, query: str) -> Entry | None:
        """The accepted document, or None if anything refuses it (ordinary execution then
        refuses it again, in the contract's words)."""
        entry = self.cached(query)
        if entry is not None:
            return entry
        try:
            document = self.parse(query)
        except GraphQLError:
            return None
        if self.validate(document):
            return None
        return self.remember(query, document)
