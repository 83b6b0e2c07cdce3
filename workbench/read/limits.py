"""Limits checked before work: data rows, columns and megabytes, so a small file cannot exhaust
the machine. A sheet's extent is measured on its XML as it streams past, before any reader
builds a grid from it (python-calamine allocates every cell from A1 to the last one)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbench.errors import InputFileError
from workbench.read.files import column_letter, column_number

MB = 1024**2
# Cells of the grid python-calamine may build for one sheet (32 bytes each: about 1 GB). A sheet
# with a larger extent is read row by row by openpyxl instead, slower but in bounded memory.
CALAMINE_CELLS = 30_000_000


@dataclass(frozen=True)
class Limits:
    """How much one run reads: data rows, columns and megabytes (uncompressed for a workbook)."""

    max_rows: int = 1_000_000
    max_bytes: int | None = 200 * MB
    max_columns: int = 1_000
    # a CRM export may hold a table with no records yet; an incoming list without rows is a mistake
    empty_ok: bool = False


def too_many_rows(path: Path, limits: Limits, row: int | None = None) -> InputFileError:
    """The error for a file with more data rows than the limit."""
    return InputFileError(
        f"The file has more than {limits.max_rows:,} data rows, the limit for one run; "
        "split it into smaller files.", file=str(path), row=row)


def too_many_columns(path: Path, columns: int, limits: Limits) -> InputFileError:
    """The error for a table wider than the limit (``columns`` is how far it reaches)."""
    return InputFileError(
        f"The table reaches column {column_letter(columns)} ({columns:,} columns), more than "
        f"the limit of {limits.max_columns:,} columns for one run; remove the columns (or the "
        "stray cells) that are not needed.", file=str(path), column=column_letter(columns))


def too_large(path: Path, size: int, limits: Limits, *, unpacked: bool = False) -> InputFileError:
    """The error for a file (or a workbook's unpacked parts) larger than the limit."""
    what = "The workbook unpacks to" if unpacked else "The file is"
    return InputFileError(
        f"{what} {size / MB:.1f} MB, more than the limit of {(limits.max_bytes or 0) / MB:.1f} "
        "MB; split it into smaller files.", file=str(path))


def check_file_size(path: Path, limits: Limits) -> None:
    """Refuse a file larger on disk than the limit."""
    size = path.stat().st_size
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise too_large(path, size, limits)


_REF = re.compile(rb"""\sr=["']([A-Z]+)(\d+)["']""")
_CELL_WITHOUT_REF = re.compile(rb"<(?:\w+:)?c(?=[\s/>])(?![^>]*\sr\s*=)")


def _greater(value: str, one: bytes, last: str) -> bytes:
    """A pattern for strings of ``one`` (up to ``last``, no leading zeros) greater than ``value``."""
    if not value:
        return one + b"+"
    options = [one + b"{%d,}" % (len(value) + 1)]
    for i, char in enumerate(value):
        if char < last:
            rest = len(value) - i - 1
            options.append(re.escape(value[:i]).encode() + f"[{chr(ord(char) + 1)}-{last}]"
                           .encode() + (one + b"{%d}" % rest if rest else b""))
    return b"|".join(options)


@lru_cache(maxsize=64)
def _beyond(columns: int, rows: int) -> re.Pattern[bytes]:
    """A cell reference right of column ``columns`` or below row ``rows``."""
    letters = column_letter(columns) if columns else ""
    # "r=" first, the space before it checked behind: a pattern that starts with a literal is
    # searched for that literal first, ~2.5x faster than trying \s at every byte
    return re.compile(rb"""r=(?<=\sr=)["'](?:(?:%s)\d|[A-Z]+(?:%s)["'])""" % (
        _greater(letters, b"[A-Z]", "Z"), _greater(str(rows) if rows else "", rb"\d", "9")))


class SheetExtent:
    """The real extent of a sheet (not its ``<dimension>`` tag), fed block by block.

    Raises as soon as the sheet is known to pass the row or column limit. ``irregular`` tells
    that some cell has no reference, so only a reader that numbers cells as they come (openpyxl)
    places it; calamine is then not used.
    """

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path, self.limits = path, limits
        self.first_row = 0  # row of the first cell
        self.rows = 0  # highest row of any cell
        self.columns = 0  # highest column of any cell
        self.row_tags = 0  # rows holding cells, for rows written without a number
        self.irregular = False

    def feed(self, text: bytes) -> None:
        """Take the next block of sheet XML (cut after a complete element)."""
        self.row_tags += text.count(b"</row>") + text.count(b":row>")
        if self.first_row:
            self._grow_to_tail(text)
        position = 0
        while (found := _beyond(self.columns, self.rows).search(text, position)) is not None:
            position = found.end()
            ref = _REF.match(text, found.start() - 1)  # from the space before "r="
            if ref is None:  # not a reference (r="A1x"): no reader places a cell by it
                self.irregular = True
                continue
            letters, digits = ref.groups()
            if not self.first_row:
                self.first_row = int(digits)
                self._grow_to_tail(text)
            self.columns = max(self.columns, column_number(letters))
            self.rows = max(self.rows, int(digits))
            self.check()
        if not self.irregular and (text.count(b"<c") != text.count(b"<c r=")
                                   or (b":c" in text  # rare: no second count
                                       and text.count(b":c") != text.count(b":c r="))):
            self.irregular = _CELL_WITHOUT_REF.search(text) is not None
        self.check()

    def _grow_to_tail(self, text: bytes) -> None:
        # A sheet is written top down and left to right: the last cells of a block reach its
        # highest row and (mostly) its widest column, so the search finds only the cells that
        # reach further: out of order, or a row wider than the last ones.
        for letters, digits in _REF.findall(text[-4096:]):
            self.columns = max(self.columns, column_number(letters))
            self.rows = max(self.rows, int(digits))

    @property
    def data_rows(self) -> int:
        """Rows below the first one (the header), as far as the sheet reaches."""
        return max(self.rows - self.first_row, self.row_tags - 1, 0)

    def check(self) -> None:
        """Raise when the sheet is wider or longer than the limits."""
        if self.columns > self.limits.max_columns:
            raise too_many_columns(self.path, self.columns, self.limits)
        if self.data_rows > self.limits.max_rows:
            raise too_many_rows(self.path, self.limits)

    @property
    def fits_a_grid(self) -> bool:
        """Whether a reader may build the whole sheet as one grid of cells in memory."""
        height = self.rows - self.first_row + 1 if self.first_row else 0
        return not self.irregular and height * self.columns <= CALAMINE_CELLS

