"""One pass over a worksheet's XML before its values are read: merged ranges, the cells
python-calamine reads differently from openpyxl (with the text openpyxl gives them), and how
far the cells reach (:class:`~workbench.read.limits.SheetExtent`)."""
from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, NamedTuple

from workbench.read.files import column_number
from workbench.read.limits import SheetExtent


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


def _may_be_date(code: str | None) -> bool:
    """Whether a reader could take a number format for a date or time (any letter left in it)."""
    if code is None:
        return True  # a built-in format openpyxl has no text for (e.g. 27-36: East Asian dates)
    return re.search(r"[a-z]", _NOT_DATE_PART.sub("", code), re.I) is not None


class ExcelStyles(NamedTuple):
    """How openpyxl reads numbers in each cell style (index into the workbook's cellXfs)."""

    dates: frozenset[int]  # read as a date or time
    durations: frozenset[int]  # read as a timedelta
    suspect: frozenset[int]  # dates, plus styles calamine may read as a date when openpyxl does not
    epoch: dt.datetime  # 1900 or 1904 date system

    @classmethod
    def of(cls, workbook: Any) -> ExcelStyles:
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
class SheetScan:
    """What one pass over a worksheet's XML finds before its values are read."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    fixes: dict[int, list[tuple[int, str | None]]] = field(default_factory=dict)  # row: cells
    has_rows: bool = False
    openpyxl_only: bool = False  # a cell calamine cannot read as openpyxl does


def scan_sheet(blocks: Iterable[bytes], styles: ExcelStyles, extent: SheetExtent) -> SheetScan:
    """Find merged ranges, the cells calamine reads differently from openpyxl, and the extent.

    Read-only worksheets do not expose merged ranges, so they are found in the sheet's XML, read
    in blocks (the list comes after the cells, at the end of a possibly large part). The same
    pass finds error cells (calamine drops '#N/A'), numbers in a style that may be a date
    (calamine rounds times otherwise, and differs on some formats, negative and out-of-range
    serials) and cells only openpyxl reads right (ISO dates, integers beyond float precision);
    ``extent`` measures how far the cells reach and stops the pass at a limit.
    """
    scan = SheetScan()
    finder = _CellFinder.of(styles.suspect)
    values: dict[tuple[bytes, int], str | None] = {}  # a date column repeats its dates
    merges: set[tuple[int, int, int, int]] = set()
    tail = b""
    for block in chain(blocks, [b""]):
        text = tail + block
        cut = _block_end(text) if block else len(text)
        text, tail = text[:cut], text[cut:]
        extent.feed(text)
        if not scan.has_rows:
            scan.has_rows = _ROW_TAG.search(text) is not None
        if b"mergeCell" in text:
            for match in _MERGE_REF.finditer(text):
                a, r1, b, r2 = match.groups()
                merges.add((int(r1), column_number(a), int(r2), column_number(b)))
        if not scan.openpyxl_only:
            scan.openpyxl_only = _needs_openpyxl(text)
        if not scan.openpyxl_only:
            _find_fixes(finder.cells(text), styles, scan, values)
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
    if b"v>" not in text:  # no <v> values (inline text only): one search, not the pattern's
        return False
    for match in _LONG_INTEGER.finditer(text):
        digits = match.group(1)
        if int(digits) != int(float(digits)):  # openpyxl keeps every digit; a float cannot
            cell = max(text.rfind(b"<c ", 0, match.start()), text.rfind(b":c ", 0, match.start()))
            attrs = text[cell:text.find(b">", cell)] if cell >= 0 else b""
            if dict(_CELL_ATTR.findall(attrs)).get(b"t", b"n") == b"n":  # not a text cell
                return True
    return False


def _find_fixes(cells: Iterable[_Cell], styles: ExcelStyles, scan: SheetScan,
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
        scan.fixes.setdefault(int(row), []).append((column_number(column), text))


class _OpenpyxlOnly(Exception):
    """A cell that calamine cannot read as openpyxl does: the sheet goes to openpyxl."""


def _fixed_text(raw: bytes, kind: bytes | None, style: int,
                styles: ExcelStyles) -> str | None:
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
