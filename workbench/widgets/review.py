"""The review screen: one pair (or in-file cluster) at a time, buttons and keys (ipywidgets)."""
from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.review.html import cluster_view_html, counts_html, pair_view_html
from workbench.review.preview import changeset_counts
from workbench.review.queue import (
    ACTIONS,
    BACK,
    DIFFERENT,
    KEY_OF,
    SAME,
    SAME_ORG,
    SKIP,
    ReviewSession,
    review_queue,
    score_bands,
)

if TYPE_CHECKING:
    from workbench.context import RunContext
    from workbench.match.engine import MatchResult
    from workbench.pipeline import Prepared


def pair_renderer(matches, prepared, con) -> Callable[[pd.Series], str]:
    """A function that renders one queued pair as HTML."""
    from workbench.report import pair_records

    data = pair_records(matches.pairs, prepared.std, con)
    return lambda item: pair_view_html(item, data)


def cluster_renderer(prepared) -> Callable[[pd.DataFrame], str]:
    """A function that renders the pairs of one in-file cluster as HTML."""
    rows = prepared.std.set_index("source_row")
    return lambda members: cluster_view_html(members, rows)


# ipyevents marks the screen it listens on; inside the box, so a screenshot shows it too
_WATCHED_CSS = ("<style>.wb-review.ipyevents-watched{outline:2px solid #1976d2;"
                "outline-offset:-2px}</style>")


# -- the widget ----------------------------------------------------------------------------------
class ReviewWidget:
    """One pair (or in-file cluster) at a time; buttons and keys; decisions stored at once."""

    def __init__(self, queue: pd.DataFrame, pair_html: Callable[[pd.Series], str],
                 state_path: str | Path, preview: Callable[[], dict] | None = None,
                 run_id: str | None = None,
                 cluster_html: Callable[[pd.DataFrame], str] | None = None) -> None:
        import ipywidgets as w
        from ipyevents import Event

        started = time.perf_counter()
        # Without a cluster view every pair is asked on its own.
        self.session = ReviewSession(queue, state_path, run_id,
                                     clusters=None if cluster_html else {})
        self.pair_html = pair_html
        self.cluster_html = cluster_html
        self.preview = preview
        self.progress = w.HTML()
        self.progress.add_class("wb-review-progress")
        self.band = w.Dropdown(options=score_bands(queue), description="score")
        self.band.add_class("wb-review-band")
        self.band.observe(lambda ch: self._filter(ch["new"]), "value")
        self.body = w.HTML()
        self.body.add_class("wb-review-body")
        self.buttons: dict[str, Any] = {}
        styles = {SAME: "success", DIFFERENT: "danger", SAME_ORG: "warning", SKIP: "", BACK: ""}
        for action, label in ACTIONS.items():
            button = w.Button(description=f"{label} ({KEY_OF[action]})",
                              button_style=styles[action],
                              layout=w.Layout(width="auto"))
            button.add_class(f"wb-review-{action.replace('_', '-')}")
            button.on_click(lambda _b, a=action: self.act(a))
            self.buttons[action] = button
        self.counts = w.HTML()
        self.counts.add_class("wb-review-changeset")
        refresh = w.Button(description="Update change set preview", layout=w.Layout(width="auto"))
        refresh.add_class("wb-review-refresh")
        refresh.on_click(lambda _b: self.update_preview())
        self.view = w.VBox([
            w.HBox([self.progress, self.band]), self.body,
            w.HBox([*self.buttons.values()]),
            w.HTML(f"{_WATCHED_CSS}<b>keys</b>, with the pointer over this screen (blue frame): "
                   "s same · d not the same · o same organisation, other person · k skip · "
                   "b back"),
            w.HTML("<h4>Change set after review</h4>"), w.HBox([refresh]), self.counts])
        self.view.add_class("wb-review")
        # ipywidgets has no key events; ipyevents sends the browser's keydown to the kernel while
        # the pointer is over the screen (and keeps it from JupyterLab's own shortcuts).
        self.events = Event(source=self.view, watched_events=["keydown"],
                            ignore_modifier_key_events=True)
        self.events.on_dom_event(self.on_key)
        self.render()
        self.open_seconds = time.perf_counter() - started

    def on_key(self, event: dict) -> None:
        """Apply a key press sent by the browser (Ctrl/Alt/Cmd combinations mean nothing here)."""
        if event.get("type") != "keydown" or any(
                event.get(m) for m in ("ctrlKey", "altKey", "metaKey")):
            return
        if self.session.key(str(event.get("key", ""))):
            self.render()

    def _filter(self, band: tuple[float, float] | None) -> None:
        self.session.set_filter(band)
        self.render()

    def act(self, action: str) -> None:
        """Apply a button press."""
        self.session.act(action)
        self.render()

    def update_preview(self) -> None:
        """Recount the change set with every decision stored so far."""
        if self.preview is not None:
            self.counts.value = "updating…"
            self.counts.value = counts_html(self.preview())

    def render(self) -> None:
        """Show the current pair or cluster and the progress."""
        s = self.session
        self.progress.value = f"<b>{html.escape(s.progress())}</b>"
        position = s.current
        if position is None:
            self.body.value = "<p class='wb-review-done'>All pairs under this filter have been seen.</p>"
            self.update_preview()
            return
        previous = s.decisions.get(position)
        note = (f"<p><i>decided earlier: {html.escape(ACTIONS[previous])}</i></p>"
                if previous else "")
        members = s.members(position)
        if len(members) > 1 and self.cluster_html is not None:
            self.body.value = note + self.cluster_html(s.queue.iloc[members])
        else:
            self.body.value = note + self.pair_html(s.queue.iloc[position])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)


def open_review(ctx: RunContext, prepared: Prepared, matches: MatchResult) -> ReviewWidget:
    """The review screen for a matched file: queue, pair renderer and change-set preview."""
    queue = review_queue(matches, prepared, ctx.definition.thresholds)
    render = pair_renderer(matches, prepared, ctx.con)

    def preview() -> dict:
        return changeset_counts(ctx, prepared)

    return ReviewWidget(queue, render, ctx.state_path, preview=preview,
                        cluster_html=cluster_renderer(prepared))
