"""Excel workbooks: the sheet chosen with openpyxl, its values read by python-calamine (fast,
all at once) or by openpyxl (row by row) when calamine would read a cell differently or the
sheet is too large for one grid; merged header and data cells resolved as Excel shows them."""
from __future__ import annotations

import gc
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from workbench.errors import InputFileError
from workbench.read.archive import check_workbook, inflate
from workbench.read.files import OLE_MAGIC, column_letter, not_a_table
from workbench.read.limits import Limits, SheetExtent
from workbench.read.sheet_scan import ExcelStyles, SheetScan, cell_text, scan_sheet


def open_workbook(path: Path) -> Any:
    """Open a workbook read-only with openpyxl, or say plainly why it cannot be opened."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _refuse_locked(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise not_a_table(path, "it cannot be opened as an Excel workbook") from exc


def _refuse_locked(path: Path) -> None:
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(OLE_MAGIC):
        raise InputFileError(
            "The workbook is password-protected or an old-style .xls file renamed to .xlsx; "
            "remove the password or save it as .xlsx or .csv.", file=str(path))


def sheet_names(path: Path) -> list[str]:
    """Return the worksheet names of a workbook (its parts measured first, as for reading)."""
    _refuse_locked(path)
    check_workbook(path, Limits())  # openpyxl loads the shared strings whole to list the sheets
    workbook = open_workbook(path)
    try:
        return [ws.title for ws in workbook.worksheets]
    finally:
        workbook.close()


def choose_sheet_name(names: list[str], sheet: str | None, path: Path) -> str:
    """The sheet to read: the only one, or the one named (case and spaces forgiven when that
    points at exactly one)."""
    listed = ", ".join(names)
    if not names:
        raise InputFileError("The workbook has no worksheets.", file=str(path))
    if sheet is None:
        if len(names) > 1:
            raise InputFileError(
                f"The workbook has several sheets ({listed}); choose one with --sheet.",
                file=str(path))
        return names[0]
    if sheet in names:
        return sheet
    loose = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    raise InputFileError(f"The workbook has no sheet '{sheet}'; its sheets are: {listed}.",
                         file=str(path))


def _choose_sheet(workbook: Any, sheet: str | None, path: Path) -> Any:
    return workbook[choose_sheet_name([ws.title for ws in workbook.worksheets], sheet, path)]


def excel_records(path: Path, sheet: str | None, info: dict[str, Any],
                  limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Choose the sheet with openpyxl, then read its values with calamine unless it cannot.

    The workbook's parts are measured before openpyxl opens it, and the sheet's extent before
    calamine builds its grid: a limit passed stops the read before memory is spent.
    """
    _refuse_locked(path)
    used = check_workbook(path, limits)
    workbook = open_workbook(path)
    try:
        worksheet = _choose_sheet(workbook, sheet, path)
        title = info["sheet"] = worksheet.title
        extent = SheetExtent(path, limits)
        blocks = inflate(path, worksheet._worksheet_path, limits, used=used)
        scan = scan_sheet(blocks, ExcelStyles.of(workbook), extent)
    except BaseException:
        workbook.close()
        raise
    if not scan.openpyxl_only and extent.fits_a_grid:
        workbook.close()
        del workbook, worksheet
        # The read-only workbook keeps the shared strings in a reference cycle: free them before
        # calamine reads its own copy, so the two are never held at once.
        gc.collect()
        fast = _calamine_sheet(path, title)
        if fast is not None:
            return _iter_calamine(fast, scan, info)
        workbook = open_workbook(path)
        worksheet = workbook[title]
    return _iter_excel(workbook, worksheet, scan.merged, info)


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


def _iter_calamine(sheet: Any, scan: SheetScan, info: dict[str, Any]) -> CalamineRecords:
    return CalamineRecords(sheet, scan, info)


class CalamineRecords:
    """The records (file row, cells) of a sheet calamine read; :meth:`grid` offers the same
    cells all at once, so a reader can take them column by column."""

    def __init__(self, sheet: Any, scan: SheetScan, info: dict[str, Any]) -> None:
        self._sheet, self._scan = sheet, scan
        self._rows = _with_merges(calamine_rows(sheet, scan), scan.merged, info)

    def __iter__(self) -> CalamineRecords:
        return self

    def __next__(self) -> tuple[int, list[Any]]:
        return next(self._rows)

    def close(self) -> None:
        """Stop the records (as a generator's ``close``)."""
        self._rows.close()

    def grid(self) -> list[list[Any]] | None:
        """Every row from row 1 as raw cells of equal length, with the scan's fixes; None when
        the records need more than that (merged cells, a first value not in A1)."""
        sheet, scan = self._sheet, self._scan
        if scan.merged or sheet.start != (0, 0):
            return None
        rows = sheet.to_python(skip_empty_area=False)
        for number, fix in scan.fixes.items():
            if number > len(rows):
                return None
            cells = rows[number - 1]
            for position, value in fix:
                if position > len(cells):
                    return None
                cells[position - 1] = value
        return rows


def calamine_rows(sheet: Any, scan: SheetScan) -> Iterator[list[str | None]]:
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
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:  # e.g. a cell reference 'A1x'
        raise not_a_table(Path(info["file"]), "a cell of the sheet cannot be read") from exc
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
