"""The benchmark data set's rules, shared by the seeder, the runner and the ceiling app.

Every row's values follow from its position, and primary keys are written explicitly, so the
runner can name ids and cursors without asking the database. Importers put the project
directory on sys.path first.
"""

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.pagination import encode_cursor

PARTNER_NAME = "Bench Partner"
PRINCIPAL_NAME = "Bench Admin"
COUNTRIES = ("US", "GB", "DE", "FR", "NL")
# A fixed clock, so that two seedings of the same size are identical.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
# Quantities stay below this, so every base offer's range holds them.
QUANTITY_SPAN = 250
# The M1 rotation resets its subscriptions to RESET_QUANTITY, then alternates between the next two.
RESET_QUANTITY = 10
M1_QUANTITIES = (11, 12)


@dataclass(frozen=True)
class Size:
    customers: int
    subscriptions_per_customer: int

    @property
    def subscriptions(self) -> int:
        return self.customers * self.subscriptions_per_customer


DEFAULT = Size(2_000, 5)
BIG = Size(100_000, 10)


def company_name(customer_id: int) -> str:
    return f"Customer {customer_id:06d}"


def sort_key(name: str) -> str:
    """The customers list's case-insensitive key (lower() and casefold() agree on these names)."""
    return name.casefold()


def is_direct(subscription_index: int) -> bool:
    """Every 5th subscription was bought by the customer itself."""
    return subscription_index % 5 == 4


def is_suspended(subscription_index: int) -> bool:
    return subscription_index % 7 == 6


def subscription_id(subscription_index: int) -> int:
    return subscription_index + 1


def global_id(type_name: str, pk: int) -> str:
    """As resolvers/global_ids.py encodes them (standard base64, not URL-safe)."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def spread_subscription_ids(size: Size, count: int) -> list[int]:
    """`count` subscription ids spread evenly over the whole table, so reads are not all hot."""
    step = max(1, size.subscriptions // count)
    return [subscription_id(index) for index in range(0, size.subscriptions, step)][:count]


def manageable_subscription_ids(size: Size, count: int) -> list[int]:
    """Active, partner-sold subscriptions (the bench principal may change them), spread evenly."""
    step = max(1, size.subscriptions // count)
    found: list[int] = []
    for start in range(0, size.subscriptions, step):
        index = next(
            (
                i
                for i in range(start, min(start + step, size.subscriptions))
                if not is_direct(i) and not is_suspended(i)
            ),
            None,
        )
        if index is not None:
            found.append(subscription_id(index))
    return found[:count]


def cursor_at(size: Size, fraction: float) -> str:
    """The customers connection's cursor of the customer `fraction` of the way through the list.

    Names are zero-padded, so (sort key, id) order is id order on every collation.
    """
    customer_id = max(1, int(size.customers * fraction))
    return encode_cursor((sort_key(company_name(customer_id)), customer_id))


def created_at(index: int) -> datetime:
    return EPOCH - timedelta(days=index % 700, minutes=index % 1440)
