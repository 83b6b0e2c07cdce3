"""The text frame built from a reader's records: one ``source_row`` column plus one column of
text (or None) per header name, with the header checked and warnings for the analyst. A sheet
read whole (python-calamine) is built column by column when its rows need no care of their own."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.errors import InputFileError
from workbench.messages import sentence
from workbench.privacy import looks_like_bsn
from workbench.read.files import column_letter, where
from workbench.read.limits import Limits, too_many_columns, too_many_rows

RowReason = tuple[str, dict[str, Any]]  # a broken row's sentence: catalogue key and its values

# Columns whose values are identifiers that Excel likes to turn into numbers.
_ZERO_COLUMNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str], str], ...] = (
    ("KvK number", re.compile(r"kvk|k\.v\.k|coc|kamer van koophandel|chamber of commerce", re.I),
     re.compile(r"\d{7}"), "a KvK number has 8 digits"),
    ("phone number", re.compile(r"\btel|phone|mobi|gsm|fax|\b06\b|cell", re.I),
     re.compile(r"[1-9]\d{8}"), "a Dutch phone number has 10 digits starting with 0"),
    ("postcode", re.compile(r"postcode|post code|postal|zip|^pc$", re.I),
     re.compile(r"\d{3}(\s?[A-Za-z]{2})?"), "a postcode has 4 digits"),
)


def _clean(cells: Iterable[Any]) -> list[str | None]:
    out: list[str | None] = []
    for cell in cells:
        if cell is None:
            out.append(None)
        else:
            out.append(str(cell).strip() or None)
    return out


def _header(cells: list[str | None], path: Path, limits: Limits,
            row: int = 1) -> list[str | None]:
    """Check the column names; a missing name (None) is judged once the data is read."""
    while cells and cells[-1] is None:
        cells.pop()  # trailing empty header cells: checked against the data later
    if len(cells) > limits.max_columns:
        raise too_many_columns(path, len(cells), limits)
    seen: dict[str, int] = {}
    for position, name in enumerate(cells, start=1):
        if name is None:
            continue
        if name in seen:
            raise InputFileError(
                f"The column name '{name}' appears twice, in {where(seen[name])} and "
                f"{where(position)}; rename one of them.", file=str(path), row=row,
                column=name)
        if name == "source_row":
            raise InputFileError(
                f"The column name 'source_row' ({where(position)}) is reserved by the "
                "workbench; rename it.", file=str(path), row=row, column=name)
        seen[name] = position
    return cells


class _Cleaner(dict):  # type: ignore[type-arg]
    """Raw cell -> stripped text or None; equal values share one ``str`` object.

    Sharing is what keeps a 1,000,000-row file in bounded memory: a city or a salutation is
    stored once, not once per row. The table is emptied when it grows large (unique values
    such as e-mail addresses gain nothing from it), so it never holds more than a bounded part
    of the file.
    """

    LIMIT = 300_000

    def __init__(self) -> None:
        super().__init__({None: None, "": None})

    def __missing__(self, key: Any) -> str | None:
        # Kept minimal: it runs once per new value, a million times for a unique column.
        value = self[key] = str(key).strip() or None
        return value

    def trim(self) -> None:
        """Forget the values when there are many (checked per chunk, not per cell)."""
        if len(self) >= self.LIMIT:
            self.clear()
            self.update({None: None, "": None})


_CHUNK = 32_768  # rows held as lists before they are moved into the column lists


def build_frame(records: Iterator[tuple[int, list[Any]]], path: Path, info: dict[str, Any],
                limits: Limits) -> pd.DataFrame:
    """Build the frame of ``source_row`` plus one text column per header name from the records
    (file row, cells): header checked, rows fitted to it, trailing blank rows left out.

    A row that does not fit the header (more values, a quote never closed) keeps its first
    values and its reason in ``info["bad_rows"]`` ({source_row: reason}), unless most rows are
    broken: then the file is refused.
    """
    header_row, header = _find_header(records, path, info, limits)
    bad: dict[int, tuple[RowReason, InputFileError]] = {}
    columns, kept, blank_kept = _read_rows(records, header, path, limits, info, bad)
    if not kept and not limits.empty_ok:
        raise InputFileError("The file has a header but no data rows.", file=str(path),
                             row=header_row + 1)
    _refuse_mostly_broken(bad, kept, len(header))
    # the reason's words wait for the run's language (read.bad_row_reasons); the English
    # sentence stays for the notebook and the log
    info["bad_row_reasons"] = {row: reason for row, (reason, _) in bad.items() if row <= kept}
    info["bad_rows"] = {row: sentence(key, "en", **values)
                        for row, (key, values) in info["bad_row_reasons"].items()}
    info.pop("bad_lines", None)
    data: dict[str, Any] = {"source_row": np.arange(1, kept + 1, dtype=np.int64)}
    for position, (name, values) in enumerate(zip(header, columns, strict=True), start=1):
        del values[kept:]  # trailing blank rows are not data
        if name is None:
            _unnamed_column(values, position, header_row, path, info)
            continue
        array = np.empty(kept, dtype=object)
        array[:] = values
        values.clear()  # free the list as soon as its array exists
        data[name] = array
    frame = pd.DataFrame(data, copy=False)
    info["rows"] = kept
    info["blank_rows"] = blank_kept
    return frame


def grid_frame(rows: list[list[Any]], path: Path, info: dict[str, Any],
               limits: Limits) -> pd.DataFrame | None:
    """The frame :func:`build_frame` makes of these rows (raw cells, equal lengths, from file
    row 1), built column by column; None when a row needs its care: no header on row 1, a
    column without a name, a value right of the header, more rows than the limit."""
    if not rows or not rows[0] or len(rows) - 1 > limits.max_rows:
        return None
    header = _header(_clean(_as_text(rows[0])), path, limits)
    if not header or None in header or len(rows) == 1:
        return None
    cells = np.array(rows[1:], dtype=object)
    if cells.ndim != 2:
        return None
    columns = [_cleaned_column(cells[:, j]) for j in range(cells.shape[1])]
    if any((codes >= 0).any() for codes, _ in columns[len(header):]):
        return None  # a value beyond the header: a broken row, build_frame says which
    filled = np.zeros(len(cells), dtype=bool)
    for codes, _ in columns[:len(header)]:
        filled |= codes >= 0
    if not filled.any():
        return None
    kept = int(np.flatnonzero(filled)[-1]) + 1
    data: dict[str, Any] = {"source_row": np.arange(1, kept + 1, dtype=np.int64)}
    for name, (codes, texts) in zip(header, columns, strict=False):
        data[name] = texts[codes[:kept]]  # -1 (empty) picks the None at the end
    info["bad_row_reasons"], info["bad_rows"] = {}, {}
    info.pop("bad_lines", None)
    info["rows"] = kept
    info["blank_rows"] = kept - int(filled[:kept].sum())
    return pd.DataFrame(data, copy=False)


def _as_text(cells: list[Any]) -> list[str | None]:
    """Raw cells as the text an analyst sees (text cells as they are)."""
    from workbench.read.sheet_scan import cell_text

    return [v if v.__class__ is str else cell_text(v) for v in cells]


def _cleaned_column(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for empty) and the distinct cleaned texts (None last) of a column of raw cells,
    each cell cleaned as :func:`_read_rows` cleans it: stripped text, or None when empty."""
    if pd.api.types.infer_dtype(raw, skipna=True) not in ("string", "empty"):
        # numbers, dates, booleans: as text first (1, 1.0 and True must not be one value)
        raw = np.array(_as_text(raw.tolist()), dtype=object)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    texts = np.empty(len(uniques) + 1, dtype=object)
    texts[:-1] = list(map(str.strip, uniques.tolist()))  # all text: factorize leaves out None
    empty = np.flatnonzero(texts[:-1] == "")
    if len(empty):
        texts[empty] = None
        codes = np.where(np.isin(codes, empty), -1, codes)
    return codes.astype(np.int64, copy=False), texts


