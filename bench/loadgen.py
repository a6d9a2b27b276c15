"""wrk runs: one bounded run, its output parsed into numbers."""

import math
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from processes import PROJECT_DIR, CpuMeter, pinned

WRK_DIR = Path(__file__).resolve().parent / "wrk"
# A request slower than this is a timeout to wrk, left out of its latencies: keep it generous.
REQUEST_TIMEOUT = "10s"
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    """How to drive a server: wrk's settings and where the load generator runs."""

    duration_s: int
    connections: int
    cpu: str | None  # pin wrk here (the server has the other core)


@dataclass(frozen=True)
class WrkRun:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: int  # connect, read, write errors and timeouts
    failed: int  # answers that were not 200, or held "errors"
    user_errors: int  # answers whose userErrors were not empty
    codes: str  # userErrors codes and counts, "CODE:n,..."
    other_cores: float  # CPU used by other processes during the run


class WrkError(RuntimeError):
    """wrk failed, or printed something this parser does not understand."""


def run_wrk(url: str, script: str, env: dict[str, str], load: Load, server_pid: int) -> WrkRun:
    command = pinned(
        [
            "wrk",
            "-t1",
            f"-c{load.connections}",
            f"-d{load.duration_s}s",
            f"--timeout={REQUEST_TIMEOUT}",
            "--latency",
            "-s",
            str(WRK_DIR / script),
            url,
        ],
        load.cpu,
    )
    meter = CpuMeter(server_pid)
    meter.start()
    finished = subprocess.run(
        command,
        cwd=PROJECT_DIR,
        env={**os.environ, "BENCH_WRK_DIR": str(WRK_DIR), **env},
        capture_output=True,
        text=True,
        timeout=load.duration_s + 60,
        check=False,
    )
    other = meter.other_cores()
    if finished.returncode != 0:
        raise WrkError(f"wrk exited with {finished.returncode}: {finished.stderr.strip()}")
    return parse(finished.stdout, other)


def _number(pattern: str, text: str, default: float | None = None) -> float:
    found = re.search(pattern, text, re.MULTILINE)
    if found is None:
        if default is None:
            raise WrkError(f"no match for {pattern!r} in wrk's output:\n{text}")
        return default
    return float(found.group(1))


def _latency_ms(percentile: str, text: str) -> float:
    """NaN when no request finished within the run (wrk then prints 0.00us)."""
    found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    if found is None:
        raise WrkError(f"no {percentile}% latency in wrk's output:\n{text}")
    value = float(found.group(1)) * _UNITS_MS[found.group(2)]
    return value if value > 0 else math.nan


def _socket_errors(text: str) -> int:
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return 0 if found is None else sum(int(n) for n in found.groups())


def parse(text: str, other_cores: float = 0.0) -> WrkRun:
    """wrk --latency's report plus the BENCH line that bench/wrk/common.lua prints."""
    codes = re.search(r"^BENCH .* codes=(\S*)$", text, re.MULTILINE)
    return WrkRun(
        requests_per_s=_number(r"^Requests/sec:\s+([\d.]+)", text),
        p50_ms=_latency_ms("50", text),
        p99_ms=_latency_ms("99", text),
        requests=int(_number(r"^\s+(\d+) requests in", text)),
        socket_errors=_socket_errors(text),
        failed=int(_number(r"^BENCH .*\bfailed=(\d+)", text)),
        user_errors=int(_number(r"^BENCH .*\buser_errors=(\d+)", text, 0)),
        codes="" if codes is None else codes.group(1),
        other_cores=other_cores,
    )
