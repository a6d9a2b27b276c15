from decimal import Decimal

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
    # Offers with a limit form one group (Microsoft's Business plans): a customer's licences
    # across all of them, whoever sold them, stay within it.
    seat_limit_per_customer: Mapped[int | None]


class OfferTerm(Base):
    """What may be bought: a term, a billing cycle, and its price per licence per billing
    period in one currency (a price list has a row per currency)."""

    __tablename__ = "offer_terms"
    __table_args__ = (
        CheckConstraint("term_duration IN ('P1M', 'P1Y', 'P3Y')", name="term_known"),
        CheckConstraint("billing_cycle IN ('MONTHLY', 'ANNUAL')", name="billing_cycle_known"),
        # R6: P1M is billed monthly; longer terms monthly or annually.
        CheckConstraint(
            "term_duration <> 'P1M' OR billing_cycle = 'MONTHLY'", name="term_fits_cycle"
        ),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("length(currency) = 3", name="currency_alpha3"),
    )

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), primary_key=True)
    term_duration: Mapped[str] = mapped_column(String(3), primary_key=True)
    billing_cycle: Mapped[str] = mapped_column(String(10), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    unit_price: Mapped[Decimal]


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
