"""Speed and memory of `workbench run`, file to exported change set, at growing sizes.

    python bench/pipeline_speed.py                      # 100k CRM x 10k, 100k x 100k, 1M x 100k
    python bench/pipeline_speed.py --sizes 100000:10000 # CRM organisations : incoming rows

Demo data and snapshots are cached under bench/out/ (not committed). Building the snapshot is a
separate step and is timed separately; the run is timed as a whole process (wall time and peak
memory from the kernel), and the run's own step timings come from its manifest.
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


def _timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    """Print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+",
                        default=["100000:10000", "100000:100000", "1000000:100000"])
    args = parser.parse_args(argv)
    print(f"{'CRM orgs':>9} {'incoming':>9} {'snapshot s':>11} {'run s':>7} {'peak MiB':>9}  "
          "steps (s)")
    for size in args.sizes:
        orgs, incoming = (int(x) for x in size.split(":"))
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
        # each size in its own process: ru_maxrss of children is the max over all children,
        # so run the measurement in a fresh interpreter to keep sizes apart
        probe = subprocess.run(
            [sys.executable, "-c",
             "import resource,subprocess,sys,time;t=time.perf_counter();"
             "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL);"
             "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss/1024)",
             str(BIN), "run", str(folder / "incoming.xlsx"), "--crm", str(folder / "crm.duckdb"),
             "--out", str(out), "--state", str(folder / "state.duckdb"), "--quiet"],
            check=True, capture_output=True, text=True)
        wall, peak = (float(x) for x in probe.stdout.split())
        steps = json.loads((out / "manifest.json").read_text())["timings_seconds"]
        print(f"{orgs:>9,} {incoming:>9,} {snap_s:>11.1f} {wall:>7.1f} {peak:>9.0f}  "
              + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
