"""The executable schema: root types plus the extensions every request runs through."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from limits.budgets import Budget
from limits.cost import Pricer
from limits.documents import Documents
from limits.pricing import Pricing
from limits.structure import DocumentLimits, validation_rules
from schema.extensions import CodeValidationErrors, CostLimit, PreparedDocuments
from schema.mutation import Mutation
from schema.query import Query
from settings import Settings


class AppSchema(strawberry.Schema):
    """The schema with the per-process state its extensions share: the accepted documents and
    the pricer, both derived from the GraphQL schema."""

    documents: Documents
    pricer: Pricer

    def __init__(self, settings: Settings, pricing: Pricing) -> None:
        extensions: list[Any] = [
            lambda: PreparedDocuments(self.documents),
            CodeValidationErrors,
            lambda: CostLimit(pricing, self.pricer),
        ]
        super().__init__(
            query=Query,
            mutation=Mutation,
            extensions=extensions,
            # Suggestions would reveal field names that introspection hides.
            config=StrawberryConfig(disable_field_suggestions=not settings.introspection),
        )
        limits = DocumentLimits(settings.max_depth, settings.max_aliases, settings.max_fields)
        self.documents = Documents(
            self._schema,
            settings.max_document_bytes,
            settings.max_tokens,
            limits,
            validation_rules(settings.introspection),
            settings.document_cache_bytes,
        )
        self.pricer = Pricer(self._schema)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """The HTTP edge logs errors once, with the request id; nothing to log here."""


def build_schema(settings: Settings | None = None, pricing: Pricing | None = None) -> AppSchema:
    """Without `pricing` (rate-limit buckets) only the per-request limits apply."""
    config = settings or Settings()
    budget = Budget(config.rate_limit_capacity, config.rate_limit_refill_per_second)
    return AppSchema(config, pricing or Pricing(config.max_query_cost, None, budget))
