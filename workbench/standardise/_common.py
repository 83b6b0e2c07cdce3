"""Shared machinery: run a per-value parser once per distinct value and map the results back."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
import pandas as pd

from workbench.messages import spoken_language

PROBLEM_COLUMNS = ("problem", "severity")

# Placeholders people type into a cell that means "nothing here"; treated like an empty cell.
PLACEHOLDERS = frozenset({
    "-", "--", "---", "?", "n.v.t.", "n.v.t", "nvt", "n/a", "null", "none", "nan", "onbekend",
    "unknown",
})

_LONGEST_PLACEHOLDER = max(len(p) for p in PLACEHOLDERS)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def clean_text(value: object) -> str | None:
    """Return the trimmed, whitespace-collapsed text of a cell, or None when it is missing."""
    if type(value) is not str and (value is None or value is pd.NA or (
            isinstance(value, float) and np.isnan(value))):
        return None
    # str.split() splits on every Unicode space, like \s+, and drops both ends: one C call
    text = str(value)
    if "\u2019" in text or "\u2018" in text or "`" in text or "\u00b4" in text:
        text = text.translate(_APOSTROPHES)  # translate() costs ~1 us a value; most need none
    text = " ".join(text.split())
    if not text or (len(text) <= _LONGEST_PLACEHOLDER and text.lower() in PLACEHOLDERS):
        return None
    return text


def ascii_fold(text: str) -> str:
    """Return ``text`` lower-cased with accents removed (``Coöperatie`` -> ``cooperatie``)."""
    if text.isascii():  # NFKD leaves ASCII alone; most values are ASCII
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def clean_many(values: Sequence | np.ndarray) -> np.ndarray:
    """``clean_text`` over many values: an object array of str-or-None."""
    out = np.empty(len(values), dtype=object)
    # a list comprehension over one small function beats six pandas .str passes here, and
    # beats a run-wide cache of cleaned texts too (filling it costs twice the cleaning)
    out[:] = [clean_text(v) for v in values]
    return out


# parser -> its result per cleaned text, while ``shared_parses`` is open; None otherwise
_SHARED: dict[Callable, dict] | None = None


@contextmanager
def shared_parses() -> Iterator[None]:
    """Within this block a parser sees each text once: the profile and the standardisation of
    one run ask the same parsers about the same values. The results go when the block ends."""
    global _SHARED
    outer = _SHARED
    if outer is None:
        _SHARED = {}
    try:
        yield
    finally:
        _SHARED = outer
        if outer is None:
            _TABLES.clear()


def _parse_all(parse: Callable[[str], tuple], texts: list, rows: np.ndarray, missing: tuple,
               raw: bool) -> list[tuple]:
    """``parse`` of the texts at ``rows`` (``missing`` for none), each text parsed once while
    ``shared_parses`` is open."""
    # a parse's problems are sentences: one said in English (the profile) is no Dutch run's
    memo = (_SHARED.setdefault((parse, spoken_language()), {})
            if _SHARED is not None and not raw else None)
    if memo is None:
        return [parse(texts[i]) if raw or texts[i] is not None else missing for i in rows]
    results = []
    for i in rows.tolist():
        text = texts[i]
        if text is None:
            results.append(missing)
            continue
        result = memo.get(text)
        if result is None:
            result = memo[text] = parse(text)
        results.append(result)
    return results


def distinct_texts(s: pd.Series | np.ndarray) -> tuple[np.ndarray, list]:
    """Each cell's code and the distinct cleaned texts (``clean_text``) the codes point to;
    code -1 where a cell holds nothing."""
    # factorize the raw values, clean the distinct ones, then factorize the cleaned ones:
    # purchased lists repeat values a lot, and "Den Haag " and "Den Haag" parse once
    raw_codes, raw_uniques = pd.factorize(s, use_na_sentinel=True)
    cleaned = clean_many(raw_uniques)
    if (cleaned == np.asarray(raw_uniques, dtype=object)).all():
        # cleaning changed nothing (a reader trims already): the codes stand as they are
        return raw_codes, list(cleaned)
    clean_codes, clean_uniques = pd.factorize(cleaned, use_na_sentinel=True)
    return np.append(clean_codes, -1)[raw_codes], list(clean_uniques)


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
    if raw:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        texts = list(uniques)
    else:
        codes, texts = distinct_texts(s)
    table = parse_table(texts, parse, columns, missing, raw, fast)
    out = table[codes] if len(codes) else np.empty((0, len(names)), dtype=object)
    # object as parsed: no per-column guessing of dates
    return pd.DataFrame(out, index=s.index, columns=names, dtype=object)


def parse_table(texts: list, parse: Callable[[str], tuple], columns: Sequence[str],
                missing: tuple | None = None, raw: bool = False,
                fast: Callable[[pd.Series], tuple[np.ndarray, list]] | None = None
                ) -> np.ndarray:
    """``parse`` of each distinct text (see :func:`per_distinct`) as an object array, one row a
    text and a last row ``missing``: codes from :func:`distinct_texts` pick rows from it."""
    names = [*columns, *PROBLEM_COLUMNS]
    if missing is None:
        missing = (None,) * len(names)
    key = _table_key(texts, parse, columns, missing, raw, fast)
    if key is not None and (known := _TABLES.get(key)) is not None:
        return known.copy()  # a caller may fill in more (email's typos): never the kept one
    table = _parse_table(texts, parse, names, missing, raw, fast)
    if key is not None:
        _TABLES[key] = table.copy()
    return table


# (parser, its texts, ...) -> its table, while ``shared_parses`` is open: the profile asks a
# parser about a column's distinct values, the run asks again about the same column's rows,
# whose distinct texts come in the same order (of first appearance): one table serves both.
_TABLES: dict[tuple, np.ndarray] = {}
_TABLE_MIN_TEXTS = 1_000  # a small table costs less to make than to keep


def _table_key(texts: list, parse: Callable, columns: Sequence[str], missing: tuple, raw: bool,
               fast: Callable | None) -> tuple | None:
    """The key of a table worth keeping for later calls, or None."""
    if _SHARED is None or raw or len(texts) < _TABLE_MIN_TEXTS:
        return None
    if any("<locals>" in getattr(f, "__qualname__", "<locals>")
           for f in (parse, fast) if f is not None):
        return None  # a function made per call is never asked again
    key = (parse, fast, tuple(columns), missing, spoken_language(), tuple(texts))
    try:
        hash(key)
    except TypeError:  # a value no dictionary can hold
        return None
    return key


def _parse_table(texts: list, parse: Callable[[str], tuple], names: list[str], missing: tuple,
                 raw: bool, fast: Callable[[pd.Series], tuple[np.ndarray, list]] | None
                 ) -> np.ndarray:
    """:func:`parse_table` made anew."""
    columns = names[:-len(PROBLEM_COLUMNS)]
    table = np.empty((len(texts) + 1, len(names)), dtype=object)
    todo = np.ones(len(texts), dtype=bool)
    if fast is not None and len(texts):
        done, values = fast(pd.Series(texts, dtype=object))
        rows = np.flatnonzero(done)
        for j, column in enumerate(values):
            table[rows, j] = np.asarray(column, dtype=object)
        table[rows, len(columns):] = None
        todo[rows] = False
    rows = np.flatnonzero(todo)
    if len(rows):
        # parse into a list, then fill the table a column at a time: row-wise assignment into a
        # 2-D object array costs more than the parsing of a simple value
        results = _parse_all(parse, texts, rows, missing, raw)
        block = np.empty((len(rows), len(names)), dtype=object)
        try:
            block[:] = results  # one C pass; zip(*results) over a million tuples costs ~0.7 s
        except (ValueError, TypeError):  # a parse result holding a sequence: column by column
            for j, column in enumerate(zip(*results, strict=True)):
                block[:, j] = _object_array(column)
        table[rows] = block
    table[-1] = missing  # code -1 (NaN) picks the last row
    return table


def by_country(s: pd.Series, countries: pd.Series, dutch: Callable[[pd.Series], pd.DataFrame],
               foreign: Callable[[str, str], tuple], columns: Sequence[str],
               empty: tuple) -> pd.DataFrame:
    """Rows of the Netherlands (or of no country) read by ``dutch``; the others by
    ``foreign(text, country)``, once per distinct pair of text and country."""
    is_nl = (countries.isna() | (countries == "NL")).to_numpy()
    out = dutch(s.where(is_nl, None))
    if is_nl.all():
        return out
    texts = clean_many(s.to_numpy(dtype=object))
    pairs = pd.Series([(t, c) if t is not None and not d else None
                       for t, c, d in zip(texts, countries.to_numpy(dtype=object), is_nl,
                                          strict=True)], index=s.index, dtype=object)
    other = per_distinct(pairs, lambda pair: empty if pair is None else foreign(*pair), columns,
                         raw=True)
    for column in out.columns:
        out[column] = out[column].astype(object).where(is_nl, other[column].astype(object))
    return out


def _object_array(values: Sequence) -> np.ndarray:
    """A 1-D object array of ``values`` (sequences among them kept as single elements)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


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


