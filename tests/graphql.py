"""Running GraphQL for schema-level tests: the real schema and context, no HTTP."""

from typing import Any

import strawberry
from strawberry.types import ExecutionResult

from resolvers import global_ids
from resolvers.context import Context
from schema.build import build_schema
from services.database import Database
from services.viewer import Viewer

# No rate-limit buckets here: schema-level tests exercise rules, not budgets.
SCHEMA: strawberry.Schema = build_schema()


async def execute(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    context = Context(
        read_sessions=database.read_sessions,
        write_sessions=database.write_sessions,
        viewer=viewer,
        request_id="test",
    )
    return await SCHEMA.execute(query, variable_values=variables, context_value=context)


async def data(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The result's data, failing the test on any error."""
    result = await execute(database, viewer, query, variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def gid(type_name: str, pk: int) -> str:
    return global_ids.encode(type_name, pk)
