"""Birth dates, Dutch day-first (``2-3-1985`` is 2 March) -> ISO ``YYYY-MM-DD``."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from ._common import ascii_fold, error, ok, per_distinct, warning

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{4})")  # ddmmyyyy as some systems export it
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")
_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mrt": 3,
    "mar": 3, "maart": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6,
    "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "augustus": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oct": 10, "oktober": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_OLDEST = 1900


def _parse(text: str) -> tuple:
    today = dt.date.today()
    two_digit_year = False
    if m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_FIRST.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            two_digit_year = True
            # a birth date cannot lie in the future, so 25 -> 1925 once 2025 has not come yet
            year += 2000 if year <= today.year % 100 else 1900
    elif m := _COMPACT.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif (m := _WORDS.fullmatch(ascii_fold(text))) and m[2] in _MONTHS:
        day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
    else:
        return error(f"birth date '{text}' is not a date (expected dd-mm-yyyy)", None)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return error(f"birth date '{text}' does not exist", None)
    if date > today:
        return error(f"birth date '{text}' lies in the future", None)
    if year < _OLDEST:
        return warning(f"birth date '{text}' is before {_OLDEST}", date.isoformat())
    if two_digit_year:
        return warning(f"birth date '{text}' has a two-digit year, read as {year}",
                       date.isoformat())
    return ok(date.isoformat())


def birth_date(s: pd.Series) -> pd.DataFrame:
    """Parse day-first birth dates to ISO ``YYYY-MM-DD``; columns birth_date, problem, severity."""
    return per_distinct(s, _parse, ("birth_date",))
