"""Output folders that belong to the workbench: foreign folders refused, busy folders refused,
nobody else's staging folder removed, a failed run leaves nothing; batch outputs per whole name."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from small_crm import make_small_with_definition

from workbench.batch import BatchSettings, run_batch
from workbench.errors import WorkbenchError
from workbench.outdir import LOCK_NAME, claim_folder
from workbench.pipeline import RunSettings, run

BIN = Path(sys.executable).parent / "workbench"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict[str, Path]:
    """The small CRM snapshot, its incoming CSV and a definition for it."""
    root = tmp_path_factory.mktemp("small")
    paths = make_small_with_definition(root)
    return paths


def _settings(small: dict[str, Path], out: Path, tmp_path: Path,
              input_path: Path | None = None) -> RunSettings:
    return RunSettings(input_path or small["input"], small["crm"], out, small["definition"],
                       state_path=tmp_path / "state.duckdb")


def _cli_run(small: dict[str, Path], out: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "run", str(small["input"]), "--crm", str(small["crm"]),
                           "--out", str(out), "--definition", str(small["definition"]),
                           "--state", str(tmp_path / "state.duckdb"), "--quiet"],
                          capture_output=True, text=True, timeout=300)


def _one_line_exit_2(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    return r.stderr


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_folder_that_is_not_a_run_is_refused_and_left_as_it_was(small, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "definition.yml").write_text("my own notes\n", encoding="utf-8")
    (out / "manifest.json").write_text('{"shipment": 4}', encoding="utf-8")  # not a run's
    before = _contents(out)
    err = _one_line_exit_2(_cli_run(small, out, tmp_path))
    assert str(out) in err and "not a workbench run" in err
    assert _contents(out) == before and sorted(p.name for p in out.iterdir()) == sorted(before)


def test_out_naming_a_file_is_exit_2_in_one_line(small, tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("keep me", encoding="utf-8")
    err = _one_line_exit_2(_cli_run(small, target, tmp_path))
    assert str(target) in err and "is a file" in err
    assert target.read_text(encoding="utf-8") == "keep me"


def test_batch_out_naming_a_file_is_exit_2_in_one_line(small, tmp_path):
    folder = tmp_path / "in"
    _same_stem_folder(small, folder)
    target = tmp_path / "summary.txt"
    target.write_text("keep me", encoding="utf-8")
    r = subprocess.run([str(BIN), "batch", str(folder), "--crm", str(small["crm"]),
                        "--definition", str(small["definition"]), "--out", str(target),
                        "--no-notebook", "--state", str(tmp_path / "state.duckdb")],
                       capture_output=True, text=True, timeout=300)
    assert str(target) in _one_line_exit_2(r) and "is a file" in r.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_an_empty_folder_and_an_earlier_run_are_accepted(small, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = run(_settings(small, out, tmp_path))
    second = run(_settings(small, out, tmp_path))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == second.run_id != first.run_id
    assert not (out / LOCK_NAME).exists()


def test_nobody_elses_staging_folder_is_removed(small, tmp_path):
    out = tmp_path / "out"
    run(_settings(small, out, tmp_path))
    two_days_ago = time.time() - 2 * 86400
    foreign = out / ".staging-photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"jpeg")
    killed = out / ".staging-20200101T000000-abcdef"  # a workbench run killed long ago
    killed.mkdir()
    (killed / "run.log").write_text("started", encoding="utf-8")
    for folder in (foreign, killed):
        os.utime(folder, (two_days_ago, two_days_ago))
    run(_settings(small, out, tmp_path))
    assert (foreign / "holiday.jpg").read_bytes() == b"jpeg"
    assert not killed.exists()


def test_a_failed_run_leaves_no_staging_folder(small, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("Bedrijfsnaam;Plaats;Plaats\nA;B;C\n", encoding="utf-8")
    new = tmp_path / "new"
    with pytest.raises(WorkbenchError):
        run(_settings(small, new, tmp_path, broken))
    assert not new.exists()  # the run made it, the run removes it
    out = tmp_path / "out"
    run(_settings(small, out, tmp_path))
    before = _contents(out)
    with pytest.raises(WorkbenchError):
        run(_settings(small, out, tmp_path, broken))
    assert not list(out.glob(".staging-*")) and not (out / LOCK_NAME).exists()
    assert _contents(out) == before  # the earlier complete output stays


def _holder(out: Path) -> subprocess.Popen:
    """Another process that holds the output folder as a run does, until told to let go."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from workbench.outdir import claim_folder
        with claim_folder({str(out)!r}, "20260101T000000-abcdef"):
            print("claimed", flush=True)
            sys.stdin.readline()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "claimed"
    return holder


def test_a_second_run_into_a_busy_folder_is_refused(small, tmp_path):
    out = tmp_path / "out"
    holder = _holder(out)
    try:
        err = _one_line_exit_2(_cli_run(small, out, tmp_path))
        assert "in use by another run" in err and f"pid {holder.pid}" in err
        assert not (out / "manifest.json").exists()
    finally:
        holder.communicate("done\n", timeout=30)
    assert _cli_run(small, out, tmp_path).returncode == 0  # free again once the holder ends


def test_a_killed_holder_does_not_block_the_folder(small, tmp_path):
    out = tmp_path / "out"
    holder = _holder(out)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (out / LOCK_NAME).exists()  # left behind, but nobody holds it
    r = _cli_run(small, out, tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (out / LOCK_NAME).exists()


def test_one_process_cannot_claim_a_folder_twice(tmp_path):
    with claim_folder(tmp_path / "out", "20260101T000000-abcdef") as stage:
        assert stage.is_dir()
        with pytest.raises(WorkbenchError, match="in use by another run"):
            with claim_folder(tmp_path / "out", "20260101T000001-abcdef"):
                pass
    assert not stage.exists()


def _same_stem_folder(small: dict[str, Path], folder: Path) -> None:
    folder.mkdir()
    shutil.copy(small["input"], folder / "a.csv")
    frame = pd.read_csv(small["input"], sep=";", dtype=str, keep_default_na=False)
    frame.head(2).to_excel(folder / "a.xlsx", index=False)


def test_batch_outputs_are_keyed_by_the_whole_file_name(small, tmp_path):
    folder = tmp_path / "in"
    _same_stem_folder(small, folder)
    out = tmp_path / "out"
    summary = run_batch(BatchSettings(folder, small["crm"], small["definition"], out,
                                      use_notebook=False, state_path=tmp_path / "state.duckdb"))
    assert summary["status"].tolist() == ["ok", "ok"]
    for name, rows in (("a_csv", len(pd.read_csv(small["input"], sep=";"))), ("a_xlsx", 2)):
        manifest = json.loads((out / name / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["input"]["rows"] == rows, name
    assert summary["out_dir"].tolist() == [str(out / "a_csv"), str(out / "a_xlsx")]


def test_a_batch_into_its_input_folder_never_reads_its_own_outputs(small, tmp_path):
    folder = tmp_path / "in"
    _same_stem_folder(small, folder)
    for _ in range(2):
        summary = run_batch(BatchSettings(folder, small["crm"], small["definition"], folder,
                                          use_notebook=False,
                                          state_path=tmp_path / "state.duckdb"))
        assert summary["file"].tolist() == ["a.csv", "a.xlsx"]
        assert summary["status"].tolist() == ["ok", "ok"]
    assert (folder / "batch_summary.csv").exists()
