"""The review screen: one pair (or in-file cluster) at a time, buttons and keys (ipywidgets)."""
from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbench.labels import label, language_of
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
    action_label,
    review_queue,
    score_bands,
)
from workbench.widgets.comeback import show_screen
from workbench.widgets.decisions import DecisionsView

if TYPE_CHECKING:
    from workbench.context import RunContext
    from workbench.match.engine import MatchResult
    from workbench.pipeline import Prepared


def pair_renderer(matches, prepared, con, lang: str | None = None,
                  crm_layout: str | None = None) -> Callable[[pd.Series], str]:
    """A function that renders one queued pair as HTML, with what surrounds both records
    (words in ``lang``, fields named as the ``crm_layout`` names them)."""
    data = pair_data(matches, prepared, con)
    return lambda item: pair_view_html(item, data, lang, crm_layout)


def pair_data(matches, prepared, con) -> dict:
    """The records of every pair and their context (persons' organisations, organisations'
    persons), read from the CRM in one query per table."""
    from workbench.report import pair_records
    from workbench.review.pair_context import crm_context

    data = pair_records(matches.pairs, prepared.std, con)
    data["context"] = crm_context(con, matches.pairs)
    return data


def cluster_renderer(prepared, lang: str | None = None,
                     crm_layout: str | None = None) -> Callable[[pd.DataFrame], str]:
    """A function that renders the pairs of one in-file cluster as HTML."""
    rows = prepared.std.set_index("source_row")
    return lambda members: cluster_view_html(members, rows, lang, crm_layout)


# ipyevents marks the screen it listens on; inside the box, so a screenshot shows it too
_WATCHED_CSS = ("<style>.wb-review.ipyevents-watched{outline:2px solid #1976d2;"
                "outline-offset:-2px}</style>")


# -- the widget ----------------------------------------------------------------------------------
class ReviewWidget:
    """One pair (or in-file cluster) at a time; buttons and keys; decisions stored at once."""

    def __init__(self, queue: pd.DataFrame, pair_html: Callable[[pd.Series], str],
                 state_path: str | Path, preview: Callable[[], dict] | None = None,
                 run_id: str | None = None,
                 cluster_html: Callable[[pd.DataFrame], str] | None = None,
                 decisions: DecisionsView | None = None, language: str | None = None) -> None:
        started = time.perf_counter()
        # the analyst's language (workbench/labels.py); open_review passes the definition's
        self.language = language_of(language)
        # Without a cluster view every pair is asked on its own.
        self.session = ReviewSession(queue, state_path, run_id,
                                     clusters=None if cluster_html else {},
                                     language=self.language)
        self.pair_html = pair_html
        self.cluster_html = cluster_html
        self.preview = preview
        self.decisions = decisions
        if decisions is not None:
            decisions.on_change = self.update_preview
        self.bands = score_bands(queue, lang=self.language)
        self.shown = None  # the display that comes back (see show)
        self._build(band=0, decisions_open=False)
        self.render()
        self.open_seconds = time.perf_counter() - started

    def word(self, key: str, **values: object) -> str:
        """A screen text in the analyst's language (``review.*`` of workbench/labels.py)."""
        return label(f"review.{key}", self.language, **values)

    def _build(self, band: int, decisions_open: bool) -> None:
        """Make the screen's widgets (again, after the browser lost them)."""
        import ipywidgets as w
        from ipyevents import Event

        self.progress = w.HTML()
        self.progress.add_class("wb-review-progress")
        # the options' values are their places, so the first ("all scores") shows from the start
        self.band = w.Dropdown(options=[(label, i) for i, (label, _) in enumerate(self.bands)],
                               value=band, description=self.word("score"))
        self.band.add_class("wb-review-band")
        self.band.observe(lambda ch: self._filter(self.bands[ch["new"]][1]), "value")
        self.body = w.HTML()
        self.body.add_class("wb-review-body")
        self.buttons: dict[str, Any] = {}
        styles = {SAME: "success", DIFFERENT: "danger", SAME_ORG: "warning", SKIP: "", BACK: ""}
        for action in ACTIONS:
            button = w.Button(description=f"{action_label(action, self.language)} ({KEY_OF[action]})",
                              button_style=styles[action],
                              layout=w.Layout(width="auto"))
            button.add_class(f"wb-review-{action.replace('_', '-')}")
            button.on_click(lambda _b, a=action: self.act(a))
            self.buttons[action] = button
        self.counts = w.HTML()
        self.counts.add_class("wb-review-changeset")
        refresh = w.Button(description=self.word("update_preview"), layout=w.Layout(width="auto"))
        refresh.add_class("wb-review-refresh")
        refresh.on_click(lambda _b: self.update_preview())
        self.earlier = w.HTML()
        self.earlier.add_class("wb-review-earlier")
        self.open_decisions = w.Button(description=self.word("open_decisions"),
                                       layout=w.Layout(width="auto"))
        self.open_decisions.add_class("wb-review-open-decisions")
        self.open_decisions.on_click(lambda _b: self.toggle_decisions())
        self.decisions_box = w.VBox([self.decisions.view] if self.decisions else [],
                                    layout=w.Layout(display=None if decisions_open else "none"))
        self.view = w.VBox([
            w.HBox([self.progress, self.band]), self.body,
            w.HBox([*self.buttons.values()]),
            w.HTML(f"{_WATCHED_CSS}{self.word('keys')}"),
            w.HBox([self.earlier, self.open_decisions]), self.decisions_box,
            w.HTML(f"<h4>{html.escape(self.word('changeset_after'))}</h4>"), w.HBox([refresh]), self.counts])
        self.view.add_class("wb-review")
        # ipywidgets has no key events; ipyevents sends the browser's keydown to the kernel while
        # the pointer is over the screen (and keeps it from JupyterLab's own shortcuts).
        self.events = Event(source=self.view, watched_events=["keydown"],
                            ignore_modifier_key_events=True)
        self.events.on_dom_event(self.on_key)

    def rebuild(self) -> None:
        """Fresh widgets showing the same place, filter and decisions (for show_screen)."""
        old = self.view
        if self.decisions is not None:
            self.decisions.rebuild()
        self._build(band=self.band.value, decisions_open=self.decisions_box.layout.display != "none")
        self.render()
        old.close()  # and its children: the browser never drew them

    def show(self) -> None:
        """Display the screen so that it comes back if the browser loses it at kernel start."""
        self.shown = show_screen(self)

    def show_again(self) -> None:
        """Build the screen anew and display it here (after "Error displaying widget")."""
        self.rebuild()
        self.show()

    def on_key(self, event: dict) -> None:
        """Apply a key press sent by the browser (Ctrl/Alt/Cmd combinations mean nothing here)."""
        if event.get("type") != "keydown" or any(
                event.get(m) for m in ("ctrlKey", "altKey", "metaKey")):
            return
        if self.session.key(str(event.get("key", ""))):
            self.render()

    def toggle_decisions(self, show: bool | None = None) -> None:
        """Show (or hide) the decisions view under the pair, read afresh from the state file."""
        if self.decisions is None:
            return
        show = self.decisions_box.layout.display == "none" if show is None else show
        if show:
            self.decisions.reload()
        self.decisions_box.layout.display = None if show else "none"
        self.open_decisions.description = self.word("close_decisions" if show else "open_decisions")

    def _earlier(self) -> None:
        """Say how many stored decisions are about this list's pairs (a re-run asks none again)."""
        if self.decisions is None:
            self.open_decisions.layout.display = "none"
            return
        if self.decisions_box.layout.display != "none":
            self.decisions.reload()
        n = self.decisions.applying()
        self.earlier.value = self.word("earlier", n=n, total=len(self.decisions.entries))

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
            self.counts.value = self.word("updating")
            self.counts.value = counts_html(self.preview(), self.language)

    def render(self) -> None:
        """Show the current pair or cluster and the progress."""
        s = self.session
        self._earlier()
        if s.queue.empty and self.decisions is not None and self.decisions.applying():
            # a re-run: nothing left to ask, but the earlier answers are there to open
            left = self.word("nothing_left", n=self.decisions.applying())
            self.progress.value = f"<b>{html.escape(left)}</b>"
            if self.decisions_box.layout.display == "none":
                self.toggle_decisions(True)
        else:
            self.progress.value = f"<b>{html.escape(s.progress())}</b>"
        position = s.current
        allowed = s.actions()
        for action, button in self.buttons.items():
            button.layout.display = None if action in allowed else "none"
        if position is None:
            self.body.value = (f"<p class='wb-review-done'>{html.escape(self.word('all_seen'))}"
                               "</p>")
            self.update_preview()
            return
        previous = s.decisions.get(position)
        note = (f"<p><i>{html.escape(self.word('decided_earlier', answer=action_label(previous, self.language)))}"
                "</i></p>" if previous else "")
        members = s.members(position)
        if len(members) > 1 and self.cluster_html is not None:
            self.body.value = note + self.cluster_html(s.queue.iloc[members])
        else:
            self.body.value = note + self.pair_html(s.queue.iloc[position])

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.view._repr_mimebundle_(**kwargs)


