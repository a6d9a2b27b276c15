"""Server processes for the benchmark: started (optionally pinned to a CPU), waited for,
measured through /proc, and always stopped."""

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def pinned(command: Sequence[str], cpu: str | None) -> list[str]:
    """`taskset -c CPU command` where taskset exists; unpinned otherwise or when cpu is None."""
    if cpu is None or shutil.which("taskset") is None:
        return list(command)
    return ["taskset", "-c", cpu, *command]


@dataclass(frozen=True)
class Server:
    url: str
    process: "subprocess.Popen[bytes]"
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def serving(
    command: Sequence[str], env: dict[str, str], log_path: Path, cpu: str | None
) -> Iterator[Server]:
    """Run `command --port P` until /healthz answers; stop its whole process group afterwards."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        # Its own session, so that uvicorn's worker processes can be stopped with it.
        process = subprocess.Popen(
            pinned([*command, "--port", str(port)], cpu),
            cwd=PROJECT_DIR,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        stop(process)


def stop(process: "subprocess.Popen[bytes]") -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=1.0) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer /healthz within {STARTUP_TIMEOUT_S:.0f} s")


def _stat_fields(pid: int) -> list[str] | None:
    """/proc/<pid>/stat after the command name (which may hold spaces and parentheses)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()


def process_tree(root: int) -> list[int]:
    """The root and all its descendants (uvicorn's workers when --workers > 1)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(int(entry.name))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def peak_rss_mb(root: int) -> float:
    """Sum of VmHWM over the process tree: each process's peak resident set, in MiB."""
    total_kb = 0
    for pid in process_tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def _cpu_ticks(pids: Sequence[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def wait_idle(pid: int, timeout_s: float = 30.0) -> None:
    """Until the server's processes stop using CPU. wrk abandons the requests in flight when its
    time is up; the server still finishes them, and they must not overlap the next run (nor
    land after the M1 reset)."""
    deadline = time.monotonic() + timeout_s
    previous = sum(_cpu_ticks(process_tree(pid)).values())
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = sum(_cpu_ticks(process_tree(pid)).values())
        if now - previous <= 1:
            return
        previous = now


def _postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(entry, "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _busy_ticks() -> int:
    """All CPUs' busy time: every /proc/stat 'cpu' column but idle and iowait."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4]


@dataclass
class CpuMeter:
    """How much CPU went to processes other than ours during a load run, in cores.

    The machine may be shared: this tells a quiet run from a disturbed one. 'Ours' is the
    server's process tree, PostgreSQL and the load generator (a waited-for child of ours).
    """

    server_pid: int
    started_at: float = 0.0
    busy: int = 0
    processes: dict[int, int] = field(default_factory=dict)
    children: float = 0.0

    def start(self) -> None:
        self.started_at = time.monotonic()
        self.busy = _busy_ticks()
        self.processes = self._processes()
        self.children = self._children()

    def _processes(self) -> dict[int, int]:
        return _cpu_ticks(process_tree(self.server_pid) + _postgres_pids())

    @staticmethod
    def _children() -> float:
        times = os.times()
        return (times.children_user + times.children_system) * CLOCK_TICKS

    def other_cores(self) -> float:
        """Since start(): busy CPU time not spent by ours, as a number of cores."""
        elapsed = time.monotonic() - self.started_at
        now = self._processes()
        mine = sum(ticks - self.processes.get(pid, 0) for pid, ticks in now.items())
        mine += round(self._children() - self.children)
        other = (_busy_ticks() - self.busy) - mine
        return max(0.0, other / CLOCK_TICKS / elapsed) if elapsed > 0 else 0.0


def wait_for_quiet(server_pid: int, max_cores: float, timeout_s: float) -> float:
    """Until other processes use less than `max_cores` over a second, for at most `timeout_s`.

    On a shared machine this keeps measured runs out of others' bursts. Returns the last
    reading; the caller reports it whether or not the machine went quiet.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        meter = CpuMeter(server_pid)
        meter.start()
        time.sleep(1.0)
        reading = meter.other_cores()
        if reading < max_cores or time.monotonic() >= deadline:
            return reading
