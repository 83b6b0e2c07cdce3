"""Dutch postcodes: ``1234ab`` / ``1234-AB`` / `` 1234  ab`` -> ``1234 AB`` plus the PC4 part."""
from __future__ import annotations

import re

import pandas as pd

from ._common import error, ok, per_distinct

_SEPARATORS = re.compile(r"[\s\-.]")
_POSTCODE = re.compile(r"([1-9]\d{3})([A-Z]{2})")
_PC4 = re.compile(r"[1-9]\d{3}")
# PostNL never hands out these letter pairs (they read badly in the occupation era).
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})
_EXPECTED = "expected 1234 AB"


def _parse(text: str) -> tuple:
    compact = _SEPARATORS.sub("", text).upper()
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        # a bare PC4 is still a fact worth keeping for the city lookup and blocking
        pc4 = compact if _PC4.fullmatch(compact) else None
        return error(f"postcode '{text}' is not a Dutch postcode ({_EXPECTED})", None, pc4)
    digits, letters = match.groups()
    if letters in _FORBIDDEN_LETTERS:
        return error(f"postcode '{text}' uses letters {letters}, which are never issued", None,
                     digits)
    return ok(f"{digits} {letters}", digits)


def postcode(s: pd.Series) -> pd.DataFrame:
    """Normalise Dutch postcodes to ``1234 AB``; columns postcode, pc4, problem, severity."""
    return per_distinct(s, _parse, ("postcode", "pc4"))
