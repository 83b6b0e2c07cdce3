"""Repair and resubmit: cells fixed in a run's rejects.xlsx, the workbook run again with
``--repairs-of``, the rows accepted under their original source_row, the list accounted for once."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING, make_small

BROKEN = [
    # a new organisation without a house number; a name that is only a legal form; one left as is
    ["Nieuw Bedrijf Oost", "", "Hoofdstraat", "7411 AC", "Deventer", "", "", "K", "Kees", "",
     "Klaassen", "", ""],
    ["B.V.", "", "Stationsweg 8", "7411 AB", "Deventer", "", "", "L", "Lies", "", "Mulder", "", ""],
    ["Zomer Bouw", "", "", "", "", "", "", "", "", "", "", "", ""],
]


def _cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workbench.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("repair")
    paths = make_small(root, INCOMING + BROKEN)
    r = _cli("run", paths["input"], "--crm", paths["crm"], "--out", root / "out",
             "--state", root / "state.duckdb")
    assert r.returncode == 0, r.stderr
    return {**paths, "out": root / "out", "root": root}


def _fixed_copy(out: Path, target: Path, fixes: dict[tuple[str, str], str],
                rename: dict[str, str] | None = None) -> Path:
    """The run's rejects.xlsx with cells set as an Excel user would, saved as ``target``."""
    book = load_workbook(out / "rejects.xlsx")
    sheet = book["rejects"]
    header = [c.value for c in sheet[1]]
    rows = {str(sheet.cell(r, 1).value): r for r in range(2, sheet.max_row + 1)}
    for (source_row, column), value in fixes.items():
        sheet.cell(rows[source_row], header.index(column) + 1, value)
    for old, new in (rename or {}).items():
        sheet.cell(1, header.index(old) + 1, new)
    book.save(target)
    return target


def _outcomes(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_two_fixed_cells_resubmitted_are_accepted_under_their_source_row(first_run):
    out, root = first_run["out"], first_run["root"]
    before = _outcomes(out / "row_outcomes.csv")
    assert list(before.loc[before["status"] == "rejected", "source_row"]) == ["7", "8", "9"]
    # fixed in place, as an Excel user does
    fixed = _fixed_copy(out, out / "rejects.xlsx", {("7", "Adres"): "Hoofdstraat 1",
                                                    ("8", "Bedrijfsnaam"): "Mulder Bouw B.V."})
    r = _cli("run", fixed, "--repairs-of", out, "--crm", first_run["crm"], "--out", root / "out2",
             "--state", root / "state.duckdb")
    assert r.returncode == 0, r.stderr
    assert "list_outcomes.csv" in r.stdout
    repaired = _outcomes(root / "out2" / "row_outcomes.csv").set_index("source_row")
    assert list(repaired.index) == ["7", "8", "9"]
    assert repaired.loc[["7", "8"], "status"].tolist() == ["accepted", "accepted"]
    assert repaired.loc["9", "status"] == "rejected"  # still wrong: rejected again, with reason
    assert "needs a name and an address" in repaired.loc["9", "reason"]
    inserted = pd.read_csv(root / "out2" / "organisations_insert.csv", dtype=str)
    assert sorted(inserted["source_row"]) == ["7", "8"]
    assert "Mulder Bouw B.V." in set(inserted["name"])
    # the list's record: every row once, the repaired ones saying so, the others unchanged
    combined = _outcomes(root / "out2" / "list_outcomes.csv")
    assert sorted(combined["source_row"].astype(int)) == list(range(1, 10))
    status = combined.set_index("source_row")["status"]
    assert status[["7", "8", "9"]].tolist() == ["accepted", "accepted", "rejected"]
    run_id = json.loads((root / "out2" / "manifest.json").read_text())["run_id"]
    assert combined.set_index("source_row").loc["7", "note"] == f"repaired in run {run_id}"
    unchanged = combined[combined["source_row"].astype(int) <= 6].drop(columns=["run_id", "note"])
    assert unchanged.equals(before[before["source_row"].astype(int) <= 6].reset_index(drop=True))
    # the original run's definition was used, and the still-rejected row can be repaired again
    manifest = json.loads((root / "out2" / "manifest.json").read_text())
    assert Path(manifest["definition_path"]) == out / "definition.yml"
    again = _fixed_copy(root / "out2", root / "again.xlsx",
                        {("9", "Adres"): "Zomerweg 2", ("9", "Postcode"): "7411 AD",
                         ("9", "Plaats"): "Deventer"})
    r = _cli("run", again, "--repairs-of", root / "out2", "--crm", first_run["crm"],
             "--out", root / "out3", "--state", root / "state.duckdb")
    assert r.returncode == 0, r.stderr
    final = _outcomes(root / "out3" / "list_outcomes.csv")
    assert sorted(final["source_row"].astype(int)) == list(range(1, 10))
    assert set(final["status"]) <= {"accepted", "in_file_duplicate"}


def test_a_renamed_column_is_refused_naming_file_and_column(first_run, tmp_path):
    fixed = _fixed_copy(first_run["out"], tmp_path / "fixed.xlsx", {},
                        rename={"Plaats": "Woonplaats"})
    r = _cli("run", fixed, "--repairs-of", first_run["out"], "--crm", first_run["crm"],
             "--out", tmp_path / "o")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "fixed.xlsx" in r.stderr and "column 'Plaats'" in r.stderr
    assert not (tmp_path / "o").exists()


def test_a_row_that_was_not_rejected_is_refused_naming_its_row(first_run, tmp_path):
    fixed = _fixed_copy(first_run["out"], tmp_path / "fixed.xlsx", {("8", "source_row"): "2"})
    r = _cli("run", fixed, "--repairs-of", first_run["out"], "--crm", first_run["crm"],
             "--out", tmp_path / "o")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "row 3" in r.stderr and "column 'source_row'" in r.stderr
    assert "source_row 2 was not rejected" in r.stderr


def test_a_workbook_of_another_list_is_refused(first_run, tmp_path):
    other = make_small(tmp_path / "other", INCOMING + BROKEN[:1],
                       header=[("Woonplaats" if h == "Plaats" else h) for h in HEADER])
    r = _cli("run", other["input"], "--crm", other["crm"], "--out", tmp_path / "other_out")
    assert r.returncode == 0, r.stderr
    r = _cli("run", tmp_path / "other_out" / "rejects.xlsx", "--repairs-of", first_run["out"],
             "--crm", first_run["crm"], "--out", tmp_path / "o")
    assert r.returncode == 2 and "columns are not those of the list" in r.stderr


def test_the_repaired_rows_never_overwrite_the_run_they_repair(first_run):
    out = first_run["out"]
    r = _cli("run", out / "rejects.xlsx", "--repairs-of", out, "--crm", first_run["crm"],
             "--out", out)
    assert r.returncode == 2 and "new output folder" in r.stderr


def test_a_rejects_workbook_with_a_far_cell_stops_with_one_line(first_run, tmp_path):
    # the run's own rejects.xlsx with one more cell at XFD1048576 (a grid of 17 billion cells):
    # read through the limits of any list, it stops before the grid is built
    import zipfile

    source, far = first_run["out"] / "rejects.xlsx", tmp_path / "far.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576">'
                                                     b"<v>1</v></c></row></sheetData>")
            zout.writestr(item, data)
    r = _cli("run", far, "--repairs-of", first_run["out"], "--crm", first_run["crm"],
             "--out", tmp_path / "o")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "far.xlsx" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()
