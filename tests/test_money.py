"""services.money: exact Decimal money, one half-up rounding, daily proration."""

import decimal
import operator
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.money import MINOR_UNITS, Money, prorated, rounded


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


JANUARY = (date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(
    ("currency", "places"),
    [("USD", 2), ("EUR", 2), ("GBP", 2), ("CHF", 2), ("DKK", 2), ("NOK", 2), ("SEK", 2),
     ("PLN", 2), ("CAD", 2), ("AUD", 2), ("NZD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3)],
)  # fmt: skip
def test_minor_units(currency: str, places: int) -> None:
    assert MINOR_UNITS[currency] == places


@pytest.mark.parametrize(
    ("amount", "message"),
    [(0.1, "not a float"), (10, "not a int"), ("12.50", "not a str"), (None, "not a NoneType")],
)
def test_only_a_decimal_is_an_amount(amount: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Money(amount, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_an_amount_is_finite(amount: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        Money(Decimal(amount), "USD")


@pytest.mark.parametrize("currency", ["usd", "US", "XYZ", "", " USD"])
def test_an_unknown_currency_is_refused(currency: str) -> None:
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(Decimal("1"), currency)


def test_arithmetic_within_one_currency() -> None:
    assert usd("10.10") + usd("0.20") == usd("10.30")
    assert usd("10.10") - usd("0.20") == usd("9.90")
    assert usd("0.1234") * 3 == usd("0.3702")
    assert 3 * usd("0.1234") == usd("0.3702")
    assert usd("2.50") * -2 == usd("-5.00")
    assert -usd("2.50") == usd("-2.50")
    assert usd("1.0") == usd("1.00")
    assert hash(usd("1.0")) == hash(usd("1.00"))


def test_comparison_within_one_currency() -> None:
    assert usd("1.00") < usd("1.01") <= usd("1.01")
    assert usd("1.01") > usd("1.00") >= usd("1.00")
    assert max(usd("3"), usd("-4"), usd("2.999")) == usd("3")


@pytest.mark.parametrize(
    "operation", [operator.add, operator.sub, operator.lt, operator.le, operator.gt, operator.ge]
)
def test_currencies_never_mix(operation: Callable[[Money, Money], object]) -> None:
    with pytest.raises(ValueError, match="cannot combine USD with EUR"):
        operation(usd("1"), Money(Decimal("1"), "EUR"))


def test_different_currencies_are_unequal_without_raising() -> None:
    assert usd("1") != Money(Decimal("1"), "EUR")
    assert usd("1") not in [Money(Decimal("1"), "EUR")]


@pytest.mark.parametrize("factor", [1.5, Decimal("2"), True, "2"])
def test_money_is_multiplied_by_an_int_only(factor: object) -> None:
    with pytest.raises(TypeError):
        usd("1") * factor  # type: ignore[operator]


def test_money_is_added_to_money_only() -> None:
    with pytest.raises(TypeError):
        usd("1") + Decimal("1")  # type: ignore[operator]
    with pytest.raises(TypeError):
        assert usd("1") < Decimal("2")  # type: ignore[operator]


def test_arithmetic_is_exact_beyond_28_digits() -> None:
    # The default context would round this 29-digit sum to ...12345678.
    total = usd("1234567890.1234567890123456789") + usd("1000000000")
    assert total.amount == Decimal("2234567890.1234567890123456789")
    assert -total == usd("-2234567890.1234567890123456789")


def test_arithmetic_that_cannot_be_exact_raises() -> None:
    with pytest.raises(decimal.Inexact):
        usd("1E+40") + usd("1E-40")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.005", "USD", "1.01"),
        ("1.0049999", "USD", "1.00"),
        ("-1.005", "USD", "-1.01"),
        ("2.675", "USD", "2.68"),  # 2.67 as a float: 2.675 is 2.67499999... in binary
        ("0.125", "EUR", "0.13"),  # half up, not half even (0.12)
        ("-0.004", "USD", "0.00"),  # no negative zero
        ("5", "USD", "5.00"),
        ("0.5", "JPY", "1"),
        ("2.5", "JPY", "3"),
        ("-2.5", "KRW", "-3"),
        ("1.0005", "KWD", "1.001"),
        ("12.345678", "CHF", "12.35"),
    ],
)
def test_rounded_half_up_to_the_minor_unit(amount: str, currency: str, expected: str) -> None:
    result = rounded(Money(Decimal(amount), currency))
    assert str(result.amount) == expected
    assert result.currency == currency


@pytest.mark.parametrize(
    ("price", "seats", "on", "expected"),
    [
        ("10.00", 1, date(2026, 1, 1), "10.00"),  # the whole period
        ("10.00", 1, date(2026, 1, 31), "0.32"),  # one day of 31: 0.3225...
        ("10.00", 1, date(2026, 1, 16), "5.16"),  # 16 days: 5.1612...
        ("10.00", 7, date(2026, 1, 16), "36.13"),  # 36.129..., rounded once (7 x 5.16 = 36.12)
        ("10.00", -7, date(2026, 1, 16), "-36.13"),
        ("10.00", 0, date(2026, 1, 16), "0.00"),
        ("0.0333", 100, date(2026, 1, 1), "3.33"),  # a price finer than a cent
    ],
)
def test_prorated_to_the_end_of_the_period(price: str, seats: int, on: date, expected: str) -> None:
    assert prorated(usd(price), seats, JANUARY, on) == usd(expected)


def test_prorated_rounds_a_tie_away_from_zero() -> None:
    eight_days = (date(2026, 3, 1), date(2026, 3, 8))
    assert prorated(usd("1.00"), 1, eight_days, date(2026, 3, 8)) == usd("0.13")  # 0.125
    assert prorated(usd("1.00"), -1, eight_days, date(2026, 3, 8)) == usd("-0.13")


def test_prorated_in_other_minor_units() -> None:
    thirty_days = (date(2026, 4, 1), date(2026, 4, 30))
    yen = prorated(Money(Decimal("1000"), "JPY"), 1, thirty_days, date(2026, 4, 21))
    dinar = prorated(Money(Decimal("1.000"), "KWD"), 2, thirty_days, date(2026, 4, 21))
    assert yen == Money(Decimal("333"), "JPY")  # 333.33...
    assert dinar == Money(Decimal("0.667"), "KWD")  # 0.6666...


def test_prorated_over_a_leap_year() -> None:
    year = (date(2024, 1, 1), date(2024, 12, 31))
    # 1 day of 366: 366.00 / 366.
    assert prorated(usd("366.00"), 1, year, date(2024, 12, 31)) == usd("1.00")


@pytest.mark.parametrize("on", [date(2025, 12, 31), date(2026, 2, 1)])
def test_prorated_outside_the_period_raises(on: date) -> None:
    with pytest.raises(ValueError, match=f"{on} is outside the billing period 2026-01-01"):
        prorated(usd("10"), 1, JANUARY, on)


def test_a_reversed_period_raises() -> None:
    with pytest.raises(ValueError, match="ends"):
        prorated(usd("10"), 1, (date(2026, 1, 31), date(2026, 1, 1)), date(2026, 1, 15))


@pytest.mark.parametrize("seats", [1.0, True])
def test_seats_are_an_int(seats: object) -> None:
    with pytest.raises(TypeError):
        prorated(usd("10"), seats, JANUARY, date(2026, 1, 2))  # type: ignore[arg-type]


def test_prorated_refuses_a_datetime() -> None:
    with pytest.raises(TypeError, match="not a datetime"):
        prorated(usd("10"), 1, JANUARY, datetime(2026, 1, 2, 12))


currencies = st.sampled_from(sorted(MINOR_UNITS))
# Prices with 0 to 4 decimals, often more than the minor unit (so ties occur): rounding must wait.
prices = st.builds(
    Money,
    st.integers(min_value=0, max_value=4).flatmap(
        lambda places: st.decimals(min_value=0, max_value=100_000, places=places)
    ),
    currencies,
)
# 1.00 / 8 days = 0.125: a tie that rounding toward +infinity would turn into -0.12 for the credit.
TIE = (usd("1.00"), 1, ((date(2026, 3, 1), date(2026, 3, 8)), date(2026, 3, 8)))
seat_counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def periods_and_day(draw: st.DrawFn) -> tuple[tuple[date, date], date]:
    first = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
    last = first + timedelta(days=draw(st.integers(min_value=0, max_value=365)))
    on = first + timedelta(days=draw(st.integers(min_value=0, max_value=(last - first).days)))
    return (first, last), on


@given(prices, seat_counts, periods_and_day())
@example(*TIE)
def test_a_charge_and_its_credit_cancel_exactly(
    price: Money, seats: int, period_and_day: tuple[tuple[date, date], date]
) -> None:
    period, on = period_and_day
    total = prorated(price, seats, period, on) + prorated(price, -seats, period, on)
    assert total.amount == 0


@given(prices, seat_counts, periods_and_day())
def test_the_whole_period_costs_the_full_price(
    price: Money, seats: int, period_and_day: tuple[tuple[date, date], date]
) -> None:
    period, _ = period_and_day
    assert prorated(price, seats, period, period[0]) == rounded(price * seats)


@given(currencies, st.integers(min_value=0, max_value=10**9), seat_counts, periods_and_day())
def test_a_price_in_minor_units_costs_exactly_price_times_seats(
    currency: str, units: int, seats: int, period_and_day: tuple[tuple[date, date], date]
) -> None:
    price = Money(Decimal(units).scaleb(-MINOR_UNITS[currency]), currency)
    period, _ = period_and_day
    assert prorated(price, seats, period, period[0]) == price * seats


@given(prices, seat_counts, periods_and_day(), st.integers(min_value=0, max_value=365))
def test_more_remaining_days_never_cost_less(
    price: Money, seats: int, period_and_day: tuple[tuple[date, date], date], later_by: int
) -> None:
    (first, last), on = period_and_day
    later = min(on + timedelta(days=later_by), last)
    earlier_charge = prorated(price, seats, (first, last), on)
    later_charge = prorated(price, seats, (first, last), later)
    assert rounded(price * 0) <= later_charge <= earlier_charge <= rounded(price * seats)
    assert prorated(price, -seats, (first, last), on) <= prorated(
        price, -seats, (first, last), later
    )


@given(prices.map(lambda money: -money) | prices)
def test_rounding_moves_at_most_half_a_minor_unit(money: Money) -> None:
    result = rounded(money)
    half_unit = Decimal(5).scaleb(-MINOR_UNITS[money.currency] - 1)
    assert abs(result.amount - money.amount) <= half_unit
    assert result.amount.as_tuple().exponent == -MINOR_UNITS[money.currency]
    assert rounded(result) == result
    assert rounded(-money) == -result
