"""The HTTP edge through the real ASGI app: authentication, transport rules, error shapes."""

import dataclasses
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

import models
from infra.database import Database
from infra.migrations import head_revision
from models.base import utcnow
from server import create_app
from services import api_keys
from settings import Settings
from tests.factories import World, token_for
from tests.graphql import gid

GRAPHQL_RESPONSE = "application/graphql-response+json"
UNAUTHENTICATED_BODY = {
    "errors": [
        {
            "message": "a valid API key is required: Authorization: Bearer <key>",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}
CHANGE_QUANTITY = """
mutation Change($id: ID!, $quantity: Int!) {
  changeQuantity(input: {subscriptionId: $id, quantity: $quantity}) {
    subscription { quantity version }
    userErrors { code }
  }
}
"""
GENERATED_REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")

Snapshot = tuple[list[tuple[Any, ...]], int]


async def _check_coded(response: httpx.Response) -> None:
    """Every refusal in these tests must be JSON with a code on each error."""
    if response.is_success:
        return
    await response.aread()
    errors = response.json()["errors"]
    assert errors, response.text
    for error in errors:
        assert isinstance(error["extensions"]["code"], str), response.text


@asynccontextmanager
async def _client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, database)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://test",
        event_hooks={"response": [_check_coded]},
    ) as client:
        yield client


@pytest.fixture
async def client(settings: Settings, database: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(settings, database) as c:
        yield c


@pytest.fixture
async def admin_token(database: Database, world: World) -> str:
    async with database.write_sessions.begin() as session:
        return await token_for(session, world.principals["GLOBAL_ADMIN"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The one coded error of a refused request."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    assert "data" not in body, body
    assert len(body["errors"]) == 1, body
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"] == {"code": code}, body
    return error


def _result(response: httpx.Response) -> dict[str, Any]:
    """A GraphQL result without its `extensions` (query cost and the like, free to grow)."""
    body: dict[str, Any] = response.json()
    assert isinstance(body.pop("extensions", {}), dict), body
    assert set(body) <= {"data", "errors"}, body
    return body


async def _snapshot(database: Database) -> Snapshot:
    async with database.read_sessions() as session:
        rows = (
            await session.execute(
                select(
                    models.Subscription.id,
                    models.Subscription.quantity,
                    models.Subscription.status,
                    models.Subscription.version,
                ).order_by(models.Subscription.id)
            )
        ).all()
        activities = await session.scalar(select(func.count()).select_from(models.Activity))
    return [tuple(row) for row in rows], activities or 0


# --- a valid key -------------------------------------------------------------------------------


async def test_valid_key_returns_data(
    client: httpx.AsyncClient, admin_token: str, world: World
) -> None:
    query = (
        "{ viewer { name role partner { name } } customers { totalCount nodes { companyName } } }"
    )
    response = await client.post("/graphql", json={"query": query}, headers=_bearer(admin_token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert _result(response) == {
        "data": {
            "viewer": {
                "name": world.principals["GLOBAL_ADMIN"].name,
                "role": "GLOBAL_ADMIN",
                "partner": {"name": "Partner A"},
            },
            "customers": {
                "totalCount": 3,
                "nodes": [
                    {"companyName": "Created Co"},
                    {"companyName": "Independent Co"},
                    {"companyName": "Shared Co"},
                ],
            },
        }
    }


async def test_bearer_scheme_is_case_insensitive(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { role } }"},
        headers={"Authorization": f"bearer {admin_token}"},
    )
    assert response.status_code == 200
    assert _result(response) == {"data": {"viewer": {"role": "GLOBAL_ADMIN"}}}


# --- 401 -----------------------------------------------------------------------------------------


def _assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert GENERATED_REQUEST_ID.match(response.headers["x-request-id"])
    assert response.json() == UNAUTHENTICATED_BODY


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer    ",
        "Basic dXNlcjpwYXNz",
        "csp_0123456789abcdef_secret",
        "Token {token}",  # a valid key under another scheme
        "Bearer{token}",  # no space after the scheme
        "Bearer not-a-key",
        "Bearer csp_0123456789abcdef",  # no secret
        "Bearer csp_short_secret",  # key id not 16 characters
        "Bearer xyz_0123456789abcdef_secret",  # wrong prefix
        "Bearer {token}" + "x" * 200,  # over-long
        "Bearer csp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # unknown key
    ],
    ids=[
        "missing",
        "empty",
        "bearer-without-token",
        "bearer-blank-token",
        "basic",
        "no-scheme",
        "token-scheme",
        "no-space",
        "not-a-key",
        "no-secret",
        "short-key-id",
        "wrong-prefix",
        "over-long",
        "unknown-key",
    ],
)
async def test_missing_or_malformed_or_unknown_key_is_401(
    client: httpx.AsyncClient, admin_token: str, authorization: str | None
) -> None:
    headers = (
        {} if authorization is None else {"Authorization": authorization.format(token=admin_token)}
    )
    response = await client.post("/graphql", json={"query": "{ viewer { name } }"}, headers=headers)
    _assert_unauthenticated(response)


async def test_wrong_secret_is_401(client: httpx.AsyncClient, admin_token: str) -> None:
    query = {"query": "{ viewer { role } }"}
    assert (
        await client.post("/graphql", json=query, headers=_bearer(admin_token))
    ).status_code == 200
    prefix, key_id, secret = admin_token.split("_", 2)
    flipped = ("B" if secret[0] == "A" else "A") + secret[1:]
    for wrong in (flipped, secret[:-1], secret + "x"):
        response = await client.post(
            "/graphql", json=query, headers=_bearer(f"{prefix}_{key_id}_{wrong}")
        )
        _assert_unauthenticated(response)


async def test_revoked_key_is_401(
    client: httpx.AsyncClient, database: Database, admin_token: str
) -> None:
    query = {"query": "{ viewer { role } }"}
    assert (
        await client.post("/graphql", json=query, headers=_bearer(admin_token))
    ).status_code == 200
    async with database.write_sessions.begin() as session:
        await api_keys.revoke_key(session, admin_token.split("_")[1])
    _assert_unauthenticated(await client.post("/graphql", json=query, headers=_bearer(admin_token)))


async def test_expired_key_is_401_and_unexpired_key_works(
    client: httpx.AsyncClient, database: Database, world: World
) -> None:
    principal_id = world.principals["HELPDESK_AGENT"].id
    async with database.write_sessions.begin() as session:
        expired = await api_keys.issue_key(session, principal_id, utcnow() - timedelta(seconds=1))
        valid = await api_keys.issue_key(session, principal_id, utcnow() + timedelta(hours=1))
    query = {"query": "{ viewer { role } }"}
    ok = await client.post("/graphql", json=query, headers=_bearer(valid.token))
    assert _result(ok) == {"data": {"viewer": {"role": "HELPDESK_AGENT"}}}
    _assert_unauthenticated(
        await client.post("/graphql", json=query, headers=_bearer(expired.token))
    )


async def test_get_without_key_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ viewer { name } }"})
    _assert_unauthenticated(response)


# --- GraphiQL and GET --------------------------------------------------------------------------


async def test_graphiql_loads_without_a_key(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert "graphiql" in response.text.lower()


async def test_graphiql_switched_off_is_404(settings: Settings, database: Database) -> None:
    async with _client(dataclasses.replace(settings, graphiql=False), database) as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})
    error = _error(response, 404, "NOT_FOUND")
    assert error["message"] == "GraphiQL is switched off"


