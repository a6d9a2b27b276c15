from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Partner
from services.access import visible_partners
from services.viewer import Viewer


async def partners_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Partner]:
    stmt = select(Partner).where(Partner.id.in_(ids), visible_partners(viewer))
    return {partner.id: partner for partner in (await session.scalars(stmt)).all()}
