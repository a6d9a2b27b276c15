"""Answering a request with a compiled plan: same pricing, same budget, same response shape."""

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from edge.errors import format_error
from edge.responses import SafeJSONResponse
from infra.database import Database
from infra.statements import StatementFailed
from infra.transactions import is_transient
from limits.budgets import Decision
from limits.cost import Pricer
from limits.pricing import Pricing
from planner.compiler import Fallback
from planner.plans import Plan
from services.viewer import Viewer

log = logging.getLogger("csp.errors")
_COMPACT = json.JSONEncoder(separators=(",", ":"))  # built once: json.dumps builds one per call


@dataclass(frozen=True)
class Planned:
    response: Response | None  # None: ordinary execution answers
    throttle: Decision | None = None  # already charged: ordinary execution must not charge again


async def answer(
    plan: Plan,
    variables: dict[str, Any],
    operation_name: str | None,
    viewer: Viewer,
    database: Database,
    pricer: Pricer,
    pricing: Pricing,
    media_type: str,
    log_fields: dict[str, Any],
    check_key: bool,
) -> Planned:
    """check_key: the viewer comes from KnownKeys, unproven until the statement confirms it."""
    try:
        statement, parameters = plan.statement(
            database.engine.dialect.name, viewer, variables, check_key
        )
    except Fallback:
        return Planned(None)
    cost = plan.cost(pricer, operation_name, variables)
    if pricing.too_costly(cost):
        return Planned(None)  # ordinary execution words the refusal
    throttle = await pricing.charge(viewer, cost)
    log_fields.update(cost=cost, planned=True)
    report = pricing.report(cost, throttle)
    if throttle is not None and not throttle.allowed:
        refused = {"errors": [format_error(pricing.refusal(throttle), "")], "extensions": report}
        headers = {"Retry-After": str(throttle.retry_after_s)}
        return Planned(SafeJSONResponse(refused, 429, headers=headers, media_type=media_type))
    try:
        fetched = await plan.fetch(database, statement, parameters)
    except (SQLAlchemyError, StatementFailed) as error:
        if plan.mutation or is_transient(error):
            # A mutation may have been applied: running it again would not be the same
            # request. A timeout would only time out again: the edge answers 503 TIMEOUT.
            raise
        log.exception("compiled plan failed; answering by ordinary execution")
        log_fields["planned"] = False
        return Planned(None, throttle)
    # No row: a mutation that changed nothing, so that ordinary execution says why (or the
    # key was revoked or expired since it was remembered, and authentication refuses).
    if fetched is None or not fetched[1]:
        log_fields["planned"] = False
        return Planned(None, throttle)
    data = fetched[0]
    # The database wrote the data's JSON: wrapped, never parsed.
    body = b'{"data":' + data.encode() + b',"extensions":' + _COMPACT.encode(report).encode() + b"}"
    return Planned(Response(body, media_type=media_type), throttle)
