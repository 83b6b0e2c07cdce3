"""Old-style Excel workbooks (.xls, Excel 97-2003), read by python-calamine.

The format holds at most 65,536 rows of 256 columns, so calamine's grid is bounded; the
sheet's width is checked against the limit before its rows are handed on, its rows as read.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.read.files import not_a_table
from workbench.read.limits import Limits, too_many_columns
from workbench.read.sheet_scan import SheetScan
from workbench.read.xlsx import calamine_rows, choose_sheet_name


def _open(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own types for damaged or locked files
        raise not_a_table(path, "it cannot be opened as an old-style Excel workbook (.xls); it "
                                "may be damaged or password-protected") from exc


def xls_sheet_names(path: Path) -> list[str]:
    """Return the worksheet names of an .xls workbook."""
    book = _open(path)
    try:
        return list(book.sheet_names)
    finally:
        book.close()


def xls_records(path: Path, sheet: str | None, info: dict[str, Any],
                limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Choose the sheet, then yield (sheet row, cells) from row 1, every value as text."""
    book = _open(path)
    try:
        title = info["sheet"] = choose_sheet_name(list(book.sheet_names), sheet, path)
        try:
            grid = book.get_sheet_by_name(title)
        except Exception as exc:  # a damaged sheet: calamine's own error types
            raise not_a_table(path, f"its sheet '{title}' cannot be read") from exc
    finally:
        book.close()
    if grid.total_width > limits.max_columns:
        raise too_many_columns(path, grid.total_width, limits)
    rows = calamine_rows(grid, SheetScan(has_rows=grid.total_height > 0))
    return enumerate(rows, start=1)
