"""Export: formula-safe CSV, text-only XLSX read back with openpyxl, Parquet through DuckDB."""
from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from workbench.export import csv_safe, write_csv, write_parquet, write_xlsx

CSV_SAFE_CASES = [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+31612345678", "+31612345678"),          # E.164 phone stays
    ("-12", "-12"),                              # a plain number stays
    ("+1,5", "+1,5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("+31 6 1234", "'+31 6 1234"),             # not E.164: a spreadsheet would evaluate it
    ("\t=1", "'\t=1"),
    ("Jansen", "Jansen"),
    ("", ""),
    (None, None),
]


@pytest.mark.parametrize("value,expected", CSV_SAFE_CASES)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_csv_written_atomically_and_safely(tmp_path):
    frame = pd.DataFrame({"name": ["=1+1", "Bakkerij 't Hoekje"], "phone": ["+31201234567", None]})
    path = write_csv(frame, tmp_path / "out.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["name", "phone"], ["'=1+1", "+31201234567"], ["Bakkerij 't Hoekje", ""]]
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left behind


def test_xlsx_cells_are_text(tmp_path):
    frame = pd.DataFrame({"a": ["=SUM(1,2)", "00123", "12"], "b": [1.5, None, "@x"]})
    path = write_xlsx({"sheet": frame}, tmp_path / "out.xlsx")
    ws = load_workbook(path)["sheet"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)
    assert ws["A2"].value == "=SUM(1,2)" and ws["A3"].value == "00123" and ws["B2"].value == "1.5"


def test_parquet_round_trip(tmp_path):
    frame = pd.DataFrame({"entity": ["organisation"], "old": [None], "new": ["1234 AB"]})
    path = write_parquet(frame, tmp_path / "changes.parquet")
    back = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    assert back.to_dict("records") == [{"entity": "organisation", "old": None, "new": "1234 AB"}]
