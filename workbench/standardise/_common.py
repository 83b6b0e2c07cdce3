"""Shared machinery: run a per-value parser once per distinct value and map the results back."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

PROBLEM_COLUMNS = ("problem", "severity")

# Placeholders people type into a cell that means "nothing here"; treated like an empty cell.
PLACEHOLDERS = frozenset({
    "-", "--", "---", "?", "n.v.t.", "n.v.t", "nvt", "n/a", "null", "none", "nan", "onbekend",
    "unknown",
})

_WS = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def clean_text(value: object) -> str | None:
    """Return the trimmed, whitespace-collapsed text of a cell, or None when it is missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = _WS.sub(" ", str(value).translate(_APOSTROPHES)).strip()
    if not text or text.lower() in PLACEHOLDERS:
        return None
    return text


def ascii_fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed (``Coöperatie`` -> ``cooperatie``)."""
    if text.isascii():  # NFKD leaves ASCII alone; most values are ASCII
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def clean_many(values: Sequence | np.ndarray) -> np.ndarray:
    """Vectorised ``clean_text`` over many values: an object array of str-or-None."""
    s = pd.Series(values, dtype=object)
    out = np.full(len(s), None, dtype=object)
    if not len(s):
        return out
    is_str = s.map(type).eq(str).to_numpy()
    present = s.notna().to_numpy()
    other = present & ~is_str
    if other.any():  # numbers, dates: rare, so the per-value path is fine
        out[other] = [clean_text(v) for v in s[other]]
    texts = s[is_str]
    if len(texts):
        # one C-level pass each over all values beats a Python call per value
        texts = texts.str.translate(_APOSTROPHES)
        odd = texts.str.contains(r"\s\s|[^\S ]", regex=True).to_numpy(dtype=bool)
        if odd.any():
            texts[odd] = texts[odd].str.replace(_WS, " ", regex=True)
        texts = texts.str.strip()
        empty = (texts == "").to_numpy() | texts.str.lower().isin(PLACEHOLDERS).to_numpy()
        out[is_str] = texts.where(~empty, None).to_numpy(dtype=object)
    return out


def per_distinct(
    s: pd.Series,
    parse: Callable[[str], tuple],
    columns: Sequence[str],
    missing: tuple | None = None,
    raw: bool = False,
    fast: Callable[[pd.Series], tuple[np.ndarray, list]] | None = None,
) -> pd.DataFrame:
    """Apply ``parse`` once per distinct cleaned value of ``s``; return a frame on ``s``'s index.

    ``parse`` gets a non-empty cleaned string and returns one value per output column followed by
    problem and severity. Missing cells get ``missing`` (all None by default). With ``raw``
    the distinct values are passed as they are (e.g. tuples) and ``parse`` handles missing ones.
    ``fast`` gets the distinct cleaned strings as a Series and returns a mask of those it settled
    without a problem and, per output column, their values (vectorised); ``parse`` does the rest.
    """
    names = [*columns, *PROBLEM_COLUMNS]
    if missing is None:
        missing = (None,) * len(names)
    if raw:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        texts = list(uniques)
    else:
        # factorize the raw values, clean the distinct ones, then factorize the cleaned ones:
        # purchased lists repeat values a lot, and "Den Haag " and "Den Haag" parse once
        raw_codes, raw_uniques = pd.factorize(s, use_na_sentinel=True)
        cleaned = clean_many(raw_uniques)
        clean_codes, clean_uniques = pd.factorize(pd.Series(cleaned, dtype=object),
                                                  use_na_sentinel=True)
        codes = np.append(clean_codes, -1)[raw_codes]
        texts = list(clean_uniques)
    table = np.empty((len(texts) + 1, len(names)), dtype=object)
    todo = np.ones(len(texts), dtype=bool)
    if fast is not None and len(texts):
        done, values = fast(pd.Series(texts, dtype=object))
        rows = np.flatnonzero(done)
        for j, column in enumerate(values):
            table[rows, j] = np.asarray(column, dtype=object)
        table[rows, len(columns):] = None
        todo[rows] = False
    for i in np.flatnonzero(todo):
        text = texts[i]
        table[i] = parse(text) if raw or text is not None else missing
    table[-1] = missing  # code -1 (NaN) picks the last row
    out = table[codes] if len(codes) else np.empty((0, len(names)), dtype=object)
    return pd.DataFrame(out, index=s.index, columns=names)


def as_series(s: object) -> pd.Series:
    """Return ``s`` as an object Series (lists and arrays are accepted for convenience)."""
    if isinstance(s, pd.Series):
        return s
    return pd.Series(list(s) if not isinstance(s, str) else [s], dtype=object)


def ok(*values: object) -> tuple:
    """Return a parse result without a problem."""
    return (*values, None, None)


def error(message: str, *values: object) -> tuple:
    """Return a parse result with an error."""
    return (*values, message, "error")


def warning(message: str, *values: object) -> tuple:
    """Return a parse result with a warning."""
    return (*values, message, "warning")


_LOWER_WORDS = frozenset({
    "aan", "bij", "de", "den", "der", "en", "het", "in", "onder", "op", "over", "te", "ten",
    "ter", "van", "voor", "'t", "'s", "uit", "a/d", "a/d.",
})


def tidy_case(text: str, lower_words: frozenset[str] = _LOWER_WORDS) -> str:
    """Capitalise an all-upper or all-lower name Dutch-style; mixed case is left as typed."""
    if not (text.isupper() or text.islower()):
        return text
    out = []
    first = True
    for word in text.lower().split(" "):
        parts = []
        for part in word.split("-"):
            # "Berg-de Vries", "Capelle aan den IJssel": particles stay small except up front
            parts.append(part if not first and part in lower_words else _cap(part))
            first = False
        out.append("-".join(parts))
    return " ".join(out)


def _cap(part: str) -> str:
    # Dutch capitalises the digraph IJ as one letter: ijmuiden -> IJmuiden
    if part.startswith("ij"):
        return "IJ" + part[2:]
    if part in ("'s", "'t"):
        return part
    first = part[:1].upper()
    # "ß".upper() is "SS": a letter that grows when capitalised is left alone (idempotence)
    return (first if len(first) == len(part[:1]) else part[:1]) + part[1:]