async def test_get_with_query_runs_it(
    client: httpx.AsyncClient, admin_token: str, world: World
) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query One($id: ID!) { customer(id: $id) { companyName country } }",
            "variables": json.dumps({"id": gid("Customer", world.shared.id)}),
            "operationName": "One",
        },
        # A browser's Accept: a query in the URL wins over GraphiQL.
        headers={**_bearer(admin_token), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert _result(response) == {
        "data": {"customer": {"companyName": "Shared Co", "country": "DE"}}
    }


async def test_get_with_variables_not_json_is_400(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "{ viewer { name } }", "variables": "{nope"},
        headers=_bearer(admin_token),
    )
    assert _error(response, 400, "BAD_REQUEST")["message"] == "variables is not valid JSON"


async def test_mutation_by_get_is_405_and_changes_nothing(
    client: httpx.AsyncClient, database: Database, admin_token: str, world: World
) -> None:
    variables = {"id": gid("CustomerSubscription", world.independent_a.id), "quantity": 21}
    before = await _snapshot(database)
    response = await client.get(
        "/graphql",
        params={"query": CHANGE_QUANTITY, "variables": json.dumps(variables)},
        headers=_bearer(admin_token),
    )
    error = _error(response, 405, "METHOD_NOT_ALLOWED")
    assert error["message"] == "only queries may be sent with GET; use POST"
    assert response.headers["allow"] == "POST"
    assert await _snapshot(database) == before
    # The same request by POST is accepted: GET was the only thing wrong with it.
    posted = await client.post(
        "/graphql",
        json={"query": CHANGE_QUANTITY, "variables": variables},
        headers=_bearer(admin_token),
    )
    assert _result(posted) == {
        "data": {
            "changeQuantity": {"subscription": {"quantity": 21, "version": 2}, "userErrors": []}
        }
    }


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_405(
    client: httpx.AsyncClient, admin_token: str, method: str
) -> None:
    response = await client.request(
        method, "/graphql", json={"query": "{ viewer { name } }"}, headers=_bearer(admin_token)
    )
    assert _error(response, 405, "METHOD_NOT_ALLOWED")["message"] == "use GET or POST"
    assert response.headers["allow"] == "GET, POST"


