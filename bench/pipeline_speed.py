"""Speed and memory of `workbench run`, file to exported change set, at growing sizes.

    python bench/pipeline_speed.py                      # 100k CRM x 10k, 100k x 100k, 1M x 100k
    python bench/pipeline_speed.py --sizes 100000:10000 # CRM organisations : incoming rows
    python bench/pipeline_speed.py --splink             # and Splink on the same linkage

Demo data and snapshots are cached under bench/out/ (not committed). Building the snapshot is a
separate step and is timed separately; the run is timed as a whole process (wall time and peak
memory from the kernel), and the run's own step timings come from its manifest.

With --splink (the ``bench`` extra), each size also gets the workbench's organisation match
scored against truth.csv (bench/quality.py) and Splink's link of the same incoming organisations
to the same CRM (bench/splink_side.py demo_organisations), in a process of its own so its
memory is measured apart; one more line prints Splink's time, peak memory and F1 and the
workbench / Splink ratios. The workbench's time is its whole run (read, standardise, match,
persons, export, reports); Splink's is cleaning, training and predicting on loaded data, and its
peak memory is that whole process (reading the files included).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent / "workbench"
# Runs its arguments as a child and prints wall seconds and the child's peak RSS (MiB) on the
# first line, then the child's stdout: ru_maxrss of children is the max over all children, so
# each measurement runs in a fresh interpreter to keep sizes (and workbench and Splink) apart.
PROBE = ("import resource,subprocess,sys,time;t=time.perf_counter();"
         "r=subprocess.run(sys.argv[1:],check=True,stdout=subprocess.PIPE,text=True);"
         "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN)"
         ".ru_maxrss/1024);print(r.stdout,end='')")
# The Splink child: demo_organisations' dict as JSON, or why Splink could not run
SPLINK_CHILD = ("import json,sys;sys.path.insert(0,sys.argv[1]);import splink_side\n"
                "try:\n r=splink_side.demo_organisations(sys.argv[2])\n"
                "except splink_side.SplinkNotInstalled as e:\n r={'not_installed':str(e)}\n"
                "print(json.dumps(r))")


def _timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def _probe(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stdout of a child, measured by a fresh interpreter."""
    try:
        probe = subprocess.run([sys.executable, "-c", PROBE, *args], check=True,
                               capture_output=True, text=True)
    except subprocess.CalledProcessError as err:
        print(err.stderr, file=sys.stderr)
        raise
    first, _, rest = probe.stdout.partition("\n")
    wall, peak = (float(x) for x in first.split())
    return wall, peak, rest


def _workbench_quality(folder: Path) -> dict[str, float]:
    """The run's crm_organisation_match scores against truth.csv (bench/quality.py)."""
    import pandas as pd
    from quality import score

    from workbench.demo import read_truth

    outcomes = pd.read_csv(folder / "out" / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
    outcomes["source_row"] = outcomes["source_row"].astype(int)
    return score(read_truth(folder / "truth.csv"), outcomes)["crm_organisation_match"]


def _splink_line(folder: Path, wall: float) -> tuple[str, bool]:
    """Splink on the size's organisation linkage, as one printed line; False: not installed."""
    ours = _workbench_quality(folder)
    _, peak, out = _probe([sys.executable, "-c", SPLINK_CHILD, str(Path(__file__).parent),
                           str(folder)])
    theirs = json.loads(out)
    if "not_installed" in theirs:
        return f"{'':>9} Splink: not installed ({theirs['not_installed']})", False
    return (f"{'':>9} Splink {theirs['seconds']:.1f} s, peak {peak:.0f} MiB, "
            f"{theirs['pairs']:,} pairs at p >= 0.5; org match P/R/F1 Splink "
            f"{theirs['precision']:.4f}/"
            f"{theirs['recall']:.4f}/{theirs['f1']:.4f} (fp {theirs['fp']}, fn {theirs['fn']}),"
            f" workbench {ours['precision']:.4f}/{ours['recall']:.4f}/{ours['f1']:.4f} "
            f"(fp {ours['fp']}, fn {ours['fn']}); workbench/Splink: time "
            f"{wall / theirs['seconds']:.2f}x (whole run vs model only), F1 "
            f"{ours['f1'] / theirs['f1']:.4f}"), True


def _size(text: str) -> tuple[int, int]:
    """'CRM_ORGS:INCOMING', e.g. '1000000:100000'."""
    try:
        orgs, incoming = (int(x) for x in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give CRM organisations and incoming rows as ORGS:ROWS, "
            "e.g. 1000000:100000") from None
    return orgs, incoming


def main(argv: list[str] | None = None) -> int:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=_size, metavar="ORGS:ROWS",
                        default=[(100_000, 10_000), (100_000, 100_000), (1_000_000, 100_000)])
    parser.add_argument("--splink", action="store_true",
                        help="also run Splink on each size's organisation linkage (bench extra)")
    args = parser.parse_args(argv)
    splink = args.splink
    print(f"{'CRM orgs':>9} {'incoming':>9} {'snapshot s':>11} {'run s':>7} {'peak MiB':>9}  "
          "steps (s)")
    for orgs, incoming in args.sizes:
        folder = OUT / f"demo-{orgs}-{incoming}"
        if not (folder / "truth.csv").exists():
            subprocess.run([str(BIN), "demo-data", str(folder), "--organisations", str(orgs),
                            "--incoming", str(incoming), "--seed", "5"], check=True,
                           stdout=subprocess.DEVNULL)
        snap_s = float("nan")
        if not (folder / "crm.duckdb").exists():
            snap_s, _ = _timed([str(BIN), "snapshot", str(folder / "crm"), "--db",
                                str(folder / "crm.duckdb")])
        out = folder / "out"
        wall, peak, _ = _probe([str(BIN), "run", str(folder / "incoming.xlsx"), "--crm",
                                str(folder / "crm.duckdb"), "--out", str(out), "--state",
                                str(folder / "state.duckdb"), "--quiet"])
        steps = json.loads((out / "manifest.json").read_text())["timings_seconds"]
        print(f"{orgs:>9,} {incoming:>9,} {snap_s:>11.1f} {wall:>7.1f} {peak:>9.0f}  "
              + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()), flush=True)
        if splink:
            line, splink = _splink_line(folder, wall)
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
