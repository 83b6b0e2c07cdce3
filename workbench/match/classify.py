"""Turn comparison levels into a score, a band and an explanation per pair (threshold rules)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.definition import Thresholds
from workbench.match import rl_parts as rl
from workbench.match.compare import LeveledComparison, shared_similarities
from workbench.match.rl_parts import BaseClassifier
from workbench.messages import say

MATCH, REVIEW, NON_MATCH = "match", "review", "non-match"
_BANDS = np.array([MATCH, REVIEW, NON_MATCH], dtype=object)


Labels = tuple[np.ndarray, np.ndarray]  # (pairs the analyst decided, decided "same")


class Classifier(BaseClassifier):
    """One interface for every classifier: fit on comparison levels, weigh each level, score,
    band and explain. Built on recordlinkage's ``BaseClassifier``, so ``prob`` / ``predict`` /
    ``fit_predict`` also work on a frame of levels."""

    comparisons: list[LeveledComparison]
    thresholds: Thresholds
    # fitted from the candidate pairs themselves: needs random pairs and per-rule pair masks
    needs_pairs: bool = False

    def fit(self, levels: pd.DataFrame, match_index: pd.Index | None = None, *,
            random_levels: pd.DataFrame | None = None,
            rules: dict[str, tuple[np.ndarray, set[str]]] | None = None,
            total_pairs: float | None = None, labels: Labels | None = None) -> Classifier:
        """Fit on the level patterns of the candidate pairs (a no-op for hand-set points)."""
        return self

    def weights(self, levels: pd.DataFrame) -> pd.DataFrame:
        """The evidence of each pair's level, per comparison."""
        return points_of(levels, self.comparisons)

    def tf_adjust(self, weights: pd.DataFrame, levels: pd.DataFrame,
                  shares: dict[str, np.ndarray]) -> pd.DataFrame:
        """Weights adjusted by how common the agreeing value is (only where the model has u)."""
        return weights

    def score(self, weights: pd.DataFrame) -> pd.Series:
        """The probability-like score of each pair from its per-comparison weights."""
        raise NotImplementedError

    def band(self, score: pd.Series, levels: pd.DataFrame | None = None) -> pd.Series:
        """match / review / non-match for each score; with the pairs' ``levels``, a pair at a
        comparison's doubtful level (its own e-mail differs) is at most in review."""
        values = np.asarray(score, dtype=float)
        # 0 match, 1 review, 2 non-match, taken from the three labels: one string object each,
        # not one per pair (np.where of texts makes a new one per pair: 900 MB at 8M pairs)
        code = np.where(values >= self.thresholds.match, 0,
                        np.where(values >= self.thresholds.review, 1, 2))
        if levels is not None and len(levels):
            doubt = np.zeros(len(levels), dtype=bool)
            for comp in self.comparisons:
                if comp.doubt_levels and comp.label in levels:
                    doubt |= np.isin(levels[comp.label].to_numpy(), comp.doubt_levels)
            code[doubt & (code == 0)] = 1
        return pd.Series(_BANDS.take(code), index=score.index)

    def explain(self, levels: pd.DataFrame, weights: pd.DataFrame) -> np.ndarray:
        """One line per pair saying which comparisons agreed and how much each counted."""
        return explain_all(levels, weights, self.comparisons)

    # recordlinkage's classifier protocol, on arrays of levels
    def _frame(self, features: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(features, dtype=int),
                            columns=[c.label for c in self.comparisons])

    def _fit(self, features: np.ndarray, y: np.ndarray | None = None) -> None:
        labels = None if y is None else (np.ones(len(features), bool), np.asarray(y, bool))
        self.fit(self._frame(features), labels=labels)

    def _prob_match(self, features: np.ndarray) -> np.ndarray:
        levels = self._frame(features)
        return self.score(self.weights(levels)).to_numpy()

    def _predict(self, features: np.ndarray) -> np.ndarray:
        return (self._prob_match(features) >= self.thresholds.match).astype(int)


