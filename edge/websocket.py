"""GraphQL subscriptions over WebSocket on /graphql: the graphql-transport-ws protocol
(https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md), subscriptions only.

The key comes in `connection_init`'s payload, `{"Authorization": "Bearer <key>"}`, the name
matched without regard to case; an unusable one closes the socket with 4403. Each connection
then holds only its viewer: every event is answered with short sessions of its own
(resolvers/streams.py). The key is checked again before an event when the last check is over
a second old, and every WS_KEY_RECHECK_S regardless, so that revoking or expiring it ends its
streams (4403). Per key, at most WS_CONNECTIONS_PER_KEY sockets in this process (1013 beyond);
per socket, at most WS_OPERATIONS_PER_CONNECTION operations (an `error` beyond).
"""

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections import Counter
from contextlib import aclosing
from typing import Any

from graphql import GraphQLError, OperationType
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.types.execution import PreExecutionError

from edge.authentication import Authenticator
from edge.errors import format_error
from edge.responses import Refused
from infra.activity_feed import ActivityFeed
from infra.database import Database
from limits.documents import Entry, operation
from limits.pricing import Pricing
from resolvers.context import Context
from schema.build import AppSchema
from services import activity_stream, api_keys
from services.errors import DomainError
from services.viewer import Viewer
from settings import Settings

PROTOCOL = "graphql-transport-ws"
log = logging.getLogger("csp.security")
errors_log = logging.getLogger("csp.errors")

# A key used within the last second is not checked again before an event.
KEY_CHECK_INTERVAL_S = 1.0


