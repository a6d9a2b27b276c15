"""Money and the order preview, as the contract shapes them."""

from datetime import date, datetime
from decimal import Decimal

import strawberry

from schema.enums import BillingCycle, TermDuration
from services import prices
from services.money import Money as ExactMoney


@strawberry.type(description="An amount in one currency.")
class Money:
    amount: Decimal = strawberry.field(
        description='A decimal number as a JSON string, e.g. "12.50": at least the currency\'s '
        "minor unit's decimals, more where a unit price has them."
    )
    currency_code: str = strawberry.field(description="ISO 4217, e.g. USD.")

    @classmethod
    def of(cls, money: ExactMoney) -> "Money":
        return cls(amount=money.shown(), currency_code=money.currency)


@strawberry.type(description="What a change costs, for a confirmation step and for the record.")
class ChargePreview:
    amount: Money = strawberry.field(
        description="What the change adds to the partner's next invoice, prorated daily to the "
        "end of the current billing period; negative: a credit (a refund)."
    )
    unit_price: Money = strawberry.field(
        description="The price per licence per billing period: the subscription's, or for a "
        "purchase the chosen term's."
    )
    quantity: int = strawberry.field(
        description="Seats the change adds (positive) or removes (negative); a purchase: the "
        "seats bought."
    )
    term_duration: TermDuration = strawberry.field(description="The term's length.")
    billing_cycle: BillingCycle = strawberry.field(description="How often the term is billed.")
    commitment_end_date: date = strawberry.field(description="The term's last day.")
    cancellation_allowed_until: datetime | None = strawberry.field(
        description="Until when the term may be cancelled; null: no longer."
    )

    @classmethod
    def of(cls, preview: prices.ChargePreview | None) -> "ChargePreview | None":
        if preview is None:
            return None
        return cls(
            amount=Money.of(preview.amount),
            unit_price=Money.of(preview.unit_price),
            quantity=preview.quantity,
            term_duration=TermDuration(preview.term_duration.value),
            billing_cycle=BillingCycle(preview.billing_cycle.value),
            commitment_end_date=preview.commitment_end_date,
            cancellation_allowed_until=preview.cancellation_allowed_until,
        )
