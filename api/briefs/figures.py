"""How a brief words a figure: "$7.4 billion", "PKR 3 million", "1,200 tonnes".

Amounts of a million or more take a scale word (million, billion, trillion)
when that says the exact value with at most three decimals; otherwise every
digit is kept. Currencies take their English symbol where one exists (USD $,
EUR €, GBP £, JPY ¥, INR ₹), else their ISO code. Formatting is babel's.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_compact_decimal, format_decimal, get_currency_symbol

LOCALE = "en"
SCALED = range(6, 15)  # powers of ten worded with a scale: a million to 999 trillion
MOST_DECIMALS = 3


def number(magnitude: int) -> str:
    """A non-negative whole number as a reader takes it in at a glance, never rounded."""
    power = len(str(magnitude)) - 1
    if power in SCALED:
        exact = Decimal(magnitude) / 10 ** (power - power % 3)
        if -exact.normalize().as_tuple().exponent <= MOST_DECIMALS:
            return format_compact_decimal(
                magnitude, format_type="long", fraction_digits=MOST_DECIMALS, locale=LOCALE
            )
    return format_decimal(magnitude, locale=LOCALE)


def amount(value: int, currency: str | None, unit: str | None) -> str:
    """A figure with its currency's symbol or code, or its unit; a minus sign first."""
    sign, words = ("-" if value < 0 else ""), number(abs(value))
    if currency:
        symbol = get_currency_symbol(currency, locale=LOCALE)
        return f"{sign}{symbol} {words}" if symbol.isalpha() else f"{sign}{symbol}{words}"
    return f"{sign}{words} {unit}" if unit else f"{sign}{words}"
