"""Plans per document, compiled once and cached; run as one statement per request."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    parse,
    specified_rules,
    validate,
)
from sqlalchemy import Select

from planner.compiler import Compiler
from planner.sql import Json
from planner.tree import NotCompilable, Selected, analyse
from schema.limits import alias_limit, depth_limit
from services.database import Database
from services.viewer import Viewer
from settings import Settings

CACHE_SIZE = 512


@dataclass(frozen=True)
class Plan:
    document: DocumentNode
    fields: list[Selected]

    def statement(
        self, dialect: str, viewer: Viewer, variables: Mapping[str, Any]
    ) -> Select[tuple[Any]]:
        """Raises compiler.Fallback when these arguments need ordinary execution."""
        return Compiler(Json(dialect), viewer, variables).query(self.fields)

    @staticmethod
    async def fetch(database: Database, statement: Select[tuple[Any]]) -> str:
        """The `data` object as JSON text, in one round trip."""
        async with database.engine.connect() as connection:
            data: str = (await connection.execute(statement)).scalar_one()
        return data

    async def run(self, database: Database, viewer: Viewer, variables: Mapping[str, Any]) -> str:
        statement = self.statement(database.engine.dialect.name, viewer, variables)
        return await self.fetch(database, statement)


class Planner:
    def __init__(self, schema: GraphQLSchema, settings: Settings) -> None:
        self.schema = schema
        self.max_tokens = settings.max_tokens
        # The rules ordinary execution validates with: a plan never runs what it would refuse.
        self.rules = [
            *specified_rules,
            depth_limit(settings.max_depth),
            alias_limit(settings.max_aliases),
        ]
        if not settings.introspection:
            self.rules.append(NoSchemaIntrospectionCustomRule)
        self.cache: dict[tuple[str, str | None], Plan | None] = {}

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        if key not in self.cache:
            if len(self.cache) >= CACHE_SIZE:
                self.cache.pop(next(iter(self.cache)))
            self.cache[key] = self._compile(query, operation_name)
        return self.cache[key]

    def _compile(self, query: str, operation_name: str | None) -> Plan | None:
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError:
            return None
        if validate(self.schema, document, self.rules):
            return None
        try:
            return Plan(document, analyse(document, operation_name))
        except NotCompilable:
            return None
