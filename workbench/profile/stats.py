"""Statistics of a table: distinct values per column, patterns, lengths, in-file duplicates.

All work is done per distinct value, not per row, so 100,000 rows take seconds.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from workbench.standardise import map_joined

TOP = 5  # top values, duplicate examples and invalid examples kept

_PATTERN_TABLE = {
    **{c: "9" for c in range(ord("0"), ord("9") + 1)},
    **{c: ("A" if chr(c).isupper() else "a") for c in range(0x41, 0x250) if chr(c).isalpha()},
}
_UPPER_RUN = re.compile(r"A{5,}")
_LOWER_RUN = re.compile(r"a{5,}")
_NORMALISE_JOINED = re.compile(r"(?:[^\w\x00]|_)+", re.U)


def value_pattern(value: str) -> str:
    """Return the shape of a value: digits -> 9, capitals -> A, others -> a, letter runs cut to 4."""
    shape = value.translate(_PATTERN_TABLE)
    # A plain substring test is much cheaper than running the regex on every value.
    if "aaaaa" in shape:
        shape = _LOWER_RUN.sub("aaaa", shape)
    if "AAAAA" in shape:
        shape = _UPPER_RUN.sub("AAAA", shape)
    return shape


# The same two rules over Latin-1 text as bytes, where numpy does them for a whole column at
# once (Dutch lists are Latin-1 text; any other text takes the rules above).
_PATTERN_BYTES = np.array([ord(_PATTERN_TABLE.get(c, chr(c))) for c in range(256)],
                          dtype=np.uint8)
_WORD_BYTES = np.array([chr(c).isalnum() or c == 0 for c in range(256)], dtype=bool)  # \w, \x00


def _latin1(text: str) -> np.ndarray | None:
    try:
        return np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        return None


def _pattern_text(text: str) -> str:
    """:func:`value_pattern` of a text (values joined by "\x00" keep their separators)."""
    codes = _latin1(text)
    if codes is None:
        shape = text.translate(_PATTERN_TABLE)
        return _LOWER_RUN.sub("aaaa", _UPPER_RUN.sub("AAAA", shape))
    codes = _PATTERN_BYTES[codes]
    keep = np.ones(len(codes), dtype=bool)
    for letter in b"Aa":  # a letter that is the 5th (or later) of a run of it goes
        same = codes == letter
        keep[4:] &= ~(same[4:] & same[3:-1] & same[2:-2] & same[1:-3] & same[:-4])
    return codes[keep].tobytes().decode("latin-1")


def _normalised_text(text: str) -> str:
    """Lower case without spaces, punctuation and "_" (the "\x00" separators kept)."""
    folded = text.casefold()
    codes = _latin1(folded)
    if codes is None:
        return _NORMALISE_JOINED.sub("", folded)
    return codes[_WORD_BYTES[codes]].tobytes().decode("latin-1")


def patterns_of(values: list[str]) -> list[str]:
    """:func:`value_pattern` of every value, in one pass."""
    return map_joined(values, _pattern_text)


def normalised_of(values: list[str]) -> list[str]:
    """Lower case without spaces and punctuation, for duplicates after normalisation."""
    return map_joined(values, _normalised_text)


def factorize(series: pd.Series, clean: bool) -> tuple[np.ndarray, list[str]]:
    """Row codes (-1 for empty) and the distinct values as stripped text, in order of appearance."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
    values = uniques.tolist()
    if clean and pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        stripped = values
    else:
        stripped = [str(v).strip() for v in values]
    if stripped is not values and stripped != values or "" in stripped:
        # Frames not made by read_table may hold "" or padded text: merge equal stripped values.
        merged, texts = pd.factorize(pd.Series([v or None for v in stripped], dtype=object),
                                     use_na_sentinel=True)
        codes = np.append(merged, -1)[codes]
        values = texts.tolist()
    return codes.astype(np.int64, copy=False), values


def length_histogram(lengths: np.ndarray, counts: np.ndarray) -> list[list[int]]:
    """``[low, high, rows]`` per length band; single lengths when there are few."""
    if not len(lengths):
        return []
    low, high = int(lengths.min()), int(lengths.max())
    width = max(1, -(-(high - low + 1) // 30))  # at most 30 bands
    bands = np.bincount((lengths - low) // width, weights=counts).astype(np.int64)
    return [[low + i * width, min(high, low + (i + 1) * width - 1), int(n)]
            for i, n in enumerate(bands.tolist()) if n]


def pattern_counts(values: list[str], counts: np.ndarray, top: int) -> list[list[Any]]:
    """The ``top`` most frequent patterns with their rows, most frequent first."""
    pattern_codes, pattern_names = pd.factorize(pd.Series(patterns_of(values), dtype=object))
    rows = np.bincount(pattern_codes, weights=counts,
                       minlength=len(pattern_names)).astype(np.int64)
    return [[str(pattern_names[i]), int(rows[i])]
            for i in np.argsort(-rows, kind="stable")[:top].tolist()]


def _group(codes: list[np.ndarray], rows: int,
           recode: Callable[[int, np.ndarray], np.ndarray] | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Rows that share every code with an earlier row: (their positions, their group ids).

    ``recode(column, codes)`` may turn a column's codes into other ones (normalised values)
    for the rows still in play only.
    """
    positions = np.arange(rows)
    group = np.zeros(rows, dtype=np.int64)
    # Column by column, most varied first: after it only rows that still share a key are
    # kept, so a unique column ends the work early.
    for index in sorted(range(len(codes)), key=lambda i: -int(codes[i].max(initial=-1))):
        column = codes[index][positions]
        if recode is not None:
            column = recode(index, column)
        group, _ = pd.factorize(group * (int(column.max(initial=-1)) + 2) + (column + 1))
        shared = np.bincount(group)[group] > 1
        positions, group = positions[shared], group[shared]
        group, _ = pd.factorize(group)
        if not len(positions):
            break
    return positions, group


def duplicates(codes: list[np.ndarray], values: list[list[str]], rows: int,
               source_rows: np.ndarray) -> dict[str, Any]:
    """Rows repeating an earlier row exactly, and once case, spaces and punctuation are ignored."""
    if not rows or not codes:
        return {"exact": 0, "normalised": 0, "examples": []}
    positions, group = _group(codes, rows)
    exact = int(pd.Series(group).duplicated(keep="first").sum())

    def normalised(index: int, column: np.ndarray) -> np.ndarray:
        # Normalise only the distinct values of the rows still in play.
        seen = np.zeros(len(values[index]), dtype=bool)
        seen[column[column >= 0]] = True
        used = np.flatnonzero(seen)
        keys = normalised_of([values[index][i] for i in used.tolist()])
        key_codes, _ = pd.factorize(np.asarray([k or None for k in keys], dtype=object),
                                    use_na_sentinel=True)
        lookup = np.full(len(values[index]) + 1, -1, dtype=np.int64)
        lookup[used] = key_codes
        return lookup[column]  # -1 (empty) picks the last entry, which stays -1

    positions, group = _group(codes, rows, normalised)
    later = pd.Series(group).duplicated(keep="first").to_numpy()
    source = source_rows[positions]
    first_of: dict[int, int] = {}
    examples: list[list[int]] = []
    for key, row, is_later in zip(group.tolist(), source.tolist(), later.tolist(), strict=True):
        if not is_later:
            first_of[key] = row
        elif len(examples) < TOP:
            examples.append([int(first_of[key]), int(row)])
    return {"exact": exact, "normalised": int(later.sum()), "examples": examples}
