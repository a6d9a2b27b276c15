from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError
from strawberry.types.graphql import OperationType

from limits.cost import Pricer
from limits.documents import Documents
from limits.pricing import Pricing
from resolvers.arguments import check_connection
from resolvers.context import Context
from services.errors import DomainError


class CodeValidationErrors(SchemaExtension):
    """Give validation errors the `extensions.code` the contract promises (rules that know a
    more precise code set it themselves)."""

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or []:
            extensions = dict(error.extensions or {})
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED")
            error.extensions = extensions


class PreparedDocuments(SchemaExtension):
    """Parse and validate through the process's cache of accepted documents (schema/documents)."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.accepted = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query or ""
        entry = self.documents.cached(query)
        self.accepted = entry is not None
        document = entry.document if entry is not None else self.documents.parse(query)
        operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
        # Strawberry would quietly run the first operation; the spec says the request is invalid.
        if operations > 1 and context._provided_operation_name is None:
            raise CannotGetOperationTypeError(None)
        context.graphql_document = document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            # Set here, so that Strawberry's own validation does not run a second time.
            context.pre_execution_errors = (
                [] if self.accepted else self.documents.validate(document)
            )
        yield
        if document is not None and not self.accepted and not context.pre_execution_errors:
            self.documents.remember(context.query or "", document)


class CostLimit(SchemaExtension):
    """Price the operation before it runs; refuse it if too costly or over the key's budget."""

    def __init__(self, pricing: Pricing, pricer: Pricer) -> None:
        self.pricing = pricing
        self.pricer = pricer

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.graphql_document is not None and isinstance(context, Context):
            # A mutation's whole selection is checked before it runs: an argument refused
            # after the commit would make the client retry a change that stands.
            mutation = execution.operation_type == OperationType.MUTATION
            try:
                context.cost = self.pricer.cost(
                    execution.graphql_document,
                    execution.operation_name,
                    execution.variables,
                    check_connection if mutation else None,
                )
            except DomainError as refused:
                raise GraphQLError(refused.message, extensions={"code": refused.code}) from None
            if too_costly := self.pricing.too_costly(context.cost):
                raise too_costly
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
