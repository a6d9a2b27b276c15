"""Configuration, read once from the environment and passed down explicitly."""

import os
from dataclasses import dataclass
from datetime import datetime

# Relative to the working directory: the checkout for `make run`, wherever an installed
# package's command runs otherwise.
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/csp.db"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _seconds_list(env: dict[str, str], name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        values = tuple(float(part) for part in raw.split(","))
    except ValueError:
        raise SettingsError(f"{name} must be comma-separated seconds, got {raw!r}") from None
    if any(not 0 <= value <= 7 * 86400 for value in values):
        raise SettingsError(f"{name} must hold seconds between 0 and 7 days, got {raw!r}")
    return values


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _instant(env: dict[str, str], name: str) -> datetime | None:
    raw = env.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an ISO 8601 timestamp, got {raw!r}") from None
    if value.tzinfo is None:
        raise SettingsError(f"{name} needs a UTC offset (such as Z), got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    db_pool_size: int = 10
    db_pool_timeout_s: int = 10
    # The timeout chain, shortest first (docs/timeouts.md): a lock wait, a statement, a request.
    db_lock_timeout_ms: int = 5_000
    db_statement_timeout_ms: int = 10_000
    max_body_bytes: int = 1_000_000
    graphiql: bool = True
    introspection: bool = True
    log_level: str = "INFO"
    max_depth: int = 10
    max_aliases: int = 30
    max_document_bytes: int = 64 * 1024
    max_tokens: int = 2_000
    max_fields: int = 2_000
    max_query_cost: int = 25_000
    # Parsed, valid documents kept per process (schema/documents.py), by their estimated memory.
    document_cache_bytes: int = 16 * 1024 * 1024
    rate_limit_capacity: int = 100_000
    rate_limit_refill_per_second: int = 5_000
    redis_url: str = ""
    request_timeout_s: int = 15
    cors_origins: tuple[str, ...] = ()
    # Answer compiled queries both ways and refuse (500 PLAN_MISMATCH) if they differ: for tests.
    verify_plans: bool = False
    # Seconds between passes of the due-work runner in each serve process; 0: none runs.
    due_work_interval_s: int = 30
    # The instant the process's clock starts at (then runs on): for tests across processes.
    clock_start: datetime | None = None
    # Subscriptions over WebSocket (edge/websocket.py, infra/activity_feed.py).
    events_poll_ms: int = 1_000  # the feed reads the table this often even without a wake-up
    ws_connections_per_key: int = 20
    ws_operations_per_connection: int = 10
    ws_key_recheck_s: int = 30  # a revoked or expired key ends its streams within this
    ws_init_timeout_s: int = 10  # for connection_init, after which the socket closes (4408)
    # Webhooks (EVENTS.md): this process runs a delivery worker; off, others deliver.
    webhook_delivery: bool = True
    # Loopback and private targets, and plain http, only when allowed.
    webhook_allow_private_targets: bool = False
    webhook_poll_ms: int = 200
    webhook_timeout_s: int = 15
    # A claimed delivery's lease: longer than an attempt can take (connect and read timeouts).
    webhook_lease_s: int = 60
    webhook_max_in_flight: int = 50
    # The waits before each retry (Standard Webhooks' schedule, about 3.15 days in all).
    webhook_retry_delays_s: tuple[float, ...] = (
        5,
        300,
        1800,
        7200,
        18000,
        36000,
        50400,
        72000,
        86400,
    )
    # An endpoint failing this long (since its last success) is disabled: 5 days.
    webhook_disable_after_s: int = 5 * 86400

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        return cls(
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            db_pool_size=_int(env, "DB_POOL_SIZE", cls.db_pool_size, minimum=1),
            db_pool_timeout_s=_int(env, "DB_POOL_TIMEOUT", cls.db_pool_timeout_s, minimum=1),
            db_lock_timeout_ms=_int(env, "DB_LOCK_TIMEOUT_MS", cls.db_lock_timeout_ms, minimum=0),
            db_statement_timeout_ms=_int(
                env, "DB_STATEMENT_TIMEOUT_MS", cls.db_statement_timeout_ms, minimum=0
            ),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", cls.max_body_bytes, minimum=1024),
            graphiql=_bool(env, "GRAPHIQL", cls.graphiql),
            introspection=_bool(env, "INTROSPECTION", cls.introspection),
            log_level=(env.get("LOG_LEVEL") or cls.log_level).upper(),
            max_depth=_int(env, "MAX_DEPTH", cls.max_depth, minimum=1),
            max_aliases=_int(env, "MAX_ALIASES", cls.max_aliases, minimum=0),
            max_document_bytes=_int(
                env, "MAX_DOCUMENT_BYTES", cls.max_document_bytes, minimum=1024
            ),
            max_tokens=_int(env, "MAX_TOKENS", cls.max_tokens, minimum=10),
            max_fields=_int(env, "MAX_FIELDS", cls.max_fields, minimum=1),
            document_cache_bytes=_int(env, "DOCUMENT_CACHE_MB", 16, minimum=0) * 1024 * 1024,
            max_query_cost=_int(env, "MAX_QUERY_COST", cls.max_query_cost, minimum=1),
            rate_limit_capacity=_int(env, "RATE_LIMIT_CAPACITY", cls.rate_limit_capacity),
            rate_limit_refill_per_second=_int(
                env, "RATE_LIMIT_REFILL_PER_SECOND", cls.rate_limit_refill_per_second, minimum=1
            ),
            redis_url=env.get("REDIS_URL", ""),
            request_timeout_s=_int(env, "REQUEST_TIMEOUT_S", cls.request_timeout_s, minimum=1),
            verify_plans=_bool(env, "VERIFY_PLANS", cls.verify_plans),
            due_work_interval_s=_int(env, "DUE_WORK_INTERVAL_S", cls.due_work_interval_s),
            clock_start=_instant(env, "CLOCK_START"),
            events_poll_ms=_int(env, "EVENTS_POLL_MS", cls.events_poll_ms, minimum=10),
            ws_connections_per_key=_int(
                env, "WS_CONNECTIONS_PER_KEY", cls.ws_connections_per_key, minimum=1
            ),
            ws_operations_per_connection=_int(
                env, "WS_OPERATIONS_PER_CONNECTION", cls.ws_operations_per_connection, minimum=1
            ),
            ws_key_recheck_s=_int(env, "WS_KEY_RECHECK_S", cls.ws_key_recheck_s, minimum=1),
            ws_init_timeout_s=_int(env, "WS_INIT_TIMEOUT_S", cls.ws_init_timeout_s, minimum=1),
            webhook_delivery=_bool(env, "WEBHOOK_DELIVERY", cls.webhook_delivery),
            webhook_allow_private_targets=_bool(
                env, "WEBHOOK_ALLOW_PRIVATE_TARGETS", cls.webhook_allow_private_targets
            ),
            webhook_poll_ms=_int(env, "WEBHOOK_POLL_MS", cls.webhook_poll_ms, minimum=10),
            webhook_timeout_s=_int(env, "WEBHOOK_TIMEOUT_S", cls.webhook_timeout_s, minimum=1),
            webhook_lease_s=_int(env, "WEBHOOK_LEASE_S", cls.webhook_lease_s, minimum=1),
            webhook_max_in_flight=_int(
                env, "WEBHOOK_MAX_IN_FLIGHT", cls.webhook_max_in_flight, minimum=1
            ),
            webhook_retry_delays_s=_seconds_list(
                env, "WEBHOOK_RETRY_DELAYS_S", cls.webhook_retry_delays_s
            ),
            webhook_disable_after_s=_int(
                env, "WEBHOOK_DISABLE_AFTER_S", cls.webhook_disable_after_s, minimum=1
            ),
            cors_origins=tuple(
                o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip()
            ),
        )

    def __post_init__(self) -> None:
        if self.rate_limit_capacity and self.max_query_cost > self.rate_limit_capacity:
            raise SettingsError(
                "MAX_QUERY_COST must not exceed RATE_LIMIT_CAPACITY, or such queries never run"
            )
        if self.webhook_lease_s <= self.webhook_timeout_s:
            # Else a slow attempt's row could be claimed again while it is still being sent.
            raise SettingsError("WEBHOOK_LEASE_S must be longer than WEBHOOK_TIMEOUT_S")
        # Each wait must end before the one around it, so that the inner one names the cause.
        chain = [
            ("DB_LOCK_TIMEOUT_MS", self.db_lock_timeout_ms),
            ("DB_STATEMENT_TIMEOUT_MS", self.db_statement_timeout_ms),
            ("REQUEST_TIMEOUT_S (in ms)", self.request_timeout_s * 1000),
        ]
        set_ = [(name, value) for name, value in chain if value]
        for (inner, shorter), (outer, longer) in zip(set_, set_[1:], strict=False):
            if shorter >= longer:
                raise SettingsError(f"{inner} must be shorter than {outer}")

    @property
    def lock_wait_ms(self) -> int:
        """The longest a statement waits for a lock: SQLite's busy timeout uses it too."""
        return next(
            value
            for value in (
                self.db_lock_timeout_ms,
                self.db_statement_timeout_ms,
                self.request_timeout_s * 1000,
            )
            if value
        )

    @property
    def rate_limited(self) -> bool:
        """RATE_LIMIT_CAPACITY=0 switches rate limiting off."""
        return self.rate_limit_capacity > 0
