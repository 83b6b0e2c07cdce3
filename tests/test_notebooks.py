"""Every notebook runs headless with papermill on the demo data, with its declared parameters."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import papermill as pm
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("*.ipynb"))

PARAMETERS = {
    "01_profile.ipynb": {"input_path", "sheet", "out_dir", "language"},
    "02_mapping.ipynb": {"input_path", "sheet", "definition_path", "definitions_dir", "crm_path",
                         "state_path", "language"},
    "03_matching.ipynb": {"input_path", "sheet", "crm_path", "definition_path", "definitions_dir",
                          "state_path", "language"},
    "04_review.ipynb": {"input_path", "sheet", "crm_path", "definition_path", "definitions_dir",
                        "state_path", "language"},
    "05_export.ipynb": {"input_path", "sheet", "crm_path", "out_dir", "definition_path",
                        "definitions_dir", "state_path", "repairs_of", "apply_to_test_copy",
                        "test_copy_path", "undo_run_id", "language"},
    "pipeline.ipynb": {"input_path", "crm_path", "out_dir", "definition_path", "definitions_dir",
                       "sheet", "state_path", "language"},
}


def test_every_notebook_is_known():
    assert set(NOTEBOOKS) == set(PARAMETERS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_cell_declared(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert set(pm.inspect_notebook(NB_DIR / name)) == PARAMETERS[name]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_on_demo_data(name, demo_dir, tmp_path):
    params = {"input_path": str(demo_dir / "incoming.xlsx"), "crm_path": str(demo_dir / "crm.duckdb"),
              "out_dir": str(tmp_path / "out"), "state_path": str(tmp_path / "state.duckdb"),
              "definitions_dir": str(tmp_path / "definitions")}
    params = {k: v for k, v in params.items() if k in PARAMETERS[name]}
    out = tmp_path / name
    pm.execute_notebook(NB_DIR / name, out, parameters=params, kernel_name="python3",
                        cwd=str(NB_DIR), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    text = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"])
    if name in ("01_profile.ipynb", "pipeline.ipynb"):
        assert "image/png" in text  # the charts render as pictures, not as "<Figure ...>"
    if name in ("05_export.ipynb", "pipeline.ipynb"):
        assert (tmp_path / "out" / "row_outcomes.csv").exists() and "accepted" in text
    if name == "01_profile.ipynb":
        assert (tmp_path / "out" / "profile.html").exists() and "Bedrijfsnaam" in text
    if name == "02_mapping.ipynb":
        assert (tmp_path / "definitions" / "incoming.yml").exists() and "Bedrijfsnaam" in text
    if name == "04_review.ipynb":
        assert "application/vnd.jupyter.widget-view+json" in text and "pairs to review" in text


def test_bad_input_shows_plain_words_not_a_traceback(tmp_path):
    missing = tmp_path / "gekochte_lijst.xlsx"
    out = tmp_path / "02_mapping.ipynb"
    with pytest.raises(pm.PapermillExecutionError):
        pm.execute_notebook(NB_DIR / "02_mapping.ipynb", out, kernel_name="python3",
                            parameters={"input_path": str(missing),
                                        "save_as": str(tmp_path / "definition.yml")},
                            cwd=str(NB_DIR), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    [error] = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type == "error"]
    shown = "\n".join(error.traceback)
    assert shown.startswith("Problem: ") and "gekochte_lijst.xlsx" in shown
    assert "Traceback" not in shown and "File " not in shown and "line " not in shown


def _widget_texts(nb: nbformat.NotebookNode) -> str:
    """The values of the widgets a headless run stored with the notebook."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return json.dumps([m.get("state", {}).get("value") for m in state.get("state", {}).values()])


def test_02_with_the_snapshot_counts_pairs_and_speaks_the_language(tmp_path):
    """02 given a small CRM opens it and its sliders show this list's pair counts; in Dutch."""
    from small_crm import make_small_with_definition

    small = make_small_with_definition(tmp_path / "small")
    out = tmp_path / "02_mapping.ipynb"
    pm.execute_notebook(NB_DIR / "02_mapping.ipynb", out, kernel_name="python3",
                        parameters={"input_path": str(small["input"]),
                                    "crm_path": str(small["crm"]),
                                    "state_path": str(tmp_path / "state.duckdb"),
                                    "definition_path": str(small["definition"]),
                                    "definitions_dir": str(tmp_path / "defs"),
                                    "language": "nl"},
                        cwd=str(NB_DIR), progress_bar=False)
    widgets = _widget_texts(nbformat.read(out, as_version=4))
    assert "paren gelden als hetzelfde record" in widgets and "Paren tellen" not in widgets
    assert "6 rijen, 13 kolommen." in widgets  # language="nl"
    assert (tmp_path / "defs" / "in.yml").exists()


def _change_set(out: Path) -> dict[str, str]:
    """The change-set CSVs of a run, the run id taken out."""
    import re

    return {p.name: re.sub(r"\d{8}T\d{6}-[0-9a-f]{6}", "RUN", p.read_text(encoding="utf-8"))
            for p in sorted(out.glob("*.csv"))}


def test_notebooks_and_workbench_run_give_the_same_answer(demo_dir, tmp_path):
    """03-05 in JupyterLab's way (papermill) and `workbench run` share one set of steps."""
    import re
    import subprocess
    import sys

    params = {"input_path": str(demo_dir / "incoming.xlsx"),
              "crm_path": str(demo_dir / "crm.duckdb"), "state_path": str(tmp_path / "s.duckdb"),
              "out_dir": str(tmp_path / "notebooks"), "definitions_dir": str(tmp_path / "defs")}
    counts = None
    for name in ("03_matching.ipynb", "04_review.ipynb", "05_export.ipynb"):
        pm.execute_notebook(NB_DIR / name, tmp_path / name, kernel_name="python3",
                            parameters={k: v for k, v in params.items() if k in PARAMETERS[name]},
                            cwd=str(NB_DIR), progress_bar=False)
        if name == "03_matching.ipynb":  # the run's summary table, as 03 shows it
            nb = nbformat.read(tmp_path / name, as_version=4)
            shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                            if c.cell_type == "code" for o in c.outputs)
            counts = {k: int(v) for k, v in re.findall(
                r"data-count='(\w+)'><td>[^<]*</td><td>[^<]*</td><td[^>]*>(\d+)<", shown)}
    cli = subprocess.run([sys.executable, "-m", "workbench.cli", "run", params["input_path"],
                          "--crm", params["crm_path"], "--out", str(tmp_path / "cli"),
                          "--state", params["state_path"], "--quiet"],
                         capture_output=True, text=True, timeout=600)
    assert cli.returncode == 0, cli.stderr
    manifest = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    assert counts and counts == {k: v for section in manifest["summary"].values()
                                 for k, v in section.items()}
    notebook_files, cli_files = _change_set(tmp_path / "notebooks"), _change_set(tmp_path / "cli")
    assert set(notebook_files) == set(cli_files) and "row_outcomes.csv" in cli_files
    for name, text in cli_files.items():
        assert notebook_files[name] == text, name
