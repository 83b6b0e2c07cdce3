"""Score candidate pairs: comparison levels per part of the file, a classifier fitted on all of
them, the analyst's decisions on top, and only the pairs worth keeping kept."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.match.blocking import BlockingRule
from workbench.match.classify import MATCH, NON_MATCH, Classifier, compare_coded, compare_levels
from workbench.match.compare import LeveledComparison, TfKey
from workbench.match.frequency import pair_shares

Decisions = dict[tuple[str, str, str], str]  # (level, row fingerprint, candidate) -> same/different

RANDOM_PAIRS = 300_000  # random record pairs that estimate how often levels agree by chance


def random_levels(left: pd.DataFrame, right: pd.DataFrame | None,
                  comparisons: list[LeveledComparison], n: int = RANDOM_PAIRS,
                  seed: int = 0) -> pd.DataFrame:
    """Comparison levels of random record pairs (seeded, so every run fits alike)."""
    other = left if right is None else right
    if len(left) < 2 or len(other) < 2 or n <= 0:
        return pd.DataFrame()
    rng = np.random.default_rng(20261127 + seed)
    n = min(n, len(left) * len(other))
    a = rng.integers(0, len(left), n)
    b = rng.integers(0, len(other), n)
    keep = a != b if right is None else np.ones(n, dtype=bool)
    pairs = pd.MultiIndex.from_arrays([left.index[a[keep]], other.index[b[keep]]])
    return compare_levels(pairs, left, right, comparisons)


def crm_random_levels(left: pd.DataFrame, records: pd.DataFrame,
                      comparisons: list[LeveledComparison], n: int = RANDOM_PAIRS
                      ) -> pd.DataFrame:
    """Comparison levels of random (row, CRM record) pairs, drawn once over all rows and a
    sample of the CRM records (seeded): EM's u does not depend on how the rows were cut into
    parts."""
    if len(left) < 2 or len(records) < 2 or n <= 0:
        return pd.DataFrame()
    rng = np.random.default_rng(20261127)
    n = min(n, len(left) * len(records))
    a = rng.integers(0, len(left), n)
    b = rng.integers(0, len(records), n)
    pairs = pd.MultiIndex.from_arrays([left.index[a], records.index[b]])
    return compare_levels(pairs, left, records, comparisons)


def rule_masks(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
               rules: tuple[BlockingRule, ...], comparisons: list[LeveledComparison],
               coded: list[pd.DataFrame] | None = None
               ) -> dict[str, tuple[np.ndarray, set[str]]]:
    """Per blocking rule: which pairs it finds and which comparisons it blocked on.

    The same answer as ``BlockingRule.holds`` on the pairs' records, worked out on integer codes
    of each column (one set of codes per left/right column pair) instead of gathered strings.
    ``coded``: the frames as ``compare_coded`` coded them; their codes are used where they say
    the same (text columns sharing one set of categories) instead of coding the column again."""
    other = left if right is None else right
    lpos = left.index.get_indexer(pairs.get_level_values(0))
    rpos = other.index.get_indexer(pairs.get_level_values(1))
    agree: dict[tuple[str, str], np.ndarray] = {}
    out = {}
    for rule in rules:
        if not (set(rule.columns) <= set(left.columns) and set(rule.right) <= set(other.columns)):
            continue
        mask = np.ones(len(pairs), dtype=bool)
        for c, rc in zip(rule.columns, rule.right, strict=True):
            if (c, rc) not in agree:
                got = _agree_coded(coded, c, rc, lpos, rpos) if coded else None
                agree[c, rc] = got if got is not None else \
                    _agree(left[c], other[rc], lpos, rpos)
            mask &= agree[c, rc]
        blocked = {c.label for c in comparisons if c.inputs & rule.sources}
        out[rule.name] = (mask, blocked)
    return out


def _agree_coded(coded: list[pd.DataFrame], c: str, rc: str, lpos: np.ndarray,
                 rpos: np.ndarray) -> np.ndarray | None:
    """``_agree`` from the codes of the compared columns, when both columns are text coded over
    one set of categories (codes then agree exactly where the texts do); else None."""
    lf, rf = coded[0], coded[-1]
    if c not in lf or rc not in rf:
        return None
    a, b = lf[c].dtype, rf[rc].dtype
    if not (isinstance(a, pd.CategoricalDtype) and isinstance(b, pd.CategoricalDtype)) or \
            a.categories is not b.categories or \
            pd.api.types.infer_dtype(a.categories, skipna=False) not in ("string", "empty"):
        return None
    x, y = lf[c].cat.codes.to_numpy()[lpos], rf[rc].cat.codes.to_numpy()[rpos]
    return (x == y) & (x >= 0)


def _agree(left: pd.Series, right: pd.Series, lpos: np.ndarray, rpos: np.ndarray) -> np.ndarray:
    """Per pair of positions: both values present and equal as text (as ``holds`` compares)."""
    codes, uniques = pd.factorize(pd.concat([left.astype(object), right.astype(object)],
                                            ignore_index=True))  # a missing value codes -1
    if pd.api.types.infer_dtype(uniques, skipna=True) != "string":
        # the distinct values as text (1 and "1" agree, as they do for ``holds``)
        text, _ = pd.factorize(pd.Series(uniques, dtype=object).astype("string"))
        codes = np.append(text, -1)[codes]
    a, b = codes[: len(left)][lpos], codes[len(left):][rpos]
    return (a == b) & (a >= 0)


@dataclass
class Compared:
    """Comparison levels of candidate pairs and what EM needs, without the records' strings."""

    left: np.ndarray
    right: np.ndarray
    right_key: np.ndarray
    levels: pd.DataFrame
    masks: dict[str, tuple[np.ndarray, set[str]]]
    random: pd.DataFrame
    match_key: np.ndarray | None = None  # the blocking rule that found each pair

    @staticmethod
    def combine(parts: list[Compared]) -> Compared:
        """One set of compared pairs from several parts (chunks of the file)."""
        if len(parts) == 1:
            return parts[0]
        names = set.intersection(*(set(p.masks) for p in parts)) if parts else set()
        return Compared(
            np.concatenate([p.left for p in parts]), np.concatenate([p.right for p in parts]),
            np.concatenate([p.right_key for p in parts]),
            pd.concat([p.levels for p in parts], ignore_index=True),
            {n: (np.concatenate([p.masks[n][0] for p in parts]), parts[0].masks[n][1])
             for n in names},
            pd.concat([p.random for p in parts if len(p.random)] or [pd.DataFrame()],
                      ignore_index=True),
            None if any(p.match_key is None for p in parts)
            else np.concatenate([p.match_key for p in parts]))


