"""What the edge answers: JSON, always, with a code on every refusal."""

import json
from typing import Any

from starlette.responses import JSONResponse

GRAPHQL_RESPONSE = "application/graphql-response+json"


class SafeJSONResponse(JSONResponse):
    """Echoed input can hold lone surrogates, which UTF-8 cannot encode: escape them instead."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None
) -> SafeJSONResponse:
    """A request the server refused before any GraphQL ran: always JSON, always coded."""
    body: dict[str, Any] = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return SafeJSONResponse(body, status_code=status_code, headers=headers)


class Refused(Exception):
    """The request is refused as a whole, with an HTTP status and a code."""

    def __init__(
        self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.response = error_response(status_code, code, message, headers)


TIMED_OUT = "the database did not answer in time; nothing was changed, send the request again"


def busy() -> Refused:
    """Nothing of the request was applied (docs/timeouts.md): the client sends it again."""
    return Refused(503, "TIMEOUT", TIMED_OUT, {"Retry-After": "1"})
