"""Read an incoming CSV/TXT or XLSX file into a frame of text values, one row per data row.

Every value is ``str`` or ``None``: nothing is guessed as a number or a date here, so leading
zeros, KvK numbers and phone numbers survive as they are in the file. Problems with the file
itself raise :class:`~workbench.errors.InputFileError` naming file, row and column. In those
errors ``row`` is the row as the analyst sees it when opening the file (the header is row 1),
while the ``source_row`` column of the returned frame counts data rows (first data row = 1).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import html
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from workbench.errors import InputFileError

TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv", ".tab", ""})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
VCARD_SUFFIXES = frozenset({".vcf", ".vcard"})
# Formats analysts often receive; named so the message can say what to do instead.
OTHER_SUFFIXES = {
    ".xls": "an old-style Excel workbook (.xls)",
    ".xlsb": "a binary Excel workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "an Apple Numbers file",
    ".pdf": "a PDF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".json": "a JSON file",
    ".xml": "an XML file",
    ".zip": "a zip archive",
    ".parquet": "a Parquet file",
}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SAMPLE_CHARS = 64 * 1024
_BLOCK = 1024 * 1024  # bytes per read while checking the encoding

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Columns whose values are identifiers that Excel likes to turn into numbers.
_ZERO_COLUMNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str], str], ...] = (
    ("KvK number", re.compile(r"kvk|k\.v\.k|coc|kamer van koophandel|chamber of commerce", re.I),
     re.compile(r"\d{7}"), "a KvK number has 8 digits"),
    ("phone number", re.compile(r"\btel|phone|mobi|gsm|fax|\b06\b|cell", re.I),
     re.compile(r"[1-9]\d{8}"), "a Dutch phone number has 10 digits starting with 0"),
    ("postcode", re.compile(r"postcode|post code|postal|zip|^pc$", re.I),
     re.compile(r"\d{3}(\s?[A-Za-z]{2})?"), "a postcode has 4 digits"),
)


def column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 1-based column position (1 -> A, 27 -> AA)."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _where(position: int) -> str:
    return f"column {position} ({column_letter(position)})"


def list_sheets(path: str | Path) -> list[str]:
    """Return the worksheet names of an Excel workbook, or ``[]`` for a text file."""
    path = _check_path(Path(path), max_bytes=None)
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        return []
    workbook = _open_workbook(path)
    try:
        return [ws.title for ws in workbook.worksheets]
    finally:
        workbook.close()


def sheet_dropdown(path: str | Path, sheet: str | None = None) -> Any:
    """Return an ipywidgets Dropdown of the sheets of a workbook with several, else ``None``."""
    sheets = list_sheets(path)
    if len(sheets) < 2:
        return None
    import ipywidgets as widgets

    # No sheet is preselected: reading without a choice must keep failing with the list.
    return widgets.Dropdown(options=sheets, value=sheet if sheet in sheets else None,
                            description="Sheet", layout=widgets.Layout(width="40em"))


def read_table(
    path: str | Path,
    *,
    sheet: str | None = None,
    max_rows: int = 1_000_000,
    max_bytes: int = 200 * 1024**2,
) -> pd.DataFrame:
    """Read a CSV/TXT or XLSX file into a frame of ``source_row`` plus one text column per header."""
    path = _check_path(Path(path), max_bytes=max_bytes)
    info: dict[str, Any] = {
        "file": str(path), "format": None, "encoding": None, "delimiter": None, "sheet": None,
        "rows": 0, "blank_rows": 0, "export": None, "warnings": [],
    }
    if path.suffix.lower() in EXCEL_SUFFIXES:
        info["format"] = "xlsx"
        records = _excel_records(path, sheet, info)
    elif path.suffix.lower() in VCARD_SUFFIXES or _is_vcard(path):
        info["format"] = "vcard"
        records = _vcard_records(path, info)
    else:
        info["format"] = "csv"
        records = _text_records(path, info)
    # Millions of short-lived row lists make the cyclic garbage collector scan the growing
    # columns again and again (a third of the time on 1,000,000 rows); reading makes no cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        frame = _build_frame(records, path, info, max_rows)
    finally:
        if collecting:
            gc.enable()
        close = getattr(records, "close", None)
        if close is not None:
            close()  # releases the workbook when reading stops early on an error
    if info["format"] != "vcard":
        from workbench.read_contacts import contact_export_kind

        info["export"] = contact_export_kind(list(frame.columns[1:]))
    info["warnings"].extend(_leading_zero_warnings(frame))
    frame.attrs["read_info"] = info
    return frame


# --------------------------------------------------------------------------- file checks


def _check_path(path: Path, *, max_bytes: int | None) -> Path:
    if not path.exists():
        raise InputFileError("The file does not exist. Check the name and the folder.",
                             file=str(path))
    if path.is_dir():
        raise InputFileError("This is a folder, not a file.", file=str(path))
    suffix = path.suffix.lower()
    if suffix in OTHER_SUFFIXES:
        raise InputFileError(
            f"This is {OTHER_SUFFIXES[suffix]}, which the workbench cannot read; "
            "save it as .xlsx or .csv.", file=str(path))
    if suffix not in TEXT_SUFFIXES | EXCEL_SUFFIXES | VCARD_SUFFIXES:
        raise InputFileError(
            f"Files ending in '{path.suffix}' are not supported; save it as .xlsx or .csv.",
            file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputFileError("The file is empty (0 bytes).", file=str(path))
    if max_bytes is not None and size > max_bytes:
        raise InputFileError(
            f"The file is {size / 1024**2:.1f} MB, more than the limit of "
            f"{max_bytes / 1024**2:.1f} MB; split it into smaller files.", file=str(path))
    return path


def _not_a_table(path: Path, detail: str = "") -> InputFileError:
    return InputFileError(
        "The file is not a text table or an Excel workbook" + (f" ({detail})" if detail else "")
        + "; save it as .xlsx or .csv.", file=str(path))


# --------------------------------------------------------------------------- text files


def _head_encoding(head: bytes, path: Path) -> str | None:
    """Return the encoding told by the first bytes (BOM, UTF-16 zeros), or None for 8-bit text."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(_ZIP_MAGIC):
        raise InputFileError("The file is an Excel workbook or another zip file with a text "
                             "name; rename it to .xlsx if it is a workbook.", file=str(path))
    if head.startswith(_OLE_MAGIC):
        raise InputFileError("The file is an old-style Excel or Word file with a text name; "
                             "save it as .xlsx or .csv.", file=str(path))
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte is zero for Latin text.
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
        raise _not_a_table(path, "it contains binary data")
    return None


