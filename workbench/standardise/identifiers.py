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

from workbench.messages import say
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
        return error(say("kvk.not_digits", value=text), None)
    if 5 <= len(value) <= 7 and set(value) != {"0"}:
        # Excel drops the leading zeros of KvK numbers like 01234567 or 00012345
        restored = "kvk.zero_restored" if len(value) == 7 else "kvk.zeros_restored"
        return warning(say(restored, value=text, count=len(value)), value.zfill(8))
    if len(value) != 8:
        return error(say("kvk.length", value=text, count=len(value)), None)
    if set(value) == {"0"}:
        return error(say("kvk.all_zeros", value=text), None)
    return ok(value)


def _parse_vestiging(text: str) -> tuple:
    value = _digits(text)
    if not value.isdigit():
        return error(say("vestiging.not_digits", value=text), None)
    if set(value) == {"0"}:
        return error(say("vestiging.all_zeros", value=text), None)
    if 8 <= len(value) < 12:
        # vestigingsnummers start with zeros (000012345678); Excel strips them
        return warning(say("vestiging.zeros_restored", value=text, count=len(value)),
                       value.zfill(12))
    if len(value) != 12 or set(value) == {"0"}:
        return error(say("vestiging.length", value=text, count=len(value)), None)
    return ok(value)


def _reason(exc: ValidationError, kind: str, text: str) -> str:
    """Why ``text`` is no valid ``kind`` (an IBAN, a BTW number), as the library found."""
    if isinstance(exc, InvalidChecksum):
        return say("id.checksum", kind=kind, value=text)
    if isinstance(exc, InvalidLength):
        return say("id.length", kind=kind, value=text)
    if isinstance(exc, InvalidFormat | InvalidComponent):
        return say("id.format", kind=kind, value=text)
    return say("id.invalid", kind=kind, value=text)


def _parse_bsn(text: str) -> tuple:
    try:
        return ok(_bsn.validate(_digits(text)))
    except ValidationError as exc:
        reason = say("bsn.eleven_test", value=text) if isinstance(exc, InvalidChecksum) \
            else _reason(exc, "BSN", text)
        return error(reason, None)


def _parse_iban(text: str) -> tuple:
    try:
        return ok(_iban.validate(text))
    except ValidationError as exc:
        return error(_reason(exc, "IBAN", text), None)


def _parse_btw(text: str) -> tuple:
    try:
        return ok("NL" + _btw.validate(text))
    except ValidationError as exc:
        return error(_reason(exc, say("kind.btw"), text), None)


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
