"""Idempotency keys: a retried request gets the first answer again, and creates nothing new.

Keys are scoped to the principal, across mutations: a fingerprint of the operation and its
input tells a retry from a different request under the same key.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from infra.transactions import RetryableConflict
from models import IdempotencyRecord
from services.errors import DomainError
from services.validation import check_opaque
from services.viewer import Viewer

MAX_KEY = 200
FIELD = ("idempotencyKey",)


def fingerprint(operation: str, request: dict[str, Any]) -> str:
    text = json.dumps({"operation": operation, "input": request}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


async def first_answer(
    session: AsyncSession, viewer: Viewer, key: str, request_hash: str
) -> IdempotencyRecord | None:
    """The record of the first request with this key, or None if this is the first."""
    check_opaque(key, FIELD, max_length=MAX_KEY)
    stmt = select(IdempotencyRecord).where(
        IdempotencyRecord.principal_id == viewer.principal_id, IdempotencyRecord.key == key
    )
    record = (await session.scalars(stmt)).one_or_none()
    if record is not None and record.request_hash != request_hash:
        raise DomainError(
            "IDEMPOTENCY_KEY_REUSED",
            "this idempotency key was used before with a different input",
            FIELD,
        )
    return record


async def remember(
    session: AsyncSession,
    viewer: Viewer,
    key: str,
    request_hash: str,
    now: datetime,
    *,
    subscription_id: int | None = None,
    customer_id: int | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    """Keep the first answer; a concurrent request with the same key that committed first
    makes this transaction run again, and replay that one."""
    session.add(
        IdempotencyRecord(
            principal_id=viewer.principal_id,
            key=key,
            request_hash=request_hash,
            subscription_id=subscription_id,
            customer_id=customer_id,
            result=result,
            created_at=now,
        )
    )
    try:
        await session.flush()
    except IntegrityError as error:
        raise RetryableConflict from error