@dataclass
class PointsClassifier(Classifier):
    """Sum the points of every comparison and map the total to a probability-like score.

    ``offset`` is the total at which a pair is as likely the same as not (score 0.5); the logistic
    curve keeps the score in 0..1 so that the definition's thresholds read as probabilities.
    """

    offset: float
    thresholds: Thresholds = Thresholds()
    comparisons: list[LeveledComparison] = field(default_factory=list)

    def score(self, points: pd.DataFrame) -> pd.Series:
        """The score of each pair from its per-comparison points."""
        total = points.sum(axis=1).to_numpy(dtype=float)
        return pd.Series(1.0 / (1.0 + np.exp(-(total - self.offset))), index=points.index)


@dataclass
class EMClassifier(Classifier):
    """Fellegi-Sunter weights fitted without labels by EM on the counts of level patterns.

    The candidate pairs are grouped by their pattern of comparison levels (a handful of distinct
    patterns even for millions of pairs), and EM fits, per comparison and level, the share among
    true matches (m) and among non-matches (u), assuming the comparisons independent given the
    class. Each level then weighs log2(m / u) (its explanation), a missing value weighs 0, and the
    score is the posterior probability of a match. The hand-set points start EM and act as a
    weak prior (``prior_pairs`` pseudo-pairs), so a run with few pairs stays near the points.

    Blocking biases EM: among pairs blocked on the surname every pair agrees on it, so EM would
    learn that agreeing says nothing. As Splink does, u then comes from random record pairs, and m
    is fitted per blocking rule on the pairs that rule finds, leaving out the comparisons the rule
    blocked on; each comparison's m is the average over the rules that did not block on it.
    """

    comparisons: list[LeveledComparison]
    offset: float
    thresholds: Thresholds = Thresholds()
    prior_pairs: float = 50.0
    iterations: int = 200
    m: dict[str, np.ndarray] = field(default_factory=dict)
    u: dict[str, np.ndarray] = field(default_factory=dict)
    prior: float = 0.1
    needs_pairs: bool = True
    # Fewer record pairs in all than this (a list of a hundred rows against itself) say too
    # little about chance agreement to fit on: the hand-set points score instead.
    min_pairs: float = 10_000
    fitted: bool = True

    def fit(self, levels: pd.DataFrame, match_index: pd.Index | None = None, *,
            random_levels: pd.DataFrame | None = None,
            rules: dict[str, tuple[np.ndarray, set[str]]] | None = None,
            total_pairs: float | None = None, labels: Labels | None = None) -> EMClassifier:
        """Fit m, u and the share of matches on the level patterns of the candidate pairs.

        ``random_levels``: levels of random record pairs (nearly all non-matches), which fix u.
        ``rules``: per blocking rule, which candidate pairs it found and the comparison labels
        it blocked on; with u fixed, m is then fitted rule by rule.
        ``total_pairs``: how many record pairs there are in all (candidates or not). With u from
        random pairs the share of matches must be the share among *all* pairs, or two common
        names agreeing would outweigh a different birth date and address.
        """
        self.fitted = total_pairs is None or total_pairs >= self.min_pairs
        if not self.fitted:
            return self
        labels = [c.label for c in self.comparisons]
        pts = {c.label: np.asarray(c.points, dtype=float) for c in self.comparisons}
        prior_m = {k: _softmax(v / 2) for k, v in pts.items()}
        if random_levels is None or not len(random_levels):
            self.m, self.u, self.prior = self._em(levels, labels, prior_m, None)
            return self
        rnd = random_levels[labels].value_counts().reset_index(name="n")
        rnd_n = rnd["n"].to_numpy(dtype=float)
        rnd_lv = {k: rnd[k].to_numpy(dtype=int) for k in labels}
        not_match = np.ones(len(rnd))
        # Random pairs hold a few true matches (one in N for N records): on a small file they
        # make "same address" look common by chance. So: fit, then take out of u the random
        # pairs the model calls matches, and fit again.
        for _ in range(3):
            self.u = {}
            for k in labels:
                present = rnd_lv[k] >= 0
                counts = np.bincount(rnd_lv[k][present], weights=(not_match * rnd_n)[present],
                                     minlength=len(pts[k]))
                # a tenth of a pseudo-pair per level: a level never seen at random is rare, not
                # impossible (and not rarer than the sample can tell)
                self.u[k] = (counts + 0.1) / (counts.sum() + 0.1 * len(counts))
            self._fit_m(levels, labels, prior_m, rules)
            if not total_pairs or total_pairs <= len(levels):
                break
            self.prior = self._share_of_all(levels, labels, total_pairs)
            not_match = 1.0 - self._posterior(rnd_lv, self.m, self.u, self.prior)
        return self

    def _fit_m(self, levels: pd.DataFrame, labels: list[str], prior_m: dict[str, np.ndarray],
               rules: dict[str, tuple[np.ndarray, set[str]]] | None) -> None:
        """m per blocking rule with u fixed, averaged; then the share of matches (candidates)."""
        total = {k: np.zeros(len(prior_m[k])) for k in labels}
        weight = dict.fromkeys(labels, 0.0)
        for mask, blocked in (rules or {"all": (np.ones(len(levels), bool), set())}).values():
            use = [k for k in labels if k not in blocked]
            if mask.sum() < 20 or not use:  # too few pairs to say anything
                continue
            m, _, share = self._em(levels[mask], use, prior_m, self.u)
            found = share * mask.sum()  # expected matches: a rule that finds more counts more
            for k in use:
                total[k] += found * m[k]
                weight[k] += found
        self.m = {k: total[k] / weight[k] if weight[k] > 0 else prior_m[k] for k in labels}
        # the share of matches among all candidates, with m and u as fitted
        _, _, self.prior = self._em(levels, labels, self.m, self.u, fit_m=False)

    def _share_of_all(self, levels: pd.DataFrame, labels: list[str], total_pairs: float) -> float:
        """The share of matches among all pairs: pairs blocking left out count as non-matches."""
        patterns = levels[labels].value_counts().reset_index(name="n")
        n = patterns["n"].to_numpy(dtype=float)
        lv = {k: patterns[k].to_numpy(dtype=int) for k in labels}
        prior = max(self.prior * len(levels) / total_pairs, 1e-12)
        for _ in range(self.iterations):
            new = max((self._posterior(lv, self.m, self.u, prior) * n).sum() / total_pairs, 1e-12)
            if abs(new - prior) <= 1e-6 * prior:
                return new
            prior = new
        return prior

    def _em(self, levels: pd.DataFrame, labels: list[str], start_m: dict[str, np.ndarray],
            fixed_u: dict[str, np.ndarray] | None, fit_m: bool = True
            ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float]:
        """EM over the distinct level patterns of ``labels``: m, u and the share of matches."""
        patterns = levels[labels].value_counts().reset_index(name="n")  # GROUP BY pattern
        n = patterns["n"].to_numpy(dtype=float)
        lv = {k: patterns[k].to_numpy(dtype=int) for k in labels}
        sizes = {c.label: len(c.points) for c in self.comparisons}
        m = {k: start_m[k] for k in labels}
        u = dict(fixed_u) if fixed_u is not None else {
            c.label: _softmax(-np.asarray(c.points, dtype=float) / 2) for c in self.comparisons}
        prior = 0.1
        gamma = self._posterior(lv, m, u, prior)
        for _ in range(self.iterations):
            prior = float(np.clip((gamma * n).sum() / n.sum(), 1e-6, 1 - 1e-6))
            for k in labels:
                present = lv[k] >= 0
                idx = lv[k][present]
                if fit_m:
                    wm = np.bincount(idx, weights=(gamma * n)[present], minlength=sizes[k])
                    m[k] = (wm + self.prior_pairs * start_m[k] + 1e-3) / \
                        (wm.sum() + self.prior_pairs + 1e-3 * sizes[k])
                if fixed_u is None:
                    wu = np.bincount(idx, weights=((1 - gamma) * n)[present], minlength=sizes[k])
                    prior_u = _softmax(-np.asarray(self._points(k), dtype=float) / 2)
                    u[k] = (wu + self.prior_pairs * prior_u + 1e-3) / \
                        (wu.sum() + self.prior_pairs + 1e-3 * sizes[k])
            new = self._posterior(lv, m, u, prior)
            converged = np.max(np.abs(new - gamma)) < 1e-6
            gamma = new
            if converged:
                break
        return m, u, prior

    def _points(self, label: str) -> tuple[float, ...]:
        return next(c.points for c in self.comparisons if c.label == label)

    @staticmethod
    def _posterior(lv: dict[str, np.ndarray], m: dict[str, np.ndarray],
                   u: dict[str, np.ndarray], prior: float) -> np.ndarray:
        log_odds = np.log(prior / (1 - prior))
        for k, levels in lv.items():
            table = np.append(np.log(m[k] / u[k]), 0.0)  # -1 (missing) -> 0
            log_odds = log_odds + table[levels]
        return 1.0 / (1.0 + np.exp(-log_odds))

    def _weight(self, label: str, levels: np.ndarray) -> np.ndarray:
        if not self.fitted:
            points = next(c for c in self.comparisons if c.label == label)
            return points.score(np.asarray(levels, dtype=int))
        table = np.append(np.log2(self.m[label] / self.u[label]), 0.0)  # -1 (missing) -> 0
        return table[np.asarray(levels, dtype=int)]

    def weights(self, levels: pd.DataFrame) -> pd.DataFrame:
        """The log2 match weight of each pair's level, per comparison (the points if unfitted)."""
        return pd.DataFrame({c.label: np.round(self._weight(c.label, levels[c.label].to_numpy()), 2)
                             for c in self.comparisons}, index=levels.index)

    def tf_adjust(self, weights: pd.DataFrame, levels: pd.DataFrame,
                  shares: dict[str, np.ndarray]) -> pd.DataFrame:
        """Weights with the top level adjusted by how common the agreeing value is.

        ``shares``: per comparison label, the share of records holding the left record's value.
        Agreeing on a value held by a share f of records happens by chance with probability
        about f instead of the average u, so the weight moves by log2(u / f), on the levels
        the comparison names (``tf_levels``) and within its ``tf_max_bits``.
        """
        out = weights.copy()
        tf_levels = {c.label: c.tf_levels for c in self.comparisons}
        max_bits = {c.label: c.tf_max_bits for c in self.comparisons}
        for label, share in shares.items():
            if not self.fitted or label not in self.u:
                continue
            level = levels[label].to_numpy()
            share = np.asarray(share, dtype=float)
            ok = np.isin(level, tf_levels.get(label, (0,))) & np.isfinite(share) & (share > 0)
            adj = np.zeros(len(out))
            bound = max_bits.get(label, 4.0)
            adj[ok] = np.clip(np.log2(self.u[label][level[ok]] / share[ok]), -bound, bound)
            out[label] = np.round(out[label].to_numpy() + adj, 2)
        return out

    def score(self, weights: pd.DataFrame) -> pd.Series:
        """The posterior probability of a match from the per-comparison weights."""
        if not self.fitted:  # the points' logistic score
            return PointsClassifier(self.offset, self.thresholds, self.comparisons).score(weights)
        log_odds = weights.sum(axis=1).to_numpy(dtype=float) * np.log(2) + \
            np.log(self.prior / (1 - self.prior))
        return pd.Series(1.0 / (1.0 + np.exp(-log_odds)), index=weights.index)


