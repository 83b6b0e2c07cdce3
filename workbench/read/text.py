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
from workbench.read.files import EXCEL_SUFFIXES, OLE_MAGIC, ZIP_MAGIC, not_a_table

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
    return _iter_csv(path, encoding, delimiter, info)


def _iter_csv(path: Path, encoding: str, delimiter: str,
              info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        first_line = 1
        last_span = 0  # physical lines of the last record
        while True:
            try:
                row = next(reader)
            except StopIteration:
                if last_span > 1:
                    _check_closed_quotes(path, encoding, first_line - last_span)
                return
            except csv.Error as exc:
                raise InputFileError(f"The text cannot be split into columns: {exc}.",
                                     file=str(path), row=first_line) from exc
            line = reader.line_num
            if line - first_line > 50:
                info["warnings"].append(
                    f"Rows {first_line}-{line} of the file were read as one row: "
                    "probably a quote (\") that is opened but never closed.")
            yield first_line, row
            last_span = line - first_line + 1
            first_line = line + 1


def _check_closed_quotes(path: Path, encoding: str, first_line: int) -> None:
    """Raise when the last record ran to the end of the file inside a quote never closed.

    The csv module then returns the rest of the file as one value without complaint; an odd
    number of quote characters in the record's lines shows it.
    """
    quotes = 0
    with path.open(encoding=encoding, newline="") as fh:
        for number, line in enumerate(fh, start=1):
            if number >= first_line:
                quotes += line.count('"')
    if quotes % 2:
        raise InputFileError(
            f"A quote (\") opened in row {first_line} is never closed, so the rest of the file "
            "was read as one value; close or remove that quote.", file=str(path),
            row=first_line)