def _decodes(path: Path, encoding: str, *, no_zero: bool) -> bool:
    """Whether the whole file decodes strictly; read in blocks so memory stays flat."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            if no_zero and b"\x00" in block:
                raise _not_a_table(path, "it contains binary data")
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
            raise _not_a_table(path, f"broken {encoding.upper().replace('-SIG', '')} text")
        return encoding
    if _decodes(path, "utf-8", no_zero=True):
        return "utf-8"
    if _decodes(path, "cp1252", no_zero=True):
        return "cp1252"
    raise _not_a_table(path, "its characters are not UTF-8 or Windows-1252")


def _is_vcard(path: Path) -> bool:
    """Whether a text file starts like a vCard (some tools save them as .txt or .csv)."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return False
    with path.open("rb") as fh:
        head = fh.read(64)
    for bom in (b"\xef\xbb\xbf",):
        head = head.removeprefix(bom)
    return head.lstrip().upper().startswith(b"BEGIN:VCARD")


def _vcard_records(path: Path, info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    from workbench.read_contacts import vcard_records

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


def _text_records(path: Path, info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (file row, cells) per record of a delimited text file, decoded as it is read."""
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(SAMPLE_CHARS + 1)
    truncated = len(sample) > SAMPLE_CHARS
    sample = sample[:SAMPLE_CHARS]
    if len(_CONTROL.findall(sample)) > max(5, len(sample) // 100):
        raise _not_a_table(path, "it contains control characters")
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


# --------------------------------------------------------------------------- Excel files


def _open_workbook(path: Path) -> Any:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(_OLE_MAGIC):
        raise InputFileError(
            "The workbook is password-protected or an old-style .xls file renamed to .xlsx; "
            "remove the password or save it as .xlsx or .csv.", file=str(path))
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise _not_a_table(path, "it cannot be opened as an Excel workbook") from exc


def _choose_sheet(workbook: Any, sheet: str | None, path: Path) -> Any:
    names = [ws.title for ws in workbook.worksheets]
    listed = ", ".join(names)
    if not names:
        raise InputFileError("The workbook has no worksheets.", file=str(path))
    if sheet is None:
        if len(names) > 1:
            raise InputFileError(
                f"The workbook has several sheets ({listed}); choose one with --sheet.",
                file=str(path))
        return workbook[names[0]]
    if sheet in names:
        return workbook[sheet]
    # Forgive case and surrounding spaces, but only when that points at exactly one sheet.
    loose = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return workbook[loose[0]]
    raise InputFileError(f"The workbook has no sheet '{sheet}'; its sheets are: {listed}.",
                         file=str(path))


def cell_text(value: Any) -> str | None:
    """Return an Excel cell value as the text an analyst sees (``123``, ``2024-03-05``...)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # 0.1 + 0.2 shows as 0.3, as in Excel
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _excel_records(path: Path, sheet: str | None,
                   info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    """Choose the sheet with openpyxl, then read its values with calamine unless it cannot."""
    workbook = _open_workbook(path)
    try:
        worksheet = _choose_sheet(workbook, sheet, path)
        title = info["sheet"] = worksheet.title
        scan = _scan_sheet(worksheet, _ExcelStyles.of(workbook))
    except BaseException:
        workbook.close()
        raise
    if not scan.openpyxl_only:
        workbook.close()
        del workbook, worksheet
        # The read-only workbook keeps the shared strings in a reference cycle: free them before
        # calamine reads its own copy, so the two are never held at once.
        gc.collect()
        fast = _calamine_sheet(path, title)
        if fast is not None:
            return _iter_calamine(fast, scan, info)
        workbook = _open_workbook(path)
        worksheet = workbook[title]
    return _iter_excel(workbook, worksheet, scan.merged, info)


_MERGE_REF = re.compile(
    rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref=["']([A-Z]+)(\d+):([A-Z]+)(\d+)["']""")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_ISO_DATE_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt=["']d["']""")
_LONG_INTEGER = re.compile(rb"v>[-+]?(\d{16,})<")  # text around it makes calamine keep it as text
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
# A number or error cell as Excel and openpyxl write it: reference, style, type, formula, value.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?>'
                         rb"(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]*)</v></c>")
_CELL_ATTR = re.compile(rb"""\b([rst])=["']([^"']*)["']""")
_ERROR_ATTR = re.compile(rb"""t=["']e["']""")
_ANY_STYLE_ATTR = re.compile(rb"""s=["'](\d+)["']""")
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_CELL_REF = re.compile(rb"([A-Z]+)(\d+)")
# Parts of a number format that never make it a date: quoted text, escaped characters, colours,
# conditions, currency/locale tags, "General" and the E of 0.00E+00.
_NOT_DATE_PART = re.compile(
    r'"[^"]*"|\\.|[_*].|\[(?:\$|[<>=]|black|blue|cyan|green|magenta|red|white|yellow|color)'
    r"[^\]]*\]|general|e[+-]", re.I)


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def _may_be_date(code: str | None) -> bool:
    """Whether a reader could take a number format for a date or time (any letter left in it)."""
    if code is None:
        return True  # a built-in format openpyxl has no text for (e.g. 27-36: East Asian dates)
    return re.search(r"[a-z]", _NOT_DATE_PART.sub("", code), re.I) is not None


class _ExcelStyles(NamedTuple):
    """How openpyxl reads numbers in each cell style (index into the workbook's cellXfs)."""

    dates: frozenset[int]  # read as a date or time
    durations: frozenset[int]  # read as a timedelta
    suspect: frozenset[int]  # dates, plus styles calamine may read as a date when openpyxl does not
    epoch: dt.datetime  # 1900 or 1904 date system

    @classmethod
    def of(cls, workbook: Any) -> _ExcelStyles:
        """Take the styles from an openpyxl workbook, as its own cell reader uses them."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

        custom = list(getattr(workbook, "_number_formats", []))
        dates = frozenset(getattr(workbook, "_date_formats", ()))
        suspect = set(dates)
        for index, style in enumerate(getattr(workbook, "_cell_styles", [])):
            number = style.numFmtId - BUILTIN_FORMATS_MAX_SIZE  # custom formats are rebased
            code = custom[number] if 0 <= number < len(custom) else BUILTIN_FORMATS.get(
                style.numFmtId)
            if _may_be_date(code):
                suspect.add(index)
        return cls(dates, frozenset(getattr(workbook, "_timedelta_formats", ())),
                   frozenset(suspect), workbook.epoch)

    def value(self, number: float, style: int) -> Any:
        """The value openpyxl gives a number cell: the number, or a date in a date style."""
        from openpyxl.utils.datetime import from_excel

        if style not in self.dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in self.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # openpyxl's value for a date serial out of range


@dataclass
class _SheetScan:
    """What one pass over a worksheet's XML finds before its values are read."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    fixes: dict[int, list[tuple[int, str | None]]] = field(default_factory=dict)  # row: cells
    has_rows: bool = False
    openpyxl_only: bool = False  # a cell calamine cannot read as openpyxl does


def _scan_sheet(worksheet: Any, styles: _ExcelStyles) -> _SheetScan:
    """Find merged ranges and the cells calamine reads differently from openpyxl.

    Read-only worksheets do not expose merged ranges, so they are found in the sheet's XML, read
    in blocks (the list comes after the cells, at the end of a possibly large part). The same
    pass finds error cells (calamine drops '#N/A'), numbers in a style that may be a date
    (calamine rounds times otherwise, and differs on some formats, negative and out-of-range
    serials) and cells only openpyxl reads right (ISO dates, integers beyond float precision).
    """
    scan = _SheetScan()
    source = getattr(worksheet, "_get_source", None)
    if source is None:
        return scan
    finder = _CellFinder.of(styles.suspect)
    values: dict[tuple[bytes, int], str | None] = {}  # a date column repeats its dates
    merges: set[tuple[int, int, int, int]] = set()
    tail = b""
    with source() as fh:
        while True:
            block = fh.read(_BLOCK)
            text = tail + block
            cut = _block_end(text) if block else len(text)
            text, tail = text[:cut], text[cut:]
            if not scan.has_rows:
                scan.has_rows = _ROW_TAG.search(text) is not None
            if b"mergeCell" in text:
                for match in _MERGE_REF.finditer(text):
                    a, r1, b, r2 = match.groups()
                    merges.add((int(r1), _column_number(a), int(r2), _column_number(b)))
            if not scan.openpyxl_only:
                scan.openpyxl_only = _needs_openpyxl(text)
            if not scan.openpyxl_only:
                _find_fixes(finder.cells(text), styles, scan, values)
            if not block:
                break
    scan.merged = sorted(merges)
    return scan


def _block_end(text: bytes) -> int:
    """Where to cut the XML read so far: what follows may be an element not complete yet."""
    end = text.rfind(b"row>")
    if end >= 0:
        return end + 4  # after the last row tag
    # Inside one very wide row, or past the rows: before the last cell, else before the last tag.
    mark = max(text.rfind(b"<c "), text.rfind(b":c "))
    cut = text.rfind(b"<", 0, mark + 1) if mark >= 0 else text.rfind(b"<")
    return cut if cut >= 0 else len(text)


class _CellFinder(NamedTuple):
    """Finds the cells worth a look: errors, and numbers in a style that may be a date."""

    suspect: frozenset[int]
    style_attr: re.Pattern[bytes] | None  # s="..." of a suspect style

    @classmethod
    def of(cls, suspect: frozenset[int]) -> _CellFinder:
        """Prepare the search for these suspect styles."""
        if not suspect or 0 in suspect:
            return cls(suspect, None)
        if len(suspect) > 50:  # a bloated style table: every style is checked in Python
            return cls(suspect, _ANY_STYLE_ATTR)
        ids = b"|".join(str(s).encode() for s in sorted(suspect))
        return cls(suspect, re.compile(rb"""s=["'](""" + ids + rb""")["']"""))

    def cells(self, text: bytes) -> Iterator[_Cell]:
        """Yield each such cell of the XML text (or more: its attributes are checked later)."""
        if 0 in self.suspect:  # the default style is a date: cells without s= have it too
            for cell in _CELL.finditer(text):
                yield _cell_fields(cell)
            return
        # Search the attributes, whose patterns start with a literal and are fast to find;
        # the nearest tag start before one is its cell.
        starts = {text.rfind(b"<", 0, hit.start()) for hit in _ERROR_ATTR.finditer(text)}
        if self.style_attr is not None:
            starts.update(text.rfind(b"<", 0, hit.start())
                          for hit in self.style_attr.finditer(text)
                          if int(hit.group(1)) in self.suspect)
        for start in starts:
            plain = _PLAIN_CELL.match(text, max(start, 0))
            if plain is not None:
                yield plain.groups()
                continue
            cell = _CELL.match(text, max(start, 0))
            if cell is not None:
                yield _cell_fields(cell)


# A cell's column letters, row number, style, type and value, as bytes (None when missing).
_Cell = tuple[bytes | None, bytes | None, bytes | None, bytes | None, bytes | None]


def _cell_fields(cell: re.Match[bytes]) -> _Cell:
    """Take the fields from a cell element written in any way XML allows."""
    attrs = dict(_CELL_ATTR.findall(cell.group(1)))
    value = _CELL_VALUE.search(cell.group(2) or b"")
    ref = _CELL_REF.fullmatch(attrs.get(b"r", b""))
    return (ref.group(1) if ref else None, ref.group(2) if ref else None, attrs.get(b"s"),
            attrs.get(b"t"), value.group(1) if value else None)


def _needs_openpyxl(text: bytes) -> bool:
    """Whether the XML holds a cell calamine reads differently and no fix can mend."""
    if (b'"d"' in text or b"'d'" in text) and _ISO_DATE_CELL.search(text):
        return True  # t="d": openpyxl parses the ISO text, calamine keeps some as text
    for match in _LONG_INTEGER.finditer(text):
        digits = match.group(1)
        if int(digits) != int(float(digits)):  # openpyxl keeps every digit; a float cannot
            cell = max(text.rfind(b"<c ", 0, match.start()), text.rfind(b":c ", 0, match.start()))
            attrs = text[cell:text.find(b">", cell)] if cell >= 0 else b""
            if dict(_CELL_ATTR.findall(attrs)).get(b"t", b"n") == b"n":  # not a text cell
                return True
    return False


def _find_fixes(cells: Iterable[_Cell], styles: _ExcelStyles, scan: _SheetScan,
                values: dict[tuple[bytes, int], str | None]) -> None:
    """Record the text openpyxl gives each error cell and each number in a suspect style."""
    for column, row, style_id, kind, raw in cells:
        if not raw:
            continue  # no value: both read it as empty
        style = int(style_id or 0)
        if kind == b"e":
            key = (raw, -1)
        elif kind in (None, b"n") and style in styles.suspect:
            key = (raw, style)
        else:
            continue
        if key not in values:
            try:
                values[key] = _fixed_text(raw, kind, style, styles)
            except _OpenpyxlOnly:
                scan.openpyxl_only = True
                return
        text = values[key]
        if text is None:
            continue  # not a number: calamine's text stands
        if column is None or row is None:
            scan.openpyxl_only = True  # a cell without a reference cannot be placed
            return
        scan.fixes.setdefault(int(row), []).append((_column_number(column), text))


class _OpenpyxlOnly(Exception):
    """A cell that calamine cannot read as openpyxl does: the sheet goes to openpyxl."""


def _fixed_text(raw: bytes, kind: bytes | None, style: int,
                styles: _ExcelStyles) -> str | None:
    """The text openpyxl gives a cell's raw value (an error as is, a number as it reads it);
    None for a number cell that holds no number, which calamine reads as text."""
    value = raw.decode("utf-8", "replace")
    if "&" in value:
        value = html.unescape(value)
    if kind == b"e":
        return value  # the error text, as Excel shows it
    try:
        number = float(value) if "." in value or "e" in value.lower() else int(value)
    except ValueError:
        return None
    if not abs(number) < 1e8:
        raise _OpenpyxlOnly  # python-calamine fails on a duration too long for Python
    return cell_text(styles.value(number, style))


def _calamine_sheet(path: Path, title: str) -> Any:
    """Read the whole sheet into memory with calamine, or return None when it cannot."""
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
    except Exception:
        return None  # openpyxl opened it: let openpyxl read it as before
    try:
        return book.get_sheet_by_name(title)
    except Exception:
        return None
    finally:
        book.close()  # the sheet keeps its cells; the shared strings of the book can go


def _iter_calamine(sheet: Any, scan: _SheetScan,
                   info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    yield from _with_merges(_calamine_rows(sheet, scan), scan.merged, info)


def _calamine_rows(sheet: Any, scan: _SheetScan) -> Iterator[list[str | None]]:
    """Yield each row from row 1 as text cells from column A, with the fixes of the scan."""
    if sheet.start is None:  # no values at all (and iter_rows would fail on it)
        if scan.has_rows:
            yield []  # openpyxl gives the empty rows, so the message is "first row is empty"
        return
    top, left = sheet.start
    pad = [None] * left
    fixes = scan.fixes
    text = cell_text
    # python-calamine yields `top` empty rows before the first row with a value, but starts
    # each row at the first column with a value: the columns are padded here.
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number <= top:
            cells: list[str | None] = []
        else:
            # An empty cell comes as "": None, as openpyxl gives it (merged ranges rely on it).
            cells = [(v or None) if v.__class__ is str else text(v) for v in row]
            if left:
                cells = pad + cells
        fix = fixes.get(number)
        if fix is not None:
            for position, value in fix:
                if len(cells) < position:
                    cells.extend([None] * (position - len(cells)))
                cells[position - 1] = value
        yield cells


def _iter_excel(workbook: Any, worksheet: Any, merged: list[tuple[int, int, int, int]],
                info: dict[str, Any]) -> Iterator[tuple[int, list[Any]]]:
    try:
        # Some writers store a wrong sheet size; without resetting it rows can be cut off.
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        rows = ([cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True))
        yield from _with_merges(rows, merged, info)
    finally:
        workbook.close()


def _with_merges(rows: Iterable[list[str | None]], merged: list[tuple[int, int, int, int]],
                 info: dict[str, Any]) -> Iterator[tuple[int, list[str | None]]]:
    """Number the rows from 1; name the columns under merged header cells, fill merged data."""
    header_merges = [m for m in merged if m[0] == 1]
    data_merges = [m for m in merged if m[0] > 1 and (m[2] > m[0] or m[3] > m[1])]
    last_merged_row = max((m[2] for m in data_merges), default=0)
    if data_merges:
        info["warnings"].append(
            f"{len(data_merges)} merged cell range(s) below the header; each cell of a "
            "merged range got the value of its first cell, as Excel shows it.")
    fill: dict[tuple[int, int], str | None] = {}
    for number, cells in enumerate(rows, start=1):
        if number == 1 and header_merges:
            cells = _name_merged_header(cells, header_merges, info)
        elif number <= last_merged_row:
            cells = _fill_merged(number, cells, data_merges, fill)
        yield number, cells


def _name_merged_header(cells: list[str | None], merges: list[tuple[int, int, int, int]],
                        info: dict[str, Any]) -> list[str | None]:
    """Name the columns under a merged header cell 'Adres', 'Adres 2', 'Adres 3'."""
    for _, first, _, last in merges:
        if last <= first or first > len(cells):
            continue
        name = (cells[first - 1] or "").strip()
        if not name:
            continue
        cells.extend([None] * (last - len(cells)))
        for position in range(first + 1, last + 1):
            if cells[position - 1] is None:
                cells[position - 1] = f"{name} {position - first + 1}"
        info["warnings"].append(
            f"Header cells {column_letter(first)}1:{column_letter(last)}1 are merged ('{name}'); "
            f"the columns are named '{name}', '{name} 2'... Check that they are right.")
    return cells


def _fill_merged(number: int, cells: list[str | None], merges: list[tuple[int, int, int, int]],
                 fill: dict[tuple[int, int], str | None]) -> list[str | None]:
    for top, first, bottom, last in merges:
        if not top <= number <= bottom:
            continue
        if len(cells) < last:
            cells.extend([None] * (last - len(cells)))
        if number == top:
            fill[(top, first)] = cells[first - 1]
        value = fill.get((top, first))
        for position in range(first, last + 1):
            if cells[position - 1] is None:
                cells[position - 1] = value
    return cells


# --------------------------------------------------------------------------- the frame


def _clean(cells: Iterable[Any]) -> list[str | None]:
    out: list[str | None] = []
    for cell in cells:
        if cell is None:
            out.append(None)
        else:
            out.append(str(cell).strip() or None)
    return out


def _header(cells: list[str | None], path: Path, row: int = 1) -> list[str | None]:
    """Check the column names; a missing name (None) is judged once the data is read."""
    while cells and cells[-1] is None:
        cells.pop()  # trailing empty header cells: checked against the data later
    seen: dict[str, int] = {}
    for position, name in enumerate(cells, start=1):
        if name is None:
            continue
        if name in seen:
            raise InputFileError(
                f"The column name '{name}' appears twice, in {_where(seen[name])} and "
                f"{_where(position)}; rename one of them.", file=str(path), row=row,
                column=name)
        if name == "source_row":
            raise InputFileError(
                f"The column name 'source_row' ({_where(position)}) is reserved by the "
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


def _build_frame(records: Iterator[tuple[int, list[Any]]], path: Path,
                 info: dict[str, Any], max_rows: int) -> pd.DataFrame:
    header_row, header, skipped = 0, [], 0
    for header_row, first in records:
        header = _header(_clean(first), path, header_row)
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
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in header]
    chunk: list[list[str | None]] = []
    cleaner = _Cleaner()
    clean = cleaner.__getitem__
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
        size = len(cells)
        if size != width:
            if size > width:
                extra = [(i, c) for i, c in enumerate(cells[width:], start=width + 1)
                         if c is not None]
                if extra:
                    position, value = extra[0]
                    raise InputFileError(
                        f"Data row {count + 1} has a value in {_where(position)} ('{value}'), "
                        f"but the header has only {width} columns; add a column name or remove "
                        "the value.", file=str(path), row=file_row,
                        column=column_letter(position))
                del cells[width:]
            else:
                cells.extend([None] * (width - size))
        if any(cells):
            if count >= max_rows:
                raise InputFileError(
                    f"The file has more than {max_rows:,} data rows, the limit for one run; "
                    "split it into smaller files.", file=str(path), row=file_row)
            kept = count + 1
            blank_kept = blank_total
        else:
            blank_total += 1
            if count >= max_rows:
                continue  # trailing blank rows beyond the limit are dropped anyway
        chunk.append(cells)
        count += 1
        if len(chunk) >= _CHUNK:
            flush()
    flush()
    if not kept:
        raise InputFileError("The file has a header but no data rows.", file=str(path),
                             row=header_row + 1)
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


def _unnamed_column(values: list[str | None], position: int, header_row: int, path: Path,
                    info: dict[str, Any]) -> None:
    """A column without a name is left out when it is empty too (a blank leading column)."""
    filled = next((i for i, v in enumerate(values) if v is not None), None)
    if filled is not None:
        raise InputFileError(
            f"The header has no name for {_where(position)}, which holds values (first in "
            f"data row {filled + 1}: '{values[filled]}'); give every column a name.",
            file=str(path), row=header_row, column=column_letter(position))
    info["warnings"].append(
        f"C{_where(position)[1:]} has no name and no values; it was left out.")


def _leading_zero_warnings(frame: pd.DataFrame) -> list[str]:
    warnings: list[str] = []
    for name in frame.columns[1:]:
        for kind, header_re, value_re, rule in _ZERO_COLUMNS:
            if not header_re.search(str(name)):
                continue
            values = frame[name].dropna()
            # Test each distinct value once: a million-row column has far fewer distinct ones.
            distinct = values.unique()
            matching = [v for v in distinct if value_re.fullmatch(v) is not None]
            hits = values[values.isin(matching)] if matching else values.iloc[:0]
            if len(hits):
                first = hits.index[0]
                warnings.append(
                    f"Column '{name}' has {len(hits)} value(s) like '{hits.iloc[0]}' (data row "
                    f"{frame.at[first, 'source_row']}) that look like a {kind} that lost its "
                    f"leading zero ({rule}); probably saved as a number in Excel. The values "
                    "were not changed.")
            break
    return warnings


def describe_read(info: dict[str, Any]) -> str:
    """Return a one-line summary of ``read_info`` for a notebook or a log."""
    parts = [f"{info['rows']:,} rows ({info['blank_rows']:,} blank)", info["format"]]
    if info.get("encoding"):
        parts.append(info["encoding"])
    if info.get("delimiter"):
        parts.append(DELIMITER_NAMES.get(info["delimiter"], repr(info["delimiter"])) + "-separated")
    if info.get("sheet"):
        parts.append(f"sheet '{info['sheet']}'")
    return f"{info['file']}: " + ", ".join(parts)


__all__: Sequence[str] = ["read_table", "list_sheets", "sheet_dropdown", "detect_encoding", "cell_text", "column_letter",
                          "describe_read"]
