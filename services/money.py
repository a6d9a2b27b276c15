"""Money in `decimal.Decimal`, and the prorated charge for a change in seats.

Choices:
- Amounts are `Decimal` only: a float (or an int, or a string) is refused when a `Money` is built,
  because a binary float cannot hold a price such as 0.10 exactly. NaN and infinities are refused.
- Arithmetic (`+`, `-`, `*` by an int, negation) is exact: it runs in a context that raises
  `decimal.Inexact` instead of rounding, where the default context would round to 28 digits.
- Currencies never mix: `+`, `-`, `<`, `<=`, `>`, `>=` across currencies raise ValueError, and `==`
  is False (raising there would break membership tests and hashing).
- Rounding rule: half up, i.e. ties away from zero (`ROUND_HALF_UP`), to the currency's minor unit
  (ISO 4217: 2 decimals for USD, 0 for JPY, 3 for KWD). It is applied once, to the final amount of a
  charge (`prorated` does it), never to intermediate values, so a unit price may carry more digits
  than its currency's minor unit. Because ties go away from zero on both sides, a credit is exactly
  the negated charge for the same seats on the same day, and a rounded zero is never "-0.00".
- Proration is daily (C1 and Q2: refunds "less daily proration"; API.md's `ChargePreview`: prorated
  to the end of the current billing period): a change on day `on` costs, per seat, the unit price
  times the days from `on` to the period's last day, both included, over the period's days. The
  quotient is kept as an exact fraction until the one rounding.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from fractions import Fraction
from types import MappingProxyType
from typing import Final

from services.terms import check_day

# ISO 4217 minor units (decimal places) of the currencies a partner may bill in.
MINOR_UNITS: Final = MappingProxyType(
    {
        **dict.fromkeys(("AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP"), 2),
        **dict.fromkeys(("HKD", "HUF", "INR", "MXN", "NOK", "NZD", "PLN", "RON", "SEK"), 2),
        **dict.fromkeys(("SGD", "USD", "ZAR"), 2),
        **dict.fromkeys(("CLP", "ISK", "JPY", "KRW"), 0),
        **dict.fromkeys(("BHD", "KWD", "OMR"), 3),
    }
)

# Wider than any price needs; past it an operation raises Inexact rather than round.
_EXACT: Final = Context(prec=50, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one ISO 4217 currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            kind = type(self.amount).__name__
            raise TypeError(f"amount must be a Decimal such as Decimal('12.50'), not a {kind}")
        if not self.amount.is_finite():
            raise ValueError(f"amount must be a finite number, not {self.amount}")
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"unknown currency {self.currency!r}: expected an ISO 4217 code")

    def __add__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_EXACT.add(self.amount, self._amount_of(other)), self.currency)

    def __sub__(self, other: "Money") -> "Money":
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_EXACT.subtract(self.amount, self._amount_of(other)), self.currency)

    def __mul__(self, factor: int) -> "Money":
        # bool is an int to Python, but multiplying money by True is a bug, not a price.
        if isinstance(factor, bool) or not isinstance(factor, int):
            return NotImplemented
        return Money(_EXACT.multiply(self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> "Money":
        return Money(_EXACT.minus(self.amount), self.currency)

    def __lt__(self, other: "Money") -> bool:
        return self.amount < self._amount_of(other)

    def __le__(self, other: "Money") -> bool:
        return self.amount <= self._amount_of(other)

    def __gt__(self, other: "Money") -> bool:
        return self.amount > self._amount_of(other)

    def __ge__(self, other: "Money") -> bool:
        return self.amount >= self._amount_of(other)

    def shown(self) -> Decimal:
        """The amount with the currency's minor unit's decimals, or more where it has them:
        12.5 USD shows as 12.50, 12.3456 as itself, 1200 JPY as 1200."""
        minor = MINOR_UNITS[self.currency]
        exact = self.amount.normalize()
        exponent = exact.as_tuple().exponent
        assert isinstance(exponent, int)  # a Money is finite
        return exact if exponent < -minor else self.amount.quantize(Decimal(1).scaleb(-minor))

    def _amount_of(self, other: "Money") -> Decimal:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")
        return other.amount


def rounded(money: Money) -> Money:
    """`money` rounded half up (ties away from zero) to its currency's minor unit."""
    return Money(_round_half_up(Fraction(money.amount), money.currency), money.currency)


def prorated(
    unit_price: Money,
    seats: int,
    period: tuple[date, date],
    on: date,
    until: date | None = None,
) -> Money:
    """The charge for `seats` licences (negative: a credit) from `on` to the period's last day,
    or to `until` when the term ends inside the period (a co-termed add-on).

    `unit_price` is per licence per billing period; `period` is (first day, last day), inclusive,
    and must contain `on`, and `until`, if given, must lie from `on` to the period's end. The
    result is rounded once, at the end.
    """
    first, last = check_day(period[0], "period"), check_day(period[1], "period")
    if last < first:
        raise ValueError(f"the billing period ends ({last}) before it starts ({first})")
    if not first <= check_day(on, "on") <= last:
        raise ValueError(f"{on} is outside the billing period {first} to {last}")
    end = last if until is None else check_day(until, "until")
    if not on <= end <= last:
        raise ValueError(f"{end} is not from {on} to the billing period's end {last}")
    remaining_days = (end - on).days + 1
    period_days = (last - first).days + 1
    exact = Fraction((unit_price * seats).amount) * remaining_days / period_days
    return Money(_round_half_up(exact, unit_price.currency), unit_price.currency)


def _round_half_up(value: Fraction, currency: str) -> Decimal:
    """The one rounding: exact, on a fraction, so that no earlier step can tip a tie."""
    places = MINOR_UNITS[currency]
    units, remainder = divmod(abs(value) * 10**places, 1)
    if remainder * 2 >= 1:
        units += 1
    return Decimal(-units if value < 0 else units).scaleb(-places, _EXACT)
