"""The one entry point: `python server.py serve|migrate|seed-demo|create-api-key|...`.

`create_app` is the HTTP edge's assembly: engine, GraphQL endpoint, health checks.
"""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from edge import webapp, webhooks
from edge.graphql_http import GraphQLEndpoint
from edge.health import healthz, readiness
from edge.logs import flush_logs
from edge.responses import error_response
from edge.websocket import GraphQLWebSocket
from edge.workers import background_workers
from infra.clock import start_clock
from infra.database import Database, create_database
from limits.budgets import Buckets, Budget, DatabaseBuckets, RedisBuckets
from limits.pricing import Pricing
from schema.build import build_schema
from settings import Settings


class Application:
    """The ASGI application: requests for /graphql go straight to the endpoint, which handles
    every error itself (the hot path: Starlette's routing and middleware cost as much as a
    compiled plan's whole answer); everything else, and the lifespan, through Starlette. With
    CORS configured, /graphql goes through Starlette too, for its CORS middleware."""

    def __init__(
        self,
        starlette: Starlette,
        endpoint: GraphQLEndpoint,
        websocket: GraphQLWebSocket,
        direct: bool,
    ) -> None:
        self.starlette = starlette
        self.endpoint = endpoint
        self.websocket = websocket
        self.direct = direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.direct and scope["type"] == "http" and scope["path"] == "/graphql":
            await self.endpoint(scope, receive, send)
        elif scope["type"] == "websocket" and scope["path"] == "/graphql":
            # Subscriptions: the key travels in the protocol's first message, not in headers.
            await self.websocket(scope, receive, send)
        else:
            await self.starlette(scope, receive, send)


def create_app(settings: Settings, database: Database | None = None) -> Application:
    """`database` lets tests share one engine; otherwise the app owns and disposes its own."""
    db = database or create_database(settings)

    buckets = _buckets(settings, db)
    workers = background_workers(settings, db)
    deliveries = webhooks.worker(db, settings) if settings.webhook_delivery else None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # What start-up built (the schema, the models, the modules) lives as long as the
        # process: out of the collector's sight, a full collection no longer walks it, which
        # had paused every request for tens of milliseconds now and then.
        gc.collect()
        gc.freeze()
        for worker in workers:
            worker.start()
        if deliveries is not None:
            deliveries.start()
        yield
        await websocket.stop()
        if deliveries is not None:
            await deliveries.stop()
        for worker in workers:
            await worker.stop()
        flush_logs()
        if buckets is not None:
            await buckets.close()
        if database is None:
            await db.dispose()

    schema = build_schema(settings)
    budget = Budget(settings.rate_limit_capacity, settings.rate_limit_refill_per_second)
    pricing = Pricing(schema.pricer, settings.max_query_cost, buckets, budget)
    endpoint = GraphQLEndpoint(schema, db, settings, pricing)
    websocket = GraphQLWebSocket(schema, db, settings, endpoint.authenticator, pricing)
    starlette = Starlette(
        routes=[
            Route("/graphql", endpoint),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readiness(db), methods=["GET"]),
            *webapp.routes(),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},
        middleware=_cors(settings),
    )
    return Application(starlette, endpoint, websocket, direct=not settings.cors_origins)


def _buckets(settings: Settings, database: Database) -> Buckets | None:
    """Redis when configured (cheaper per request, see docs/scaling.md), else the database."""
    if not settings.rate_limited:
        return None
    budget = Budget(settings.rate_limit_capacity, settings.rate_limit_refill_per_second)
    if settings.redis_url:
        return RedisBuckets(settings.redis_url, budget)
    return DatabaseBuckets(database, budget)


def _cors(settings: Settings) -> list[Middleware]:
    """Browsers on the configured front-end origins only; none when none are configured."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
            expose_headers=["X-Request-Id", "Retry-After"],
            max_age=600,
        )
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods get the same coded JSON as every other refusal."""
    assert isinstance(exc, HTTPException)
    code = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "BAD_REQUEST")
    return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


async def _unexpected(request: Request, exc: Exception) -> Response:
    """Starlette's own last resort answers in plain text; ours is coded JSON like the rest."""
    return error_response(500, "INTERNAL_SERVER_ERROR", "Unexpected error")


def app_from_env() -> Application:
    """uvicorn's factory for `serve`: each worker process builds its own app and engine."""
    settings = Settings.from_env()
    start_clock(settings)
    return create_app(settings)


if __name__ == "__main__":
    from cli.commands import main

    raise SystemExit(main())
