"""Benchmark results: medians of the measured runs, and the Markdown tables that show them."""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from loadgen import WrkRun


@dataclass(frozen=True)
class Summary:
    """The measured runs of one operation against one server: medians, totals, worst noise."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    rss_mb: float
    requests: int
    failed: int  # non-2xx, socket errors, or GraphQL errors
    user_errors: int
    codes: str
    other_cores: float

    @classmethod
    def of(cls, runs: Sequence[WrkRun], rss_mb: float) -> "Summary":
        return cls(
            requests_per_s=statistics.median(r.requests_per_s for r in runs),
            p50_ms=_median([r.p50_ms for r in runs]),
            p99_ms=_median([r.p99_ms for r in runs]),
            rss_mb=rss_mb,
            requests=sum(r.requests for r in runs),
            failed=sum(r.failed + r.socket_errors for r in runs),
            user_errors=sum(r.user_errors for r in runs),
            codes=",".join(r.codes for r in runs if r.codes),
            other_cores=max(r.other_cores for r in runs),
        )


def _median(values: Sequence[float]) -> float:
    """Of the runs in which some request finished; NaN if none did."""
    finished = [v for v in values if not math.isnan(v)]
    return statistics.median(finished) if finished else math.nan


@dataclass(frozen=True)
class Row:
    engine: str
    data_set: str
    op: str
    ours: Summary
    ceiling: Summary | None
    peer: Summary | None = None  # PostGraphile 5


@dataclass(frozen=True)
class ScaleRow:
    workers: int
    op: str
    result: Summary


@dataclass(frozen=True)
class SeedRow:
    engine: str
    data_set: str
    size: str
    seconds: float
    loaded: bool


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return [line, rule, *body]


def _ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(numerator: float, denominator: float, suffix: str = "") -> str:
    if not denominator or math.isnan(numerator) or math.isnan(denominator):
        return "-"
    return f"{numerator / denominator:.2f}{suffix}"


def _problems(summary: Summary) -> str:
    """Failures and userErrors as 'failed/requests', so a fast run of errors stands out."""
    parts = []
    if summary.failed:
        parts.append(f"{summary.failed}/{summary.requests} failed")
    if summary.user_errors:
        parts.append(f"{summary.user_errors}/{summary.requests} userErrors ({summary.codes})")
    return "; ".join(parts) or f"0/{summary.requests}"


def _peer_problems(peer: Summary | None) -> str:
    """PostGraphile's failures (errors in a 200 answer count), lest its figure stand unexplained."""
    if peer is None or not peer.failed:
        return ""
    return f"; PostGraphile {peer.failed}/{peer.requests} failed"


def main_table(rows: Sequence[Row]) -> list[str]:
    header = [
        "engine",
        "set",
        "op",
        "req/s",
        "p50 ms",
        "p99 ms",
        "RSS MB",
        "ceiling req/s",
        "ceiling p50 ms",
        "ours/ceiling",
        "PostGraphile req/s",
        "ours/PostGraphile",
        "errors",
        "other CPU",
    ]
    cells = []
    for row in rows:
        ours, ceiling, peer = row.ours, row.ceiling, row.peer
        measured = [s for s in (ours, ceiling, peer) if s is not None]
        cells.append(
            [
                row.engine,
                row.data_set,
                row.op,
                f"{ours.requests_per_s:.0f}",
                _ms(ours.p50_ms),
                _ms(ours.p99_ms),
                f"{ours.rss_mb:.0f}",
                "-" if ceiling is None else f"{ceiling.requests_per_s:.0f}",
                "-" if ceiling is None else _ms(ceiling.p50_ms),
                "-" if ceiling is None else _ratio(ours.requests_per_s, ceiling.requests_per_s),
                "-" if peer is None else f"{peer.requests_per_s:.0f}",
                "-" if peer is None else _ratio(ours.requests_per_s, peer.requests_per_s),
                _problems(ours) + _peer_problems(peer),
                f"{max(s.other_cores for s in measured):.2f}",
            ]
        )
    return _table(header, cells)


def deep_page_lines(rows: Sequence[Row]) -> list[str]:
    """Q3 (a page 90% into the big list) against Q1 (its first page): keyset paging's promise."""
    lines = []
    for engine in dict.fromkeys(r.engine for r in rows):
        found = {r.op: r for r in rows if r.engine == engine and r.data_set == "big"}
        if "Q1" in found and "Q3" in found:
            q1, q3 = found["Q1"], found["Q3"]
            text = (
                f"- {engine}: Q3 p50 {_ms(q3.ours.p50_ms)} ms vs Q1 p50 {_ms(q1.ours.p50_ms)} ms "
                f"({_ratio(q3.ours.p50_ms, q1.ours.p50_ms, 'x')})"
            )
            if q1.ceiling and q3.ceiling:
                ratio = _ratio(q3.ceiling.p50_ms, q1.ceiling.p50_ms, "x")
                text += f"; ceiling {_ms(q3.ceiling.p50_ms)} vs {_ms(q1.ceiling.p50_ms)} ms"
                text += f" ({ratio})"
            lines.append(text)
    return lines


def scale_table(rows: Sequence[ScaleRow]) -> list[str]:
    single = {r.op: r.result.requests_per_s for r in rows if r.workers == 1}
    header = ["workers", "op", "req/s", "p50 ms", "p99 ms", "RSS MB", "vs 1 process", "errors"]
    cells = [
        [
            str(r.workers),
            r.op,
            f"{r.result.requests_per_s:.0f}",
            _ms(r.result.p50_ms),
            _ms(r.result.p99_ms),
            f"{r.result.rss_mb:.0f}",
            _ratio(r.result.requests_per_s, single.get(r.op, 0), "x"),
            _problems(r.result),
        ]
        for r in rows
    ]
    return _table(header, cells)


def seed_table(rows: Sequence[SeedRow]) -> list[str]:
    header = ["engine", "set", "size", "seconds", "what"]
    cells = [
        [r.engine, r.data_set, r.size, f"{r.seconds:.1f}", "loaded" if r.loaded else "kept"]
        for r in rows
    ]
    return _table(header, cells)
