"""Start-up of `workbench run` on a 100-row list: cold (the venv's and the project's files out of
the page cache) and warm, with the slowest imports.

    python bench/start_speed.py             # cold, warm, warm again; top 15 imports
    python bench/start_speed.py --top 30

Cold means every file of the venv, of the workbench package and of the data evicted from the
page cache with posix_fadvise(DONTNEED), file by file (not the machine-wide drop_caches, which
would slow everybody else down too). The data (a 10,000-organisation CRM from
bench/hard_scale.py's generator and a 100-row list) is cached under bench/out/start-10000-100/.
Times are wall and CPU seconds (user + system) of the child; on a shared machine wall time also
holds time spent waiting for a core.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register_scale import OUT, generate, measured  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def evict(*folders: Path) -> int:
    """Drop the page cache of every file under the folders; how many files."""
    count = 0
    for folder in folders:
        for base, _, names in os.walk(folder):
            for name in names:
                try:
                    fd = os.open(os.path.join(base, name), os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                finally:
                    os.close(fd)
    return count


def _run_args(folder: Path, out: str) -> list[str]:
    return ["run", str(folder / "incoming.csv"), "--crm", str(folder / "crm.duckdb"),
            "--out", str(folder / out), "--state", str(folder / f"{out}.state.duckdb"), "--quiet"]


def _fresh(folder: Path, out: str) -> None:
    import shutil

    shutil.rmtree(folder / out, ignore_errors=True)
    (folder / f"{out}.state.duckdb").unlink(missing_ok=True)


def importtime(folder: Path, top: int) -> list[tuple[float, str]]:
    """The imports of a warm run taking the most time (cumulative seconds, top-level ones)."""
    _fresh(folder, "out-imports")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "workbench.cli",
                           *_run_args(folder, "out-imports")], capture_output=True, text=True,
                          check=True, cwd=folder)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(2)) <= 3:  # imported by the program or by a first-level import
            rows.append((int(m.group(1)) / 1e6, m.group(3)))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    """Print cold and warm start-up of a 100-row run, and the slowest imports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    folder = OUT / "start-10000-100"
    if not (folder / "crm.duckdb").exists():
        generate(folder, 10_000, 100)
        subprocess.run([sys.executable, "-m", "workbench.cli", "snapshot", str(folder / "crm"),
                        "--db", str(folder / "crm.duckdb")], check=True,
                       stdout=subprocess.DEVNULL)
    venv = Path(sys.prefix)
    # the children run in the data folder, so `-m workbench.cli` imports the package PYTHONPATH
    # (or the venv) gives, not one in the current folder: PYTHONPATH=/other/checkout compares
    packages = [Path(p) / "workbench" for p in os.environ.get("PYTHONPATH", "").split(":") if p]
    for label in ("cold", "warm", "warm"):
        if label == "cold":
            t0 = time.perf_counter()
            files = evict(venv, ROOT / "workbench", *packages, folder)
            print(f"evicted {files:,} files in {time.perf_counter() - t0:.1f} s")
        _fresh(folder, "out")
        m = measured([sys.executable, "-m", "workbench.cli", *_run_args(folder, "out")],
                     cwd=folder)
        print(f"{label:<5} wall {m['wall']:6.1f} s   cpu {m['cpu']:6.1f} s   "
              f"peak {m['peak_mib']:5.0f} MiB", flush=True)
    print("slowest imports of a warm run (cumulative s, -X importtime):")
    for seconds, name in importtime(folder, args.top):
        print(f"  {seconds:7.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
