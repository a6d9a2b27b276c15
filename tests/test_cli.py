"""`python server.py <command>` as an operator runs it: exit status, stdout, one-line errors."""

import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from infra.database import create_database
from schema.build import build_schema
from server import create_app
from services import api_keys
from settings import Settings
from tests.processes import run_cli

PROJECT_DIR = Path(__file__).resolve().parent.parent
CLI_TIMEOUT_S = 60.0
TOKEN = re.compile(r"^csp_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$")
PARTNER_ROLES = {"GLOBAL_ADMIN", "ADMIN_AGENT", "SALES_AGENT", "HELPDESK_AGENT", "BILLING_ADMIN"}
COUNTED = ("partners", "customers", "subscriptions", "offers", "principals", "api_keys")


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, database_url=database_url, timeout=CLI_TIMEOUT_S)


def _ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The operator's view of a failure: status 1, nothing on stdout, one `error:` line."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    return lines[0]


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _copy(template: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{target}{suffix}")
    return target


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "migrated.db"
    _ok(_cli(_url(path), "migrate"))
    return path


@pytest.fixture(scope="module")
def seeded_template(migrated_template: Path) -> Path:
    path = _copy(migrated_template, migrated_template.with_name("seeded.db"))
    _ok(_cli(_url(path), "seed-demo"))
    return path


@pytest.fixture
def migrated(migrated_template: Path, tmp_path: Path) -> Path:
    return _copy(migrated_template, tmp_path / "test.db")


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path) -> Path:
    return _copy(seeded_template, tmp_path / "test.db")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in COUNTED
        }


async def _viewer_over_http(database_url: str, token: str) -> tuple[int, dict[str, Any]]:
    settings = Settings(database_url=database_url)
    database = create_database(settings)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database)),
            base_url="http://test",
        ) as client:
            response = await client.post(
                "/graphql",
                json={"query": "{ viewer { name role } }"},
                headers={"Authorization": f"Bearer {token}"},
            )
    finally:
        await database.dispose()
    body: dict[str, Any] = response.json()
    body.pop("extensions", None)
    return response.status_code, body


async def _authenticated(database_url: str, tokens: list[str]) -> list[tuple[str, str] | None]:
    database = create_database(Settings(database_url=database_url))
    found: list[tuple[str, str] | None] = []
    try:
        async with database.read_sessions() as session:
            for token in tokens:
                viewer = await api_keys.authenticate(session, token)
                found.append(None if viewer is None else (viewer.name, viewer.role))
    finally:
        await database.dispose()
    return found


# --- configuration errors ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_a_database_url_that_is_no_url_is_one_line(command: str) -> None:
    line = _one_line_error(_cli("nonsense", command))
    assert line == "error: DATABASE_URL is not a database URL: 'nonsense'"


def test_an_unsupported_database_is_one_line() -> None:
    line = _one_line_error(_cli("mysql://x/y", "migrate"))
    assert line == (
        "error: DATABASE_URL must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
        "got mysql://"
    )


def test_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "server.py", "migrate"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": _url(tmp_path / "x.db"), "DB_POOL_SIZE": "many"},
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )
    assert _one_line_error(result) == "error: DB_POOL_SIZE must be an integer, got 'many'"
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://postgres@127.0.0.1:1/test",
        "postgresql+asyncpg://postgres:s3cret-pw@127.0.0.1:1/test",
    ],
)
def test_an_unreachable_postgres_is_one_line_without_the_password(url: str) -> None:
    line = _one_line_error(_cli(url, "migrate"))
    assert line.startswith("error: cannot use the database at postgresql+asyncpg://postgres")
    assert "127.0.0.1:1/test" in line
    assert "s3cret-pw" not in line


def test_seed_demo_needs_a_migrated_database(tmp_path: Path) -> None:
    line = _one_line_error(_cli(_url(tmp_path / "empty.db"), "seed-demo"))
    assert "python server.py migrate" in line


# --- seed-demo ---------------------------------------------------------------------------------


