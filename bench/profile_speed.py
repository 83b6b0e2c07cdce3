"""Speed of ``profile_frame`` (and of writing profile.html) on a realistic 15-column Dutch table.

    python bench/profile_speed.py                 # 100,000 and 1,000,000 rows, median of 3
    python bench/profile_speed.py --rows 200000 --repeat 1

The table is the one of ``bench/read_speed.py``, read once with ``read_table`` and pickled;
each timed profile runs in a fresh process (no warm caches), inside ``shared_parses`` as in a
run. The second line profiles the same frame again in that process: the profile's own cost,
without the standardisers' parses that the run's standardisation reuses. The limit from issue 3:
1,000,000 rows x 15 columns under 30 seconds on the 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from read_speed import HEADER, make_csv  # noqa: E402

_CHILD = """
import json, pickle, resource, sys, tempfile, time
from workbench.profile import profile_frame, write_profile
from workbench.standardise import shared_parses
with open(sys.argv[1], "rb") as fh:
    frame = pickle.load(fh)
with shared_parses():  # as in a run: the standardisation reuses the profile's parses
    t0, c0 = time.perf_counter(), time.process_time()
    profile = profile_frame(frame)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    c0 = time.process_time()
    profile_frame(frame)  # again: every parse made, what the profile costs beyond them
    again = time.process_time() - c0
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as out:
    write_profile(profile, out)
report = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": len(frame), "seconds": seconds, "cpu": cpu, "again": again,
                  "report": report, "peak": peak}))
"""


def measure(pickled: Path) -> dict[str, float]:
    """Profile the pickled frame in a fresh process; return rows, seconds, report seconds."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(pickled)], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Run the benchmark and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pickle

    from workbench.read import read_table

    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = make_csv(Path(tmp) / f"leads_{rows}.csv", rows)
            pickled = Path(tmp) / f"leads_{rows}.pickle"
            with pickled.open("wb") as fh:
                pickle.dump(read_table(path), fh, protocol=pickle.HIGHEST_PROTOCOL)
            runs = [measure(pickled) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            report = statistics.median(r["report"] for r in runs)
            peak = statistics.median(r["peak"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            again = statistics.median(r["again"] for r in runs)
            each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
            print(f"profile_frame {rows:>9,} rows x {len(HEADER)} cols: {seconds:6.2f} s median "
                  f"of {len(runs)} ({each}), CPU {cpu:.2f} s; write_profile {report:.2f} s; "
                  f"peak RSS {peak / 1024**2:,.0f} MB", flush=True)
            # the standardisers' parses the profile makes are the run's standardisation's too
            print(f"profile_frame {rows:>9,} rows again, its parses made: CPU {again:.2f} s "
                  f"(so {cpu - again:.2f} s of parsing the standardisation then reuses)",
                  flush=True)


if __name__ == "__main__":
    main()
