"""`workbench runs`: the import history of a state file, applies to test copies, undo from there."""
from __future__ import annotations

import contextlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from small_crm import make_small_with_definition, snapshot_tables

from workbench.cli import main
from workbench.snapshot import file_sha256
from workbench.state import record_run


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _main(*args: object) -> tuple[int, str, str]:
    """``main`` with stdout and stderr caught, for a module-wide fixture (no capsys there)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _line(stdout: str, run_id: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith(run_id))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> dict:
    """Two runs of the small list against the small CRM, made once for this module's tests."""
    tmp_path = tmp_path_factory.mktemp("runs")
    small = make_small_with_definition(tmp_path)
    ids = []
    for out, target in (("o1", "workbench"), ("o2", "superoffice")):
        code, _, err = _main("run", small["input"], "--crm", small["crm"], "--out",
                             tmp_path / out, "--definition", small["definition"], "--quiet",
                             "--target", target)
        assert code == 0, err
        ids.append(json.loads((tmp_path / out / "manifest.json").read_text())["run_id"])
    return {**small, "ids": ids, "root": tmp_path}


def test_two_runs_are_listed_with_their_counts(two_runs, capsys):
    before = file_sha256(two_runs["crm"])
    code, out, err = _cli(capsys, "runs", "--crm", two_runs["crm"])
    assert code == 0, err
    assert out.startswith("2 runs in ")
    header = out.splitlines()[1].split()
    assert header[:5] == ["run_id", "when", "list", "status", "rows"]
    for run_id in two_runs["ids"]:
        line = _line(out, run_id).split()
        # 6 rows: 5 accepted, 1 merged into an earlier row; 2 new and 1 updated organisation,
        # 3 new persons; not applied anywhere
        assert line[4:8] == ["in.csv", "finished", "6", "5"]
        assert line[8:15] == ["0", "0", "1", "2", "1", "3", "0"]
    # the newest first
    assert out.index(two_runs["ids"][1]) < out.index(two_runs["ids"][0])
    assert file_sha256(two_runs["crm"]) == before  # the snapshot is only named, never opened


def test_apply_then_undo_from_runs(two_runs, capsys):
    crm, copy, first = two_runs["crm"], two_runs["root"] / "copy_a.duckdb", two_runs["ids"][0]
    before = file_sha256(crm)
    code, _, err = _cli(capsys, "apply", two_runs["root"] / "o1", "--crm", crm, "--into", copy)
    assert code == 0, err
    _, out, _ = _cli(capsys, "runs", "--crm", crm)
    assert _line(out, first).endswith("copy_a.duckdb (applied)")
    _, detail, _ = _cli(capsys, "runs", "--crm", crm, "--run", first)
    assert f"applied to {copy.resolve()}" in detail and "status:" in detail

    code, out, err = _cli(capsys, "runs", "--crm", crm, "--undo", first)
    assert code == 0, err
    assert f"Undone run {first} in {copy.resolve()}" in out
    again, snapshot = snapshot_tables(copy), snapshot_tables(crm)
    assert all(again[t].equals(snapshot[t]) for t in snapshot)  # the copy is the snapshot again
    _, out, _ = _cli(capsys, "runs", "--crm", crm)
    assert _line(out, first).endswith("copy_a.duckdb (undone)")
    # undone once is undone: a second undo is a plain refusal
    code, _, err = _cli(capsys, "runs", "--crm", crm, "--undo", first)
    assert code == 2 and "not applied to any test copy" in err
    assert file_sha256(crm) == before


def test_undo_by_the_undo_command_shows_in_the_history(two_runs, capsys):
    crm, copy, second = two_runs["crm"], two_runs["root"] / "copy_b.duckdb", two_runs["ids"][1]
    assert _cli(capsys, "apply", two_runs["root"] / "o2", "--crm", crm, "--into", copy)[0] == 0
    _, out, _ = _cli(capsys, "runs", "--crm", crm)
    assert _line(out, second).endswith("copy_b.duckdb (applied)")
    assert _cli(capsys, "undo", second, "--crm", copy)[0] == 0
    _, out, _ = _cli(capsys, "runs", "--state", crm.with_name("crm.workbench-state.duckdb"))
    assert _line(out, second).endswith("copy_b.duckdb (undone)")


