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
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def per_distinct(
    s: pd.Series,
    parse: Callable[[str], tuple],
    columns: Sequence[str],
    missing: tuple | None = None,
    raw: bool = False,
) -> pd.DataFrame:
    """Apply ``parse`` once per distinct cleaned value of ``s``; return a frame on ``s``'s index.

    ``parse`` gets a non-empty cleaned string and returns one value per output column followed by
    problem and severity. Missing cells get ``missing`` (all None by default). With ``raw``
    the distinct values are passed as they are (e.g. tuples) and ``parse`` handles missing ones.
    """
    names = [*columns, *PROBLEM_COLUMNS]
    if missing is None:
        missing = (None,) * len(names)
    # factorize once on the raw values: purchased lists repeat values a lot, so this is the saving
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.empty((len(uniques) + 1, len(names)), dtype=object)
    memo: dict[str, tuple] = {}
    for i, raw_value in enumerate(uniques):
        text = raw_value if raw else clean_text(raw_value)
        if text is None:
            table[i] = missing
            continue
        row = memo.get(text)
        if row is None:
            row = memo[text] = parse(text)
        table[i] = row
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
    return part[:1].upper() + part[1:]
