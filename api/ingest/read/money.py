"""Amounts of money and other figures, in whole units with an ISO 4217 currency.

"$127 million" is 127000000 USD, "R$21 billion" 21000000000 BRL, "KSh2.5
billion" 2500000000 KES, "€300m" 300000000 EUR. A bare "$" is read as US
dollars and said so (``inferred``); "¥" is the yen unless the sentence speaks
of yuan or China.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Symbols and prefixes written before the number; longest first so "US$" wins over "$".
_SYMBOLS = {
    "US$": "USD", "USD": "USD", "$": "USD", "R$": "BRL", "BRL": "BRL", "KSh": "KES",
    "Ksh": "KES", "KShs": "KES", "KES": "KES", "€": "EUR", "EUR": "EUR", "£": "GBP",
    "GBP": "GBP", "¥": "JPY", "JPY": "JPY", "CN¥": "CNY", "RMB": "CNY", "CNY": "CNY",
    "₹": "INR", "INR": "INR", "Rs.": "INR", "Rs": "INR", "PKR": "PKR", "C$": "CAD",
    "CAD": "CAD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD", "HK$": "HKD", "S$": "SGD",
    "NZ$": "NZD", "₽": "RUB", "RUB": "RUB", "₦": "NGN", "NGN": "NGN", "R": "ZAR",
    "ZAR": "ZAR", "₩": "KRW", "KRW": "KRW", "CHF": "CHF", "₺": "TRY", "TRY": "TRY",
    "Tk": "BDT", "BDT": "BDT", "EGP": "EGP", "SAR": "SAR", "AED": "AED",
}
_SYMBOLS.update({
    "KD": "KWD", "NRs.": "NPR", "NRs": "NPR", "TSh": "TZS", "TShs": "TZS", "Bs.": "BOB",
    "Bs": "BOB", "FCFA": "XOF", "CFA": "XOF", "₱": "PHP", "Rp": "IDR", "QR": "QAR",
    "MK": "MWK", "Nu.": "BTN", "Br": "ETB", "Dh": "MAD", "Dhs": "AED", "₫": "VND", "₮": "MNT",
    "MVR": "MVR", "Rf": "MVR", "₸": "KZT", "₾": "GEL", "₴": "UAH", "zł": "PLN", "US $": "USD",
    "Kshs": "KES", "Kshs.": "KES", "KShs.": "KES", "Ksh.": "KES", "GH¢": "GHS", "GH₵": "GHS",
    "₵": "GHS", "N$": "NAD", "J$": "JMD", "TT$": "TTD", "EC$": "XCD", "RM": "MYR",
    "RMB": "CNY", "TOP$": "TOP", "T$": "TOP", "WS$": "WST", "SBD$": "SBD", "FJ$": "FJD",
    "G$": "GYD",
})


def _codes() -> dict[str, str]:
    """Every ISO 4217 code written before a number ("THB 1.2 billion"), but the few that
    are also English words in capitals."""
    import pycountry

    return {c.alpha_3: c.alpha_3 for c in pycountry.currencies
            if c.alpha_3 not in ("ALL", "TOP", "CUP", "MOP", "BAM", "SOS", "PEN", "TRY")}


_SYMBOLS = {**_codes(), **_SYMBOLS}
# Currency words written after the number.
_WORDS = {
    "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "usd": "USD",
    "euros": "EUR", "euro": "EUR", "pounds": "GBP",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR", "roubles": "RUB",
    "rubles": "RUB", "reais": "BRL", "shillings": "KES", "naira": "NGN", "rand": "ZAR",
    "won": "KRW", "lira": "TRY", "taka": "BDT", "dirhams": "AED", "riyals": "SAR",
    "tenge": "KZT", "zloty": "PLN", "zlotys": "PLN", "forint": "HUF", "quetzales": "GTQ",
    "soles": "PEN", "bolivianos": "BOB", "dong": "VND", "baht": "THB", "rufiyaa": "MVR",
    "birr": "ETB", "ringgit": "MYR", "rupiah": "IDR", "tugrik": "MNT", "riels": "KHR",
    "cedis": "GHS", "manat": "AZN", "lari": "GEL", "drams": "AMD", "hryvnias": "UAH",
    "kwacha": "MWK", "dinars": "KWD", "cfa francs": "XOF", "yen loans": "JPY",
    "forints": "HUF", "kwanzas": "AOA", "somoni": "TJS", "soms": "KGS", "sums": "UZS",
    "rials": "IRR", "pa'anga": "TOP", "pa’anga": "TOP", "tala": "WST", "kina": "PGK",
    "leva": "BGN", "lei": "RON", "denars": "MKD", "rupee": "INR",
}
SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "mn": 10**6, "m": 10**6, "mln": 10**6,
    "billion": 10**9, "bn": 10**9, "b": 10**9, "bln": 10**9, "trillion": 10**12, "tn": 10**12,
    "crore": 10**7, "crores": 10**7, "lakh": 10**5, "lakhs": 10**5,
}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = (
    r"(?:\s*-?\s*(?P<scale>(?i:thousand|million|billion|trillion|crores?|lakhs?|mln|bln|mn|bn|"
    r"tn)|m|b|k|M|B|K)\b)?"
)
_SYMBOL = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<symbol>{_SYMBOL})\s?{_NUMBER}{_SCALE}")
_AFTER = re.compile(
    rf"(?<![\w$€£¥.]){_NUMBER}{_SCALE}\s+(?P<word>"
    + "|".join(sorted(_WORDS, key=len, reverse=True))
    + r")\b",
    re.I,
)
_FIGURE = re.compile(
    rf"(?<![\w$€£¥.]){_NUMBER}{_SCALE}\s*(?P<unit>%|per\s?cent|percent|tonnes|tons|barrels|"
    r"cubic metres|cubic meters|megawatts|MW|gigawatts|GW|kilometres|km|troops|people)(?!\w)",
    re.I,
)
# Local currencies a bare symbol may stand for, by the country the sentence names.
_YUAN = re.compile(r"\b(?:yuan|renminbi|China|Chinese|Beijing)\b")
_RUPEE_BY_COUNTRY = {"PK": "PKR", "LK": "LKR", "NP": "NPR", "IN": "INR"}


@dataclass(frozen=True)
class Amount:
    """A figure found in the text, in whole units."""

    start: int
    end: int
    amount: int
    currency: str | None
    unit: str | None
    inferred_currency: bool  # "$" read as USD, "¥" as JPY: the curator should know


def _whole(number: str, scale: str | None) -> int | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    return int(value)


def find(text: str, offset: int = 0, countries: tuple[str, ...] = ()) -> list[Amount]:
    """Every amount of money and every figure with a unit in ``text``."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for match in _BEFORE.finditer(text):
        symbol, scale = match.group("symbol"), match.group("scale")
        if symbol == "R" and not scale:  # a lone "R" is too often a letter
            continue
        amount = _whole(match.group("number"), scale)
        if amount is None:
            continue
        currency = _SYMBOLS[symbol]
        inferred = symbol in ("$", "¥", "Rs", "Rs.")
        if symbol == "¥" and _YUAN.search(text):
            currency = "CNY"
        if symbol in ("Rs", "Rs."):
            currency = next((_RUPEE_BY_COUNTRY[c] for c in countries if c in _RUPEE_BY_COUNTRY),
                            "INR")
        found.append(Amount(offset + match.start(), offset + match.end(), amount, currency, None,
                            inferred))
        taken.append(match.span())
    for match in _AFTER.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        amount = _whole(match.group("number"), match.group("scale"))
        if amount is None:
            continue
        currency = _WORDS[match.group("word").lower()]
        if currency == "INR":
            currency = next((_RUPEE_BY_COUNTRY[c] for c in countries if c in _RUPEE_BY_COUNTRY),
                            "INR")
        found.append(Amount(offset + match.start(), offset + match.end(), amount, currency, None,
                            match.group("word").lower() == "dollars"))
        taken.append(match.span())
    for match in _FIGURE.finditer(text):
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        amount = _whole(match.group("number"), match.group("scale"))
        if amount is None:
            continue
        unit = match.group("unit").lower().replace(" ", "")
        unit = "percent" if unit in ("%", "percent") else unit
        found.append(Amount(offset + match.start(), offset + match.end(), amount, None, unit,
                            False))
        taken.append(match.span())
    return sorted(found, key=lambda a: a.start)
