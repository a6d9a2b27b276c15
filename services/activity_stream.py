"""What a stream of activity shows each viewer: the same records Query.activity shows
(access.visible_activity), decided in SQL for many viewers at once."""

from collections.abc import Sequence

from sqlalchemy import Integer, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models import Activity
from services.access import visible_activity
from services.errors import DomainError
from services.viewer import Viewer

# A resume replays at most this many records; further behind, the client reloads instead.
MAX_REPLAY = 500


async def visible_among(
    session: AsyncSession, viewers: Sequence[Viewer], ids: Sequence[int]
) -> list[set[int]]:
    """Of the records `ids`, those each viewer sees, in the viewers' order: one statement for
    all of them, however many subscribers share a process."""
    if not viewers or not ids:
        return [set() for _ in viewers]
    stmt = union_all(
        *(
            select(literal(index, Integer).label("viewer"), Activity.id).where(
                Activity.id.in_(ids), visible_activity(viewer)
            )
            for index, viewer in enumerate(viewers)
        )
    )
    seen: list[set[int]] = [set() for _ in viewers]
    for index, activity_id in (await session.execute(stmt)).all():
        seen[index].add(activity_id)
    return seen


async def missed(
    session: AsyncSession, viewer: Viewer, after: int, upto: int, customer_id: int | None
) -> list[Activity]:
    """The records the viewer sees with ids in (after, upto], oldest first; DomainError
    RESYNC_REQUIRED when there are more than MAX_REPLAY of them."""
    stmt = (
        select(Activity)
        .where(Activity.id > after, Activity.id <= upto, visible_activity(viewer))
        .order_by(Activity.id)
        .limit(MAX_REPLAY + 1)
    )
    if customer_id is not None:
        stmt = stmt.where(Activity.customer_id == customer_id)
    rows = list((await session.scalars(stmt)).all())
    if len(rows) > MAX_REPLAY:
        raise DomainError(
            "RESYNC_REQUIRED",
            f"more than {MAX_REPLAY} records were missed: reload with Query.activity",
        )
    return rows
