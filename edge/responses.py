"""What the edge answers: JSON, always, with a code on every refusal."""

import json
from typing import Any

from starlette.responses import Response

GRAPHQL_RESPONSE = "application/graphql-response+json"
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ASCII = json.JSONEncoder(separators=(",", ":"))


def json_body(content: Any) -> bytes:
    """Compact JSON. Echoed input can hold lone surrogates, which UTF-8 cannot encode: those
    are escaped instead."""
    try:
        return _COMPACT.encode(content).encode()
    except UnicodeEncodeError:
        return _ASCII.encode(content).encode()


class JSONResponse(Response):
    """A JSON answer whose raw headers are built once, here: Starlette's own parsed and rebuilt
    them, on the server's hottest path. Starlette's Response sends it."""

    def __init__(  # deliberately not Response.__init__, which renders and builds headers again
        self,
        body: bytes,
        status_code: int = 200,
        media_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.body = body
        self.status_code = status_code
        self.background = None
        self.raw_headers = [
            (b"content-type", media_type.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        for name, value in (headers or {}).items():
            self.raw_headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))


def error_response(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """A request the server refused before any GraphQL ran: always JSON, always coded."""
    body: dict[str, Any] = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(json_body(body), status_code, headers=headers)


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
