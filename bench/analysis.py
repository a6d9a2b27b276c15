"""The worst documents the limits allow, sent to a real server: what analysing them costs.

    .venv/bin/python bench/analysis.py [--copies 20]      (`make bench` runs it too)

For each kind of document: its size and tokens, the server's answer (ok, or the error code),
the server's CPU per request (over distinct copies, so that each one misses the document
cache), the CPU that parsing, the limits, validation and planning take when measured in this
process, and the latency of /healthz on the same server, polled throughout.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from graphql import get_introspection_query  # noqa: E402
from graphql.language import Lexer, Source, TokenKind  # noqa: E402
from processes import serving  # noqa: E402

from limits.documents import Entry  # noqa: E402
from planner.answer import plan_of  # noqa: E402
from schema.build import build_schema  # noqa: E402
from settings import Settings  # noqa: E402

SUBSCRIPTION = "subscriptions(first: 1) { nodes { id quantity offer { name } } }"


def _doubling(levels: int) -> str:
    parts = ["query { viewer { ...F0 } }"]
    parts += [f"fragment F{i} on Viewer {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "\n".join([*parts, f"fragment F{levels} on Viewer {{ name }}"])


def _deep_with_fragments() -> str:
    levels = ["customers", "nodes", "subscriptions", "nodes", "customer", "subscriptions"]
    inner = "nodes { id quantity friendlyName offer { name sku } }"
    return f"query {{ ...Q }} fragment Q on Query {{ {' { '.join(levels)} {{ {inner} {'}' * 6} }}"


def _ids(count: int) -> str:
    return ", ".join(f'"Q3VzdG9tZXI6{n}"' for n in range(count))


DOCUMENTS: dict[str, str] = {
    "tokens at the limit (2,000)": f"{{ nodes(ids: [{_ids(1985)}]) {{ id }} }}",
    "tokens over the limit (3,000)": f"{{ nodes(ids: [{_ids(3_000)}]) {{ id }} }}",
    "fragment fan-out 2^17 (727 bytes)": _doubling(17),
    "fragment fan-out 2^150": _doubling(150),
    "fragment cycle": "query { viewer { ...A } } fragment A on Viewer { ...B ...B } "
    "fragment B on Viewer { ...A ...A }",
    "30 aliases (too large to compile)": "{ "
    + " ".join(f"a{i}: customers(first: 1) {{ nodes {{ id {SUBSCRIPTION} }} }}" for i in range(30))
    + " }",
    "31 aliases": "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(31)) + " }",
    "depth 10 through a fragment": _deep_with_fragments(),
    "1,980 field pairs to merge": "{ " + " ".join(["viewer { name }"] * 45) + " }",
    "9,900 field pairs to merge": "{ " + " ".join(["viewer { name }"] * 100) + " }",
    "44 fragments on one selection": "query { viewer { "
    + " ".join(f"...A{i}" for i in range(44))
    + " } } "
    + " ".join(f"fragment A{i} on Viewer {{ name }}" for i in range(44)),
    "introspection": get_introspection_query(descriptions=True),
    "64 KB of comment (the most allowed)": "# " + "x" * 65_000 + "\n{ viewer { name } }",
    "0.9 MB of comment": "# " + "x" * 900_000 + "\n{ viewer { name } }",
}


def tokens(document: str) -> int:
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


@dataclass(frozen=True)
class Measured:
    answer: str
    server_cpu_ms: float
    analysis_cpu_ms: float
    health_ms: list[float]


class HealthPoller:
    """GET /healthz back to back on one connection, recording each latency."""

    def __init__(self, host: str, port: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.latencies: list[float] = []
        self.running = True
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while self.running:
            started = time.perf_counter()
            self.connection.request("GET", "/healthz")
            self.connection.getresponse().read()
            self.latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.005)

    def take(self) -> list[float]:
        taken, self.latencies = self.latencies, []
        return taken


def _cpu_seconds(pid: int) -> float:
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _analysis_cpu_ms(document: str, settings: Settings) -> float:
    """Parsing, the limits, validation and planning, as the server does them on a cache miss."""
    schema = build_schema(settings)
    started = time.process_time()
    accepted = schema.documents.accepted(document)
    if isinstance(accepted, Entry):
        plan_of(accepted, None)
    return (time.process_time() - started) * 1000


def measure(
    document: str, copies: int, post: Callable[[str], str], pid: int, poller: HealthPoller
) -> Measured:
    poller.take()
    before = _cpu_seconds(pid)
    answers = {post(f"# copy {n}\n{document}") for n in range(copies)}
    server_ms = (_cpu_seconds(pid) - before) * 1000 / copies
    # Taken before the in-process analysis below, which holds this process's interpreter and
    # would delay the poller's own requests.
    health = poller.take()
    settings = Settings()
    analysis = statistics.median(_analysis_cpu_ms(document, settings) for _ in range(3))
    return Measured(",".join(sorted(answers)), server_ms, analysis, health)


def _poster(host: str, port: int, token: str) -> Callable[[str], str]:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def post(document: str) -> str:
        connection.request("POST", "/graphql", json.dumps({"query": document}), headers)
        body = json.loads(connection.getresponse().read())
        codes = {e["extensions"]["code"] for e in body.get("errors", [])}
        return "+".join(sorted(codes)) or "ok"

    return post


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="distinct copies per document")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        env = {"DATABASE_URL": f"sqlite+aiosqlite:///{scratch}/analysis.db", "LOG_LEVEL": "WARNING"}
        python = str(PROJECT_DIR / ".venv" / "bin" / "python")
        for command in (["migrate"], ["seed-demo"]):
            output = _run([python, "server.py", *command], env)
        token = next(k["token"] for k in json.loads(output)["keys"] if k["role"] == "GLOBAL_ADMIN")
        with serving(
            [python, "server.py", "serve"], env, Path(scratch) / "server.log", None
        ) as server:
            host, port = server.url.removeprefix("http://").split(":")
            poller = HealthPoller(host, int(port))
            poller.thread.start()
            post = _poster(host, int(port), token)
            print(
                "| document | bytes | tokens | answer | server CPU ms/request | analysis CPU ms "
                "| /healthz p50 ms | p99 ms | max ms |"
            )
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for name, document in DOCUMENTS.items():
                m = measure(document, options.copies, post, server.pid, poller)
                print(
                    f"| {name} | {len(document):,} | {tokens(document):,} | {m.answer} "
                    f"| {m.server_cpu_ms:.1f} | {m.analysis_cpu_ms:.1f} "
                    f"| {_percentile(m.health_ms, 0.5):.1f} | {_percentile(m.health_ms, 0.99):.1f} "
                    f"| {max(m.health_ms, default=0.0):.1f} |",
                    flush=True,
                )
            poller.running = False
    return 0


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        command, cwd=PROJECT_DIR, env={**os.environ, **env}, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    return done.stdout


if __name__ == "__main__":
    raise SystemExit(main())
