"""A sheet read column by column (``grid_frame``) gives the frame the row-by-row reader gives."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import workbench.read.xlsx as xlsx_module
from workbench.errors import WorkbenchError
from workbench.read import read_table
from workbench.read.frame import build_frame, grid_frame
from workbench.read.limits import Limits

ROWS: list[list[object]] = [
    ["Naam", "KvK", "Datum", "Actief", " Plaats "],
    ["  Bakkerij Jansen ", 1234567, dt.datetime(2024, 3, 5), True, "Utrecht"],
    [None, None, None, None, None],  # a blank row between data rows: kept, counted blank
    ["Bakkerij Jansen", 1234567.0, dt.datetime(2024, 3, 5, 10, 30), 1, "   "],
    ["   ", 1.5, None, False, "Utrecht "],
    ["Garage", "01234567", dt.date(2020, 1, 1), 0, "'s-Hertogenbosch"],
    [None, None, None, None, None],  # trailing blank rows: not data
    [None, None, None, None, None],
]


def _records(rows: list[list[object]]):
    from workbench.read.sheet_scan import cell_text

    for number, cells in enumerate(rows, start=1):
        yield number, [(v or None) if isinstance(v, str) else cell_text(v) for v in cells]


def _both(rows: list[list[object]]) -> tuple[object, object]:
    limits = Limits()
    path = Path("in.xlsx")
    grid_info: dict = {"warnings": []}
    rows_info: dict = {"warnings": []}
    grid = grid_frame([list(r) for r in rows], path, grid_info, limits)
    try:
        slow = build_frame(_records(rows), path, rows_info, limits)
    except WorkbenchError as error:
        slow = str(error)
    return (grid, grid_info), (slow, rows_info)


def test_grid_frame_equals_the_row_reader_with_repeats_blanks_and_numbers() -> None:
    (grid, grid_info), (slow, rows_info) = _both(ROWS)
    assert grid is not None
    pd.testing.assert_frame_equal(grid, slow)
    assert grid_info == rows_info
    assert grid_info["rows"] == 5 and grid_info["blank_rows"] == 1
    assert grid["KvK"].tolist() == ["1234567", None, "1234567", "1.5", "01234567"]
    assert grid["Actief"].tolist() == ["TRUE", None, "1", "FALSE", "0"]
    assert grid["Plaats"].tolist() == ["Utrecht", None, None, "Utrecht", "'s-Hertogenbosch"]


@pytest.mark.parametrize("rows", [
    [["Naam", None], ["a", "b"]],  # a value beyond the header: a broken row
    [["Naam", None, "Plaats"], ["a", None, "b"]],  # a column without a name
    [[None, None], ["Naam", "Plaats"], ["a", "b"]],  # the header not on row 1
    [["Naam", "Plaats"], [None, None]],  # no data rows
    [["Naam", "Plaats"], ["a", "b"], ["c", "d"], ["e", "f"]],  # more rows than the limit
])
def test_grid_frame_leaves_rows_that_need_care_to_the_row_reader(rows) -> None:
    assert grid_frame(rows, Path("in.xlsx"), {"warnings": []}, Limits(max_rows=2)) is None


def test_a_workbook_read_by_columns_equals_it_read_by_rows(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    book = openpyxl.Workbook()
    for row in ROWS:
        book.active.append(row)
    path = tmp_path / "in.xlsx"
    book.save(path)
    used = []
    original = grid_frame

    def counted(*args):
        frame = original(*args)
        used.append(frame is not None)
        return frame

    monkeypatch.setattr("workbench.read.grid_frame", counted)
    fast = read_table(path)
    assert used == [True]
    monkeypatch.setattr(xlsx_module.CalamineRecords, "grid", lambda self: None)
    slow = read_table(path)
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs
