"""Lists whose rows share one blocking key finish within memory, with the capped keys reported."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from workbench.context import parse_memory
from workbench.match.blocking import BlockingRule, SqlBlock
from workbench.match.entity import MatchLimits
from workbench.pipeline import RunSettings, run

GIB = 1024**3
HEADER = ["Bedrijfsnaam", "Adres", "Postcode", "Plaats", "Telefoon", "Website", "E-mail"]


def _run_measured(args: list[str]) -> tuple[int, int, str]:
    """Run `workbench` in a child process: its exit status, peak RSS in bytes and stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "workbench.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss * 1024, err  # ru_maxrss is in KiB on Linux


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _check_run(tmp_path: Path, demo_dir: Path, listing: Path, n: int) -> dict:
    out = tmp_path / "out"
    rc, peak, err = _run_measured(["run", str(listing), "--crm", str(demo_dir / "crm.duckdb"),
                                   "--out", str(out), "--state", str(tmp_path / "s.duckdb"),
                                   "--quiet"])
    assert rc == 0, err
    assert peak < 2 * GIB, f"peak {peak / GIB:.2f} GiB"
    outcomes = pd.read_csv(out / "row_outcomes.csv", dtype=str)
    assert sorted(outcomes["source_row"].astype(int)) == list(range(1, n + 1))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "made no pairs" in (out / "run.log").read_text(encoding="utf-8")
    return manifest["matching"]


def test_identical_rows_are_capped_and_every_row_accounted_for(tmp_path, demo_dir):
    row = ["Bakkerij Jansen", "Dorpsstraat 1", "1234 AB", "Amsterdam", "020-5551234",
           "www.bakkerijjansen.nl", "info@bakkerijjansen.nl"]
    listing = _write(tmp_path / "same.csv", [row] * 7_500)
    assert listing.stat().st_size < 800_000
    matching = _check_run(tmp_path, demo_dir, listing, 7_500)
    file_caps = [k for k in matching["capped_keys"] if k["where"] == "file"]
    assert {k["rule"] for k in file_caps} >= {"phone", "web_domain", "postcode_number"}
    assert all(k["rows"] == 7_500 and k["pairs_left_out"] == 7_500 * 7_499 // 2
               for k in file_caps)
    assert matching["keys_capped"] == len(matching["capped_keys"])
    # the report never holds the shared value itself
    assert "5551234" not in json.dumps(matching) and "jansen" not in json.dumps(matching)


def test_chain_branches_in_one_city_are_capped(tmp_path, demo_dir):
    rows = [[f"Albert Heijn {i}", f"Kalverstraat {i + 1}", f"{1011 + i % 80} {'ABCDEFGH'[i % 8]}X",
             "Amsterdam", "020-5551234", "www.ah.nl", "klantenservice@ah.nl"]
            for i in range(3_000)]
    listing = _write(tmp_path / "chain.csv", rows)
    matching = _check_run(tmp_path, demo_dir, listing, 3_000)
    rules = {k["rule"] for k in matching["capped_keys"] if k["where"] == "file"}
    assert {"phone", "web_domain", "email_domain"} <= rules
    assert matching["pairs_capped"] >= 3 * 3_000 * 2_999 // 2


def test_a_capped_value_makes_no_pairs_and_other_rules_still_pair():
    frame = pd.DataFrame({"a": ["x"] * 5 + ["y", "y"], "b": ["1", "1", "2", "3", "4", "5", "6"]})
    block = SqlBlock((BlockingRule("a", ("a",)), BlockingRule("b", ("b",))), max_block_rows=4)
    pairs = set(block._dedup_index(frame).tolist())
    # the five x rows share too much; the two y rows still pair, and rows 0/1 through b
    assert pairs == {(0, 1), (5, 6)}
    assert [(c.rule, c.rows, c.pairs) for c in block.capped] == [("a", 5, 10)]


def test_crm_caps_depend_on_all_rows_not_on_the_parts():
    left = pd.DataFrame({"a": ["x"] * 6 + ["y"]})
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT 'c' || i AS id, CASE WHEN i < 3 THEN 'x' ELSE 'y' "
                    "END AS a FROM range(5) r(i)")
        block = SqlBlock((BlockingRule("a", ("a",)),), max_block_rows=4)  # 16 pairs at most
        block.plan_table(con, left, "t")
        parts = [block.link_table(con, left.iloc[i:i + 2], "t", "id") for i in (0, 2, 4, 6)]
    pairs = pd.concat(parts)
    # 6 file rows x 3 CRM rows of "x" is 18 pairs > 4 x 4: none; "y" (1 x 2) pairs as usual
    assert sorted(pairs["right_id"]) == ["c3", "c4"]
    assert [(c.where, c.rows, c.other_rows, c.pairs) for c in block.capped] == [("crm", 6, 3, 18)]


def _masked_csvs(folder: Path) -> dict[str, str]:
    return {p.name: re.sub(r"\d{8}T\d{6}-[0-9a-f]{6}", "RUN", p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.csv"))}


def test_a_tiny_memory_setting_gives_the_same_outputs(tmp_path, demo_dir, caplog):
    def run_with(name: str, memory: int | None):
        extra = {} if memory is None else {"memory_bytes": memory}
        return run(RunSettings(demo_dir / "incoming.xlsx", demo_dir / "crm.duckdb",
                               tmp_path / name, state_path=tmp_path / f"{name}.duckdb", **extra))

    default = run_with("default", None)
    small = parse_memory("4M")
    assert MatchLimits.for_memory(small).chunk_rows < len(default.prepared.valid) / 3
    tiny = run_with("tiny", small)
    tiny_csvs, default_csvs = _masked_csvs(tmp_path / "tiny"), _masked_csvs(tmp_path / "default")
    # EM draws its random pairs once per run, not per part: the weights, and so every output
    # (duplicate_pairs.csv with its scores and explanations too), are the same byte for byte
    assert "duplicate_pairs.csv" in default_csvs
    assert tiny_csvs == default_csvs
    assert len(default_csvs) >= 5
    assert not list(tmp_path.glob("*/.staging-*"))  # the spill folder went with the staging
    assert tiny.manifest["matching"]["pairs_scored"] == default.manifest["matching"]["pairs_scored"]


def test_memory_sizes_are_read_as_the_analyst_writes_them():
    assert parse_memory("2G") == parse_memory("2GiB") == 2 * GIB
    assert parse_memory("512 MB") == 512 * 1024**2
    for bad in ("lots", "2X", "1K"):
        with pytest.raises(ValueError):
            parse_memory(bad)


def test_reading_and_mapping_do_not_import_the_matching_libraries():
    code = ("import sys, workbench.cli, workbench.pipeline; "
            "print(sorted(m for m in ('recordlinkage', 'sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
