from datetime import datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


def name_key(name: str) -> str:
    """Search and sort key: Unicode case folding, the same on every engine (SQL lower() is not)."""
    return name.casefold()


def _name_key_default(context: DefaultExecutionContext) -> str:
    parameters: dict[str, str] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return name_key(parameters["company_name"])


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("length(country) = 2", name="country_alpha2"),
        CheckConstraint("group_seats >= 0", name="group_seats_not_negative"),
        # Case-insensitive search and keyset paging both walk this order.
        Index("ix_customers_company_name_key_id", "company_name_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str] = mapped_column(String(255))
    company_name_key: Mapped[str] = mapped_column(String(765), default=_name_key_default)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    # Prices shown to the customer's own admins (the partner's currency, for one it created).
    currency: Mapped[str] = mapped_column(String(3))
    # The partner that created the account; such a customer cannot manage its own subscriptions.
    created_by_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    created_at: Mapped[datetime]
    # Seats across the offers that share a per-customer limit (DOMAIN.md Q5), whoever sold
    # them: kept by migration 0008's triggers on subscriptions, never written by the code.
    group_seats: Mapped[int] = mapped_column(default=0, server_default="0")

    @hybrid_property
    def created_by_partner(self) -> bool:
        """A partner created the account: the customer cannot manage its own subscriptions."""
        return self.created_by_partner_id is not None

    @created_by_partner.inplace.expression
    @classmethod
    def _created_by_partner_expression(cls) -> ColumnElement[bool]:
        return cls.created_by_partner_id.is_not(None)


class PartnerCustomer(Base):
    """A reseller relationship: the partner may see this customer."""

    __tablename__ = "partner_customers"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id"), primary_key=True, index=True
    )
