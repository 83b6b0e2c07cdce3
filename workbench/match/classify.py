"""Turn comparison levels into a score, a band and an explanation per pair (threshold rules)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import recordlinkage as rl

from workbench.definition import Thresholds
from workbench.match.compare import LeveledComparison

MATCH, REVIEW, NON_MATCH = "match", "review", "non-match"


@dataclass(frozen=True)
class PointsClassifier:
    """Sum the points of every comparison and map the total to a probability-like score.

    ``offset`` is the total at which a pair is as likely the same as not (score 0.5); the logistic
    curve keeps the score in 0..1 so that the definition's thresholds read as probabilities.
    """

    offset: float
    thresholds: Thresholds = Thresholds()

    def score(self, points: pd.DataFrame) -> pd.Series:
        """The score of each pair from its per-comparison points."""
        total = points.sum(axis=1).to_numpy(dtype=float)
        return pd.Series(1.0 / (1.0 + np.exp(-(total - self.offset))), index=points.index)

    def band(self, score: pd.Series) -> pd.Series:
        """match / review / non-match for each score."""
        out = np.where(score >= self.thresholds.match, MATCH,
                       np.where(score >= self.thresholds.review, REVIEW, NON_MATCH))
        return pd.Series(out, index=score.index)


@dataclass
class EMClassifier:
    """Fellegi-Sunter weights fitted without labels by EM on the counts of level patterns.

    The candidate pairs are grouped by their pattern of comparison levels (a handful of distinct
    patterns even for millions of pairs), and EM fits, per comparison and level, the share among
    true matches (m) and among non-matches (u), assuming the comparisons independent given the
    class. Each level then weighs log2(m / u) (its explanation), a missing value weighs 0, and the
    score is the posterior probability of a match. The hand-set points start EM and act as a
    weak prior (``prior_pairs`` pseudo-pairs), so a run with few pairs stays near the points.
    """

    comparisons: list[LeveledComparison]
    offset: float
    thresholds: Thresholds = Thresholds()
    prior_pairs: float = 50.0
    iterations: int = 200
    m: dict[str, np.ndarray] = field(default_factory=dict)
    u: dict[str, np.ndarray] = field(default_factory=dict)
    prior: float = 0.1

    def fit(self, levels: pd.DataFrame, random_levels: pd.DataFrame | None = None
            ) -> EMClassifier:
        """Fit m, u and the share of matches on the level patterns of the candidate pairs.

        ``random_levels`` (levels of random record pairs, nearly all non-matches) fixes u: among
        blocked pairs the blocking keys agree by construction, so EM would learn that a surname
        agreeing says nothing.
        """
        labels = [c.label for c in self.comparisons]
        patterns = levels[labels].value_counts().reset_index(name="n")  # GROUP BY pattern
        n = patterns["n"].to_numpy(dtype=float)
        lv = {c.label: patterns[c.label].to_numpy(dtype=int) for c in self.comparisons}
        pts = {c.label: np.asarray(c.points, dtype=float) for c in self.comparisons}
        # start from the points classifier's view of each pattern
        total = sum(np.asarray(c.score(lv[c.label])) for c in self.comparisons)
        gamma = 1.0 / (1.0 + np.exp(-(total - self.offset)))
        prior_m = {k: _softmax(v / 2) for k, v in pts.items()}
        prior_u = {k: _softmax(-v / 2) for k, v in pts.items()}
        fixed_u = None
        if random_levels is not None and len(random_levels):
            fixed_u = {}
            for k in labels:
                got = random_levels[k].to_numpy(dtype=int)
                counts = np.bincount(got[got >= 0], minlength=len(pts[k])).astype(float)
                # one pseudo-pair per level: a level never seen at random is rare, not impossible
                fixed_u[k] = (counts + 1.0) / (counts.sum() + len(counts))
        for _ in range(self.iterations):
            self.prior = float(np.clip((gamma * n).sum() / n.sum(), 1e-4, 1 - 1e-4))
            for k in labels:
                size = len(pts[k])
                present = lv[k] >= 0
                idx = lv[k][present]
                wm = np.bincount(idx, weights=(gamma * n)[present], minlength=size)
                wu = np.bincount(idx, weights=((1 - gamma) * n)[present], minlength=size)
                self.m[k] = (wm + self.prior_pairs * prior_m[k] + 1e-3) / \
                    (wm.sum() + self.prior_pairs + 1e-3 * size)
                if fixed_u is not None:
                    self.u[k] = fixed_u[k]
                else:
                    self.u[k] = (wu + self.prior_pairs * prior_u[k] + 1e-3) / \
                        (wu.sum() + self.prior_pairs + 1e-3 * size)
            log_odds = sum(self._weight(k, lv[k]) for k in labels) * np.log(2)
            new = 1.0 / (1.0 + np.exp(-(log_odds + np.log(self.prior / (1 - self.prior)))))
            if np.max(np.abs(new - gamma)) < 1e-6:
                gamma = new
                break
            gamma = new
        return self

    def _weight(self, label: str, levels: np.ndarray) -> np.ndarray:
        table = np.append(np.log2(self.m[label] / self.u[label]), 0.0)  # -1 (missing) -> 0
        return table[np.asarray(levels, dtype=int)]

    def weights(self, levels: pd.DataFrame) -> pd.DataFrame:
        """The log2 match weight of each pair's level, per comparison."""
        return pd.DataFrame({c.label: np.round(self._weight(c.label, levels[c.label].to_numpy()), 2)
                             for c in self.comparisons}, index=levels.index)

    def score(self, weights: pd.DataFrame) -> pd.Series:
        """The posterior probability of a match from the per-comparison weights."""
        log_odds = weights.sum(axis=1).to_numpy(dtype=float) * np.log(2) + \
            np.log(self.prior / (1 - self.prior))
        return pd.Series(1.0 / (1.0 + np.exp(-log_odds)), index=weights.index)

    def band(self, score: pd.Series) -> pd.Series:
        """match / review / non-match for each score."""
        return PointsClassifier(self.offset, self.thresholds).band(score)