def test_missing_empty_and_wrong_state_files(tmp_path, capsys):
    code, out, _ = _cli(capsys, "runs", "--crm", tmp_path / "crm.duckdb")
    assert code == 0 and "No runs recorded yet" in out
    assert not (tmp_path / "crm.workbench-state.duckdb").exists()  # not made by looking
    (tmp_path / "empty.duckdb").write_bytes(b"")
    code, out, _ = _cli(capsys, "runs", "--state", tmp_path / "empty.duckdb")
    assert code == 0 and "No runs recorded yet" in out
    (tmp_path / "junk.duckdb").write_bytes(b"not a database" * 100)
    code, _, err = _cli(capsys, "runs", "--state", tmp_path / "junk.duckdb")
    assert code == 2 and "junk.duckdb" in err and "Traceback" not in err
    small = make_small_with_definition(tmp_path / "small")
    code, _, err = _cli(capsys, "runs", "--state", small["crm"])
    assert code == 2 and "not a state file" in err
    code, _, err = _cli(capsys, "runs", "--crm", small["crm"], "--run", "nope")
    assert code == 0  # no state file yet: nothing to show, whatever was asked


def test_a_state_file_from_before_counts_were_kept(tmp_path, capsys):
    state = tmp_path / "old.duckdb"
    with duckdb.connect(str(state)) as con:  # the runs table as older versions wrote it
        con.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, "
                    "finished_at TIMESTAMP, input_path VARCHAR, input_sha256 VARCHAR, "
                    "rows INTEGER, out_dir VARCHAR, status VARCHAR)")
        con.execute("INSERT INTO runs VALUES ('R1', '2026-01-02 03:04:00', NULL, 'a.csv', NULL, "
                    "7, NULL, 'finished')")
    code, out, err = _cli(capsys, "runs", "--state", state)
    assert code == 0, err
    assert _line(out, "R1").split()[1:7] == ["2026-01-02", "03:04", "UTC", "a.csv", "finished",
                                            "7"]
    # read only: the old file was not migrated by looking at it
    with duckdb.connect(str(state), read_only=True) as con:
        assert "counts_json" not in {r[0] for r in con.execute("DESCRIBE runs").fetchall()}
    code, out, _ = _cli(capsys, "runs", "--state", state, "--days", "20")
    assert code == 0 and out.startswith("0 runs in the last 20 days")


def test_a_failed_run_shows_its_error(tmp_path, capsys):
    state = tmp_path / "state.duckdb"
    record_run(state, "R2", started_at=datetime.now(UTC), input_path=str(Path("x.csv")),
               status="failed", error="ReadError: x.csv: not a table")
    _, out, _ = _cli(capsys, "runs", "--state", state)
    assert _line(out, "R2").split()[5] == "failed"
    _, detail, _ = _cli(capsys, "runs", "--state", state, "--run", "R2")
    assert "error:     ReadError: x.csv: not a table" in detail
    assert "not applied to a test copy" in detail


def test_every_row_of_the_superoffice_file_names_its_run(two_runs):
    # SuperOffice makes a selection per import; the run id on every row selects a run's records
    run_id = two_runs["ids"][1]
    rows = pd.read_excel(two_runs["root"] / "o2" / "superoffice" / "superoffice.xlsx", dtype=str)
    assert len(rows) >= 4 and rows["Workbench-run"].eq(run_id).all()
    rejects = pd.read_excel(two_runs["root"] / "o2" / "superoffice" / "rejects.xlsx", dtype=str)
    assert rejects.empty or rejects["Workbench-run"].eq(run_id).all()
