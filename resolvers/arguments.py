"""Arguments checked before anything runs, with the checks the resolvers themselves apply."""

from typing import Any

from services.customers import CUSTOMER_CURSOR
from services.pagination import PageArgs, window

# Connections whose cursors are not a single integer key.
_CURSORS = {("Query", "customers"): CUSTOMER_CURSOR}


def check_connection(parent: str, field: str, arguments: dict[str, Any]) -> None:
    """Raise the DomainError a connection's resolver would raise for these arguments."""
    args = PageArgs(
        arguments.get("first"),
        arguments.get("after"),
        arguments.get("last"),
        arguments.get("before"),
    )
    window(args, _CURSORS.get((parent, field), (int,)))
