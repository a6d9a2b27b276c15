"""A GraphQL request as the edge reads it, once: parameters, media type, id and viewer.

Everything the HTTP request can be refused for is decided here (method, media types, body,
parameters, key), before any GraphQL runs, each with its status and code.
"""

import json
import re
import secrets
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope

from edge.authentication import Authenticator
from edge.responses import GRAPHQL_RESPONSE, Refused
from services.viewer import Viewer

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_READ = {
    name.encode(): name
    for name in ("accept", "authorization", "content-length", "content-type", "x-request-id")
}
_QVALUE = re.compile(r"^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$")


@dataclass(slots=True)  # not frozen: built on every request, and frozen costs 5x to build
class GraphQLRequest:
    id: str
    method: str  # GET or POST
    media_type: str  # of the answer: application/json or GRAPHQL_RESPONSE
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    token: str
    viewer: Viewer
    # False: `viewer` is what a remembered key stood for, not yet proven (edge/authentication).
    key_proven: bool

    def proven_as(self, viewer: Viewer) -> "GraphQLRequest":
        return replace(self, viewer=viewer, key_proven=True)


class HttpRequest:
    """The HTTP request as the edge needs it, read straight from the ASGI scope: a framework's
    request object and routing cost more than the whole answer of a compiled plan."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self.method: str = scope["method"]
        self.query_string: bytes = scope["query_string"]
        self.receive = receive
        # The headers the edge reads, by name as the ASGI server lower-cased it; of a repeated
        # header, the first counts. The others are never decoded.
        self.headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            wanted = _READ.get(name)
            if wanted is not None and wanted not in self.headers:
                self.headers[wanted] = value.decode("latin-1")

    def query_params(self) -> dict[str, str]:
        return dict(parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True))

    async def body(self, limit: int) -> bytes:
        """The whole body, or Refused once it is longer than `limit`."""
        declared = self.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise Refused(413, "PAYLOAD_TOO_LARGE", f"the body may be at most {limit} bytes")
        chunks, size = [], 0
        while True:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                raise ClientDisconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise Refused(413, "PAYLOAD_TOO_LARGE", f"the body may be at most {limit} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def request_id(request: HttpRequest) -> str:
    """The client's X-Request-Id if it is a sane one, else a new one."""
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else secrets.token_hex(16)


async def read(
    request: HttpRequest, id_: str, max_body_bytes: int, authenticator: Authenticator
) -> GraphQLRequest:
    """The request, or Refused. An unusable key is refused before anything else the request
    could be refused for, as the contract's 401 says."""
    token = _bearer_token(request)
    claimed = authenticator.claimed(token)
    viewer = claimed or await authenticator.proven(token)
    try:
        media_type = _negotiate(request)
        query, variables, operation_name = await _params(request, max_body_bytes)
    except Refused:
        if claimed is not None:
            await authenticator.proven(token)
        raise
    return GraphQLRequest(
        id=id_,
        method=request.method,
        media_type=media_type,
        query=query,
        variables=variables,
        operation_name=operation_name,
        token=token,
        viewer=viewer,
        key_proven=claimed is None,
    )


def wants_html(request: HttpRequest) -> bool:
    return "text/html" in request.headers.get("accept", "")


Params = tuple[str, dict[str, Any] | None, str | None]


async def _params(request: HttpRequest, max_body_bytes: int) -> Params:
    if request.method == "GET":
        raw: dict[str, Any] = dict(request.query_params())
        for name in ("variables", "extensions"):  # both JSON-encoded in a GET's URL
            if raw.get(name):
                raw[name] = _json(raw[name], name)
        return _validated(raw)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Refused(415, "UNSUPPORTED_MEDIA_TYPE", "send application/json")
    data = _json(await request.body(max_body_bytes), "body")
    if isinstance(data, list):
        raise Refused(400, "BAD_REQUEST", "batched requests are not supported")
    return _validated(data)


def _json(raw: str | bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise Refused(400, "BAD_REQUEST", f"{what} is not valid JSON") from None


def _validated(data: Any) -> Params:
    if not isinstance(data, dict):
        raise Refused(400, "BAD_REQUEST", "the body must be a JSON object")
    query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise Refused(400, "BAD_REQUEST", "query must be a non-empty string")
    if variables is not None and not isinstance(variables, dict):
        raise Refused(400, "BAD_REQUEST", "variables must be an object")
    if name is not None and not isinstance(name, str):
        raise Refused(400, "BAD_REQUEST", "operationName must be a string")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise Refused(400, "BAD_REQUEST", "extensions must be an object")
    return query, variables, name or None


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _negotiate(request: HttpRequest) -> str:
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
    raise Refused(406, "NOT_ACCEPTABLE", f"answers are application/json or {GRAPHQL_RESPONSE}")


def _quality(params: list[str]) -> float:
    """The q parameter of one Accept entry; 1 when absent or malformed."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "q" and _QVALUE.match(value.strip()):
            return float(value)
    return 1.0
