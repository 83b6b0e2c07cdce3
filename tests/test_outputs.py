"""Outputs: re-runs are reproducible, a killed run never leaves a mix, every row is conserved."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from small_crm import HEADER, make_small

from workbench.definition import suggest_definition
from workbench.errors import WorkbenchError
from workbench.pipeline import RunSettings, run
from workbench.snapshot import file_sha256

BIN = Path(sys.executable).parent / "workbench"
CHANGE_SET = ["organisations_insert", "organisations_update", "persons_insert", "persons_update",
              "contacts_insert", "contacts_update"]


def _xlsx_values(path: Path) -> list[tuple]:
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    keep = [i for i, h in enumerate(header) if h != "run_id"]
    return [tuple(row[i] for i in keep) for row in ws.iter_rows(values_only=True)]


def test_rerun_gives_identical_change_set_apart_from_run_id(demo_dir, tmp_path):
    runs = [run(RunSettings(demo_dir / "incoming.xlsx", demo_dir / "crm.duckdb", tmp_path / n,
                            state_path=tmp_path / "state.duckdb")) for n in ("a", "b")]
    a, b = (r.out_dir for r in runs)
    for name in CHANGE_SET:
        fa = pd.read_csv(a / f"{name}.csv", dtype=str, encoding="utf-8-sig").drop(columns="run_id")
        fb = pd.read_csv(b / f"{name}.csv", dtype=str, encoding="utf-8-sig").drop(columns="run_id")
        pd.testing.assert_frame_equal(fa, fb)
        assert _xlsx_values(a / f"{name}.xlsx") == _xlsx_values(b / f"{name}.xlsx")
    for name in ("row_outcomes.csv", "definition.yml", "profile.json", "duplicate_report.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    diff = [duckdb.sql(f"SELECT * EXCLUDE (run_id) FROM read_parquet('{d}/changes.parquet')").df()
            for d in (a, b)]
    pd.testing.assert_frame_equal(diff[0], diff[1])


def _complete(out: Path) -> str:
    """The run id of the complete output in ``out``: every file of its manifest, checksums right."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, meta in manifest["files"].items():
        assert file_sha256(out / name) == meta["sha256"], name
    return manifest["run_id"]


def test_a_killed_run_leaves_the_previous_complete_output(demo_dir, tmp_path):
    out = tmp_path / "out"
    args = [str(BIN), "run", str(demo_dir / "incoming.xlsx"), "--crm", str(demo_dir / "crm.duckdb"),
            "--out", str(out), "--state", str(tmp_path / "state.duckdb"), "--quiet"]
    subprocess.run(args, check=True, timeout=600)
    first = _complete(out)
    for delay in (1.5, 3.0, 4.5):
        proc = subprocess.Popen(args)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _complete(out) in (first, _complete(out))  # old or a newer complete output
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


row_values = st.lists(
    st.tuples(st.sampled_from(["", "Smit Schilders", "Bakkerij Jansen BV", "=1+1", "X"]),
              st.sampled_from(["", "12345678", "1234", "87654321"]),
              st.sampled_from(["", "Molenlaan 3", "Dorpsstraat 12a", "Postbus 5"]),
              st.sampled_from(["", "9711 AA", "1234ab", "99999"]),
              st.sampled_from(["", "Smit", "de Vries", "Jansen"]),
              st.sampled_from(["", "k.smit@smitschilders.nl", "bad@", "j@x.nl"])),
    min_size=1, max_size=12)


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=row_values)
def test_every_row_is_accounted_for_once(tmp_path_factory, rows):
    root = tmp_path_factory.mktemp("conserve")
    full = []
    for name, kvk, address, postcode, last, email in rows:
        row = dict.fromkeys(HEADER, "")
        row.update({"Bedrijfsnaam": name, "KvK-nummer": kvk, "Adres": address,
                    "Postcode": postcode, "Achternaam": last, "E-mail contactpersoon": email})
        full.append([row[h] for h in HEADER])
    paths = make_small(root, full)
    definition = suggest_definition(HEADER).save(root / "def.yml")
    settings_ = RunSettings(paths["input"], paths["crm"], root / "out", definition,
                            state_path=root / "state.duckdb")
    # blank rows at the end of a CSV are not data rows (the reader counts them in its warnings)
    filled = [i for i, r in enumerate(rows, 1) if any(r)]
    if not filled:
        with pytest.raises(WorkbenchError, match="no data rows"):
            run(settings_)
        return
    n = filled[-1]
    result = run(settings_)
    outcomes = pd.read_csv(root / "out" / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    assert outcomes["source_row"].astype(int).tolist() == list(range(1, n + 1))
    counts = result.manifest["counts"]
    assert sum(counts["status"].values()) == n
    for col in ("org_action", "person_action", "contact_action"):
        assert sum(counts[col].values()) == n
    assert counts["status"]["skipped"] >= n - len(filled)  # blank rows in between: skipped
    rejected = outcomes[outcomes["status"] == "rejected"]
    assert rejected["reason"].notna().all()
    inserts = pd.read_csv(root / "out" / "organisations_insert.csv", dtype=str,
                          encoding="utf-8-sig")
    assert len(inserts) == (outcomes["org_action"] == "insert").sum()