# --- malformed requests ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "body is not valid JSON"),
        (b"", "body is not valid JSON"),
        (b"\xff\xfe{}", "body is not valid JSON"),
        (b"[" * 100_000, "body is not valid JSON"),
        (b'[{"query": "{ viewer { name } }"}]', "batched requests are not supported"),
        (b'"{ viewer { name } }"', "the body must be a JSON object"),
        (b"42", "the body must be a JSON object"),
        (b"null", "the body must be a JSON object"),
        (b"{}", "query must be a non-empty string"),
        (b'{"query": null}', "query must be a non-empty string"),
        (b'{"query": 5}', "query must be a non-empty string"),
        (b'{"query": ["{ viewer { name } }"]}', "query must be a non-empty string"),
        (b'{"query": "   "}', "query must be a non-empty string"),
        (b'{"query": "{ viewer { name } }", "variables": []}', "variables must be an object"),
        (b'{"query": "{ viewer { name } }", "variables": "{}"}', "variables must be an object"),
        (b'{"query": "{ viewer { name } }", "operationName": 1}', "operationName must be a string"),
        (
            b'{"query": "{ viewer { name } }", "operationName": ["A"]}',
            "operationName must be a string",
        ),
        (b'{"query": "{ viewer { name } }", "extensions": 1}', "extensions must be an object"),
        (
            b'{"query": "query A { viewer { name } }", "operationName": "B"}',
            "operationName does not name one operation of the document",
        ),
    ],
    ids=[
        "malformed",
        "empty",
        "not-utf8",
        "deeply-nested",
        "batch",
        "string",
        "number",
        "null",
        "no-query",
        "query-null",
        "query-number",
        "query-list",
        "query-blank",
        "variables-list",
        "variables-string",
        "operation-name-number",
        "operation-name-list",
        "extensions-number",
        "operation-name-unknown",
    ],
)
async def test_malformed_body_is_400(
    client: httpx.AsyncClient, admin_token: str, body: bytes, message: str
) -> None:
    response = await client.post(
        "/graphql",
        content=body,
        headers={**_bearer(admin_token), "Content-Type": "application/json"},
    )
    assert _error(response, 400, "BAD_REQUEST")["message"] == message


async def test_json_with_charset_is_accepted(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.post(
        "/graphql",
        content=b'{"query": "{ viewer { role } }"}',
        headers={**_bearer(admin_token), "Content-Type": "Application/JSON; charset=utf-8"},
    )
    assert _result(response) == {"data": {"viewer": {"role": "GLOBAL_ADMIN"}}}


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/graphql", "application/x-www-form-urlencoded"],
)
async def test_wrong_content_type_is_415(
    client: httpx.AsyncClient, admin_token: str, content_type: str | None
) -> None:
    headers = _bearer(admin_token)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post(
        "/graphql", content=b'{"query": "{ viewer { name } }"}', headers=headers
    )
    assert _error(response, 415, "UNSUPPORTED_MEDIA_TYPE")["message"] == "send application/json"


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={**_bearer(admin_token), "Accept": "text/plain"},
    )
    _error(response, 406, "NOT_ACCEPTABLE")


async def _chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_body_over_the_limit_is_413(
    settings: Settings, database: Database, admin_token: str
) -> None:
    limit = 2048
    padding = " " * limit
    over = json.dumps({"query": "{ viewer { role } }" + padding}).encode()
    under = json.dumps({"query": "{ viewer { role } }" + " " * (limit - 40)}).encode()
    assert len(under) <= limit < len(over)
    headers = {**_bearer(admin_token), "Content-Type": "application/json"}
    small = dataclasses.replace(settings, max_body_bytes=limit)
    async with _client(small, database) as client:
        declared = await client.post("/graphql", content=over, headers=headers)
        streamed = await client.post("/graphql", content=_chunks(over, 500), headers=headers)
        fits = await client.post("/graphql", content=under, headers=headers)
    assert "content-length" not in streamed.request.headers
    for response in (declared, streamed):
        error = _error(response, 413, "PAYLOAD_TOO_LARGE")
        assert error["message"] == f"the body may be at most {limit} bytes"
    assert _result(fits) == {"data": {"viewer": {"role": "GLOBAL_ADMIN"}}}


