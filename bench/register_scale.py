"""The whole register on one machine: 1,000,000 incoming rows against a 10,000,000-organisation
CRM snapshot through the default `workbench run`; build time, wall and CPU time, peak memory and
the split by step.

    python bench/register_scale.py                            # 10M CRM x 1M incoming
    python bench/register_scale.py --orgs 1000000 --rows 100000
    python bench/register_scale.py --build-only               # export and snapshot, no run

The data is bench/hard_scale.py's (namesakes, chains, business parks, renamed and moved firms,
foreign rows), generated in parts of a million organisations (vectorised numpy/pandas, each part
with ids, KvK numbers and chain brands of its own) and written as one CSV export. It is cached
under bench/out/register-ORGS-ROWS/ (not committed; about 2 GB at 10M: delete it when done).
`workbench snapshot` and `workbench run` run in child processes; their wall time, CPU seconds
(user + system) and peak RSS come from wait4. On a shared machine wall time includes waiting
for a core: CPU seconds are the steadier number.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hard_scale import make_crm, make_incoming, quality, write_no_people  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PART = 1_000_000
CRM_COLUMNS = ["org_id", "name", "kvk_number", "street", "house_number", "house_number_addition",
               "postcode", "city", "country", "phone", "email", "website"]


def generate(folder: Path, orgs: int, rows: int, seed: int = 15) -> float:
    """Write crm/organisations.csv (in parts), empty persons and contacts, incoming.csv and
    truth.csv; the seconds it took."""
    t0 = time.perf_counter()
    parts = max(1, orgs // PART)
    (folder / "crm").mkdir(parents=True, exist_ok=True)
    export = folder / "crm" / "organisations.csv"
    listed, truth = [], []
    for i in range(parts):
        rng = np.random.default_rng([seed, i])
        crm = make_crm(rng, orgs // parts, part=(i, parts))
        rows_part = rows // parts + (rows % parts if i == parts - 1 else 0)
        lst, tru = make_incoming(rng, crm, rows_part, part=(i, parts))
        listed.append(lst)
        truth.append(tru.drop(columns="source_row"))
        crm[CRM_COLUMNS].to_csv(export, index=False, mode="w" if i == 0 else "a",
                                header=i == 0)
        print(f"  part {i + 1}/{parts}: {time.perf_counter() - t0:.0f} s", flush=True)
        del crm
    order = np.random.default_rng([seed, parts]).permutation(sum(len(x) for x in listed))
    incoming = pd.concat(listed, ignore_index=True).iloc[order]
    truth_all = pd.concat(truth, ignore_index=True).iloc[order].reset_index(drop=True)
    truth_all.insert(0, "source_row", np.arange(1, len(truth_all) + 1))
    write_no_people(folder / "crm")
    incoming.to_csv(folder / "incoming.csv", index=False, sep=";")
    truth_all.to_csv(folder / "truth.csv", index=False)
    return time.perf_counter() - t0


def measured(cmd: list[str], cwd: Path | None = None) -> dict[str, float]:
    """Run a child to its end: wall seconds, CPU seconds (user + system) and peak RSS in MiB."""
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=os.environ, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(cmd)}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "workbench.cli", *args]


def snapshot(folder: Path) -> dict[str, float]:
    """Build crm.duckdb from the export with `workbench snapshot`, measured."""
    return measured(_cli("snapshot", str(folder / "crm"), "--db", str(folder / "crm.duckdb")))


def run(folder: Path, memory: str | None, work: Path | None = None) -> dict[str, float]:
    """The default `workbench run` of incoming.csv against the snapshot, measured; its output
    and state go to ``work`` (the data folder when not given)."""
    work = work or folder
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    for old in (out, work / "state.duckdb"):
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    extra = ["--memory", memory] if memory else []
    return measured(_cli("run", str(folder / "incoming.csv"), "--crm", str(folder / "crm.duckdb"),
                         "--out", str(out), "--state", str(work / "state.duckdb"), "--quiet",
                         *extra))


def _line(what: str, m: dict[str, float]) -> str:
    return (f"{what:<9} wall {m['wall']:8.1f} s   cpu {m['cpu']:8.1f} s   "
            f"peak {m['peak_mib']:7.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    """Generate (once), snapshot (once), run; print the numbers and the split by step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--memory", help="the run's --memory (its default when not given)")
    parser.add_argument("--work", type=Path, help="folder for the run's output and state "
                        "(the data folder when not given; a cached data folder stays untouched)")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the snapshot again")
    args = parser.parse_args(argv)
    folder = OUT / f"register-{args.orgs}-{args.rows}"
    if not (folder / "truth.csv").exists():
        print(f"generating {args.orgs:,} organisations, {args.rows:,} incoming rows", flush=True)
        print(f"generate  {generate(folder, args.orgs, args.rows):.1f} s", flush=True)
    if args.rebuild or not (folder / "crm.duckdb").exists():
        print(_line("snapshot", snapshot(folder)), flush=True)
    if args.build_only:
        return 0
    print(_line("run", run(folder, args.memory, args.work)), flush=True)
    out = (args.work or folder) / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    for step, seconds in manifest["timings_seconds"].items():
        print(f"  {step:<28} {seconds:8.1f} s")
    q = quality(folder, run_out=out)
    print(f"organisations P {q['precision']:.4f} R {q['recall']:.4f} "
          f"(fp {q['fp']}, fn {q['fn']}); capped keys "
          f"{manifest['matching'].get('keys_capped', 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