def _keys(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    body = json.loads(result.stdout)
    assert list(body) == ["keys"]
    keys: list[dict[str, Any]] = body["keys"]
    for key in keys:
        assert list(key) == ["name", "role", "partner", "customer", "token"], key
        assert TOKEN.match(key["token"]), key
        # A partner's user belongs to a partner, a customer's user to a customer.
        assert (key["partner"] is None) == (key["role"] == "CUSTOMER_ADMIN"), key
        assert (key["customer"] is None) == (key["role"] != "CUSTOMER_ADMIN"), key
    return keys


def test_seed_demo_is_idempotent_and_prints_fresh_keys(migrated: Path) -> None:
    url = _url(migrated)
    first = _ok(_cli(url, "seed-demo"))
    counts_first = _counts(migrated)
    second = _ok(_cli(url, "seed-demo"))
    counts_second = _counts(migrated)

    keys_first, keys_second = _keys(first), _keys(second)
    principals = [(k["name"], k["role"], k["partner"], k["customer"]) for k in keys_second]
    assert principals == [(k["name"], k["role"], k["partner"], k["customer"]) for k in keys_first]
    assert len(principals) == len(set(principals))
    assert {k["token"] for k in keys_first}.isdisjoint(k["token"] for k in keys_second)
    assert len({k["token"] for k in keys_second}) == len(keys_second)

    # The data set once; only the keys are new.
    assert counts_second == {**counts_first, "api_keys": 2 * counts_first["api_keys"]}
    assert counts_first["api_keys"] == len(keys_first)
    assert counts_first["partners"] >= 2

    partners = list(dict.fromkeys(k["partner"] for k in keys_second if k["partner"]))
    assert len(partners) >= 2
    first_partner_roles = {k["role"] for k in keys_second if k["partner"] == partners[0]}
    assert first_partner_roles == PARTNER_ROLES
    for partner in partners:
        assert any(k["role"] == "GLOBAL_ADMIN" and k["partner"] == partner for k in keys_second)
    customer_admins = [k for k in keys_second if k["role"] == "CUSTOMER_ADMIN"]
    assert len(customer_admins) == 2
    assert len({k["customer"] for k in customer_admins}) == 2

    # stdout is only the JSON; the hints for people are on stderr.
    assert "Paste one line into GraphiQL's Headers pane:" in second.stderr
    assert second.stderr.count("Authorization") == len(keys_second)

    # Every printed key works, the first run's too (a new run does not revoke the old keys).
    viewers = asyncio.run(_authenticated(url, [k["token"] for k in keys_first + keys_second]))
    expected = [(k["name"], k["role"]) for k in keys_first + keys_second]
    assert viewers == expected


# --- create-api-key and revoke-api-key ---------------------------------------------------------


def test_create_api_key_prints_a_token_that_authenticates(seeded: Path) -> None:
    url = _url(seeded)
    result = _ok(_cli(url, "create-api-key", "--principal", "Hana Helpdesk"))
    body = json.loads(result.stdout)
    assert set(body) == {"principal", "role", "key_id", "token", "expires_at"}
    match = TOKEN.match(body["token"])
    assert match is not None
    assert body["key_id"] == match.group(1)
    assert (body["principal"], body["role"], body["expires_at"]) == (
        "Hana Helpdesk",
        "HELPDESK_AGENT",
        None,
    )
    status, answer = asyncio.run(_viewer_over_http(url, body["token"]))
    assert (status, answer) == (
        200,
        {"data": {"viewer": {"name": "Hana Helpdesk", "role": "HELPDESK_AGENT"}}},
    )


def test_create_api_key_by_id_with_an_expiry(seeded: Path) -> None:
    url = _url(seeded)
    with sqlite3.connect(seeded) as connection:
        principal_id = connection.execute(
            "SELECT id FROM principals WHERE name = 'Nick Northwind'"
        ).fetchone()[0]
    before = datetime.now(UTC)
    result = _ok(
        _cli(url, "create-api-key", "--principal", str(principal_id), "--expires-in-days", "2")
    )
    body = json.loads(result.stdout)
    assert (body["principal"], body["role"]) == ("Nick Northwind", "CUSTOMER_ADMIN")
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(days=2) <= expires <= datetime.now(UTC) + timedelta(days=2)
    assert asyncio.run(_authenticated(url, [body["token"]])) == [
        ("Nick Northwind", "CUSTOMER_ADMIN")
    ]


@pytest.mark.parametrize("principal", ["Nobody Here", "nobody@example.com", "99999999999"])
def test_create_api_key_for_an_unknown_principal_is_one_line(seeded: Path, principal: str) -> None:
    before = _counts(seeded)
    line = _one_line_error(_cli(_url(seeded), "create-api-key", "--principal", principal))
    assert line == f"error: no principal has the name, e-mail or id {principal!r}"
    assert _counts(seeded) == before


def _principal_id(path: Path, name: str) -> int:
    with sqlite3.connect(path) as connection:
        found: int = connection.execute(
            "SELECT id FROM principals WHERE name = ?", (name,)
        ).fetchone()[0]
        return found


def test_create_api_key_by_email(seeded: Path) -> None:
    url = _url(seeded)
    with sqlite3.connect(seeded) as connection:
        connection.execute(
            "UPDATE principals SET email = 'hana@contoso.example' WHERE name = 'Hana Helpdesk'"
        )
    body = json.loads(
        _ok(_cli(url, "create-api-key", "--principal", "hana@contoso.example")).stdout
    )
    assert (body["principal"], body["role"]) == ("Hana Helpdesk", "HELPDESK_AGENT")
    match = TOKEN.match(body["token"])
    assert match is not None and match.group(1) == body["key_id"]
    assert asyncio.run(_authenticated(url, [body["token"]])) == [
        ("Hana Helpdesk", "HELPDESK_AGENT")
    ]


def test_create_api_key_for_a_shared_name_names_the_candidates(seeded: Path) -> None:
    """Names repeat (e-mail addresses do not): the operator is told which ids to choose from,
    and no key is minted."""
    first = _principal_id(seeded, "Hana Helpdesk")
    with sqlite3.connect(seeded) as connection:
        second = connection.execute(
            "INSERT INTO principals (name, role, partner_id) "
            "SELECT name, role, partner_id FROM principals WHERE id = ?",
            (first,),
        ).lastrowid
    before = _counts(seeded)
    line = _one_line_error(_cli(_url(seeded), "create-api-key", "--principal", "Hana Helpdesk"))
    assert line == (
        f"error: 'Hana Helpdesk' matches 2 principals (ids {first}, {second}): "
        "give the e-mail or id"
    )
    assert _counts(seeded) == before
    body = json.loads(_ok(_cli(_url(seeded), "create-api-key", "--principal", str(second))).stdout)
    assert (body["principal"], body["role"]) == ("Hana Helpdesk", "HELPDESK_AGENT")


def test_create_api_key_with_a_non_positive_expiry_is_one_line(seeded: Path) -> None:
    before = _counts(seeded)
    line = _one_line_error(
        _cli(_url(seeded), "create-api-key", "--principal", "Alice Admin", "--expires-in-days", "0")
    )
    assert line == "error: --expires-in-days must be at least 1"
    assert _counts(seeded) == before


def test_revoke_api_key_makes_the_key_fail(seeded: Path) -> None:
    url = _url(seeded)
    doomed = json.loads(_ok(_cli(url, "create-api-key", "--principal", "Alice Admin")).stdout)
    spared = json.loads(_ok(_cli(url, "create-api-key", "--principal", "Alice Admin")).stdout)
    assert asyncio.run(_authenticated(url, [doomed["token"]])) == [("Alice Admin", "GLOBAL_ADMIN")]

    revoked = _ok(_cli(url, "revoke-api-key", doomed["key_id"]))
    assert revoked.stdout == ""
    assert revoked.stderr == f"revoked {doomed['key_id']}\n"

    assert asyncio.run(_authenticated(url, [doomed["token"], spared["token"]])) == [
        None,
        ("Alice Admin", "GLOBAL_ADMIN"),
    ]
    status, answer = asyncio.run(_viewer_over_http(url, doomed["token"]))
    assert status == 401
    assert answer["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}

    again = _one_line_error(_cli(url, "revoke-api-key", doomed["key_id"]))
    assert again == f"error: no active API key {doomed['key_id']!r}"


def test_revoke_an_unknown_key_is_one_line(seeded: Path) -> None:
    line = _one_line_error(_cli(_url(seeded), "revoke-api-key", "0123456789abcdef"))
    assert line == "error: no active API key '0123456789abcdef'"


# --- export-schema -----------------------------------------------------------------------------


def test_export_schema_prints_the_sdl(tmp_path: Path) -> None:
    result = _ok(_cli(_url(tmp_path / "unused.db"), "export-schema"))
    assert "type CustomerSubscription implements Node" in result.stdout
    assert "activityAdded(" in result.stdout  # version 2: the subscription root
    assert result.stdout == build_schema().as_str() + "\n"
    assert result.stderr == ""
