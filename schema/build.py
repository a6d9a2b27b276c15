"""The executable schema: root types plus the extensions every request runs through."""

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.language import DocumentNode
from strawberry.extensions import AddValidationRules, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.extensions import CodeValidationErrors, CostLimit, LimitedParser
from schema.limits import validation_rules
from schema.mutation import Mutation
from schema.pricing import Pricing
from schema.query import Query
from services.rate_limits import Budget
from settings import Settings

# Bounded, so that a stream of distinct hostile documents cannot grow memory without limit.
DOCUMENT_CACHE_SIZE = 512


class AppSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """The HTTP edge logs errors once, with the request id; nothing to log here."""


def build_schema(settings: Settings | None = None, pricing: Pricing | None = None) -> AppSchema:
    """Without `pricing` (rate-limit buckets) only the per-request limits apply."""
    config = settings or Settings()
    documents: dict[str, DocumentNode] = {}
    budget = Budget(config.rate_limit_capacity, config.rate_limit_refill_per_second)
    prices = pricing or Pricing(config.max_query_cost, None, budget)
    rules = validation_rules(config.max_depth, config.max_aliases, config.introspection)
    extensions: list[Any] = [
        lambda: LimitedParser(config.max_tokens, documents, DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: AddValidationRules(rules),
        CodeValidationErrors,
        lambda: CostLimit(prices),
    ]
    return AppSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        # Suggestions would reveal field names that introspection hides.
        config=StrawberryConfig(disable_field_suggestions=not config.introspection),
    )
