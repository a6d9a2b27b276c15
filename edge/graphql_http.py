"""GraphQL over HTTP: POST (JSON) for everything, GET for queries, GraphiQL for browsers."""

import asyncio
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from edge.errors import TIMED_OUT, format_error, is_request_error
from edge.planned import Planned
from edge.planned import answer as planned_answer
from edge.responses import SafeJSONResponse, error_response
from edge.webapp import graphiql_page
from infra.database import Database
from infra.transactions import is_transient
from limits.budgets import Decision
from limits.pricing import Pricing
from planner.plans import Planner
from resolvers.context import Context
from schema.build import AppSchema
from services import api_keys
from services.viewer import Viewer
from settings import Settings

access_log = logging.getLogger("csp.access")
log = logging.getLogger("csp.errors")
GRAPHQL_RESPONSE = "application/graphql-response+json"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_QVALUE = re.compile(r"^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$")


class RequestRefused(Exception):
    """The HTTP request itself is unacceptable; answered before any GraphQL runs."""

    def __init__(
        self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.response = error_response(status_code, code, message, headers)


@dataclass(frozen=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None


class GraphQLEndpoint:
    def __init__(
        self, schema: AppSchema, database: Database, settings: Settings, pricing: Pricing
    ) -> None:
        self.schema = schema
        self.database = database
        self.settings = settings
        self.pricing = pricing
        self.planner = Planner(schema.documents)
        self.known_keys = api_keys.KnownKeys()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        request_id = request.headers.get("x-request-id", "")
        if not _REQUEST_ID.match(request_id):
            request_id = secrets.token_hex(16)
        started = time.perf_counter()
        log_fields: dict[str, Any] = {"request_id": request_id, "method": request.method}
        try:
            response = await self._respond(request, request_id, log_fields)
        except RequestRefused as refused:
            response = refused.response
        except ClientDisconnect:
            # Nobody is left to answer; nothing was executed (the body never arrived whole).
            access_log.info("client disconnected", extra={**log_fields, "outcome": "disconnected"})
            return
        except Exception as error:
            if is_transient(error):  # a compiled statement timed out: it did nothing
                response = _busy().response
            else:
                log.exception("unexpected error", extra={"request_id": request_id})
                response = error_response(500, "INTERNAL_SERVER_ERROR", "Unexpected error")
        response.headers["x-request-id"] = request_id
        log_fields.update(
            status=response.status_code,
            outcome=_outcome(response.status_code, log_fields),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        access_log.info("graphql request", extra=log_fields)
        await response(scope, receive, send)

    async def _respond(
        self, request: Request, request_id: str, log_fields: dict[str, Any]
    ) -> Response:
        if request.method not in ("GET", "POST"):
            raise RequestRefused(
                405, "METHOD_NOT_ALLOWED", "use GET or POST", {"Allow": "GET, POST"}
            )
        if request.method == "GET" and "query" not in request.query_params and _wants_html(request):
            if not self.settings.graphiql:
                raise RequestRefused(404, "NOT_FOUND", "GraphiQL is switched off")
            return graphiql_page(request)
        token = _bearer_token(request)
        # A key this process saw recently skips its own round trip (see _answer).
        known = self.known_keys.get(token)
        viewer = known or await self._authenticate(token)
        log_fields["principal_id"] = viewer.principal_id
        try:
            media_type = _negotiate(request)
            params = await self._params(request)
        except RequestRefused:
            if known is not None:
                await self._authenticate(token)  # an unusable key is refused first, as ever
            raise
        log_fields["operation"] = params.operation_name
        try:
            async with asyncio.timeout(self.settings.request_timeout_s):
                return await self._answer(
                    request.method,
                    params,
                    token,
                    viewer,
                    known is None,
                    request_id,
                    media_type,
                    log_fields,
                )
        except TimeoutError:
            # Cancelling rolled back any transaction: the client may safely retry.
            raise RequestRefused(
                503,
                "TIMEOUT",
                f"the request took longer than {self.settings.request_timeout_s} s",
                {"Retry-After": "1"},
            ) from None

    async def _answer(
        self,
        method: str,
        params: GraphQLParams,
        token: str,
        viewer: Viewer,
        proven: bool,
        request_id: str,
        media_type: str,
        log_fields: dict[str, Any],
    ) -> Response:
        """A compiled plan's answer where one applies, else ordinary execution's.

        proven: the key was checked for this request. If not, the viewer is the one KnownKeys
        remembers: a plan's statement checks the key itself, ordinary execution authenticates."""
        plan = self.planner.plan(params.query, params.operation_name)
        if plan is not None and plan.mutation and (method == "GET" or self.settings.verify_plans):
            plan = None  # GET refuses mutations; verification cannot run a mutation twice
        planned = Planned(None)
        if plan is not None:
            planned = await planned_answer(
                plan,
                params.variables or {},
                params.operation_name,
                viewer,
                self.database,
                self.schema.pricer,
                self.pricing,
                media_type,
                log_fields,
                check_key=not proven,
            )
            if planned.response is not None and not self.settings.verify_plans:
                return planned.response
        if not proven:
            viewer = await self._authenticate(token)
        ordinary = await self._execute(
            method, params, viewer, request_id, media_type, log_fields, planned.throttle
        )
        if planned.response is None or _same_json(planned.response.body, ordinary.body):
            return planned.response or ordinary
        log.error(
            "plan and execution differ", extra={"request_id": request_id, "query": params.query}
        )
        return error_response(500, "PLAN_MISMATCH", "a compiled plan differs from execution")

    async def _execute(
        self,
        method: str,
        params: GraphQLParams,
        viewer: Viewer,
        request_id: str,
        media_type: str,
        log_fields: dict[str, Any],
        throttle: Decision | None = None,
    ) -> Response:
        allowed = {OperationType.QUERY}
        if method == "POST":
            allowed.add(OperationType.MUTATION)
        context = Context(
            read_sessions=self.database.read_sessions,
            write_sessions=self.database.write_sessions,
            write_queue=self.database.write_queue,
            viewer=viewer,
            request_id=request_id,
        )
        context.throttle = throttle
        try:
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
            )
        except InvalidOperationTypeError as error:
            if error.operation_type == OperationType.SUBSCRIPTION:
                # No method helps: the schema has no Subscription root type.
                raise RequestRefused(
                    400, "BAD_REQUEST", "subscriptions are not supported"
                ) from None
            raise RequestRefused(
                405,
                "METHOD_NOT_ALLOWED",
                "only queries may be sent with GET; use POST",
                {"Allow": "POST"},
            ) from None
        except CannotGetOperationTypeError:
            raise RequestRefused(
                400, "BAD_REQUEST", "operationName does not name one operation of the document"
            ) from None
        except MissingQueryError:
            raise RequestRefused(400, "BAD_REQUEST", "the request has no query") from None
        if result.errors and _undone(result.errors, context):
            raise _busy()
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [format_error(error, request_id) for error in result.errors]
            log_fields["error_codes"] = sorted({e["extensions"]["code"] for e in body["errors"]})
        if not is_request_error(result.data, result.errors):
            body["data"] = result.data
        if result.extensions:
            body["extensions"] = result.extensions
        log_fields["cost"] = context.cost
        throttle = context.throttle
        if throttle is not None and not throttle.allowed:
            headers = {"Retry-After": str(throttle.retry_after_s)}
            return SafeJSONResponse(body, status_code=429, media_type=media_type, headers=headers)
        status = 400 if media_type == GRAPHQL_RESPONSE and "data" not in body else 200
        return SafeJSONResponse(body, status_code=status, media_type=media_type)

    async def _authenticate(self, token: str) -> Viewer:
        viewer = None
        if token:
            async with self.database.single_statements.connect() as connection:
                viewer = await api_keys.authenticate(connection, token)
        if viewer is None:
            self.known_keys.forget(token)
            raise RequestRefused(
                401,
                "UNAUTHENTICATED",
                "a valid API key is required: Authorization: Bearer <key>",
                {"WWW-Authenticate": "Bearer"},
            )
        self.known_keys.remember(token, viewer)
        return viewer

    async def _params(self, request: Request) -> GraphQLParams:
        if request.method == "GET":
            raw: dict[str, Any] = dict(request.query_params)
            for name in ("variables", "extensions"):  # both JSON-encoded in a GET's URL
                if raw.get(name):
                    raw[name] = _json(raw[name], name)
            return _validated(raw)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise RequestRefused(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json")
        body = await _read_limited(request, self.settings.max_body_bytes)
        data = _json(body, "body")
        if isinstance(data, list):
            raise RequestRefused(400, "BAD_REQUEST", "batched requests are not supported")
        return _validated(data)


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestRefused(413, "PAYLOAD_TOO_LARGE", f"the body may be at most {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestRefused(413, "PAYLOAD_TOO_LARGE", f"the body may be at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _json(raw: str | bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise RequestRefused(400, "BAD_REQUEST", f"{what} is not valid JSON") from None


def _validated(data: Any) -> GraphQLParams:
    if not isinstance(data, dict):
        raise RequestRefused(400, "BAD_REQUEST", "the body must be a JSON object")
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise RequestRefused(400, "BAD_REQUEST", "query must be a non-empty string")
    if variables is not None and not isinstance(variables, dict):
        raise RequestRefused(400, "BAD_REQUEST", "variables must be an object")
    if name is not None and not isinstance(name, str):
        raise RequestRefused(400, "BAD_REQUEST", "operationName must be a string")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestRefused(400, "BAD_REQUEST", "extensions must be an object")
    return GraphQLParams(query=query, variables=variables, operation_name=name or None)


def _busy() -> RequestRefused:
    return RequestRefused(
        503,
        "TIMEOUT",
        TIMED_OUT,
        {"Retry-After": "1"},
    )


def _undone(errors: list[GraphQLError], context: Context) -> bool:
    """A lock or statement timed out and nothing of the request was committed: the whole
    request may be sent again. (Of several mutations in one request, another may have
    committed: then the timed-out field's error says TIMEOUT and the rest of the answer stands.)"""
    return context.commits == 0 and any(is_transient(e.original_error) for e in errors)


def _same_json(planned: bytes | memoryview, executed: bytes | memoryview) -> bool:
    """Equal as JSON text once whitespace is normalised: key order and types count."""
    return json.dumps(json.loads(bytes(planned))) == json.dumps(json.loads(bytes(executed)))


def _outcome(status: int, log_fields: dict[str, Any]) -> str:
    if status >= 500:
        return "failed"
    if status >= 400:
        return "refused"
    return "errors" if log_fields.get("error_codes") else "ok"


def _bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _negotiate(request: Request) -> str:
    """Our media type that the client prefers by q-value (RFC 9110). Wildcards and a missing
    Accept mean application/json; on a tie the GraphQL-over-HTTP type wins."""
    accept = request.headers.get("accept", "").strip()
    if not accept:
        return "application/json"
    named: dict[str, float] = {}
    for part in accept.split(","):
        media_type, *params = (item.strip().lower() for item in part.split(";"))
        named[media_type] = max(named.get(media_type, 0.0), _quality(params))
    wanted = named.get(GRAPHQL_RESPONSE, 0.0)
    # The most specific range that matches application/json decides its quality.
    json_q = next((named[m] for m in ("application/json", "application/*", "*/*") if m in named), 0)
    if wanted > 0 and wanted >= json_q:
        return GRAPHQL_RESPONSE
    if json_q > 0:
        return "application/json"
    raise RequestRefused(
        406, "NOT_ACCEPTABLE", f"answers are application/json or {GRAPHQL_RESPONSE}"
    )


def _quality(params: list[str]) -> float:
    """The q parameter of one Accept entry; 1 when absent or malformed."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "q" and _QVALUE.match(value.strip()):
            return float(value)
    return 1.0
