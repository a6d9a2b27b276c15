"""Reading back what a change did, or what a refused change must leave as it was."""

from sqlalchemy import func, select

import models
from infra.database import Database

Rows = tuple[tuple[object, ...], ...]
# (subscriptions, activity records, idempotency records, seat batches, customers, principals)
Snapshot = tuple[Rows, int, int, Rows, int, int]


async def snapshot(database: Database) -> Snapshot:
    """Every subscription's and seat batch's mutable state, and how many activity,
    idempotency, customer and principal rows there are."""
    sub, batch = models.Subscription, models.SeatBatch
    async with database.read_sessions() as s:
        rows = await s.execute(
            select(
                sub.id,
                sub.quantity,
                sub.status,
                sub.version,
                sub.suspended_at,
                sub.updated_at,
                sub.friendly_name,
                sub.auto_renew,
                sub.next_term_quantity,
                sub.next_term_duration,
                sub.next_term_billing_cycle,
                sub.commitment_end_date,
                sub.suspended_with_parent,
            ).order_by(sub.id)
        )
        batches = await s.execute(select(batch.id, batch.quantity).order_by(batch.id))

        async def count(model: type[models.Base]) -> int:
            return (await s.scalars(select(func.count()).select_from(model))).one()

        return (
            tuple(tuple(row) for row in rows),
            await count(models.Activity),
            await count(models.IdempotencyRecord),
            tuple(tuple(row) for row in batches),
            await count(models.Customer),
            await count(models.Principal),
        )


async def activities_of(database: Database, pk: int) -> list[models.Activity]:
    async with database.read_sessions() as s:
        stmt = select(models.Activity).where(models.Activity.subscription_id == pk)
        return list((await s.scalars(stmt.order_by(models.Activity.id))).all())


async def reread(database: Database, pk: int) -> models.Subscription:
    async with database.read_sessions() as s:
        return await s.get_one(models.Subscription, pk)
