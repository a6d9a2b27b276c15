from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer
from models.customer import name_key
from services.access import visible_customers
from services.pagination import Page, PageArgs, keyset, to_page, window
from services.validation import clean_text
from services.viewer import Viewer

MAX_SEARCH_LENGTH = 200
# Case-insensitive name, then id: the order of the list and the key of its cursors.
CUSTOMER_SORT = (Customer.company_name_key, Customer.id)
CUSTOMER_CURSOR = (str, int)  # what a cursor of this order carries


def customer_filters(viewer: Viewer, search: str | None) -> list[ColumnElement[bool]]:
    filters = [visible_customers(viewer)]
    if search is not None:
        text = clean_text(search, ("search",), max_length=MAX_SEARCH_LENGTH, code="BAD_USER_INPUT")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        filters.append(
            Customer.company_name_key.like(f"%{name_key(escaped)}%", escape="\\")
            | func.lower(Customer.domain).like(f"%{escaped.lower()}%", escape="\\")
        )
    return filters


async def list_customers(
    session: AsyncSession, viewer: Viewer, args: PageArgs, search: str | None
) -> Page[Customer]:
    """Ordered by company name (case-insensitive), then id, so cursors are stable."""
    win = window(args, CUSTOMER_CURSOR)
    stmt = keyset(
        select(Customer, *CUSTOMER_SORT).where(*customer_filters(viewer, search)),
        CUSTOMER_SORT,
        win,
    )
    rows = (await session.execute(stmt)).all()
    return to_page([((name, pk), customer) for customer, name, pk in rows], win)


async def count_customers(session: AsyncSession, viewer: Viewer, search: str | None) -> int:
    stmt = select(func.count()).select_from(Customer).where(*customer_filters(viewer, search))
    return (await session.execute(stmt)).scalar_one()


async def customers_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Customer]:
    stmt = select(Customer).where(Customer.id.in_(ids), visible_customers(viewer))
    return {customer.id: customer for customer in (await session.scalars(stmt)).all()}
