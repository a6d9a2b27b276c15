"""Running GraphQL for schema-level tests: the real schema and context, no HTTP.

Every query that a compiled plan can answer is answered both ways, and the test fails if the
two differ: the proof that plans and ordinary execution agree, for every query in the suite.
A compiled mutation runs first in a transaction that is rolled back, then ordinary execution
runs: both must make the same change with the same answer, or both must decline.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.types import ExecutionResult

from infra.database import Database
from limits.documents import Entry
from models import Activity, Subscription, global_ids
from planner.answer import Planner, plan_of
from planner.compiler import Fallback
from planner.plans import Plan
from resolvers.context import Context
from schema.build import AppSchema, build_schema
from services.viewer import Viewer

# No rate-limit buckets here: schema-level tests exercise rules, not budgets.
SCHEMA: AppSchema = build_schema()


def plan(query: str) -> Plan | None:
    entry = SCHEMA.documents.accepted(query)
    return plan_of(entry, None) if isinstance(entry, Entry) else None


async def execute(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    context = Context(
        database=database,
        viewer=viewer,
        request_id="test",
    )
    compiled = await _compiled_mutation(database, viewer, query, variables)
    result = await SCHEMA.execute(query, variable_values=variables, context_value=context)
    if compiled is not None:
        await _compare_mutations(database, compiled, result)
    else:
        await _compare_with_plan(database, viewer, query, variables, result)
    return result


@dataclass(frozen=True)
class CompiledMutation:
    subscription_id: int
    answer: Any  # the data, or None: it changed nothing
    state: Any  # the subscription and its newest activity record afterwards


async def _compiled_mutation(
    database: Database, viewer: Viewer, query: str, variables: dict[str, Any] | None
) -> CompiledMutation | None:
    compiled = plan(query)
    if compiled is None or not compiled.mutation:
        return None
    try:
        statement, parameters = compiled.statement(
            database.engine.dialect.name, viewer, variables or {}
        )
    except Fallback:
        return None
    pk = parameters["change_id"]
    async with database.engine.connect() as connection:
        transaction = await connection.begin()
        row = (await connection.execute(statement, parameters)).one_or_none()
        state = await _change_state(connection, pk)
        await transaction.rollback()
    return CompiledMutation(pk, None if row is None else json.loads(row[0]), state)


async def _change_state(connection: AsyncConnection, pk: int) -> Any:
    subscription = (
        await connection.execute(
            select(Subscription.quantity, Subscription.version, Subscription.status).where(
                Subscription.id == pk
            )
        )
    ).one_or_none()
    newest = (
        await connection.execute(
            select(
                Activity.operation,
                Activity.version,
                Activity.before,
                Activity.after,
                Activity.principal_id,
                Activity.customer_id,
            )
            .where(Activity.subscription_id == pk)
            .order_by(Activity.id.desc())
            .limit(1)
        )
    ).one_or_none()
    return (None if subscription is None else tuple(subscription)), (
        None if newest is None else tuple(newest)
    )


async def _compare_mutations(
    database: Database, compiled: CompiledMutation, result: ExecutionResult
) -> None:
    payloads = [v for v in (result.data or {}).values() if isinstance(v, dict)]
    changed = result.errors is None and all(not p.get("userErrors") for p in payloads)
    if compiled.answer is None:
        assert not changed, "a compiled mutation declined what execution did"
        return
    assert changed, f"a compiled mutation changed what execution refused: {result}"
    assert json.dumps(compiled.answer) == json.dumps(result.data)
    async with database.engine.connect() as connection:
        assert await _change_state(connection, compiled.subscription_id) == compiled.state


async def _compare_with_plan(
    database: Database,
    viewer: Viewer,
    query: str,
    variables: dict[str, Any] | None,
    result: ExecutionResult,
) -> None:
    compiled = plan(query)
    if compiled is None:
        return
    try:
        planned = await Planner(database).run(compiled, viewer, variables or {})
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
