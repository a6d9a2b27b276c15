from datetime import datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("status IN ('ACTIVE', 'SUSPENDED', 'DELETED')", name="status_known"),
        CheckConstraint("billing_cycle IN ('MONTHLY', 'ANNUAL')", name="billing_cycle_known"),
        CheckConstraint(
            "(status = 'SUSPENDED') = (suspended_at IS NOT NULL)", name="suspended_at_iff_suspended"
        ),
        Index("ix_subscriptions_customer_id_id", "customer_id", "id"),
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

    @hybrid_property
    def channel(self) -> str:
        """PARTNER: a partner sold it. DIRECT: the customer bought it itself. In Python on a
        row, and (below) in SQL, for statements that build their answer in the database."""
        return "DIRECT" if self.partner_id is None else "PARTNER"

    @channel.inplace.expression
    @classmethod
    def _channel_expression(cls) -> ColumnElement[str]:
        return case((cls.partner_id.is_(None), "DIRECT"), else_="PARTNER")
