from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class IdempotencyRecord(Base):
    """The unique (principal, key) pair makes concurrent retries create one object: the
    subscription or the customer a request with this key created first."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("principal_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    # What the first answer held besides the object (a purchase's charge preview).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
