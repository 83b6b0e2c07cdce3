"""Issue 12, item 6: one broken line does not stop a purchased list. A row with more values than
the header, or a quote that never closes where the next row can be found, is rejected on its own
with a reason naming row and column (never its values); the other rows go on."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING, make_small

from workbench.errors import InputFileError
from workbench.pipeline import RunSettings, run
from workbench.read import bad_row_reasons, read_table


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_row_wider_than_the_header_keeps_its_first_values_and_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "Naam;Plaats\r\nJansen;Utrecht\r\nBakker;Delft;111222333\r\n"
                           "De Vries;Zwolle\r\n")
    frame = read_table(path)
    assert frame.drop(columns="source_row").values.tolist() == [
        ["Jansen", "Utrecht"], ["Bakker", "Delft"], ["De Vries", "Zwolle"]]
    bad = frame.attrs["read_info"]["bad_rows"]
    assert list(bad) == [2]
    assert "row 3 of the file" in bad[2] and "column 3 (C)" in bad[2]
    assert "111222333" not in bad[2]
    assert bad_row_reasons(frame).tolist() == [None, bad[2], None]


def test_a_quote_never_closed_costs_its_own_row_only(tmp_path: Path) -> None:
    path = write(tmp_path, 'Naam;Plaats\n"Jansen;Zwolle\nDe Vries;Enschede\nBakker;Delft\n')
    frame = read_table(path)
    assert frame["source_row"].tolist() == [1, 2, 3]
    assert frame["Naam"].tolist()[1:] == ["De Vries", "Bakker"]
    bad = frame.attrs["read_info"]["bad_rows"]
    assert list(bad) == [1]
    assert "row 2 of the file has a quote" in bad[1] and "column 1 (A)" in bad[1]
    assert "Jansen" not in bad[1]


def test_a_quote_never_closed_in_the_middle_of_the_file(tmp_path: Path) -> None:
    lines = ["Naam,Plaats,Telefoon"] + [f"Bedrijf {i},Plaats {i},0{i}" for i in range(5)]
    lines.insert(3, 'Kapot,"Plaats zonder eind,010')
    frame = read_table(write(tmp_path, "\n".join(lines) + "\n"))
    assert len(frame) == 6
    assert list(frame.attrs["read_info"]["bad_rows"]) == [3]
    assert frame["Naam"].tolist() == ["Bedrijf 0", "Bedrijf 1", "Kapot", "Bedrijf 2",
                                      "Bedrijf 3", "Bedrijf 4"]


def test_a_value_over_several_lines_is_no_broken_row(tmp_path: Path) -> None:
    path = write(tmp_path, 'Naam;Adres;Plaats\nJansen;"Markt 1\nachterom";Zwolle\n'
                           'Bakker;"Kerkstraat 2\nbus 3"\nDe Vries;Dorp 1;Delft\n')
    frame = read_table(path)
    assert frame["Adres"].tolist() == ["Markt 1\nachterom", "Kerkstraat 2\nbus 3", "Dorp 1"]
    assert frame.attrs["read_info"]["bad_rows"] == {}


def test_a_workbook_row_with_a_value_beyond_the_header(tmp_path: Path) -> None:
    path = tmp_path / "in.xlsx"
    workbook = openpyxl.Workbook()
    for row in (["a", "b"], [1, 2], [3, 4, None, "x"], [5, 6]):
        workbook.active.append(row)
    workbook.save(path)
    frame = read_table(path)
    assert frame["a"].tolist() == ["1", "3", "5"]
    assert "column 4 (D)" in frame.attrs["read_info"]["bad_rows"][2]


def test_a_file_of_mostly_broken_rows_is_still_refused(tmp_path: Path) -> None:
    rows = ["a;b", "1;2"] + [f"{i};{i};{i}" for i in range(1_200)]
    with pytest.raises(InputFileError, match="do not fit the header's 2 columns") as caught:
        read_table(write(tmp_path, "\n".join(rows) + "\n"))
    assert (caught.value.row, caught.value.column) == (3, "C")


def test_a_broken_row_is_rejected_once_and_the_run_goes_on(tmp_path: Path) -> None:
    paths = make_small(tmp_path)
    lines = [";".join(HEADER)] + [";".join(row) for row in INCOMING]
    lines[3] += ";geheim"  # data row 3 has a value beyond the header
    paths["input"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(RunSettings(paths["input"], paths["crm"], tmp_path / "out",
                             state_path=tmp_path / "state.duckdb"))
    outcomes = pd.read_csv(tmp_path / "out" / "row_outcomes.csv", encoding="utf-8-sig")
    assert outcomes["source_row"].tolist() == list(range(1, len(INCOMING) + 1))
    broken = outcomes[outcomes["source_row"] == 3].iloc[0]
    assert broken["status"] == "rejected"
    assert broken["reason"].startswith("row 4 of the file has a value in column 14 (N)")
    assert "geheim" not in broken["reason"]
    assert (outcomes["status"] == "rejected").sum() == 1
    sheet = load_workbook(tmp_path / "out" / "rejects.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[:2] for r in rows[1:]] == [("3", broken["reason"])]
    assert "Jansen Installaties" in rows[1]  # the row as far as it fits the header
    assert 3 not in set(result.prepared.problems["source_row"])
    assert result.changeset.counts["status"]["accepted"] + \
        result.changeset.counts["status"]["in_file_duplicate"] == len(INCOMING) - 1
