"""Hostile input (issue 16): each file of the generated corpus stops a run with exit status 2 and
one plain line, inside a memory cap and a time cap, and a batch records it as one failed file."""
from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.small_crm import make_small
from workbench.pipeline import choose_definition, read_input

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
import make_hostile  # noqa: E402

BIN = Path(sys.executable).parent / "workbench"
# Address space is capped (a far cell asks for 512 GiB: the cap turns that into an error, not a
# machine brought down), but the loader and DuckDB's threads reserve address space they never
# touch, so a tight cap fails at random at start-up: the real measure is the peak resident memory.
MEMORY_CAP = 4 * 1024**3
BATCH_MEMORY_CAP = 4 * 1024**3
PEAK_RSS = 1536 * 1024**2  # what the process may really use
TIME_CAP = 300  # seconds; a shared machine is slow, a process that hangs is not


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hostile files, generated into a temporary folder (never committed)."""
    return make_hostile.make_all(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small CRM snapshot and a good purchased list."""
    return make_small(tmp_path_factory.mktemp("small"))


def workbench(*args: str, cap: int = MEMORY_CAP) -> subprocess.CompletedProcess[str]:
    """Run the command line in a process of its own, under the memory and time caps; its peak
    resident memory must stay under ``PEAK_RSS``."""
    import os
    import signal
    import tempfile
    import time

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([str(BIN), *args], stdout=out, stderr=err, text=True,
                                preexec_fn=limit)
        deadline = time.monotonic() + TIME_CAP
        while (done := os.wait4(proc.pid, os.WNOHANG))[0] == 0:
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                raise AssertionError(f"{args[:2]} still running after {TIME_CAP} s")
            time.sleep(0.1)
        proc.returncode = os.waitstatus_to_exitcode(done[1])
        peak = done[2].ru_maxrss * 1024  # kilobytes on Linux
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err.read())
    assert peak < PEAK_RSS, f"peak memory {peak / 2**20:.0f} MiB"
    return result


CASES = [  # file, extra flags, what the one line must say
    ("far_cell.xlsx", [], r"column XFD \(16,384 columns\), more than the limit of 1,000"),
    ("sheet_bomb.xlsx", [], r"unpacks to 420\.6 MB, more than the limit of 200\.0 MB"),
    ("sheet_bomb.xlsx", ["--max-mb", "2000", "--max-rows", "1000"],
     r"more than 1,000 data rows"),
    ("strings_bomb.xlsx", [], r"unpacks to 324\.3 MB, more than the limit of 200\.0 MB"),
    ("wide_header.csv", [], r"1,000,000 columns\), more than the limit of 1,000"),
    ("wide_header.csv", ["--max-columns", "999999"], r"more than the limit of 999,999 columns"),
]


@pytest.mark.parametrize(("name", "flags", "message"), CASES,
                         ids=[f"{c[0]}{' '.join(['', *c[1]])}" for c in CASES])
def test_a_hostile_file_stops_the_run_with_one_line(
        name: str, flags: list[str], message: str, corpus: dict[str, Path],
        small: dict[str, Path], tmp_path: Path) -> None:
    result = workbench("run", str(corpus[name]), "--crm", str(small["crm"]),
                       "--out", str(tmp_path / "out"), "--state", str(tmp_path / "state.duckdb"),
                       *flags)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert lines[0].startswith(f"workbench: {corpus[name]}")
    assert pd.Series(lines).str.contains(message).all(), lines[0]


def test_a_row_wider_than_its_header_is_rejected_and_the_run_goes_on(
        corpus: dict[str, Path], small: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = workbench("run", str(corpus["wider_row.csv"]), "--crm", str(small["crm"]),
                       "--out", str(out), "--state", str(tmp_path / "state.duckdb"))
    assert result.returncode == 0, result.stderr[-2000:]
    outcomes = pd.read_csv(out / "row_outcomes.csv", encoding="utf-8-sig")
    assert outcomes["source_row"].tolist() == [1, 2, 3]
    broken = outcomes.set_index("source_row").loc[2]
    assert broken["status"] == "rejected"
    assert broken["reason"] == ("row 3 of the file has a value in column 3 (C), but the header "
                                "has only 2 columns; the row was not read")
    rejects = pd.read_excel(out / "rejects.xlsx", dtype=str)
    assert rejects[rejects["source_row"] == "2"]["reason"].tolist() == [broken["reason"]]
    assert "111222333" not in rejects.to_string()  # the cut value is not in any output


def test_a_hostile_file_in_a_batch_is_one_failed_row(corpus: dict[str, Path],
                                                     small: dict[str, Path],
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_far_cell.xlsx").write_bytes(corpus["far_cell.xlsx"].read_bytes())
    (folder / "b_good.csv").write_bytes(small["input"].read_bytes())
    definition = tmp_path / "def.yml"
    choose_definition(read_input(small["input"])).save(definition)
    out = tmp_path / "out"
    result = workbench("batch", str(folder), "--crm", str(small["crm"]), "--definition",
                       str(definition), "--out", str(out), "--no-notebook",
                       "--state", str(tmp_path / "state.duckdb"), cap=BATCH_MEMORY_CAP)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    summary = pd.read_csv(out / "batch_summary.csv", encoding="utf-8-sig")
    assert summary["file"].tolist() == ["a_far_cell.xlsx", "b_good.csv"]
    assert summary["status"].tolist() == ["failed", "ok"]
    assert "more than the limit of 1,000 columns" in summary.loc[0, "error"]
    assert summary.loc[1, "rows"] == len(read_input(small["input"]))
    assert (out / "b_good_csv" / "manifest.json").exists()
