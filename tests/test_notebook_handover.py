"""Notebooks hand on: the definition saved in 02 is the one 03 uses for that list, and 05 tries a
change set in a test copy of the snapshot and takes it out again."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
from openpyxl import load_workbook
from small_crm import HEADER, INCOMING, make_small, snapshot_tables

from workbench.definition import load_definition, suggest_definition

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def _run(name: str, out: Path, **parameters: object) -> str:
    """Run a notebook with papermill; everything it printed or showed, as one text."""
    pm.execute_notebook(NB_DIR / name, out, parameters=parameters, kernel_name="python3",
                        cwd=str(NB_DIR), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    return json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])


def test_03_uses_the_definition_saved_in_02_and_says_which(tmp_path):
    paths = make_small(tmp_path)
    defs = tmp_path / "definitions"
    # a definition that cannot be mistaken for the suggestion: every organisation name is only
    # a legal form, so every row is refused
    own = replace(suggest_definition(HEADER), fixed={"org_name": "B.V."}).save(tmp_path / "own.yml")
    _run("02_mapping.ipynb", tmp_path / "02.ipynb", input_path=str(paths["input"]),
         crm_path=str(paths["crm"]), state_path=str(tmp_path / "state.duckdb"),
         definition_path=str(own), definitions_dir=str(defs))
    saved = defs / "in.yml"
    assert load_definition(saved).fixed == {"org_name": "B.V."}
    text = _run("03_matching.ipynb", tmp_path / "03.ipynb", input_path=str(paths["input"]),
                crm_path=str(paths["crm"]), definitions_dir=str(defs),
                state_path=str(tmp_path / "state.duckdb"))
    assert f"Definition: {saved} (saved for this list in 02_mapping)" in text
    # every row refused: the run's summary (as 03 shows it) says so
    assert "rows_accepted=0" in text and "rows_rejected=6" in text
    # without a saved definition it says so, and suggests one (every row goes on to matching)
    text = _run("03_matching.ipynb", tmp_path / "03b.ipynb", input_path=str(paths["input"]),
                crm_path=str(paths["crm"]), definitions_dir=str(tmp_path / "none"),
                state_path=str(tmp_path / "state.duckdb"))
    assert "none saved for this list" in text and "rows_rejected=0" in text


def test_05_applies_to_the_test_copy_and_undoes_it(tmp_path):
    paths = make_small(tmp_path)
    test_copy = tmp_path / "test.duckdb"
    common = {"input_path": str(paths["input"]), "crm_path": str(paths["crm"]),
              "definitions_dir": str(tmp_path / "definitions"),
              "state_path": str(tmp_path / "state.duckdb"), "test_copy_path": str(test_copy)}
    text = _run("05_export.ipynb", tmp_path / "05.ipynb", out_dir=str(tmp_path / "out"),
                apply_to_test_copy=True, **common)
    run_id = json.loads((tmp_path / "out" / "manifest.json").read_text())["run_id"]
    assert f"Applied run {run_id} to {test_copy}" in text
    before = snapshot_tables(paths["crm"])
    assert len(snapshot_tables(test_copy)["organisations"]) > len(before["organisations"])
    text = _run("05_export.ipynb", tmp_path / "05b.ipynb", out_dir=str(tmp_path / "out2"),
                undo_run_id=run_id, **common)
    assert f"Undone run {run_id} in {test_copy}" in text and "Applied run" not in text
    after = snapshot_tables(test_copy)
    assert all(after[t].equals(before[t]) for t in before)


def test_05_resubmits_a_fixed_rejects_workbook(tmp_path):
    broken = ["Nieuw Bedrijf Oost", "", "Hoofdstraat", "7411 AC", "Deventer", "", "", "K",
              "Kees", "", "Klaassen", "", ""]
    paths = make_small(tmp_path, INCOMING + [broken])
    common = {"crm_path": str(paths["crm"]), "definitions_dir": str(tmp_path / "definitions"),
              "state_path": str(tmp_path / "state.duckdb")}
    _run("05_export.ipynb", tmp_path / "05.ipynb", input_path=str(paths["input"]),
         out_dir=str(tmp_path / "out"), **common)
    book = load_workbook(tmp_path / "out" / "rejects.xlsx")
    sheet = book["rejects"]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, 1).value == "7"
    sheet.cell(2, header.index("Adres") + 1, "Hoofdstraat 1")  # the house number was missing
    book.save(tmp_path / "out" / "rejects.xlsx")
    text = _run("05_export.ipynb", tmp_path / "05r.ipynb",
                input_path=str(tmp_path / "out" / "rejects.xlsx"), out_dir=str(tmp_path / "out2"),
                repairs_of=str(tmp_path / "out"), **common)
    assert f"Definition: {tmp_path / 'out' / 'definition.yml'}" in text
    record = pd.read_csv(tmp_path / "out2" / "list_outcomes.csv", dtype=str)
    assert sorted(record["source_row"].astype(int)) == list(range(1, 8))
    assert record.set_index("source_row").loc["7", "status"] == "accepted"
