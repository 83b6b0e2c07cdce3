"""Matching quality on the synthetic Dutch demo data: row outcomes against truth.csv.

    python bench/quality.py                         # generate, snapshot and run in a temp folder
    python bench/quality.py --hard                  # the same with the hard demo (demo-data --hard)
    python bench/quality.py --demo data/demo --out reports/demo   # score an existing run

Prints the pairs the run leaves for the review screen, precision and recall of the CRM
organisation and person matches, of the in-file duplicates and of the rejects, the status
confusion table, and (for the hard demo) the outcome per kind of case.

Rows the truth expects to be left for review (``expected_status`` ``skipped`` with a CRM
``org_id``: the hard demo's ``doubtful_org``, whose evidence points both ways) are scored on
their own line, ``doubtful_left_for_review``: right (tp) when the run skipped the row with a
"needs review" reason, wrong (fn) when it merged, created, rejected or skipped it otherwise;
its precision, recall and F1 columns all show the share left for review, and its fp counts the wrong ones that were silently merged into a CRM record (merged into the
record the row was made from or another). They are not loadable rows, so they stay out of the
match precision and recall above them: those measure what was loaded, this what was left open.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(truth: pd.DataFrame, outcomes: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per decision kind."""
    df = truth.merge(outcomes, on="source_row", suffixes=("_true", ""))
    results: dict[str, dict[str, float]] = {}
    loadable = df["expected_status"].isin(["accepted", "in_file_duplicate"])
    for level, col in (("organisation", "org_id"), ("person", "person_id")):
        true_ids = df[f"{col}_true"].fillna("").astype(str)
        pred = df[col].fillna("").astype(str)
        pred_crm = pred.where(~pred.str.startswith("NEW-") & (pred != ""), "")
        hit = [p != "" and p in t.split("|") for p, t in zip(pred_crm, true_ids, strict=True)]
        hit = pd.Series(hit, index=df.index)
        tp = int((hit & loadable).sum())
        fp = int(((pred_crm != "") & ~hit & loadable).sum())
        fn = int(((true_ids != "") & ~hit & loadable).sum())
        p, r, f = _prf(tp, fp, fn)
        results[f"crm_{level}_match"] = {"precision": p, "recall": r, "f1": f, "tp": tp,
                                         "fp": fp, "fn": fn}
    dup_true = df["expected_status"] == "in_file_duplicate"
    dup_pred = df["status"] == "in_file_duplicate"
    entity = df.set_index("source_row")[["org_entity", "person_entity"]]

    def same_entity(row: pd.Series) -> bool:
        try:
            other = entity.loc[int(float(row["duplicate_of"]))]
        except (KeyError, ValueError, TypeError):
            return False
        return bool((other.fillna("") == row[["org_entity", "person_entity"]].fillna("")).all())

    correct = df[dup_pred].apply(same_entity, axis=1) if dup_pred.any() else pd.Series(dtype=bool)
    tp = int(correct.sum())
    p, r, f = _prf(tp, int(dup_pred.sum()) - tp, int(dup_true.sum()) - tp)
    results["in_file_duplicate"] = {"precision": p, "recall": r, "f1": f, "tp": tp,
                                    "fp": int(dup_pred.sum()) - tp, "fn": int(dup_true.sum()) - tp}
    rej_true, rej_pred = df["expected_status"] == "rejected", df["status"] == "rejected"
    tp = int((rej_true & rej_pred).sum())
    p, r, f = _prf(tp, int((~rej_true & rej_pred).sum()), int((rej_true & ~rej_pred).sum()))
    results["rejected"] = {"precision": p, "recall": r, "f1": f, "tp": tp,
                           "fp": int((~rej_true & rej_pred).sum()),
                           "fn": int((rej_true & ~rej_pred).sum())}
    doubt = df["expected_status"].eq("skipped") & df["org_id_true"].fillna("").ne("")
    if doubt.any():
        left = _left_for_review(df)
        merged = df["org_id"].fillna("").str.startswith("ORG") & doubt
        tp = int((doubt & left).sum())
        results["doubtful_left_for_review"] = {
            "precision": tp / int(doubt.sum()), "recall": tp / int(doubt.sum()),
            "f1": tp / int(doubt.sum()), "tp": tp, "fp": int(merged.sum()),
            "fn": int((doubt & ~left).sum())}
    results["_confusion"] = pd.crosstab(df["expected_status"], df["status"]).to_dict()
    return results


def _left_for_review(df: pd.DataFrame) -> pd.Series:
    """Rows the run skipped because they need the analyst's review."""
    reason = df["reason"].fillna("") if "reason" in df else pd.Series("", index=df.index)
    return df["status"].eq("skipped") & reason.str.startswith("needs review")


