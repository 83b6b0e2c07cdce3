"""Old-style Excel (.xls) workbooks, written here with xlwt and read with python-calamine."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlwt

from workbench.errors import InputFileError
from workbench.read import list_sheets, read_table

ROWS = [["Bedrijfsnaam", "KvK", "Postcode", "Opgericht", "Omzet"],
        ["Café 't Hoekje", "01234567", "7511 AA", dt.date(2020, 1, 2), 2.5],
        ["Bakkerij Jansen B.V.", 12345678, None, None, 7.0]]


def write_xls(path: Path, sheets: dict[str, list[list[object]]], top: int = 0,
              left: int = 0) -> Path:
    book = xlwt.Workbook()
    date = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    style = date if isinstance(value, dt.date) else xlwt.Style.default_style
                    sheet.write(top + r, left + c, value, style)
    book.save(str(path))
    return path


def test_an_xls_workbook_is_read_as_text(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "leads.xls", {"Leads": ROWS}, top=1, left=1)
    frame = read_table(path)
    assert list(frame.columns) == ["source_row", *ROWS[0]]
    assert frame.drop(columns="source_row").values.tolist() == [
        ["Café 't Hoekje", "01234567", "7511 AA", "2020-01-02", "2.5"],
        ["Bakkerij Jansen B.V.", "12345678", None, None, "7"]]
    info = frame.attrs["read_info"]
    assert (info["format"], info["sheet"], info["rows"]) == ("xls", "Leads", 2)


def test_the_sheet_of_an_xls_workbook_is_chosen_like_an_xlsx_one(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "two.xls", {"Leads": ROWS, "Notes": [["x"], ["y"]]})
    assert list_sheets(path) == ["Leads", "Notes"]
    with pytest.raises(InputFileError, match=r"several sheets \(Leads, Notes\)"):
        read_table(path)
    assert read_table(path, sheet=" notes ")["x"].tolist() == ["y"]


def test_a_damaged_xls_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputFileError, match=r"cannot be opened as an old-style Excel workbook"):
        read_table(path)
