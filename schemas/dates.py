"""Partial ISO 8601 dates: a date at the precision its source gives."""

from __future__ import annotations

import calendar
import re
from datetime import date

PATTERN = r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
FULL_PATTERN = r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$"
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
