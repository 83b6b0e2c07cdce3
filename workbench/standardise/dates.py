"""Dates -> ISO ``YYYY-MM-DD``: the one date reader, and the one place that decides per column
which way round its ambiguous dates are written (Dutch day-first unless the values prove otherwise).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pandas as pd

from workbench.messages import say

from ._common import ascii_fold, clean_many, error, ok, per_distinct, warning

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SHORT_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{2})")  # ddmmyyyy or yyyymmdd, as systems export
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})")
_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mrt": 3,
    "mar": 3, "maart": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6,
    "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "augustus": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oct": 10, "oktober": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_OLDEST = 1900
# An Excel date cell read as its number ("45123", "45123.0", a time as the fraction): five
# digits only, 1927 to 2173 (four digits would clash with a year written alone, "1985").
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
# Excel's 1900 date system counts from 30-12-1899 (its 29-02-1900, day 60, never existed; from
# day 61 on this is exact, and five-digit serials start at day 10000).
_EXCEL_EPOCH = dt.date(1899, 12, 30)

# How a column writes its dates, as a definition names it (``standardise.date_formats``), and
# how that reads the two ambiguous shapes: eight digits in a row, and ``a-b-yyyy`` with a short
# first part. ISO with separators (``1985-03-02``) and ``2 maart 1985`` read the same whatever
# the format. "ymd"/"dmy"/"mdy": the order of year, month and day.
DATE_FORMATS: dict[str, tuple[str, str]] = {
    "dd-mm-yyyy": ("dmy", "dmy"),  # the Dutch way, and the reading when nothing says otherwise
    "dd/mm/yy": ("dmy", "dmy"),
    "ddmmyyyy": ("dmy", "dmy"),
    "yyyy-mm-dd": ("ymd", "dmy"),
    "yyyymmdd": ("ymd", "dmy"),
    "mm/dd/yyyy": ("mdy", "mdy"),
}
DEFAULT_DATE_FORMAT = "dd-mm-yyyy"


def date_parts(text: str, date_format: str = DEFAULT_DATE_FORMAT
               ) -> tuple[int, int, int, bool] | None:
    """(year, month, day, two-digit year?) of a date written as ``date_format`` says; None when
    it is none.

    The one reader of dates: ISO (``1985-03-02``, a time may follow), a short part first
    (``2-3-1985``, ``02/03/85``: day first unless the format is ``mm/dd/yyyy``), eight digits
    (``02031985``, or ``19850302`` for ``yyyymmdd`` / ``yyyy-mm-dd``) and ``2 maart 1985``.
    A two-digit year is returned as typed.
    """
    compact, short_first = DATE_FORMATS.get(date_format, DATE_FORMATS[DEFAULT_DATE_FORMAT])
    if m := _ISO.fullmatch(text):
        return int(m[1]), int(m[2]), int(m[3]), False
    if m := _SHORT_FIRST.fullmatch(text):
        first, second = int(m[1]), int(m[2])
        month, day = (first, second) if short_first == "mdy" else (second, first)
        return int(m[3]), month, day, len(m[3]) == 2
    if m := _COMPACT.fullmatch(text):
        a, b, c, d = (int(g) for g in m.groups())
        if compact == "ymd":
            return a * 100 + b, c, d, False
        if compact == "mdy":
            return c * 100 + d, a, b, False
        return c * 100 + d, b, a, False
    if (m := _WORDS.fullmatch(ascii_fold(text))) and m[2] in _MONTHS:
        return int(m[3]), _MONTHS[m[2]], int(m[1]), False
    return None


def parse_date(text: str, date_format: str = DEFAULT_DATE_FORMAT) -> dt.date | None:
    """The date ``text`` means (see :func:`date_parts`); None when it is none, does not exist
    or has a two-digit year (which century is meant depends on the field)."""
    parts = date_parts(text.strip(), date_format)
    if parts is None or parts[3]:
        return None
    try:
        return dt.date(*parts[:3])
    except ValueError:
        return None


def excel_serial_date(text: str) -> dt.date | None:
    """The date an Excel serial number stands for (1900 date system); None when ``text`` is none."""
    if m := _SERIAL.fullmatch(text.strip()):
        return _EXCEL_EPOCH + dt.timedelta(days=int(m[1]))
    return None


def _exists(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return _OLDEST - 100 <= year <= dt.date.today().year + 100


def _compact_votes(values: list[str]) -> dict[str, int]:
    """Per order, how many eight-digit values are a real date read that way."""
    votes = {"dmy": 0, "ymd": 0, "mdy": 0}
    for text in values:
        a, b, c, d = (int(g) for g in _COMPACT.fullmatch(text).groups())  # type: ignore[union-attr]
        votes["dmy"] += _exists(c * 100 + d, b, a)
        votes["ymd"] += _exists(a * 100 + b, c, d)
        votes["mdy"] += _exists(c * 100 + d, a, b)
    return votes


def infer_date_format(values: Iterable[object]) -> str | None:
    """The date format of a column, decided once from all its values; None when it holds no
    dates in an ambiguous shape or an ISO one.

    Eight digits in a row are read the way that makes most of them real dates (``19280722``
    can only be yyyymmdd), day first on a tie. A short part first is month first
    (``mm/dd/yyyy``) only where the column proves it: a second part above 12 somewhere and no
    first part above 12 anywhere.
    """
    texts = [t for t in dict.fromkeys(clean_many(list(values))) if t is not None]
    iso = sum(1 for t in texts if _ISO.fullmatch(t))
    short = [_SHORT_FIRST.fullmatch(t) for t in texts]
    short = [m for m in short if m]
    compact = [t for t in texts if _COMPACT.fullmatch(t)]
    if not (iso or short or compact):
        return None
    if short and len(short) >= max(len(compact), iso):
        day_first = any(int(m[1]) > 12 for m in short)
        month_first = any(int(m[2]) > 12 for m in short)
        if month_first and not day_first:
            return "mm/dd/yyyy"
        return "dd/mm/yy" if all(len(m[3]) == 2 for m in short) else "dd-mm-yyyy"
    if compact and len(compact) >= iso:
        votes = _compact_votes(compact)
        best = max(("dmy", "ymd", "mdy"), key=lambda k: (votes[k], k == "dmy"))
        if best == "mdy" and votes["mdy"] == votes["dmy"]:
            best = "dmy"
        return {"dmy": "ddmmyyyy", "ymd": "yyyymmdd", "mdy": "mm/dd/yyyy"}[best]
    return "yyyy-mm-dd"


def _parse(text: str, date_format: str) -> tuple:
    today = dt.date.today()
    parts = date_parts(text, date_format)
    if parts is None and (serial := excel_serial_date(text)) is not None:
        # the message quotes the value (masked in problems.csv), never the date it stands for
        return _serial_birth_date(text, serial, today)
    if parts is None:
        return error(say("birth_date.not_a_date", value=text, format=date_format), None)
    year, month, day, two_digit_year = parts
    if two_digit_year:
        # a birth date cannot lie in the future, so 25 -> 1925 once 2025 has not come yet
        year += 2000 if year <= today.year % 100 else 1900
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return error(say("birth_date.does_not_exist", value=text, format=date_format), None)
    if date > today:
        return error(say("birth_date.future", value=text), None)
    if year < _OLDEST:
        return warning(say("birth_date.too_old", value=text, year=_OLDEST), date.isoformat())
    if two_digit_year:
        return warning(say("birth_date.two_digit_year", value=text, year=year),
                       date.isoformat())
    return ok(date.isoformat())


def _serial_birth_date(text: str, date: dt.date, today: dt.date) -> tuple:
    if date > today:
        return error(say("birth_date.serial_future", value=text), None)
    return warning(say("birth_date.serial", value=text), date.isoformat())


def birth_date(s: pd.Series, date_format: str | None = None) -> pd.DataFrame:
    """Parse birth dates to ISO ``YYYY-MM-DD``; columns birth_date, problem, severity.

    ``date_format``: how the column writes its dates (``DATE_FORMATS``); inferred from the
    column's own values when not given.
    """
    fmt = date_format or infer_date_format(s) or DEFAULT_DATE_FORMAT
    return per_distinct(s, lambda text: _parse(text, fmt), ("birth_date",))


def _parse_move(text: str, date_format: str) -> tuple:
    if (date := parse_date(text, date_format)) is not None:
        return ok(date.isoformat())
    if (date := excel_serial_date(text)) is not None:
        return warning(say("move_date.serial", value=text, date=date.isoformat()),
                       date.isoformat())
    # the date is lost, not the row: the new address is still taken, without a valid-from date
    return error(say("move_date.not_a_date", value=text, format=date_format), None)


def move_date(s: pd.Series, date_format: str | None = None) -> pd.DataFrame:
    """Parse move dates to ISO ``YYYY-MM-DD``; columns move_date, problem, severity.

    ``date_format`` as for :func:`birth_date`; an Excel serial number is read as a date (with a
    warning), anything else that is no date is left out (an error on the value, not the row).
    """
    fmt = date_format or infer_date_format(s) or DEFAULT_DATE_FORMAT
    return per_distinct(s, lambda text: _parse_move(text, fmt), ("move_date",))
