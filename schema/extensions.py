from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, OperationDefinitionNode, parse
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError

from resolvers.context import Context
from schema.limits import operation_cost
from schema.pricing import Pricing


class CodeValidationErrors(SchemaExtension):
    """Give validation errors the `extensions.code` the contract promises (rules that know a
    more precise code set it themselves)."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or []:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            error.extensions = extensions


class LimitedParser(SchemaExtension):
    """Parse with a token limit, through a bounded per-process cache of documents."""

    def __init__(self, max_tokens: int, cache: dict[str, DocumentNode], cache_size: int) -> None:
        self.max_tokens = max_tokens
        self.cache = cache
        self.cache_size = cache_size

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        document = self.cache.get(query)
        if document is None:
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
            if len(self.cache) >= self.cache_size:
                self.cache.pop(next(iter(self.cache)))
            self.cache[query] = document
        operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
        # Strawberry would quietly run the first operation; the spec says the request is invalid.
        if operations > 1 and context._provided_operation_name is None:
            raise CannotGetOperationTypeError(None)
        context.graphql_document = document
        yield


class CostLimit(SchemaExtension):
    """Price the operation before it runs; refuse it if too costly or over the key's budget."""

    def __init__(self, pricing: Pricing) -> None:
        self.pricing = pricing

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.graphql_document is not None and isinstance(context, Context):
            context.cost = operation_cost(
                execution.schema._schema,
                execution.graphql_document,
                execution.operation_name,
                execution.variables,
            )
            if error := self.pricing.too_costly(context.cost):
                raise error
            if context.throttle is None:  # a compiled plan may have charged already
                context.throttle = await self.pricing.charge(context.viewer, context.cost)
            if context.throttle is not None and not context.throttle.allowed:
                raise self.pricing.refusal(context.throttle)
        yield

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if not isinstance(context, Context) or context.cost is None:
            return {}
        return self.pricing.report(context.cost, context.throttle)