def _refuse_mostly_broken(bad: dict[int, tuple[RowReason, InputFileError]], rows: int,
                          width: int) -> None:
    """Most rows not fitting the header: the file is probably no table with this header."""
    if len(bad) * 2 <= rows:
        return
    first = bad[min(bad)][1]
    raise InputFileError(
        f"{len(bad):,} of the {rows:,} data rows do not fit the header's {width} columns, so "
        f"this is probably not a table with this header; the first: {first.message}",
        file=first.file, row=first.row, column=first.column)


def _find_header(records: Iterator[tuple[int, list[Any]]], path: Path, info: dict[str, Any],
                 limits: Limits) -> tuple[int, list[str | None]]:
    """Return the first non-blank row (the header) and its file row; warn of blank rows above."""
    header_row, header, skipped = 0, [], 0
    for header_row, first in records:
        header = _header(_clean(first), path, limits, header_row)
        if header:
            break
        skipped += 1  # blank lines above the header
    if not header:
        if not skipped:
            raise InputFileError("The file has no rows at all: no header, no data.",
                                 file=str(path))
        raise InputFileError("The first row is empty; the column names must be on row 1.",
                             file=str(path), row=1)
    if skipped:
        info["warnings"].append(
            f"The header is on row {header_row}: the {skipped} blank row(s) above it were "
            "skipped.")
    return header_row, header


