from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    case,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

STATUSES = ("ACTIVE", "SUSPENDED", "CANCELLED", "EXPIRED", "DISABLED", "DELETED")


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        CheckConstraint("billing_cycle IN ('MONTHLY', 'ANNUAL')", name="billing_cycle_known"),
        CheckConstraint("term_duration IN ('P1M', 'P1Y', 'P3Y')", name="term_known"),
        CheckConstraint(
            "(status = 'SUSPENDED') = (suspended_at IS NOT NULL)", name="suspended_at_iff_suspended"
        ),
        CheckConstraint(
            "(next_term_quantity IS NULL) = (next_term_duration IS NULL) "
            "AND (next_term_quantity IS NULL) = (next_term_billing_cycle IS NULL)",
            name="next_term_whole",
        ),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        Index("ix_subscriptions_customer_id_id", "customer_id", "id"),
        Index("ix_subscriptions_parent_subscription_id", "parent_subscription_id"),
        # Where the due-work runner finds what time has made due (services/lifecycle.py).
        Index("ix_subscriptions_status_commitment_end_date", "status", "commitment_end_date"),
        Index("ix_subscriptions_status_status_changed_at", "status", "status_changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    # The partner that sold it; NULL means the customer bought it directly.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    parent_subscription_id: Mapped[int | None] = mapped_column(ForeignKey("subscriptions.id"))
    friendly_name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    billing_cycle: Mapped[str] = mapped_column(String(10))
    auto_renew: Mapped[bool]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    suspended_at: Mapped[datetime | None]
    version: Mapped[int]
    # The current term: its length, its first and last days (inclusive; billing periods count
    # from the first), when it began (its 168-hour window for cancelling opened then: a
    # purchase, or a renewal's completion), and its price per licence per billing period.
    term_duration: Mapped[str] = mapped_column(String(3))
    term_start_date: Mapped[date]
    commitment_end_date: Mapped[date]
    term_started_at: Mapped[datetime]
    unit_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    # A change scheduled for the renewal (Partner Center's scheduledNextTermInstructions).
    next_term_quantity: Mapped[int | None]
    next_term_duration: Mapped[str | None] = mapped_column(String(3))
    next_term_billing_cycle: Mapped[str | None] = mapped_column(String(10))
    # When it entered its status: EXPIRED and DISABLED last a set time from then.
    status_changed_at: Mapped[datetime]
    # An add-on suspended because its base was: reactivating the base reactivates it.
    suspended_with_parent: Mapped[bool] = mapped_column(default=False)

    @hybrid_property
    def channel(self) -> str:
        """PARTNER: a partner sold it. DIRECT: the customer bought it itself. In Python on a
        row, and (below) in SQL, for statements that build their answer in the database."""
        return "DIRECT" if self.partner_id is None else "PARTNER"

    @channel.inplace.expression
    @classmethod
    def _channel_expression(cls) -> ColumnElement[str]:
        return case((cls.partner_id.is_(None), "DIRECT"), else_="PARTNER")


class SeatBatch(Base):
    """Seats bought together (a purchase, an increase, a renewal), removable until their
    168-hour window closes. `quantity` is what is still removable: a decrease takes it from
    the batches whose windows close first."""

    __tablename__ = "seat_batches"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index(
            "ix_seat_batches_subscription_id_refundable_until",
            "subscription_id",
            "refundable_until",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"))
    quantity: Mapped[int]
    added_at: Mapped[datetime]
    refundable_until: Mapped[datetime]
