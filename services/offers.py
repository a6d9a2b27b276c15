"""The offer catalogue, and which offers a partner may sell to a customer."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Customer, Offer, OfferPrerequisite
from services.access import authorised_offers, sold_in, visible_customers
from services.pagination import Page, PageArgs, keyset, to_page, window
from services.viewer import Viewer

_SORT = (Offer.id,)


def sellable_offers(viewer: Viewer, customer_id: int | None) -> list[ColumnElement[bool]]:
    """Offers the viewer's partner may sell, in the customer's country if one is given."""
    filters = [authorised_offers(viewer)]
    if customer_id is not None:
        country = (
            select(Customer.country)
            .where(Customer.id == customer_id, visible_customers(viewer))
            .scalar_subquery()
        )
        filters.append(sold_in(country))
    return filters


async def list_offers(
    session: AsyncSession, viewer: Viewer, args: PageArgs, customer_id: int | None
) -> Page[Offer]:
    win = window(args)
    stmt = keyset(select(Offer).where(*sellable_offers(viewer, customer_id)), _SORT, win)
    offers = (await session.scalars(stmt)).all()
    return to_page([((offer.id,), offer) for offer in offers], win)


async def count_offers(session: AsyncSession, viewer: Viewer, customer_id: int | None) -> int:
    stmt = select(func.count()).select_from(Offer).where(*sellable_offers(viewer, customer_id))
    return (await session.execute(stmt)).scalar_one()


async def offers_by_ids(session: AsyncSession, ids: Sequence[int]) -> dict[int, Offer]:
    """The catalogue is public to every principal: an offer is visible wherever it is used."""
    offers = (await session.scalars(select(Offer).where(Offer.id.in_(ids)))).all()
    return {offer.id: offer for offer in offers}


async def prerequisites_by_offer_ids(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[Offer]]:
    stmt = (
        select(OfferPrerequisite.offer_id, Offer)
        .join(Offer, Offer.id == OfferPrerequisite.prerequisite_offer_id)
        .where(OfferPrerequisite.offer_id.in_(ids))
        .order_by(OfferPrerequisite.offer_id, Offer.id)
    )
    found: dict[int, list[Offer]] = {pk: [] for pk in ids}
    for offer_id, offer in (await session.execute(stmt)).all():
        found[offer_id].append(offer)
    return found