# --- GraphQL errors ----------------------------------------------------------------------------


async def test_syntax_error_is_graphql_parse_failed(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name"}, headers=_bearer(admin_token)
    )
    assert response.status_code == 200
    assert _result(response) == {
        "errors": [
            {
                "message": "Syntax Error: Expected Name, found <EOF>.",
                "locations": [{"line": 1, "column": 16}],
                "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
            }
        ]
    }


async def test_unknown_field_is_graphql_validation_failed(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ viewer { nope } }"}, headers=_bearer(admin_token)
    )
    assert response.status_code == 200
    assert _result(response) == {
        "errors": [
            {
                "message": (
                    "Cannot query field 'nope' on type 'Viewer'. Did you mean 'name' or 'role'?"
                ),
                "locations": [{"line": 1, "column": 12}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }


async def test_introspection_off_hides_field_suggestions(
    settings: Settings, database: Database, admin_token: str
) -> None:
    async with _client(dataclasses.replace(settings, introspection=False), database) as client:
        unknown = await client.post(
            "/graphql", json={"query": "{ viewer { nope } }"}, headers=_bearer(admin_token)
        )
        schema = await client.post(
            "/graphql",
            json={"query": "{ __schema { types { name } } }"},
            headers=_bearer(admin_token),
        )
    assert [e["message"] for e in unknown.json()["errors"]] == [
        "Cannot query field 'nope' on type 'Viewer'."
    ]
    assert schema.status_code == 200
    body = schema.json()
    assert "data" not in body
    disabled = "GraphQL introspection has been disabled, but the requested query contained"
    assert body["errors"] == [
        {
            "message": f"{disabled} the field '__schema'.",
            "locations": [{"line": 1, "column": 3}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        },
        {
            "message": f"{disabled} the field 'types'.",
            "locations": [{"line": 1, "column": 14}],
            "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
        },
    ]


async def test_several_operations_without_operation_name_is_400(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "query A { viewer { name } } query B { viewer { role } }"},
        headers=_bearer(admin_token),
    )
    _error(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        (GRAPHQL_RESPONSE, 400, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", 400, GRAPHQL_RESPONSE),
        ("application/json", 200, "application/json"),
        ("*/*", 200, "application/json"),
        (None, 200, "application/json"),
    ],
)
async def test_validation_error_status_follows_the_accepted_media_type(
    client: httpx.AsyncClient, admin_token: str, accept: str | None, status: int, media_type: str
) -> None:
    headers = _bearer(admin_token)
    if accept is not None:
        headers["Accept"] = accept
    response = await client.post("/graphql", json={"query": "{ nope }"}, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == media_type
    body = _result(response)
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


async def test_graphql_response_media_type_on_success(
    client: httpx.AsyncClient, admin_token: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { role } }"},
        headers={**_bearer(admin_token), "Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert _result(response) == {"data": {"viewer": {"role": "GLOBAL_ADMIN"}}}


@pytest.mark.parametrize("quantity", [2**31, -(2**31) - 1, 10**20])
async def test_int_variable_beyond_32_bits_is_bad_user_input(
    client: httpx.AsyncClient, database: Database, admin_token: str, world: World, quantity: int
) -> None:
    before = await _snapshot(database)
    variables = {"id": gid("CustomerSubscription", world.independent_a.id), "quantity": quantity}
    response = await client.post(
        "/graphql",
        json={"query": CHANGE_QUANTITY, "variables": variables},
        headers=_bearer(admin_token),
    )
    assert response.status_code == 200
    body = _result(response)
    assert "data" not in body
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert body["errors"][0]["message"].startswith("Variable '$quantity' has invalid value")
    assert await _snapshot(database) == before


@pytest.mark.parametrize("field", ["customers(first: 101)", "offers(first: 101)"])
async def test_page_size_over_100_is_bad_user_input(
    client: httpx.AsyncClient, admin_token: str, field: str
) -> None:
    response = await client.post(
        "/graphql", json={"query": f"{{ {field} {{ totalCount }} }}"}, headers=_bearer(admin_token)
    )
    assert response.status_code == 200
    assert _result(response) == {
        "data": None,
        "errors": [
            {
                "message": "first must be between 0 and 100",
                "locations": [{"line": 1, "column": 3}],
                "path": [field.split("(")[0]],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }


async def test_page_size_100_is_accepted(client: httpx.AsyncClient, admin_token: str) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ customers(first: 100) { totalCount } }"},
        headers=_bearer(admin_token),
    )
    assert _result(response) == {"data": {"customers": {"totalCount": 3}}}


# --- unexpected failures -----------------------------------------------------------------------


@asynccontextmanager
async def _offers_table_missing(database: Database) -> AsyncIterator[None]:
    """A real outage of one table; renamed back so that the next test's cleanup finds it."""
    async with database.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE offers RENAME TO offers_gone"))
    try:
        yield
    finally:
        async with database.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE offers_gone RENAME TO offers"))


async def test_unexpected_failure_is_masked_and_logged_with_the_request_id(
    client: httpx.AsyncClient,
    database: Database,
    admin_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    query = {"query": "{ offers { totalCount nodes { name } } }"}
    async with _offers_table_missing(database):
        response = await client.post("/graphql", json=query, headers=_bearer(admin_token))
    assert response.status_code < 500
    assert response.status_code == 200
    assert _result(response) == {
        "data": None,
        "errors": [
            {
                "message": "Unexpected error",
                "locations": [{"line": 1, "column": 3}],
                "path": ["offers"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    lowered = response.text.lower()
    for leak in ("select", "offers_gone", "no such table", "does not exist", "traceback", "sql"):
        assert leak not in lowered, response.text
    request_id = response.headers["x-request-id"]
    assert GENERATED_REQUEST_ID.match(request_id)
    logged = [r for r in caplog.records if r.name == "csp.errors" and r.levelno == logging.ERROR]
    assert len(logged) == 1, caplog.records
    assert logged[0].__dict__["request_id"] == request_id
    assert logged[0].getMessage() == "unexpected error in offers"
    assert logged[0].exc_info is not None
    # The table's return ends the outage: the failure was the table, nothing else.
    healed = await client.post("/graphql", json=query, headers=_bearer(admin_token))
    assert healed.json()["data"]["offers"]["totalCount"] == 5


async def test_failure_outside_graphql_is_masked_500_and_logged(
    client: httpx.AsyncClient,
    database: Database,
    admin_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Authentication itself fails (its table is gone): a coded 500, never the database's text."""
    caplog.set_level(logging.INFO)
    async with database.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE api_keys RENAME TO api_keys_gone"))
    try:
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { role } }"},
            headers={**_bearer(admin_token), "X-Request-Id": "outage-1"},
        )
    finally:
        async with database.engine.begin() as connection:
            await connection.execute(text("ALTER TABLE api_keys_gone RENAME TO api_keys"))
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"message": "Unexpected error", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]
    }
    assert response.headers["x-request-id"] == "outage-1"
    assert "api_keys" not in response.text
    logged = [r for r in caplog.records if r.name == "csp.errors" and r.levelno == logging.ERROR]
    assert [(r.getMessage(), r.__dict__["request_id"]) for r in logged] == [
        ("unexpected error", "outage-1")
    ]
    assert logged[0].exc_info is not None


async def test_client_request_id_is_echoed(client: httpx.AsyncClient, admin_token: str) -> None:
    for path_headers in (_bearer(admin_token), {}):  # success and refusal alike
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { role } }"},
            headers={**path_headers, "X-Request-Id": "req-42.A_b"},
        )
        assert response.headers["x-request-id"] == "req-42.A_b"


@pytest.mark.parametrize("request_id", ["has space", "x" * 65, "semi;colon", "a/b", ""])
async def test_unusable_request_id_is_replaced(
    client: httpx.AsyncClient, admin_token: str, request_id: str
) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { role } }"},
        headers={**_bearer(admin_token), "X-Request-Id": request_id},
    )
    assert response.status_code == 200
    assert GENERATED_REQUEST_ID.match(response.headers["x-request-id"])


# --- health and unknown paths ------------------------------------------------------------------


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migration": head_revision()}


async def test_unknown_path_is_404_json(client: httpx.AsyncClient) -> None:
    response = await client.get("/nope")
    assert _error(response, 404, "NOT_FOUND")["message"] == "Not Found"


async def test_wrong_method_on_health_is_405_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/healthz")
    assert _error(response, 405, "METHOD_NOT_ALLOWED")["message"] == "Method Not Allowed"
