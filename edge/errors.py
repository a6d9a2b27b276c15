"""Shaping GraphQL errors for clients: a code on every error, nothing internal ever shown."""

import logging
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from edge.responses import TIMED_OUT
from infra.transactions import is_transient
from services.errors import DomainError

log = logging.getLogger("csp.errors")
UNEXPECTED = "Unexpected error"


def error_code(error: GraphQLError) -> str | None:
    """The client-facing code, or None when the error is ours (a bug or an outage)."""
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code
    if is_transient(original):
        return "TIMEOUT"
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if error.path is None and (original is None or isinstance(original, GraphQLError)):
        # Not parse, not validation, before execution: graphql-core coercing the variables.
        return "BAD_USER_INPUT"
    return None


def format_error(error: GraphQLError, request_id: str) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in error.locations
        ]
    if error.path is not None:
        formatted["path"] = list(error.path)
    code = error_code(error)
    if isinstance(error.original_error, DomainError):
        formatted["message"] = error.original_error.message
    if code == "TIMEOUT" and error.original_error is not None:
        formatted["message"] = TIMED_OUT  # the driver's words may quote SQL
    if code is None:
        original = error.original_error
        log.error(
            "unexpected error in %s",
            ".".join(map(str, error.path or [])) or "request",
            exc_info=(type(original), original, original.__traceback__) if original else None,
            extra={"request_id": request_id, "error": error.message if not original else None},
        )
        formatted["message"] = UNEXPECTED
        code = "INTERNAL_SERVER_ERROR"
    formatted["extensions"] = {"code": code}
    return formatted


def is_request_error(data: object, errors: list[GraphQLError] | None) -> bool:
    """Refused before execution (document or variables): the response has no `data` at all."""
    return data is None and bool(errors) and all(error.path is None for error in errors or [])
