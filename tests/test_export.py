"""Export: formula-safe CSV, text-only XLSX read back with openpyxl, Parquet through DuckDB."""
from __future__ import annotations

import csv

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING, make_small

from workbench.definition import suggest_definition
from workbench.export import csv_safe, write_csv, write_parquet, write_xlsx
from workbench.pipeline import RunSettings, run

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


def test_a_value_neutralised_as_a_formula_is_listed_in_problems(tmp_path):
    attack = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows = [list(r) for r in INCOMING]
    rows[3][HEADER.index("Functie")] = attack  # Karin Smit's job title, source row 4
    small = make_small(tmp_path / "crm", rows)
    definition = suggest_definition(HEADER).save(tmp_path / "def.yml")
    result = run(RunSettings(small["input"], small["crm"], tmp_path / "out", definition,
                             state_path=tmp_path / "state.duckdb"))
    read = dict(dtype=str, encoding="utf-8-sig", keep_default_na=False)
    contacts = pd.read_csv(result.out_dir / "contacts_insert.csv", **read)
    assert "'" + attack in contacts["job_title"].tolist()
    problems = pd.read_csv(result.out_dir / "problems.csv", **read)
    listed = problems[problems["field"] == "contact_job_title"]
    assert listed[["source_row", "value"]].values.tolist() == [["4", "'" + attack]]
    assert listed["problem"].iloc[0].startswith("looks like a spreadsheet formula")
    # a phone in E.164 starts with + but is data: never listed
    assert not problems["problem"].str.startswith("looks like a spreadsheet formula")[
        problems["field"] != "contact_job_title"].any()
