"""Speed of the duplicate report with many pairs (the last big run had ~300k in the review band).

    python bench/report_speed.py                  # 300,000 pairs, median of 3
    python bench/report_speed.py --pairs 100000 --repeat 5

A small demo list is matched once with a review band from 0.0001 to 0.9999999, so nearly every
pair is doubtful; its pairs are then repeated over the list's rows and the snapshot's records
(each copy another row and another CRM record) up to --pairs, and write_duplicate_report is
timed writing the HTML page (capped at MAX_PAIRS_SHOWN pairs) and duplicate_pairs.csv (all).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd


def _many_pairs(matches, con, rows: pd.Series, n: int) -> pd.DataFrame:
    """The match's pairs repeated to ``n``, spread over the list's rows and the CRM's records."""
    pairs = matches.pairs
    reps = -(-n // len(pairs))
    big = pd.concat([pairs] * reps, ignore_index=True).iloc[:n].copy()
    rng = np.random.default_rng(0)
    big["left_row"] = rng.choice(rows.to_numpy(), len(big))
    big["band"] = "review"
    big["score"] = rng.uniform(0.001, 0.999, len(big))
    for kind, table, key in (("crm_organisation", "organisations", "org_id"),
                             ("crm_person", "persons", "person_id")):
        ids = con.execute(f"SELECT {key} FROM {table}").df()[key].to_numpy()
        mask = (big["kind"] == kind).to_numpy()
        big.loc[mask, "right_key"] = rng.choice(ids, int(mask.sum()))
    file_kind = big["kind"].str.startswith("file").to_numpy()
    big.loc[file_kind, "right_key"] = rng.choice(rows.to_numpy(), int(file_kind.sum()))
    return big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from workbench.context import open_run
    from workbench.demo import generate_demo
    from workbench.pipeline import choose_definition, match, prepare, read_input
    from workbench.report import write_duplicate_report
    from workbench.snapshot import build_snapshot

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_demo(root, organisations=3000, incoming=1200, seed=3)
        build_snapshot(root / "crm", root / "crm.duckdb")
        raw = read_input(root / "incoming.xlsx")
        definition = choose_definition(raw)
        definition = replace(definition, thresholds=replace(
            definition.thresholds, match=0.9999999, review=0.0001))
        with open_run(root / "crm.duckdb", definition=definition,
                      state_path=root / "state.duckdb") as ctx:
            prepared = prepare(ctx, raw)
            matches = match(ctx, prepared)
            big = replace(matches, pairs=_many_pairs(matches, ctx.con, raw["source_row"],
                                                     args.pairs))
            seconds = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                path = write_duplicate_report(big, prepared, ctx.con, definition,
                                              root / "duplicate_report.html")
                seconds.append(time.perf_counter() - t0)
        html_mb = path.stat().st_size / 1024**2
        csv_mb = (root / "duplicate_pairs.csv").stat().st_size / 1024**2
    print(f"{args.pairs:,} pairs: duplicate report in {statistics.median(seconds):.1f} s "
          f"(median of {args.repeat}: {', '.join(f'{s:.1f}' for s in seconds)}); "
          f"page {html_mb:.1f} MB, duplicate_pairs.csv {csv_mb:.1f} MB")


if __name__ == "__main__":
    main()