def compare_part(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
                 comparisons: list[LeveledComparison], right_ids: pd.Series,
                 rules: tuple[BlockingRule, ...], em: bool, random_n: int = RANDOM_PAIRS,
                 seed: int = 0, match_key: np.ndarray | None = None) -> Compared:
    """Compare one part of the candidate pairs; keep levels, not strings."""
    levels, coded = compare_coded(pairs, left, right, comparisons)
    right_keys = right_ids.loc[pairs.get_level_values(1)].to_numpy() if len(pairs) else \
        np.array([], dtype=object)
    return Compared(
        np.asarray(pairs.get_level_values(0)), np.asarray(pairs.get_level_values(1)),
        right_keys, levels.reset_index(drop=True).astype(np.int8),
        rule_masks(pairs, left, right, rules, comparisons, coded) if em and len(pairs) else {},
        random_levels(left, right, comparisons, random_n, seed) if em and len(pairs)
        else pd.DataFrame(), match_key)


SCORE_FLOOR = 0.02  # pairs scoring below this are counted, not kept (nor explained)


def score_compared(kind: str, compared: Compared, left: pd.DataFrame,
                   comparisons: list[LeveledComparison],
                   classifier: Classifier, left_ids: pd.Series,
                   total_pairs: float, shares: dict[TfKey, np.ndarray] | None = None,
                   decide: tuple | None = None, below: dict[str, int] | None = None
                   ) -> pd.DataFrame:
    """Fit the classifier on compared pairs, then score them (see ``score_fitted``)."""
    if compared.levels.empty:
        return _no_pairs()
    fit_compared(compared, classifier, total_pairs, decide)
    return score_fitted(kind, compared, left, comparisons, classifier, left_ids, shares,
                        decide, below)


def fit_compared(compared: Compared, classifier: Classifier, total_pairs: float,
                 decide: tuple | None = None) -> None:
    """Fit the classifier on compared pairs: EM's u from the random pairs, m per blocking rule;
    the logistic classifier on the analyst's decisions among them."""
    n = len(compared.levels)
    decided, same = verdicts(compared.left, compared.right, compared.right_key, *decide) \
        if decide else (np.zeros(n, bool), np.zeros(n, bool))
    classifier.fit(compared.levels, random_levels=compared.random, rules=compared.masks,
                   total_pairs=total_pairs, labels=(decided, same))


