"""Reading back what a change did, or what a refused change must leave as it was."""

from sqlalchemy import func, select

import models
from infra.database import Database

Snapshot = tuple[tuple[tuple[object, ...], ...], int, int]


async def snapshot(database: Database) -> Snapshot:
    """Every subscription's mutable state, and the number of activity and idempotency rows."""
    sub = models.Subscription
    async with database.read_sessions() as s:
        rows = await s.execute(
            select(
                sub.id, sub.quantity, sub.status, sub.version, sub.suspended_at, sub.updated_at
            ).order_by(sub.id)
        )
        activities = (await s.scalars(select(func.count()).select_from(models.Activity))).one()
        records = (
            await s.scalars(select(func.count()).select_from(models.IdempotencyRecord))
        ).one()
    return tuple(tuple(row) for row in rows), activities, records


async def activities_of(database: Database, pk: int) -> list[models.Activity]:
    async with database.read_sessions() as s:
        stmt = select(models.Activity).where(models.Activity.subscription_id == pk)
        return list((await s.scalars(stmt.order_by(models.Activity.id))).all())


async def reread(database: Database, pk: int) -> models.Subscription:
    async with database.read_sessions() as s:
        return await s.get_one(models.Subscription, pk)
