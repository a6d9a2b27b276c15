"""Configuration, read once from the environment and passed down explicitly."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_DIR / 'data' / 'csp.db'}"


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


def _bool(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    db_pool_size: int = 10
    db_pool_timeout_s: int = 10
    db_statement_timeout_ms: int = 10_000
    max_body_bytes: int = 1_000_000
    graphiql: bool = True
    introspection: bool = True
    log_level: str = "INFO"

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
            db_statement_timeout_ms=_int(
                env, "DB_STATEMENT_TIMEOUT_MS", cls.db_statement_timeout_ms, minimum=0
            ),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", cls.max_body_bytes, minimum=1024),
            graphiql=_bool(env, "GRAPHIQL", cls.graphiql),
            introspection=_bool(env, "INTROSPECTION", cls.introspection),
            log_level=(env.get("LOG_LEVEL") or cls.log_level).upper(),
        )