class CloseSocket(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _bad_request(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_REQUEST"})


class GraphQLWebSocket:
    """The endpoint, and the process's activity feed that its streams read."""

    def __init__(
        self,
        schema: AppSchema,
        database: Database,
        settings: Settings,
        authenticator: Authenticator,
        pricing: Pricing,
    ) -> None:
        self.schema = schema
        self.pricing = pricing
        self.database = database
        self.settings = settings
        self.authenticator = authenticator
        self.feed: ActivityFeed[Viewer] = ActivityFeed(
            database, settings, activity_stream.visible_among
        )
        self.connections: Counter[str] = Counter()  # open sockets per key id, in this process
        # The last check of each key in use, shared by its sockets: one statement per key and
        # second, however many sockets deliver the same event.
        self.key_checks: dict[str, tuple[float, asyncio.Future[bool]]] = {}

    async def stop(self) -> None:
        await self.feed.stop()

    async def key_usable(self, viewer: Viewer) -> bool:
        checked = self.key_checks.get(viewer.key_id)
        if checked is None or time.monotonic() - checked[0] > KEY_CHECK_INTERVAL_S:
            checked = (time.monotonic(), asyncio.ensure_future(self._usable(viewer)))
            self.key_checks[viewer.key_id] = checked
        return await asyncio.shield(checked[1])

    async def _usable(self, viewer: Viewer) -> bool:
        async with self.database.single_statements.connect() as connection:
            return await api_keys.usable(connection, viewer)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if PROTOCOL not in scope.get("subprotocols", []):
            await websocket.accept()
            await websocket.close(4406, f"Subprotocol not acceptable: use {PROTOCOL}")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        await _Connection(self, websocket).run()


class _Connection:
    def __init__(self, endpoint: GraphQLWebSocket, websocket: WebSocket) -> None:
        self.endpoint = endpoint
        self.settings = endpoint.settings
        self.websocket = websocket
        self.id = secrets.token_hex(8)
        self.viewer: Viewer | None = None
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.sending = asyncio.Lock()
        self.closed = False
        self.delivered = False  # an event went out since the last periodic check

    async def run(self) -> None:
        watchdog: asyncio.Task[None] | None = None
        try:
            await self._initialise()
            watchdog = asyncio.create_task(self._recheck_key_forever())
            while True:
                await self._handle(await self._receive())
        except CloseSocket as close:
            await self._close(close.code, close.reason)
        except WebSocketDisconnect:
            pass
        finally:
            if watchdog is not None:
                watchdog.cancel()
            for task in list(self.operations.values()):
                task.cancel()
            if self.viewer is not None:
                self.endpoint.connections[self.viewer.key_id] -= 1
                if self.endpoint.connections[self.viewer.key_id] <= 0:
                    del self.endpoint.connections[self.viewer.key_id]
                    self.endpoint.key_checks.pop(self.viewer.key_id, None)

    async def _receive(self) -> dict[str, Any]:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        raw = message.get("text") or message.get("bytes") or ""
        try:
            parsed = json.loads(raw)
        except (ValueError, RecursionError):
            raise CloseSocket(4400, "Invalid message received") from None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str):
            raise CloseSocket(4400, "Invalid message received")
        return parsed

    async def _initialise(self) -> None:
        try:
            message = await asyncio.wait_for(self._receive(), self.settings.ws_init_timeout_s)
        except TimeoutError:
            raise CloseSocket(4408, "Connection initialisation timeout") from None
        if message["type"] != "connection_init":
            if message["type"] == "subscribe":
                raise CloseSocket(4401, "Unauthorized")
            raise CloseSocket(4400, "Invalid message received")
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            raise CloseSocket(4400, "Invalid message received")
        authorization = next((v for k, v in payload.items() if k.lower() == "authorization"), "")
        scheme, _, token = str(authorization).partition(" ")
        try:
            viewer = await self.endpoint.authenticator.proven(
                token.strip() if scheme.lower() == "bearer" else ""
            )
        except Refused:
            log.info("websocket refused: unusable key", extra={"connection": self.id})
            raise CloseSocket(4403, "Forbidden") from None
        connections = self.endpoint.connections
        if connections[viewer.key_id] >= self.settings.ws_connections_per_key:
            log.info("websocket refused: too many connections", extra={"connection": self.id})
            raise CloseSocket(1013, "Too many connections for this key")
        connections[viewer.key_id] += 1
        self.viewer = viewer
        await self._send({"type": "connection_ack"})

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "ping":
            await self._send({"type": "pong"})
        elif kind == "pong":
            pass
        elif kind == "connection_init":
            raise CloseSocket(4429, "Too many initialisation requests")
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            task = self.operations.pop(str(message.get("id")), None)
            if task is not None:
                task.cancel()
        else:
            raise CloseSocket(4400, f"Unknown message type {kind!r}")

    async def _subscribe(self, message: dict[str, Any]) -> None:
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not op_id or not isinstance(payload, dict):
            raise CloseSocket(4400, "Invalid message received")
        query, variables = payload.get("query"), payload.get("variables")
        name = payload.get("operationName")
        if (
            not isinstance(query, str)
            or not (variables is None or isinstance(variables, dict))
            or not (name is None or isinstance(name, str))
        ):
            raise CloseSocket(4400, "Invalid message received")
        if op_id in self.operations:
            raise CloseSocket(4409, f"Subscriber for {op_id} already exists")
        if len(self.operations) >= self.settings.ws_operations_per_connection:
            limit = self.settings.ws_operations_per_connection
            await self._error(
                op_id,
                [
                    GraphQLError(
                        f"at most {limit} operations per connection",
                        extensions={"code": "TOO_MANY_OPERATIONS"},
                    )
                ],
            )
            return
        refused = await self._refusal(query, name, variables)
        if refused:
            await self._error(op_id, refused)
            return
        self.operations[op_id] = asyncio.create_task(self._stream(op_id, query, variables, name))

    async def _refusal(
        self, query: str, name: str | None, variables: dict[str, Any] | None
    ) -> list[GraphQLError]:
        """Why the document may not run here: not a subscription, or what HTTP refuses a
        request for (limits, validation, price, the key's budget, charged once per subscribe)."""
        accepted = self.endpoint.schema.documents.accepted(query)
        entry = accepted if isinstance(accepted, Entry) else None
        if entry is not None:
            chosen = operation(entry, name)
            if chosen is None:
                return [_bad_request("operationName does not name one operation of the document")]
            if chosen.operation != OperationType.SUBSCRIPTION:
                return [
                    _bad_request(
                        "only subscriptions run over WebSocket; send queries and mutations "
                        "over HTTP"
                    )
                ]
        pricing = self.endpoint.pricing
        try:
            cost = pricing.price(entry, name, variables)
        except DomainError as refused:
            return [GraphQLError(refused.message, extensions={"code": refused.code})]
        if too_costly := pricing.too_costly(cost):
            return [too_costly]
        assert self.viewer is not None
        charge = await pricing.charge(self.viewer, cost)
        if not charge.allowed:
            return [pricing.refusal(charge)]
        return [] if isinstance(accepted, Entry) else accepted

    async def _stream(
        self, op_id: str, query: str, variables: dict[str, Any] | None, name: str | None
    ) -> None:
        assert self.viewer is not None
        context = Context(
            database=self.endpoint.database,
            viewer=self.viewer,
            request_id=f"{self.id}:{op_id}",
            activity_feed=self.endpoint.feed,
        )
        try:
            results = await self.endpoint.schema.subscribe(
                query, variable_values=variables, context_value=context, operation_name=name
            )
            async with aclosing(results):
                async for result in results:
                    if isinstance(result, PreExecutionError) or result.data is None:
                        await self._error(op_id, list(result.errors or []))
                        return
                    await self._check_key()
                    body: dict[str, Any] = {"data": result.data}
                    if result.errors:
                        body["errors"] = [
                            format_error(e, context.request_id) for e in result.errors
                        ]
                    await self._send({"id": op_id, "type": "next", "payload": body})
                    self.delivered = True
            await self._send({"id": op_id, "type": "complete"})
        except CloseSocket as close:
            await self._close(close.code, close.reason)
        except asyncio.CancelledError:
            raise
        except Exception:
            errors_log.exception("subscription failed", extra={"request_id": context.request_id})
            await self._error(
                op_id,
                [GraphQLError("Unexpected error", extensions={"code": "INTERNAL_SERVER_ERROR"})],
            )
        finally:
            self.operations.pop(op_id, None)

    async def _recheck_key_forever(self) -> None:
        """Every WS_KEY_RECHECK_S, and a second after an event was delivered: the check before
        it may have been a second old, so a key revoked just before an event still ends the
        stream within a second of it."""
        idle = 0.0
        while True:
            await asyncio.sleep(KEY_CHECK_INTERVAL_S)
            idle += KEY_CHECK_INTERVAL_S
            if not self.delivered and idle < self.settings.ws_key_recheck_s:
                continue
            self.delivered, idle = False, 0.0
            try:
                await self._check_key()
            except CloseSocket as close:
                await self._close(close.code, close.reason)
                return

    async def _check_key(self) -> None:
        """Before each event (at most one statement per key and second), and periodically."""
        assert self.viewer is not None
        if not await self.endpoint.key_usable(self.viewer):
            log.info("websocket closed: key revoked or expired", extra={"connection": self.id})
            raise CloseSocket(4403, "Forbidden")

    async def _error(self, op_id: str, errors: list[GraphQLError]) -> None:
        request_id = f"{self.id}:{op_id}"
        formatted = [format_error(error, request_id) for error in errors]
        await self._send({"id": op_id, "type": "error", "payload": formatted})

    async def _send(self, message: dict[str, Any]) -> None:
        async with self.sending:
            if self.closed:
                return
            await self.websocket.send_text(json.dumps(message))

    async def _close(self, code: int, reason: str) -> None:
        async with self.sending:
            if self.closed:
                return
            self.closed = True
            if self.websocket.application_state != WebSocketState.DISCONNECTED:
                with contextlib.suppress(RuntimeError):  # the client went first
                    await self.websocket.close(code, reason)
        for task in list(self.operations.values()):
            if task is not asyncio.current_task():
                task.cancel()
