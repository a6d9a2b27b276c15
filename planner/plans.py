"""Plans per document, compiled once and cached; run as one statement per request."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode
from sqlalchemy import Select, true

from infra.database import Database
from infra.statements import DriverStatement, driver_statement
from limits.cost import Pricer, cost_variables
from limits.documents import Documents
from models.base import utcnow
from planner.compiler import Compiler, Fallback, node_parameter, node_target
from planner.mutations import MutationCompiler, quantity_change
from planner.sql import Json
from planner.tree import NotCompilable, Selected, analyse
from services import api_keys
from services.viewer import Viewer

STATEMENTS_PER_PLAN = 64


Statement = Select[Any, Any]  # the data JSON, whether the key is usable
Parameters = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    document: DocumentNode
    fields: list[Selected]
    root: str = "Query"  # or "Mutation": changeQuantity alone (planner/mutations.py)
    # The variables its cost depends on, and the costs computed so far by their values.
    cost_variables: tuple[str, ...] = ()
    costs: dict[Any, int] = field(default_factory=dict, compare=False)
    # Built statements by request shape: building one costs more than running it.
    built: dict[str, Statement] = field(default_factory=dict, compare=False)
    # The same statements as asyncpg runs them, by id(statement) (services/statements.py).
    rendered: dict[int, DriverStatement | None] = field(default_factory=dict, compare=False)

    @property
    def mutation(self) -> bool:
        return self.root == "Mutation"

    def cost(self, pricer: Pricer, operation_name: str | None, variables: Mapping[str, Any]) -> int:
        """The operation's price, remembered: most plans' price reads no variable at all."""
        key = ""
        if self.cost_variables:
            key = json.dumps([variables.get(name) for name in self.cost_variables], default=str)
        cost = self.costs.get(key)
        if cost is None:
            cost = pricer.cost(self.document, operation_name, variables)
            if len(self.costs) >= STATEMENTS_PER_PLAN:
                self.costs.pop(next(iter(self.costs)))
            self.costs[key] = cost
        return cost

    def statement(
        self, dialect: str, viewer: Viewer, variables: Mapping[str, Any], check_key: bool = False
    ) -> tuple[Statement, Parameters]:
        """A statement of two columns: the `data` JSON, and whether the viewer's API key is
        still usable (always true unless check_key; a mutation checks it in its WHERE instead
        and returns no row). Raises compiler.Fallback when these arguments need ordinary
        execution."""
        if self.mutation:
            return self._mutation(dialect, viewer, variables, check_key)
        nodes = {s.key: (s, node_target(s, variables)) for s in self.fields if s.name == "node"}
        parameters: Parameters = {
            node_parameter(s): t[1] for s, t in nodes.values() if t is not None
        }
        if check_key:
            parameters.update(api_keys.still_usable_parameters(viewer))
        node_ids = {s.args["id"].variable for s, _ in nodes.values() if "id" in s.args}
        shape = [
            dialect,
            check_key,
            viewer.partner_id,
            viewer.customer_id,
            # Node ids count by their type only: the key itself is a bind parameter.
            sorted((k, v) for k, v in variables.items() if k not in node_ids),
            sorted((k, None if t is None else t[0]) for k, (_, t) in nodes.items()),
        ]

        def build() -> Statement:
            data = Compiler(Json(dialect), viewer, variables).query(self.fields)
            return data.add_columns(api_keys.still_usable() if check_key else true())

        return self._built(shape, build), parameters

    def _mutation(
        self, dialect: str, viewer: Viewer, variables: Mapping[str, Any], check_key: bool
    ) -> tuple[Statement, Parameters]:
        if dialect != "postgresql":
            raise Fallback("SQLite has no UPDATE inside WITH: ordinary execution changes it")
        selected = self.fields[0]
        change = quantity_change(selected, variables)
        parameters: Parameters = {
            **change.parameters(),
            "change_principal_id": viewer.principal_id,
            "change_now": utcnow(),
        }
        if check_key:
            parameters.update(api_keys.still_usable_parameters(viewer))
        with_version = change.expected_version is not None
        # Every value of the input is a bind parameter; the viewer decides the rules' shape.
        shape = [dialect, check_key, viewer.role, viewer.partner_id, viewer.customer_id]
        shape.append(with_version)

        def build() -> Statement:
            compiler = MutationCompiler(Json(dialect), viewer, variables)
            return compiler.change_quantity(selected, with_version, check_key)

        return self._built(shape, build), parameters

    def _built(self, shape: list[Any], build: Callable[[], Statement]) -> Statement:
        key = json.dumps(shape, default=str)
        statement = self.built.get(key)
        if statement is None:
            statement = build()
            if len(self.built) >= STATEMENTS_PER_PLAN:
                self.rendered.pop(id(self.built.pop(next(iter(self.built)))), None)
            self.built[key] = statement
        return statement

    async def fetch(
        self, database: Database, statement: Statement, parameters: Parameters
    ) -> tuple[str, bool] | None:
        """The `data` object as JSON text and whether the key is usable, in one round trip;
        None when a compiled mutation changed nothing (ordinary execution says why).
        Raises StatementFailed or SQLAlchemyError if the database fails."""
        pool = database.statement_pool
        driver = self._rendered(statement, database) if pool is not None else None
        if pool is not None and driver is not None:
            row = await pool.fetchrow(driver.sql, driver.arguments(parameters))
        else:
            async with database.single_statements.connect() as connection:
                row = (await connection.execute(statement, parameters)).one_or_none()
        return None if row is None else (str(row[0]), bool(row[1]))

    def _rendered(self, statement: Statement, database: Database) -> DriverStatement | None:
        key = id(statement)  # statements stay in self.built while their entry is here
        if key not in self.rendered:
            self.rendered[key] = driver_statement(statement, database.engine.dialect)
        return self.rendered[key]

    async def run(self, database: Database, viewer: Viewer, variables: Mapping[str, Any]) -> str:
        """A query's answer (tests: a mutation's is checked inside a rolled-back transaction)."""
        statement, parameters = self.statement(database.engine.dialect.name, viewer, variables)
        fetched = await self.fetch(database, statement, parameters)
        assert fetched is not None, "queries always return their row"
        return fetched[0]


class Planner:
    """Plans by document and operation name, kept with the accepted document they come from
    (schema/documents.py): one cache, one bound on memory, and nothing refused is compiled."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        entry = self.documents.prepared(query)
        if entry is None:
            return None
        if operation_name not in entry.derived:
            entry.derived[operation_name] = _compile(entry.document, operation_name)
        plan: Plan | None = entry.derived[operation_name]
        return plan


def _compile(document: DocumentNode, operation_name: str | None) -> Plan | None:
    try:
        analysed = analyse(document, operation_name)
    except NotCompilable:
        return None
    variables = tuple(sorted(cost_variables(document)))
    return Plan(document, analysed.fields, analysed.root, variables)