@dataclass
class LogisticClassifier(EMClassifier):
    """Weights learnt from the analyst's decisions: recordlinkage's logistic regression on the
    comparison levels (one feature per level). Each level then weighs its coefficient (in bits,
    like EM's weights) and the score is the regression's probability. Until the decided pairs
    hold ``min_labels`` of each kind, it fits unsupervised, as ``ecm``.
    """

    min_labels: int = 10
    labels: tuple[np.ndarray, np.ndarray] | None = None  # (decided pairs, decided "same")
    supervised: bool = False
    coefficients: dict[str, np.ndarray] = field(default_factory=dict)

    def fit(self, levels: pd.DataFrame, match_index: pd.Index | None = None, *,
            random_levels: pd.DataFrame | None = None,
            rules: dict[str, tuple[np.ndarray, set[str]]] | None = None,
            total_pairs: float | None = None, labels: Labels | None = None
            ) -> LogisticClassifier:
        """Fit on the decided pairs when there are enough of both kinds, else as EM does."""
        if labels is not None:
            self.labels = labels
        if match_index is not None and self.labels is None:  # recordlinkage's way: the matches
            self.labels = (np.ones(len(levels), bool), levels.index.isin(match_index))
        decided, same = self.labels if self.labels is not None else (None, None)
        enough = decided is not None and min(int((decided & same).sum()),
                                             int((decided & ~same).sum())) >= self.min_labels
        self.supervised = bool(enough)
        if not enough:
            super().fit(levels, random_levels=random_levels, rules=rules,
                        total_pairs=total_pairs)
            return self
        features = self._features(levels[decided])
        features.index = pd.MultiIndex.from_arrays([np.arange(len(features))] * 2)
        model = rl.LogisticRegressionClassifier()
        model.fit(features, features.index[same[decided]])
        coef = dict(zip(features.columns, np.ravel(model.coefficients), strict=True))
        for comp in self.comparisons:
            # natural-log coefficients as bits, so explanations read like EM's weights
            self.coefficients[comp.label] = np.array(
                [coef.get(f"{comp.label}={i}", 0.0) / np.log(2) for i in range(len(comp.points))])
        self.prior = float(1.0 / (1.0 + np.exp(-float(np.ravel(model.intercept)[0]))))
        return self

    def _features(self, levels: pd.DataFrame) -> pd.DataFrame:
        """One 0/1 column per comparison level (a missing value sets none)."""
        return pd.DataFrame({f"{c.label}={i}": (levels[c.label].to_numpy() == i).astype(float)
                             for c in self.comparisons for i in range(len(c.points))})

    def _weight(self, label: str, levels: np.ndarray) -> np.ndarray:
        if not self.supervised:
            return super()._weight(label, levels)
        table = np.append(self.coefficients[label], 0.0)  # -1 (missing) -> 0
        return table[np.asarray(levels, dtype=int)]

    def tf_adjust(self, weights: pd.DataFrame, levels: pd.DataFrame,
                  shares: dict[str, np.ndarray]) -> pd.DataFrame:
        """Term frequencies only for the unsupervised fit (the regression has its own weights)."""
        return weights if self.supervised else super().tf_adjust(weights, levels, shares)