def review_count(out: Path) -> int:
    """Pairs the run left in the review band (what the review screen opens on)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return int(manifest["matching"]["pairs_review"])


def review_by_kind(out: Path) -> dict[str, int]:
    """Pairs in the review band per kind of pair (CRM or file, organisation or person)."""
    pairs = pd.read_csv(out / "duplicate_pairs.csv", dtype=str, encoding="utf-8-sig",
                        usecols=["kind", "band"])
    return pairs.loc[pairs["band"] == "review band", "kind"].value_counts().sort_index().to_dict()


def per_case(truth: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per truth case: rows per outcome status and the share whose organisation was right
    (for a row the truth leaves for review: the share the run left for review)."""
    df = truth.merge(outcomes.fillna(""), on="source_row", suffixes=("_true", ""))
    right = [(p in t.split("|")) if t else not p or p.startswith("NEW-")
             for p, t in zip(df["org_id"], df["org_id_true"], strict=True)]
    doubt = (df["expected_status"] == "skipped") & (df["org_id_true"] != "")
    right = pd.Series(right, index=df.index).where(~doubt, _left_for_review(df))
    table = pd.crosstab(df["case"], df["status"])
    table["org_right"] = right.astype(float).groupby(df["case"]).mean().round(2)
    return table


def _run_fresh(workdir: Path, organisations: int, incoming: int, seed: int,
               hard: bool) -> tuple[Path, Path]:
    from workbench.demo import generate_demo
    from workbench.pipeline import RunSettings, run
    from workbench.snapshot import build_snapshot

    demo = workdir / "demo"
    generate_demo(demo, organisations=organisations, incoming=incoming, seed=seed, hard=hard)
    build_snapshot(demo / "crm", demo / "crm.duckdb")
    t0 = time.perf_counter()
    run(RunSettings(demo / "incoming.xlsx", demo / "crm.duckdb", workdir / "out",
                    state_path=workdir / "state.duckdb"))
    print(f"pipeline run: {time.perf_counter() - t0:.1f} s for {incoming} rows "
          f"against {organisations} CRM organisations{' (hard demo)' if hard else ''}")
    return demo, workdir / "out"


def main(argv: list[str] | None = None) -> int:
    """Print the quality numbers."""
    from workbench.demo import CASES as DEFAULT_CASES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="demo folder with truth.csv")
    parser.add_argument("--out", type=Path, help="run output folder with row_outcomes.csv")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--incoming", type=int, default=500)
    parser.add_argument("--seeds", type=int, nargs="+", default=[7])
    parser.add_argument("--hard", action="store_true",
                        help="generate the hard demo (typos, renamed, moved and foreign firms …)")
    args = parser.parse_args(argv)
    runs = []
    if args.demo and args.out:
        runs.append((args.demo, args.out))
    else:
        for seed in args.seeds:
            tmp = Path(tempfile.mkdtemp(prefix="wb-quality-"))
            runs.append(_run_fresh(tmp, args.organisations, args.incoming, seed, args.hard))
    for demo, out in runs:
        truth = pd.read_csv(demo / "truth.csv", dtype=str).fillna("")
        truth["source_row"] = truth["source_row"].astype(int)
        outcomes = pd.read_csv(out / "row_outcomes.csv", dtype=str, encoding="utf-8-sig")
        outcomes["source_row"] = outcomes["source_row"].astype(int)
        results = score(truth, outcomes)
        print(f"\nQuality of {out} against {demo / 'truth.csv'} ({len(truth)} rows)")
        kinds = ", ".join(f"{k} {n}" for k, n in review_by_kind(out).items())
        print(f"pairs left for the review screen: {review_count(out)}"
              + (f" ({kinds})" if kinds else ""))
        print(f"{'decision':<26}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>6}{'fp':>5}{'fn':>5}")
        for name, r in results.items():
            if name.startswith("_"):
                continue
            print(f"{name:<26}{r['precision']:>10.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
                  f"{r['tp']:>6}{r['fp']:>5}{r['fn']:>5}")
        print("\nexpected status (rows) vs outcome status (columns):")
        print(pd.crosstab(truth.merge(outcomes, on="source_row")["expected_status"],
                          truth.merge(outcomes, on="source_row")["status"]).to_string())
        if not truth["case"].isin(DEFAULT_CASES).all():
            print("\noutcome per kind of case (rows; org_right: the organisation decided right, "
                  "for doubtful_org: left for review):")
            print(per_case(truth, outcomes).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
