"""The executable schema: root types plus the extensions every request runs through."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.extensions import CodeValidationErrors
from schema.mutation import Mutation
from schema.query import Query

# Bounded, so that a stream of distinct hostile documents cannot grow memory without limit.
DOCUMENT_CACHE_SIZE = 512


class AppSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """The HTTP edge logs errors once, with the request id; nothing to log here."""


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Any] = [
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        CodeValidationErrors,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return AppSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        # Suggestions would reveal field names that introspection hides.
        config=StrawberryConfig(disable_field_suggestions=not introspection),
    )
