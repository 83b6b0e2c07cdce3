"""Dates, Dutch day-first (``2-3-1985`` is 2 March) -> ISO ``YYYY-MM-DD``: the one date reader."""
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


def date_parts(text: str) -> tuple[int, int, int, bool] | None:
    """(year, month, day, two-digit year?) of a date written a Dutch way; None when it is none.

    The one reader of dates: ISO (``1985-03-02``, a time may follow), day first (``2-3-1985``,
    ``02/03/85``), ``02031985`` and ``2 maart 1985``. A two-digit year is returned as typed.
    """
    if m := _ISO.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3]), False
    if m := _DAY_FIRST.fullmatch(text):
        return int(m[3]), int(m[2]), int(m[1]), len(m[3]) == 2
    if m := _COMPACT.fullmatch(text):
        return int(m[3]), int(m[2]), int(m[1]), False
    if (m := _WORDS.fullmatch(ascii_fold(text))) and m[2] in _MONTHS:
        return int(m[3]), _MONTHS[m[2]], int(m[1]), False
    return None


def parse_date(text: str) -> dt.date | None:
    """The date ``text`` means (see :func:`date_parts`); None when it is none, does not exist
    or has a two-digit year (which century is meant depends on the field)."""
    parts = date_parts(text.strip())
    if parts is None or parts[3]:
        return None
    try:
        return dt.date(*parts[:3])
    except ValueError:
        return None


def _parse(text: str) -> tuple:
    today = dt.date.today()
    parts = date_parts(text)
    if parts is None:
        return error(f"birth date '{text}' is not a date (expected dd-mm-yyyy)", None)
    year, month, day, two_digit_year = parts
    if two_digit_year:
        # a birth date cannot lie in the future, so 25 -> 1925 once 2025 has not come yet
        year += 2000 if year <= today.year % 100 else 1900
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
