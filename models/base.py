from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase

# Primary keys are 32-bit on PostgreSQL: a larger id from a client names nothing.
MAX_ID = 2**31 - 1

# Stable constraint names, so that migrations can name what they alter on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every engine (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Price(TypeDecorator[Decimal]):
    """An exact amount with up to four decimals, stored as a whole number of ten-thousandths
    on every engine: SQLite has no decimal type, and its NUMERIC would pass through a float."""

    impl = BigInteger
    cache_ok = True
    PLACES = 4

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = value.scaleb(self.PLACES)
        if not isinstance(value, Decimal) or scaled != scaled.to_integral_value():
            raise ValueError(f"a price has at most {self.PLACES} decimals: {value!r}")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(int(value)).scaleb(-self.PLACES)


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, Decimal: Price}


class Clock:
    """The application's time. The system's, unless set: tests move it, and a process started
    with CLOCK_START runs from that instant on (for tests across processes, and for demos),
    at the system clock's pace."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set(self, at: datetime) -> None:
        self.offset = at - datetime.now(UTC)

    def advance(self, by: timedelta) -> None:
        self.offset += by

    def reset(self) -> None:
        self.offset = timedelta(0)


CLOCK = Clock()


def utcnow() -> datetime:
    return CLOCK.now()
