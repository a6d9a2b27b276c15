"""The executable schema: root types plus the extensions every request runs through."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from infra.internals import graphql_schema
from limits.cost import Pricer
from limits.documents import Documents
from limits.structure import DocumentLimits, validation_rules
from schema.extensions import PreparedDocuments
from schema.mutation import Mutation
from schema.query import Query
from schema.streams import Subscription
from settings import Settings


class AppSchema(strawberry.Schema):
    """The schema, with what is derived from it once per process: the accepted documents
    (limits/documents.py) and the pricer (limits/cost.py)."""

    documents: Documents
    pricer: Pricer

    def __init__(self, settings: Settings) -> None:
        extensions: list[Any] = [lambda: PreparedDocuments(self.documents)]
        super().__init__(
            query=Query,
            mutation=Mutation,
            subscription=Subscription,
            extensions=extensions,
            # Suggestions would reveal field names that introspection hides.
            config=StrawberryConfig(disable_field_suggestions=not settings.introspection),
        )
        limits = DocumentLimits(settings.max_depth, settings.max_aliases, settings.max_fields)
        graphql = graphql_schema(self)
        self.documents = Documents(
            graphql,
            settings.max_document_bytes,
            settings.max_tokens,
            limits,
            validation_rules(settings.introspection),
            settings.document_cache_bytes,
            hide_suggestions=not settings.introspection,
        )
        self.pricer = Pricer(graphql)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """The HTTP edge logs errors once, with the request id; nothing to log here."""


def build_schema(settings: Settings | None = None) -> AppSchema:
    return AppSchema(settings or Settings())
