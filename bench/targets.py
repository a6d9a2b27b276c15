"""The databases the benchmark runs on: created, seeded (bench/seed.py), and the id files the
wrk scripts rotate over. Importers put the project directory on sys.path first."""

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import asyncpg
import dataset
import report
from processes import PROJECT_DIR
from sqlalchemy import delete, update
from sqlalchemy.engine import make_url

from infra.database import create_database
from models import SeatBatch, Subscription
from settings import Settings

RESULTS_DIR = PROJECT_DIR / "bench" / "results"
SIZES = {"default": dataset.DEFAULT, "big": dataset.BIG}
IDS_PER_OP = 1000


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """One engine's database holding one data set, with a fresh key for its bench principal."""

    engine: str
    data_set: str
    url: str
    token: str = ""

    @property
    def size(self) -> dataset.Size:
        return SIZES[self.data_set]


def database_url(pg_url: str, engine: str, data_set: str) -> str:
    name = "bench" if data_set == "default" else f"bench_{data_set}"
    if engine == "sqlite":
        return f"sqlite+aiosqlite:///{RESULTS_DIR / name}.db"
    return f"{pg_url}/{name}"


async def create_postgres_databases(pg_url: str, sets: Sequence[str]) -> None:
    """`createdb bench` and `createdb bench_big`, unless they exist."""
    server = make_url(f"{pg_url}/postgres").set(drivername="postgresql")
    connection = await asyncpg.connect(server.render_as_string(hide_password=False))
    try:
        for data_set in sets:
            name = make_url(database_url(pg_url, "postgres", data_set)).database
            exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def seed(target: Target) -> tuple[Target, report.SeedRow]:
    size = target.size
    log(
        f"seeding {target.engine} {target.data_set} ({size.customers} x "
        f"{size.subscriptions_per_customer})"
    )
    started = time.perf_counter()
    finished = _run_command(
        [
            sys.executable,
            "bench/seed.py",
            "--customers",
            str(size.customers),
            "--subscriptions",
            str(size.subscriptions_per_customer),
            "--reset",
        ],
        {"DATABASE_URL": target.url},
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    sys.stderr.write(finished.stderr)
    token = json.loads(finished.stdout)["token"]
    label = f"{size.customers} x {size.subscriptions_per_customer}"
    loaded = "already there" not in finished.stderr
    row = report.SeedRow(target.engine, target.data_set, label, seconds, loaded)
    return replace(target, token=token), row


def _run_command(
    command: Sequence[str], env: dict[str, str], timeout: float
) -> "subprocess.CompletedProcess[str]":
    finished = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{finished.stderr}")
    return finished


def write_ids(target: Target) -> dict[str, Path]:
    """The files the Q2 and M1 scripts rotate over: '<pk> <global id>' lines."""
    chosen = {
        "Q2": dataset.spread_subscription_ids(target.size, IDS_PER_OP),
        "M1": dataset.manageable_subscription_ids(target.size, IDS_PER_OP),
    }
    files = {}
    for op, ids in chosen.items():
        path = RESULTS_DIR / "ids" / f"{target.data_set}-{op.lower()}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = (f"{pk} {dataset.global_id('CustomerSubscription', pk)}\n" for pk in ids)
        path.write_text("".join(lines))
        files[op] = path
    return files


async def reset_quantities(url: str, ids: list[int]) -> None:
    """Before each M1 run: to a value neither of the run's two alternating quantities has, and
    without the seat batches earlier runs added, so that every run starts from the same rows."""
    database = create_database(Settings(database_url=url))
    try:
        async with database.write_sessions.begin() as session:
            stmt = update(Subscription).where(Subscription.id.in_(ids))
            await session.execute(stmt.values(quantity=dataset.RESET_QUANTITY))
            await session.execute(delete(SeatBatch).where(SeatBatch.subscription_id.in_(ids)))
    finally:
        await database.dispose()


def source_snapshot() -> dict[Path, float]:
    """The application's Python files and their modification times (bench and tests aside)."""
    skipped = {".venv", "bench", "tests", "build"}
    return {
        path: path.stat().st_mtime
        for path in PROJECT_DIR.rglob("*.py")
        if not skipped & set(path.relative_to(PROJECT_DIR).parts)
    }


def changed_sources(before: dict[Path, float]) -> list[str]:
    """Files changed, added or removed since the snapshot: a run measured a moving target."""
    after = source_snapshot()
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return sorted(str(p.relative_to(PROJECT_DIR)) for p in changed)
