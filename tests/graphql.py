"""Running GraphQL for schema-level tests: the real schema and context, no HTTP.

Every query that a compiled plan can answer is answered both ways, and the test fails if the
two differ: the proof that plans and ordinary execution agree, for every query in the suite.
"""

import json
from typing import Any

from strawberry.types import ExecutionResult

from planner.compiler import Fallback
from planner.plans import Planner
from resolvers import global_ids
from resolvers.context import Context
from schema.build import AppSchema, build_schema
from services.database import Database
from services.viewer import Viewer
from settings import Settings

# No rate-limit buckets here: schema-level tests exercise rules, not budgets.
SCHEMA: AppSchema = build_schema()
PLANNER = Planner(SCHEMA._schema, Settings())


async def execute(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    context = Context(
        read_sessions=database.read_sessions,
        write_sessions=database.write_sessions,
        write_queue=database.write_queue,
        viewer=viewer,
        request_id="test",
    )
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    await _compare_with_plan(database, viewer, query, variables, result)
    return result


async def _compare_with_plan(
    database: Database,
    viewer: Viewer,
    query: str,
    variables: dict[str, Any] | None,
    result: ExecutionResult,
) -> None:
    plan = PLANNER.plan(query, None)
    if plan is None:
        return
    try:
        planned = await plan.run(database, viewer, variables or {})
    except Fallback:
        return
    assert result.errors is None, f"a plan answered where execution failed: {result.errors}"
    # Compared as text: key order and JSON types (true vs 1) must agree too.
    assert json.dumps(json.loads(planned)) == json.dumps(result.data), query


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