def open_review(ctx: RunContext, prepared: Prepared, matches: MatchResult,
                language: str | None = None) -> ReviewWidget:
    """The review screen for a matched file: queue, pair renderer, decisions view and
    change-set preview; in ``language``, else the definition's, with fields named as the
    definition's export target names them."""
    from workbench.review.decisions import pair_names
    from workbench.review.queue import pair_keys

    lang = language_of(language or ctx.definition.language)
    target = ctx.definition.target

    queue = review_queue(matches, prepared, ctx.definition.thresholds)
    data = pair_data(matches, prepared, ctx.con)
    names = pair_names(matches.pairs, data) if not matches.pairs.empty else None
    if not queue.empty:  # kept with each decision, so the decisions view can name it later
        queue["names"] = pair_names(queue, data)
    rows = matches.rows.set_index("source_row")
    keys = pair_keys(matches.pairs, rows) if not matches.pairs.empty else None

    def preview() -> dict:
        return changeset_counts(ctx, prepared)

    def decided_pair(index: int) -> str | None:
        entry = view.entries.loc[index]
        if keys is None or not entry["this_list"]:
            return None
        same = keys.index[(keys["level"] == entry["level"])
                          & (keys["fingerprint"] == entry["fingerprint"])
                          & (keys["candidate"] == entry["candidate"])]
        return (pair_view_html(matches.pairs.loc[same[0]], data, lang, target) if len(same)
                else None)

    view = DecisionsView(ctx.state_path, matches.pairs, rows, names, run_id=ctx.run_id,
                         pair_html=decided_pair, language=lang)
    return ReviewWidget(queue, lambda item: pair_view_html(item, data, lang, target),
                        ctx.state_path, preview=preview, run_id=ctx.run_id,
                        cluster_html=cluster_renderer(prepared, lang, target), decisions=view,
                        language=lang)
