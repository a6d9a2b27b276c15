"""Benchmark our GraphQL server against a hand-written ceiling and PostGraphile 5.

    make bench                                     # all of it, scale-out too (30-60 min)
    .venv/bin/python bench/run.py --quick          # 3 s runs, default data set only
    .venv/bin/python bench/run.py --engines sqlite --sets big --ops Q1,Q3

Per engine and data set (default 2000 x 5: Q1 Q2 M1; big 100,000 x 10: Q1 Q3): seed it (kept
between runs), start ONE server process pinned to CPU 0, drive it with wrk pinned to CPU 1, a
warm-up run then --runs measured runs, medians; then the same for bench/ceiling.py and, on
PostgreSQL's default set, for PostGraphile 5 (bench/postgraphile, bench/peer.py). With --scale,
Q1 and M1 on PostgreSQL with `serve --workers 2` against one process (nothing pinned). The table
goes to stdout and to bench/results/latest.md. (`make -o install bench` skips the venv step.)
"""

import argparse
import asyncio
import os
import platform
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import dataset  # noqa: E402
import peer  # noqa: E402
import report  # noqa: E402
from loadgen import Load, WrkRun, run_wrk  # noqa: E402
from processes import Server, peak_rss_mb, serving, wait_for_quiet, wait_idle  # noqa: E402
from targets import (  # noqa: E402
    RESULTS_DIR,
    SIZES,
    Target,
    changed_sources,
    create_postgres_databases,
    database_url,
    log,
    reset_quantities,
    seed,
    source_snapshot,
    write_ids,
)

SCRIPTS = {"Q1": "q1.lua", "Q2": "q2.lua", "M1": "m1.lua", "Q3": "q3.lua"}
SET_OPS = {"default": ("Q1", "Q2", "M1"), "big": ("Q1", "Q3")}
SCALE_OPS = ("Q1", "M1")
Q3_DEPTH = 0.9
SERVER_CPU, WRK_CPU = "0", "1"
PEER_TARGET = ("postgres", "default")  # where PostGraphile runs: (engine, data set)
QUIET_CORES = 0.2
# A budget no benchmark exhausts: the bucket's per-request upsert is still paid, as shipped.
# (The default budget, 5000 cost units a second, allows about two Q1 a second per key.)
# The budget is charged on every request but never refuses: what is measured is its cost.
RATE_LIMITS = {
    "redis": {
        "RATE_LIMIT_CAPACITY": "1000000000",
        "RATE_LIMIT_REFILL_PER_SECOND": "1000000000",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    },
    "database": {"RATE_LIMIT_CAPACITY": "1000000000", "RATE_LIMIT_REFILL_PER_SECOND": "1000000000"},
    "off": {"RATE_LIMIT_CAPACITY": "0"},
}


@dataclass(frozen=True)
class Options:
    engines: tuple[str, ...]
    sets: tuple[str, ...]
    ops: tuple[str, ...]
    load: Load
    warmup_s: int
    runs: int
    ceiling: bool
    peer: bool
    scale: bool
    rate_limit: str
    pg_url: str
    quiet_wait_s: int  # before each measured run, wait this long at most for a quiet machine


@dataclass(frozen=True)
class App:
    name: str  # "graphql" (ours), "ceiling" or "postgraphile": also the wrk scripts' BENCH_TARGET
    command: tuple[str, ...]
    env: dict[str, str]
    label: str = ""  # tells logs apart: "w2" for two workers
    document: Callable[[str], Path] | None = None  # an operation's GraphQL, for the wrk scripts
    check: Callable[[str, dataset.Size], None] | None = None  # (url, size) before the load


def wrk_env(app: App, target: Target, op: str, ids: dict[str, Path]) -> dict[str, str]:
    env = {
        "BENCH_TARGET": app.name,
        "BENCH_TOKEN": target.token,
        "BENCH_QUANTITIES": ",".join(str(q) for q in dataset.M1_QUANTITIES),
    }
    if op in ids:
        env["BENCH_IDS"] = str(ids[op])
    if app.document is not None:
        env["BENCH_DOCUMENT"] = str(app.document(op))
    if op == "Q3":
        env["BENCH_AFTER"] = dataset.cursor_at(target.size, Q3_DEPTH)
    return env


