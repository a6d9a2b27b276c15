"""Relay global ids: base64 of "TypeName:primary key", in Python and in SQL.

The one definition of the format; below every layer, so that resolvers, services and the
planner's SQL all use it.
"""

import base64
import binascii
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, literal

from models.base import MAX_ID

# Decoded value of a malformed id, or of one naming another type: no row has primary key 0,
# so it is "unknown" to every service without a second code path.
UNKNOWN = 0


def encode(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


# SQLite has no base64: infra.database registers `encode` under this name on every connection.
SQLITE_FUNCTION = "csp_global_id"


def sql(type_name: str, pk: Any, dialect: str) -> ColumnElement[str]:
    """`encode` as an SQL expression, for statements that build their answer in the database.
    (PostgreSQL's base64 breaks lines after 76 characters; no id of ours is that long.)"""
    if dialect == "postgresql":
        text = literal(f"{type_name}:", String) + cast(pk, String)
        return func.encode(func.convert_to(text, "UTF8"), "base64")
    function: ColumnElement[str] = getattr(func, SQLITE_FUNCTION)(type_name, pk)
    return function


def parse(global_id: str) -> tuple[str, int] | None:
    if len(global_id) > 100:
        return None
    try:
        type_name, _, raw_pk = base64.b64decode(global_id, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not raw_pk.isascii() or not raw_pk.isdigit() or len(raw_pk) > 10 or int(raw_pk) > MAX_ID:
        return None
    return type_name, int(raw_pk)


def decode(global_id: str, type_name: str) -> int:
    parsed = parse(global_id)
    if parsed is None or parsed[0] != type_name:
        return UNKNOWN
    return parsed[1]
