from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("min_quantity >= 1", name="min_quantity_positive"),
        CheckConstraint("max_quantity >= min_quantity", name="quantity_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(100), unique=True)
    min_quantity: Mapped[int]
    max_quantity: Mapped[int]
    is_add_on: Mapped[bool]
    # Comma-separated BillingCycle names, in the order a UI offers them; the first is the default.
    billing_cycles: Mapped[str] = mapped_column(String(50))


class OfferPrerequisite(Base):
    """An add-on offer needs an active subscription to one of its prerequisite offers."""

    __tablename__ = "offer_prerequisites"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)
    prerequisite_offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)


class OfferMarket(Base):
    """The countries (ISO 3166-1 alpha-2) where an offer is sold."""

    __tablename__ = "offer_markets"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)


class PartnerOffer(Base):
    """The partner is authorised to sell this offer."""

    __tablename__ = "partner_offers"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)
