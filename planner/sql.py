"""Building JSON inside the database: the same shapes from PostgreSQL's and SQLite's functions."""

from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from models import global_ids


class Json:
    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def object(self, pairs: list[tuple[str, Any]]) -> ColumnElement[Any]:
        args: list[Any] = []
        for key, value in pairs:
            args.extend((literal(key, String), value))
        return func.json_build_object(*args) if self.postgres else func.json_object(*args)

    def text(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """The answer as text, so that no driver codec parses what the response only wraps."""
        return type_coerce(cast(value, Text) if self.postgres else value, String)

    def nested(self, value: ColumnElement[Any]) -> ColumnElement[Any]:
        """JSON text from a subquery, as JSON rather than as a string (SQLite forgets)."""
        return value if self.postgres else func.json(value)

    def boolean(self, condition: Any) -> ColumnElement[Any]:
        if self.postgres:
            return cast(condition, Boolean)
        return func.json(case((condition, "true"), else_="false"))

    def array(self, item: ColumnElement[Any], order_by: list[Any]) -> ColumnElement[Any]:
        """An aggregate; on SQLite the rows must already come in order (SQLite < 3.44)."""
        if self.postgres:
            return func.coalesce(
                func.json_agg(aggregate_order_by(item, *order_by)), literal_column("'[]'::json")
            )
        return func.json_group_array(func.json(item))

    def empty_array(self) -> ColumnElement[Any]:
        return literal_column("'[]'::json") if self.postgres else func.json("[]")

    def global_id(self, type_name: str, pk: Any) -> ColumnElement[Any]:
        return global_ids.sql(type_name, pk, "postgresql" if self.postgres else "sqlite")
