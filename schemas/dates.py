"""Partial ISO 8601 dates: a date at the precision its source gives."""

from __future__ import annotations

import calendar
import re
from datetime import date

# The patterns admit exactly the real calendar dates of years 0001-9999 (what
# ``bounds`` accepts), so the OpenAPI document admits nothing the API refuses.
_YEAR = r"(?:000[1-9]|00[1-9]\d|0[1-9]\d{2}|[1-9]\d{3})"
_LEAP_YEAR = r"(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)"
    r"|02-(?:0[1-9]|1\d|2[0-8]))"
)
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
PATTERN = rf"^(?:{_YEAR}(?:-(?:0[1-9]|1[0-2]))?|{_DAY})$"
FULL_PATTERN = rf"^{_DAY}$"
_PARTS = re.compile(PATTERN)


def bounds(value: str) -> tuple[str, str]:
    """The first and last day a partial date covers, as full ISO dates.

    ``bounds("2005-03") == ("2005-03-01", "2005-03-31")``. Raises ValueError
    for text that is not a real calendar date at any precision.
    """
    if not _PARTS.match(value):
        raise ValueError(f"not a partial date: {value!r}")
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    if year < 1:
        raise ValueError(f"year out of range: {value!r}")
    if len(parts) == 1:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    month = parts[1]
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {value!r}")
    if len(parts) == 2:
        last = calendar.monthrange(year, month)[1]
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    day = date(year, month, parts[2])  # raises ValueError for 2007-02-30
    return day.isoformat(), day.isoformat()


def interval(start: str | None, end: str | None = None) -> tuple[str | None, str | None]:
    """The interval a dated record covers: from its date's start to its end's end.

    ``end`` is the closing date of a period (an event that lasted); without it
    the interval is what the start date's precision covers. Undated: (None, None).
    """
    if start is None:
        return None, None
    first, last = bounds(start)
    if end is not None:
        last = bounds(end)[1]
    return first, last