def measure_op(
    server: Server, app: App, target: Target, op: str, ids: dict[str, Path], options: Options
) -> report.Summary:
    env = wrk_env(app, target, op, ids)
    runs: list[WrkRun] = []
    for attempt in range(options.runs + 1):
        if op == "M1":
            m1_ids = [int(line.split()[0]) for line in ids["M1"].read_text().splitlines()]
            asyncio.run(reset_quantities(target.url, m1_ids))
        warmup = attempt == 0
        load = replace(options.load, duration_s=options.warmup_s) if warmup else options.load
        if not warmup and options.quiet_wait_s:
            wait_for_quiet(server.pid, QUIET_CORES, options.quiet_wait_s)
        result = run_wrk(server.url, SCRIPTS[op], env, load, server.pid)
        wait_idle(server.pid)
        name = "warm-up" if warmup else f"run {attempt}/{options.runs}"
        log(
            f"  {target.engine} {target.data_set} {op} {app.name} {name}: "
            f"{result.requests_per_s:.0f} req/s, p50 {result.p50_ms:.2f} ms, "
            f"p99 {result.p99_ms:.2f} ms, other CPU {result.other_cores:.2f}"
        )
        if not warmup:
            runs.append(result)
    return report.Summary.of(runs, peak_rss_mb(server.pid))


def measure_app(
    app: App, target: Target, ops: Sequence[str], options: Options, cpu: str | None
) -> dict[str, report.Summary]:
    ids = write_ids(target)
    name = "-".join(p for p in (target.engine, target.data_set, app.name, app.label) if p)
    log_path = RESULTS_DIR / "logs" / f"{name}.log"
    env = {"DATABASE_URL": target.url, **app.env}
    with serving(app.command, env, log_path, cpu) as server:
        if app.check is not None:
            app.check(server.url, target.size)
        return {op: measure_op(server, app, target, op, ids, options) for op in ops}


def ours(options: Options, workers: int = 1) -> App:
    command = [sys.executable, "server.py", "serve"]
    if workers > 1:
        command += ["--workers", str(workers)]
    return App("graphql", tuple(command), RATE_LIMITS[options.rate_limit])


CEILING = App("ceiling", (sys.executable, "bench/ceiling.py"), {})
POSTGRAPHILE = App(
    "postgraphile", peer.COMMAND, peer.ENV, document=peer.document, check=peer.check_q1
)


def measures_peer(options: Options, engine: str, data_set: str) -> bool:
    return options.peer and (engine, data_set) == PEER_TARGET


def bench_target(target: Target, options: Options) -> list[report.Row]:
    ops = [op for op in SET_OPS[target.data_set] if op in options.ops]
    if not ops:
        return []
    ours_results = measure_app(ours(options), target, ops, options, SERVER_CPU)
    ceiling = measure_app(CEILING, target, ops, options, SERVER_CPU) if options.ceiling else {}
    postgraphile = (
        measure_app(POSTGRAPHILE, target, ops, options, SERVER_CPU)
        if measures_peer(options, target.engine, target.data_set)
        else {}
    )
    return [
        report.Row(
            target.engine,
            target.data_set,
            op,
            ours_results[op],
            ceiling.get(op),
            postgraphile.get(op),
        )
        for op in ops
    ]


def bench_scale(target: Target, options: Options) -> list[report.ScaleRow]:
    """Unpinned: with two server processes there is no spare core for wrk to own."""
    unpinned = replace(options, load=replace(options.load, cpu=None))
    rows = []
    for workers in (1, 2):
        app = replace(ours(options, workers), label=f"w{workers}")
        results = measure_app(app, target, SCALE_OPS, unpinned, None)
        rows += [report.ScaleRow(workers, op, results[op]) for op in SCALE_OPS]
    return rows


@dataclass
class Results:
    rows: list[report.Row]
    scale: list[report.ScaleRow]
    seeds: list[report.SeedRow]
    changed: list[str]  # application files modified while the benchmark ran