def score_fitted(kind: str, compared: Compared, left: pd.DataFrame,
                 comparisons: list[LeveledComparison], classifier: Classifier,
                 left_ids: pd.Series, shares: dict[TfKey, np.ndarray] | None = None,
                 decide: tuple | None = None, below: dict[str, int] | None = None
                 ) -> pd.DataFrame:
    """Score compared pairs with a fitted classifier: one row per pair with score, band,
    explanation and points.

    ``decide`` = (level, left fingerprints, right fingerprints or None, decisions) applies the
    analyst's stored decisions; pairs below ``SCORE_FLOOR`` that nobody decided are then only
    counted in ``below``: a 1M-record CRM gives millions of hopeless candidates. Each pair is
    scored on its own, so parts scored one by one give the rows of the whole, in order.
    """
    levels = compared.levels
    if levels.empty:
        return _no_pairs()
    decided, same = verdicts(compared.left, compared.right, compared.right_key, *decide) \
        if decide else (np.zeros(len(levels), bool), np.zeros(len(levels), bool))
    points = classifier.weights(levels)
    # shares come for CRM pairs only: inside the file a record's own copies make its name
    # look common (that cost FEBRL3 recall)
    if shares:
        points = classifier.tf_adjust(points, levels, pair_shares(
            shares, comparisons, left.index.get_indexer(compared.left), levels))
    score = classifier.score(points)
    out = pd.DataFrame({
        "kind": kind,
        "left": compared.left,
        "right": compared.right,
        "score": score.to_numpy(),
        "points": points.sum(axis=1).to_numpy(),
        "band": classifier.band(score, levels).to_numpy(),
    })
    out["left_row"] = left_ids.loc[out["left"]].to_numpy()
    out["right_key"] = compared.right_key
    out["match_key"] = compared.match_key if compared.match_key is not None else None
    out["explanation"] = None
    out = apply_decisions(out, decided, same)
    # pairs inside the file are all kept: a cluster's members found unalike must be seen
    keep = (out["score"].to_numpy() >= min(SCORE_FLOOR, classifier.thresholds.review)) | \
        out["decided"].to_numpy() | kind.startswith("file")
    if below is not None:
        below[kind] = below.get(kind, 0) + int((~keep).sum())
    if not keep.all():
        out, levels, points = out[keep].reset_index(drop=True), levels[keep], points[keep]
    for column in ("right_key", "match_key"):
        out[column] = shared_texts(out[column].to_numpy())
    texts = classifier.explain(levels, points)
    out["explanation"] = np.where(out["decided"].to_numpy(), out["explanation"].to_numpy(), texts)
    for comp in comparisons:
        out[f"pts_{comp.label}"] = points[comp.label].to_numpy()
    return out


def shared_texts(values: np.ndarray) -> np.ndarray:
    """The values with each distinct one held once: a key read from DuckDB is a string object
    per pair (at 8M kept pairs the blocking rules' names alone took 500 MB)."""
    values = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(values)
    if not len(uniques):  # none filled
        return values
    out = np.asarray(uniques, dtype=object).take(codes)
    missing = codes < 0
    out[missing] = values[missing]  # missing values stay as they were (None, NaN)
    return out


def stack_pairs(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` of the non-empty parts with a new index; the list is emptied as the whole
    is filled, so memory holds the whole and one part, not the whole twice (8M pairs at 10M
    records: 1.2 GB each)."""
    kept = [p for p in parts if not p.empty]
    parts.clear()
    if not kept:
        return pd.DataFrame()
    first = kept[0]
    if len(kept) == 1:
        return first.reset_index(drop=True) \
            if not first.index.equals(pd.RangeIndex(len(first))) else first
    alike = first.columns.is_unique and all(isinstance(t, np.dtype) for t in first.dtypes) and \
        all(p.columns.equals(first.columns) and p.dtypes.equals(first.dtypes) for p in kept)
    if not alike:  # parts of other shapes: pandas works out the columns and their types
        return pd.concat(kept, ignore_index=True)
    columns = {c: np.empty(sum(map(len, kept)), dtype=t) for c, t in first.dtypes.items()}
    at, first = 0, None
    while kept:
        part = kept.pop(0)  # the last reference: the part goes once it is copied
        for c, values in columns.items():
            values[at:at + len(part)] = part[c].to_numpy()
        at += len(part)
        del part
    return pd.DataFrame(columns, copy=False)


def _no_pairs() -> pd.DataFrame:
    return pd.DataFrame(columns=["kind", "left", "right", "left_row", "right_key", "match_key",
                                 "score", "points", "band", "explanation", "decided"])


def verdicts(left: np.ndarray, right: np.ndarray, right_key: np.ndarray, level: str,
             left_fp: pd.Series, right_fp: pd.Series | None, decisions: Decisions
             ) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: did the analyst decide it, and was it "same"."""
    if not decisions or len(left) == 0:
        return np.zeros(len(left), dtype=bool), np.zeros(len(left), dtype=bool)
    lf = left_fp.loc[left].to_numpy()
    rf = (right_fp.loc[right].to_numpy() if right_fp is not None
          else pd.Series(right_key).astype(str).to_numpy())
    verdict = [decisions.get((level, a, str(b))) for a, b in zip(lf, rf, strict=True)]
    return (np.array([v is not None for v in verdict], dtype=bool),
            np.array([v == "same" for v in verdict], dtype=bool))


def apply_decisions(pairs: pd.DataFrame, decided: np.ndarray, same: np.ndarray) -> pd.DataFrame:
    """Overrule scores with the analyst's decisions (see ``verdicts``): same 1.0, different 0.0."""
    pairs["decided"] = decided
    if not decided.any():
        return pairs
    pairs.loc[decided, "score"] = np.where(same[decided], 1.0, 0.0)
    pairs.loc[decided, "band"] = np.where(same[decided], MATCH, NON_MATCH)
    pairs.loc[decided, "explanation"] = np.where(
        same[decided], "analyst decided: same", "analyst decided: different")
    return pairs