def _read_rows(records: Iterator[tuple[int, list[Any]]], header: list[str | None], path: Path,
               limits: Limits, info: dict[str, Any], bad: dict[int, tuple[str, InputFileError]]
               ) -> tuple[list[list[str | None]], int, int]:
    """Read the data rows into one list per column; return them, the rows up to the last
    non-blank one and the blank rows among those. Rows that do not fit go into ``bad``."""
    width, max_rows = len(header), limits.max_rows
    columns: list[list[str | None]] = [[] for _ in header]
    chunk: list[list[str | None]] = []
    cleaner = _Cleaner()
    clean = cleaner.__getitem__
    bad_lines: dict[int, RowReason] = info.get("bad_lines", {})  # filled by the text reader as it reads
    count = 0  # rows read so far (data rows, blank ones included)
    kept = 0  # rows up to and including the last non-blank one
    blank_total = 0
    blank_kept = 0

    def flush() -> None:
        # zip(*chunk) transposes in C: far cheaper than appending cell by cell.
        for target, values in zip(columns, zip(*chunk, strict=True), strict=False):
            target.extend(values)
        chunk.clear()
        cleaner.trim()

    for file_row, raw in records:
        cells = list(map(clean, raw))
        broken = None
        if len(cells) != width:
            broken = _fit(cells, width, file_row, path)
        if bad_lines and file_row in bad_lines:
            reason = bad_lines[file_row]
            english = sentence(reason[0], "en", **reason[1])
            broken = (reason, InputFileError(english[0].upper() + english[1:] + ".",
                                             file=str(path), row=file_row))
        if broken is not None or any(cells):
            if count >= max_rows:
                raise too_many_rows(path, limits, row=file_row)
            kept = count + 1
            blank_kept = blank_total
            if broken is not None:
                bad[count + 1] = broken
                if len(bad) >= 1_000:  # stop early, before a file of broken rows is all read
                    _refuse_mostly_broken(bad, count + 1, width)
        else:
            blank_total += 1
            if count >= max_rows:
                continue  # trailing blank rows beyond the limit are dropped anyway
        chunk.append(cells)
        count += 1
        if len(chunk) >= _CHUNK:
            flush()
    flush()
    return columns, kept, blank_kept


def _fit(cells: list[str | None], width: int, file_row: int,
         path: Path) -> tuple[RowReason, InputFileError] | None:
    """Pad a short row with empty cells; cut cells beyond the header, returning the reason and
    the error when one of them held a value (the value itself is never quoted)."""
    if len(cells) < width:
        cells.extend([None] * (width - len(cells)))
        return None
    extra = [i for i, c in enumerate(cells[width:], start=width + 1) if c is not None]
    del cells[width:]
    if not extra:
        return None
    reason = ("read.row_too_wide", {"row": file_row, "column": extra[0],
                                    "letter": column_letter(extra[0]), "width": width})
    error = InputFileError(
        f"Row {file_row} has a value in {where(extra[0])}, but the header has only {width} "
        "columns; add a column name or remove the value.", file=str(path), row=file_row,
        column=column_letter(extra[0]))
    return reason, error


def _unnamed_column(values: list[str | None], position: int, header_row: int, path: Path,
                    info: dict[str, Any]) -> None:
    """A column without a name is left out when it is empty too (a blank leading column)."""
    filled = next((i for i, v in enumerate(values) if v is not None), None)
    if filled is not None:
        raise InputFileError(
            f"The header has no name for {where(position)}, which holds values (first in "
            f"data row {filled + 1}: '{values[filled]}'); give every column a name.",
            file=str(path), row=header_row, column=column_letter(position))
    info["warnings"].append(
        f"C{where(position)[1:]} has no name and no values; it was left out.")


def leading_zero_warnings(frame: pd.DataFrame) -> list[str]:
    """Warn of identifier columns whose values look like numbers that lost a leading zero."""
    warnings: list[str] = []
    for name in frame.columns[1:]:
        for kind, header_re, value_re, rule in _ZERO_COLUMNS:
            if not header_re.search(str(name)):
                continue
            # Test each distinct value once: a million-row column has far fewer distinct ones.
            codes, distinct = pd.factorize(frame[name].to_numpy(dtype=object),
                                           use_na_sentinel=True)
            # a BSN is no number that lost a zero, and is never quoted in a warning
            matching = [value_re.fullmatch(v) is not None and not looks_like_bsn(v)
                        for v in distinct.tolist()]
            hits = np.array([*matching, False], dtype=bool)[codes]  # -1 (empty): the False
            if hits.any():
                first = int(np.argmax(hits))
                warnings.append(
                    f"Column '{name}' has {int(hits.sum())} value(s) like "
                    f"'{distinct[codes[first]]}' (data row "
                    f"{frame['source_row'].iat[first]}) that look like a {kind} that lost its "
                    f"leading zero ({rule}); probably saved as a number in Excel. The values "
                    "were not changed.")
            break
    return warnings