def render(results: Results, options: Options, argv: Sequence[str], load_at_start: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, `bench/run.py {' '.join(argv)}`, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at start {load_at_start}.",
        f"wrk -t1 -c{options.load.connections}: a {options.warmup_s} s warm-up, then "
        f"{options.runs} x {options.load.duration_s} s, medians. Server on CPU {SERVER_CPU}, "
        f"wrk on CPU {WRK_CPU}, PostgreSQL unpinned; before each measured run up to "
        f"{options.quiet_wait_s} s of waiting for other processes to use < {QUIET_CORES} cores. "
        f"Rate limit: charged in {options.rate_limit} on every request, with a budget that never "
        "refuses.",
        "",
        *report.main_table(results.rows),
        "",
        "ours/ceiling: requests per second of our server over bench/ceiling.py's; "
        "ours/PostGraphile: over PostGraphile 5's (its Amber preset's schema over the same "
        "tables, on Node 22; PostgreSQL default set only). RSS MB: the "
        "server's peak (VmHWM) so far. errors: failed requests out of all measured ones, and "
        "answers with userErrors; then PostGraphile's failures, if any (an error or a null in "
        "its answer). other CPU: the most CPU (in cores) that processes other "
        "than the server, PostgreSQL and wrk used during a measured run; above ~0.1 the "
        "machine was shared and the numbers are low.",
    ]
    if results.changed:
        lines += ["", "**The application changed while this ran**; these numbers mix versions: "]
        lines[-1] += ", ".join(results.changed)
    if deep := report.deep_page_lines(results.rows):
        lines += ["", "Keyset paging deep into the big set (Q3: 90% through; Q1: first page):"]
        lines += deep
    if results.scale:
        lines += ["", "Scale-out on PostgreSQL, default set, nothing pinned:", ""]
        lines += report.scale_table(results.scale)
    if results.seeds:
        lines += ["", "Seeding (kept: the data set was already there, only a key was minted):", ""]
        lines += report.seed_table(results.seeds)
    return "\n".join(lines) + "\n"


def run(options: Options) -> Results:
    results = Results([], [], [], [])
    if any(measures_peer(options, e, s) for e in options.engines for s in options.sets):
        peer.install()
    if "postgres" in options.engines:
        asyncio.run(create_postgres_databases(options.pg_url, options.sets))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for engine in options.engines:
        for data_set in options.sets:
            target, seeded = seed(
                Target(engine, data_set, database_url(options.pg_url, engine, data_set))
            )
            results.seeds.append(seeded)
            results.rows += bench_target(target, options)
    if options.scale:
        url = database_url(options.pg_url, "postgres", "default")
        target, seeded = seed(Target("postgres", "default", url))
        results.scale = bench_scale(target, options)
    return results


def parse_options(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="postgres,sqlite", help="postgres,sqlite")
    parser.add_argument("--sets", default=None, help="default,big (--quick: default)")
    parser.add_argument("--ops", default="Q1,Q2,M1,Q3")
    parser.add_argument("--duration", type=int, default=None, help="seconds per run (10; quick 3)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up seconds (5; quick 2)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per operation")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", action="store_true", help="3 s runs, default data set only")
    parser.add_argument("--no-ceiling", action="store_true", help="skip bench/ceiling.py")
    parser.add_argument(
        "--no-postgraphile", action="store_true", help="skip PostGraphile (PostgreSQL default set)"
    )
    parser.add_argument("--scale", action="store_true", help="also serve --workers 2 vs 1")
    parser.add_argument("--rate-limit", choices=sorted(RATE_LIMITS), default="redis")
    parser.add_argument("--pg-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=30,
        help="seconds to wait at most, before each measured run, for other processes to use "
        f"less than {QUIET_CORES} cores (0: do not wait)",
    )
    args = parser.parse_args(argv)
    engines = _choices(parser, "--engines", args.engines, ("postgres", "sqlite"))
    sets = _choices(
        parser, "--sets", args.sets or ("default" if args.quick else "default,big"), tuple(SIZES)
    )
    default_duration, default_warmup = (3, 2) if args.quick else (10, 5)
    return Options(
        engines=engines,
        sets=sets,
        ops=_choices(parser, "--ops", args.ops, tuple(SCRIPTS)),
        load=Load(args.duration or default_duration, args.connections, WRK_CPU),
        warmup_s=args.warmup or default_warmup,
        runs=max(1, args.runs),
        ceiling=not args.no_ceiling,
        peer=not args.no_postgraphile,
        scale=args.scale,
        rate_limit=args.rate_limit,
        pg_url=args.pg_url.rstrip("/"),
        quiet_wait_s=max(0, args.quiet_wait),
    )


def _choices(
    parser: argparse.ArgumentParser, flag: str, raw: str, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in raw.split(",") if part.strip())
    unknown = [c for c in chosen if c not in allowed]
    if unknown or not chosen:
        parser.error(f"{flag}: choose among {','.join(allowed)}")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    options = parse_options(argv)
    load_at_start = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    sources = source_snapshot()
    results = run(options)
    results.changed = changed_sources(sources)
    text = render(results, options, argv, load_at_start)
    (RESULTS_DIR / "latest.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
