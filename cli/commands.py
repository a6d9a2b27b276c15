"""Subcommands of `python server.py`. Every one reads DATABASE_URL and fails in one line."""

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError

from cli import demo
from edge.logs import configure_logging
from infra import migrations
from infra.clock import start_clock
from infra.database import create_database, parse_database_url
from models.base import utcnow
from services import api_keys, due_work
from services.errors import DomainError
from settings import Settings, SettingsError


class CommandError(Exception):
    """A failure the operator can fix; printed as one line, exit status 1."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        parse_database_url(settings.database_url)
        start_clock(settings)
        handler: Callable[[argparse.Namespace, Settings], int] = args.handler
        return handler(args, settings)
    except (SettingsError, CommandError, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="server.py", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the GraphQL API over HTTP")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.set_defaults(handler=_serve)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(handler=_migrate)
    seed = commands.add_parser("seed-demo", help="load demo data (idempotent), print fresh keys")
    seed.set_defaults(handler=_seed_demo)
    create = commands.add_parser("create-api-key", help="mint an API key for a principal")
    create.add_argument("--principal", required=True, help="principal name, e-mail or numeric id")
    create.add_argument("--expires-in-days", type=int, default=None)
    create.set_defaults(handler=_create_api_key)
    revoke = commands.add_parser("revoke-api-key", help="revoke an API key by its key id")
    revoke.add_argument("key_id", help="the 16 hex digits after csp_ in the token")
    revoke.set_defaults(handler=_revoke_api_key)
    due = commands.add_parser("run-due", help="apply the transitions time has made due now")
    due.set_defaults(handler=_run_due)
    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.set_defaults(handler=_export_schema)
    return parser


def _run(settings: Settings, work: Callable[[], Coroutine[Any, Any, int]]) -> int:
    try:
        return asyncio.run(work())
    except (OperationalError, DBAPIError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise CommandError(f"cannot use the database at {_redacted(settings)}: {reason}") from None


def _redacted(settings: Settings) -> str:
    return parse_database_url(settings.database_url).render_as_string(hide_password=True)


def _ensure_sqlite_dir(settings: Settings) -> None:
    database = parse_database_url(settings.database_url).database
    if settings.is_sqlite and database and database != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    _ensure_sqlite_dir(settings)

    async def work() -> int:
        await migrations.upgrade(settings.database_url)
        print(f"database at migration {migrations.head_revision()}", file=sys.stderr)
        return 0

    return _run(settings, work)


async def _check_ready(settings: Settings) -> None:
    database = create_database(settings)
    try:
        if migrations.is_behind(await migrations.current_revision(database.engine)):
            raise CommandError(
                "the database is behind the code's migrations; run: python server.py migrate"
            )
    finally:
        await database.dispose()


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    async def check() -> int:
        await _check_ready(settings)
        return 0

    _run(settings, check)
    configure_logging(settings.log_level)
    uvicorn.run(
        "server:app_from_env",
        factory=True,
        http="edge.protocol:BoundedHttpTools",
        # No client address is used: uvicorn's X-Forwarded-* middleware would cost every request.
        proxy_headers=False,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=30,
        # WebSocket messages are GraphQL requests: bounded as HTTP bodies are.
        ws_max_size=settings.max_body_bytes,
    )
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        await _check_ready(settings)
        database = create_database(settings)
        try:
            async with database.write_sessions.begin() as session:
                keys = await demo.seed_demo(session)
        finally:
            await database.dispose()
        print(json.dumps({"keys": [asdict(key) for key in keys]}, indent=2))
        _print_graphiql_hint(keys)
        return 0

    return _run(settings, work)


def _print_graphiql_hint(keys: list[demo.DemoKey]) -> None:
    """For people (stderr, so stdout stays the contract's JSON): a headers line per principal."""
    print("\nPaste one line into GraphiQL's Headers pane:", file=sys.stderr)
    for key in keys:
        who = f"{key.role} of {key.partner or key.customer}"
        print(f"  {key.name} ({who}):", file=sys.stderr)
        print(f'    {{"Authorization": "Bearer {key.token}"}}', file=sys.stderr)


def _create_api_key(args: argparse.Namespace, settings: Settings) -> int:
    if args.expires_in_days is not None and args.expires_in_days < 1:
        raise CommandError("--expires-in-days must be at least 1")

    async def work() -> int:
        await _check_ready(settings)
        database = create_database(settings)
        try:
            async with database.write_sessions.begin() as session:
                principal = await api_keys.find_principal(session, args.principal)
                expires = (
                    None
                    if args.expires_in_days is None
                    else utcnow() + timedelta(days=args.expires_in_days)
                )
                issued = await api_keys.issue_key(session, principal.id, expires)
        finally:
            await database.dispose()
        body = {
            "principal": principal.name,
            "role": principal.role,
            "key_id": issued.key_id,
            "token": issued.token,
            "expires_at": expires.isoformat() if expires else None,
        }
        print(json.dumps(body, indent=2))
        return 0

    return _run(settings, work)


def _revoke_api_key(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        await _check_ready(settings)
        database = create_database(settings)
        try:
            async with database.write_sessions.begin() as session:
                await api_keys.revoke_key(session, args.key_id)
        finally:
            await database.dispose()
        print(f"revoked {args.key_id}", file=sys.stderr)
        return 0

    return _run(settings, work)


def _run_due(args: argparse.Namespace, settings: Settings) -> int:
    """A line per transition on stderr, for people; the counts as JSON on stdout, for scripts."""

    async def work() -> int:
        await _check_ready(settings)
        database = create_database(settings)
        try:
            done = await due_work.run_due(database)
        finally:
            await database.dispose()
        for transition in done:
            print(
                f"{transition.operation} subscription {transition.subscription_id} "
                f"(version {transition.version})",
                file=sys.stderr,
            )
        print(json.dumps(due_work.counts(done)))
        return 0

    return _run(settings, work)


def _export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from schema.build import build_schema

    print(build_schema(settings).as_str())
    return 0


logging.getLogger("alembic").setLevel(logging.WARNING)
