"""Dutch postcodes: ``1234ab`` / ``1234-AB`` / `` 1234  ab`` -> ``1234 AB`` plus the PC4 part."""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._common import error, ok, parsed_without_problem, per_distinct

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
    return per_distinct(s, _parse, ("postcode", "pc4"), fast=_fast)


def _fast(texts: pd.Series) -> tuple[np.ndarray, list]:
    # the common spellings in one vectorised pass; bad ones go to _parse for their message
    parts = texts.str.replace(_SEPARATORS.pattern, "", regex=True).str.upper().str.extract(
        r"^([1-9]\d{3})([A-Z]{2})$")
    done = parts[0].notna().to_numpy() & ~parts[1].isin(_FORBIDDEN_LETTERS).to_numpy()
    digits, letters = parts[0][done], parts[1][done]
    return done, [(digits + " " + letters).to_numpy(dtype=object), digits.to_numpy(dtype=object)]


# The usual spellings, settled at C speed; the rest goes through _parse (ASCII only: the parser
# reads some other digits and letters too, and is the judge of those).
_USUAL = re.compile(r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}", re.IGNORECASE | re.ASCII)


def valid_postcodes(values: Sequence[str]) -> np.ndarray:
    """Whether :func:`postcode` keeps each value as a postcode without a problem."""
    sure = np.fromiter((m is not None for m in map(_USUAL.fullmatch, values)), dtype=bool,
                       count=len(values))
    return parsed_without_problem(values, _parse, sure)
