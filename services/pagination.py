"""Relay cursor pagination done in the database, by keyset (never OFFSET)."""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, TypeVarTuple

from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from models.base import MAX_ID
from services.errors import DomainError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100

T = TypeVar("T")
CursorKey = tuple[Any, ...]
SortKey = Sequence[ColumnElement[Any] | InstrumentedAttribute[Any]]


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True)
class Window:
    """Validated page arguments: how many rows, which direction, and the decoded bounds."""

    size: int
    backward: bool
    after: CursorKey | None
    before: CursorKey | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item)
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(key: CursorKey) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def _fits(part: object, kind: type) -> bool:
    if kind is int:
        # bool is an int to Python, and the keys are 32-bit integers in the database.
        return type(part) is int and 0 <= part <= MAX_ID
    # NUL and lone surrogates reach no database intact.
    return isinstance(part, str) and not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in part)


def decode_cursor(cursor: str, kinds: tuple[type, ...], name: str) -> CursorKey:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error, RecursionError):
        key = None
    if (
        not isinstance(key, list)
        or len(key) != len(kinds)
        or not all(_fits(part, kind) for part, kind in zip(key, kinds, strict=True))
    ):
        raise DomainError("BAD_USER_INPUT", f"{name} is not a valid cursor", (name,))
    return tuple(key)


def window(args: PageArgs, kinds: tuple[type, ...] = (int,)) -> Window:
    """Validated arguments; `kinds` are the types of the sort key's parts, as cursors carry them."""
    if args.first is not None and args.last is not None:
        raise DomainError("BAD_USER_INPUT", "pass first or last, not both", ("first",))
    for name, value in (("first", args.first), ("last", args.last)):
        if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
            raise DomainError(
                "BAD_USER_INPUT", f"{name} must be between 0 and {MAX_PAGE_SIZE}", (name,)
            )
    backward = args.last is not None
    size = args.last if args.last is not None else args.first
    return Window(
        size=DEFAULT_PAGE_SIZE if size is None else size,
        backward=backward,
        after=None if args.after is None else decode_cursor(args.after, kinds, "after"),
        before=None if args.before is None else decode_cursor(args.before, kinds, "before"),
    )


def _key(columns: SortKey) -> Any:
    return columns[0] if len(columns) == 1 else tuple_(*columns)


def bounds(columns: SortKey, win: Window, descending: bool = False) -> list[ColumnElement[bool]]:
    """WHERE clauses for the cursors; `descending` is the connection's natural order."""
    key = _key(columns)
    clauses: list[ColumnElement[bool]] = []
    if win.after is not None:
        clauses.append(
            key < _key_literal(win.after) if descending else key > _key_literal(win.after)
        )
    if win.before is not None:
        clauses.append(
            key > _key_literal(win.before) if descending else key < _key_literal(win.before)
        )
    return clauses


def _key_literal(values: CursorKey) -> Any:
    return values[0] if len(values) == 1 else tuple_(*values)


def ordering(columns: SortKey, win: Window, descending: bool = False) -> list[ColumnElement[Any]]:
    """Fetch order: the natural order, reversed when paging backward from the end."""
    reverse = win.backward != descending
    return [column.desc() if reverse else column.asc() for column in columns]


Row = TypeVarTuple("Row")


def keyset(
    stmt: Select[*Row], columns: SortKey, win: Window, descending: bool = False
) -> Select[*Row]:
    return (
        stmt.where(*bounds(columns, win, descending))
        .order_by(*ordering(columns, win, descending))
        .limit(win.size + 1)
    )


def to_page(rows: Sequence[tuple[CursorKey, T]], win: Window) -> Page[T]:
    """Rows as fetched by `keyset` (one more than the page) to a page in natural order."""
    more = len(rows) > win.size
    kept = list(rows[: win.size])
    if win.backward:
        kept.reverse()
    items = [(encode_cursor(key), item) for key, item in kept]
    if win.backward:
        return Page(items, has_next_page=win.before is not None, has_previous_page=more)
    return Page(items, has_next_page=more, has_previous_page=win.after is not None)


async def counts(
    session: AsyncSession, stmt: Select[int | None, int], owner_ids: Sequence[int]
) -> dict[int, int]:
    """`stmt`'s (owner id, count) rows for each of `owner_ids`; 0 for those it has no row for."""
    found = dict.fromkeys(owner_ids, 0)
    for owner_id, count in (await session.execute(stmt)).all():
        if owner_id is not None:  # never: such a statement filters on owner_ids
            found[owner_id] = count
    return found
