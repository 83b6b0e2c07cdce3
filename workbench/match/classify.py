"""Turn comparison levels into a score, a band and an explanation per pair (threshold rules)."""
from __future__ import annotations

from dataclasses import dataclass

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
