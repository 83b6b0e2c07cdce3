"""Delimited text files: the encoding and the delimiter found, then records as they are read.

A vCard file saved as text is recognised here too and handed to :mod:`.contacts`.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.errors import InputFileError
from workbench.read.files import (
    EXCEL_SUFFIXES,
    OLE_MAGIC,
    ZIP_MAGIC,
    column_letter,
    not_a_table,
)

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SAMPLE_CHARS = 64 * 1024
_BLOCK = 1024 * 1024  # bytes per read while checking the encoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _head_encoding(head: bytes, path: Path) -> str | None:
    """Return the encoding told by the first bytes (BOM, UTF-16 zeros), or None for 8-bit text."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(ZIP_MAGIC):
        raise InputFileError("The file is an Excel workbook or another zip file with a text "
                             "name; rename it to .xlsx if it is a workbook.", file=str(path))
    if head.startswith(OLE_MAGIC):
        raise InputFileError("The file is an old-style Excel or Word file with a text name; "
                             "save it as .xlsx or .csv.", file=str(path))
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte is zero for Latin text.
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
        raise not_a_table(path, "it contains binary data")
    return None


def _decodes(path: Path, encoding: str, *, no_zero: bool) -> bool:
    """Whether the whole file decodes strictly; read in blocks so memory stays flat."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            if no_zero and b"\x00" in block:
                raise not_a_table(path, "it contains binary data")
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: str | Path) -> str:
    """Return the Python codec of a text file: BOM first, then strict UTF-8, then Windows-1252."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(4096)
    encoding = _head_encoding(head, path)
    if encoding is not None:
        if not _decodes(path, encoding, no_zero=False):
            raise not_a_table(path, f"broken {encoding.upper().replace('-SIG', '')} text")
        return encoding
    if _decodes(path, "utf-8", no_zero=True):
        return "utf-8"
    if _decodes(path, "cp1252", no_zero=True):
        return "cp1252"
    raise not_a_table(path, "its characters are not UTF-8 or Windows-1252")


def is_vcard(path: Path) -> bool:
    """Whether a text file starts like a vCard (some tools save them as .txt or .csv)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return False
    with path.open("rb") as fh:
        head = fh.read(64)
    for bom in (b"\xef\xbb\xbf",):
        head = head.removeprefix(bom)
    return head.lstrip().upper().startswith(b"BEGIN:VCARD")


def vcard_file_records(path: Path, info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (card number, cells) per contact of a vCard file."""
    from workbench.read.contacts import vcard_records

    encoding = detect_encoding(path)
    info["encoding"] = encoding
    text = path.read_text(encoding=encoding)
    return vcard_records(text, path, info)


def _field_counts(sample: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        return [len(row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        return []


def _detect_delimiter(sample: str, truncated: bool = False) -> str:
    """Pick the delimiter: csv.Sniffer when its choice parses consistently, else the best fit."""
    sample = sample[:SAMPLE_CHARS]
    if truncated and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # a cut-off last line would spoil the counts

    def score(delimiter: str) -> tuple[float, int]:
        counts = _field_counts(sample, delimiter)
        if truncated and len(counts) > 2:
            counts = counts[:-1]  # the last record may still be cut inside a quoted value
        if not counts or counts[0] < 2:
            return (0.0, 0)
        header = counts[0]
        # Rows narrower than the header are padded later, so they do not count against it.
        fitting = sum(1 for n in counts if n <= header)
        exact = sum(1 for n in counts if n == header)
        return (fitting / len(counts) + exact / len(counts), header)

    scores = {d: score(d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    best = max(DELIMITERS, key=lambda d: scores[d])
    if sniffed in scores and scores[sniffed][1] >= 2 and scores[sniffed][0] >= scores[best][0]:
        return sniffed
    if scores[best][1] >= 2:
        return best
    # One column: take a delimiter that never occurs, so a comma inside a name stays put.
    unused = [d for d in ("\t", "|", ";", ",") if d not in sample]
    return unused[0] if unused else "\t"


def text_records(path: Path, info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (file row, cells) per record of a delimited text file, decoded as it is read."""
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE_CHARS + 1)
    truncated = len(sample) > SAMPLE_CHARS
    sample = sample[:SAMPLE_CHARS]
    if len(_CONTROL.findall(sample)) > max(5, len(sample) // 100):
        raise not_a_table(path, "it contains control characters")
    delimiter = _detect_delimiter(sample, truncated)
    info["encoding"], info["delimiter"] = encoding, delimiter
    info["bad_lines"] = {}  # {file row: reason}, filled as the rows are read
    return _iter_csv(path, encoding, delimiter, info)


class _Lines:
    """The file's physical lines, with the lines of a record given back when it is read again."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.back: list[str] = []  # lines given back, last one first
        self.taken: list[str] = []  # lines of the record being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.fh)
        self.taken.append(line)
        return line


def _width(cells: list[str]) -> int:
    """The number of header columns: up to the last cell with a name."""
    filled = [i for i, cell in enumerate(cells, start=1) if cell.strip()]
    return filled[-1] if filled else 0


def _looks_like_a_row(line: str, delimiter: str, width: int) -> bool:
    """Whether a line alone is a whole record that fits the header: the next row is found."""
    if not line.strip() or line.count('"') % 2:
        return False
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return 0 < len(cells) <= width


def _iter_csv(path: Path, encoding: str, delimiter: str,
              info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Yield the records; a quote never closed costs its own line when the next row is found."""
    with path.open(encoding=encoding, newline="") as fh:
        lines = _Lines(fh)
        reader = csv.reader(lines, delimiter=delimiter)
        first_line, width = 1, 0
        while True:
            lines.taken = []
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputFileError(f"The text cannot be split into columns: {exc}.",
                                     file=str(path), row=first_line) from exc
            taken = lines.taken
            if not width:
                width = _width(row)
            elif len(taken) > 1 and _unclosed(taken, row, width):
                if _looks_like_a_row(taken[1], delimiter, width):
                    row = next(csv.reader(taken[:1], delimiter=delimiter), [])
                    at = max(len(row), 1)
                    info["bad_lines"][first_line] = ("read.quote_never_closed", {
                        "row": first_line, "column": at, "letter": column_letter(at)})
                    lines.back = [*lines.back, *reversed(taken[1:])]
                    taken = taken[:1]
                elif sum(line.count('"') for line in taken) % 2:
                    raise InputFileError(
                        f"A quote (\") opened in row {first_line} is never closed, so the rest "
                        "of the file was read as one value; close or remove that quote.",
                        file=str(path), row=first_line)
            if len(taken) > 51:
                info["warnings"].append(
                    f"Rows {first_line}-{first_line + len(taken) - 1} of the file were read as "
                    "one row: probably a quote (\") that is opened but never closed.")
            yield first_line, row
            first_line += len(taken)


def _unclosed(taken: list[str], row: list[str], width: int) -> bool:
    """Whether a record of several lines looks like a quote left open: it does not fit the
    header, or its quote runs to the end of the file."""
    return len(row) != width or sum(line.count('"') for line in taken) % 2 == 1
