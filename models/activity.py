from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Activity(Base):
    """One record per successful change, written in the change's own transaction: the audit
    trail, and the events that streams and webhooks deliver."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_subscription_id_id", "subscription_id", "id"),
        Index("ix_activities_customer_id_id", "customer_id", "id"),
        # One record per version: a change without its record, or a record twice, cannot commit.
        UniqueConstraint("subscription_id", "version"),
        # A subscription's change has its version; a customer's (its creation) has neither.
        CheckConstraint(
            "(subscription_id IS NULL) = (version IS NULL)", name="version_iff_subscription"
        ),
        CheckConstraint(
            "actor_kind IN ('PARTNER_USER', 'CUSTOMER_USER', 'SYSTEM')", name="actor_kind_known"
        ),
        CheckConstraint(
            "(actor_kind = 'SYSTEM') = (principal_id IS NULL)", name="system_has_no_principal"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    # Who acted: a principal (no foreign key: a record outlives what it names, and checking one
    # locked the principal's row in every change), its partner if any, and as it was then.
    principal_id: Mapped[int | None]
    partner_id: Mapped[int | None]
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_name: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(30))
    # The subscription's version after the change: one record per version, so they can be matched.
    version: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
