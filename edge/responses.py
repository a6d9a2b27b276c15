import json
from typing import Any

from starlette.responses import JSONResponse


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
