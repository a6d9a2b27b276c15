from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Activity(Base):
    """One record per successful mutation, written in the mutation's own transaction."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_subscription_id_id", "subscription_id", "id"),
        Index("ix_activities_customer_id_id", "customer_id", "id"),
        # One record per version: a change without its record, or a record twice, cannot commit.
        UniqueConstraint("subscription_id", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    principal_id: Mapped[int] = mapped_column(ForeignKey("principals.id"))
    operation: Mapped[str] = mapped_column(String(30))
    # The subscription's version after the change: one record per version, so they can be matched.
    version: Mapped[int]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
