"""GraphQL over HTTP: POST (JSON) for everything, GET for queries, GraphiQL for browsers.

The hot path of the whole server, so it is plain ASGI: the request is read from the scope
once (edge/request.py), answered within its deadline (edge/answers.py, edge/deadlines.py) and
logged in one line.
"""

import logging
import time
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive, Scope, Send

from edge import request as requests
from edge.answers import Answer, Answerer
from edge.authentication import Authenticator
from edge.deadlines import Deadlines
from edge.logs import ACCESS_LOGGER
from edge.responses import Refused, busy, error_response
from edge.webapp import graphiql_page
from infra.database import Database
from infra.transactions import is_transient
from limits.pricing import Pricing
from schema.build import AppSchema
from settings import Settings

access_log = logging.getLogger(ACCESS_LOGGER)
log = logging.getLogger("csp.errors")


class GraphQLEndpoint:
    def __init__(
        self, schema: AppSchema, database: Database, settings: Settings, pricing: Pricing
    ) -> None:
        self.settings = settings
        self.authenticator = Authenticator(database)
        self.answerer = Answerer(
            schema,
            database,
            pricing,
            self.authenticator,
            settings.verify_plans,
            settings.webhook_allow_private_targets,
        )
        self.deadlines = Deadlines(settings.request_timeout_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        http = requests.HttpRequest(scope, receive)
        request_id = requests.request_id(http)
        logged: dict[str, Any] = {"request_id": request_id, "method": http.method}
        try:
            answer = await self._answer(scope, http, request_id, logged)
        except Refused as refused:
            answer = Answer(refused.response)
        except ClientDisconnect:
            # Nobody is left to answer; nothing was executed (the body never arrived whole).
            access_log.info("client disconnected", extra={**logged, "outcome": "disconnected"})
            return
        except Exception as error:
            if is_transient(error):  # a compiled statement timed out: it did nothing
                answer = Answer(busy().response)
            else:
                log.exception("unexpected error", extra={"request_id": request_id})
                answer = Answer(error_response(500, "INTERNAL_SERVER_ERROR", "Unexpected error"))
        answer.response.raw_headers.append((b"x-request-id", request_id.encode()))
        status = answer.response.status_code
        logged.update(
            cost=answer.cost,
            planned=answer.planned,
            error_codes=list(answer.error_codes),
            status=status,
            outcome=_outcome(status, answer),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        access_log.info("graphql request", extra=logged)
        await answer.response(scope, receive, send)

    async def _answer(
        self, scope: Scope, http: requests.HttpRequest, request_id: str, logged: dict[str, Any]
    ) -> Answer:
        if http.method not in ("GET", "POST"):
            raise Refused(405, "METHOD_NOT_ALLOWED", "use GET or POST", {"Allow": "GET, POST"})
        browsing = http.method == "GET" and requests.wants_html(http)
        if browsing and "query" not in http.query_params():
            if not self.settings.graphiql:
                raise Refused(404, "NOT_FOUND", "GraphiQL is switched off")
            return Answer(graphiql_page(Request(scope, http.receive)))
        request = await requests.read(
            http, request_id, self.settings.max_body_bytes, self.authenticator
        )
        logged.update(principal_id=request.viewer.principal_id, operation=request.operation_name)
        task = self.deadlines.start()
        try:
            answer = await self.answerer.answer(request)
        except BaseException:
            if self.deadlines.stop(task):  # cancelled for its deadline: rolled back, retryable
                raise Refused(
                    503,
                    "TIMEOUT",
                    f"the request took longer than {self.settings.request_timeout_s} s",
                    {"Retry-After": "1"},
                ) from None
            raise
        self.deadlines.stop(task)
        return answer


def _outcome(status: int, answer: Answer) -> str:
    if status >= 500:
        return "failed"
    if status >= 400:
        return "refused"
    return "errors" if answer.error_codes else "ok"
