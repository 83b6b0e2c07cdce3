"""Dutch identifiers: KvK number, vestigingsnummer, BSN, IBAN and BTW (VAT) number."""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from stdnum import iban as _iban
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.nl import bsn as _bsn
from stdnum.nl import btw as _btw

from workbench.privacy import looks_like_bsn

from ._common import error, map_joined, ok, parsed_without_problem, per_distinct, warning

_SEPARATORS = re.compile(r"[\s.\-]")
_EXCEL_FLOAT = re.compile(r"(\d+)\.0+")  # 12345678.0 after a trip through Excel or pandas


def _digits(text: str) -> str:
    if m := _EXCEL_FLOAT.fullmatch(text.strip()):
        return m[1]
    return _SEPARATORS.sub("", text)


def _parse_kvk(text: str) -> tuple:
    value = _digits(text)
    if not value.isdigit():
        return error(f"KvK number '{text}' contains characters other than digits", None)
    if 5 <= len(value) <= 7 and set(value) != {"0"}:
        # Excel drops the leading zeros of KvK numbers like 01234567 or 00012345
        zeros = "zero" if len(value) == 7 else "zeros"
        return warning(f"KvK number '{text}' has {len(value)} digits: leading {zeros} restored",
                       value.zfill(8))
    if len(value) != 8:
        return error(f"KvK number '{text}' has {len(value)} digits (expected 8)", None)
    if set(value) == {"0"}:
        return error(f"KvK number '{text}' is all zeros", None)
    return ok(value)


def _parse_vestiging(text: str) -> tuple:
    value = _digits(text)
    if not value.isdigit():
        return error(f"vestigingsnummer '{text}' contains characters other than digits", None)
    if set(value) == {"0"}:
        return error(f"vestigingsnummer '{text}' is all zeros", None)
    if 8 <= len(value) < 12:
        # vestigingsnummers start with zeros (000012345678); Excel strips them
        return warning(f"vestigingsnummer '{text}' has {len(value)} digits: leading zeros "
                       "restored", value.zfill(12))
    if len(value) != 12 or set(value) == {"0"}:
        return error(f"vestigingsnummer '{text}' has {len(value)} digits (expected 12)", None)
    return ok(value)


def _reason(exc: ValidationError) -> str:
    if isinstance(exc, InvalidChecksum):
        return "fails the check digit test"
    if isinstance(exc, InvalidLength):
        return "has the wrong length"
    if isinstance(exc, InvalidFormat | InvalidComponent):
        return "has the wrong format"
    return "is not valid"


def _parse_bsn(text: str) -> tuple:
    try:
        return ok(_bsn.validate(_digits(text)))
    except ValidationError as exc:
        reason = "fails the 11-test" if isinstance(exc, InvalidChecksum) else _reason(exc)
        return error(f"BSN '{text}' {reason}", None)


def _parse_iban(text: str) -> tuple:
    try:
        return ok(_iban.validate(text))
    except ValidationError as exc:
        return error(f"IBAN '{text}' {_reason(exc)}", None)


def _parse_btw(text: str) -> tuple:
    try:
        return ok("NL" + _btw.validate(text))
    except ValidationError as exc:
        return error(f"BTW number '{text}' {_reason(exc)}", None)


def _fast_kvk(texts: pd.Series) -> tuple[np.ndarray, list]:
    # the common case, 8 digits with or without separators, in one vectorised pass
    value = texts.str.replace(_SEPARATORS.pattern, "", regex=True)
    # (12345670 written as 1234567.0 is Excel's float of 1234567: left to _parse_kvk)
    done = (value.str.fullmatch(r"\d{8}").to_numpy(dtype=bool) & (value != "00000000").to_numpy()
            & ~texts.str.fullmatch(_EXCEL_FLOAT.pattern).to_numpy(dtype=bool))
    return done, [value[done].to_numpy(dtype=object)]


def kvk_number(s: pd.Series) -> pd.DataFrame:
    """Check KvK numbers (8 digits, lost leading zero restored); columns kvk_number, problem, severity."""
    return per_distinct(s, _parse_kvk, ("kvk_number",), fast=_fast_kvk)


def valid_kvk_numbers(values: Sequence[str]) -> np.ndarray:
    """Whether :func:`kvk_number` keeps each value without a problem (a 7-digit one has one)."""
    compact = map_joined(values, lambda text: _SEPARATORS.sub("", text))
    eight = np.fromiter((len(c) == 8 and c.isdigit() and c != "00000000" for c in compact),
                        dtype=bool, count=len(values))
    # 1234567.0 is Excel's float of a 7-digit number, not the 8 digits 12345670: parsed
    excel = np.fromiter(("." in v for v in values), dtype=bool, count=len(values))
    return parsed_without_problem(values, _parse_kvk, eight & ~excel)


def vestigingsnummer(s: pd.Series) -> pd.DataFrame:
    """Check vestigingsnummers (12 digits); columns vestigingsnummer, problem, severity."""
    return per_distinct(s, _parse_vestiging, ("vestigingsnummer",))


def bsn(s: pd.Series) -> pd.DataFrame:
    """Check BSNs with the 11-test (python-stdnum); columns bsn, problem, severity."""
    return per_distinct(s, _parse_bsn, ("bsn",))


def bare_bsns(values: Sequence[str]) -> np.ndarray:
    """Whether each value is nine bare digits, not starting with 0, that pass the 11-test: a BSN,
    never a phone number that lost its 0 (one in eleven such phones passes it by chance)."""
    return np.fromiter((isinstance(v, str) and len(v) == 9 and v.isdigit() and v[0] != "0"
                        and looks_like_bsn(v) for v in values), dtype=bool, count=len(values))


def iban(s: pd.Series) -> pd.DataFrame:
    """Check IBANs (python-stdnum), compact upper case; columns iban, problem, severity."""
    return per_distinct(s, _parse_iban, ("iban",))


def btw(s: pd.Series) -> pd.DataFrame:
    """Check Dutch BTW (VAT) numbers as ``NL...B01``; columns btw, problem, severity."""
    return per_distinct(s, _parse_btw, ("btw",))
