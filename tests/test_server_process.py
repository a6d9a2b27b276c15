"""The real `python server.py` process: migrate, seed, serve over TCP, stop on SIGTERM."""

import json
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.processes import free_port, run_cli, running_server

PROJECT_DIR = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_TIMEOUT_S = 10.0
CLI_TIMEOUT_S = 60.0

pytestmark = pytest.mark.slow


def _post(base_url: str, token: str, query: str, variables: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{base_url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "process-test-1"},
        timeout=10.0,
    )


def _result(response: httpx.Response) -> dict[str, Any]:
    """A GraphQL result without its `extensions` (query cost and the like, free to grow)."""
    body: dict[str, Any] = response.json()
    assert isinstance(body.pop("extensions", {}), dict), body
    assert set(body) <= {"data", "errors"}, body
    return body


CUSTOMERS = """
query Customers($search: String) {
  customers(search: $search) {
    totalCount
    nodes {
      companyName
      subscriptions { nodes { id friendlyName quantity status channel canManage version } }
    }
  }
}
"""
CHANGE_QUANTITY = """
mutation Change($id: ID!, $quantity: Int!, $version: Int) {
  changeQuantity(input: {subscriptionId: $id, quantity: $quantity, expectedVersion: $version,
                         clientMutationId: "m1"}) {
    subscription { id friendlyName quantity version }
    userErrors { field message code }
    clientMutationId
  }
}
"""


@contextmanager
def _serving(database_url: str, log_path: Path) -> Iterator[tuple["subprocess.Popen[bytes]", str]]:
    """A `serve` process on a free port, up and answering; always gone afterwards."""
    with running_server(
        database_url, log_path.parent, log_file=log_path, env={"LOG_LEVEL": "INFO"}
    ) as server:
        yield server.process, server.url


def _migrated(tmp_path: Path) -> str:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"
    migrated = run_cli("migrate", database_url=database_url)
    assert migrated.returncode == 0, migrated.stderr
    return database_url


def _stopped_gracefully(log_path: Path) -> None:
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    messages = [line["message"] for line in lines]
    assert "Application shutdown complete." in messages, messages
    assert not any("Traceback" in str(line) for line in lines), lines


def test_migrate_seed_serve_query_mutate_and_stop_on_sigterm(tmp_path: Path) -> None:
    database_url = _migrated(tmp_path)
    seeded = run_cli("seed-demo", database_url=database_url)
    assert seeded.returncode == 0, seeded.stderr
    keys = json.loads(seeded.stdout)["keys"]
    assert "Authorization" in seeded.stderr  # the human hint goes to stderr, not stdout
    admin = next(
        k for k in keys if k["role"] == "GLOBAL_ADMIN" and k["partner"] == "Contoso Cloud Partners"
    )
    log_path = tmp_path / "server.log"
    with _serving(database_url, log_path) as (process, base_url):
        ready = httpx.get(f"{base_url}/readyz", timeout=5.0)
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"

        listed = _post(base_url, admin["token"], CUSTOMERS, {"search": None})
        assert listed.status_code == 200
        assert listed.headers["x-request-id"] == "process-test-1"
        customers = _result(listed)["data"]["customers"]
        assert customers["totalCount"] == 5
        assert [c["companyName"] for c in customers["nodes"]] == [
            "Adatum Corporation",
            "Lamna Healthcare",
            "Northwind Traders",
            "Tailspin Toys",
            "Woodgrove Bank",
        ]
        adatum = customers["nodes"][0]["subscriptions"]["nodes"]
        e3 = next(s for s in adatum if s["friendlyName"] == "Microsoft 365 E3")
        assert {k: v for k, v in e3.items() if k != "id"} == {
            "friendlyName": "Microsoft 365 E3",
            "quantity": 25,
            "status": "ACTIVE",
            "channel": "PARTNER",
            "canManage": True,
            "version": 1,
        }

        changed = _post(
            base_url,
            admin["token"],
            CHANGE_QUANTITY,
            {"id": e3["id"], "quantity": 30, "version": 1},
        )
        assert changed.status_code == 200
        assert _result(changed) == {
            "data": {
                "changeQuantity": {
                    "subscription": {
                        "id": e3["id"],
                        "friendlyName": "Microsoft 365 E3",
                        "quantity": 30,
                        "version": 2,
                    },
                    "userErrors": [],
                    "clientMutationId": "m1",
                }
            }
        }
        # A stale version is refused and changes nothing.
        stale = _post(
            base_url,
            admin["token"],
            CHANGE_QUANTITY,
            {"id": e3["id"], "quantity": 31, "version": 1},
        )
        payload = stale.json()["data"]["changeQuantity"]
        assert payload["subscription"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["VERSION_CONFLICT"]
        again = _post(base_url, admin["token"], CUSTOMERS, {"search": "adatum"})
        nodes = again.json()["data"]["customers"]["nodes"][0]["subscriptions"]["nodes"]
        reread = next(s for s in nodes if s["id"] == e3["id"])
        assert (reread["quantity"], reread["version"]) == (30, 2)

        unauthenticated = httpx.post(
            f"{base_url}/graphql", json={"query": "{ viewer { name } }"}, timeout=5.0
        )
        assert unauthenticated.status_code == 401
        assert unauthenticated.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}

        process.send_signal(signal.SIGTERM)
        # The exit status itself: test_sigterm_exits_with_status_0.
        assert process.wait(timeout=SHUTDOWN_TIMEOUT_S) in (0, -signal.SIGTERM)
    _stopped_gracefully(log_path)


def test_sigterm_shuts_down_then_exits_by_the_signal(tmp_path: Path) -> None:
    """uvicorn finishes in-flight requests, then re-raises SIGTERM (the POSIX convention, which
    systemd counts as a clean stop), so the status names the signal rather than 0."""
    log_path = tmp_path / "server.log"
    with _serving(_migrated(tmp_path), log_path) as (process, _):
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=SHUTDOWN_TIMEOUT_S) == -signal.SIGTERM
    assert "Finished server process" in log_path.read_text()


def test_sigint_exits_with_status_0(tmp_path: Path) -> None:
    log_path = tmp_path / "server.log"
    with _serving(_migrated(tmp_path), log_path) as (process, _):
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=SHUTDOWN_TIMEOUT_S) == 0
    _stopped_gracefully(log_path)


def test_serve_refuses_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    # A wrongly started server would hit the timeout, and subprocess.run kills it then.
    port = free_port()
    result = run_cli("serve", "--port", str(port), database_url=database_url, timeout=CLI_TIMEOUT_S)
    process, stdout, stderr = result, result.stdout, result.stderr
    assert process.returncode == 1
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert "migrate" in lines[0]
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1.0)