def _softmax(values: np.ndarray) -> np.ndarray:
    e = np.exp(values - values.max())
    return e / e.sum()


CLASSIFIERS: dict[str, type[Classifier]] = {
    "points": PointsClassifier, "ecm": EMClassifier, "logistic": LogisticClassifier}


def make_classifier(kind: str, offset: float, thresholds: Thresholds,
                    comparisons: list[LeveledComparison]) -> Classifier:
    """The classifier the definition asks for (``points``, ``ecm`` or ``logistic``)."""
    if kind == "points":
        return PointsClassifier(offset, thresholds, comparisons)
    return CLASSIFIERS[kind](comparisons, offset, thresholds)


def compare_levels(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
                   comparisons: list[LeveledComparison]) -> pd.DataFrame:
    """The level of every comparison for each record pair, with recordlinkage's ``Compare``."""
    return compare_coded(pairs, left, right, comparisons)[0]


def compare_coded(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
                  comparisons: list[LeveledComparison]
                  ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """``compare_levels``, and the compared columns of ``left`` (and ``right``) as the
    categoricals they were compared as (see ``_plain``), for more checks on the same pairs."""
    if len(pairs) == 0:
        return pd.DataFrame(columns=[c.label for c in comparisons], index=pairs).astype(int), []
    engine = rl.Compare(comparisons)
    columns = _column_groups(comparisons)
    plain = _plain([left] if right is None else [left, right], columns)
    with shared_similarities():  # the surname and the first name both look for swapped names
        levels = engine.compute(pairs, *plain)
    levels.columns = [c.label for c in comparisons]
    return levels.astype(int), plain


def points_of(levels: pd.DataFrame, comparisons: list[LeveledComparison]) -> pd.DataFrame:
    """The hand-set points of each pair's level, per comparison."""
    return pd.DataFrame({c.label: c.score(levels[c.label].to_numpy()) for c in comparisons},
                        index=levels.index, dtype=float)


def compare(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
            comparisons: list[LeveledComparison]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare record pairs with recordlinkage; return the level and the points per comparison."""
    levels = compare_levels(pairs, left, right, comparisons)
    return levels, points_of(levels, comparisons)


def _listify(labels: str | list[str]) -> list[str]:
    return [labels] if isinstance(labels, str) else list(labels)


def _plain(frames: list[pd.DataFrame], columns: list[list[str]]) -> list[pd.DataFrame]:
    """The compared columns as categoricals sharing their categories across the frames: gathered
    per pair as integers, compared as integers, and similarities worked out once per distinct
    pair of values (pandas' string dtype checks every value in Python, per pair). Each group of
    ``columns`` shares one set of categories (a surname compared with a first name)."""
    out: list[dict] = [{} for _ in frames]
    for group in columns:
        group = [c for c in group if all(c in f for f in frames)]
        if not group:
            continue
        if any(f[c].dtype == bool for f in frames for c in group):
            for o, f in zip(out, frames, strict=True):
                for c in group:
                    o[c] = f[c].to_numpy()
            continue
        # factorize codes every missing value (None, NaN, pd.NA) -1 by itself
        codes, values = pd.factorize(np.concatenate(
            [f[c].to_numpy(dtype=object) for c in group for f in frames]))
        dtype = rl.distinct_categories(values)
        start = 0
        for c in group:
            for o, f in zip(out, frames, strict=True):
                o[c] = pd.Categorical.from_codes(codes[start:start + len(f)], dtype=dtype)
                start += len(f)
    return [pd.DataFrame(o, index=f.index) for o, f in zip(out, frames, strict=True)]


def _column_groups(comparisons: list[LeveledComparison]) -> list[list[str]]:
    """Columns to code together: those a comparison compares with each other, else one each."""
    groups: list[set[str]] = []
    for comp in comparisons:
        cols = _listify(comp.labels_left)
        if comp.across_columns:
            joined = set(cols).union(*(g for g in groups if g & set(cols)))
            groups = [g for g in groups if not g & set(cols)] + [joined]
        else:
            for c in cols:
                if not any(c in g for g in groups):
                    groups.append({c})
    return [sorted(g) for g in groups]


def explain(levels: pd.Series, points: pd.Series, comparisons: list[LeveledComparison]) -> str:
    """One line saying which comparisons agreed and how much each counted."""
    parts = []
    for comp in comparisons:
        lvl = int(levels[comp.label])
        if lvl == -1:
            continue
        parts.append(say("match.part", label=comp.spoken_label(), level=comp.describe(lvl),
                         points=f"{points[comp.label]:+g}"))
    return "; ".join(parts)


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the code of its combination of values; per code, its first row."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        code, uniques = pd.factorize(col)
        key, _ = pd.factorize(key * (len(uniques) + 1) + code)
        key = key.astype(np.int64)
    first = np.full(int(key.max()) + 1 if len(key) else 0, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)  # the last write per code is its first row
    return key, first


def explain_all(levels: pd.DataFrame, points: pd.DataFrame,
                comparisons: list[LeveledComparison]) -> np.ndarray:
    """``explain`` for every pair at once: each comparison's part written once per distinct
    level and points, each line once per distinct combination of parts."""
    if len(levels) == 0:
        return np.array([], dtype=object)
    # with term frequencies nearly every pair has points of its own: the parts repeat, the
    # whole lines much less
    codes, texts = [], []
    for comp in comparisons:
        lvl = levels[comp.label].to_numpy(np.int64)
        pts = points[comp.label].to_numpy(dtype=float)
        code, first = _distinct(lvl, pts.view(np.int64))  # bits: -0.0 writes "-0"
        codes.append(code)
        texts.append([None if lvl[i] == -1 else say(
            "match.part", label=comp.spoken_label(), level=comp.describe(int(lvl[i])),
            points=f"{pts[i]:+g}") for i in first.tolist()])
    key, first = _distinct(*codes)
    lines = np.array(["; ".join(t for t in (part[code[i]] for part, code in
                                            zip(texts, codes, strict=True)) if t is not None)
                      for i in first.tolist()], dtype=object)
    return lines[key]
