from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Partner
from services.viewer import Viewer


async def partners_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, Partner]:
    """A principal sees only its own partner: partners never learn of each other."""
    wanted = [pk for pk in ids if pk == viewer.partner_id]
    if not wanted:
        return {}
    partners = (await session.scalars(select(Partner).where(Partner.id.in_(wanted)))).all()
    return {partner.id: partner for partner in partners}
