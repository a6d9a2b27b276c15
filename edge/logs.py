"""One JSON object per log line, so that log pipelines need no parsing rules; written in
batches, off the request's own time."""

import json
import logging
import threading
from datetime import UTC, datetime
from typing import TextIO

from infra.internals import skip_caller_lookup

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_ENCODER = json.JSONEncoder(default=str)  # built once: json.dumps builds one per call
FLUSH_EVERY_S = 0.2
FLUSH_AT_LINES = 256
ACCESS_LOGGER = "csp.access"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(entry)


class BatchingHandler(logging.StreamHandler[TextIO]):
    """Request lines (csp.access) collected and written together, at most FLUSH_EVERY_S after
    the first of a batch and when the application shuts down (server.py's lifespan flushes):
    one write for hundreds of lines instead of a write and a flush each. Every other line is
    written at once, after those waiting, so that the order stays."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[str] = []
        flusher = threading.Thread(target=self._flush_periodically, name="log-flush", daemon=True)
        flusher.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - logging must never fail the request it logs
            self.handleError(record)
            return
        self.pending.append(line)
        batched = record.name == ACCESS_LOGGER and record.levelno < logging.WARNING
        if not batched or len(self.pending) >= FLUSH_AT_LINES:
            self.flush()

    def flush(self) -> None:
        with self.lock or threading.RLock():
            if self.pending:
                lines, self.pending = self.pending, []
                self.stream.write("\n".join(lines) + "\n")
            self.stream.flush()

    def _flush_periodically(self) -> None:
        event = threading.Event()
        while not event.wait(FLUSH_EVERY_S):
            if self.pending:
                self.flush()


def configure_logging(level: str) -> None:
    # A line per request: skip what the JSON lines never show, as the logging HOWTO's
    # "Optimization" section advises (the caller's frame, thread and process names).
    skip_caller_lookup()
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = BatchingHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def flush_logs() -> None:
    """Write what is waiting: the process may end by a signal, which skips logging's own
    flush at exit."""
    for handler in logging.getLogger().handlers:
        handler.flush()
