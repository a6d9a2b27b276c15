"""The compiled path's one entry point: `Planner.answer`, the `data` JSON of a request or None.

For the documents planner/fields.py covers, a plan is compiled once per document (kept with
the accepted document, limits/documents.py) and answers with one statement whose JSON the
database writes. None means "not mine": ordinary execution answers, and words every refusal,
so that errors have one source. Pricing and charging happen before, at the edge, for both
paths alike.
"""

import logging
import sqlite3
from collections.abc import Coroutine, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Executable
from sqlalchemy.exc import SQLAlchemyError

from infra.database import Database
from infra.internals import on_sqlite_thread
from infra.statements import DriverStatement, StatementFailed, driver_statement
from infra.transactions import is_retryable, is_transient
from limits.documents import Entry
from planner.compiler import Fallback
from planner.plans import Parameters, Plan, Statement, compile_plan
from planner.tree import NotCompilable, analyse
from services.viewer import Viewer

log = logging.getLogger("csp.errors")
T = TypeVar("T")


@dataclass(slots=True)  # not frozen: built on every request, and frozen costs 5x to build
class PlanRequest:
    document: Entry  # accepted
    operation_name: str | None
    variables: Mapping[str, Any]
    viewer: Viewer
    # False: the viewer is the one a remembered key stands for, to be confirmed in the
    # plan's own statement (api_keys.still_usable), which saves authentication a round trip.
    key_proven: bool
    method: str


class KeyNoLongerUsable(Exception):
    """The remembered key was revoked or expired: the edge authenticates, and refuses."""


def plan_of(entry: Entry, operation_name: str | None) -> Plan | None:
    """The document's plan for the operation, compiled once and kept with the accepted
    document; None if it has none."""
    if operation_name not in entry.plans:
        try:
            analysed = analyse(entry.document, operation_name)
            entry.plans[operation_name] = compile_plan(analysed.fields, analysed.root)
        except NotCompilable:
            entry.plans[operation_name] = None
    plan: Plan | None = entry.plans[operation_name]
    return plan


class Planner:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.dialect = database.engine.dialect.name

    async def answer(self, request: PlanRequest) -> str | None:
        """The `data` object as JSON text, or None: ordinary execution answers. Raises
        KeyNoLongerUsable, or what the database raised if a mutation may have been applied
        or the failure was a timeout (the edge answers 503 TIMEOUT)."""
        plan = plan_of(request.document, request.operation_name)
        if plan is None or (plan.mutation and request.method != "POST"):
            return None
        try:
            if plan.mutation and self.dialect == "sqlite":
                changed = await self._change_in_steps(plan, request)
                if changed is not None:
                    self.database.wakeups.committed()
                return changed
            statement, parameters = plan.statement(
                self.dialect, request.viewer, request.variables, not request.key_proven
            )
        except Fallback:
            return None
        try:
            row = await self.fetch(plan, statement, parameters)
        except (SQLAlchemyError, StatementFailed) as error:
            if plan.mutation and is_retryable(error):
                return None  # lost a race and applied nothing: ordinary execution retries
            if plan.mutation or is_transient(error):
                raise
            log.exception("compiled plan failed; answering by ordinary execution")
            return None
        if row is None:
            return None  # a mutation that changed nothing: ordinary execution says why
        data, key_usable = row
        if not key_usable:
            raise KeyNoLongerUsable
        if plan.mutation:
            self.database.wakeups.committed()
        return data

    async def fetch(
        self, plan: Plan, statement: Statement, parameters: Parameters
    ) -> tuple[str, bool] | None:
        """The statement's one row, in one round trip: through asyncpg directly where it can
        run there (infra/statements.py), else through SQLAlchemy."""
        pool = self.database.statement_pool
        driver = self._rendered(plan, statement) if pool is not None else None
        if pool is not None and driver is not None:
            row = await pool.fetchrow(driver.sql, driver.arguments(parameters))
        else:
            async with self.database.single_statements.connect() as connection:
                row = (await connection.execute(statement, parameters)).one_or_none()
        return None if row is None else (str(row[0]), bool(row[1]))

    async def run(self, plan: Plan, viewer: Viewer, variables: Mapping[str, Any]) -> str:
        """A query plan's answer, its key taken as proven (tests compare it with execution)."""
        statement, parameters = plan.statement(self.dialect, viewer, variables)
        row = await self.fetch(plan, statement, parameters)
        assert row is not None, "a query always returns its row"
        return row[0]

    def _rendered(self, plan: Plan, statement: Executable) -> DriverStatement | None:
        key = id(statement)  # statements stay in plan.built while their entry is here
        if key not in plan.rendered:
            plan.rendered[key] = driver_statement(statement, self.database.engine.dialect)
        return plan.rendered[key]

    async def _change_in_steps(self, plan: Plan, request: PlanRequest) -> str | None:
        """SQLite: the service's changing steps and the answer's JSON, in one write
        transaction, rendered once per shape and run on the driver's thread in one hop. No
        graphql-core, no ORM."""
        steps, parameters = plan.steps(request.viewer, request.variables, not request.key_proven)
        rendered = {id(s): self._rendered(plan, s) for s in (*steps.change.all(), steps.answer)}

        def transaction(connection: sqlite3.Connection) -> str | None:
            async def run(
                statement: Executable, values: dict[str, Any]
            ) -> Sequence[Mapping[str, Any]]:
                driver = rendered[id(statement)]
                assert driver is not None, "SQLite's steps bind no lists"
                cursor = connection.execute(driver.sql, driver.arguments(values))
                names = [column[0] for column in cursor.description or ()]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

            connection.execute("BEGIN IMMEDIATE")
            try:
                applied = finished(steps.change.run(run, parameters))
                answer = (
                    None
                    if applied is None
                    else finished(run(steps.answer, {"changed_id": applied[0]["id"]}))
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            if answer is None:
                # Nothing changed: ordinary execution says why (or, for a key no longer
                # usable, authentication refuses it).
                connection.execute("ROLLBACK")
                return None
            connection.execute("COMMIT")
            return str(next(iter(answer[0].values())))

        database = self.database
        async with database.write_queue or nullcontext(), database.engine.connect() as connection:
            return await on_sqlite_thread(connection, transaction)


def finished(step: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that never suspends (its statements run synchronously, on the
    driver's own thread): the service's steps are written once, for both ways of running."""
    try:
        step.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    step.close()
    raise AssertionError("a step suspended on the driver's thread")
