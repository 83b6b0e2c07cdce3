"""The match and review thresholds as percentage sliders, with what they mean for this list."""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
import pandas as pd

from workbench.bands import PairScores, band_counts, pair_scores
from workbench.context import RunContext
from workbench.definition import Definition, Thresholds
from workbench.definition.schema import from_percent, percent_of
from workbench.errors import WorkbenchError
from workbench.labels import MESSAGES, label, language_of
from workbench.match.score import SCORE_FLOOR


class ThresholdsWidget:
    """Two sliders (same record from, review from) in percent; the pair counts per band follow
    them, from one match run of the list (the Count button), re-counted as the sliders move."""

    def __init__(self, thresholds: Thresholds, raw: pd.DataFrame | None = None,
                 ctx: RunContext | None = None,
                 current: Callable[[], Definition] | None = None,
                 language: str | None = None) -> None:
        self.raw, self.ctx, self.current = raw, ctx, current
        self.language = language_of(language)
        self.scores: PairScores | None = None
        self.match = self._slider(self._t("thresholds.match"), thresholds.match, "match")
        self.review = self._slider(self._t("thresholds.review"), thresholds.review, "review")
        self.meaning = w.HTML()
        self.meaning.add_class("wb-thr-meaning")
        count = w.Button(description=self._t("thresholds.count"),
                         disabled=ctx is None or raw is None,
                         tooltip=self._t("thresholds.count_tip"))
        count.add_class("wb-thr-count")
        count.on_click(lambda _b: self.count())
        self.view = w.VBox([
            w.HTML(self._t("thresholds.intro")),
            w.HBox([self.match, self.review, count]), self.meaning])
        self.explain()

    def _t(self, key: str, **values: object) -> str:
        """A screen text in the analyst's language (``workbench.labels``)."""
        return label(key, self.language, **values)

    def _kind(self, kind: str) -> str:
        """A kind of pair in Dutch as the review screen names it; in English its own name."""
        key = f"review.{kind}"
        return label(key, self.language) if self.language == "nl" and key in MESSAGES else kind

    def _slider(self, label: str, share: float, name: str) -> w.FloatSlider:
        slider = w.FloatSlider(value=percent_of(share), min=0, max=100, step=1,
                               description=label, readout_format=".3g",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="340px"))
        slider.add_class(f"wb-thr-{name}")
        slider.observe(self._moved, "value")
        return slider

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds as the sliders show them."""
        return Thresholds(match=from_percent(self.match.value),
                          review=from_percent(self.review.value))

    def show(self, thresholds: Thresholds) -> None:
        """Put a definition's thresholds on the sliders."""
        self.match.value = percent_of(thresholds.match)
        self.review.value = percent_of(thresholds.review)
        self.explain()

    def count(self) -> None:
        """Match the list once (the screen's definition as it is now) and keep its pair scores."""
        if self.ctx is None or self.raw is None:
            return
        definition = self.current() if self.current else self.ctx.definition
        self.meaning.value = self._t("thresholds.matching")
        try:
            self.scores = pair_scores(self.ctx.with_definition(definition), self.raw)
        except WorkbenchError as exc:  # a mapping that cannot run yet: said, not raised
            self.meaning.value = f"<span style='color:#b71c1c'>{html.escape(str(exc))}</span>"
            return
        self.explain()

    def _moved(self, change: dict) -> None:
        # review never above match: the other slider follows the one moved
        if change["owner"] is self.match and self.review.value > self.match.value:
            self.review.value = self.match.value
        elif change["owner"] is self.review and self.match.value < self.review.value:
            self.match.value = self.review.value
        self.explain()

    def explain(self) -> None:
        """Say what the thresholds mean for this list (once its pairs are counted)."""
        if self.scores is None:
            self.meaning.value = self._t("thresholds.no_context" if self.ctx is None
                                         else "thresholds.press_count")
            return
        thresholds = self.thresholds
        lines = [html.escape(band_counts(self.scores, thresholds).sentence(thresholds,
                                                                              self.language))]
        for kind in self.scores.scores:
            c = band_counts(self.scores, thresholds, kind)
            lines.append(self._t("thresholds.per_kind", kind=html.escape(self._kind(kind)),
                                 same=c.match,
                                 review=c.review, different=c.below))
        if self.scores.below_floor:
            lines.append(self._t("thresholds.below_floor", n=self.scores.below_floor,
                                 floor=f"{percent_of(SCORE_FLOOR):g}"))
        self.meaning.value = "<br>".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)
