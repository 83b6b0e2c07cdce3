"""Batch runs over a folder (one broken file), and two runs at once on one snapshot and state file."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from workbench import batch
from workbench.batch import BatchSettings, run_batch
from workbench.pipeline import choose_definition, read_input
from workbench.state import load_decisions, save_decision

BIN = Path(sys.executable).parent / "workbench"
ROOT = Path(__file__).resolve().parents[1]


def _batch_folder(demo_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = read_input(demo_dir / "incoming.xlsx")
    (folder / "a_leads.xlsx").write_bytes((demo_dir / "incoming.xlsx").read_bytes())
    raw.drop(columns=["source_row"]).head(40).to_csv(folder / "b_beurs.csv", sep=";", index=False)
    (folder / "c_broken.csv").write_text("Bedrijfsnaam;Plaats;Plaats\nA;B;C\n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"not a list")  # not an input: left out
    definition = tmp_path / "def.yml"
    choose_definition(raw).save(definition)
    return folder, definition


def _check_summary(summary: pd.DataFrame, out: Path) -> None:
    assert summary["file"].tolist() == ["a_leads.xlsx", "b_beurs.csv", "c_broken.csv"]
    ok, broken = summary.iloc[:2], summary.iloc[2]
    assert ok["status"].eq("ok").all() and ok["rows"].tolist()[1] == 40
    sums = ok[["accepted", "in_file_duplicate", "skipped", "rejected"]].sum(axis=1)
    assert sums.tolist() == ok["rows"].tolist()
    assert broken["status"] == "failed" and "Plaats" in broken["error"]
    assert (out / "batch_summary.csv").exists() and "c_broken.csv" in \
        (out / "batch_summary.html").read_text(encoding="utf-8")
    assert (out / "a_leads_xlsx" / "row_outcomes.csv").exists()


def test_batch_with_notebooks(demo_dir, tmp_path):
    folder, definition = _batch_folder(demo_dir, tmp_path)
    out = tmp_path / "out"
    summary = run_batch(BatchSettings(folder, demo_dir / "crm.duckdb", definition, out,
                                      state_path=tmp_path / "state.duckdb"))
    _check_summary(summary, out)
    assert (out / "a_leads_xlsx" / "pipeline.ipynb").exists()
    assert summary.iloc[2]["error"].startswith("cell ")  # papermill names the failing cell


def test_batch_without_notebooks_from_the_command_line(demo_dir, tmp_path):
    folder, definition = _batch_folder(demo_dir, tmp_path)
    out = tmp_path / "out"
    r = subprocess.run([str(BIN), "batch", str(folder), "--crm", str(demo_dir / "crm.duckdb"),
                        "--definition", str(definition), "--out", str(out), "--no-notebook",
                        "--state", str(tmp_path / "state.duckdb")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 1, r.stderr  # some files failed: a scheduler must see it
    assert "1 failed" in r.stdout and "c_broken.csv" in r.stdout
    summary = pd.read_csv(out / "batch_summary.csv", encoding="utf-8-sig")
    _check_summary(summary, out)
    assert not (out / "a_leads_xlsx" / "pipeline.ipynb").exists()


def test_two_runs_at_once_share_snapshot_and_state(demo_dir, tmp_path):
    state = tmp_path / "state.duckdb"
    save_decision(state, "organisation", "f" * 16, "ORG-000001", "different")
    procs = [subprocess.Popen([str(BIN), "run", str(demo_dir / "incoming.xlsx"), "--crm",
                               str(demo_dir / "crm.duckdb"), "--out", str(tmp_path / f"out{i}"),
                               "--state", str(state), "--quiet"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in (1, 2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert load_decisions(state) == {("organisation", "f" * 16, "ORG-000001"): "different"}
    with duckdb.connect(str(state), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_a_run_waits_for_a_busy_state_file_and_says_so(demo_dir, tmp_path):
    state = tmp_path / "state.duckdb"
    save_decision(state, "organisation", "a" * 16, "ORG-000002", "same")
    # The holder keeps the state file locked until the run has said it waits: no race with a
    # slow machine, whenever the run gets to the state file.
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys
        con = duckdb.connect({str(state)!r})
        print("locked", flush=True)
        sys.stdin.readline()
        con.close()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    run = subprocess.Popen([str(BIN), "run", str(demo_dir / "incoming.xlsx"), "--crm",
                            str(demo_dir / "crm.duckdb"), "--out", str(tmp_path / "out"),
                            "--state", str(state)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    said = []
    for line in run.stderr:  # ends when the run gives up or finishes without waiting
        said.append(line)
        if "in use by another run" in line:
            break
    holder.communicate("release\n", timeout=30)
    out, err = run.communicate(timeout=600)
    assert said and "in use by another run" in said[-1], "".join(said)
    assert run.returncode == 0, "".join(said) + err
    assert load_decisions(state)[("organisation", "a" * 16, "ORG-000002")] == "same"


def test_a_batch_where_no_file_could_run_exits_2(demo_dir, tmp_path):
    folder, definition = _batch_folder(demo_dir, tmp_path)
    for name in ("a_leads.xlsx", "b_beurs.csv"):
        (folder / name).unlink()
    out = tmp_path / "out"
    r = subprocess.run([str(BIN), "batch", str(folder), "--crm", str(demo_dir / "crm.duckdb"),
                        "--definition", str(definition), "--out", str(out), "--no-notebook",
                        "--state", str(tmp_path / "state.duckdb")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "1 files, 1 failed" in r.stdout and "Traceback" not in r.stderr
    assert pd.read_csv(out / "batch_summary.csv", encoding="utf-8-sig")["status"].tolist() == ["failed"]


def test_the_batch_notebook_is_package_data_and_the_analysts_copy_is_the_same():
    shipped = resources.files("workbench") / "notebooks" / "pipeline.ipynb"
    assert batch.NOTEBOOK == shipped and shipped.is_file()
    assert shipped.read_bytes() == (ROOT / "notebooks" / "pipeline.ipynb").read_bytes(), \
        "notebooks/pipeline.ipynb and workbench/notebooks/pipeline.ipynb differ: copy the changed one"


def test_an_installed_wheel_runs_its_own_batch_notebook(tmp_path):
    src = tmp_path / "src"  # a clean copy, so the build leaves nothing in the repository
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "workbench", src / "workbench",
                    ignore=shutil.ignore_patterns("__pycache__"))
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                        str(tmp_path / "dist"), str(src)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = (tmp_path / "dist").glob("workbench-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("workbench/notebooks/pipeline.ipynb") == \
            (ROOT / "notebooks" / "pipeline.ipynb").read_bytes()
        zf.extractall(tmp_path / "site")
    # the unpacked wheel alone, as an installed package, far from the repository's notebooks/
    r = subprocess.run([sys.executable, "-c", "from workbench import batch\n"
                        "print(batch.NOTEBOOK.is_file(), batch.NOTEBOOK)"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path,
                       env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", str(tmp_path / "site" / "workbench" / "notebooks" /
                                            "pipeline.ipynb")]
