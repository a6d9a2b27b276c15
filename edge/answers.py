"""Answering a GraphQL request: the document accepted, priced and charged once, then a compiled
plan's answer where one applies, else ordinary execution's.

    edge/graphql_http.py   HTTP in and out, timeouts, the access log
    edge/answers.py        this: document -> price -> plan or execution -> response
    planner/answer.py      the compiled path's one entry point
    schema/                ordinary execution (Strawberry, resolvers, services)
"""

import json
import logging
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode, OperationType
from starlette.responses import Response

from edge.authentication import Authenticator
from edge.errors import format_error, is_request_error
from edge.request import GraphQLRequest
from edge.responses import (
    GRAPHQL_RESPONSE,
    JSONResponse,
    Refused,
    busy,
    error_response,
    json_body,
)
from infra.database import Database
from infra.transactions import is_transient
from limits.documents import Entry, operation
from limits.pricing import Charge, Pricing
from planner.answer import KeyNoLongerUsable, Planner, PlanRequest
from resolvers.arguments import check_connection
from resolvers.context import Context
from schema.build import AppSchema
from services.errors import DomainError

log = logging.getLogger("csp.errors")


@dataclass(slots=True)  # not frozen: built on every request, and frozen costs 5x to build
class Answer:
    response: JSONResponse | Response
    cost: int | None = None
    planned: bool = False
    error_codes: tuple[str, ...] = ()


class Answerer:
    def __init__(
        self,
        schema: AppSchema,
        database: Database,
        pricing: Pricing,
        authenticator: Authenticator,
        verify_plans: bool,
        allow_private_webhook_targets: bool = False,
    ) -> None:
        self.schema = schema
        self.database = database
        self.pricing = pricing
        self.authenticator = authenticator
        self.planner = Planner(database)
        # Answer compiled queries both ways and refuse (500 PLAN_MISMATCH) if they differ.
        self.verify_plans = verify_plans
        self.allow_private_webhook_targets = allow_private_webhook_targets

    async def answer(self, request: GraphQLRequest) -> Answer:
        accepted = self.schema.documents.accepted(request.query)
        entry = accepted if isinstance(accepted, Entry) else None
        mutation = (
            entry is not None and _operation(entry, request).operation == OperationType.MUTATION
        )
        try:
            cost = self.pricing.price(
                entry,
                request.operation_name,
                request.variables,
                # A mutation's whole selection is checked before it runs: an argument refused
                # after the commit would make the client retry a change that stands.
                check_connection if mutation else None,
            )
        except DomainError as refused:
            error = GraphQLError(refused.message, extensions={"code": refused.code})
            return self._refusal(request, [error], None, 200)
        if too_costly := self.pricing.too_costly(cost):
            return self._refusal(request, [too_costly], Charge(cost, None), 200)
        charge = await self.pricing.charge(request.viewer, cost)
        if not charge.allowed:
            return self._refusal(request, [self.pricing.refusal(charge)], charge, 429)
        if entry is None:
            assert isinstance(accepted, list)
            return self._refusal(request, accepted, charge, None)
        planned = None if (mutation and self.verify_plans) else await self._planned(request, entry)
        if planned is not None and not self.verify_plans:
            return Answer(self._planned_response(request, planned, charge), cost, planned=True)
        if not request.key_proven:
            request = request.proven_as(await self.authenticator.proven(request.token))
        executed = await self._execute(request, charge)
        if planned is not None and not _same_json(planned, executed.response.body):
            log.error("plan and execution differ", extra={"request_id": request.id})
            refusal = error_response(500, "PLAN_MISMATCH", "a compiled plan differs from execution")
            return Answer(refusal, cost)
        return executed

    async def _planned(self, request: GraphQLRequest, entry: Entry) -> str | None:
        plan_request = PlanRequest(
            entry,
            request.operation_name,
            request.variables or {},
            request.viewer,
            request.key_proven,
            request.method,
        )
        try:
            return await self.planner.answer(plan_request)
        except KeyNoLongerUsable:
            return None  # proving the key, before ordinary execution, refuses it

    def _planned_response(self, request: GraphQLRequest, data: str, charge: Charge) -> JSONResponse:
        # The database wrote the data's JSON: wrapped, never parsed.
        extensions = self.pricing.report_json(charge)
        body = b'{"data":' + data.encode() + b',"extensions":' + extensions + b"}"
        return JSONResponse(body, media_type=request.media_type)

    async def _execute(self, request: GraphQLRequest, charge: Charge) -> Answer:
        context = Context(
            database=self.database,
            viewer=request.viewer,
            request_id=request.id,
            allow_private_webhook_targets=self.allow_private_webhook_targets,
        )
        result = await self.schema.execute(
            request.query,
            variable_values=request.variables,
            context_value=context,
            operation_name=request.operation_name,
        )
        # A lock or statement timed out and nothing of the request was committed. (Of several
        # mutations, another may have committed: then the timed-out field's error says TIMEOUT
        # and the rest of the answer stands.)
        errors = result.errors or []
        if context.commits == 0 and any(is_transient(e.original_error) for e in errors):
            raise busy()
        return self._result(request, result.data, errors, charge, None)

    def _refusal(
        self,
        request: GraphQLRequest,
        errors: list[GraphQLError],
        charge: Charge | None,
        status: int | None,
    ) -> Answer:
        return self._result(request, None, errors, charge, status)

    def _result(
        self,
        request: GraphQLRequest,
        data: dict[str, Any] | None,
        errors: list[GraphQLError],
        charge: Charge | None,
        status: int | None,
    ) -> Answer:
        """The response for a result: `data` unless refused before execution, every error
        coded, the price. `status` None: 200, or 400 for an application/graphql-response+json
        request that has no data."""
        body: dict[str, Any] = {}
        formatted = [format_error(error, request.id) for error in errors]
        if formatted:
            body["errors"] = formatted
        if not is_request_error(data, errors):
            body["data"] = data
        if charge is not None:
            body["extensions"] = self.pricing.report(charge)
        headers = {}
        if charge is not None and not charge.allowed and charge.decision is not None:
            headers["Retry-After"] = str(charge.decision.retry_after_s)
        if status is None:
            status = 400 if request.media_type == GRAPHQL_RESPONSE and "data" not in body else 200
        response = JSONResponse(json_body(body), status, request.media_type, headers)
        codes = tuple(sorted({e["extensions"]["code"] for e in formatted}))
        return Answer(response, None if charge is None else charge.cost, error_codes=codes)


def _operation(entry: Entry, request: GraphQLRequest) -> OperationDefinitionNode:
    """The operation to run: one the method allows, named if the document has several."""
    chosen = operation(entry, request.operation_name)
    if chosen is None:
        raise Refused(
            400, "BAD_REQUEST", "operationName does not name one operation of the document"
        )
    if chosen.operation == OperationType.SUBSCRIPTION:
        raise Refused(
            400, "BAD_REQUEST", "subscriptions run over WebSocket (graphql-transport-ws) only"
        )
    if chosen.operation == OperationType.MUTATION and request.method != "POST":
        raise Refused(
            405,
            "METHOD_NOT_ALLOWED",
            "only queries may be sent with GET; use POST",
            {"Allow": "POST"},
        )
    return chosen


def _same_json(planned: str, executed: bytes | memoryview) -> bool:
    """The plan's `data` equals execution's answer without errors, as JSON text once whitespace
    is normalised: key order and types count."""
    answer = json.loads(bytes(executed))
    return "errors" not in answer and json.dumps(json.loads(planned)) == json.dumps(answer["data"])