def _softmax(values: np.ndarray) -> np.ndarray:
    e = np.exp(values - values.max())
    return e / e.sum()


def make_classifier(kind: str, offset: float, thresholds: Thresholds,
                    comparisons: list[LeveledComparison]) -> PointsClassifier | EMClassifier:
    """The classifier the definition asks for (``points`` or ``ecm``)."""
    if kind == "ecm":
        return EMClassifier(comparisons, offset, thresholds)
    return PointsClassifier(offset, thresholds)


def compare(pairs: pd.MultiIndex, left: pd.DataFrame, right: pd.DataFrame | None,
            comparisons: list[LeveledComparison]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare record pairs with recordlinkage; return the level and the points per comparison."""
    if len(pairs) == 0:
        empty = pd.DataFrame(columns=[c.label for c in comparisons], index=pairs)
        return empty.astype(int), empty.astype(float)
    engine = rl.Compare(comparisons)
    levels = engine.compute(pairs, left, right) if right is not None else \
        engine.compute(pairs, left)
    levels.columns = [c.label for c in comparisons]
    points = pd.DataFrame({c.label: c.score(levels[c.label].to_numpy()) for c in comparisons},
                          index=levels.index)
    return levels.astype(int), points


def explain(levels: pd.Series, points: pd.Series, comparisons: list[LeveledComparison]) -> str:
    """One line saying which comparisons agreed and how much each counted."""
    parts = []
    for comp in comparisons:
        lvl = int(levels[comp.label])
        if lvl == -1:
            continue
        parts.append(f"{comp.label}: {comp.describe(lvl)} ({points[comp.label]:+g})")
    return "; ".join(parts)


def explain_all(levels: pd.DataFrame, points: pd.DataFrame,
                comparisons: list[LeveledComparison]) -> list[str]:
    """``explain`` for every pair at once (per distinct level and weight, not per pair)."""
    columns = []
    for comp in comparisons:
        lvl = levels[comp.label].to_numpy()
        pts = points[comp.label].to_numpy()
        names = {int(v): f"{comp.label}: {comp.describe(int(v))}" for v in np.unique(lvl) if v != -1}
        weights = {float(v): f" ({v:+g})" for v in np.unique(pts)}
        columns.append([names[int(a)] + weights[float(b)] if a != -1 else ""
                        for a, b in zip(lvl, pts, strict=True)])
    return ["; ".join(filter(None, parts)) for parts in zip(*columns, strict=True)]
