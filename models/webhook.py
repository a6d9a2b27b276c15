from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# The event types an endpoint subscribes to, one bit each (services/webhooks.py names them):
# matching an activity is a bitwise AND on every engine, and the column cannot name none.
ALL_EVENT_TYPES = 0b1111


class WebhookEndpoint(Base):
    """A partner's HTTPS endpoint, which receives the events it subscribes to, signed with its
    secret (and, for a day after a rotation, with the previous one too)."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        CheckConstraint(f"event_types BETWEEN 1 AND {ALL_EVENT_TYPES}", name="event_types_known"),
        CheckConstraint(
            "(previous_secret IS NULL) = (previous_secret_expires_at IS NULL)",
            name="previous_secret_expires",
        ),
        Index("ix_webhook_endpoints_partner_id_id", "partner_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[int]
    enabled: Mapped[bool]
    # Kept in clear: signing needs it. Shown to the partner once, when created or rotated.
    secret: Mapped[str] = mapped_column(String(100))
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    # The first failure since the last success: failing for long enough disables the endpoint.
    failing_since: Mapped[datetime | None]


class WebhookDelivery(Base):
    """The outbox: one row per (endpoint, event), written in the change's own transaction,
    claimed by status and time (never by an id cursor), marked only after the response."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("endpoint_id", "activity_id"),
        Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint("status IN ('PENDING', 'SUCCEEDED', 'FAILED')", name="status_known"),
        CheckConstraint(
            "(status = 'PENDING') = (next_attempt_at IS NOT NULL)", name="pending_has_next"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    event_id: Mapped[str] = mapped_column(String(20))
    event_type: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int]
    last_response_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    next_attempt_at: Mapped[datetime | None]
    # A worker's claim: past it (the worker died mid-delivery), another may claim the row.
    locked_until: Mapped[datetime | None]
    # The body, frozen at the first attempt: every retry sends (and signs) the same bytes.
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