_SEP = "\x00"  # joins values into one string, so one C call does the work of a million


def map_joined(values: Sequence[str], work: Callable[[str], str]) -> list[str]:
    """Apply a text-to-text ``work`` that keeps ``"\\x00"`` to every value through one string."""
    text = _SEP.join(values)
    if text.count(_SEP) != max(len(values) - 1, 0):
        return [work(v) for v in values]  # a value holds the separator itself: one by one
    out = work(text).split(_SEP)
    return out if len(out) == len(values) else [work(v) for v in values]


def kept_without_problem(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> np.ndarray:
    """Rows of a standardiser's output that hold a value (in ``columns``, else the first) and no problem."""
    names = list(columns) if columns is not None else [frame.columns[0]]
    held = pd.notna(frame[names].to_numpy(dtype=object)).any(axis=1)
    return held & pd.isna(frame["problem"].to_numpy(dtype=object))


def fullmatches(pattern: re.Pattern, values: Sequence[str]) -> np.ndarray:
    """Whether ``pattern`` matches each value whole: a boolean array (map runs in C)."""
    if isinstance(pattern.pattern, str) and _DIGITS_ONLY.fullmatch(pattern.pattern):
        text = _SEP.join(values)
        if text.count(_SEP) == max(len(values) - 1, 0):
            return _whole_matches(pattern, values, text)
    found = np.empty(len(values), dtype=object)
    found[:] = list(map(pattern.fullmatch, values))
    return pd.notna(found)


# A pattern of digits, digit classes, groups, alternatives and counts only (phone metadata):
# it can never match the separator, so one search over all values joined finds the same
# whole matches as a fullmatch per value, without a call and a match object per value.
_DIGITS_ONLY = re.compile(r"(?:[0-9\[\]()|?:{},+*-]|\\d)*")  # no \0: that is the separator


@lru_cache(maxsize=256)
def _between_separators(pattern: str, flags: int) -> re.Pattern:
    """``pattern`` matching a whole value of a ``_SEP``-joined text."""
    return re.compile(rf"(?<![^{_SEP}])(?:{pattern})(?![^{_SEP}])", flags)


def _whole_matches(pattern: re.Pattern, values: Sequence[str], text: str) -> np.ndarray:
    """:func:`fullmatches` for a digits-only ``pattern``, over the values joined in ``text``."""
    out = np.zeros(len(values), dtype=bool)
    if not len(values):
        return out
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    hits = np.fromiter((m.start() for m in _between_separators(
        pattern.pattern, pattern.flags).finditer(text)), dtype=np.int64)
    out[np.searchsorted(starts, hits)] = True
    return out


def parsed_without_problem(values: Sequence[str], parse: Callable[[str], tuple],
                           sure: np.ndarray | None = None) -> np.ndarray:
    """Whether ``parse`` keeps each cleaned value with no problem (a placeholder holds none).

    ``sure`` marks values a vectorised test already found valid; only the others are parsed.
    """
    out = np.zeros(len(values), dtype=bool) if sure is None else np.array(sure, dtype=bool)
    for i in np.flatnonzero(~out).tolist():
        text = clean_text(values[i])
        if text is not None:
            result = parse(text)
            out[i] = result[0] is not None and result[-2] is None
    return out
