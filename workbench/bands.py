"""What the match and review thresholds mean for one list: how many candidate pairs fall above
the match threshold, between the two, and below (Dynamics' "hit percentage", made visible)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.context import RunContext
from workbench.definition import Thresholds
from workbench.definition.schema import percent_of


@dataclass(frozen=True)
class PairScores:
    """The scores of one match run's candidate pairs the thresholds decide, sorted, per kind
    (organisation, person, …); ``below_floor``: pairs so weak they were counted, not kept."""

    scores: dict[str, np.ndarray]
    below_floor: int = 0

    @property
    def total(self) -> int:
        """Every candidate pair, kept or not."""
        return sum(len(s) for s in self.scores.values()) + self.below_floor


@dataclass(frozen=True)
class BandCounts:
    """Candidate pairs per band for one pair of thresholds."""

    match: int  # at or above the match threshold: taken as the same record
    review: int  # from the review threshold up to the match threshold: for the analyst
    below: int  # below the review threshold: different records

    def sentence(self, thresholds: Thresholds, lang: str | None = None) -> str:
        """The counts as the screen says them (in ``lang``)."""
        from workbench.labels import label

        return label("thresholds.sentence", lang, match=f"{percent_of(thresholds.match):g}",
                     review=f"{percent_of(thresholds.review):g}", same=self.match,
                     doubtful=self.review, different=self.below)


def scores_of(pairs: pd.DataFrame, below_floor: dict[str, int] | None = None) -> PairScores:
    """The scores the thresholds decide from a match result's pairs (the analyst's decided
    pairs left out: a decision outranks any threshold)."""
    below = sum((below_floor or {}).values())
    if pairs is None or pairs.empty:
        return PairScores({}, below)
    # two columns only: the undecided rows of every column are a copy of millions of pairs
    free = pairs[["kind", "score"]]
    if "decided" in pairs:
        free = free[~pairs["decided"].astype(bool).to_numpy()]
    scores = {str(kind): np.sort(group.to_numpy(dtype=float))
              for kind, group in free.groupby("kind", sort=True)["score"]}
    return PairScores(scores, below)


def pair_scores(ctx: RunContext, raw: pd.DataFrame, source: str | None = None) -> PairScores:
    """Prepare and match the list once (the run context's definition) and keep its pair scores."""
    from workbench.pipeline import match, prepare

    matches = match(ctx, prepare(ctx, raw, source))
    return scores_of(matches.pairs, matches.below_floor)


def band_counts(scores: PairScores, thresholds: Thresholds, kind: str | None = None
                ) -> BandCounts:
    """How many pairs fall in each band at these thresholds (all kinds, or one): a search in
    sorted scores, cheap enough to redo on every move of a slider."""
    chosen = [scores.scores.get(kind, np.array([]))] if kind else list(scores.scores.values())
    match = review = below = 0
    for values in chosen:
        at_review = int(np.searchsorted(values, thresholds.review, side="left"))
        at_match = int(np.searchsorted(values, thresholds.match, side="left"))
        below += at_review
        review += at_match - at_review
        match += len(values) - at_match
    if kind is None:
        below += scores.below_floor
    return BandCounts(match=match, review=review, below=below)
